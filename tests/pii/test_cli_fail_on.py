"""`review pii scan` exits 1 only when a finding reaches --fail-on (default: low)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from review.cli.main import cli


def test_info_only_hits_do_not_fail(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "links.csv"
    data.write_text("id,link\n1,https://docs.python.org/3/library/csv.html\n", encoding="utf-8")
    result = runner.invoke(cli, ["pii", "scan", str(data)])
    assert result.exit_code == 0, result.output
    assert "URL" in result.output
    strict = runner.invoke(cli, ["pii", "scan", str(data), "--fail-on", "info"])
    assert strict.exit_code == 1


def test_phone_fails_by_default_but_not_above_its_severity(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "notes.txt"
    data.write_text("请回拨手机号13812345678，谢谢\n", encoding="utf-8")
    assert runner.invoke(cli, ["pii", "scan", str(data)]).exit_code == 1
    assert runner.invoke(cli, ["pii", "scan", str(data), "--fail-on", "high"]).exit_code == 0

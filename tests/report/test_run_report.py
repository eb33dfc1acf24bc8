"""The report step of `review run`: the demo config gives a signed bilingual PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from tests.report.conftest import pdf_text

pytestmark = pytest.mark.report_step


def test_demo_run_writes_a_signed_bilingual_report(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert (out / "report.html").is_file()
    assert "(signed)" in result.output
    text = pdf_text(out / "report.pdf")
    assert "合规与伦理审查报告" in text and "Compliance and ethics review report" in text
    # the demo's key is made once and kept, so its report can be verified against it
    anchor = demo_project / ".review-keys" / "report-signing.pem"
    verified = runner.invoke(cli, ["verify", str(out / "report.pdf"), "--trust", str(anchor)])
    assert verified.exit_code == 0, verified.output
    assert runner.invoke(cli, ["verify", str(out / "report.pdf")]).exit_code == 1


def test_report_can_be_switched_off(runner: CliRunner, demo_project: Path, tmp_path: Path) -> None:
    config = demo_project / "review.toml"
    text = config.read_text(encoding="utf-8").replace(
        '[report]\nlang = "bilingual"', '[report]\nlang = "bilingual"\nenabled = false'
    )
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert (out / "review.json").is_file()
    assert not (out / "report.pdf").exists()


def test_signing_config_needs_one_key_source(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    config = demo_project / "review.toml"
    text = config.read_text(encoding="utf-8").replace("self_signed = true", "self_signed = false")
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "report.signing" in result.output

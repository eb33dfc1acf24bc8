"""Bad input gets one clear line and exit 2, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from tests.report.conftest import PASSWORD_ENV, Keys, Rendered


def _one_line_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("review: error: ")
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "invalid JSON"),
        (b'{"schema": "other/1"}', "not a review record"),
        (b'{"schema": "review/2", "metadata": {}}', "metadata"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_invalid_review_json(
    runner: CliRunner, tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "review.json"
    bad.write_bytes(content)
    result = runner.invoke(cli, ["report", "render", str(bad)])
    assert result.exit_code == 2
    line = _one_line_error(result.output)
    assert str(bad) in line and problem in line
    assert not (tmp_path / "report.pdf").exists()


def test_missing_review_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["report", "render", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "no such file" in _one_line_error(result.output)


def test_wrong_certificate_password(
    runner: CliRunner, rendered: Rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p12 = tmp_path / "org.p12"
    monkeypatch.setenv("REVIEW_SIGNING_PASSWORD", "right")
    assert runner.invoke(cli, ["report", "demo-cert", str(p12), "--name", "Org"]).exit_code == 0
    monkeypatch.setenv("REVIEW_SIGNING_PASSWORD", "wrong")
    out = tmp_path / "r.pdf"
    result = runner.invoke(
        cli, ["report", "render", str(rendered.review_json), "--sign", str(p12), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "wrong password" in _one_line_error(result.output)
    assert not out.exists()
    monkeypatch.setenv("REVIEW_SIGNING_PASSWORD", "right")
    ok = runner.invoke(
        cli, ["report", "render", str(rendered.review_json), "--sign", str(p12), "--out", str(out)]
    )
    assert ok.exit_code == 0, ok.output
    assert out.exists()


def test_not_a_pkcs12_file(runner: CliRunner, rendered: Rendered, tmp_path: Path) -> None:
    fake = tmp_path / "key.p12"
    fake.write_bytes(b"not a key")
    result = runner.invoke(
        cli, ["report", "render", str(rendered.review_json), "--sign", str(fake)]
    )
    assert result.exit_code == 2
    assert str(fake) in _one_line_error(result.output)


def test_no_cjk_font_fails_with_install_advice(
    runner: CliRunner, rendered: Rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{empty}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    out = tmp_path / "r.pdf"
    result = runner.invoke(cli, ["report", "render", str(rendered.review_json), "--out", str(out)])
    assert result.exit_code == 2
    line = _one_line_error(result.output)
    assert "fc-list :lang=zh" in line and "fonts-wqy-microhei" in line
    assert not out.exists()


def test_signoff_needs_the_reviewers_key(runner: CliRunner, rendered: Rendered) -> None:
    result = runner.invoke(
        cli, ["signoff", str(rendered.pdf), "--reviewer", "王芳", "--decision", "approve"]
    )
    assert result.exit_code == 2
    assert "--key" in _one_line_error(result.output)


def test_signoff_with_a_missing_or_locked_key_is_one_line(
    runner: CliRunner, rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    before = rendered.pdf.read_bytes()
    for key, env in ((tmp_path / "missing.p12", PASSWORD_ENV), (keys.p12("wang"), {})):
        result = runner.invoke(
            cli,
            ["signoff", str(rendered.pdf), "--reviewer", "王芳", "--decision", "approve",
             "--key", str(key)],
            env=env,
        )  # fmt: skip
        assert result.exit_code == 2
        assert str(key) in _one_line_error(result.output)
    assert rendered.pdf.read_bytes() == before

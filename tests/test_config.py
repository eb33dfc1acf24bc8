"""Config loading: every kind of bad config exits 2 with one line naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.config import load_config
from review.core.errors import ConfigError
from review.core.models import Severity


def _write(tmp_path: Path, text: str, name: str = "review.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[gate\nfail_on = 'high'", "review.toml: invalid TOML"),
        ("[gate]\nfail_onn = 'high'", "review.toml: gate.fail_onn: unknown key"),
        ("[gate]\nrisk_appetite = 'lots'", "review.toml: gate.risk_appetite: input should be"),
        ("[gate]\nfail_on = 'severe'", "review.toml: gate.fail_on: input should be"),
        (
            "[pii]\npaths = ['a.csv', 'b.csv', 'missing.csv']",
            "review.toml: pii.paths[2]: no such file",
        ),
        (
            "[[desensitisation.datasets]]\nmasked = 'a.csv'\n"
            "[desensitisation.datasets.columns]\nx = { action = 'blur' }",
            "review.toml: desensitisation.datasets[0].columns.x.action: input should be",
        ),
        ("[[reviewers]]\nrole = 'DPO'", "review.toml: reviewers[0].name: missing required key"),
        ("project = 3", "review.toml: project: input should be"),
    ],
)
def test_bad_config_exits_2_naming_file_and_key(
    runner: CliRunner, tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "b.csv").write_text("x\n1\n")
    _write(tmp_path, text)
    result = runner.invoke(cli, ["run", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert expected in lines[0]
    assert not (tmp_path / "out" / "review.json").exists()


def test_pyproject_tool_review_is_used(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.review.gate]\nfail_on = 'medium'\n", "pyproject.toml")
    loaded = load_config(tmp_path)
    assert loaded.config.gate.fail_on == Severity.MEDIUM
    assert loaded.source == tmp_path / "pyproject.toml"


def test_pyproject_error_names_tool_review_path(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.review.gate]\nfail_onn = 'x'\n", "pyproject.toml")
    with pytest.raises(
        ConfigError, match=r"pyproject\.toml: tool\.review\.gate\.fail_onn: unknown key"
    ):
        load_config(tmp_path)


def test_review_toml_wins_over_pyproject(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.review.gate]\nfail_on = 'medium'\n", "pyproject.toml")
    _write(tmp_path, "[gate]\nfail_on = 'low'\n")
    assert load_config(tmp_path).config.gate.fail_on == Severity.LOW


def test_pyproject_without_tool_review_gives_defaults(tmp_path: Path) -> None:
    _write(tmp_path, "[project]\nname = 'x'\n", "pyproject.toml")
    loaded = load_config(tmp_path)
    assert loaded.source is None
    assert loaded.project_name == tmp_path.name


def test_explicit_config_file_paths_resolve_against_it(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "data.csv").write_text("a\n1\n")
    _write(conf, "[pii]\npaths = ['data.csv']\n", "custom.toml")
    loaded = load_config(tmp_path, conf / "custom.toml")
    assert loaded.config.pii.paths == [conf / "data.csv"]


def test_missing_explicit_config(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["run", str(tmp_path), "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "nope.toml: no such config file" in result.output


def test_non_utf8_config(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "review.toml").write_bytes("[project]\nname = '客服'\n".encode("gb18030"))
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert "review.toml: not UTF-8 encoded" in result.output


def test_demo_config_is_valid() -> None:
    from tests.conftest import DEMO

    loaded = load_config(DEMO)
    assert loaded.config.project.distribution == "saas"
    assert loaded.config.project.license == "Apache-2.0"
    assert len(loaded.config.reviewers) == 2

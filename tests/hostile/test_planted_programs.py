"""No file of a scanned project makes the tool run a program: each test plants one that
would leave a marker file if it ever ran, runs the review, and looks for the marker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli

LOCK = '[[package]]\nname = "click"\nversion = "8.0.0"\ngroups = ["main"]\n'


def _plant(folder: Path, name: str, marker: Path) -> Path:
    """An executable shell script named ``name`` that creates ``marker`` when run."""
    program = folder / name
    program.parent.mkdir(parents=True, exist_ok=True)
    program.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    return program


@pytest.mark.parametrize(
    ("config_name", "section"),
    [("review.toml", "[licenses]"), ("pyproject.toml", "[tool.review.licenses]")],
)
def test_review_run_refuses_an_interpreter_named_by_the_project(
    runner: CliRunner, tmp_path: Path, config_name: str, section: str
) -> None:
    project = tmp_path / "p"
    marker = tmp_path / "ran"
    evil = _plant(project, "evil.sh", marker)
    head = '[project]\nname = "demo"\nversion = "1"\nlicense = "MIT"\n'
    if config_name == "review.toml":
        (project / "pyproject.toml").write_text(head, encoding="utf-8")
        head = ""
    (project / config_name).write_text(
        f'{head}{section}\npython = "{evil.name}"\n', encoding="utf-8"
    )
    result = runner.invoke(cli, ["run", str(project), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"{config_name}: " in result.stderr
    assert "python: not allowed in a config file" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not marker.exists()
    assert not (tmp_path / "out" / "review.json").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_nothing_planted_in_a_scanned_project_runs(tmp_path: Path) -> None:
    """A real ``review run`` over a project whose git config, hooks, virtual environment,
    ``.env`` file and lock file all offer a program: none of them runs."""
    project = tmp_path / "p"
    marker = tmp_path / "ran"
    project.mkdir()
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    hook = _plant(project / ".git" / "hooks", "post-checkout", marker)
    for key in ("core.fsmonitor", "core.pager", "core.sshCommand", "diff.external"):
        subprocess.run([*git, "config", key, str(hook)], check=True)
    for name in ("pre-commit", "post-commit", "post-rewrite", "reference-transaction"):
        _plant(project / ".git" / "hooks", name, marker)
    python = _plant(project / ".venv" / "bin", "python", marker)
    _plant(project, "python3", marker)
    (project / ".env").write_text(f"REVIEW_LICENSES_PYTHON={python}\n", encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\nlicense = "MIT"\n'
        "[tool.review.checklist]\nenabled = false\n"
        '[tool.review.licenses]\nlockfiles = ["poetry.lock"]\n',
        encoding="utf-8",
    )
    (project / "poetry.lock").write_text(LOCK, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVIEW_", "GIT_"))} | {
        "REVIEW_REPORT__ENABLED": "false",
        "PATH": f"{project}:{os.environ['PATH']}",
    }
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "review", "run", str(project), "--out", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert not marker.exists(), "a program planted in the scanned project ran"
    assert (out / "review.json").is_file()

"""``review run`` and ``review schema`` through the CLI, and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.record import Review


def test_run_demo_writes_review_json(runner: CliRunner, demo_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    review = Review.model_validate_json((out / "review.json").read_text(encoding="utf-8"))
    assert review.metadata.project.startswith("智能客服助手")
    assert review.metadata.project_version == "1.4.0"
    manifest = {entry.path for entry in review.manifest}
    assert "review.toml" in manifest
    expected = 0 if review.gate.verdict == "pass" else 1
    assert result.exit_code == expected


def test_run_is_byte_identical_with_source_date_epoch(
    runner: CliRunner, demo_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    outputs = []
    for name in ("a", "b"):
        runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / name)])
        outputs.append((tmp_path / name / "review.json").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2026-01-01T00:00:00Z" in outputs[0]


def test_bad_source_date_epoch_is_a_usage_error(
    runner: CliRunner, demo_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.output


def test_review_json_validates_against_printed_schema(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    schema = json.loads(runner.invoke(cli, ["schema"]).output)
    document = json.loads((tmp_path / "o" / "review.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def test_schema_describes_contract_fields(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["properties"]["schema"]["const"] == "review/2"
    finding = schema["$defs"]["Finding"]
    for field in ("rule_id", "severity", "title", "message", "location", "evidence"):
        assert field in finding["properties"]
        assert finding["properties"][field].get("description")


def test_missing_project_dir_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["run", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "no such project directory" in result.output


def test_unknown_option_exits_2_with_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["run", "--frobnicate"])
    assert result.exit_code == 2
    assert "no such option" in result.output.lower()
    assert "Traceback" not in result.output


def test_output_dir_that_is_a_file_exits_2(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(blocker / "sub")])
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_internal_error_exits_3_and_saves_traceback(
    runner: CliRunner, demo_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr("review.cli.run.run_review", boom)
    result = runner.invoke(cli, ["run", str(demo_project)])
    assert result.exit_code == 3
    assert "internal error" in result.output
    saved = Path(result.output.rsplit("saved to ", 1)[1].strip())
    assert "RuntimeError" in saved.read_text()
    saved.unlink()


def test_real_subprocess_run_and_module_entry(demo_project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "review", "run", str(demo_project), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert (out / "review.json").is_file()
    assert "outputs:" in proc.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "review", "run", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0
    assert "Traceback" not in bad.stderr


def test_inputs_are_not_modified(runner: CliRunner, demo_project: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in demo_project.rglob("*") if p.is_file()}
    runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    after = {p: p.read_bytes() for p in demo_project.rglob("*") if p.is_file()}
    assert before == after


def test_command_registry_is_exhaustive(runner: CliRunner) -> None:
    import click

    from review.cli.main import COMMANDS

    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert isinstance(command, click.Command)
        assert command.name == name
    listed = runner.invoke(cli, ["--help"]).output
    assert all(f"  {name} " in listed for name in COMMANDS)
    modules = {p.stem for p in (Path(__file__).parent.parent / "review" / "cli").glob("*.py")}
    used = {module.rsplit(".", 1)[1] for module, _ in COMMANDS.values()}
    assert modules - {"__init__", "main", "summary", "engine", "dependency_inputs"} == used


def test_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    from review.core.fsio import atomic_write

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o644

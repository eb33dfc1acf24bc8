"""The first run: `review init`, merged templates, validate listing every problem, the
ways people write answers, and `run` saying which stages ran and which did not."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from review.checklists.config import ProductContext
from review.checklists.evaluate import evaluate
from review.checklists.loader import load_builtin
from review.checklists.model import Answer, Status
from review.cli.main import cli

MIT = """MIT License

Copyright (c) 2026 Example

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    (root / "samples").mkdir(parents=True)
    (root / "samples" / "users.csv").write_text("id,city\n1,北京\n", encoding="utf-8")
    (root / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    (root / "web").mkdir()
    (root / "web" / "package-lock.json").write_text('{"packages": {"": {}}}', encoding="utf-8")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "package-lock.json").write_text("{}", encoding="utf-8")
    (root / "LICENSE").write_text(MIT, encoding="utf-8")
    return root


def test_init_detects_and_writes_a_commented_config(runner: CliRunner, tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = runner.invoke(cli, ["init", str(root), "--checklist", "pipl", "--checklist", "gdpr"])
    assert result.exit_code == 0, result.output
    assert "license MIT (from LICENSE)" in result.output
    text = (root / "review.toml").read_text(encoding="utf-8")
    assert "# How the product reaches people" in text  # commented
    config = tomllib.loads(text)
    assert config["project"]["license"] == "MIT"
    assert config["pii"]["paths"] == ["samples"]
    assert config["licenses"]["lockfiles"] == ["requirements.txt", "web/package-lock.json"]
    assert config["checklist"]["checklists"] == ["pipl", "gdpr"]
    answers = yaml.safe_load((root / "answers.yaml").read_text(encoding="utf-8"))["answers"]
    ids = {key.split(".")[0] for key in answers}
    assert ids == {"pipl", "gdpr"}  # one merged template
    assert len(answers) == len(load_builtin("pipl").items()) + len(load_builtin("gdpr").items())
    # the config it wrote loads
    shown = runner.invoke(cli, ["config", "show", str(root), "--format", "json"])
    assert shown.exit_code == 0, shown.output


def test_init_never_overwrites_without_force(runner: CliRunner, tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    (root / "answers.yaml").write_text("answers: {}\n", encoding="utf-8")
    again = runner.invoke(cli, ["init", str(root)])
    assert again.exit_code == 2
    assert "review.toml: already exists (use --force to replace it)" in again.output
    forced = runner.invoke(cli, ["init", str(root), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "answers:\n\n  # ========" in (root / "answers.yaml").read_text(encoding="utf-8")


@pytest.mark.report_step
@pytest.mark.slow
def test_init_on_the_demo_then_run_runs_every_stage(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    (demo_project / "review.toml").unlink()
    made = runner.invoke(cli, ["init", str(demo_project)])
    assert made.exit_code == 0, made.output
    assert "desensitised copy data/customers_masked.csv of data/customers_raw.csv" in made.output
    assert "kept the existing" in made.output  # the team's answers are not replaced
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(out)])
    assert result.exit_code == 1, result.output  # the demo's planted problems
    assert "ran / 已运行: pii, desensitisation, licenses, checklist" in result.output
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    assert [s["stage"] for s in review["stages"]] == [
        "pii",
        "desensitisation",
        "licenses",
        "checklist",
    ]
    assert review["skipped"] == []
    assert (out / "report.pdf").stat().st_size > 10_000
    keys = demo_project / ".review-keys" / "report-signing.pem"
    verified = runner.invoke(cli, ["verify", str(out / "report.pdf"), "--trust", str(keys)])
    assert verified.exit_code == 0, verified.output


def test_run_says_which_stages_were_skipped_and_why(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "bare"
    root.mkdir()
    result = runner.invoke(cli, ["run", str(root), "--out", str(tmp_path / "out")])
    assert "ran / 已运行: checklist" in result.output
    for stage in ("pii", "desensitisation", "licenses"):
        assert f"skipped / 未运行 {stage}: " in result.output


def test_template_merges_checklists_and_keeps_existing_files(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "answers.yaml"
    made = runner.invoke(
        cli, ["checklist", "template", "pipl", "gdpr", "genai-cn", "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    answers = yaml.safe_load(out.read_text(encoding="utf-8"))["answers"]
    assert {key.split(".")[0] for key in answers} == {"pipl", "gdpr", "genai-cn"}
    before = out.read_bytes()
    again = runner.invoke(cli, ["checklist", "template", "pipl", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert out.read_bytes() == before
    assert (
        runner.invoke(
            cli, ["checklist", "template", "pipl", "--out", str(out), "--force"]
        ).exit_code
        == 0
    )


def test_validate_lists_every_problem_in_one_run(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "answers:\n"
        "  pipl.pia: {status: maybe}\n"
        "  pipl.notice: {status: yes, colour: red}\n"
        "  pipl.nonexistent: {status: no}\n"
        "  pipl.deletion: {status: yes, evidence: [missing.md]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["checklist", "validate", str(path)])
    assert result.exit_code == 2
    assert "answers.pipl.pia.status: " in result.output
    assert "answers.pipl.notice.colour: unknown key" in result.output
    assert "4 problems" not in result.output  # the schema errors come first, then ids
    # once the schema is right, the ids and evidence are all reported together
    path.write_text(
        "answers:\n"
        "  pipl.nonexistent: {status: no}\n"
        "  ai-ethics.nonexistent: {status: no}\n"
        "  pipl.deletion: {status: yes, evidence: [missing.md]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["checklist", "validate", str(path)])
    assert result.exit_code == 2
    assert "answers.pipl.nonexistent: no such checklist item" in result.output
    assert "answers.ai-ethics.nonexistent: no such checklist item" in result.output
    assert "answers.pipl.deletion.evidence[0]: no such file" in result.output
    assert "3 problems" in result.output


@pytest.mark.parametrize(
    ("written", "status"),
    [("是", Status.YES), ("yes 是", Status.YES), ("否", Status.NO), ("no 否", Status.NO),
     ("部分", Status.PARTIAL), ("partial 部分", Status.PARTIAL), ("不适用", Status.NA),
     ("n/a 不适用", Status.NA), ("Yes", Status.YES), ("未回答", Status.UNANSWERED)],
)  # fmt: skip
def test_statuses_as_the_template_writes_them(written: str, status: Status) -> None:
    assert Answer.model_validate({"status": written}).status == status


def test_an_ambiguous_status_is_still_an_error() -> None:
    with pytest.raises(ValueError, match="status"):
        Answer.model_validate({"status": "yes 否"})


@pytest.mark.parametrize(
    ("value", "met"), [("85%", True), (0.85, True), (85, True), ("75%", False), (0.75, False)]
)
def test_a_percentage_criterion_accepts_85_percent_and_0_85(value: object, met: bool) -> None:
    checklist = load_builtin("ai-ethics")
    answers = {
        "ai-ethics.autonomy-threshold": Answer.model_validate(
            {"status": "yes", "measured": {"intent-confidence-threshold": value}}
        )
    }
    details = evaluate([checklist], answers, ProductContext(), {}, set())
    item = next(i for i in details.items if i.id == "ai-ethics.autonomy-threshold")
    [criterion] = item.criteria
    assert criterion.met is met
    assert criterion.value in (85.0, 75.0)

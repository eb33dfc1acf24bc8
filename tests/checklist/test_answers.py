"""The answers file: a bad file exits 2 naming file and field; content problems exit 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from review.cli.main import cli


def _validate(runner: CliRunner, path: Path) -> Any:
    return runner.invoke(cli, ["checklist", "validate", str(path)])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("answers: [\n", "invalid YAML"),
        (
            "answers:\n  pipl.pia: {status: yes}\n  pipl.pia: {status: no}\n",
            "duplicate key 'pipl.pia'",
        ),
        ("- 1\n- 2\n", "(top level): expected a mapping"),
        ("", "empty file"),
        ("answer: {}\n", "answer: unknown key"),
        ("answers:\n  pipl.pia: {status: maybe}\n", "answers.pipl.pia.status: input should be"),
        (
            "answers:\n  pipl.pia: {status: yes, owner: x, colour: red}\n",
            "answers.pipl.pia.colour: unknown key",
        ),
        (
            "answers:\n  pipl.pia: {status: yes, risk: {likelihood: 6, impact: 2}}\n",
            "answers.pipl.pia.risk.likelihood: input should be less than or equal to 5",
        ),
        (
            "answers:\n  pipl.pia: {status: yes, due: someday}\n",
            "answers.pipl.pia.due: input should be a valid date",
        ),
        (
            "answers:\n  pipl.pia: {status: yes, evidence: [missing.pdf]}\n",
            "answers.pipl.pia.evidence[0]: no such file",
        ),
        (
            "answers:\n  pipl.no-such-item: {status: yes}\n",
            "answers.pipl.no-such-item: no such checklist item",
        ),
        (
            "answers:\n  ai-ethics.resource-use: {status: yes, measured: {cpu: 3}}\n",
            "answers.ai-ethics.resource-use.measured.cpu: the item has no such criterion",
        ),
        (
            "answers:\n  ai-ethics.resource-use:\n"
            "    {status: yes, measured: {peak-resource-use: x}}\n",
            "resource-use.measured.peak-resource-use: input should be a valid number",
        ),
        (
            "answers:\n  pipl.pia: {status: yes, justification: ''}\n",
            "answers.pipl.pia.justification",
        ),
        (
            "answers:\n  pipl.pia: {status: yes, justification: {en: only English}}\n",
            "answers.pipl.pia.justification.zh: missing required key",
        ),
    ],
)
def test_bad_answers_file_exits_2_with_one_line(
    runner: CliRunner, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    result = _validate(runner, path)
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"review: error: {path}: ")
    assert message in result.output


def test_not_utf8_and_missing_file_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes("answers:\n  pipl.pia: {status: yes, owner: 王芳}\n".encode("gb18030"))
    result = _validate(runner, path)
    assert result.exit_code == 2 and "not UTF-8 encoded" in result.output
    result = _validate(runner, tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "no such file" in result.output


@pytest.mark.parametrize("status", ["n/a", "partial"])
def test_missing_justification_is_a_content_problem(
    runner: CliRunner, write_answers: Any, status: str
) -> None:
    path = write_answers({"pipl.pia": {"status": status}, "pipl.notice": {"status": "yes"}})
    result = _validate(runner, path)
    assert result.exit_code == 1, result.output
    assert f"answers.pipl.pia: '{status}' needs a justification" in result.output
    assert "须说明理由" in result.output


def test_valid_answers_exit_0_and_evidence_is_relative_to_the_file(
    runner: CliRunner, write_answers: Any, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pia.md").write_text("PIA\n", encoding="utf-8")
    path = write_answers(
        {
            "pipl.pia": {
                "status": "yes",
                "evidence": ["docs/pia.md", "https://intranet.example/pia"],
                "owner": "王芳",
                "due": "2026-12-01",
                "risk": {"likelihood": 2, "impact": 3, "accepted_by": "王芳"},
            },
            "gdpr.dpia": {
                "status": "n/a",
                "justification": {"en": "No EU users.", "zh": "无欧盟用户。"},
            },
            "ai-ethics.resource-use": {"status": "yes", "measured": {"peak-resource-use": 41.5}},
        }
    )
    result = _validate(runner, path)
    assert result.exit_code == 0, result.output
    assert "ok: 3 answer(s)" in result.output


def test_bare_yaml_yes_no_mean_the_statuses(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "answers:\n  pipl.pia: {status: yes}\n  pipl.notice: {status: no}\n", encoding="utf-8"
    )
    assert _validate(runner, path).exit_code == 0


def test_validate_accepts_checklist_files(runner: CliRunner, shared_data: Path) -> None:
    result = _validate(runner, shared_data / "deon" / "checklist.yml")
    assert result.exit_code == 0, result.output
    assert "5 sections, 21 items" in result.output

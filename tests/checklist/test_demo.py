"""The demo's answers fail the gate for stated checklist reasons; fixing them passes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from review.checklists.details import ChecklistResult
from review.checklists.stage import ChecklistStage
from review.cli.main import cli
from review.config import load_config
from review.core.models import Claim, GateReason
from review.pipeline import STAGES, run_review, stage_context
from review.record import Review

from .conftest import PII_SENSITIVE, attest, stating

DEMO_REASONS = {
    ("gate.checklist.blocking", "ai-ethics.launch-review"),
    ("gate.checklist.criterion", "ai-ethics.autonomy-threshold"),
    ("gate.checklist.criterion", "ai-ethics.resource-use"),
    ("gate.checklist.risk", "ai-ethics.drift-monitoring"),
    ("gate.checklist.trigger", "pipl.pia"),
    ("gate.checklist.unjustified", "gdpr.dpia"),
}


def _pairs(reasons: tuple[GateReason, ...] | list[GateReason]) -> set[tuple[str, str]]:
    return {
        (r.rule, r.message.en.split()[2 if r.message.en.startswith("blocking") else 0].rstrip(":"))
        for r in reasons
        if r.rule.startswith("gate.checklist.") and not r.accepted
    }


def _checklist_only(project: Path) -> Review:
    return run_review(load_config(project), stages=["checklist"])


def test_checklist_stage_is_registered_last() -> None:
    assert list(STAGES)[-1] == "checklist"
    assert isinstance(STAGES["checklist"], ChecklistStage)


def test_demo_gate_fails_for_the_stated_reasons(demo_project: Path) -> None:
    review = _checklist_only(demo_project)
    assert review.gate.verdict == "fail"
    assert _pairs(review.gate.reasons) == DEMO_REASONS
    for reason in review.gate.reasons:
        assert reason.message.en and reason.message.zh
    manifest = {entry.path for entry in review.manifest}
    assert {"answers.yaml", "evidence/privacy-policy.md", "evidence/vendor-dpa.md"} <= manifest


def _fix(answers: dict[str, Any], project: Path) -> None:
    (project / "evidence" / "ethics-review-2026-12.md").write_text(
        "# 伦理审查纪要 / Ethics review minutes\n通过 / approved\n", encoding="utf-8"
    )
    answers["ai-ethics.launch-review"] = {
        "status": "yes",
        "owner": "王芳",
        "evidence": ["evidence/ethics-review-2026-12.md"],
    }
    answers["ai-ethics.autonomy-threshold"]["measured"] = {"intent-confidence-threshold": 85}
    answers["ai-ethics.resource-use"]["measured"] = {"peak-resource-use": 55}
    answers["ai-ethics.drift-monitoring"]["risk"]["accepted_by"] = "王芳"
    answers["pipl.pia"]["status"] = "yes"
    answers["gdpr.dpia"] = {"status": "yes", "evidence": ["evidence/pia-vendor-sharing-2026-05.md"]}


def test_fixing_the_answers_makes_the_checklist_part_pass(demo_project: Path) -> None:
    path = demo_project / "answers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _fix(data["answers"], demo_project)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    review = _checklist_only(demo_project)
    assert [r for r in review.gate.reasons if r.rule.startswith("gate.checklist.")] == []
    assert review.gate.verdict == "pass"


def test_scanner_results_override_the_teams_answers(demo_project: Path) -> None:
    # With the other stages' findings the demo fails for more reasons: the scan contradicts
    # the team's "yes" on licenses and desensitisation, and health data needs the DPIA.
    previous = {
        "pii": PII_SENSITIVE,
        "desensitisation": stating(
            "desensitisation",
            attest(Claim.SAMPLES_DESENSITISED, "no", "data/customers_masked.csv: failed"),
        ),
        "licenses": stating(
            "licenses", attest(Claim.LICENSES_NO_CONFLICT, "no", "1 of 15 dependencies conflict")
        ),
    }
    loaded = load_config(demo_project)
    section = loaded.config.checklist
    result = ChecklistStage().run(section, stage_context(loaded, previous=previous))
    pairs = _pairs(result.gate_reasons)
    assert pairs - DEMO_REASONS == {
        ("gate.checklist.blocking", "ai-ethics.samples-desensitised"),
        ("gate.checklist.blocking", "ai-ethics.license-conflicts"),
        ("gate.checklist.trigger", "gdpr.dpia"),
    }


def test_run_prints_the_coverage_matrix(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert "法规覆盖 / coverage" in result.output
    assert "PIPL [" in result.output and "55~" in result.output
    assert "阻断项 ai-ethics.launch-review" in result.output
    review = Review.model_validate_json(
        (tmp_path / "o" / "review.json").read_text(encoding="utf-8")
    )
    checklist = review.result(ChecklistResult)
    assert checklist is not None and checklist.details.coverage and checklist.details.items


def test_missing_evidence_file_stops_the_run(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    (demo_project / "evidence" / "vendor-dpa.md").unlink()
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "answers.yaml: answers.gdpr.processors.evidence[0]: no such file" in result.output
    assert not (tmp_path / "o" / "review.json").exists()


def test_unknown_checklist_in_config_exits_2(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    config = demo_project / "review.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('"genai-cn"]', '"sox"]'), encoding="utf-8"
    )
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "review.toml: checklist.checklists[3]: unknown checklist 'sox'" in result.output


def test_bad_context_flag_exits_2(runner: CliRunner, demo_project: Path, tmp_path: Path) -> None:
    config = demo_project / "review.toml"
    text = config.read_text(encoding="utf-8").replace("minors = false", "minors = 'often'")
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "review.toml: checklist.context.minors: input should be a valid boolean" in result.output

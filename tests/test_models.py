"""Core models: frozen, strict, stable fingerprints, gate logic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pydantic
import pytest

from review.core.config import GateConfig
from review.core.models import (
    Finding,
    GateReason,
    Location,
    Metadata,
    Severity,
    StageResult,
    Text,
    Verdict,
)
from review.gate import decide
from review.record import Review, load_review, save_review
from review.scanners.pii.details import PiiResult


def _finding(
    rule: str = "pii.cn_mobile_phone", severity: Severity = Severity.HIGH, row: int = 1
) -> Finding:
    return Finding(
        rule_id=rule,
        stage="pii",
        severity=severity,
        title=Text(en="Mobile number", zh="手机号"),
        message=Text(en="A mobile number was found", zh="发现手机号"),
        location=Location(path="data.csv", row=row, column="phone"),
        evidence="138****5678",
    )


def test_models_are_frozen_and_strict() -> None:
    finding = _finding()
    with pytest.raises(pydantic.ValidationError):
        finding.severity = Severity.LOW  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        Text(en="x", zh="y", fr="z")  # type: ignore[call-arg]
    with pytest.raises(pydantic.ValidationError):
        Text(en="x", zh="")


def test_rule_id_must_be_dotted() -> None:
    with pytest.raises(pydantic.ValidationError):
        _finding(rule="NoDots")


def test_fingerprint_is_what_the_finding_is_about_not_its_row() -> None:
    assert _finding().fingerprint == _finding().fingerprint
    # A moved row is the same finding (baselines survive inserted rows)...
    assert _finding().fingerprint == _finding(row=2).fingerprint
    # ...another file or column is not.
    moved = _finding().location
    assert moved is not None
    other = moved.model_copy(update={"column": "电话"})
    assert _finding().fingerprint != _finding().model_copy(update={"location": other}).fingerprint
    assert "fingerprint" in _finding().model_dump()


def test_severity_order() -> None:
    assert Severity.CRITICAL.at_least(Severity.HIGH)
    assert not Severity.MEDIUM.at_least(Severity.HIGH)
    assert [s.rank for s in Severity] == [0, 1, 2, 3, 4]


def test_gate_fail_on_threshold() -> None:
    stage = StageResult(stage="pii", findings=(_finding(severity=Severity.MEDIUM),))
    assert decide([stage], GateConfig()).verdict == Verdict.PASS
    failed = decide([stage], GateConfig(fail_on=Severity.MEDIUM))
    assert failed.verdict == Verdict.FAIL
    assert failed.reasons[0].rule == "gate.fail_on"
    assert "pii.cn_mobile_phone" in failed.reasons[0].message.en
    assert failed.counts[Severity.MEDIUM] == 1


def test_gate_override_and_blocking_rules() -> None:
    stage = StageResult(stage="pii", findings=(_finding(severity=Severity.LOW),))
    assert decide([stage], GateConfig(fail_on=Severity.LOW)).verdict == Verdict.FAIL
    blocking = decide([stage], GateConfig(blocking_rules=["pii.cn_mobile_phone"]))
    assert blocking.verdict == Verdict.FAIL
    assert blocking.reasons[0].rule == "gate.blocking_rule"


def test_gate_fails_on_a_reason_a_stage_gives() -> None:
    reason = GateReason(rule="gate.checklist.blocking", message=Text(en="no", zh="否"))
    stage = StageResult(stage="checklist", gate_reasons=(reason,))
    decision = decide([stage], GateConfig())
    assert decision.verdict == Verdict.FAIL
    assert decision.reasons == (reason,)


def test_text_languages() -> None:
    text = Text(en="Pass", zh="通过")
    assert text.get("en") == "Pass"
    assert text.get("zh") == "通过"
    assert text.get("bilingual") == "通过 / Pass"


def test_review_json_round_trips_with_fingerprints(tmp_path: Path) -> None:
    stage = PiiResult(findings=(_finding(),))
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    review = Review(
        metadata=Metadata(
            project="p", tool_version="0", started=when, finished=when, language="en"
        ),
        manifest=(),
        stages=(stage,),
        gate=decide([stage], GateConfig()),
    )
    save_review(review, tmp_path / "review.json")
    assert '"fingerprint"' in (tmp_path / "review.json").read_text(encoding="utf-8")
    assert load_review(tmp_path / "review.json") == review

"""Each checklist gate rule, on a small hand-built checklist, alongside the existing rules."""

from __future__ import annotations

from typing import Any

import pytest

from review.checklists.config import ProductContext
from review.checklists.details import ChecklistResult
from review.checklists.evaluate import evaluate
from review.checklists.gate import checklist_reasons
from review.checklists.model import Answer, Checklist
from review.core.config import GateConfig
from review.core.models import Finding, GateDecision, Severity, StageResult, Text
from review.gate import decide

from .conftest import PII_SENSITIVE


def _text(name: str) -> dict[str, str]:
    return {"en": f"{name} in English", "zh": f"{name}的中文"}


def _item(item_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "title": _text(item_id),
        "question": _text(item_id),
        "guidance": _text(item_id),
        "references": [{"framework": "PIPL", "article": "55"}],
        **extra,
    }


CRITERION = {
    "metric": "confidence",
    "comparator": ">=",
    "threshold": 80,
    "unit": "%",
    "description": _text("confidence"),
}
CHECKLIST = Checklist.model_validate(
    {
        "id": "t",
        "version": "1",
        "title": _text("t"),
        "description": _text("t"),
        "sections": [
            {
                "id": "s",
                "title": _text("s"),
                "items": [
                    _item("blocker", blocking=True),
                    _item("measured", criteria=[CRITERION]),
                    _item("pia", blocking_when=["sensitive_pi"]),
                    _item("evidence", blocking=True, evidence_required=True),
                    _item("eu-only", blocking=True, applies_when=["eu_data_subjects"]),
                ],
            }
        ],
    }
)
PASSING = {
    "t.blocker": {"status": "yes"},
    "t.measured": {"status": "yes", "measured": {"confidence": 85}},
    "t.pia": {"status": "yes"},
    "t.evidence": {"status": "yes", "evidence": ["https://wiki.example/evidence"]},
}


def _gate(
    changes: dict[str, Any] | None = None,
    previous: dict[str, StageResult] | None = None,
    appetite: int = 9,
    context: ProductContext | None = None,
) -> GateDecision:
    raw = {**PASSING, **(changes or {})}
    answers = {key: Answer.model_validate(value) for key, value in raw.items() if value is not None}
    previous = previous or {}
    details = evaluate(
        [CHECKLIST], answers, context or ProductContext(eu_data_subjects=False), previous, {"王芳"}
    )
    reasons = tuple(checklist_reasons(details, appetite))
    stages = [*previous.values(), ChecklistResult(details=details, gate_reasons=reasons)]
    return decide(stages, GateConfig(risk_appetite=appetite))


def _rules(decision: GateDecision) -> list[str]:
    return [reason.rule for reason in decision.reasons]


def test_all_good_passes() -> None:
    assert _gate().verdict == "pass"


@pytest.mark.parametrize("status", ["no", "unanswered"])
def test_blocking_item_no_or_unanswered_fails(status: str) -> None:
    decision = _gate({"t.blocker": {"status": status}})
    assert _rules(decision) == ["gate.checklist.blocking"]
    message = decision.reasons[0].message
    assert f"blocking item t.blocker (PIPL Art. 55) is answered '{status}'" == message.en
    assert "阻断项 t.blocker" in message.zh


def test_missing_answer_counts_as_unanswered() -> None:
    assert _rules(_gate({"t.blocker": None})) == ["gate.checklist.blocking"]


def test_non_applicable_blocking_item_is_not_required() -> None:
    assert _gate({"t.eu-only": None}).verdict == "pass"
    applies = _gate({"t.eu-only": None}, context=ProductContext(eu_data_subjects=True))
    assert _rules(applies) == ["gate.checklist.blocking"]


@pytest.mark.parametrize("status", ["n/a", "partial"])
def test_na_or_partial_needs_a_justification(status: str) -> None:
    decision = _gate({"t.measured": {"status": status}})
    assert _rules(decision) == ["gate.checklist.unjustified"]
    assert "没有说明理由" in decision.reasons[0].message.zh
    justified = {"status": status, "justification": {"en": "Not offered.", "zh": "未提供。"}}
    assert _gate({"t.measured": justified}).verdict == "pass"


def test_criterion_outside_threshold_fails() -> None:
    decision = _gate({"t.measured": {"status": "yes", "measured": {"confidence": 75}}})
    assert _rules(decision) == ["gate.checklist.criterion"]
    assert "measured confidence = 75%, required confidence >= 80%" in decision.reasons[0].message.en
    assert "实测 confidence = 75%" in decision.reasons[0].message.zh


def test_a_criterion_unit_is_said_in_each_language() -> None:
    days = {**CRITERION, "metric": "response", "comparator": "<=", "threshold": 15, "unit": " days"}
    checklist = CHECKLIST.model_validate(
        {
            **CHECKLIST.model_dump(mode="json"),
            "sections": [{"id": "s", "title": _text("s"), "items": [_item("d", criteria=[days])]}],
        }
    )
    answers = {"t.d": Answer.model_validate({"status": "yes", "measured": {"response": 21}})}
    details = evaluate([checklist], answers, ProductContext(), {}, set())
    (reason,) = checklist_reasons(details, 9)
    assert "measured response = 21 days, required response <= 15 days" in reason.message.en
    assert "实测 response = 21 天，要求 response <= 15 天" in reason.message.zh
    assert "days" not in reason.message.zh


def test_yes_without_a_measurement_fails() -> None:
    decision = _gate({"t.measured": {"status": "yes"}})
    assert _rules(decision) == ["gate.checklist.criterion"]
    assert "not measured" in decision.reasons[0].message.en


def test_blocking_yes_without_required_evidence_fails() -> None:
    assert _rules(_gate({"t.evidence": {"status": "yes"}})) == ["gate.checklist.evidence"]


@pytest.mark.parametrize(
    ("risk", "verdict", "words"),
    [
        ({"likelihood": 2, "impact": 4}, "pass", None),
        ({"likelihood": 4, "impact": 4}, "fail", "not accepted by a named reviewer"),
        ({"likelihood": 4, "impact": 4, "accepted_by": "张伟"}, "fail", "'张伟' is not a reviewer"),
        ({"likelihood": 4, "impact": 4, "accepted_by": "王芳"}, "pass", None),
    ],
)
def test_residual_risk_above_appetite(
    risk: dict[str, Any], verdict: str, words: str | None
) -> None:
    decision = _gate({"t.blocker": {"status": "yes", "risk": risk}})
    assert decision.verdict == verdict
    if words:
        assert _rules(decision) == ["gate.checklist.risk"]
        assert words in decision.reasons[0].message.en
        assert "超过风险偏好 9" in decision.reasons[0].message.zh


ACCEPTED_RISK = {"likelihood": 4, "impact": 4, "accepted_by": "王芳", "expires": "2099-12-31"}


@pytest.mark.parametrize("status", ["partial", "no"])
def test_partial_and_no_with_the_same_accepted_risk_decide_alike(status: str) -> None:
    """The documented rule: an accepted residual risk covers the item's shortfalls (a
    measured value out of range, a risk above the appetite) for any answer, and they stay
    visible as accepted reasons with the reviewer as owner."""
    answer = {
        "status": status,
        "justification": "vendor fix scheduled",
        "measured": {"confidence": 75},
        "risk": ACCEPTED_RISK,
    }
    decision = _gate({"t.measured": answer})
    assert decision.verdict == "pass"
    accepted = {r.rule for r in decision.accepted_reasons}
    assert accepted == {"gate.checklist.criterion", "gate.checklist.risk"}
    for reason in decision.accepted_reasons:
        assert reason.acceptance is not None
        assert reason.acceptance.source == "risk-acceptance"
        assert reason.acceptance.owner == "王芳"
        assert reason.acceptance.justification == "vendor fix scheduled"
    # without the acceptance both fail, on the same rule
    unaccepted = {**answer, "risk": {"likelihood": 2, "impact": 2}}
    assert _rules(_gate({"t.measured": unaccepted})) == ["gate.checklist.criterion"]


def test_a_risk_acceptance_keeps_a_justification_in_both_languages() -> None:
    """A Chinese report shows the Chinese side only, not the two joined."""
    why = {"en": "Vendor fix scheduled.", "zh": "供应商已排期修复。"}
    answer = {"status": "partial", "justification": why, "risk": ACCEPTED_RISK}
    (reason,) = _gate({"t.measured": answer, "t.pia": {"status": "yes"}}).accepted_reasons
    assert reason.acceptance is not None
    assert reason.acceptance.justification == Text(**why)
    assert reason.acceptance.shown_justification("zh") == "供应商已排期修复。"
    assert (
        reason.acceptance.shown_justification("bilingual")
        == "供应商已排期修复。 / Vendor fix scheduled."
    )


def test_an_expired_risk_acceptance_counts_again() -> None:
    answer = {
        "status": "partial",
        "justification": "vendor fix scheduled",
        "measured": {"confidence": 75},
        "risk": {**ACCEPTED_RISK, "expires": "2020-01-01"},
    }
    decision = _gate({"t.measured": answer})
    assert decision.verdict == "fail"
    assert sorted(_rules(decision)) == ["gate.checklist.criterion", "gate.checklist.risk"]
    assert all(r.acceptance is not None and r.acceptance.expired for r in decision.reasons)


def test_a_risk_acceptance_never_covers_a_blocking_no() -> None:
    decision = _gate({"t.blocker": {"status": "no", "risk": ACCEPTED_RISK}})
    assert _rules(decision) == ["gate.checklist.blocking"]


def test_risk_appetite_comes_from_the_policy() -> None:
    changes = {"t.blocker": {"status": "yes", "risk": {"likelihood": 4, "impact": 4}}}
    assert _gate(changes, appetite=16).verdict == "pass"


def test_sensitive_pi_found_makes_the_triggered_item_required() -> None:
    changes = {"t.pia": {"status": "n/a", "justification": "we think not"}}
    assert _gate(changes).verdict == "pass"
    decision = _gate(changes, previous={"pii": PII_SENSITIVE})
    assert _rules(decision) == ["gate.checklist.trigger"]
    message = decision.reasons[0].message
    assert "the PII scan found that sensitive personal information is processed" in message.en
    assert "(health, identity_document)" in message.en
    assert "个人信息扫描发现" in message.zh and "须为「是」" in message.zh


def test_existing_rules_still_apply_next_to_checklist_rules() -> None:
    finding = Finding(
        rule_id="licenses.conflict",
        stage="licenses",
        severity=Severity.HIGH,
        title=Text(en="conflict", zh="冲突"),
        message=Text(en="conflict", zh="冲突"),
    )
    licenses = StageResult(stage="licenses", findings=(finding,))
    decision = _gate({"t.blocker": {"status": "no"}}, previous={"licenses": licenses})
    assert _rules(decision) == ["gate.fail_on", "gate.checklist.blocking"]

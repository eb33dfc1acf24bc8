"""Automatic answers from other stages' details, applicability, triggers and coverage."""

from __future__ import annotations

from typing import Any

import pytest

from review.checklists.config import ProductContext
from review.checklists.evaluate import evaluate
from review.checklists.loader import load_builtin
from review.checklists.model import Answer, AutoSource, Condition, Status, condition_text
from review.core.models import Claim, StageResult, Text
from review.scanners.desensitisation.details import DatasetRecord
from review.scanners.desensitisation.stage import desensitised
from review.scanners.licenses.details import LicensesDetails, SpdxCoverage, VerdictCounts
from review.scanners.licenses.models import PackageReport
from review.scanners.licenses.scan import no_conflict

from .conftest import PII_CLEAN, PII_SENSITIVE, stating


def _en(text: str | Text | None) -> str:
    """A justification as English text (bilingual ones carry both languages)."""
    if text is None:
        return ""
    return text if isinstance(text, str) else text.en


def _package(name: str, verdict: str, spdx: str) -> PackageReport:
    return PackageReport.model_validate(
        {
            "name": name,
            "version": "1.0",
            "ecosystem": "npm",
            "source": "package-lock.json",
            "dev": False,
            "spdx": spdx,
            "evidence": "license field",
            "confidence": 1.0,
            "category": "permissive",
            "verdict": verdict,
            "rule": "r",
            "reason": "r",
            "obligations": (),
            "choices": (),
            "path": (),
        }
    )


def _licenses(ok: int, review: int, conflict: int) -> StageResult:
    packages = [_package(f"ok-{n}", "ok", "MIT") for n in range(ok)]
    packages += [_package(f"review-{n}", "review", "Glide") for n in range(review)]
    packages += [_package("@acme-ai/voice-engine", "conflict", "AGPL-3.0-only")] * conflict
    details = LicensesDetails(
        outbound="Apache-2.0",
        distribution="saas",
        counts=VerdictCounts(ok=ok, review=review, conflict=conflict),
        categories={},
        spdx_coverage=SpdxCoverage(packages=len(packages), valid_spdx=len(packages)),
        packages=tuple(packages),
    )
    return stating("licenses", no_conflict(details))


LICENSES_CONFLICT = _licenses(14, 1, 1)
LICENSES_REVIEW = _licenses(9, 2, 0)
LICENSES_OK = _licenses(9, 0, 0)


def _dataset(level: str, checks: list[dict[str, Any]]) -> StageResult:
    record = DatasetRecord.model_validate(
        {
            "masked": "data/m.csv",
            "raw": "data/r.csv",
            "rows": 10,
            "level": level,
            "quasi_identifiers": (),
            "sensitive": (),
            "checks": [{"column": None, "count": 0, "rules": (), **check} for check in checks],
            "linkage_rate": None,
        }
    )
    return stating("desensitisation", desensitised([record]))


def _item(
    previous: dict[str, StageResult],
    item_id: str,
    answers: dict[str, Answer] | None = None,
    context: ProductContext | None = None,
) -> Any:
    checklist = load_builtin(item_id.split(".")[0])
    details = evaluate([checklist], answers or {}, context or ProductContext(), previous, {"王芳"})
    return {item.id: item for item in details.items}[item_id]


def test_every_auto_source_is_a_claim_a_stage_makes() -> None:
    assert {s.value for s in AutoSource} <= {c.value for c in Claim}
    used = {
        item.auto
        for cid in ("ai-ethics", "pipl")
        for _, item in load_builtin(cid).items()
        if item.auto
    }
    assert used == set(AutoSource)


def test_context_flags_match_conditions() -> None:
    assert set(ProductContext.model_fields) == {c.value for c in Condition}
    assert all(condition_text(c.value).zh for c in Condition)


@pytest.mark.parametrize(
    ("previous", "status", "words"),
    [
        (LICENSES_CONFLICT, Status.NO, "1 of 16 dependencies conflict (@acme-ai/voice-engine)"),
        (LICENSES_REVIEW, Status.PARTIAL, "2 of 11 dependencies need review"),
        (LICENSES_OK, Status.YES, "9 dependencies, no conflict"),
    ],
)
def test_license_item_is_answered_from_license_counts(
    previous: StageResult, status: Status, words: str
) -> None:
    manual = {"ai-ethics.license-conflicts": Answer(status=Status.YES, owner="陈晨")}
    item = _item({"licenses": previous}, "ai-ethics.license-conflicts", manual)
    assert (item.status, item.auto, item.owner) == (status, True, "陈晨")
    assert words in _en(item.justification)


@pytest.mark.parametrize(
    ("previous", "status", "words"),
    [
        (
            _dataset("de-identified", [{"check": "k_anonymity", "status": "pass"}]),
            Status.YES,
            "1 dataset",
        ),
        (_dataset("anonymised", []), Status.YES, "pass every check"),
        (
            _dataset(
                "de-identified",
                [{"check": "residual_identifiers", "column": "email", "status": "fail"}],
            ),
            Status.NO,
            "data/m.csv: level de-identified; failed residual_identifiers",
        ),
        (_dataset("identifiable", []), Status.NO, "level identifiable"),
    ],
)
def test_desensitised_item_is_answered_from_levels_and_checks(
    previous: StageResult, status: Status, words: str
) -> None:
    for item_id in ("ai-ethics.samples-desensitised", "pipl.deidentification"):
        item = _item({"desensitisation": previous}, item_id)
        assert (item.status, item.auto) == (status, True)
        assert words in _en(item.justification)


def test_sensitive_inventory_is_answered_from_pii_categories() -> None:
    item = _item({"pii": PII_SENSITIVE}, "pipl.sensitive-inventory")
    assert (item.status, item.auto) == (Status.YES, True)
    assert "health, identity_document" in _en(item.justification)
    clean = _item({"pii": PII_CLEAN}, "pipl.sensitive-inventory")
    assert "no sensitive PI category" in _en(clean.justification)


def test_without_the_scanner_the_manual_answer_stands() -> None:
    manual = {"pipl.sensitive-inventory": Answer(status=Status.NO)}
    item = _item({}, "pipl.sensitive-inventory", manual)
    assert (item.status, item.auto) == (Status.NO, False)
    silent = StageResult(stage="pii")
    assert _item({"pii": silent}, "pipl.sensitive-inventory", manual).auto is False


def test_sensitive_pi_found_makes_the_pia_required() -> None:
    quiet = _item({"pii": PII_CLEAN}, "pipl.pia")
    assert not quiet.blocking and quiet.triggered_by == ()
    item = _item({"pii": PII_SENSITIVE}, "pipl.pia")
    assert item.blocking and item.triggered_by == ("sensitive_pi",)
    dpia = _item({"pii": PII_SENSITIVE}, "gdpr.dpia")
    assert dpia.blocking and dpia.triggered_by == ("special_category",)


def test_config_can_declare_or_deny_sensitive_pi() -> None:
    declared = _item({}, "pipl.pia", context=ProductContext(sensitive_pi=True))
    assert declared.triggered_by == ("sensitive_pi",)
    denied = _item(
        {"pii": PII_SENSITIVE}, "pipl.sensitive-consent", context=ProductContext(sensitive_pi=False)
    )
    assert not denied.applicable and denied.status == Status.NA


def test_applicability_unknown_applies_false_does_not() -> None:
    assert _item({}, "pipl.transfer-mechanism").applicable
    item = _item({}, "pipl.transfer-mechanism", context=ProductContext(transfer_out_of_cn=False))
    assert not item.applicable and item.status == Status.NA
    assert "transfer_out_of_cn = false" in _en(item.justification)


def test_coverage_statuses() -> None:
    checklist = load_builtin("pipl")
    answers = {
        "pipl.notice": Answer(status=Status.YES),
        "pipl.rights-handling": Answer(status=Status.YES),
        "pipl.deletion": Answer(status=Status.PARTIAL, justification="backups"),
    }
    details = evaluate([checklist], answers, ProductContext(), {}, set())
    rows = {row.article: row for row in details.coverage["PIPL"]}
    assert rows["17"].status == "covered" and rows["17"].items == ("pipl.notice",)
    assert rows["44"].status == "covered"
    assert rows["47"].status == "partial"
    assert rows["55"].status == "open"
    articles = [row.article for row in details.coverage["PIPL"]]
    assert articles.index("5") < articles.index("13") < articles.index("55")
    summary = details.checklists[0]
    assert (summary.answered, summary.total) == (3, len(checklist.items()))

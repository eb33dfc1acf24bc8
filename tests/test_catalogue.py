"""Every fixed value the report shows has a label in both languages in the catalogue."""

from __future__ import annotations

from typing import get_args

import pytest

from review.checklists.model import Condition, Status
from review.core.config import Distribution, Language
from review.core.i18n import LABELS
from review.core.models import Acceptance, Decision, Severity
from review.scanners.licenses.knowledge import Category
from review.scanners.licenses.models import Obligation, Verdict
from review.scanners.pii.categories import ALL_CATEGORIES, ENTITY_SEVERITY
from review.scanners.pii.engine import NER_ENTITIES

CHECKS = (
    "masking_conformance",
    "pseudonym_quality",
    "quasi_identifier_risk",
    "raw_leakage",
    "residual_identifiers",
)
SOURCES = get_args(Acceptance.model_fields["source"].annotation)


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("entity", sorted({*ENTITY_SEVERITY, *NER_ENTITIES})),
        ("category", ALL_CATEGORIES),
        ("severity", [s.value for s in Severity]),
        ("decision", [d.value for d in Decision]),
        ("answer", [s.value for s in Status]),
        ("condition", [c.value for c in Condition]),
        ("lic.category", [c.value for c in Category]),
        ("lic.verdict", [v.value for v in Verdict]),
        ("lic.obligation", [o.value for o in Obligation]),
        ("lic.distribution", get_args(Distribution)),
        ("lang", get_args(Language)),
        ("des.check", CHECKS),
        ("accepted.source", SOURCES),
    ],
)
def test_every_value_has_a_label_in_both_languages(prefix: str, values: list[str]) -> None:
    missing = [v for v in values if f"{prefix}.{v}" not in LABELS]
    assert missing == []
    for value in values:
        text = LABELS[f"{prefix}.{value}"]
        assert text.en.strip() and text.zh.strip()
        assert text.en != text.zh or text.en.isupper()

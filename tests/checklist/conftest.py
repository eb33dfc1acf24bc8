"""Helpers for the checklist tests: hand-built stage results and answers files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from review.core.models import Attestation, Claim, StageResult, Text


def stating(stage: str, *attestations: Attestation) -> StageResult:
    """An earlier stage's result as the checklist sees it: its statements."""
    return StageResult(stage=stage, attestations=attestations)


def attest(
    claim: Claim, holds: str, en: str = "why", categories: tuple[str, ...] = ()
) -> Attestation:
    return Attestation.model_validate(
        {
            "claim": claim,
            "holds": holds,
            "justification": Text(en=en, zh=en),
            "categories": categories,
        }
    )


PII_SENSITIVE = stating(
    "pii",
    attest(
        Claim.SENSITIVE_PI_IDENTIFIED, "yes", "identified sensitive PI: health, identity_document"
    ),
    attest(Claim.SENSITIVE_PI, "yes", categories=("health", "identity_document")),
    attest(Claim.SPECIAL_CATEGORY, "yes", categories=("health",)),
)
PII_CLEAN = stating(
    "pii",
    attest(Claim.SENSITIVE_PI_IDENTIFIED, "yes", "found no sensitive PI category"),
    attest(Claim.SENSITIVE_PI, "no"),
    attest(Claim.SPECIAL_CATEGORY, "no"),
)


@pytest.fixture
def write_answers(tmp_path: Path) -> Any:
    """Write an answers mapping as YAML and return its path."""

    def write(answers: dict[str, Any], name: str = "answers.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"answers": answers}, allow_unicode=True), encoding="utf-8")
        return path

    return write

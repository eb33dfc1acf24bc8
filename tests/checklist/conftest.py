"""Helpers for the checklist tests: hand-built stage results and answers files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import JsonValue

from review.models import StageResult


def stage_result(stage: str, details: dict[str, JsonValue]) -> StageResult:
    """A StageResult as another stage would record it (see docs/stage-details.md)."""
    return StageResult(stage=stage, details=details)


PII_SENSITIVE = stage_result(
    "pii",
    {
        "files": [{"path": "data/users.csv", "kind": "table", "rows_scanned": 10}],
        "sensitive_categories": ["health", "identity_document"],
        "gdpr_special_categories": ["health"],
    },
)
PII_CLEAN = stage_result(
    "pii",
    {
        "files": [{"path": "data/users.csv"}],
        "sensitive_categories": [],
        "gdpr_special_categories": [],
    },
)


@pytest.fixture
def write_answers(tmp_path: Path) -> Any:
    """Write an answers mapping as YAML and return its path."""

    def write(answers: dict[str, Any], name: str = "answers.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"answers": answers}, allow_unicode=True), encoding="utf-8")
        return path

    return write

"""The review record (review.json): every stage's typed result, the gate and sign-offs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import ConfigDict, Field, JsonValue

from review.checklists.details import ChecklistResult
from review.core.documents import parse_json
from review.core.errors import InputError
from review.core.fsio import atomic_write, read_input
from review.core.models import (
    Finding,
    Frozen,
    GateDecision,
    InputFile,
    Metadata,
    Reviewer,
    SignOff,
    SkippedStage,
    StageResult,
)
from review.core.validation import validate_model
from review.scanners.desensitisation.details import DesensitisationResult
from review.scanners.licenses.details import LicensesResult
from review.scanners.pii.details import PiiResult

REVIEW_SCHEMA: Literal["review/2"] = "review/2"

AnyStageResult = Annotated[
    PiiResult | DesensitisationResult | LicensesResult | ChecklistResult,
    Field(discriminator="stage"),
]
"""Any stage's result, told apart by its ``stage`` name."""

R = TypeVar("R", bound=StageResult)


class Review(Frozen):
    """The whole review record: the content of review.json."""

    schema_: Literal["review/2"] = Field(
        default=REVIEW_SCHEMA, alias="schema", description="Document schema version."
    )
    metadata: Metadata = Field(description="What, when, with which tool.")
    manifest: tuple[InputFile, ...] = Field(description="Every input file with its SHA-256.")
    stages: tuple[AnyStageResult, ...] = Field(description="Results of the stages that ran.")
    skipped: tuple[SkippedStage, ...] = Field(
        default=(), description="Stages that did not run, and why."
    )
    gate: GateDecision = Field(description="Gate verdict and reasons.")
    reviewers: tuple[Reviewer, ...] = Field(default=(), description="Reviewers from config.")
    signoffs: tuple[SignOff, ...] = Field(default=(), description="Recorded sign-offs.")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def findings(self) -> list[Finding]:
        return [f for stage in self.stages for f in stage.findings]

    def result(self, kind: type[R]) -> R | None:
        """The result of the stage of type ``kind``, if that stage ran."""
        return next((s for s in self.stages if isinstance(s, kind)), None)

    def to_json(self) -> str:
        """Canonical JSON text: same review, same bytes."""
        return self.model_dump_json(by_alias=True, indent=2) + "\n"


def review_json_schema() -> dict[str, JsonValue]:
    """JSON Schema of review.json, generated from the models."""
    schema: dict[str, JsonValue] = Review.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"urn:review-pipeline:schema:{REVIEW_SCHEMA}"
    return schema


def save_review(review: Review, path: Path) -> None:
    """Write review.json atomically."""
    atomic_write(path, review.to_json())


def parse_review(raw: bytes, source: str | Path) -> Review:
    """Validate review.json bytes; errors name ``source`` and the key path."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(source, "not UTF-8 encoded") from None
    data = parse_json(text, source)
    if not isinstance(data, dict) or data.get("schema") != REVIEW_SCHEMA:
        raise InputError(source, f'not a review record (expected "schema": "{REVIEW_SCHEMA}")')
    return validate_model(Review, data, source)


def read_review(path: Path) -> tuple[Review, bytes]:
    """The review in ``path`` and the file's exact bytes (the report attaches them)."""
    raw = read_input(path, "review.json")
    return parse_review(raw, path), raw


def load_review(path: Path) -> Review:
    """Read and validate a review.json."""
    return read_review(path)[0]

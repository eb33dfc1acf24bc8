"""The review record (review.json): every stage's typed result, the gate and sign-offs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import ConfigDict, Field, JsonValue, computed_field, model_validator

from review.checklists.details import ChecklistResult
from review.core.documents import parse_json
from review.core.errors import InputError
from review.core.fsio import atomic_write, read_input
from review.core.models import (
    Acceptance,
    Finding,
    Frozen,
    GateDecision,
    InputFile,
    Metadata,
    Reviewer,
    Severity,
    SignOff,
    SkippedStage,
    StageResult,
    Text,
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


class AcceptedItem(Frozen):
    """One entry of the register of accepted risks: what was accepted, by whom, until when."""

    stage: str = Field(description="Stage that found it ('gate' for a gate rule).")
    rule: str = Field(description="Rule id of the finding or gate reason.")
    severity: Severity | None = Field(description="Severity of an accepted finding.")
    what: Text = Field(description="What was accepted.")
    where: str = Field(description="Where (no raw values).")
    acceptance: Acceptance = Field(description="Source, justification, owner, expiry.")


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

    @model_validator(mode="before")
    @classmethod
    def _drop_register(cls, data: object) -> object:
        # review.json carries the register for readers; it is always rebuilt from the stages.
        if isinstance(data, dict) and "accepted_register" in data:
            return {k: v for k, v in data.items() if k != "accepted_register"}
        return data

    @computed_field(  # type: ignore[prop-decorator]
        description="Register of accepted risks: every finding and gate reason accepted by "
        "a baseline, an ignore rule, a waiver or a reviewer's risk acceptance (expired "
        "acceptances included: they count again)."
    )
    @property
    def accepted_register(self) -> tuple[AcceptedItem, ...]:
        items = [
            AcceptedItem(
                stage=f.stage,
                rule=f.rule_id,
                severity=f.severity,
                what=f.title,
                where=f.location.describe() if f.location else "",
                acceptance=f.acceptance,
            )
            for f in self.findings()
            if f.acceptance is not None
        ]
        items += [
            AcceptedItem(
                stage=stage.stage,
                rule=r.rule,
                severity=None,
                what=r.message,
                where="",
                acceptance=r.acceptance,
            )
            for stage in self.stages
            for r in stage.gate_reasons
            if r.acceptance is not None
        ]
        return tuple(items)

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

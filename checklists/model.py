"""The checklist and answers-file models: bilingual items, references, criteria, answers."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from review.core.i18n import label
from review.core.models import Frozen, Reference, Text

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Condition(StrEnum):
    """A fact about the product that decides whether (or how strictly) an item applies."""

    GENERATIVE_AI = "generative_ai"
    PUBLIC_OPINION = "public_opinion"
    TRANSFER_OUT_OF_CN = "transfer_out_of_cn"
    TRANSFER_OUT_OF_EU = "transfer_out_of_eu"
    EU_DATA_SUBJECTS = "eu_data_subjects"
    SENSITIVE_PI = "sensitive_pi"
    SPECIAL_CATEGORY = "special_category"
    AUTOMATED_DECISIONS = "automated_decisions"
    MINORS = "minors"
    HIGH_RISK_AI = "high_risk_ai"
    ENTRUSTED_PROCESSING = "entrusted_processing"
    LARGE_SCALE = "large_scale"


class AutoSource(StrEnum):
    """Scanner results that can answer an item without a person."""

    LICENSES_NO_CONFLICT = "licenses_no_conflict"
    SAMPLES_DESENSITISED = "samples_desensitised"
    SENSITIVE_PI_IDENTIFIED = "sensitive_pi_identified"


class Comparator(StrEnum):
    """How a measured value is compared with a criterion's threshold."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="

    def holds(self, value: float, threshold: float) -> bool:
        return _COMPARE[self](value, threshold)


_COMPARE: dict[Comparator, Callable[[float, float], bool]] = {
    Comparator.GE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LE: operator.le,
    Comparator.LT: operator.lt,
    Comparator.EQ: operator.eq,
}


class Criterion(Frozen):
    """A measurable criterion: the team records ``metric``; it must satisfy the threshold."""

    metric: Slug = Field(description="Name of the measured value in the answers file.")
    comparator: Comparator = Field(description=">=, >, <=, < or ==.")
    threshold: float = Field(
        allow_inf_nan=False, description="The bound the measured value is compared with."
    )
    unit: str = Field(default="", description="Unit of value and threshold, e.g. '%', 'days'.")
    description: Text = Field(description="What is measured and how.")

    def label(self) -> str:
        return f"{self.metric} {self.comparator.value} {self.threshold:g}{self.unit}"


class Item(Frozen):
    """One checklist question with its references and rules."""

    id: Slug = Field(description="Item id, unique within the checklist.")
    title: Text = Field(description="Short title.")
    question: Text = Field(description="The question the team answers yes / no / partial / n/a.")
    guidance: Text = Field(
        description="What a good answer looks like and what to keep as evidence."
    )
    references: tuple[Reference, ...] = Field(
        default=(), description="Regulation articles or standard clauses the item implements."
    )
    blocking: bool = Field(default=False, description="A 'no' or missing answer fails the gate.")
    evidence_required: bool = Field(
        default=False, description="A 'yes' needs at least one evidence file or URL."
    )
    applies_when: tuple[Condition, ...] = Field(
        default=(), description="All must hold (or be unknown) for the item to apply."
    )
    blocking_when: tuple[Condition, ...] = Field(
        default=(),
        description="Regulatory triggers: when any holds, the item is required ('yes' only).",
    )
    auto: AutoSource | None = Field(
        default=None, description="Scanner result that answers this item automatically."
    )
    criteria: tuple[Criterion, ...] = Field(default=(), description="Measurable criteria.")

    @field_validator("criteria")
    @classmethod
    def _unique_metrics(cls, value: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        metrics = [c.metric for c in value]
        if len(set(metrics)) != len(metrics):
            raise ValueError("duplicate metric in criteria")
        return value


class Section(Frozen):
    """A group of items."""

    id: Slug = Field(description="Section id, unique within the checklist.")
    title: Text = Field(description="Section title.")
    items: tuple[Item, ...] = Field(min_length=1, description="The section's items.")


class Checklist(Frozen):
    """A bilingual checklist: sections of items with stable ids."""

    id: Slug = Field(description="Checklist id, e.g. 'pipl'.")
    version: str = Field(description="Version of the checklist text.")
    title: Text = Field(description="Checklist title.")
    description: Text = Field(description="What the checklist is for and when to use it.")
    sections: tuple[Section, ...] = Field(min_length=1, description="Sections in order.")

    @model_validator(mode="after")
    def _unique_ids(self) -> Checklist:
        seen: set[str] = set()
        for where, ids in (
            ("sections", [s.id for s in self.sections]),
            ("items", [i.id for s in self.sections for i in s.items]),
        ):
            for ident in ids:
                if ident in seen:
                    raise ValueError(f"duplicate id '{ident}' in {where}")
                seen.add(ident)
            seen = set()
        return self

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    def item_ids(self) -> list[str]:
        """Global item ids: ``<checklist>.<item>``."""
        return [f"{self.id}.{item.id}" for _, item in self.items()]


class Status(StrEnum):
    """An answer's status."""

    YES = "yes"
    NO = "no"
    PARTIAL = "partial"
    NA = "n/a"
    UNANSWERED = "unanswered"


class Risk(Frozen):
    """Residual risk on a 5 x 5 grid, optionally accepted by a named reviewer."""

    likelihood: int = Field(ge=1, le=5, description="1 (rare) .. 5 (almost certain).")
    impact: int = Field(ge=1, le=5, description="1 (negligible) .. 5 (severe).")
    accepted_by: str | None = Field(
        default=None, min_length=1, description="Reviewer (from config) who accepts this risk."
    )
    accepted_on: dt.date | None = Field(default=None, description="Date of the acceptance.")
    expires: dt.date | None = Field(
        default=None, description="Last day the acceptance holds; after it the risk counts again."
    )

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


LocalText = Annotated[str, Field(min_length=1)] | Text

Percentage = Annotated[str, Field(pattern=r"^\s*-?\d+(\.\d+)?\s*%\s*$")]
"""A measured value written with a percent sign ('85%')."""

# The words an answer's status may be written with, English and Chinese.
STATUS_WORDS = {
    "yes": "yes",
    "是": "yes",
    "no": "no",
    "否": "no",
    "partial": "partial",
    "partly": "partial",
    "部分": "partial",
    "n/a": "n/a",
    "na": "n/a",
    "不适用": "n/a",
    "unanswered": "unanswered",
    "未回答": "unanswered",
}


class Answer(Frozen):
    """The team's answer to one item."""

    status: Status = Field(description="yes | no | partial | n/a | unanswered.")
    justification: LocalText | None = Field(
        default=None, description="Why (required for n/a and partial); text or {en, zh}."
    )
    evidence: tuple[Annotated[str, Field(min_length=1)], ...] = Field(
        default=(), description="Evidence: paths relative to the answers file, or URLs."
    )
    owner: str | None = Field(default=None, min_length=1, description="Responsible person.")
    due: dt.date | None = Field(default=None, description="Due date for open work.")
    risk: Risk | None = Field(default=None, description="Residual risk.")
    remediation: LocalText | None = Field(default=None, description="Planned remediation.")
    measured: dict[Slug, Annotated[float, Field(allow_inf_nan=False)] | Percentage] = Field(
        default_factory=dict,
        description="Measured values (finite) for the item's criteria, in the criterion's "
        "unit; a percentage also as '85%' or as a fraction (0.85).",
    )

    @field_validator("status", mode="before")
    @classmethod
    def _status_words(cls, value: object) -> object:
        # YAML 1.1 reads a bare yes/no as a boolean; accept what the user meant, and the
        # template's own bilingual words ('yes 是', '是', '不适用').
        if value is True:
            return "yes"
        if value is False:
            return "no"
        if isinstance(value, str):
            tokens = re.split(r"[\s|]+", value.strip())
            words = [p for t in tokens for p in ([t] if t.lower() == "n/a" else t.split("/"))]
            meant = {STATUS_WORDS.get(w.lower()) for w in words if w} - {None}
            if len(meant) == 1:
                return meant.pop()
        return value


def measured_value(value: float | str, unit: str, threshold: float) -> float:
    """A measured value in the criterion's unit: '85%' is 85; for a percentage criterion
    (threshold above 1) a fraction such as 0.85 is read as 85."""
    if isinstance(value, str):
        return float(value.strip().rstrip("%").strip())
    if unit == "%" and 0 <= value <= 1 and threshold > 1:
        return value * 100
    return float(value)


class AnswersFile(Frozen):
    """A project's answers file."""

    answers: dict[str, Answer] = Field(
        default_factory=dict, description="Answers keyed by item id '<checklist>.<item>'."
    )


def is_url(value: str) -> bool:
    """Evidence given as a URL rather than a file."""
    return value.startswith(("http://", "https://"))


def condition_text(condition: str) -> Text:
    """A readable name of an applicability condition."""
    return label(f"condition.{Condition(condition).value}")

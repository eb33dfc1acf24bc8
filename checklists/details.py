"""The checklist stage's result in review.json: every item as evaluated, and coverage."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field

from review.checklists.model import Status
from review.core.models import Frozen, StageResult, Text

CoverageStatus = Literal["covered", "partial", "open"]


class CriterionResult(Frozen):
    """A measurable criterion and the value the team recorded."""

    metric: str = Field(description="Metric name.")
    comparator: str = Field(description=">=, >, <=, < or ==.")
    threshold: float = Field(description="Bound.")
    unit: str = Field(description="Unit.")
    value: float | None = Field(description="Recorded value; null when not measured.")
    met: bool | None = Field(description="Whether the value satisfies the bound; null if none.")


class RiskResult(Frozen):
    """Residual risk of an item and whether a configured reviewer accepted it."""

    likelihood: int = Field(description="1..5.")
    impact: int = Field(description="1..5.")
    score: int = Field(description="likelihood x impact.")
    accepted_by: str | None = Field(description="Who accepted it, as written in the answers.")
    accepted: bool = Field(description="accepted_by names a reviewer from the config.")
    accepted_on: dt.date | None = Field(default=None, description="Date of the acceptance.")
    expires: dt.date | None = Field(default=None, description="Last day the acceptance holds.")
    expired: bool = Field(default=False, description="Past its expiry: the risk counts again.")


class ItemResult(Frozen):
    """One item with its answer, as evaluated."""

    id: str = Field(description="'<checklist>.<item>'.")
    checklist: str = Field(description="Checklist id.")
    section: str = Field(description="Section id.")
    title: Text = Field(description="Item title.")
    question: Text = Field(description="Item question.")
    status: Status = Field(description="yes | no | partial | n/a | unanswered.")
    auto: bool = Field(description="Answered from a scanner result.")
    blocking: bool = Field(description="Blocking, by definition or by a regulatory trigger.")
    applicable: bool = Field(description="Whether the item applies to this product.")
    triggered_by: tuple[str, ...] = Field(description="Conditions that made the item required.")
    evidence_required: bool = Field(description="A 'yes' needs evidence.")
    owner: str | None = Field(description="Responsible person.")
    due: str | None = Field(description="ISO due date.")
    evidence: tuple[str, ...] = Field(description="Evidence files (relative to answers) / URLs.")
    justification: str | Text | None = Field(
        description="Justification: as written, or {en, zh} when given in both languages."
    )
    remediation: str | Text | None = Field(
        description="Planned remediation: as written, or {en, zh}."
    )
    risk: RiskResult | None = Field(description="Residual risk.")
    references: tuple[str, ...] = Field(description="e.g. 'PIPL Art. 55'.")
    criteria: tuple[CriterionResult, ...] = Field(description="Measurable criteria.")


class ChecklistSummary(Frozen):
    """Per checklist: how much is answered."""

    id: str = Field(description="Checklist id.")
    title: Text = Field(description="Checklist title.")
    answered: int = Field(description="Items not 'unanswered'.")
    total: int = Field(description="All items.")


class CoverageRow(Frozen):
    """One article of one framework: the items implementing it and how far they are."""

    article: str = Field(description="Article or clause.")
    items: tuple[str, ...] = Field(description="Item ids.")
    status: CoverageStatus = Field(description="covered | partial | open.")


class ContextValue(Frozen):
    """A product-context fact, and where its value came from."""

    value: bool | None = Field(description="true / false / null (unknown).")
    source: Literal["config", "pii", "unknown"] = Field(description="Where the value came from.")
    categories: tuple[str, ...] = Field(default=(), description="Categories seen by the pii scan.")


class ChecklistDetails(Frozen):
    """Everything the checklist stage records."""

    checklists: tuple[ChecklistSummary, ...] = Field(description="Per checklist.")
    items: tuple[ItemResult, ...] = Field(description="Every item, in checklist order.")
    coverage: dict[str, tuple[CoverageRow, ...]] = Field(description="Framework -> articles.")
    context: dict[str, ContextValue] = Field(description="Product context as evaluated.")


class ChecklistResult(StageResult):
    """The checklist stage's result."""

    stage: Literal["checklist"] = "checklist"
    details: ChecklistDetails = Field(description="Items, answers and coverage.")


def article_key(article: str) -> tuple[tuple[int, str], ...]:
    """Natural order: 5 < 9 < 13 < 35(3) < 35(4); 5.1 < 5.10."""
    return tuple(
        (int(part), "") if part.isdigit() else (0, part) for part in re.findall(r"\d+|\D+", article)
    )


_MARK = {"covered": "✓", "partial": "~", "open": "✗"}


def coverage_lines(details: ChecklistDetails, lang: str) -> list[str]:
    """The coverage matrix, one line per framework: articles with a status mark."""
    head = {"en": "coverage", "zh": "法规覆盖"}.get(lang, "法规覆盖 / coverage")
    lines = [f"  {head} (✓ covered/已覆盖, ~ partial/部分, ✗ open/未覆盖, - n/a/不适用):"]
    applicable = {item.id for item in details.items if item.applicable}
    for framework in sorted(details.coverage):
        rows = details.coverage[framework]
        cells = " ".join(
            row.article + (_MARK[row.status] if applicable & set(row.items) else "-")
            for row in rows
        )
        done = sum(row.status == "covered" for row in rows)
        lines.append(f"    {framework} [{done}/{len(rows)}]: {cells}")
    return lines

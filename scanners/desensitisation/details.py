"""The ``desensitisation`` stage's result in review.json: figures per dataset, no values."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from review.core.models import Frozen, StageResult

Level = Literal["identifiable", "de-identified", "anonymised"]


class CheckRecord(Frozen):
    """One check on one column (or on the whole dataset)."""

    check: str = Field(description="Check name, e.g. 'residual_identifiers'.")
    column: str | None = Field(description="Column checked; null for the whole dataset.")
    status: Literal["pass", "fail"] = Field(description="pass | fail.")
    count: int = Field(description="Values or records behind the worst issue.")
    rules: tuple[str, ...] = Field(description="Finding rule ids behind a failure.")


class RiskModelRecord(Frozen):
    """Record-level re-identification risk under one attacker model."""

    highest: float = Field(description="Highest record risk.")
    average: float = Field(description="Average record risk.")
    records_at_risk: float = Field(description="Share of records above the risk threshold.")


class MarketerRecord(Frozen):
    """The marketer model: the expected share of records re-identified."""

    average: float = Field(description="Average record risk.")


class DatasetRecord(Frozen):
    """One verified dataset."""

    masked: str = Field(description="The desensitised file.")
    raw: str | None = Field(description="The raw original, when compared.")
    rows: int = Field(description="Data rows of the masked file.")
    level: Level = Field(description="identifiable | de-identified | anonymised.")
    quasi_identifiers: tuple[str, ...] = Field(description="Columns declared quasi.")
    sensitive: tuple[str, ...] = Field(description="Columns declared sensitive.")
    checks: tuple[CheckRecord, ...] = Field(description="Every check run.")
    linkage_rate: float | None = Field(
        description="Share of raw records re-linked on the quasi-identifiers; null untested."
    )
    classes: int | None = Field(default=None, description="Equivalence classes.")
    k: int | None = Field(default=None, description="Smallest equivalence class.")
    l_distinct: int | None = Field(default=None, description="Distinct l-diversity.")
    l_entropy: float | None = Field(default=None, description="Entropy l-diversity.")
    t: float | None = Field(default=None, description="t-closeness (largest distance).")
    unique_share: float | None = Field(
        default=None, description="Share of records unique on the quasi-identifiers."
    )
    prosecutor: RiskModelRecord | None = Field(default=None, description="Prosecutor risk.")
    journalist: RiskModelRecord | None = Field(default=None, description="Journalist risk.")
    marketer: MarketerRecord | None = Field(default=None, description="Marketer risk.")


class DesensitisationDetails(Frozen):
    """Every dataset the stage verified."""

    datasets: tuple[DatasetRecord, ...] = Field(description="In config order.")


class DesensitisationResult(StageResult):
    """The desensitisation stage's result."""

    stage: Literal["desensitisation"] = "desensitisation"
    details: DesensitisationDetails = Field(description="Figures per dataset.")

"""The ``desensitisation`` stage's result in review.json: figures per dataset, no values."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from review.core.models import Frozen, StageResult, Text

Level = Literal["identifiable", "de-identified", "anonymised", "risk-measured"]
"""risk-measured: the Spark engine measured re-identification risk but did not check the
values (residual identifiers, masks, leaks, tokens), so neither of the last two is shown."""


class CheckRecord(Frozen):
    """One check on one column (or on the whole dataset)."""

    check: str = Field(description="Check name, e.g. 'residual_identifiers'.")
    column: str | None = Field(description="Column checked; null for the whole dataset.")
    status: Literal["pass", "fail"] = Field(description="pass | fail.")
    count: int = Field(description="Values or records behind the worst issue.")
    rules: tuple[str, ...] = Field(description="Finding rule ids behind a failure.")
    attack: str | None = Field(
        default=None, description="Token columns: the attack that reversed them, if any."
    )
    attacks: tuple[str, ...] | None = Field(
        default=None, description="Token columns nothing reversed: the attacks tried."
    )
    candidates: int | None = Field(
        default=None, description="Candidate values hashed by the salt search or enumeration."
    )
    recovered: int | None = Field(default=None, description="Token columns: values recovered.")
    attempted: int | None = Field(default=None, description="Token columns: values attacked.")
    share: float | None = Field(default=None, description="Share of values recovered.")


class RiskModelRecord(Frozen):
    """Record-level re-identification risk under one attacker model."""

    highest: float = Field(description="Highest record risk.")
    average: float = Field(description="Average record risk.")
    records_at_risk: float = Field(description="Share of records above the risk threshold.")


class MarketerRecord(Frozen):
    """The marketer model: the expected share of records re-identified."""

    average: float = Field(description="Average record risk.")


class AttributeRecord(Frozen):
    """l-diversity and t-closeness of one sensitive attribute."""

    column: str = Field(description="The sensitive attribute.")
    distance: Literal["equal", "ordered", "hierarchical"] = Field(
        description="Ground distance of t-closeness (Li et al. 2007)."
    )
    l_distinct: int = Field(description="Distinct l-diversity.")
    l_entropy: float = Field(description="Entropy l-diversity.")
    t: float = Field(description="t-closeness (largest distance of a group).")


class AnonymisationRecord(Frozen):
    """What apply's lattice search chose and what it cost."""

    levels: dict[str, int] = Field(description="Hierarchy level chosen per quasi-identifier.")
    suppressed: int = Field(description="Records suppressed ('*' in every quasi-identifier).")
    suppression_rate: float = Field(description="Share of records suppressed.")
    ncp: float = Field(description="Normalised certainty penalty (0 none .. 1 all lost).")
    discernibility: float = Field(description="Discernibility metric (sum of squared groups).")
    nodes: int = Field(description="Level combinations in the lattice.")
    feasible: int = Field(description="Combinations that met the targets.")


class DatasetRecord(Frozen):
    """One verified dataset."""

    masked: str = Field(description="The desensitised file.")
    raw: str | None = Field(description="The raw original, when compared.")
    rows: int = Field(description="Data rows of the masked file.")
    level: Level = Field(
        description="identifiable | de-identified | anonymised | risk-measured (Spark engine: "
        "risk measured, values not checked)."
    )
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
    suppressed: int | None = Field(
        default=None, description="Records with '*' in every quasi-identifier (left out)."
    )
    suppression_rate: float | None = Field(default=None, description="Share suppressed.")
    c_needed: float | None = Field(
        default=None, description="Smallest c for recursive (c, l)-diversity at the l given."
    )
    population: int | None = Field(default=None, description="Population size, when given.")
    population_uniqueness: float | None = Field(
        default=None, description="Estimated share of population-unique records (Zayatz)."
    )
    attributes: tuple[AttributeRecord, ...] = Field(
        default=(), description="Each sensitive attribute's l and t."
    )
    summary: tuple[Text, ...] = Field(
        default=(), description="The re-identification risk in plain words, headline first."
    )
    anonymisation: AnonymisationRecord | None = Field(
        default=None, description="apply only: what the lattice search chose and its cost."
    )


class DesensitisationDetails(Frozen):
    """Every dataset the stage verified."""

    datasets: tuple[DatasetRecord, ...] = Field(description="In config order.")


class DesensitisationResult(StageResult):
    """The desensitisation stage's result."""

    stage: Literal["desensitisation"] = "desensitisation"
    details: DesensitisationDetails = Field(description="Figures per dataset.")

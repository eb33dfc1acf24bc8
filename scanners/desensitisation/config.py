"""The ``[desensitisation]`` section of the config."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from review.core.config import Engine, ExistingPath, ProjectPath, Section
from review.core.masking import MaskShape, ShapeError
from review.scanners.desensitisation.generalise import RuleError, parse_rule
from review.scanners.desensitisation.hierarchy import HierarchyError, builtin, is_file_reference

ColumnAction = Literal[
    "drop", "mask", "hash", "pseudonymise", "generalise", "suppress", "redact", "keep"
]
Replacement = Literal["type", "mask", "pseudonym"]
ColumnRole = Literal["direct", "quasi", "sensitive", "other"]


class ColumnPolicy(Section):
    """How one column of a dataset must be treated."""

    action: ColumnAction = Field(description="Treatment the masked file must show.")
    role: ColumnRole = Field(
        default="other",
        description="direct identifier | quasi-identifier | sensitive attribute | other.",
    )
    shape: str | None = Field(
        default=None,
        description="Mask shape for 'mask': HEAD*TAIL visible characters, e.g. '3*4', '1*'; "
        "a trailing '@' masks an e-mail's local part and keeps the domain ('1*@').",
    )
    rule: str | None = Field(
        default=None,
        description="Generalisation rule for 'generalise': age-band:N, date-month, date-year, "
        "address-city, prefix:N.",
    )
    entity: str | None = Field(
        default=None,
        description="PII entity type the column holds (e.g. CN_MOBILE_PHONE); "
        "found by a PII scan of the raw file when omitted.",
    )
    hierarchy: str | None = Field(
        default=None,
        description="Generalisation hierarchy: built in (age, interval:5,10,20, date, "
        "cn-division, postcode, suppress) or an ARX-style CSV file (leaf;level 1;...;*). "
        "With 'generalise', apply searches the level that meets the thresholds with the "
        "least information loss; on a sensitive attribute it gives t-closeness its "
        "hierarchical distance.",
    )
    order: list[str] | None = Field(
        default=None,
        description="Values of an ordinal sensitive attribute, lowest first: t-closeness "
        "then uses the ordered distance (numeric attributes get it without this).",
    )
    replace: Replacement | None = Field(
        default=None,
        description="For 'redact' (free text): replace each personal-data entity found with "
        "its type ('type', the default: <PERSON>), a mask ('mask': 138****5678) or a keyed "
        "typed pseudonym ('pseudonym': <PERSON_1a2b3c4d>).",
    )

    @field_validator("hierarchy")
    @classmethod
    def _resolve_hierarchy(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if not is_file_reference(value):
            try:
                builtin(value)
            except HierarchyError as exc:
                raise ValueError(str(exc)) from None
            return value
        base = info.context.get("base_dir") if isinstance(info.context, dict) else None
        path = Path(value) if Path(value).is_absolute() or base is None else Path(base) / value
        if not path.exists():
            raise PydanticCustomError("no_such_file", "no such file")
        return str(path)

    @model_validator(mode="after")
    def _check_treatment(self) -> ColumnPolicy:
        if self.action == "mask":
            if self.shape is None:
                raise ValueError("action 'mask' needs a shape, e.g. '3*4'")
            try:
                MaskShape.parse(self.shape)
            except ShapeError as exc:
                raise ValueError(str(exc)) from None
        elif self.shape is not None:
            raise ValueError("shape applies only to action 'mask'")
        if self.action == "generalise":
            if (self.rule is None) == (self.hierarchy is None):
                raise ValueError(
                    "action 'generalise' needs either a rule ('age-band:10') or a hierarchy ('age')"
                )
            if self.rule is not None:
                try:
                    parse_rule(self.rule)
                except RuleError as exc:
                    raise ValueError(str(exc)) from None
        elif self.rule is not None:
            raise ValueError("rule applies only to action 'generalise'")
        elif self.hierarchy is not None and self.role != "sensitive":
            raise ValueError("hierarchy applies to action 'generalise' or a sensitive attribute")
        if self.order is not None and self.role != "sensitive":
            raise ValueError("order applies only to a sensitive attribute")
        if self.replace is not None and self.action != "redact":
            raise ValueError("replace applies only to action 'redact'")
        return self


class Thresholds(Section):
    """Re-identification thresholds."""

    k: int = Field(default=5, ge=1, description="Minimum equivalence-class size.")
    l: int = Field(default=2, ge=1, description="Minimum distinct sensitive values per class.")  # noqa: E741
    t: float = Field(default=0.5, gt=0, le=1, description="Maximum t-closeness distance.")
    max_risk: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Maximum re-identification (prosecutor) risk per record; 1/k when omitted.",
    )
    l_entropy: float | None = Field(
        default=None, ge=1, description="Minimum entropy l-diversity (gated when set)."
    )
    c: float | None = Field(
        default=None,
        gt=0,
        description="Recursive (c, l)-diversity: in every class the most frequent sensitive "
        "value occurs fewer than c times the values from the l-th on (gated when set).",
    )
    max_suppression: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Share of records 'apply' may suppress ('*' in every quasi-identifier).",
    )

    @property
    def risk_limit(self) -> float:
        """The highest acceptable record risk: max_risk, or what k implies."""
        return self.max_risk if self.max_risk is not None else 1.0 / self.k


class DatasetConfig(Section):
    """A desensitised dataset, optionally with its raw original."""

    masked: ProjectPath = Field(
        description="The desensitised file (need not exist before 'review desensitise apply')."
    )
    raw: ExistingPath | None = Field(default=None, description="The raw original, if at hand.")
    key: str | None = Field(
        default=None, description="Column matching raw and masked rows (default: row order)."
    )
    columns: dict[str, ColumnPolicy] = Field(
        default_factory=dict, description="Policy per column name."
    )
    thresholds: Thresholds = Field(default_factory=Thresholds)
    masked_source: str | None = Field(
        default=None,
        description="Spark engine: read the masked data from this Spark source instead of "
        "masked (a catalog table such as table:lake.users_masked, or a Spark path such as "
        "s3a://bucket/users_masked/); masked then only names the dataset.",
    )
    raw_source: str | None = Field(
        default=None,
        description="Spark engine: read the raw original from this Spark source instead of raw.",
    )
    population: int | None = Field(
        default=None,
        ge=1,
        description="Size of the population the records were drawn from: journalist and "
        "marketer risk and population uniqueness (Zayatz) then use it.",
    )
    sampling_fraction: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Share of the population the records are (instead of 'population').",
    )

    @model_validator(mode="after")
    def _one_population(self) -> DatasetConfig:
        if self.population is not None and self.sampling_fraction is not None:
            raise ValueError("give population or sampling_fraction, not both")
        return self


class DesensitisationConfig(Section):
    """Verification of desensitised (脱敏) datasets."""

    enabled: bool = True
    engine: Engine = Field(
        default="local",
        description="local: check in this process; spark: measure the re-identification "
        "risk on Apache Spark ([spark] settings).",
    )
    datasets: list[DatasetConfig] = Field(default_factory=list)
    attack_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Time budget, per token column, of the attacks that try to reverse it "
        "(salt search, enumerating phone numbers or ID numbers).",
    )

"""The ``[desensitisation]`` section of the config."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from review.core.config import ExistingPath, ProjectPath, Section
from review.core.masking import MaskShape, ShapeError
from review.scanners.desensitisation.generalise import RuleError, parse_rule

ColumnAction = Literal["drop", "mask", "hash", "pseudonymise", "generalise", "suppress", "keep"]
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
            if self.rule is None:
                raise ValueError("action 'generalise' needs a rule, e.g. 'age-band:10'")
            try:
                parse_rule(self.rule)
            except RuleError as exc:
                raise ValueError(str(exc)) from None
        elif self.rule is not None:
            raise ValueError("rule applies only to action 'generalise'")
        return self


class Thresholds(Section):
    """Re-identification thresholds."""

    k: int = Field(default=5, ge=1, description="Minimum equivalence-class size.")
    l: int = Field(default=2, ge=1, description="Minimum distinct sensitive values per class.")  # noqa: E741
    t: float = Field(default=0.5, gt=0, le=1, description="Maximum t-closeness distance.")
    max_risk: float = Field(
        default=0.2, gt=0, le=1, description="Maximum re-identification risk per record."
    )


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


class DesensitisationConfig(Section):
    """Verification of desensitised (脱敏) datasets."""

    enabled: bool = True
    datasets: list[DatasetConfig] = Field(default_factory=list)

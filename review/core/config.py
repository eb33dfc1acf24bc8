"""Config building blocks every layer shares: sections, project paths, project and gate.

Each stage owns its own section model; the application (``review.config``) assembles
them into the whole configuration and loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from review.core.models import Severity

Distribution = Literal["internal", "saas", "distributed", "embedded"]
Language = Literal["en", "zh", "bilingual"]


def _resolve_existing(value: Path, info: ValidationInfo) -> Path:
    base = info.context.get("base_dir") if isinstance(info.context, dict) else None
    path = value if value.is_absolute() or base is None else Path(base) / value
    if not path.exists():
        raise PydanticCustomError("no_such_file", "no such file")
    return path


def _resolve(value: Path, info: ValidationInfo) -> Path:
    base = info.context.get("base_dir") if isinstance(info.context, dict) else None
    return value if value.is_absolute() or base is None else Path(base) / value


ExistingPath = Annotated[Path, AfterValidator(_resolve_existing)]
"""A path that must exist, resolved against the config file's directory."""

ProjectPath = Annotated[Path, AfterValidator(_resolve)]
"""A path (need not exist yet) resolved against the config file's directory."""


class Section(BaseModel):
    """Base of every config section: frozen, unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectConfig(Section):
    """The project under review."""

    name: str | None = Field(default=None, description="Project name (default: directory).")
    version: str | None = Field(default=None, description="Project version.")
    description: str | None = Field(default=None, description="What the product does.")
    license: str | None = Field(
        default=None, description="The project's own (outbound) license as an SPDX expression."
    )
    distribution: Distribution = Field(
        default="internal",
        description="internal | saas | distributed | embedded (see the design card).",
    )


class GateConfig(Section):
    """Gate policy."""

    fail_on: Severity = Field(
        default=Severity.HIGH, description="Findings at or above this severity fail the gate."
    )
    blocking_rules: list[str] = Field(
        default_factory=list,
        description="Rule ids whose findings fail the gate whatever their severity.",
    )
    risk_appetite: int = Field(
        default=9,
        ge=1,
        le=25,
        description="Highest acceptable residual risk (likelihood x impact on a 5x5 grid).",
    )


Engine = Literal["local", "spark"]
"""Where a scan runs: in this process, or on Apache Spark (``[spark]``)."""


class SampleConfig(Section):
    """A row sample for the Spark engine; the sample taken is stated in every output."""

    fraction: float | None = Field(
        default=None, gt=0, le=1, description="Scan a random share of the rows (0 < f <= 1)."
    )
    rows_per_partition: int | None = Field(
        default=None, ge=1, description="Scan the first N rows of each Spark partition."
    )
    seed: int = Field(default=0, description="Seed of the random sample (fraction).")

    @model_validator(mode="after")
    def _one_kind(self) -> SampleConfig:
        if (self.fraction is None) == (self.rows_per_partition is None):
            raise PydanticCustomError("sample", "give either fraction or rows_per_partition")
        return self

    def describe(self) -> str:
        """The sample in words, as outputs state it."""
        if self.fraction is not None:
            return f"random {self.fraction:g} of the rows (seed {self.seed})"
        return f"first {self.rows_per_partition} rows of each partition"


def _conf_text(value: object) -> str:
    # Spark reads every setting as a string; TOML booleans are spelt as Spark spells them.
    return str(value).lower() if isinstance(value, bool) else str(value)


SparkValue = Annotated[str, BeforeValidator(_conf_text)]
"""A Spark setting: TOML numbers and booleans are read as the strings Spark expects."""


class SparkConfig(Section):
    """How the Spark engine gets its session and reads data-lake sources."""

    master: str | None = Field(
        default=None,
        description="Spark master URL (local[*], yarn, k8s://..., spark://...); default "
        "local[*], or what spark-submit was given when run under it.",
    )
    app_name: str = Field(default="review-pipeline", description="Spark application name.")
    conf: dict[str, SparkValue] = Field(
        default_factory=dict,
        description='Extra Spark settings, e.g. spark.executor.memory = "8g".',
    )
    options: dict[str, SparkValue] = Field(
        default_factory=dict,
        description="Reader options for file sources (e.g. sep, encoding, multiLine).",
    )
    sample: SampleConfig | None = Field(
        default=None, description="Scan a sample of the rows instead of all of them."
    )

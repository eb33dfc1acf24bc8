"""Config building blocks every layer shares: sections, project paths, project and gate.

Each stage owns its own section model; the application (``review.config``) assembles
them into the whole configuration and loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
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

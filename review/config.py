"""Project configuration: ``review.toml``, or ``[tool.review]`` in ``pyproject.toml``.

Paths in the config are relative to the file that holds them; they are resolved and
checked while validating, so a missing file is reported as ``review.toml: pii.paths[2]:
no such file`` before any stage runs.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from review.errors import ConfigError
from review.models import Reviewer, Severity

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


class PiiConfig(Section):
    """The PII scan of sample data."""

    enabled: bool = True
    paths: list[ExistingPath] = Field(
        default_factory=list, description="Sample-data files or directories to scan."
    )
    include: list[str] = Field(default_factory=list, description="Glob patterns to include.")
    exclude: list[str] = Field(default_factory=list, description="Glob patterns to exclude.")
    entities: list[str] | None = Field(
        default=None, description="Entity types to look for (default: all)."
    )
    nlp_model: str | None = Field(
        default=None,
        description="Installed spaCy model to use for NER (never downloaded); none by default.",
    )


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
        default=None, description="Expected mask shape for 'mask', e.g. '3*4' or '1*'."
    )
    rule: str | None = Field(
        default=None, description="Generalisation rule for 'generalise', e.g. 'age-band:10'."
    )


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

    masked: ExistingPath = Field(description="The desensitised file.")
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


class Waiver(Section):
    """A reviewed exception for one package."""

    package: str = Field(description="Package name.")
    justification: str = Field(min_length=1, description="Why this is acceptable.")
    expires: str = Field(description="ISO date after which the waiver stops waiving.")


class LicensesConfig(Section):
    """License conflict detection over dependencies."""

    enabled: bool = True
    python: ProjectPath | None = Field(
        default=None, description="Interpreter of the environment to inspect."
    )
    lockfiles: list[ExistingPath] = Field(
        default_factory=list, description="requirements*.txt, poetry.lock, uv.lock, package-lock."
    )
    sboms: list[ExistingPath] = Field(
        default_factory=list, description="CycloneDX or SPDX JSON SBOMs."
    )
    include_dev: bool = Field(default=False, description="Also judge development dependencies.")
    allow: list[str] = Field(default_factory=list, description="SPDX ids or categories allowed.")
    deny: list[str] = Field(default_factory=list, description="SPDX ids or categories denied.")
    review: list[str] = Field(
        default_factory=list, description="SPDX ids or categories a person must review."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    fail_on_review: bool = Field(default=False, description="Fail the gate on 'review' too.")


class ChecklistConfig(Section):
    """Checklists and the team's answers."""

    enabled: bool = True
    checklists: list[str] = Field(
        default_factory=lambda: ["ai-ethics"], description="Checklist ids to run."
    )
    answers: ExistingPath | None = Field(default=None, description="Answers file (YAML).")


class SigningConfig(Section):
    """How ``review run`` signs the report: the organisation's PKCS#12, or a demo key."""

    pkcs12: ExistingPath | None = Field(
        default=None, description="PKCS#12 (.p12/.pfx) file with the signing key and certificate."
    )
    password_env: str = Field(
        default="REVIEW_SIGNING_PASSWORD",
        description="Environment variable holding the PKCS#12 password (never in the config).",
    )
    self_signed: bool = Field(
        default=False,
        description="Sign with a freshly generated self-signed demo certificate (for trying out).",
    )
    signer: str | None = Field(default=None, description="Signer name shown in the signature.")

    @model_validator(mode="after")
    def _one_source(self) -> SigningConfig:
        if self.self_signed and self.pkcs12 is not None:
            raise ValueError("set either pkcs12 or self_signed, not both")
        if not self.self_signed and self.pkcs12 is None:
            raise ValueError("set pkcs12 (the organisation's key) or self_signed = true")
        return self


class ReportConfig(Section):
    """The HTML/PDF report written by ``review run``."""

    lang: Language = Field(default="bilingual", description="en | zh | bilingual.")
    enabled: bool = Field(
        default=True, description="Write report.html and report.pdf beside review.json."
    )
    signing: SigningConfig | None = Field(
        default=None, description="Sign report.pdf (PAdES); unsigned when absent."
    )


class ReviewConfig(Section):
    """The whole configuration."""

    project: ProjectConfig = Field(default_factory=ProjectConfig)
    gate: GateConfig = Field(default_factory=GateConfig)
    pii: PiiConfig = Field(default_factory=PiiConfig)
    desensitisation: DesensitisationConfig = Field(default_factory=DesensitisationConfig)
    licenses: LicensesConfig = Field(default_factory=LicensesConfig)
    checklist: ChecklistConfig = Field(default_factory=ChecklistConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    reviewers: list[Reviewer] = Field(default_factory=list)


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and where it came from."""

    config: ReviewConfig
    project_dir: Path
    source: Path | None

    @property
    def project_name(self) -> str:
        return self.config.project.name or self.project_dir.resolve().name


def _format_loc(prefix: tuple[str, ...], loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in (*prefix, *loc):
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "missing required key",
}


def _first_error(source: Path, prefix: tuple[str, ...], err: ValidationError) -> ConfigError:
    first = err.errors(include_url=False, include_input=False)[0]
    # Union/tagged errors add the model name to loc; drop those non-key parts.
    loc = tuple(p for p in first["loc"] if isinstance(p, int) or not p[:1].isupper())
    message = _MESSAGES.get(first["type"], first["msg"][:1].lower() + first["msg"][1:])
    return ConfigError(source, f"{_format_loc(prefix, loc)}: {message}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 encoded (TOML must be UTF-8)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from None


def parse_config(data: dict[str, Any], source: Path, prefix: tuple[str, ...] = ()) -> ReviewConfig:
    """Validate a config mapping; errors name ``source`` and the key path."""
    try:
        return ReviewConfig.model_validate(data, context={"base_dir": source.parent})
    except ValidationError as exc:
        raise _first_error(source, prefix, exc) from None


def load_config(project_dir: Path, config_file: Path | None = None) -> LoadedConfig:
    """Load the project's config: ``--config`` file, else review.toml, else pyproject."""
    if not project_dir.is_dir():
        raise ConfigError(project_dir, "no such project directory")
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(config_file, "no such config file")
        candidates = [config_file]
    else:
        candidates = [project_dir / "review.toml", project_dir / "pyproject.toml"]
    for path in candidates:
        if not path.is_file():
            continue
        data = _read_toml(path)
        if path.name != "pyproject.toml":
            return LoadedConfig(parse_config(data, path), project_dir, path)
        tool = data.get("tool", {})
        section = tool.get("review") if isinstance(tool, dict) else None
        if section is None:
            if config_file is None:
                continue  # a pyproject.toml without [tool.review] is not our config
            section = {}
        if not isinstance(section, dict):
            raise ConfigError(path, "tool.review: must be a table")
        return LoadedConfig(parse_config(section, path, ("tool", "review")), project_dir, path)
    return LoadedConfig(ReviewConfig(), project_dir, None)

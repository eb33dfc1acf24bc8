"""Project configuration: ``review.toml``, or ``[tool.review]`` in ``pyproject.toml``.

Paths in the config are relative to the file that holds them; they are resolved and
checked while validating, so a missing file is reported as ``review.toml: pii.paths[2]:
no such file`` before any stage runs.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from review.errors import ConfigError
from review.fsio import read_utf8
from review.models import Reviewer, Severity
from review.validation import field_path, first_problem

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
        from review.scanners.desensitisation.hierarchy import (
            HierarchyError,
            builtin,
            is_file_reference,
        )

        if value is None:
            return None
        if not is_file_reference(value):
            try:
                builtin(value)
            except HierarchyError as exc:
                raise ValueError(str(exc)) from None
            return value
        path = _resolve(Path(value), info)
        if not path.exists():
            raise PydanticCustomError("no_such_file", "no such file")
        return str(path)

    @model_validator(mode="after")
    def _check_treatment(self) -> ColumnPolicy:
        # Imported here: the scanners package imports this module.
        from review.scanners.desensitisation.generalise import RuleError, parse_rule
        from review.scanners.desensitisation.shapes import MaskShape, ShapeError

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
    datasets: list[DatasetConfig] = Field(default_factory=list)
    attack_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Time budget, per token column, of the attacks that try to reverse it "
        "(salt search, enumerating phone numbers or ID numbers).",
    )


class Waiver(Section):
    """A reviewed exception for one package."""

    package: str = Field(min_length=1, description="Package name.")
    justification: str = Field(min_length=1, description="Why this is acceptable.")
    expires: dt.date = Field(description="ISO date after which the waiver stops waiving.")


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


Flag = bool | None
AutoFlag = bool | Literal["auto"]


class ProductContext(Section):
    """Facts about the product that decide which checklist items apply (unset = unknown)."""

    generative_ai: Flag = Field(default=None, description="Generates text, images, audio or video.")
    public_opinion: Flag = Field(
        default=None, description="Has public-opinion attributes or social mobilisation capacity."
    )
    transfer_out_of_cn: Flag = Field(
        default=None, description="Personal information collected in China leaves China."
    )
    transfer_out_of_eu: Flag = Field(
        default=None, description="Personal data leaves the EU/EEA to a third country."
    )
    eu_data_subjects: Flag = Field(
        default=None, description="Processes personal data of people in the EU (GDPR Art. 3)."
    )
    sensitive_pi: AutoFlag = Field(
        default="auto",
        description="Processes sensitive PI (PIPL Art. 28); 'auto' asks the pii stage.",
    )
    special_category: AutoFlag = Field(
        default="auto",
        description="Processes GDPR Art. 9 special categories; 'auto' asks the pii stage.",
    )
    automated_decisions: Flag = Field(
        default=None, description="Makes automated decisions that affect individuals."
    )
    minors: Flag = Field(default=None, description="Serves or processes data of minors.")
    high_risk_ai: Flag = Field(
        default=None, description="High-risk AI system under EU AI Act Art. 6 / Annex III."
    )
    entrusted_processing: Flag = Field(
        default=None, description="Entrusts processing to vendors (processors)."
    )
    large_scale: Flag = Field(default=None, description="Processes personal data on a large scale.")


class ChecklistConfig(Section):
    """Checklists and the team's answers."""

    enabled: bool = True
    checklists: list[str] = Field(
        default_factory=lambda: ["ai-ethics"], description="Checklist ids to run."
    )
    answers: ExistingPath | None = Field(default=None, description="Answers file (YAML).")
    context: ProductContext = Field(
        default_factory=ProductContext, description="Product facts for applicability conditions."
    )


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


ENV_PREFIX = "REVIEW_"
DEFAULT_ORIGIN = "default"


@dataclass(frozen=True)
class Origin:
    """Where a config value came from: a file (with its key prefix), the environment, a flag."""

    label: str
    key_prefix: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and where each of its values came from."""

    config: ReviewConfig
    project_dir: Path
    source: Path | None
    origins: dict[tuple[str, ...], Origin] = field(default_factory=dict)

    @property
    def project_name(self) -> str:
        return self.config.project.name or self.project_dir.resolve().name

    def origin_of(self, key: tuple[str, ...]) -> str:
        """Label of the layer that set ``key`` (or one of its parents), else "default"."""
        for end in range(len(key), 0, -1):
            origin = self.origins.get(key[:end])
            if origin is not None:
                return origin.label
        return DEFAULT_ORIGIN


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_utf8(path, "TOML file"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from None


def _env_layers(environ: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """``REVIEW_GATE__FAIL_ON=medium`` -> {"gate": {"fail_on": "medium"}} (TOML values)."""
    layers = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        keys = [part.lower() for part in name[len(ENV_PREFIX) :].split("__")]
        if not all(keys):
            continue
        raw = environ[name]
        try:
            value: Any = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word such as `medium` is meant as a string
        layers.append((name, _nested(keys, value)))
    return layers


def _nested(keys: list[str], value: Any) -> dict[str, Any]:
    """``["gate", "fail_on"], "low"`` -> ``{"gate": {"fail_on": "low"}}``."""
    layer: dict[str, Any] = {keys[-1]: value}
    for key in reversed(keys[:-1]):
        layer = {key: layer}
    return layer


def _merge(
    base: dict[str, Any],
    layer: dict[str, Any],
    origin: Origin,
    origins: dict[tuple[str, ...], Origin],
    path: tuple[str, ...] = (),
) -> None:
    """Merge ``layer`` into ``base``: tables merge key by key, anything else is replaced."""
    for key, value in layer.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(base.get(key, {}), dict):
            _merge(base.setdefault(key, {}), value, origin, origins, here)
        else:
            base[key] = value
            for known in [k for k in origins if k[: len(here)] == here]:
                del origins[known]
            origins[here] = origin


def _error(err: ValidationError, origins: dict[tuple[str, ...], Origin]) -> ConfigError:
    loc, message = first_problem(err)
    keys = tuple(p for p in loc if isinstance(p, str))
    origin = next(
        (origins[keys[:end]] for end in range(len(keys), 0, -1) if keys[:end] in origins),
        None,
    )
    if origin is None:  # a missing key inside a table: name the table's layer
        origin = next(iter(origins.values()), Origin("config"))
    return ConfigError(origin.label, f"{field_path((*origin.key_prefix, *loc))}: {message}")


def _file_layers(project_dir: Path, config_file: Path | None) -> list[tuple[Path, dict[str, Any]]]:
    """The config files in precedence order (lowest first) with their [tool.review] part."""
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(config_file, "no such config file")
        data = _read_toml(config_file)
        if config_file.name == "pyproject.toml":
            data = _tool_review(config_file, data) or {}
        return [(config_file, data)]
    layers = []
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        section = _tool_review(pyproject, _read_toml(pyproject))
        if section is not None:
            layers.append((pyproject, section))
    review_toml = project_dir / "review.toml"
    if review_toml.is_file():
        layers.append((review_toml, _read_toml(review_toml)))
    return layers


def _tool_review(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool", {})
    section = tool.get("review") if isinstance(tool, dict) else None
    if section is not None and not isinstance(section, dict):
        raise ConfigError(path, "tool.review: must be a table")
    return section


def load_config(
    project_dir: Path,
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> LoadedConfig:
    """The effective config: command line > REVIEW_* environment > review.toml > pyproject.

    ``overrides`` maps dotted keys (``gate.fail_on``) to values given on the command
    line. Paths are resolved against the directory of the config file that holds them
    (environment and command-line paths against the highest file's directory).
    """
    if not project_dir.is_dir():
        raise ConfigError(project_dir, "no such project directory")
    merged: dict[str, Any] = {}
    origins: dict[tuple[str, ...], Origin] = {}
    source: Path | None = None
    for path, data in _file_layers(project_dir, config_file):
        prefix = ("tool", "review") if path.name == "pyproject.toml" else ()
        _merge(merged, data, Origin(str(path), prefix), origins)
        source = path
    env = os.environ if environ is None else environ
    for name, layer in _env_layers(env):
        _merge(merged, layer, Origin(f"environment variable {name}"), origins)
    for dotted, value in sorted((overrides or {}).items()):
        if value is None:
            continue
        _merge(merged, _nested(dotted.split("."), value), Origin("command line"), origins)
    base_dir = source.parent if source is not None else project_dir
    try:
        config = ReviewConfig.model_validate(merged, context={"base_dir": base_dir})
    except ValidationError as exc:
        raise _error(exc, origins) from None
    return LoadedConfig(config, project_dir, source, origins)


def _flatten(value: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict) and value:
        out: list[tuple[tuple[str, ...], Any]] = []
        for key in value:
            out += _flatten(value[key], (*path, str(key)))
        return out
    return [(path, value)]


def effective_values(loaded: LoadedConfig) -> list[tuple[str, Any, str]]:
    """Every leaf of the effective config as (dotted key, value, origin label)."""
    data = loaded.config.model_dump(mode="json")
    return [(".".join(key), value, loaded.origin_of(key)) for key, value in _flatten(data, ())]

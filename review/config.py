"""Project configuration: ``review.toml``, or ``[tool.review]`` in ``pyproject.toml``.

Paths in the config are relative to the file that holds them; they are resolved and
checked while validating, so a missing file is reported as ``review.toml: pii.paths[2]:
no such file`` before any stage runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from review.checklists.config import ChecklistConfig
from review.core.certificates import load_certificate
from review.core.config import (
    ExistingPath,
    GateConfig,
    Language,
    ProjectConfig,
    ProjectPath,
    Section,
    SparkConfig,
)
from review.core.documents import parse_toml, read_toml
from review.core.errors import ConfigError, InputError
from review.core.limits import Limits
from review.core.models import Reviewer
from review.core.validation import field_path, first_problem
from review.scanners.desensitisation.config import DesensitisationConfig
from review.scanners.licenses.config import LicensesConfig
from review.scanners.pii.config import PiiConfig


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
        description="Sign with a self-signed demo key, made once at demo_key_store and "
        "reused (for trying out; verify with --trust on the .pem written beside it).",
    )
    demo_key_store: ProjectPath = Field(
        default=Path(".review-keys/report-signing.p12"),
        validate_default=True,
        description="Where the self-signed demo key is kept (its certificate beside it, .pem).",
    )
    signer: str | None = Field(default=None, description="Signer name shown in the signature.")
    timestamp_url: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description="RFC 3161 timestamp authority URL: signatures get a trusted time (PAdES B-T).",
    )

    @model_validator(mode="after")
    def _one_source(self) -> SigningConfig:
        if self.self_signed and self.pkcs12 is not None:
            raise ValueError("set either pkcs12 or self_signed, not both")
        if not self.self_signed and self.pkcs12 is None:
            raise ValueError("set pkcs12 (the organisation's key) or self_signed = true")
        return self


class TrustConfig(Section):
    """Trust anchors ``review verify`` checks every signer against."""

    certificates: list[ExistingPath] = Field(
        default_factory=list,
        description="Certificates (PEM, DER or PKCS#12 files, or directories of them) "
        "that signers must chain to.",
    )


class ReviewerConfig(Section):
    """A reviewer in ``[[reviewers]]``: who must sign off, and with which certificate."""

    name: str = Field(min_length=1, description="Reviewer's name.")
    role: str = Field(min_length=1, description="Role, e.g. 'DPO', 'Risk officer'.")
    required: bool = Field(default=True, description="Whether the verdict waits for them.")
    certificate: ExistingPath | None = Field(
        default=None,
        description="The reviewer's certificate (PEM, DER or PKCS#12); their sign-off "
        "signature must be made with it.",
    )

    def record(self) -> Reviewer:
        """The reviewer as review.json records it (the certificate by fingerprint)."""
        cert = load_certificate(self.certificate) if self.certificate else None
        return Reviewer(
            name=self.name,
            role=self.role,
            required=self.required,
            certificate_sha256=cert.sha256 if cert else None,
        )


class ReportConfig(Section):
    """The HTML/PDF report written by ``review run``."""

    lang: Language = Field(default="bilingual", description="en | zh | bilingual.")
    enabled: bool = Field(
        default=True, description="Write report.html and report.pdf beside review.json."
    )
    signing: SigningConfig | None = Field(
        default=None, description="Sign report.pdf (PAdES); unsigned when absent."
    )
    trust: TrustConfig = Field(
        default_factory=TrustConfig, description="Trust anchors for review verify."
    )


class ReviewConfig(Section):
    """The whole configuration."""

    project: ProjectConfig = Field(default_factory=ProjectConfig)
    gate: GateConfig = Field(default_factory=GateConfig)
    pii: PiiConfig = Field(default_factory=PiiConfig)
    desensitisation: DesensitisationConfig = Field(default_factory=DesensitisationConfig)
    licenses: LicensesConfig = Field(default_factory=LicensesConfig)
    checklist: ChecklistConfig = Field(default_factory=ChecklistConfig)
    spark: SparkConfig = Field(default_factory=SparkConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    reviewers: list[ReviewerConfig] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)

    def reviewer_records(self) -> tuple[Reviewer, ...]:
        """The reviewers as review.json records them."""
        return tuple(r.record() for r in self.reviewers)


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
        return read_toml(path, "TOML file")
    except InputError as exc:
        raise ConfigError(exc.source, exc.problem) from None


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
            value: Any = parse_toml(f"v = {raw}", name)["v"]
        except InputError:
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
        if not config_file.exists():
            raise ConfigError(config_file, "no such config file")
        data = _read_toml(config_file)
        if config_file.name == "pyproject.toml":
            data = _tool_review(config_file, data) or {}
        return [(config_file, data)]
    layers = []
    pyproject = project_dir / "pyproject.toml"
    # exists(), not is_file(): a FIFO or device named review.toml is refused, not ignored.
    if pyproject.exists():
        section = _tool_review(pyproject, _read_toml(pyproject))
        if section is not None:
            layers.append((pyproject, section))
    review_toml = project_dir / "review.toml"
    if review_toml.exists():
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

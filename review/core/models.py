"""Core data model: findings, stage results, attestations, the gate decision, sign-offs.

Everything here is frozen and rejects unknown fields; the JSON Schema printed by
``review schema`` is generated from these classes, so field descriptions are the docs.
The review record itself (``review.record.Review``) is assembled by the application from
each stage's typed result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator


class Frozen(BaseModel):
    """Base for every model: immutable and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    """How serious a finding is; ordered from ``info`` to ``critical``."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_ORDER = list(Severity)


class Text(Frozen):
    """A user-facing text in both languages."""

    en: Annotated[str, Field(min_length=1, description="English text.")]
    zh: Annotated[str, Field(min_length=1, description="Chinese (Simplified) text.")]

    def get(self, lang: str) -> str:
        """The text in ``en`` or ``zh``; ``bilingual`` gives both, Chinese first."""
        if lang == "en":
            return self.en
        if lang == "zh":
            return self.zh
        return f"{self.zh} / {self.en}"


class Reference(Frozen):
    """A pointer to a regulation, standard or framework clause."""

    framework: str = Field(
        description="Framework short name, e.g. 'PIPL', 'GDPR', 'EU-AI-Act', 'GB/T 45654-2025'."
    )
    article: str = Field(description="Article or clause, e.g. '55', '35(3)', '5.1'.")

    def __str__(self) -> str:
        if self.framework.startswith(("GB", "TC")) or self.article.startswith("Recital"):
            return f"{self.framework} {self.article}"
        return f"{self.framework} Art. {self.article}"


class SourceLine(Frozen):
    """A line of a text file of the project (relative to the project directory)."""

    path: str = Field(description="File, relative to the project directory when inside it.")
    line: int = Field(ge=1, description="1-based physical line.")


class Location(Frozen):
    """Where a finding was seen: a place in a data file, or a package."""

    path: str | None = Field(
        default=None, description="Input file, relative to the project directory when inside it."
    )
    row: int | None = Field(
        default=None,
        ge=1,
        description="1-based data row (header excluded), record index or line number.",
    )
    column: str | None = Field(
        default=None, description="CSV column name or dotted JSON field path (items[3].phone)."
    )
    start: int | None = Field(default=None, ge=0, description="Character offset in the value.")
    end: int | None = Field(default=None, ge=0, description="End character offset (exclusive).")
    package: str | None = Field(default=None, description="Dependency name.")
    version: str | None = Field(default=None, description="Dependency version.")
    item: str | None = Field(default=None, description="Checklist item id.")
    line: int | None = Field(
        default=None,
        ge=1,
        description="1-based physical line in `path` where it starts: the first line of the "
        "record (a quoted CSV field may span lines), the header line for a whole column, the "
        "line that declares the package in a manifest or lock file.",
    )
    declared_at: SourceLine | None = Field(
        default=None,
        description="For findings with no line of their own (a dataset's risk, a package "
        "of an installed environment, a checklist item): the config or answers file line "
        "that declares what it is about.",
    )

    def describe(self, lang: str = "en") -> str:
        """Where, in one short line ('data/a.csv, row 3, column phone'); never a value."""
        zh = lang == "zh"
        parts = [self.path or ""]
        if self.package:
            parts.append(f"{self.package}@{self.version}" if self.version else self.package)
        if self.row is not None:
            parts.append(f"第 {self.row} 行" if zh else f"row {self.row}")
        if self.column:
            parts.append(f"列 {self.column}" if zh else f"column {self.column}")
        if self.item:
            parts.append(f"检查项 {self.item}" if zh else f"item {self.item}")
        return ("，" if zh else ", ").join(p for p in parts if p)


class Fingerprinted(Frozen):
    """A model with a stable fingerprint, used by baselines to recognise it across runs."""

    @model_validator(mode="before")
    @classmethod
    def _drop_stored_fingerprint(cls, data: object) -> object:
        # review.json carries the fingerprint for readers; it is always recomputed here.
        if isinstance(data, dict) and "fingerprint" in data:
            return {k: v for k, v in data.items() if k != "fingerprint"}
        return data

    def fingerprint_parts(self) -> tuple[str, ...]:
        """What identifies this object across runs (never a raw personal-data value)."""
        raise TypeError(f"{type(self).__name__} must define fingerprint_parts")

    @computed_field(  # type: ignore[prop-decorator]
        description="Stable fingerprint for baselines (never derived from raw values)."
    )
    @property
    def fingerprint(self) -> str:
        key = "\x1f".join(self.fingerprint_parts())
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class Acceptance(Frozen):
    """Why a finding or gate reason is accepted instead of failing the gate."""

    source: Literal["baseline", "ignore-rule", "waiver", "risk-acceptance"] = Field(
        description="What accepted it: a baseline entry, a [[pii.ignore]] rule, a license "
        "waiver, or a residual risk accepted by a reviewer."
    )
    justification: str | Text = Field(
        default="", description="Why it is acceptable, as written (text or {en, zh})."
    )
    owner: str | None = Field(default=None, description="Who accepted it, when recorded.")
    expires: dt.date | None = Field(default=None, description="Last day it applies.")
    expired: bool = Field(
        default=False, description="Past its expiry: shown, but it fails the gate again."
    )

    @property
    def active(self) -> bool:
        return not self.expired

    def shown_justification(self, lang: str) -> str:
        """The justification as one text in ``lang`` (a single string as written)."""
        text = self.justification
        return text if isinstance(text, str) else text.get(lang)


class Finding(Fingerprinted):
    """One thing a stage found that a person should know about."""

    rule_id: str = Field(
        description="Stable rule id, e.g. 'pii.cn_resident_id' or 'licenses.conflict'.",
        pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$",
    )
    stage: str = Field(description="Name of the stage that produced it.")
    severity: Severity = Field(description="info | low | medium | high | critical.")
    title: Text = Field(description="Short headline in both languages.")
    message: Text = Field(description="Explanation in both languages; never a raw PII value.")
    location: Location | None = Field(default=None, description="Where it was found.")
    evidence: str | None = Field(
        default=None, description="Masked evidence only, e.g. '138****5678'."
    )
    remediation: Text | None = Field(default=None, description="What to do about it.")
    references: tuple[Reference, ...] = Field(
        default=(), description="Regulation articles this finding relates to."
    )
    acceptance: Acceptance | None = Field(
        default=None, description="Set when the finding is accepted (an expired one counts)."
    )

    @property
    def accepted(self) -> bool:
        """Accepted by an acceptance still in force: the gate does not count it."""
        return self.acceptance is not None and self.acceptance.active

    value_key: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{16}$",
        description="For a finding about one value in a cell or line: a keyed hash of that "
        "value (review.core.fingerprint.value_key), so a baseline knows it wherever its row "
        "moves. Never the value itself.",
    )

    def fingerprint_parts(self) -> tuple[str, ...]:
        # What the finding is, not where it was first seen: rows, lines, offsets, package
        # versions and (masked) evidence stay out, so inserting a row or bumping a version
        # keeps the finding known. A column finding is its file, column and rule (the rule
        # names the entity); a cell finding adds the keyed hash of its value.
        loc = self.location or Location()
        return (
            "finding/2",
            self.rule_id,
            self.severity.value,
            loc.path or "",
            loc.column or "",
            loc.package or "",
            loc.item or "",
            self.value_key or "",
        )


class InputFile(Frozen):
    """One input file of the review, for the evidence manifest."""

    path: str = Field(description="Path relative to the project directory.")
    sha256: str = Field(description="SHA-256 of the file's bytes, hex.", pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, description="Size in bytes.")


class Metadata(Frozen):
    """Who and what was reviewed, when, with which tool."""

    project: str = Field(description="Project name.")
    project_version: str | None = Field(default=None, description="Project version.")
    commit: str | None = Field(default=None, description="Git commit of the project, if a repo.")
    tool: str = Field(default="review-pipeline", description="Generator name.")
    tool_version: str = Field(description="Generator version.")
    started: dt.datetime = Field(description="Start time (UTC; SOURCE_DATE_EPOCH when set).")
    finished: dt.datetime = Field(description="Finish time (UTC; SOURCE_DATE_EPOCH when set).")
    language: Literal["en", "zh", "bilingual"] = Field(description="Report language.")


class Verdict(StrEnum):
    """Outcome of the gate."""

    PASS = "pass"
    FAIL = "fail"


class GateReason(Fingerprinted):
    """One reason the gate failed."""

    rule: str = Field(description="Gate rule id, e.g. 'gate.fail_on' or 'gate.blocking_rule'.")
    message: Text = Field(description="Explanation in both languages.")
    fingerprints: tuple[str, ...] = Field(
        default=(), description="Fingerprints of the findings behind this reason."
    )
    location: Location | None = Field(
        default=None, description="What the reason is about (a checklist item), if one thing."
    )
    key: str | None = Field(
        default=None,
        description="Tells apart several reasons of one rule about one thing (a criterion's "
        "metric), so the fingerprint does not depend on measured values in the message.",
    )
    acceptance: Acceptance | None = Field(
        default=None, description="Set when the reason is accepted (an expired one counts)."
    )

    @property
    def accepted(self) -> bool:
        """Accepted by an acceptance still in force: the gate does not fail on it."""
        return self.acceptance is not None and self.acceptance.active

    def fingerprint_parts(self) -> tuple[str, ...]:
        if self.location is not None and self.location.item:
            # A reason about one item is that item and rule, whatever the measured values.
            return ("reason/2", self.rule, self.location.item, self.key or "")
        return (self.rule, self.message.en)


class Claim(StrEnum):
    """What a stage can state for checklist items answered without a person."""

    LICENSES_NO_CONFLICT = "licenses_no_conflict"
    SAMPLES_DESENSITISED = "samples_desensitised"
    SENSITIVE_PI_IDENTIFIED = "sensitive_pi_identified"
    SENSITIVE_PI = "sensitive_pi"
    SPECIAL_CATEGORY = "special_category"


class Attestation(Frozen):
    """A stage's statement on a claim, which the checklist stage reads instead of details."""

    claim: Claim = Field(description="What is stated.")
    holds: Literal["yes", "no", "partial"] = Field(
        description="Whether the claim holds: yes, no or partly."
    )
    justification: Text = Field(description="Why, from the stage's own results.")
    categories: tuple[str, ...] = Field(
        default=(), description="Categories behind the statement (e.g. sensitive PI seen)."
    )


class InputRead(Frozen):
    """One input a stage was told to read: how much of it was read, or why not all."""

    path: str = Field(description="Input file (personal data in its name masked).")
    rows: int | None = Field(
        default=None, ge=0, description="Rows, records or lines read (null: not counted)."
    )
    problem: str | None = Field(
        default=None,
        description="Why it was not read in full (null: read in full). Any problem fails "
        "the gate: input that was not read must never pass silently.",
    )


class StageResult(Frozen):
    """What one stage produced; each stage extends it with its typed ``details``."""

    stage: str = Field(description="Stage name.")
    summary: Text | None = Field(default=None, description="One-line summary of the stage.")
    findings: tuple[Finding, ...] = Field(default=(), description="Findings, in stable order.")
    inputs: tuple[str, ...] = Field(
        default=(), description="Files the stage read, as given in config (for the manifest)."
    )
    attestations: tuple[Attestation, ...] = Field(
        default=(), description="Statements other stages may rely on (checklist auto answers)."
    )
    gate_reasons: tuple[GateReason, ...] = Field(
        default=(),
        description="Reasons this stage gives the gate to fail besides its findings "
        "(e.g. a blocking checklist item answered 'no').",
    )
    reads: tuple[InputRead, ...] = Field(
        default=(), description="Every input the stage was told to read, with rows read."
    )

    def attestation(self, claim: Claim) -> Attestation | None:
        """This stage's statement on ``claim``, if it makes one."""
        return next((a for a in self.attestations if a.claim == claim), None)


class SkippedStage(Frozen):
    """A stage that did not run, and why."""

    stage: str = Field(description="Stage name.")
    reason: Text = Field(description="Why it had nothing to do under this config.")


class BaselineNote(Frozen):
    """A baseline entry that needs a person's attention: matched nothing, or expired."""

    fingerprint: str = Field(description="The entry's fingerprint.")
    state: Literal["stale", "expired"] = Field(
        description="stale: no finding matches it any more (remove it); expired: past its "
        "expiry date, so the finding it accepted fails the gate again."
    )
    rule_id: str = Field(description="Rule of the accepted finding or gate reason.")
    stage: str = Field(description="Stage of the accepted finding ('gate' for reasons).")
    where: str = Field(default="", description="Where it was (no raw values).")
    justification: str = Field(default="", description="The entry's justification.")
    expires: dt.date | None = Field(default=None, description="The entry's expiry date.")


class BaselineStatus(Frozen):
    """How a baseline of accepted findings applied to this review."""

    path: str = Field(description="Baseline file used.")
    stale: tuple[str, ...] = Field(
        default=(), description="Baseline entries no longer found (can be removed)."
    )
    expired: tuple[str, ...] = Field(
        default=(), description="Findings whose baseline entry has expired: they count again."
    )
    accepted: int = Field(default=0, description="Findings and reasons the baseline accepts.")
    notes: tuple[BaselineNote, ...] = Field(
        default=(), description="The stale and expired entries, for CI outputs to show."
    )


class GateDecision(Frozen):
    """The gate's verdict under the configured policy."""

    verdict: Verdict = Field(description="pass | fail.")
    fail_on: Severity = Field(description="Severity at or above which findings fail the gate.")
    reasons: tuple[GateReason, ...] = Field(default=(), description="Why it failed.")
    counts: dict[Severity, int] = Field(
        default_factory=dict, description="Open findings per severity (accepted ones left out)."
    )
    accepted: dict[Severity, int] = Field(
        default_factory=dict, description="Accepted findings per severity."
    )
    accepted_reasons: tuple[GateReason, ...] = Field(
        default=(), description="Reasons the gate would fail on, had they not been accepted."
    )
    baseline: BaselineStatus | None = Field(
        default=None, description="Baseline applied with --baseline, if any."
    )


class Decision(StrEnum):
    """A reviewer's sign-off decision."""

    APPROVE = "approve"
    REJECT = "reject"
    APPROVE_WITH_CONDITIONS = "approve-with-conditions"


class Reviewer(Frozen):
    """A person who must (or may) sign the review off."""

    name: str = Field(min_length=1, description="Reviewer's name.")
    role: str = Field(min_length=1, description="Role, e.g. 'DPO', 'Risk officer'.")
    required: bool = Field(default=True, description="Whether the verdict waits for them.")
    certificate_sha256: str | None = Field(
        default=None,
        pattern=r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$",
        description="SHA-256 fingerprint of the certificate this reviewer signs with "
        "('AB:CD:…'); review verify accepts their sign-off only from it.",
    )


class SignOff(Frozen):
    """A recorded sign-off decision."""

    reviewer: str = Field(min_length=1, description="Reviewer's name.")
    role: str = Field(min_length=1, description="Reviewer's role.")
    decision: Decision = Field(description="approve | reject | approve-with-conditions.")
    date: dt.date = Field(description="Date of the decision.")
    comment: str = Field(default="", description="Conditions or remarks.")

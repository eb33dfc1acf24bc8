"""Baselines: accept today's findings so the gate fails only on new ones.

A baseline records findings by fingerprint (rule, location, masked evidence) — never a
raw value. An entry may carry a justification and an expiry date; an expired entry
stops suppressing, like an expired license waiver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import Field

from review.core.clock import now
from review.core.documents import read_json
from review.core.errors import InputError
from review.core.fsio import atomic_write
from review.core.models import Acceptance, BaselineStatus, Frozen, StageResult
from review.core.validation import validate_model
from review.record import Review

BASELINE_SCHEMA = "review.baseline/1"

R = TypeVar("R", bound=StageResult)


class BaselineEntry(Frozen):
    """One accepted finding."""

    fingerprint: str = Field(pattern=r"^[0-9a-f]{16}$", description="Finding fingerprint.")
    rule_id: str = Field(description="Rule of the accepted finding.")
    stage: str = Field(description="Stage of the accepted finding.")
    where: str = Field(default="", description="Where it was (no raw values).")
    justification: str = Field(default="", description="Why it is accepted.")
    owner: str | None = Field(default=None, description="Who accepted it.")
    expires: dt.date | None = Field(default=None, description="Stops suppressing after this day.")


class Baseline(Frozen):
    """A set of accepted findings."""

    schema_: str = Field(default=BASELINE_SCHEMA, alias="schema", pattern=r"^review\.baseline/1$")
    created: dt.datetime = Field(description="When the baseline was made.")
    entries: tuple[BaselineEntry, ...] = Field(default=())

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2) + "\n"


def create_baseline(review: Review) -> Baseline:
    """A baseline accepting every finding of ``review``."""
    seen: dict[str, BaselineEntry] = {}
    for finding in review.findings():
        seen.setdefault(
            finding.fingerprint,
            BaselineEntry(
                fingerprint=finding.fingerprint,
                rule_id=finding.rule_id,
                stage=finding.stage,
                where=finding.location.describe() if finding.location else "",
            ),
        )
    for reason in (r for stage in review.stages for r in stage.gate_reasons):
        seen.setdefault(
            reason.fingerprint,
            BaselineEntry(
                fingerprint=reason.fingerprint,
                rule_id=reason.rule,
                stage="gate",
                where=reason.message.en[:200],
            ),
        )
    entries = tuple(sorted(seen.values(), key=lambda e: (e.stage, e.rule_id, e.fingerprint)))
    return Baseline(created=now(), entries=entries)


def save_baseline(baseline: Baseline, path: Path) -> None:
    atomic_write(path, baseline.to_json())


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; errors name the file and the key path."""
    if not path.exists():
        raise InputError(path, "no such baseline file")
    return validate_model(Baseline, read_json(path, "baseline file"), path)


def apply_baseline(
    baseline: Baseline, stages: Sequence[R], source: str
) -> tuple[list[R], BaselineStatus]:
    """The stage results with what the baseline accepts marked as accepted, and which of
    its entries are stale (no longer found) or expired (found, and failing again)."""
    today = now().date()
    entries = {e.fingerprint: e for e in baseline.entries}

    def acceptance(fingerprint: str) -> Acceptance | None:
        entry = entries.get(fingerprint)
        if entry is None:
            return None
        return Acceptance(
            source="baseline",
            justification=entry.justification,
            owner=entry.owner,
            expires=entry.expires,
            expired=entry.expires is not None and entry.expires < today,
        )

    marked: list[R] = []
    present: set[str] = set()
    for stage in stages:
        findings = []
        for finding in stage.findings:
            present.add(finding.fingerprint)
            found = acceptance(finding.fingerprint)
            findings.append(finding.model_copy(update={"acceptance": found}) if found else finding)
        reasons = []
        for reason in stage.gate_reasons:
            present.add(reason.fingerprint)
            found = acceptance(reason.fingerprint)
            reasons.append(reason.model_copy(update={"acceptance": found}) if found else reason)
        marked.append(
            stage.model_copy(update={"findings": tuple(findings), "gate_reasons": tuple(reasons)})
        )
    expired = sorted(
        fingerprint
        for fingerprint, entry in entries.items()
        if fingerprint in present and entry.expires is not None and entry.expires < today
    )
    status = BaselineStatus(
        path=source,
        stale=tuple(sorted(set(entries) - present)),
        expired=tuple(expired),
        accepted=len((set(entries) & present) - set(expired)),
    )
    return marked, status

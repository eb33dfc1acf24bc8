"""Baselines: accept today's findings so the gate fails only on new ones.

A baseline records findings by fingerprint — what the finding is (rule, file, column,
package or checklist item, and for a cell finding a keyed hash of its value), never a
raw value, and never its row, so inserting a row above it keeps it known. An entry may
carry a justification, an owner and an expiry date, written by hand; an expired entry
stops suppressing, like an expired license waiver. Making a baseline again merges with
the existing file: hand-written fields are kept, and an expired entry stays expired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import Field

from review.core.clock import now
from review.core.documents import read_json
from review.core.errors import InputError
from review.core.fsio import atomic_write
from review.core.models import Acceptance, BaselineNote, BaselineStatus, Frozen, StageResult
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


@dataclass(frozen=True)
class Merge:
    """What ``merge_baseline`` did, for the command to report."""

    baseline: Baseline
    added: int
    kept: int
    expired: tuple[BaselineEntry, ...]
    dropped: int


def merge_baseline(review: Review, existing: Baseline | None) -> Merge:
    """A baseline of every finding and stage gate reason of ``review``, merged with
    ``existing``: its entries that still match keep their justification, owner and expiry
    (an expired one stays expired: re-accepting it is a decision made by hand), entries
    that no longer match are dropped."""
    fresh = create_baseline(review)
    old = {e.fingerprint: e for e in existing.entries} if existing else {}
    today = now().date()
    entries = []
    kept = 0
    expired = []
    for entry in fresh.entries:
        before = old.get(entry.fingerprint)
        if before is None:
            entries.append(entry)
            continue
        kept += 1
        entries.append(
            entry.model_copy(
                update={
                    "justification": before.justification,
                    "owner": before.owner,
                    "expires": before.expires,
                }
            )
        )
        if before.expires is not None and before.expires < today:
            expired.append(before)
    dropped = len(set(old) - {e.fingerprint for e in fresh.entries})
    merged = Baseline(created=fresh.created, entries=tuple(entries))
    return Merge(merged, len(entries) - kept, kept, tuple(expired), dropped)


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
    stale = sorted(set(entries) - present)
    notes = [_note(entries[f], "stale") for f in stale] + [
        _note(entries[f], "expired") for f in expired
    ]
    status = BaselineStatus(
        path=source,
        stale=tuple(stale),
        expired=tuple(expired),
        accepted=len((set(entries) & present) - set(expired)),
        notes=tuple(sorted(notes, key=lambda n: (n.state, n.stage, n.rule_id, n.fingerprint))),
    )
    return marked, status


def _note(entry: BaselineEntry, state: str) -> BaselineNote:
    return BaselineNote(
        fingerprint=entry.fingerprint,
        state="stale" if state == "stale" else "expired",
        rule_id=entry.rule_id,
        stage=entry.stage,
        where=entry.where,
        justification=entry.justification,
        expires=entry.expires,
    )

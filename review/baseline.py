"""Baselines: accept today's findings so the gate fails only on new ones.

A baseline records findings by fingerprint (rule, location, masked evidence) — never a
raw value. An entry may carry a justification and an expiry date; an expired entry
stops suppressing, like an expired license waiver.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import Field

from review.core.clock import now
from review.core.errors import InputError
from review.core.fsio import atomic_write, read_utf8
from review.core.models import BaselineStatus, Frozen, GateReason, StageResult
from review.core.validation import validate_model
from review.record import Review

BASELINE_SCHEMA = "review.baseline/1"


class BaselineEntry(Frozen):
    """One accepted finding."""

    fingerprint: str = Field(pattern=r"^[0-9a-f]{16}$", description="Finding fingerprint.")
    rule_id: str = Field(description="Rule of the accepted finding.")
    stage: str = Field(description="Stage of the accepted finding.")
    where: str = Field(default="", description="Where it was (no raw values).")
    justification: str = Field(default="", description="Why it is accepted.")
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
    for reason in acceptable_reasons(review.gate.reasons):
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
    try:
        data = json.loads(read_utf8(path, "baseline file"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    return validate_model(Baseline, data, path)


def acceptable_reasons(reasons: Sequence[GateReason]) -> list[GateReason]:
    """Gate reasons a baseline may accept on their own: those with no finding behind them.

    A reason built from findings goes away when its findings are accepted; a stage that
    failed to run is never accepted.
    """
    return [r for r in reasons if not r.fingerprints and r.rule != "gate.stage_error"]


def match_baseline(
    baseline: Baseline,
    stages: Sequence[StageResult],
    reasons: Sequence[GateReason],
    source: str,
) -> BaselineStatus:
    """What the baseline accepts today, and which of its entries are stale or expired."""
    today = now().date()
    present = {f.fingerprint for stage in stages for f in stage.findings}
    present |= {r.fingerprint for r in acceptable_reasons(reasons)}
    active = {e.fingerprint for e in baseline.entries if e.expires is None or e.expires >= today}
    expired = sorted(
        e.fingerprint for e in baseline.entries if e.expires is not None and e.expires < today
    )
    return BaselineStatus(
        path=source,
        suppressed=tuple(sorted(active & present)),
        stale=tuple(sorted({e.fingerprint for e in baseline.entries} - present)),
        expired=tuple(f for f in expired if f in present),
    )

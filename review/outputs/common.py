"""Helpers shared by the output formats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from review.core.models import Finding, Location, Severity, SourceLine
from review.record import Review


def ranked_findings(review: Review) -> list[Finding]:
    """Findings, most severe first, in a stable order."""
    return ranked_findings_of(review.findings())


def ranked_findings_of(findings: Iterable[Finding]) -> list[Finding]:
    """``findings``, most severe first, in a stable order."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.stage, f.rule_id, f.fingerprint))


def where(finding: Finding) -> str:
    """A short description of a finding's location (masked values never appear)."""
    return finding.location.describe() if finding.location else ""


@dataclass(frozen=True)
class StageTally:
    """What one stage gives the gate: open findings per severity, accepted findings, and
    its own gate reasons (a checklist fails the gate by reasons, not by findings)."""

    open: dict[Severity, int]
    accepted: int
    reasons: int
    accepted_reasons: int


def counts_by_stage(review: Review) -> dict[str, StageTally]:
    """Per stage that ran (in run order): open and accepted findings, and gate reasons.

    Accepted findings are not counted as open, the way the gate counts them, so these
    numbers add up to the gate's."""
    table: dict[str, StageTally] = {}
    for stage in review.stages:
        row = {severity: 0 for severity in Severity}
        for finding in stage.findings:
            if not finding.accepted:
                row[finding.severity] += 1
        table[stage.stage] = StageTally(
            open=row,
            accepted=sum(f.accepted for f in stage.findings),
            reasons=sum(not r.accepted for r in stage.gate_reasons),
            accepted_reasons=sum(r.accepted for r in stage.gate_reasons),
        )
    return table


def shown_at(loc: Location | None) -> SourceLine:
    """The file line a code host shows a finding at: its own line, else the config or
    answers line declaring it (review.locate), else the file's first line."""
    if loc is not None and loc.path is not None and loc.line is not None:
        return SourceLine(path=loc.path, line=loc.line)
    if loc is not None and loc.declared_at is not None:
        return loc.declared_at
    if loc is not None and loc.path is not None:
        return SourceLine(path=loc.path, line=1)
    return SourceLine(path="review.toml", line=1)

"""Helpers shared by the output formats."""

from __future__ import annotations

from dataclasses import dataclass

from review.core.models import Finding, Severity
from review.record import Review


def ranked_findings(review: Review) -> list[Finding]:
    """Findings, most severe first, in a stable order."""
    findings = review.findings()
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

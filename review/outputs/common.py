"""Helpers shared by the output formats."""

from __future__ import annotations

from review.core.models import Finding, Severity
from review.record import Review


def ranked_findings(review: Review) -> list[Finding]:
    """Findings, most severe first, in a stable order."""
    findings = review.findings()
    return sorted(findings, key=lambda f: (-f.severity.rank, f.stage, f.rule_id, f.fingerprint))


def where(finding: Finding) -> str:
    """A short description of a finding's location (masked values never appear)."""
    return finding.location.describe() if finding.location else ""


def counts_by_stage(review: Review) -> dict[str, dict[Severity, int]]:
    """Number of findings per stage and severity (every stage that ran, in run order)."""
    table: dict[str, dict[Severity, int]] = {}
    for stage in review.stages:
        row = {severity: 0 for severity in Severity}
        for finding in stage.findings:
            row[finding.severity] += 1
        table[stage.stage] = row
    return table

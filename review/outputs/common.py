"""Helpers shared by the output formats."""

from __future__ import annotations

from review.models import Finding, Review, Severity


def ranked_findings(review: Review) -> list[Finding]:
    """Findings, most severe first, in a stable order."""
    findings = review.findings()
    return sorted(findings, key=lambda f: (-f.severity.rank, f.stage, f.rule_id, f.fingerprint))


def where(finding: Finding) -> str:
    """A short human description of a finding's location (masked values never appear)."""
    loc = finding.location
    if loc is None:
        return ""
    if loc.package:
        return f"{loc.package}@{loc.version}" if loc.version else loc.package
    parts = [loc.path or ""]
    if loc.row is not None:
        parts.append(f"row {loc.row}")
    if loc.column:
        parts.append(f"column {loc.column}")
    if loc.item:
        parts.append(f"item {loc.item}")
    return ", ".join(p for p in parts if p)


def counts_by_stage(review: Review) -> dict[str, dict[Severity, int]]:
    """Number of findings per stage and severity (every stage that ran, in run order)."""
    table: dict[str, dict[Severity, int]] = {}
    for stage in review.stages:
        row = {severity: 0 for severity in Severity}
        for finding in stage.findings:
            row[finding.severity] += 1
        table[stage.stage] = row
    return table

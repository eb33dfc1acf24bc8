"""The gate: turns findings and the policy into a pass/fail verdict with reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from review.config import GateConfig
from review.models import Finding, GateDecision, GateReason, Severity, StageResult, Text, Verdict


def decide(
    stages: Sequence[StageResult], policy: GateConfig, fail_on: Severity | None = None
) -> GateDecision:
    """Apply the gate policy to the stage results."""
    threshold = fail_on or policy.fail_on
    findings = [f for stage in stages for f in stage.findings]
    counts = Counter(f.severity for f in findings)
    reasons: list[GateReason] = []

    severe = [f for f in findings if f.severity.at_least(threshold)]
    if severe:
        reasons.append(
            GateReason(
                rule="gate.fail_on",
                message=Text(
                    en=f"{len(severe)} finding(s) at or above '{threshold}': " + _top_rules(severe),
                    zh=f"{len(severe)} 项发现的严重程度达到或超过「{threshold}」："
                    + _top_rules(severe),
                ),
                fingerprints=tuple(f.fingerprint for f in severe),
            )
        )
    blocking = set(policy.blocking_rules)
    blocked = [f for f in findings if f.rule_id in blocking and not f.severity.at_least(threshold)]
    if blocked:
        reasons.append(
            GateReason(
                rule="gate.blocking_rule",
                message=Text(
                    en=f"{len(blocked)} finding(s) of blocking rules: " + _top_rules(blocked),
                    zh=f"{len(blocked)} 项发现属于阻断规则：" + _top_rules(blocked),
                ),
                fingerprints=tuple(f.fingerprint for f in blocked),
            )
        )
    for stage in stages:
        if stage.status == "error":
            reasons.append(
                GateReason(
                    rule="gate.stage_error",
                    message=Text(
                        en=f"stage '{stage.stage}' did not complete",
                        zh=f"阶段「{stage.stage}」未能完成",
                    ),
                )
            )
    return GateDecision(
        verdict=Verdict.FAIL if reasons else Verdict.PASS,
        fail_on=threshold,
        reasons=tuple(reasons),
        counts={sev: counts.get(sev, 0) for sev in Severity},
    )


def _top_rules(findings: Sequence[Finding], limit: int = 5) -> str:
    ranked = Counter(f.rule_id for f in findings).most_common()
    shown = ", ".join(f"{rule} ×{n}" for rule, n in ranked[:limit])
    return shown + (", …" if len(ranked) > limit else "")

"""The gate: turns findings and the policy into a pass/fail verdict with reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from review.core.config import GateConfig
from review.core.i18n import label, labels_under
from review.core.models import (
    BaselineStatus,
    Finding,
    GateDecision,
    GateReason,
    Severity,
    StageResult,
    Text,
    Verdict,
)

# Every rule the gate may cite, its own and the stages' (``StageResult.gate_reasons``),
# with what each checks; JUnit lists each as a test case.
GATE_RULES: dict[str, Text] = labels_under("gate.")


def decide(
    stages: Sequence[StageResult],
    policy: GateConfig,
    baseline: BaselineStatus | None = None,
) -> GateDecision:
    """Apply the gate policy to the stage results; accepted findings and reasons do not count."""
    threshold = policy.fail_on
    every = [f for stage in stages for f in stage.findings]
    findings = [f for f in every if not f.accepted]
    counts = Counter(f.severity for f in findings)
    accepted = Counter(f.severity for f in every if f.accepted)
    reasons: list[GateReason] = []

    threshold_zh = label(f"severity.{threshold}").zh
    severe = [f for f in findings if f.severity.at_least(threshold)]
    if severe:
        reasons.append(
            GateReason(
                rule="gate.fail_on",
                message=Text(
                    en=f"{len(severe)} finding(s) at or above '{threshold}': " + _top_rules(severe),
                    zh=f"{len(severe)} 项发现的严重程度达到或超过「{threshold_zh}」："
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
    unread = unread_reason(stages)
    given = [reason for stage in stages for reason in stage.gate_reasons]
    if unread is not None:
        given.append(unread)
    reasons.extend(r for r in given if not r.accepted)
    return GateDecision(
        verdict=Verdict.FAIL if reasons else Verdict.PASS,
        fail_on=threshold,
        reasons=tuple(reasons),
        counts={sev: counts.get(sev, 0) for sev in Severity},
        accepted={sev: accepted.get(sev, 0) for sev in Severity},
        accepted_reasons=tuple(r for r in given if r.accepted),
        baseline=baseline,
    )


UNREAD_SHOWN = 5


def unread_reason(stages: Sequence[StageResult]) -> GateReason | None:
    """The gate fails when a stage could not read an input it was told to read."""
    unread = [read for stage in stages for read in stage.reads if read.problem is not None]
    if not unread:
        return None
    shown = "; ".join(f"{r.path} ({r.problem})" for r in unread[:UNREAD_SHOWN])
    more = f"; … {len(unread) - UNREAD_SHOWN} more" if len(unread) > UNREAD_SHOWN else ""
    return GateReason(
        rule="gate.unread_input",
        message=Text(
            en=f"{len(unread)} input(s) could not be read in full: {shown}{more}",
            zh=f"{len(unread)} 个输入未能完整读取：{shown}{more}",
        ),
    )


def _top_rules(findings: Sequence[Finding], limit: int = 5) -> str:
    ranked = Counter(f.rule_id for f in findings).most_common()
    shown = ", ".join(f"{rule} ×{n}" for rule, n in ranked[:limit])
    return shown + (", …" if len(ranked) > limit else "")

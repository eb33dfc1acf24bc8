"""The gate: turns findings and the policy into a pass/fail verdict with reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import ValidationError

from review.checklists.details import ChecklistDetails, ItemResult
from review.checklists.model import Status, condition_text
from review.config import GateConfig
from review.models import (
    BaselineStatus,
    Finding,
    GateDecision,
    GateReason,
    Severity,
    StageResult,
    StageStatus,
    Text,
    Verdict,
)

# Every rule the gate applies, with what it checks; JUnit lists each as a test case.
GATE_RULES: dict[str, Text] = {
    "gate.fail_on": Text(
        en="No finding at or above the fail_on severity",
        zh="没有达到或超过失败阈值的发现",
    ),
    "gate.blocking_rule": Text(
        en="No finding of a rule configured as blocking",
        zh="没有属于阻断规则的发现",
    ),
    "gate.stage_error": Text(en="Every stage completed", zh="所有审查阶段均已完成"),
    "gate.checklist.trigger": Text(
        en="Obligations triggered by the data (PIA, DPIA) are answered 'yes'",
        zh="由数据触发的义务（个人信息保护影响评估、DPIA）已回答「是」",
    ),
    "gate.checklist.blocking": Text(
        en="No blocking checklist item is answered 'no' or left unanswered",
        zh="没有阻断项回答为「否」或未回答",
    ),
    "gate.checklist.unjustified": Text(
        en="Every 'n/a' or 'partial' answer has a justification",
        zh="每个「不适用」或「部分」回答都有理由说明",
    ),
    "gate.checklist.criterion": Text(
        en="Every measurable criterion is measured and within its threshold",
        zh="每项可量化标准均已测量且在阈值之内",
    ),
    "gate.checklist.evidence": Text(
        en="Blocking items answered 'yes' carry the required evidence",
        zh="回答为「是」的阻断项附有必需的证据",
    ),
    "gate.checklist.risk": Text(
        en="Residual risk is within the appetite or accepted by a named reviewer",
        zh="剩余风险在风险偏好之内，或已由具名审查人接受",
    ),
}


def decide(
    stages: Sequence[StageResult],
    policy: GateConfig,
    baseline: BaselineStatus | None = None,
) -> GateDecision:
    """Apply the gate policy to the stage results; baselined findings do not count."""
    threshold = policy.fail_on
    accepted = set(baseline.suppressed) if baseline else set()
    findings = [f for stage in stages for f in stage.findings if f.fingerprint not in accepted]
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
    for stage in stages:
        if stage.stage == "checklist" and stage.status == StageStatus.OK:
            reasons.extend(checklist_reasons(stage, policy.risk_appetite))
    if accepted:
        reasons = [r for r in reasons if r.fingerprints or r.fingerprint not in accepted]
    return GateDecision(
        verdict=Verdict.FAIL if reasons else Verdict.PASS,
        fail_on=threshold,
        reasons=tuple(reasons),
        counts={sev: counts.get(sev, 0) for sev in Severity},
        baseline=baseline,
    )


def _top_rules(findings: Sequence[Finding], limit: int = 5) -> str:
    ranked = Counter(f.rule_id for f in findings).most_common()
    shown = ", ".join(f"{rule} ×{n}" for rule, n in ranked[:limit])
    return shown + (", …" if len(ranked) > limit else "")


def _label(item: ItemResult) -> str:
    refs = ", ".join(item.references[:3])
    return f"{item.id}" + (f" ({refs})" if refs else "")


def _trigger_text(item: ItemResult, details: ChecklistDetails) -> Text:
    en, zh = [], []
    for condition in item.triggered_by:
        fact = details.context.get(condition)
        what = condition_text(condition)
        if fact is not None and fact.source == "pii":
            seen = ", ".join(fact.categories)
            en.append(f"the PII scan found that {what.en} ({seen})")
            zh.append(f"个人信息扫描发现{what.zh}（{seen}）")
        else:
            en.append(f"[checklist.context] declares: {what.en}")
            zh.append(f"[checklist.context] 声明：{what.zh}")
    return Text(en="; ".join(en), zh="；".join(zh))


def _item_reasons(item: ItemResult, details: ChecklistDetails, appetite: int) -> list[GateReason]:
    reasons: list[GateReason] = []
    label = _label(item)
    status = item.status.value

    def add(rule: str, en: str, zh: str) -> None:
        reasons.append(GateReason(rule=rule, message=Text(en=en, zh=zh)))

    if item.triggered_by and item.status != Status.YES:
        why = _trigger_text(item, details)
        add(
            "gate.checklist.trigger",
            f"{label} is required because {why.en}; answered '{status}', needs 'yes'",
            f"{label} 为必需项，因为{why.zh}；当前回答「{status}」，须为「yes」",
        )
    elif item.blocking and item.status in (Status.NO, Status.UNANSWERED):
        add(
            "gate.checklist.blocking",
            f"blocking item {label} is answered '{status}'",
            f"阻断项 {label} 的回答为「{status}」",
        )
    if item.status in (Status.NA, Status.PARTIAL) and not item.justification:
        add(
            "gate.checklist.unjustified",
            f"{label} is answered '{status}' without a justification",
            f"{label} 回答为「{status}」但没有说明理由",
        )
    if item.status in (Status.YES, Status.PARTIAL):
        for c in item.criteria:
            bound = f"{c.metric} {c.comparator} {c.threshold:g}{c.unit}"
            if c.met is False:
                add(
                    "gate.checklist.criterion",
                    f"{label}: measured {c.metric} = {c.value:g}{c.unit}, required {bound}",
                    f"{label}：实测 {c.metric} = {c.value:g}{c.unit}，要求 {bound}",
                )
            elif c.met is None and item.status == Status.YES:
                add(
                    "gate.checklist.criterion",
                    f"{label} is answered 'yes' but {c.metric} is not measured (required {bound})",
                    f"{label} 回答为「yes」但未记录 {c.metric} 的实测值（要求 {bound}）",
                )
    if (
        item.blocking
        and item.evidence_required
        and item.status == Status.YES
        and not item.auto
        and not item.evidence
    ):
        add(
            "gate.checklist.evidence",
            f"blocking item {label} is answered 'yes' without the required evidence",
            f"阻断项 {label} 回答为「yes」但缺少必需的证据",
        )
    risk = item.risk
    if risk is not None and risk.score > appetite and not risk.accepted:
        if risk.accepted_by:
            en_tail = f"; '{risk.accepted_by}' is not a reviewer named in the config"
            zh_tail = f"；「{risk.accepted_by}」不是配置中列出的审查人"
        else:
            en_tail, zh_tail = "; not accepted by a named reviewer", "；未经具名审查人接受"
        add(
            "gate.checklist.risk",
            f"{label}: residual risk {risk.likelihood}×{risk.impact} = {risk.score} "
            f"exceeds the risk appetite {appetite}" + en_tail,
            f"{label}：剩余风险 {risk.likelihood}×{risk.impact} = {risk.score}，"
            f"超过风险偏好 {appetite}" + zh_tail,
        )
    return reasons


def checklist_reasons(stage: StageResult, appetite: int) -> list[GateReason]:
    """Gate reasons from the checklist stage's details, one per item and rule."""
    try:
        details = ChecklistDetails.model_validate(stage.details)
    except ValidationError:
        return [
            GateReason(
                rule="gate.stage_error",
                message=Text(
                    en="the checklist stage's details are malformed",
                    zh="检查清单阶段的结果数据格式错误",
                ),
            )
        ]
    reasons: list[GateReason] = []
    for item in details.items:
        if item.applicable:
            reasons.extend(_item_reasons(item, details, appetite))
    return reasons

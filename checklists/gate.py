"""What the checklist stage asks the gate to fail on, one reason per item and rule."""

from __future__ import annotations

from review.checklists.details import ChecklistDetails, ItemResult
from review.checklists.model import Status, condition_text
from review.core.models import GateReason, Location, Text


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

    def add(rule: str, en: str, zh: str, key: str | None = None) -> None:
        reasons.append(
            GateReason(
                rule=rule,
                message=Text(en=en, zh=zh),
                location=Location(item=item.id),
                key=key,
            )
        )

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
                    c.metric,
                )
            elif c.met is None and item.status == Status.YES:
                add(
                    "gate.checklist.criterion",
                    f"{label} is answered 'yes' but {c.metric} is not measured (required {bound})",
                    f"{label} 回答为「yes」但未记录 {c.metric} 的实测值（要求 {bound}）",
                    c.metric,
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


def checklist_reasons(details: ChecklistDetails, appetite: int) -> list[GateReason]:
    """Gate reasons from the evaluated checklists, one per item and rule."""
    reasons: list[GateReason] = []
    for item in details.items:
        if item.applicable:
            reasons.extend(_item_reasons(item, details, appetite))
    return reasons

"""What the checklist stage asks the gate to fail on, one reason per item and rule.

Accepted residual risk (the rule, the same for every answer): when a reviewer named in
the config accepts an item's residual risk (``risk.accepted_by``, not expired), the
item's *shortfalls* are accepted instead of failing the gate: a measured value outside
its criterion (checked for 'yes', 'partial' and 'no' alike), an unmeasured criterion of a
'yes', and a residual risk above the appetite. They stay visible as accepted reasons
(source ``risk-acceptance``, owner = the reviewer) in the register of accepted risks.
What a risk acceptance never covers: a regulatory trigger (the law requires 'yes'), a
blocking item answered 'no' or left unanswered, a missing justification and missing
required evidence. So 'partial' and 'no' with the same accepted risk decide the same.
"""

from __future__ import annotations

from review.checklists.details import ChecklistDetails, ItemResult
from review.checklists.model import Status, condition_text
from review.core.i18n import cite_zh, unit_label
from review.core.i18n import label as catalogue
from review.core.models import Acceptance, GateReason, Location, Text

# The shortfalls an accepted residual risk covers (see the module docstring).
RISK_ACCEPTABLE = frozenset({"gate.checklist.criterion", "gate.checklist.risk"})


def answer_label(status: str) -> Text:
    """An answer status ('yes', 'n/a', ...) in both languages."""
    return catalogue(f"answer.{status}")


def risk_acceptance(item: ItemResult) -> Acceptance | None:
    """The reviewer's acceptance of the item's residual risk, if a configured one gave it."""
    risk = item.risk
    if risk is None or not risk.accepted or risk.accepted_by is None:
        return None
    return Acceptance(
        source="risk-acceptance",
        justification=item.justification or "",
        owner=risk.accepted_by,
        expires=risk.expires,
        expired=risk.expired,
    )


def _label(item: ItemResult, zh: bool = False) -> str:
    refs = ", ".join(cite_zh(r) if zh else r for r in item.references[:3])
    return f"{item.id}" + (f" ({refs})" if refs else "")


def _trigger_text(item: ItemResult, details: ChecklistDetails) -> Text:
    en, zh = [], []
    for condition in item.triggered_by:
        fact = details.context.get(condition)
        what = condition_text(condition)
        if fact is not None and fact.source == "pii":
            seen_zh = "、".join(catalogue(f"category.{c}").zh for c in fact.categories)
            en.append(f"the PII scan found that {what.en} ({', '.join(fact.categories)})")
            zh.append(f"个人信息扫描发现{what.zh}（{seen_zh}）")
        else:
            en.append(f"[checklist.context] declares: {what.en}")
            zh.append(f"[checklist.context] 声明：{what.zh}")
    return Text(en="; ".join(en), zh="；".join(zh))


def _item_reasons(item: ItemResult, details: ChecklistDetails, appetite: int) -> list[GateReason]:
    reasons: list[GateReason] = []
    label = _label(item)
    label_zh = _label(item, zh=True)
    status = item.status.value
    status_zh = answer_label(item.status.value).zh
    accepted = risk_acceptance(item)

    def add(rule: str, en: str, zh: str, key: str | None = None) -> None:
        covered = accepted if rule in RISK_ACCEPTABLE else None
        reasons.append(
            GateReason(
                rule=rule,
                message=Text(en=en, zh=zh),
                location=Location(item=item.id),
                key=key,
                acceptance=covered,
            )
        )

    if item.triggered_by and item.status != Status.YES:
        why = _trigger_text(item, details)
        add(
            "gate.checklist.trigger",
            f"{label} is required because {why.en}; answered '{status}', needs 'yes'",
            f"{label_zh} 为必需项，因为{why.zh}；当前回答「{status_zh}」，须为「是」",
        )
    elif item.blocking and item.status in (Status.NO, Status.UNANSWERED):
        add(
            "gate.checklist.blocking",
            f"blocking item {label} is answered '{status}'",
            f"阻断项 {label_zh} 的回答为「{status_zh}」",
        )
    if item.status in (Status.NA, Status.PARTIAL) and not item.justification:
        add(
            "gate.checklist.unjustified",
            f"{label} is answered '{status}' without a justification",
            f"{label_zh} 回答为「{status_zh}」但没有说明理由",
        )
    if item.status in (Status.YES, Status.PARTIAL, Status.NO):
        for c in item.criteria:
            unit = unit_label(c.unit)
            bound = f"{c.metric} {c.comparator} {c.threshold:g}"
            if c.met is False:
                add(
                    "gate.checklist.criterion",
                    f"{label}: measured {c.metric} = {c.value:g}{unit.en}, "
                    f"required {bound}{unit.en}",
                    f"{label_zh}：实测 {c.metric} = {c.value:g}{unit.zh}，要求 {bound}{unit.zh}",
                    c.metric,
                )
            elif c.met is None and item.status == Status.YES:
                add(
                    "gate.checklist.criterion",
                    f"{label} is answered 'yes' but {c.metric} is not measured "
                    f"(required {bound}{unit.en})",
                    f"{label_zh} 回答为「是」但未记录 {c.metric} 的实测值（要求 {bound}{unit.zh}）",
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
            f"阻断项 {label_zh} 回答为「是」但缺少必需的证据",
        )
    risk = item.risk
    if risk is not None and risk.score > appetite:
        if risk.accepted:
            en_tail = f"; accepted by {risk.accepted_by}"
            zh_tail = f"；已由 {risk.accepted_by} 接受"
        elif risk.accepted_by:
            en_tail = f"; '{risk.accepted_by}' is not a reviewer named in the config"
            zh_tail = f"；「{risk.accepted_by}」不是配置中列出的审查人"
        else:
            en_tail, zh_tail = "; not accepted by a named reviewer", "；未经具名审查人接受"
        add(
            "gate.checklist.risk",
            f"{label}: residual risk {risk.likelihood}×{risk.impact} = {risk.score} "
            f"exceeds the risk appetite {appetite}" + en_tail,
            f"{label_zh}：剩余风险 {risk.likelihood}×{risk.impact} = {risk.score}，"
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

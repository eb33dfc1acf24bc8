"""Turning checklists, answers, product context and scanner results into ChecklistDetails."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from review.checklists.details import (
    ChecklistDetails,
    ChecklistSummary,
    ContextValue,
    CoverageRow,
    CoverageStatus,
    CriterionResult,
    ItemResult,
    RiskResult,
    article_key,
)
from review.checklists.model import (
    Answer,
    AutoSource,
    Checklist,
    Condition,
    Item,
    LocalText,
    Status,
)
from review.config import ProductContext
from review.models import StageResult, StageStatus, Text


@dataclass(frozen=True)
class AutoAnswer:
    """An answer derived from a scanner's details."""

    status: Status
    justification: Text


def _details(previous: Mapping[str, StageResult], stage: str) -> dict[str, Any] | None:
    result = previous.get(stage)
    if result is None or result.status != StageStatus.OK:
        return None
    return dict(result.details)


def _licenses(previous: Mapping[str, StageResult]) -> AutoAnswer | None:
    details = _details(previous, "licenses")
    if details is None or not isinstance(details.get("counts"), dict):
        return None
    counts = details["counts"]
    conflict, review = int(counts.get("conflict", 0)), int(counts.get("review", 0))
    total = sum(int(v) for v in counts.values() if isinstance(v, int))
    packages = details.get("packages") if isinstance(details.get("packages"), list) else []
    conflicting = sorted(
        {
            str(p.get("name"))
            for p in packages or []
            if isinstance(p, dict) and p.get("verdict") == "conflict"
        }
    )
    names = ", ".join(conflicting[:5]) + (", …" if len(conflicting) > 5 else "")
    if conflict:
        return AutoAnswer(
            Status.NO,
            Text(
                en=f"license scan: {conflict} of {total} dependencies conflict ({names})",
                zh=f"许可证扫描：{total} 个依赖中 {conflict} 个存在冲突（{names}）",
            ),
        )
    if review:
        return AutoAnswer(
            Status.PARTIAL,
            Text(
                en=f"license scan: no conflict; {review} of {total} dependencies need review",
                zh=f"许可证扫描：无冲突，{total} 个依赖中 {review} 个需人工复核",
            ),
        )
    return AutoAnswer(
        Status.YES,
        Text(
            en=f"license scan: {total} dependencies, no conflict",
            zh=f"许可证扫描：{total} 个依赖，无冲突",
        ),
    )


_SAFE_LEVELS = {"anonymised", "de-identified"}


def _desensitisation(previous: Mapping[str, StageResult]) -> AutoAnswer | None:
    details = _details(previous, "desensitisation")
    datasets = details.get("datasets") if details else None
    if not isinstance(datasets, list) or not datasets:
        return None
    problems: list[str] = []
    for dataset in datasets:
        if not isinstance(dataset, dict):
            continue
        name = str(dataset.get("masked", "?"))
        checks = dataset.get("checks") if isinstance(dataset.get("checks"), list) else []
        failed = sorted(
            {
                str(c.get("check"))
                for c in checks or []
                if isinstance(c, dict) and c.get("status") == "fail"
            }
        )
        level = dataset.get("level")
        if level not in _SAFE_LEVELS or failed:
            shown = f"{name}: level {level}"
            if failed:
                shown += f"; failed {', '.join(failed)}"
            problems.append(shown)
    if problems:
        return AutoAnswer(
            Status.NO,
            Text(
                en="desensitisation check: " + " | ".join(problems),
                zh="脱敏验证未通过：" + " | ".join(problems),
            ),
        )
    return AutoAnswer(
        Status.YES,
        Text(
            en=f"desensitisation check: {len(datasets)} dataset(s) pass every check",
            zh=f"脱敏验证：{len(datasets)} 个数据集全部检查通过",
        ),
    )


def _sensitive_categories(previous: Mapping[str, StageResult], key: str) -> list[str] | None:
    details = _details(previous, "pii")
    if details is None:
        return None
    found = details.get(key)
    return sorted(str(c) for c in found) if isinstance(found, list) else []


def _pii(previous: Mapping[str, StageResult]) -> AutoAnswer | None:
    categories = _sensitive_categories(previous, "sensitive_categories")
    if categories is None:
        return None
    details = _details(previous, "pii") or {}
    files = details.get("files")
    count = len(files) if isinstance(files, list) else 0
    if categories:
        shown = ", ".join(categories)
        return AutoAnswer(
            Status.YES,
            Text(
                en=f"PII scan of {count} file(s) identified sensitive PI: {shown}",
                zh=f"个人信息扫描（{count} 个文件）识别出敏感个人信息：{shown}",
            ),
        )
    return AutoAnswer(
        Status.YES,
        Text(
            en=f"PII scan of {count} file(s) found no sensitive PI category",
            zh=f"个人信息扫描（{count} 个文件）未发现敏感个人信息类别",
        ),
    )


# The closed registry of automatic answers; a test checks it covers every AutoSource.
AUTO_ANSWERS: dict[AutoSource, Callable[[Mapping[str, StageResult]], AutoAnswer | None]] = {
    AutoSource.LICENSES_NO_CONFLICT: _licenses,
    AutoSource.SAMPLES_DESENSITISED: _desensitisation,
    AutoSource.SENSITIVE_PI_IDENTIFIED: _pii,
}

_AUTO_FROM_PII = {
    Condition.SENSITIVE_PI: "sensitive_categories",
    Condition.SPECIAL_CATEGORY: "gdpr_special_categories",
}


def evaluate_context(
    context: ProductContext, previous: Mapping[str, StageResult]
) -> dict[Condition, ContextValue]:
    """Each condition's value: from config, or for 'auto' flags from the pii stage."""
    out: dict[Condition, ContextValue] = {}
    for condition in Condition:
        raw = getattr(context, condition.value)
        if raw == "auto":
            found = _sensitive_categories(previous, _AUTO_FROM_PII[condition])
            if found is None:
                out[condition] = ContextValue(value=None, source="unknown")
            else:
                out[condition] = ContextValue(
                    value=bool(found), source="pii", categories=tuple(found)
                )
        elif raw is None:
            out[condition] = ContextValue(value=None, source="unknown")
        else:
            out[condition] = ContextValue(value=bool(raw), source="config")
    return out


def _as_str(text: LocalText | None) -> str | None:
    if text is None:
        return None
    return text if isinstance(text, str) else text.get("bilingual")


def _item_result(
    checklist: Checklist,
    section_id: str,
    item: Item,
    answer: Answer | None,
    context: Mapping[Condition, ContextValue],
    previous: Mapping[str, StageResult],
    reviewers: set[str],
) -> ItemResult:
    triggered = tuple(c.value for c in item.blocking_when if context[c].value is True)
    # Unknown facts keep an item applicable: better one question too many than a gap.
    applicable = bool(triggered) or all(context[c].value is not False for c in item.applies_when)
    status = answer.status if answer else Status.UNANSWERED
    justification = _as_str(answer.justification) if answer else None
    auto = False
    if item.auto is not None:
        derived = AUTO_ANSWERS[item.auto](previous)
        if derived is not None:
            status, justification, auto = (
                derived.status,
                derived.justification.get("bilingual"),
                True,
            )
    if not applicable and answer is None:
        off = [c.value for c in item.applies_when if context[c].value is False]
        status = Status.NA
        justification = (
            f"不适用：[checklist.context] {', '.join(off)} = false / "
            f"not applicable: [checklist.context] {', '.join(off)} = false"
        )
    measured = answer.measured if answer else {}
    criteria = tuple(
        CriterionResult(
            metric=c.metric,
            comparator=c.comparator.value,
            threshold=c.threshold,
            unit=c.unit,
            value=measured.get(c.metric),
            met=None
            if c.metric not in measured
            else c.comparator.holds(measured[c.metric], c.threshold),
        )
        for c in item.criteria
    )
    risk = None
    if answer is not None and answer.risk is not None:
        r = answer.risk
        risk = RiskResult(
            likelihood=r.likelihood,
            impact=r.impact,
            score=r.score,
            accepted_by=r.accepted_by,
            accepted=r.accepted_by is not None and r.accepted_by in reviewers,
        )
    return ItemResult(
        id=f"{checklist.id}.{item.id}",
        checklist=checklist.id,
        section=section_id,
        title=item.title,
        question=item.question,
        status=status,
        auto=auto,
        blocking=item.blocking or bool(triggered),
        applicable=applicable,
        triggered_by=triggered,
        evidence_required=item.evidence_required,
        owner=answer.owner if answer else None,
        due=answer.due.isoformat() if answer and answer.due else None,
        evidence=answer.evidence if answer else (),
        justification=justification,
        remediation=_as_str(answer.remediation) if answer else None,
        risk=risk,
        references=tuple(str(ref) for ref in item.references),
        criteria=criteria,
    )


def item_state(item: ItemResult) -> CoverageStatus:
    """covered: yes, or n/a with a justification; partial: partial; open: anything else."""
    if item.status == Status.YES or (item.status == Status.NA and item.justification):
        return "covered"
    if item.status == Status.PARTIAL:
        return "partial"
    return "open"


def coverage(
    checklists: Sequence[Checklist], results: Mapping[str, ItemResult]
) -> dict[str, tuple[CoverageRow, ...]]:
    """Framework -> article -> items and a combined status."""
    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for checklist in checklists:
        for _, item in checklist.items():
            item_id = f"{checklist.id}.{item.id}"
            for ref in item.references:
                if item_id not in table[ref.framework][ref.article]:
                    table[ref.framework][ref.article].append(item_id)
    out: dict[str, tuple[CoverageRow, ...]] = {}
    for framework in sorted(table):
        rows = []
        for article in sorted(table[framework], key=article_key):
            items = tuple(table[framework][article])
            states = {item_state(results[i]) for i in items}
            status: CoverageStatus = (
                "covered" if states == {"covered"} else "open" if states == {"open"} else "partial"
            )
            rows.append(CoverageRow(article=article, items=items, status=status))
        out[framework] = tuple(rows)
    return out


def evaluate(
    checklists: Sequence[Checklist],
    answers: Mapping[str, Answer],
    product: ProductContext,
    previous: Mapping[str, StageResult],
    reviewers: set[str],
) -> ChecklistDetails:
    """Evaluate every item of ``checklists`` against the answers and the scanner results."""
    context = evaluate_context(product, previous)
    results: dict[str, ItemResult] = {}
    summaries = []
    for checklist in checklists:
        mine = []
        for section, item in checklist.items():
            item_id = f"{checklist.id}.{item.id}"
            result = _item_result(
                checklist, section.id, item, answers.get(item_id), context, previous, reviewers
            )
            results[item_id] = result
            mine.append(result)
        summaries.append(
            ChecklistSummary(
                id=checklist.id,
                title=checklist.title,
                answered=sum(r.status != Status.UNANSWERED for r in mine),
                total=len(mine),
            )
        )
    return ChecklistDetails(
        checklists=tuple(summaries),
        items=tuple(results.values()),
        coverage=coverage(checklists, results),
        context={c.value: context[c] for c in Condition},
    )

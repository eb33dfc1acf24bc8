"""Turning checklists, answers, product context and scanner results into ChecklistDetails."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from review.checklists.config import ProductContext
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
    Checklist,
    Condition,
    Item,
    Status,
    measured_value,
)
from review.core.clock import now
from review.core.models import Attestation, Claim, StageResult, Text


def attestation(previous: Mapping[str, StageResult], claim: Claim) -> Attestation | None:
    """What an earlier stage stated on ``claim``, if one did."""
    return next(
        (found for result in previous.values() if (found := result.attestation(claim))), None
    )


_STATUS = {"yes": Status.YES, "no": Status.NO, "partial": Status.PARTIAL}

# The product facts the pii stage can establish when [checklist.context] says "auto".
_FACT_CLAIMS = {
    Condition.SENSITIVE_PI: Claim.SENSITIVE_PI,
    Condition.SPECIAL_CATEGORY: Claim.SPECIAL_CATEGORY,
}


def evaluate_context(
    context: ProductContext, previous: Mapping[str, StageResult]
) -> dict[Condition, ContextValue]:
    """Each condition's value: from config, or for 'auto' flags from the pii stage."""
    out: dict[Condition, ContextValue] = {}
    for condition in Condition:
        raw = getattr(context, condition.value)
        if raw == "auto":
            found = attestation(previous, _FACT_CLAIMS[condition])
            if found is None:
                out[condition] = ContextValue(value=None, source="unknown")
            else:
                out[condition] = ContextValue(
                    value=found.holds == "yes", source="pii", categories=found.categories
                )
        elif raw is None:
            out[condition] = ContextValue(value=None, source="unknown")
        else:
            out[condition] = ContextValue(value=bool(raw), source="config")
    return out


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
    justification: str | Text | None = answer.justification if answer else None
    auto = False
    if item.auto is not None:
        derived = attestation(previous, Claim(item.auto.value))
        if derived is not None:
            status, justification, auto = (
                _STATUS[derived.holds],
                derived.justification,
                True,
            )
    if not applicable and answer is None:
        off = [c.value for c in item.applies_when if context[c].value is False]
        status = Status.NA
        justification = Text(
            zh=f"不适用：[checklist.context] {', '.join(off)} = false",
            en=f"not applicable: [checklist.context] {', '.join(off)} = false",
        )
    given = answer.measured if answer else {}
    measured = {
        c.metric: measured_value(given[c.metric], c.unit, c.threshold)
        for c in item.criteria
        if c.metric in given
    }
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
            accepted_on=r.accepted_on,
            expires=r.expires,
            expired=r.expires is not None and r.expires < now().date(),
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
        remediation=answer.remediation if answer else None,
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

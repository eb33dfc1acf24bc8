"""The checklist stage: answers the configured checklists and records coverage."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from review.checklists.config import ChecklistConfig
from review.checklists.details import ChecklistDetails, ChecklistResult
from review.checklists.evaluate import evaluate
from review.checklists.gate import checklist_reasons
from review.checklists.loader import (
    BUILTIN,
    all_builtin_item_ids,
    evidence_path,
    load_answers,
    load_builtin,
)
from review.checklists.model import Answer, AnswersFile, Checklist, Status, is_url
from review.core.errors import ConfigError, InputError
from review.core.models import Text
from review.core.stage import Stage, StageContext


class ChecklistStage(Stage[ChecklistConfig, ChecklistResult]):
    """Bilingual checklists answered by the team and, where possible, by the scanners."""

    name: ClassVar[str] = "checklist"
    title: ClassVar[Text] = Text(en="Checklists", zh="检查清单")

    def skip_reason(self, section: ChecklistConfig) -> Text | None:
        if not section.enabled:
            return Text(
                en="[checklist] enabled = false", zh="[checklist] enabled = false（已关闭）"
            )
        if not section.checklists:
            return Text(en="[checklist] checklists is empty", zh="[checklist] checklists 为空")
        return None

    def run(self, section: ChecklistConfig, context: StageContext) -> ChecklistResult:
        checklists = self._checklists(section, context)
        answers_file = section.answers
        answers = AnswersFile()
        inputs: list[str] = []
        if answers_file is not None:
            answers = load_answers(answers_file)
            check_answers(answers, answers_file)
            inputs.append(context.relpath(answers_file))
            inputs.extend(
                context.relpath(evidence_path(answers_file, ref))
                for item_id in sorted(answers.answers)
                for ref in answers.answers[item_id].evidence
                if not is_url(ref)
            )
        details = evaluate(
            checklists,
            answers.answers,
            section.context,
            context.previous,
            {reviewer.name for reviewer in context.reviewers},
        )
        return ChecklistResult(
            summary=_summary(details),
            inputs=tuple(sorted(set(inputs))),
            gate_reasons=tuple(checklist_reasons(details, context.gate.risk_appetite)),
            details=details,
        )

    def _checklists(self, section: ChecklistConfig, context: StageContext) -> list[Checklist]:
        source = context.config_source or context.project_dir / "review.toml"
        out = []
        for index, checklist_id in enumerate(section.checklists):
            if checklist_id not in BUILTIN:
                known = ", ".join(sorted(BUILTIN))
                raise ConfigError(
                    source,
                    f"checklist.checklists[{index}]: unknown checklist '{checklist_id}' "
                    f"(built-in: {known})",
                )
            out.append(load_builtin(checklist_id))
        return out


def unknown_answers(answers: AnswersFile) -> list[str]:
    """Ids that name no built-in item, and measured metrics the item has no criterion for."""
    items = {
        f"{checklist_id}.{item.id}": item
        for checklist_id in BUILTIN
        for _, item in load_builtin(checklist_id).items()
    }
    known = all_builtin_item_ids()
    problems = []
    for item_id in sorted(answers.answers):
        if item_id not in known:
            problems.append(f"answers.{item_id}: no such checklist item")
            continue
        metrics = {c.metric for c in items[item_id].criteria}
        for metric in sorted(answers.answers[item_id].measured):
            if metric not in metrics:
                allowed = ", ".join(sorted(metrics)) or "none"
                problems.append(
                    f"answers.{item_id}.measured.{metric}: the item has no such criterion "
                    f"(criteria: {allowed})"
                )
    return problems


def check_answers(answers: AnswersFile, source: Path) -> None:
    """Ids must name built-in items and measured metrics the item's criteria."""
    problems = unknown_answers(answers)
    if problems:
        raise InputError(source, problems[0])


def answer_problems(answers: AnswersFile) -> list[Text]:
    """Content problems that do not stop a run but fail the gate: missing justifications."""
    problems = []
    for item_id in sorted(answers.answers):
        answer: Answer = answers.answers[item_id]
        if answer.status in (Status.NA, Status.PARTIAL) and answer.justification is None:
            problems.append(
                Text(
                    en=f"answers.{item_id}: '{answer.status.value}' needs a justification",
                    zh=f"answers.{item_id}：回答「{answer.status.value}」须说明理由",
                )
            )
    return problems


def _summary(details: ChecklistDetails) -> Text:
    total = sum(c.total for c in details.checklists)
    answered = sum(c.answered for c in details.checklists)
    open_blocking = sum(
        1
        for item in details.items
        if item.applicable and item.blocking and item.status in (Status.NO, Status.UNANSWERED)
    )
    return Text(
        en=f"{len(details.checklists)} checklist(s), {answered}/{total} items answered, "
        f"{open_blocking} blocking item(s) open",
        zh=f"{len(details.checklists)} 份检查清单，已回答 {answered}/{total} 项，"
        f"{open_blocking} 个阻断项未完成",
    )

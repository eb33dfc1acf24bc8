"""The one-screen terminal summary printed by ``review run``."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import TextIO

import click

from review.checklists.details import ChecklistResult, coverage_lines
from review.core.models import Severity, Verdict
from review.outputs.common import counts_by_stage
from review.record import Review

_SEVERITY_COLOUR = {
    Severity.CRITICAL: "magenta",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "white",
}
MAX_REASONS = 5
MAX_WIDTH = 160  # one terminal line per reason; the full text is in review.json
MAX_INPUTS = 20  # inputs read in full shown; those not read in full are always shown
# Control characters from a project name or a file name would drive the terminal
# (escape sequences can rewrite what is shown): they are shown as U+FFFD.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _inert(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def colour_wanted(stream: TextIO | None = None) -> bool:
    """Colours only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    return (stream or sys.stdout).isatty()


def input_lines(review: Review, paint: Callable[[str, str], str]) -> list[str]:
    """Every input the stages were told to read, with rows read or why not in full."""
    reads = [(stage.stage, read) for stage in review.stages for read in stage.reads]
    if not reads:
        return []
    lines = ["  inputs / 输入:"]
    shown = 0
    for stage, read in reads:
        rows = "-" if read.rows is None else f"{read.rows:,} rows"
        if read.problem is not None:
            problem = paint(f"NOT READ IN FULL / 未完整读取: {read.problem}", "red")
            lines.append(f"    {stage}: {_inert(read.path)}  {rows}  {problem}"[: MAX_WIDTH * 2])
        elif shown < MAX_INPUTS:
            shown += 1
            lines.append(f"    {stage}: {_inert(read.path)}  {rows}")
    hidden = sum(1 for _, r in reads if r.problem is None) - shown
    if hidden:
        lines.append(f"    … {hidden} more input(s) read in full, listed in review.json")
    return lines


def summary_lines(review: Review, lang: str, colour: bool = False) -> list[str]:
    """Verdict, counts by stage and severity, top reasons: one screen at most."""

    def paint(text: str, fg: str, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if colour else text

    passed = review.gate.verdict == Verdict.PASS
    word = {"en": "PASS" if passed else "FAIL", "zh": "通过" if passed else "未通过"}
    shown = f"{word['zh']} / {word['en']}" if lang == "bilingual" else word.get(lang, word["en"])
    lines = [
        f"review {_inert(review.metadata.project)}: "
        + paint(shown, "green" if passed else "red", bold=True)
        + f"  (fail on ≥ {review.gate.fail_on})"
    ]
    table = counts_by_stage(review)
    if not table:
        lines.append("  no stage had anything to check / 没有可执行的审查阶段")
    else:
        width = max(len(name) for name in table) + 2
        header = "  " + "stage".ljust(width) + "".join(s.value.rjust(10) for s in Severity)
        lines.append(header + "  accepted  gate reasons")
        for name, tally in table.items():
            row = tally.open
            cells = "".join(
                paint(str(row[s]).rjust(10), _SEVERITY_COLOUR[s]) if row[s] else str(0).rjust(10)
                for s in Severity
            )
            accepted = tally.accepted + tally.accepted_reasons
            given = paint(str(tally.reasons).rjust(14), "red") if tally.reasons else "0".rjust(14)
            lines.append("  " + name.ljust(width) + cells + str(accepted).rjust(10) + given)
    if table:
        lines.append("  ran / 已运行: " + ", ".join(table))
    for skipped in review.skipped:
        lines.append(f"  skipped / 未运行 {skipped.stage}: {skipped.reason.get(lang)}")
    lines.extend(input_lines(review, paint))
    if checklist := review.result(ChecklistResult):
        lines.extend(coverage_lines(checklist.details, lang))
    reasons = review.gate.reasons
    for reason in reasons[:MAX_REASONS]:
        text = _inert(reason.message.get(lang))
        lines.append("  - " + (text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"))
    if len(reasons) > MAX_REASONS:
        lines.append(f"  … {len(reasons) - MAX_REASONS} more reason(s) in review.json")
    baseline = review.gate.baseline
    if baseline is not None:
        lines.append(
            f"  baseline {baseline.path}: {baseline.accepted} accepted, "
            f"{len(baseline.stale)} stale, {len(baseline.expired)} expired"
        )
        for note in baseline.notes[:MAX_REASONS]:
            what = (
                "no longer found: remove it"
                if note.state == "stale"
                else (f"expired {note.expires}: fails the gate again")
            )
            lines.append(f"    {note.state} {note.fingerprint} {note.rule_id}: {what}")
    return lines

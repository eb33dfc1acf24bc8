"""A Markdown summary sized for a pull-request comment or $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import html
import re

from review.core.models import Severity, Verdict
from review.outputs.common import counts_by_stage, ranked_findings, where
from review.outputs.interface import OutputFormat
from review.record import Review

TOP_FINDINGS = 10


# Inside a line (never at its start), only these make Markdown do something: emphasis,
# code, links and images (with their brackets escaped, ``(url)`` stays text), strike-
# through and table cells.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|~])")


def _cell(text: str) -> str:
    """``text`` as inert Markdown on one line: HTML escaped (``<script>``, ``<img>``
    become text), Markdown's active characters backslash-escaped (no links, images,
    emphasis or table breaks from a project name or a lock-file field)."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return _MARKDOWN_ACTIVE.sub(r"\\\1", escaped)


def _code(text: str) -> str:
    """``text`` inside a code span: backticks and line breaks cannot end it early."""
    return " ".join(text.replace("`", "'").split())


class MarkdownFormat(OutputFormat):
    name = "markdown"
    filename = "summary.md"
    description = "a short summary for pull requests and CI job pages"

    def render(self, review: Review) -> str:
        gate = review.gate
        passed = gate.verdict == Verdict.PASS
        icon = "✅" if passed else "❌"
        verdict = "PASS / 通过" if passed else "FAIL / 未通过"
        meta = review.metadata
        lines = [
            f"## {icon} Review gate: {verdict}",
            "",
            f"**{_cell(meta.project)}** {_cell(meta.project_version or '')} · review "
            f"{meta.tool_version}"
            f" · fail on ≥ `{gate.fail_on}`",
            "",
        ]
        if gate.reasons:
            lines.append("### Why / 原因")
            lines.append("")
            lines += [f"- {_cell(r.message.en)}  \n  {_cell(r.message.zh)}" for r in gate.reasons]
            lines.append("")
        top = [f for f in ranked_findings(review) if not f.accepted][:TOP_FINDINGS]
        if top:
            lines += [
                "### Top findings / 主要发现",
                "",
                "| severity | rule | where | finding |",
                "| --- | --- | --- | --- |",
            ]
            for f in top:
                title = f"{f.title.en} / {f.title.zh}"
                lines.append(
                    f"| {f.severity} | `{_code(f.rule_id)}` | {_cell(where(f))} | {_cell(title)} |"
                )
            lines.append("")
        table = counts_by_stage(review)
        if table:
            lines += [
                "### Counts (open) / 统计（未关闭）",
                "",
                "| stage | "
                + " | ".join(s.value for s in Severity)
                + " | accepted / 已接受 | gate reasons / 门禁原因 |",
                "| --- |" + " ---: |" * (len(Severity) + 2),
            ]
            for stage, tally in table.items():
                cells = [str(tally.open[s]) for s in Severity]
                cells += [str(tally.accepted + tally.accepted_reasons), str(tally.reasons)]
                lines.append(f"| {_cell(stage)} | " + " | ".join(cells) + " |")
            lines.append("")
        lines += _baseline_lines(review)
        total = sum(not f.accepted for f in review.findings())
        if total > len(top):
            lines.append(
                f"_{total - len(top)} more finding(s) in review.json / 其余发现见 review.json_"
            )
            lines.append("")
        lines += _register(review)
        return "\n".join(lines)


def _baseline_lines(review: Review) -> list[str]:
    """The baseline's entries that need a person: stale (remove) and expired (decide)."""
    baseline = review.gate.baseline
    if baseline is None:
        return []
    notes = baseline.notes
    lines = [
        "### Baseline / 基线",
        "",
        f"`{_cell(baseline.path)}`: {baseline.accepted} accepted / 已接受, "
        f"{len(baseline.stale)} stale / 已失效, {len(baseline.expired)} expired / 已过期",
        "",
    ]
    if notes:
        lines += ["| entry | state | rule | where | note |", "| --- | --- | --- | --- | --- |"]
        for note in notes[:TOP_FINDINGS]:
            if note.state == "stale":
                what = "no longer found: remove it / 已不存在，请删除"
            else:
                what = f"expired {note.expires}: fails the gate again / 已过期，重新计入门禁"
            lines.append(
                f"| `{note.fingerprint}` | {note.state} | `{note.rule_id}` | "
                f"{_cell(note.where)} | {what} |"
            )
        if len(notes) > TOP_FINDINGS:
            lines.append(
                f"\n_{len(notes) - TOP_FINDINGS} more in review.json / 其余见 review.json_"
            )
        lines.append("")
    return lines


def _register(review: Review) -> list[str]:
    """The register of accepted risks: what, why, who, until when."""
    items = review.accepted_register
    if not items:
        return []
    lines = [
        "### Accepted risks / 已接受的风险",
        "",
        "| status | source | rule | where / what | justification | owner | expires |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for item in items:
        a = item.acceptance
        status = "EXPIRED, open again / 已过期，重新计入" if a.expired else "accepted / 已接受"
        what = item.where or item.what.en
        cells = [
            status,
            a.source,
            f"`{item.rule}`",
            _cell(what),
            _cell(a.shown_justification("bilingual") or "—"),
            _cell(a.owner or "—"),
            a.expires.isoformat() if a.expires else "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines

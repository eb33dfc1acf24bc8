"""Text renderings of a checklist: bilingual Markdown and a ready-to-fill answers template."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import yaml

from review.checklists.model import Checklist, Item, condition_text
from review.core.models import Text

LANGS = ("en", "zh", "bilingual")


def _pair(text: Text, lang: str, sep: str = " / ") -> str:
    if lang == "bilingual":
        return f"{text.zh}{sep}{text.en}"
    return text.get(lang)


def _label(en: str, zh: str, lang: str) -> str:
    return _pair(Text(en=en, zh=zh), lang)


def _item_facts(item: Item, lang: str) -> list[str]:
    facts = []
    if item.references:
        refs = ", ".join(str(r) for r in item.references)
        facts.append(f"**{_label('References', '依据', lang)}**: {refs}")
    flags = []
    if item.blocking:
        flags.append(_label("blocking", "阻断项", lang))
    if item.evidence_required:
        flags.append(_label("evidence required", "需提供证据", lang))
    if item.auto:
        flags.append(_label(f"answered automatically ({item.auto.value})", "自动回答", lang))
    if flags:
        facts.append(f"**{_label('Rules', '规则', lang)}**: " + "; ".join(flags))
    if item.applies_when:
        when = ", ".join(_pair(condition_text(c.value), lang) for c in item.applies_when)
        facts.append(f"**{_label('Applies when', '适用条件', lang)}**: {when}")
    if item.blocking_when:
        when = ", ".join(_pair(condition_text(c.value), lang) for c in item.blocking_when)
        facts.append(f"**{_label('Required when', '必需条件', lang)}**: {when}")
    for c in item.criteria:
        facts.append(
            f"**{_label('Criterion', '可度量标准', lang)}**: `{c.label()}` — "
            + _pair(c.description, lang)
        )
    return facts


def to_markdown(checklist: Checklist, lang: str = "bilingual") -> str:
    """The whole checklist as Markdown, with empty answer boxes."""
    out = [f"# {_pair(checklist.title, lang)}", ""]
    out += [_pair(checklist.description, lang, "\n\n"), ""]
    out += [f"`{checklist.id}` · {_label('version', '版本', lang)} {checklist.version}", ""]
    boxes = " · ".join(
        "☐ " + _label(en, zh, lang)
        for en, zh in (("yes", "是"), ("no", "否"), ("partial", "部分"), ("n/a", "不适用"))
    )
    for section in checklist.sections:
        out += [f"## {_pair(section.title, lang)}", ""]
        for item in section.items:
            out += [f"### `{checklist.id}.{item.id}` {_pair(item.title, lang)}", ""]
            if lang == "bilingual":
                out += [
                    f"**问题**：{item.question.zh}",
                    "",
                    f"**Question**: {item.question.en}",
                    "",
                ]
                out += [
                    f"**指引**：{item.guidance.zh}",
                    "",
                    f"**Guidance**: {item.guidance.en}",
                    "",
                ]
            else:
                out += [f"**{_label('Question', '问题', lang)}**: {item.question.get(lang)}", ""]
                out += [f"**{_label('Guidance', '指引', lang)}**: {item.guidance.get(lang)}", ""]
            out += [f"- {fact}" for fact in _item_facts(item, lang)]
            out += ["", boxes, ""]
    return "\n".join(out).rstrip() + "\n"


# The closed registry of export formats (``review checklist export --format``).
EXPORTERS: dict[str, Callable[[Checklist, str], str]] = {"markdown": to_markdown}


def _comment(text: str) -> list[str]:
    return [f"  # {line}".rstrip() for line in text.splitlines()]


def _header(checklists: Sequence[Checklist], lang: str) -> list[str]:
    names_en = ", ".join(f"'{c.id}' ({c.title.en})" for c in checklists)
    names_zh = "、".join(f"「{c.id}」（{c.title.zh}）" for c in checklists)
    en = [
        f"Answers for the checklists {names_en}.",
        "status: yes | no | partial | n/a | unanswered (是 | 否 | 部分 | 不适用 | 未回答 too);",
        "justification is required for",
        "partial and n/a. evidence: files relative to this file, or URLs.",
        "risk: {likelihood: 1-5, impact: 1-5, accepted_by: <a reviewer named in the config>}.",
        "measured: {metric: value} for the item's criteria (in the unit shown; a percentage",
        "as 85, 85% or 0.85).",
    ]
    zh = [
        f"检查清单 {names_zh} 的答案文件。",
        "status（状态）：yes 是 | no 否 | partial 部分 | n/a 不适用 | unanswered 未回答；",
        "partial 与 n/a 必须填写 justification（理由）。evidence（证据）：相对本文件的路径或 URL。",
        "risk（剩余风险）：likelihood 可能性 1-5，impact 影响 1-5，",
        "accepted_by 接受人（须为配置中的审查人）。",
        "measured（实测值）：按所示单位填写各可度量标准的值（百分比可写作 85、85% 或 0.85）。",
    ]
    lines = {"en": en, "zh": zh, "bilingual": zh + en}[lang]
    return [f"# {line}" for line in lines]


def answers_template(checklists: Sequence[Checklist], lang: str = "bilingual") -> str:
    """One ready-to-fill answers file for ``checklists``: every item 'unanswered',
    questions as comments."""
    out = [*_header(checklists, lang), "answers:"]
    for checklist in checklists:
        out += ["", f"  # ======== {checklist.id}: {_pair(checklist.title, lang)} ========"]
        out += _checklist_answers(checklist, lang)
    text = "\n".join(out) + "\n"
    # The template must itself be a valid answers file; fail loudly here, not for the user.
    yaml.safe_load(text)
    return text


def _checklist_answers(checklist: Checklist, lang: str) -> list[str]:
    out: list[str] = []
    for section in checklist.sections:
        out += ["", f"  # == {_pair(section.title, lang)} =="]
        for item in section.items:
            out.append("")
            out += _comment(f"{_pair(item.title, lang)}")
            if lang == "bilingual":
                out += _comment(f"问：{item.question.zh}") + _comment(f"Q: {item.question.en}")
            else:
                out += _comment(f"{_label('Q', '问', lang)}: {item.question.get(lang)}")
            out += _comment("; ".join(_item_facts(item, lang)).replace("**", ""))
            out.append(f"  {checklist.id}.{item.id}:")
            out.append("    status: unanswered")
            for field in ("justification", "owner", "due"):
                out.append(f"    {field}: null")
            out.append("    evidence: []")
            if item.criteria:
                values = ", ".join(f"{c.metric}: null" for c in item.criteria)
                out.append(f"    # measured: {{{values}}}")
    return out

"""Import of checklists in deon's YAML format (sections of lines, one language per file)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field

from review.checklists.model import Checklist, Item, Section
from review.core.errors import InputError
from review.core.models import Frozen, Reference, Text

NonEmpty = Annotated[str, Field(min_length=1)]

UNTRANSLATED = "（未翻译）"
"""Prefix of Chinese texts that a deon import had no translation for."""


class DeonLine(Frozen):
    """One deon item."""

    line_id: NonEmpty = Field(description="Item id, e.g. 'A.1'.")
    line_summary: NonEmpty = Field(description="Short title.")
    line: NonEmpty = Field(description="The question.")


class DeonSection(Frozen):
    """One deon section."""

    section_id: NonEmpty = Field(description="Section id, e.g. 'A'.")
    title: NonEmpty = Field(description="Section title.")
    lines: tuple[DeonLine, ...] = Field(min_length=1, description="Items.")


class DeonChecklist(Frozen):
    """A deon checklist file."""

    title: NonEmpty = Field(description="Checklist title.")
    sections: tuple[DeonSection, ...] = Field(min_length=1, description="Sections.")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "imported"


def from_deon(
    deon: DeonChecklist, path: Path, zh: DeonChecklist | None, zh_path: Path | None
) -> Checklist:
    """Our model from deon's; ``zh`` is an optional deon-format Chinese translation."""
    zh_lines = {line.line_id: line for s in (zh.sections if zh else ()) for line in s.lines}
    zh_sections = {s.section_id: s.title for s in (zh.sections if zh else ())}
    if zh is not None:
        missing = [
            line.line_id for s in deon.sections for line in s.lines if line.line_id not in zh_lines
        ]
        if missing:
            raise InputError(zh_path, f"no translation for line_id {', '.join(missing)}")

    def text(en: str, translated: str | None) -> Text:
        return Text(en=en, zh=translated if translated else UNTRANSLATED + en)

    sections = []
    for section in deon.sections:
        items = []
        for line in section.lines:
            other = zh_lines.get(line.line_id)
            items.append(
                Item(
                    id=_slug(line.line_id),
                    title=text(line.line_summary, other.line_summary if other else None),
                    question=text(line.line, other.line if other else None),
                    guidance=Text(
                        en=f"Imported from the deon checklist '{deon.title}', item {line.line_id}.",
                        zh=f"导入自 deon 检查清单「{deon.title}」第 {line.line_id} 项。",
                    ),
                    references=(Reference(framework="deon", article=line.line_id),),
                )
            )
        sections.append(
            Section(
                id=_slug(section.section_id),
                title=text(section.title, zh_sections.get(section.section_id)),
                items=tuple(items),
            )
        )
    return Checklist(
        id=_slug(path.stem),
        version="imported",
        title=text(deon.title, zh.title if zh else None),
        description=Text(
            en=f"Imported from the deon-format file {path.name}.",
            zh=f"导入自 deon 格式文件 {path.name}。",
        ),
        sections=tuple(sections),
    )

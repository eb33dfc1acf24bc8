"""``review checklist list | show | validate | template | export``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from review.checklists.loader import (
    BUILTIN,
    answers_problems,
    load_builtin,
    load_checklist_file,
    read_yaml,
    resolve_checklist,
)
from review.checklists.model import Checklist
from review.checklists.render import EXPORTERS, LANGS, answers_template
from review.checklists.stage import answer_problems, unknown_answers
from review.core.errors import InputError
from review.core.fsio import atomic_write

FORMATS = ["table", "json"]


def _frameworks(checklist: Checklist) -> list[str]:
    return sorted({ref.framework for _, item in checklist.items() for ref in item.references})


def _emit(text: str, out: Path | None, force: bool) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    if out.exists() and not force:
        raise InputError(out, "already exists (use --force to replace it)")
    atomic_write(out, text)
    click.echo(f"wrote {out}", err=True)


@click.group()
def checklist() -> None:
    """Browse, validate, template and export checklists. 浏览、校验、生成模板、导出检查清单。"""


@checklist.command("list")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def list_cmd(fmt: str) -> int:
    """List the built-in checklists."""
    rows: list[dict[str, object]] = []
    for checklist_id in BUILTIN:
        c = load_builtin(checklist_id)
        items = len(c.items())
        rows.append(
            {
                "id": c.id,
                "title": c.title.model_dump(),
                "version": c.version,
                "sections": len(c.sections),
                "items": items,
                "frameworks": _frameworks(c),
            }
        )
    if fmt == "json":
        click.echo(json.dumps({"checklists": rows}, ensure_ascii=False, indent=2))
        return 0
    for checklist_id in BUILTIN:
        c = load_builtin(checklist_id)
        click.echo(f"{c.id:<10} {len(c.items()):>3} items  {c.title.zh} / {c.title.en}")
    return 0


@checklist.command()
@click.argument("checklist_id", metavar="ID")
@click.option("--lang", type=click.Choice(LANGS), default="bilingual", show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def show(checklist_id: str, lang: str, fmt: str) -> int:
    """Show a checklist (a built-in ID or a checklist file, ours or deon's)."""
    c = resolve_checklist(checklist_id)
    if fmt == "json":
        click.echo(c.model_dump_json(indent=2))
        return 0
    click.echo(f"{c.id}: {c.title.get(lang)}")
    for section in c.sections:
        click.echo(f"\n[{section.id}] {section.title.get(lang)}")
        for item in section.items:
            mark = "!" if item.blocking else " "
            refs = ", ".join(str(r) for r in item.references)
            click.echo(
                f" {mark} {c.id}.{item.id}: {item.question.get(lang)}"
                + (f"  [{refs}]" if refs else "")
            )
    return 0


@checklist.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> int:
    """Check answers files (or checklist files) and list every problem: exit 2 when a
    file is invalid, 1 when it only has content problems (a missing justification)."""
    return max(_validate_one(file) for file in files)


def _validate_one(file: Path) -> int:
    data = read_yaml(file)
    if isinstance(data, dict) and "sections" in data:
        c = load_checklist_file(file)
        click.echo(
            f"{file}: ok: checklist '{c.id}', {len(c.sections)} sections, {len(c.items())} items"
        )
        return 0
    answers, errors = answers_problems(file)
    if answers is not None:
        errors += unknown_answers(answers)
    for error in errors:
        click.echo(f"review: error: {file}: {error}", err=True)
    if len(errors) > 1:
        click.echo(f"{file}: {len(errors)} problems", err=True)
    if errors:
        return 2
    assert answers is not None
    problems = answer_problems(answers)
    for problem in problems:
        click.echo(f"{file}: {problem.en} / {problem.zh}")
    if problems:
        return 1
    click.echo(f"{file}: ok: {len(answers.answers)} answer(s)")
    return 0


@checklist.command()
@click.argument("checklist_ids", metavar="ID...", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(LANGS), default="bilingual", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
def template(checklist_ids: tuple[str, ...], lang: str, out: Path | None, force: bool) -> int:
    """Write one ready-to-fill answers file for the checklists ID... (merged)."""
    chosen = [resolve_checklist(i) for i in dict.fromkeys(checklist_ids)]
    _emit(answers_template(chosen, lang), out, force)
    return 0


@checklist.command()
@click.argument("checklist_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), required=True)
@click.option("--lang", type=click.Choice(LANGS), default="bilingual", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@click.option(
    "--translation",
    type=click.Path(path_type=Path),
    help="deon-format Chinese translation of a deon-format checklist file.",
)
def export(
    checklist_id: str,
    fmt: str,
    lang: str,
    out: Path | None,
    force: bool,
    translation: Path | None,
) -> int:
    """Export a checklist (built-in ID or file, ours or deon's) as Markdown."""
    _emit(EXPORTERS[fmt](resolve_checklist(checklist_id, translation), lang), out, force)
    return 0

"""``review init``: a first config and answers file for a project."""

from __future__ import annotations

from pathlib import Path

import click

from review.checklists.loader import BUILTIN
from review.scaffold import DEFAULT_CHECKLISTS, init_project


@click.command()
@click.argument("project_dir", default=".", type=click.Path(path_type=Path))
@click.option(
    "--checklist",
    "checklists",
    multiple=True,
    type=click.Choice(list(BUILTIN)),
    help=f"Checklist to answer (repeatable) [{', '.join(DEFAULT_CHECKLISTS)}].",
)
@click.option("--force", is_flag=True, help="Replace an existing review.toml and answers file.")
def init(project_dir: Path, checklists: tuple[str, ...], force: bool) -> int:
    """Detect lock files, sample data, desensitised copies and the project's license in
    PROJECT_DIR, and write a commented review.toml and one answers file to fill in."""
    done = init_project(project_dir, checklists, force=force)
    found = done.found
    root = found.root

    def shown(paths: list[Path]) -> str:
        return ", ".join(p.relative_to(root).as_posix() for p in paths) or "none found"

    click.echo(f"init: project {found.name}")
    click.echo(
        f"init: license {found.license} (from {found.license_source})"
        if found.license
        else "init: license not detected: set [project] license"
    )
    click.echo(f"init: lock files: {shown(found.lockfiles)}")
    if found.sboms:
        click.echo(f"init: SBOMs: {shown(found.sboms)}")
    click.echo(f"init: sample data: {shown(found.data_dirs)}")
    for masked, raw in found.datasets:
        click.echo(f"init: desensitised copy {shown([masked])} of {shown([raw])}")
    click.echo(f"init: wrote {done.config}")
    if done.answers_written:
        click.echo(f"init: wrote {done.answers} (answers for {', '.join(done.checklists)})")
    else:
        click.echo(
            f"init: kept the existing {done.answers} (--force replaces it); "
            f"checklists {', '.join(done.checklists)}"
        )
    click.echo(
        "init: next: choose [project] distribution and [checklist.context] in review.toml, "
        f"fill in {done.answers.name}, then `review run {project_dir}`"
    )
    return 0

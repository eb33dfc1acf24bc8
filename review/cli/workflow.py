"""``review baseline ...`` and ``review config show``: fitting the review into CI."""

from __future__ import annotations

import json
from pathlib import Path

import click

from review.baseline import load_baseline, merge_baseline, save_baseline
from review.config import effective_values, load_config
from review.pipeline import run_review
from review.record import load_review


@click.group()
def baseline() -> None:
    """Accept today's findings so the gate fails only on new ones."""


@baseline.command("create")
@click.argument("project_dir", default=".", type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file.")
@click.option(
    "--from-review",
    "review_json",
    type=click.Path(path_type=Path),
    help="Take the findings from this review.json instead of running the review.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path),
    help="Baseline file [PROJECT_DIR/.review-baseline.json].",
)
def baseline_create(
    project_dir: Path, config_file: Path | None, review_json: Path | None, out_file: Path | None
) -> int:
    """Record the current findings (by fingerprint, never by value) as accepted.

    An existing baseline file is merged: entries still found keep their hand-written
    justification, owner and expiry (an expired entry stays expired), entries no longer
    found are dropped.
    """
    target = out_file or project_dir / ".review-baseline.json"
    existing = load_baseline(target) if target.exists() else None
    if review_json is not None:
        review = load_review(review_json)
    else:
        review = run_review(load_config(project_dir, config_file))
    merge = merge_baseline(review, existing)
    save_baseline(merge.baseline, target)
    click.echo(
        f"baseline: {len(merge.baseline.entries)} finding(s) accepted in {target} "
        f"({merge.added} new, {merge.kept} kept with their justification and expiry, "
        f"{merge.dropped} no longer found and dropped)"
    )
    for entry in merge.expired:
        click.echo(
            f"baseline: entry {entry.fingerprint} ({entry.rule_id}) expired on {entry.expires} "
            "and stays expired: change its 'expires' by hand to accept it again",
            err=True,
        )
    return 0


@click.group("config")
def config_group() -> None:
    """Inspect the effective configuration."""


@config_group.command("show")
@click.argument("project_dir", default=".", type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def config_show(project_dir: Path, config_file: Path | None, fmt: str) -> int:
    """Print the effective config and where each value came from.

    Precedence: command line > REVIEW_* environment (REVIEW_GATE__FAIL_ON=medium) >
    review.toml > [tool.review] in pyproject.toml > defaults.
    """
    loaded = load_config(project_dir, config_file)
    values = effective_values(loaded)
    if fmt == "json":
        document = [{"key": k, "value": v, "origin": o} for k, v, o in values]
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    width = max(len(k) for k, _, _ in values)
    for key, value, origin in values:
        shown = json.dumps(value, ensure_ascii=False)
        click.echo(f"{key.ljust(width)} = {shown}  # {origin}")
    return 0

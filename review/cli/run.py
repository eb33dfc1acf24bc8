"""``review run`` and ``review schema``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from review.baseline import load_baseline
from review.cli.summary import colour_wanted, summary_lines
from review.config import load_config
from review.core.errors import printable
from review.core.fsio import atomic_write
from review.core.models import Verdict
from review.core.outset import OutputSet
from review.core.progress import Progress, progress_wanted
from review.outputs import FORMATS
from review.outputs.sourceroot import find_source_root
from review.pipeline import run_review
from review.record import review_json_schema
from review.reports.produce import REPORT_NAMES, write_run_report

SEVERITIES = ["info", "low", "medium", "high", "critical"]

OUTPUT_NAMES = frozenset({*(output.filename for output in FORMATS.values()), *REPORT_NAMES})
"""Every file ``review run`` writes into OUT: a run replaces the previous run's as a set."""


@click.command()
@click.argument("project_dir", default=".", type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Output directory [PROJECT_DIR/review-out].",
)
@click.option("--lang", type=click.Choice(["en", "zh", "bilingual"]), help="Report language.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Override gate.fail_on.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(sorted(FORMATS)),
    help="Also write this format to OUT (repeatable); 'json' also prints review.json on stdout.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    help="Accepted findings (review baseline create): the gate fails only on new ones.",
)
@click.option(
    "--source-root",
    type=click.Path(path_type=Path),
    help="Repository root that SARIF / Code Quality locations start from "
    "[$REVIEW_SOURCE_ROOT, else the git work tree's top, else PROJECT_DIR].",
)
def run(
    project_dir: Path,
    config_file: Path | None,
    out_dir: Path | None,
    lang: str | None,
    fail_on: str | None,
    formats: tuple[str, ...],
    baseline_file: Path | None,
    source_root: Path | None,
) -> int:
    """Run the review of PROJECT_DIR and apply the gate (exit 0 pass, 1 fail)."""
    overrides = {"report.lang": lang, "gate.fail_on": fail_on}
    loaded = load_config(project_dir, config_file, overrides=overrides)
    baseline = (load_baseline(baseline_file), str(baseline_file)) if baseline_file else None
    root = find_source_root(loaded.project_dir, source_root)
    machine = "json" in formats
    out = out_dir or project_dir / "review-out"
    # Locked from the start: a second run on the same OUT stops before doing any work.
    with OutputSet(out, OUTPUT_NAMES, last=FORMATS["json"].filename) as outputs:
        review = run_review(
            loaded, progress=Progress(progress_wanted(machine_output=machine)), baseline=baseline
        )
        for name in ("json", *sorted(set(formats) - {"json"})):
            output = FORMATS[name](root)
            atomic_write(outputs.staging / output.filename, output.render(review))
        report = write_run_report(
            loaded, review, outputs.staging, Progress(progress_wanted(machine))
        )
        outputs.commit()
    lang_shown = review.metadata.language
    lines = summary_lines(review, lang_shown, colour=not machine and colour_wanted())
    lines.append(f"  outputs: {printable(str(out))}/")
    if report is not None:
        pdf = printable(str(out / report.pdf.name))
        lines.append(f"  report: {pdf}" + (" (signed)" if report.signed else ""))
    for line in lines:
        click.echo(line, err=machine)
    if machine:
        click.echo(review.to_json(), nl=False)
    return 0 if review.gate.verdict == Verdict.PASS else 1


@click.command()
def schema() -> int:
    """Print the JSON Schema of review.json."""
    click.echo(json.dumps(review_json_schema(), indent=2, ensure_ascii=False))
    return 0

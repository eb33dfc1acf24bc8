"""``review run`` and ``review schema``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from reports.produce import write_run_report
from review.config import load_config
from review.models import Review, Severity, Verdict, review_json_schema
from review.pipeline import run_review
from review.progress import Progress, progress_wanted
from review.record import save_review

SEVERITIES = [s.value for s in Severity]


def summary_lines(review: Review, lang: str) -> list[str]:
    """A short human summary: verdict, counts per stage, reasons."""
    verdict = review.gate.verdict
    label = {"en": verdict.value.upper(), "zh": "通过" if verdict == Verdict.PASS else "未通过"}
    head = (
        label["zh"] + " / " + label["en"] if lang == "bilingual" else label.get(lang, label["en"])
    )
    lines = [f"review {review.metadata.project}: {head}"]
    if not review.stages:
        lines.append("  no stage had anything to check / 没有可执行的审查阶段")
    for stage in review.stages:
        counts = {s: 0 for s in Severity}
        for finding in stage.findings:
            counts[finding.severity] += 1
        shown = ", ".join(f"{s.value} {n}" for s, n in counts.items() if n)
        lines.append(
            f"  {stage.stage}: {len(stage.findings)} finding(s)" + (f" ({shown})" if shown else "")
        )
    for reason in review.gate.reasons:
        lines.append(f"  - {reason.message.get(lang)}")
    return lines


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
def run(
    project_dir: Path,
    config_file: Path | None,
    out_dir: Path | None,
    lang: str | None,
    fail_on: str | None,
) -> int:
    """Run the review of PROJECT_DIR and apply the gate (exit 0 pass, 1 fail)."""
    loaded = load_config(project_dir, config_file)
    review = run_review(
        loaded,
        lang=lang,  # type: ignore[arg-type]
        fail_on=Severity(fail_on) if fail_on else None,
        progress=Progress(progress_wanted(machine_output=False)),
    )
    out = out_dir or project_dir / "review-out"
    save_review(review, out / "review.json")
    report = write_run_report(loaded, review, out, Progress(progress_wanted(machine_output=False)))
    for line in summary_lines(review, review.metadata.language):
        click.echo(line)
    click.echo(f"  review.json: {out / 'review.json'}")
    if report is not None:
        click.echo(f"  report: {report.pdf}" + (" (signed)" if report.signed else ""))
    return 0 if review.gate.verdict == Verdict.PASS else 1


@click.command()
def schema() -> int:
    """Print the JSON Schema of review.json."""
    click.echo(json.dumps(review_json_schema(), indent=2, ensure_ascii=False))
    return 0

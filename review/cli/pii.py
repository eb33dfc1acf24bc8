"""``review pii scan``: a thin adapter over ``review.scanners.pii.scan``."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import click

from review.cli.engine import engine_options, spark_settings
from review.config import load_config
from review.core.config import GateConfig
from review.core.models import Acceptance, Finding, Severity
from review.core.progress import Progress, progress_wanted
from review.locate import Sources
from review.outputs.standalone import SCAN_FORMATS, render_scan, scan_exit_code, scan_review
from review.scanners.pii.categories import entity_severity
from review.scanners.pii.details import PiiDetails
from review.scanners.pii.ignore import IgnoreRules, entity_rule_id
from review.scanners.pii.recognizers import ENTITY_TYPES
from review.scanners.pii.results import CellHit, ScanReport
from review.scanners.pii.scan import normalise_column, scan_paths
from review.scanners.pii.spark import scan_sources
from review.scanners.pii.stage import ignore_rules, scan_result

SCHEMA = "review.pii/1"


def _entities(values: tuple[str, ...]) -> list[str] | None:
    wanted = [v.strip().upper() for value in values for v in value.split(",") if v.strip()]
    unknown = sorted(set(wanted) - set(ENTITY_TYPES))
    if unknown:
        raise click.BadParameter(
            f"unknown entity {', '.join(unknown)} (known: {', '.join(ENTITY_TYPES)})",
            param_hint="--entities",
        )
    return wanted or None


def _write_json(details: PiiDetails, spool: IO[str] | None, out: IO[str]) -> None:
    # Cell findings were spooled to disk while scanning, so memory stays flat however
    # many there are; the document is only printed once the scan has succeeded. The
    # Spark engine counts cells on the executors and lists none ("findings": null).
    if spool is None:
        out.write(f'{{"schema": "{SCHEMA}", "findings": null,\n')
    else:
        out.write(f'{{"schema": "{SCHEMA}", "findings": [')
        spool.seek(0)
        for i, line in enumerate(spool):
            out.write(("," if i else "") + "\n  " + line.rstrip("\n"))
        out.write("\n ],\n")
    if details.engine is not None:
        engine = details.engine.model_dump(mode="json")
        out.write(' "engine": ' + json.dumps(engine, ensure_ascii=False) + ",\n")
    columns = [c.model_dump(mode="json") for c in details.columns]
    files = [f.model_dump(mode="json", exclude_none=True) for f in details.files]
    rules = [r.model_dump(mode="json") for r in details.ignore_rules]
    names = [n.model_dump(mode="json") for n in details.names]
    out.write(' "columns": ' + json.dumps(columns, ensure_ascii=False) + ",\n")
    out.write(' "names": ' + json.dumps(names, ensure_ascii=False) + ",\n")
    out.write(' "files": ' + json.dumps(files, ensure_ascii=False) + ",\n")
    out.write(' "ignore_rules": ' + json.dumps(rules, ensure_ascii=False) + "}\n")


def _accepted(acceptance: Acceptance | None) -> str:
    """How a line of the table reads when a [[pii.ignore]] rule decided it."""
    if acceptance is None:
        return ""
    until = f" until {acceptance.expires}" if acceptance.expires else ""
    if acceptance.expired:
        return f"  [ignore rule expired {acceptance.expires}: counts again]"
    return f"  [accepted{until}: {acceptance.shown_justification('bilingual')}]"


def _table_lines(report: ScanReport, findings: Sequence[Finding]) -> list[str]:
    decided = {
        (f.location.path, f.location.column, f.rule_id): f.acceptance
        for f in findings
        if f.location is not None
    }

    def accepted(path: str, column: str | None, entity: str) -> str:
        return _accepted(decided.get((path, column, entity_rule_id(entity))))

    lines = []
    if report.engine is not None:
        lines.append(f"engine: {report.engine.name} ({report.engine.master})")
    for file in report.files:
        sample = ""
        if file.sample is not None:
            sample = f"; sample: {file.sample.method}, of {file.sample.rows_total} rows"
        lines.append(
            f"{file.path} ({file.kind}, {file.encoding or 'binary'}, {file.rows_scanned} rows"
            f"{sample})"
        )
        for found in file.names:
            where = "file name" if found.kind == "file" else "names"
            severity = entity_severity(found.entity_type).value
            shown = ", ".join(found.names[:3]) + (", …" if len(found.names) > 3 else "")
            lines.append(f"  {where:<24} {found.entity_type:<18} {severity:<8} {shown}")
        for column in file.columns:
            for entity, count in column.counts.items():
                ratio = count / column.rows_scanned if column.rows_scanned else 0
                severity = entity_severity(entity).value
                lines.append(
                    f"  {column.column:<24} {entity:<18} {count:>7}/{column.rows_scanned:<7} "
                    f"{ratio:>5.0%}  {severity:<8} {column.evidence.get(entity, '')}"
                    + accepted(file.path, column.column, entity)
                )
            if column.header_category:
                rule = decided.get(
                    (file.path, column.column, f"pii.sensitive.{column.header_category}")
                )
                lines.append(
                    f"  {column.column:<24} sensitive: {column.header_category}" + _accepted(rule)
                )
        for text in file.text_entities:
            lines.append(
                f"  lines {','.join(map(str, text.first_lines)):<18} {text.entity_type:<18} "
                f"{text.count:>7}  {entity_severity(text.entity_type).value:<8} {text.evidence}"
                + accepted(file.path, None, text.entity_type)
            )
    if report.not_covered:
        lines.append(f"no NER model: not covered: {', '.join(report.not_covered)}")
    accepted_count = sum(f.accepted for f in findings)
    if accepted_count:
        lines.append(
            f"{accepted_count} finding(s) accepted by [[pii.ignore]] rules"
            " (shown above; not counted by --fail-on)"
        )
    return lines


@click.group()
def pii() -> None:
    """Find personal information in sample data. / 扫描样例数据中的个人信息。"""


@pii.command("scan")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", *SCAN_FORMATS]), default="table"
)
@click.option(
    "--entities",
    multiple=True,
    help=f"Entity types to look for, comma-separated (default: all): {', '.join(ENTITY_TYPES)}.",
)
@click.option("--nlp-model", help="An installed spaCy model for NER (never downloaded).")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Skip files matching GLOB in folders (repeatable); other files of unknown format "
    "are an error, never skipped silently.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Config file whose [limits], [[pii.ignore]] rules and [spark] settings apply "
    "[./review.toml or pyproject.toml].",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default="low",
    show_default=True,
    help="Exit 1 when a finding reaches this severity (URLs and dates are info).",
)
@engine_options
def scan(
    paths: tuple[str, ...],
    fmt: str,
    entities: tuple[str, ...],
    nlp_model: str | None,
    exclude: tuple[str, ...],
    config_file: Path | None,
    fail_on: str,
    engine: str,
    spark_master: str | None,
    spark_conf: tuple[str, ...],
    sample_fraction: float | None,
    sample_rows: int | None,
) -> int:
    """Scan files or directories; exit 1 when personal data is found, 0 when none,
    2 when a file cannot be read in full.

    With --engine spark, PATHS may also be Spark paths (s3a://..., hdfs://...),
    format-prefixed ones (orc:PATH) and catalog tables (table:db.name).

    Findings the config's [[pii.ignore]] rules match are shown as accepted and do not
    count towards the exit code until their rule expires."""
    wanted = _entities(entities)
    loaded = load_config(Path.cwd(), config_file)
    rules = ignore_rules(
        loaded.config.pii,
        config_dir=loaded.source.parent if loaded.source else loaded.project_dir,
        shown_from=Path.cwd(),
        source=loaded.source or loaded.project_dir,
    )
    progress = Progress(progress_wanted(machine_output=fmt != "table"))
    gate = GateConfig(fail_on=Severity(fail_on))
    if engine == "spark":
        if exclude:
            raise click.UsageError(
                "--exclude filters the local engine's folder walk; with --engine spark "
                "name the files or directories to read"
            )
        settings = spark_settings(loaded, spark_master, spark_conf, sample_fraction, sample_rows)
        report, _ = scan_sources(
            paths,
            settings,
            base=Path.cwd(),
            entities=wanted,
            nlp_model=nlp_model,
            progress=progress.enabled,
        )
        return _print(report, fmt, gate, rules, None)
    if sample_fraction is not None or sample_rows is not None:
        raise click.UsageError("--sample-fraction and --sample-rows need --engine spark")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:

        def spool_hit(hit: CellHit) -> None:
            column = normalise_column(hit.column) if hit.column is not None else None
            acceptance = rules.acceptance(hit.path, column, hit.entity_type)
            record: dict[str, object] = {
                "entity_type": hit.entity_type,
                "path": hit.path,
                "row": hit.row,
                "column": hit.column,
                "start": hit.start,
                "end": hit.end,
                "score": round(hit.score, 4),
                "masked": hit.masked,
            }
            if acceptance is not None:
                record["acceptance"] = acceptance.model_dump(mode="json")
            spool.write(json.dumps(record, ensure_ascii=False) + "\n")

        report = scan_paths(
            [Path(p) for p in paths],
            entities=wanted,
            nlp_model=nlp_model,
            on_hit=spool_hit if fmt == "json" else None,
            progress=progress,
            exclude=exclude,
            limits=loaded.config.limits,
        )
        return _print(report, fmt, gate, rules, spool)


def _print(
    report: ScanReport, fmt: str, gate: GateConfig, rules: IgnoreRules, spool: IO[str] | None
) -> int:
    """Print the scan in ``fmt``; the exit code is the scan commands' rule."""
    result = scan_result(report, tuple(f.path for f in report.files), rules=rules)
    review = scan_review(result, Path.cwd().name, gate, Sources(base=Path.cwd()))
    if fmt == "json":
        _write_json(result.details, spool, sys.stdout)
    elif fmt in SCAN_FORMATS:
        click.echo(render_scan(fmt, review, Path.cwd()), nl=False)
    else:
        for line in _table_lines(report, result.findings):
            click.echo(line)
    return scan_exit_code(review)

"""``review desensitise check | apply | suggest``: a thin adapter over the scanner."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import click
from pydantic import JsonValue

from review.cli.engine import engine_options, spark_settings
from review.config import LoadedConfig, load_config
from review.core.errors import InputError
from review.core.fsio import display_path
from review.core.models import Finding
from review.core.progress import Progress, progress_wanted
from review.locate import Sources
from review.outputs.standalone import SCAN_FORMATS, render_scan, scan_exit_code, scan_review
from review.scanners.datafiles import NameGuard
from review.scanners.desensitisation.apply import load_key, needs_key, refuse_overwrite
from review.scanners.desensitisation.config import ColumnPolicy
from review.scanners.desensitisation.service import (
    DatasetSpec,
    apply_spec,
    column_entities,
    find_dataset,
    verify_spec,
)
from review.scanners.desensitisation.spark import SparkDataset, SparkVerifier, dataset_raw
from review.scanners.desensitisation.stage import verification_result
from review.scanners.desensitisation.suggest import suggest_policy, to_toml
from review.scanners.desensitisation.table import load_table
from review.scanners.desensitisation.verify import Verification
from review.scanners.pii.detect import find_spans

SCHEMA = "review.desensitise/1"
FORMATS = ["table", "json", *SCAN_FORMATS]

_path = click.Path(path_type=Path)
_config = click.option("--config", "config_file", type=_path, help="Config file with the policy.")
_format = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")


def _loaded(config_file: Path | None) -> LoadedConfig:
    return load_config(Path.cwd(), config_file)


def _display(path: Path) -> str:
    return display_path(path, Path.cwd())


def _inputs(spec: DatasetSpec) -> tuple[str, ...]:
    return tuple(_display(p) for p in (spec.masked, spec.raw) if p is not None)


def _emit(
    verification: Verification,
    inputs: tuple[str, ...],
    fmt: str,
    loaded: LoadedConfig,
    written: str | None = None,
) -> int:
    """Print one verified dataset in ``fmt``; the exit code is the scan commands' rule."""
    result = verification_result([verification], inputs)
    sources = Sources(base=Path.cwd(), config=loaded.source)
    review = scan_review(result, loaded.project_name, loaded.config.gate, sources)
    if fmt in SCAN_FORMATS:
        text = render_scan(fmt, review, Path.cwd())
        if fmt == "markdown":
            text += _markdown_risk(verification)
        click.echo(text, nl=False)
    elif fmt == "json":
        document: dict[str, JsonValue] = {"schema": SCHEMA}
        if written is not None:
            document["written"] = written
        document["datasets"] = [d.model_dump(mode="json") for d in result.details.datasets]
        document["findings"] = [
            f.model_dump(mode="json", exclude_none=True) for f in result.findings
        ]
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        _table(verification, result.findings)
    return scan_exit_code(review)


def _markdown_risk(verification: Verification) -> str:
    """The risk explanation as a Markdown section under the gate summary."""
    lines = ["", "### Re-identification risk / 重识别风险", ""]
    for line in verification.explanation:
        lines.append(f"- {line.en}  \n  {line.zh}")
    return "\n".join(lines) + "\n"


def _table(verification: Verification, findings: tuple[Finding, ...]) -> None:
    details = verification.details
    click.echo(f"{details.masked}: {details.level} ({details.rows} rows)")
    for line in verification.explanation:
        click.echo(f"  {line.en}")
        click.echo(f"  {line.zh}")
    for finding in findings:
        loc = finding.location
        where = ""
        if loc is not None and loc.column is not None:
            where += f" column {loc.column}"
        if loc is not None and loc.row is not None:
            where += f" row {loc.row}"
        evidence = f" [{finding.evidence}]" if finding.evidence else ""
        click.echo(f"  {finding.severity.value:8} {finding.rule_id}{where}{evidence}")
        click.echo(f"           {finding.title.en} / {finding.title.zh}")


@click.group()
def desensitise() -> None:
    """Verify and apply desensitisation (脱敏) of datasets."""


def _names(values: tuple[str, ...]) -> list[str]:
    """``--qi a,b --qi c`` -> [a, b, c]."""
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


def _declared(
    policy: Mapping[str, ColumnPolicy], quasi: list[str], sensitive: list[str]
) -> dict[str, ColumnPolicy]:
    """The policy with ``--qi`` / ``--sa`` columns given their role (kept as they are)."""
    out = dict(policy)
    for names, role in ((quasi, "quasi"), (sensitive, "sensitive")):
        for name in names:
            current = out.get(name)
            if current is None:
                out[name] = ColumnPolicy(action="keep", role=role)
            else:
                out[name] = current.model_copy(update={"role": role})
    return out


@desensitise.command()
@click.argument("masked")
@click.option("--raw", help="The raw original, to test leakage, linkage and attacks.")
@click.option("--key", "key_column", help="Column matching raw and masked rows.")
@click.option("--qi", multiple=True, help="Quasi-identifier column(s), comma-separated.")
@click.option("--sa", multiple=True, help="Sensitive attribute column(s), comma-separated.")
@click.option("--k", "k_min", type=click.IntRange(min=1), help="Minimum k (default 5).")
@click.option("--l", "l_min", type=click.IntRange(min=1), help="Minimum distinct l (default 2).")
@click.option("--t", "t_max", type=click.FloatRange(0, 1, min_open=True), help="Maximum t.")
@click.option(
    "--population",
    type=click.IntRange(min=1),
    help="Size of the population the records come from (journalist / marketer risk).",
)
@click.option(
    "--attack-seconds",
    type=click.FloatRange(0, 3600, min_open=True),
    help="Time budget per token column for the reversal attacks (default 10).",
)
@_config
@_format
@engine_options
def check(
    masked: str,
    raw: str | None,
    key_column: str | None,
    qi: tuple[str, ...],
    sa: tuple[str, ...],
    k_min: int | None,
    l_min: int | None,
    t_max: float | None,
    population: int | None,
    attack_seconds: float | None,
    config_file: Path | None,
    fmt: str,
    engine: str,
    spark_master: str | None,
    spark_conf: tuple[str, ...],
    sample_fraction: float | None,
    sample_rows: int | None,
) -> int:
    """Verify a desensitised file (exit 1 when findings reach the gate's fail_on).

    With --engine spark, MASKED and --raw may be Spark paths (s3a://..., hdfs://...) or
    catalog tables (table:db.name); the re-identification risk is measured on Spark.
    """
    loaded = _loaded(config_file)
    section = loaded.config.desensitisation
    dataset = find_dataset(section.datasets, masked=Path(masked), source=masked)
    spec = (
        DatasetSpec.from_config(dataset, section.attack_seconds)
        if dataset
        else DatasetSpec(Path(masked), attack_seconds=section.attack_seconds)
    )
    limits = {
        name: value
        for name, value in (("k", k_min), ("l", l_min), ("t", t_max))
        if value is not None
    }
    spec = replace(
        spec,
        masked=Path(masked),
        raw=Path(raw) if raw else spec.raw,
        key=key_column or spec.key,
        policy=_declared(spec.policy, _names(qi), _names(sa)),
        thresholds=spec.thresholds.model_copy(update=limits),
        population=population or spec.population,
        sampling_fraction=None if population else spec.sampling_fraction,
        attack_seconds=attack_seconds or spec.attack_seconds,
    )
    progress = Progress(progress_wanted(machine_output=fmt != "table"))
    if engine == "spark":
        if sample_fraction is not None or sample_rows is not None:
            raise click.UsageError("the risk is measured on every row: no --sample-* here")
        settings = spark_settings(loaded, spark_master, spark_conf, None, None)
        raw_source = raw or (dataset_raw(dataset) if dataset else None)
        verifier = SparkVerifier(settings, base=Path.cwd(), progress=progress.enabled)
        result = verifier.verify(SparkDataset(masked, raw_source, spec))
        return _emit(result, verifier.inputs, fmt, loaded)
    result = verify_spec(
        spec,
        display=_display,
        scanner=find_spans,
        progress=progress,
        limits=loaded.config.limits,
    )
    return _emit(result, _inputs(spec), fmt, loaded)


@desensitise.command()
@click.argument("raw", type=_path)
@click.option("--out", type=_path, required=True, help="Where to write the masked file.")
@click.option("--key-file", type=_path, help="Pseudonym key file (default: $REVIEW_PSEUDONYM_KEY).")
@_config
@_format
def apply(raw: Path, out: Path, key_file: Path | None, config_file: Path | None, fmt: str) -> int:
    """Desensitise RAW under the configured policy into OUT, then verify OUT."""
    loaded = _loaded(config_file)
    dataset = find_dataset(loaded.config.desensitisation.datasets, raw=raw)
    if dataset is None:
        source = loaded.source or Path("review.toml")
        raise InputError(source, f"no desensitisation dataset has raw = {raw}")
    spec = DatasetSpec.from_config(dataset, loaded.config.desensitisation.attack_seconds)
    spec = replace(spec, masked=out, raw=raw)
    refuse_overwrite(raw, out)
    key = load_key(key_file) if needs_key(spec.policy) else None
    progress = Progress(progress_wanted(machine_output=fmt != "table"))
    result = apply_spec(
        spec,
        out,
        key=key,
        display=_display,
        scanner=find_spans,
        progress=progress,
        limits=loaded.config.limits,
    )
    return _emit(result, _inputs(spec), fmt, loaded, written=_display(out))


@desensitise.command()
@click.argument("raw", type=_path)
@click.option("--format", "fmt", type=click.Choice(["toml", "json"]), default="toml")
def suggest(raw: Path, fmt: str) -> int:
    """Suggest a column policy for RAW from a PII scan and the column names."""
    table = load_table(raw, _display(raw), NameGuard(find_spans))
    policy = suggest_policy(table, column_entities(table, find_spans))
    if fmt == "json":
        columns = {name: rule.model_dump(exclude_none=True) for name, rule in policy.items()}
        click.echo(json.dumps({"schema": SCHEMA, "columns": columns}, ensure_ascii=False, indent=2))
    else:
        shown = _display(raw)
        masked = str(Path(shown).with_name(f"{Path(shown).stem}_masked{Path(shown).suffix}"))
        click.echo(to_toml(policy, shown, masked), nl=False)
    return 0

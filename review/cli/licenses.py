"""``review licenses scan`` and ``review licenses compat``: thin adapters over the scanner."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from review.cli.dependency_inputs import (
    NO_ENVIRONMENT,
    PYTHON_MANIFESTS,
    distribution_line,
    split_inputs,
)
from review.config import load_config
from review.core.clock import now
from review.core.errors import InputError
from review.core.models import Severity
from review.core.progress import Progress, progress_wanted
from review.locate import Sources
from review.outputs.standalone import SCAN_FORMATS, render_scan, scan_exit_code, scan_review
from review.scanners.licenses import spdx
from review.scanners.licenses.compat import MODES, POLICIES, Mode, PolicyName, compat_table
from review.scanners.licenses.details import LicensesDetails
from review.scanners.licenses.models import Verdict
from review.scanners.licenses.scan import interpreter, request_for, scan, scan_result

FORMATS = ("table", "json", *SCAN_FORMATS)


@click.group("licenses")
def licenses() -> None:
    """Open-source license conflicts of the dependencies. 依赖的开源许可证冲突检查。"""


@licenses.command("scan")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--python",
    "python",
    type=click.Path(path_type=Path),
    help="Interpreter (or venv folder) of the environment built from the lock files. "
    "Default: $REVIEW_LICENSES_PYTHON; never taken from the project's files.",
)
@click.option("--lockfile", "lockfiles", multiple=True, type=click.Path(path_type=Path))
@click.option(
    "--sbom",
    "sboms",
    multiple=True,
    type=click.Path(path_type=Path),
    help="CycloneDX 1.2-1.6 (JSON, XML) or SPDX 2.x (JSON, YAML, tag-value, XML, RDF) SBOM.",
)
@click.option(
    "--license",
    "outbound",
    help="The project's own SPDX license expression. Default: the config's [project] "
    "license, else pyproject.toml, package.json or the LICENSE file.",
)
@click.option(
    "--policy",
    type=click.Choice(list(POLICIES)),
    help="legal: what the licenses allow (default); asf: the ASF's Category A/B/X policy.",
)
@click.option("--project", "project_dir", default=".", type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    help="Exit 1 when a finding reaches this severity [the config's gate.fail_on].",
)
def scan_cmd(
    files: tuple[Path, ...],
    python: Path | None,
    lockfiles: tuple[Path, ...],
    sboms: tuple[Path, ...],
    outbound: str | None,
    policy: str | None,
    project_dir: Path,
    config_file: Path | None,
    fmt: str,
    fail_on: str | None,
) -> int:
    """Judge every dependency's license against the project's (exit 1 when the gate fails).

    FILES (requirements*.txt, pyproject.toml, poetry.lock, uv.lock, package-lock.json,
    CycloneDX / SPDX JSON SBOMs) are judged instead of the configured sources: this is
    how the pre-commit hook scans the files a commit changes. Python packages they name
    are looked up in the environment --python (or $REVIEW_LICENSES_PYTHON) names, never
    in the environment running this command (under pre-commit, the hook's own).
    """
    loaded = load_config(project_dir, config_file, overrides={"gate.fail_on": fail_on})
    config = loaded.config
    if files:
        named_locks, named_sboms = split_inputs(files)
        lockfiles, sboms = lockfiles + named_locks, sboms + named_sboms
        python_files = [f for f in named_locks if f.name.endswith(PYTHON_MANIFESTS)]
        if interpreter(python) is None and python_files:
            raise InputError(python_files[0], NO_ENVIRONMENT)
    request = request_for(
        config.licenses,
        config.project,
        project_dir,
        str(loaded.source or project_dir),
        today=now().date(),
        configured_at=loaded.origin_of(("project", "license")),
        outbound=outbound,
        policy=policy,  # type: ignore[arg-type]
        python=python,
        lockfiles=lockfiles,
        sboms=sboms,
    )
    if files:
        # The interpreter is only for looking licenses up, not a source to judge itself.
        request = dataclasses.replace(request, scan_environment=False)
    result = scan_result(scan(request, Progress(progress_wanted(machine_output=fmt != "table"))))
    if fmt == "table":
        click.echo(distribution_line(loaded))
    sources = Sources(base=project_dir, config=loaded.source)
    review = scan_review(result, loaded.project_name, config.gate, sources)
    if fmt == "json":
        doc: dict[str, Any] = {
            "schema": "review.licenses/1",
            **result.details.model_dump(mode="json"),
        }
        doc["findings"] = [f.model_dump(mode="json") for f in result.findings]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt in SCAN_FORMATS:
        click.echo(render_scan(fmt, review, project_dir), nl=False)
    else:
        _table(result.details)
    return scan_exit_code(review)


def _table(details: LicensesDetails) -> None:
    click.echo(
        f"outbound {details.outbound} (from {details.outbound_origin}), "
        f"{details.distribution}, policy {details.policy}"
    )
    rows = [("package", "version", "license", "evidence", "category", "verdict", "rule")]
    for pkg in details.packages:
        rows.append(
            (
                pkg.name + (" (dev)" if pkg.dev else ""),
                pkg.version or "",
                pkg.spdx or "?",
                pkg.evidence,
                pkg.category,
                pkg.verdict + (" (waived)" if pkg.waiver and not pkg.waiver.expired else ""),
                pkg.rule,
            )
        )
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell[:40].ljust(w) for cell, w in zip(row, widths, strict=True)))
    for pkg in details.packages:
        if pkg.verdict != Verdict.OK:
            click.echo(f"{pkg.verdict}: {pkg.name}: {' → '.join(pkg.path)}")
            click.echo(f"  {pkg.reason}")
        for choice in pkg.choices:
            click.echo(f"choice: {pkg.name}: {choice}")
    counts = details.counts
    click.echo(
        f"{len(details.packages)} packages: {counts.ok} ok, {counts.review} review, "
        f"{counts.conflict} conflict"
    )


@licenses.command("compat")
@click.argument("outbound")
@click.argument("inbound", nargs=-1, required=True)
@click.option("--distribution", type=click.Choice(MODES), default="distributed")
@click.option("--policy", type=click.Choice(list(POLICIES)), default="legal")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def compat_cmd(
    outbound: str, inbound: tuple[str, ...], distribution: str, policy: str, fmt: str
) -> int:
    """Can INBOUND-licensed code be used in an OUTBOUND-licensed project?"""
    out = spdx.require(outbound, "OUTBOUND")
    ins = [spdx.require(text, f"INBOUND[{n}]") for n, text in enumerate(inbound)]
    mode: Mode = distribution  # type: ignore[assignment]
    chosen: PolicyName = policy  # type: ignore[assignment]
    rows = compat_table(out, ins, mode, chosen)
    if fmt == "json":
        doc = {
            "schema": "review.licenses.compat/1",
            "outbound": out,
            "distribution": mode,
            "policy": chosen,
            "results": [{"inbound": e, **d.model_dump(mode="json")} for e, d in rows],
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for expr, decision in rows:
            extra = f" ({'; '.join(decision.choices)})" if decision.choices else ""
            obligations = ", ".join(decision.obligations) or "none"
            click.echo(f"{expr}: {decision.verdict} [{decision.rule}]{extra}")
            click.echo(f"  {decision.reason}; obligations: {obligations}")
    return 1 if any(d.verdict == Verdict.CONFLICT for _, d in rows) else 0

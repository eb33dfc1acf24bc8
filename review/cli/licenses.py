"""``review licenses scan`` and ``review licenses compat``: thin adapters over the scanner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from review.clock import now
from review.config import load_config
from review.outputs.standalone import SCAN_FORMATS, render_scan
from review.progress import Progress, progress_wanted
from review.scanners.licenses import spdx
from review.scanners.licenses.compat import MODES, POLICIES, Mode, PolicyName, compat_table
from review.scanners.licenses.models import Verdict
from review.scanners.licenses.outbound import outbound_license
from review.scanners.licenses.scan import (
    ScanRequest,
    details,
    findings,
    interpreter,
    lists_from,
    project_name,
    scan,
)

FORMATS = ("table", "json", *SCAN_FORMATS)


@click.group("licenses")
def licenses() -> None:
    """Open-source license conflicts of the dependencies. 依赖的开源许可证冲突检查。"""


@licenses.command("scan")
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
    help="CycloneDX 1.2-1.6 (JSON, XML) or SPDX 2.x (JSON, YAML, tag-value, RDF) SBOM.",
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
def scan_cmd(
    python: Path | None,
    lockfiles: tuple[Path, ...],
    sboms: tuple[Path, ...],
    outbound: str | None,
    policy: str | None,
    project_dir: Path,
    config_file: Path | None,
    fmt: str,
) -> int:
    """Judge every dependency's license against the project's (exit 1 on a conflict)."""
    loaded = load_config(project_dir, config_file)
    config = loaded.config
    lic = config.licenses
    source = str(loaded.source or project_dir)
    lockfiles = lockfiles or tuple(lic.lockfiles)
    sboms = sboms or tuple(lic.sboms)
    own = outbound_license(
        outbound, config.project.license, loaded.origin_of(("project", "license")), project_dir
    )
    chosen: PolicyName = policy or lic.policy  # type: ignore[assignment]
    python = interpreter(python)
    request = ScanRequest(
        outbound=own.expression,
        outbound_origin=own.origin,
        distribution=config.project.distribution,
        project_dir=project_dir,
        project_name=project_name(project_dir),
        python=python,
        scan_environment=python is not None or not (lockfiles or sboms),
        lockfiles=lockfiles,
        sboms=sboms,
        include_dev=lic.include_dev,
        lists=lists_from(lic, source),
        policy=chosen,
        waivers=tuple(lic.waivers),
        fail_on_review=lic.fail_on_review,
        dev_unresolved_severity=lic.dev_unresolved_severity,
        today=now().date(),
    )
    result = scan(request, Progress(progress_wanted(machine_output=fmt != "table")))
    found = findings(result)
    if fmt == "json":
        doc: dict[str, Any] = {"schema": "review.licenses/1", **details(result)}
        doc["findings"] = [f.model_dump(mode="json") for f in found]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt in SCAN_FORMATS:
        click.echo(render_scan(fmt, "licenses", found, loaded.project_name, config.gate), nl=False)
    else:
        _table(details(result))
    failing = any(
        f.rule_id == "licenses.conflict"
        or (f.rule_id in ("licenses.review", "licenses.unresolved") and f.severity == "high")
        for f in found
    )
    return 1 if failing else 0


def _table(doc: dict[str, Any]) -> None:
    click.echo(
        f"outbound {doc['outbound']} (from {doc['outbound_origin']}), {doc['distribution']}, "
        f"policy {doc['policy']}"
    )
    rows = [("package", "version", "license", "evidence", "category", "verdict", "rule")]
    for pkg in doc["packages"]:
        name = pkg["name"] + (" (dev)" if pkg["dev"] else "")
        rows.append(
            (
                name,
                pkg["version"] or "",
                pkg["spdx"] or "?",
                pkg["evidence"],
                pkg["category"],
                pkg["verdict"] + (" (waived)" if pkg["waiver"] else ""),
                pkg["rule"],
            )
        )
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell[:40].ljust(w) for cell, w in zip(row, widths, strict=True)))
    for pkg in doc["packages"]:
        if pkg["verdict"] != "ok":
            click.echo(f"{pkg['verdict']}: {pkg['name']}: {' → '.join(pkg['path'])}")
            click.echo(f"  {pkg['reason']}")
        for choice in pkg["choices"]:
            click.echo(f"choice: {pkg['name']}: {choice}")
    counts = doc["counts"]
    click.echo(
        f"{len(doc['packages'])} packages: {counts['ok']} ok, {counts['review']} review, "
        f"{counts['conflict']} conflict"
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

"""The license scan: sources -> SPDX -> verdicts -> policy and waivers -> findings and details."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from review.core.config import ProjectConfig
from review.core.fsio import check_regular
from review.core.i18n import label as catalogue
from review.core.models import Acceptance, Attestation, Claim, Finding, Location, Severity, Text
from review.core.progress import Progress
from review.scanners.licenses import spdx
from review.scanners.licenses.compat import Engine, Lists, Mode, PolicyName
from review.scanners.licenses.config import LicensesConfig, Waiver
from review.scanners.licenses.details import (
    DependencyCycle,
    LicensesDetails,
    LicensesResult,
    SpdxCoverage,
    VerdictCounts,
)
from review.scanners.licenses.knowledge import Category
from review.scanners.licenses.merge import merge
from review.scanners.licenses.models import Dependency, PackageReport, Verdict
from review.scanners.licenses.outbound import outbound_license
from review.scanners.licenses.resolve import resolve
from review.scanners.licenses.rules import explain
from review.scanners.licenses.sources.pyenv import INTERPRETER_ENV, PythonEnvironment, canonical
from review.scanners.licenses.sources.registry import build, lockfile_kind, sbom_kind

STAGE = "licenses"


@dataclass(frozen=True)
class ScanRequest:
    """What to scan and under which outbound license, mode and policy."""

    outbound: str
    distribution: Mode
    project_dir: Path
    outbound_origin: str = "given"
    project_name: str | None = None
    python: Path | None = None
    """Interpreter of the environment built from the lock files (``--python``)."""
    scan_environment: bool = True
    """Scan ``python`` (or, when it is None, the tool's own environment)."""
    lockfiles: tuple[Path, ...] = ()
    sboms: tuple[Path, ...] = ()
    include_dev: bool = False
    lists: Lists = field(default_factory=Lists)
    policy: PolicyName = "legal"
    waivers: tuple[Waiver, ...] = ()
    fail_on_review: bool = False
    dev_unresolved_severity: Severity = Severity.LOW
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class ScanResult:
    """Every package judged, and the input files read."""

    request: ScanRequest
    packages: tuple[PackageReport, ...]
    inputs: tuple[str, ...]
    cycles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(input, packages in one dependency cycle), each cycle once."""


def interpreter(given: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The interpreter to inspect: ``--python``, else ``REVIEW_LICENSES_PYTHON`` of the
    person running the review; never a value from the reviewed project's files."""
    if given is not None:
        return given
    value = (os.environ if environ is None else environ).get(INTERPRETER_ENV, "").strip()
    return Path(value) if value else None


def project_name(project_dir: Path) -> str | None:
    """``[project] name`` of the project's pyproject.toml, to leave the project itself out."""
    pyproject = project_dir / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    project = data.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    return name if isinstance(name, str) else None


def lists_from(config: LicensesConfig, source: str) -> Lists:
    """Allow / deny / review lists from config; ids are checked: a typo is an error."""
    categories = {c.value for c in Category}

    def check(names: list[str], key: str) -> frozenset[str]:
        out = set()
        for number, name in enumerate(names):
            if name in categories:
                out.add(name)
            else:
                out.add(spdx.require(name, f"{source}: licenses.{key}[{number}]"))
        return frozenset(out)

    return Lists(
        allow=check(config.allow, "allow"),
        deny=check(config.deny, "deny"),
        review=check(config.review, "review"),
    )


def collect(
    request: ScanRequest, progress: Progress
) -> tuple[list[Dependency], list[str], list[tuple[str, tuple[str, ...]]]]:
    """Dependencies from every requested source, merged; and the input files read.

    Lock files are looked up only in the environment given with ``--python``: the tool's
    own environment was not built from them, so matching them against it would be wrong.
    """
    built = PythonEnvironment(request.python, request.project_name) if request.python else None
    deps: list[Dependency] = []
    inputs: list[str] = []
    cycles: list[tuple[str, tuple[str, ...]]] = []
    if request.scan_environment:
        deps += (built or PythonEnvironment(None, request.project_name)).collect()
    for path in (*request.lockfiles, *request.sboms):
        check_regular(path, "lock file or SBOM")  # missing, a folder, a FIFO, a device
    for path, kind in [
        *((p, lockfile_kind(p)) for p in request.lockfiles),
        *((p, sbom_kind(p)) for p in request.sboms),
    ]:
        label = _display(path, request.project_dir)
        source = build(kind, path, built, label)
        deps += source.collect()
        cycles += [(label, cycle) for cycle in source.dependency_cycles()]
        inputs.append(label)
    return merge(deps), inputs, cycles


def scan(request: ScanRequest, progress: Progress | None = None) -> ScanResult:
    """Run the whole license scan."""
    progress = progress or Progress()
    deps, inputs, cycles = collect(request, progress)
    engine = Engine(
        outbound=request.outbound,
        mode=request.distribution,
        lists=request.lists,
        policy=request.policy,
    )
    waivers = {canonical(w.package): w for w in request.waivers}
    reports = []
    for dep in progress.track(deps, "licenses"):
        reports.append(_judge(dep, engine, request, waivers.get(canonical(dep.name))))
    reports.sort(key=lambda r: (r.source, canonical(r.name), r.version or ""))
    return ScanResult(
        request=request, packages=tuple(reports), inputs=tuple(inputs), cycles=tuple(cycles)
    )


def _judge(
    dep: Dependency, engine: Engine, request: ScanRequest, waiver: Waiver | None
) -> PackageReport:
    resolution = resolve(dep.license, dep.unresolved)
    base = {
        "name": dep.name,
        "version": dep.version,
        "ecosystem": dep.ecosystem,
        "source": dep.source,
        "sources": dep.sources or (dep.source,),
        "bundled_in": dep.bundled_in,
        "dev": dep.dev,
        "spdx": resolution.spdx,
        "evidence": resolution.evidence,
        "confidence": resolution.confidence,
        "path": dep.path,
    }
    if resolution.spdx is None:
        decision = {
            "verdict": Verdict.REVIEW,
            "rule": "unresolved-license",
            "reason": resolution.problem or "no license found",
            "category": "unknown",
            "obligations": (),
            "choices": (),
        }
    else:
        made = engine.decide(resolution.spdx)
        decision = {
            "verdict": made.verdict,
            "rule": made.rule,
            "reason": made.reason,
            "category": made.category,
            "obligations": made.obligations,
            "choices": made.choices,
        }
    # A development dependency is not shipped, so its license cannot conflict; but one
    # whose license is unknown stays a (low) finding: "dev" is a claim worth checking.
    if dep.dev and not request.include_dev and resolution.spdx is not None:
        decision.update(
            verdict=Verdict.OK,
            rule="dev-only",
            reason="only needed for development: not shipped nor run in production "
            f"(would be {decision['verdict']}: {decision['reason']})",
        )
    report = PackageReport.model_validate({**base, **decision})
    if waiver is not None and report.verdict != Verdict.OK:
        accepted = Acceptance(
            source="waiver",
            justification=waiver.justification,
            expires=waiver.expires,
            expired=request.today > waiver.expires,
        )
        return report.model_copy(update={"waiver": accepted})
    return report


def _display(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def findings(result: ScanResult) -> list[Finding]:
    """One finding per package that is not plainly ``ok``, and one per input with cycles."""
    out: list[Finding] = []
    for pkg in result.packages:
        if pkg.verdict == Verdict.OK:
            continue
        # A waived package keeps its real finding, marked accepted (or expired).
        out.append(_finding(pkg, result.request).model_copy(update={"acceptance": pkg.waiver}))
    by_input: dict[str, list[tuple[str, ...]]] = {}
    for where, cycle in result.cycles:
        by_input.setdefault(where, []).append(cycle)
    for where, found in sorted(by_input.items()):
        first = " → ".join((*found[0], found[0][0]))
        out.append(
            Finding(
                rule_id="licenses.cycle",
                stage=STAGE,
                severity=Severity.INFO,
                title=Text(
                    en=f"Dependency cycles in {where}: {len(found)}",
                    zh=f"{where} 中存在 {len(found)} 个依赖循环",
                ),
                message=Text(
                    en=f"The dependency graph has {len(found)} cycle(s), e.g. {first}; each "
                    "package is judged once, on its shortest path from the project.",
                    zh=f"依赖图中有 {len(found)} 个循环（例如 {first}）；每个包只按其距项目最短的"
                    "路径判定一次。",
                ),
                location=Location(path=where),
            )
        )
    return out


def _finding(pkg: PackageReport, request: ScanRequest) -> Finding:
    location = Location(path=pkg.source, package=pkg.name, version=pkg.version)
    path = " → ".join(pkg.path)
    lic = pkg.spdx or "?"
    expired = ""
    expired_zh = ""
    # Both languages of the explanation come from the rule registry; the English reason
    # with its specifics stays in the package's details.
    why = explain(pkg.rule, lic, request.outbound, request.distribution)
    if pkg.waiver is not None and pkg.waiver.expired:
        expired = f" The waiver expired on {pkg.waiver.expires}."
        expired_zh = f" 豁免已于 {pkg.waiver.expires} 过期。"
    if pkg.rule == "unresolved-license":
        severity = Severity.HIGH if request.fail_on_review else Severity.MEDIUM
        dev_en = dev_zh = ""
        if pkg.dev and not request.include_dev:
            severity = request.dev_unresolved_severity
            dev_en, dev_zh = " (development dependency)", "（开发依赖）"
        return Finding(
            rule_id="licenses.unresolved",
            stage=STAGE,
            severity=severity,
            title=Text(
                en=f"License of {pkg.name} not determined{dev_en}",
                zh=f"无法确定 {pkg.name} 的许可证{dev_zh}",
            ),
            message=Text(
                en=f"{why.en} ({pkg.reason}) Path: {path}.{expired}",
                zh=f"{why.zh}（详情：{pkg.reason}）依赖路径：{path}。{expired_zh}",
            ),
            location=location,
            remediation=Text(
                en="Check the package's license by hand and add a waiver with the finding, "
                "or install the package so its metadata can be read.",
                zh="请人工核实该包的许可证并在配置中登记豁免，或安装该包以读取其元数据。",
            ),
        )
    if pkg.verdict == Verdict.CONFLICT:
        top = pkg.path[1] if len(pkg.path) > 2 else pkg.name
        fix_en = (
            f"Fix path: replace or change {top} so it no longer pulls in {pkg.name}"
            if top != pkg.name
            else f"Fix path: remove or replace {pkg.name}"
        )
        fix_zh = (
            f"修复路径：替换或调整 {top}，使其不再引入 {pkg.name}"
            if top != pkg.name
            else f"修复路径：移除或替换 {pkg.name}"
        )
        return Finding(
            rule_id="licenses.conflict",
            stage=STAGE,
            severity=Severity.HIGH,
            title=Text(
                en=f"License conflict: {pkg.name} ({lic}) in a {request.outbound} project "
                f"({request.distribution})",
                zh=f"许可证冲突：{pkg.name}（{lic}）用于 {request.outbound} 项目"
                f"（{catalogue(f'lic.distribution.{request.distribution}').zh}）",
            ),
            message=Text(
                en=f"{why.en} [rule {pkg.rule}] Path: {path}.{expired}",
                zh=f"{why.zh}（规则 {pkg.rule}）依赖路径：{path}。{expired_zh}",
            ),
            location=location,
            remediation=Text(
                en=f"{fix_en}; or obtain a commercial license from its authors; or "
                f"relicense the project under terms {lic} accepts.",
                zh=f"{fix_zh}；或向其作者获取商业许可；或以 {lic} 可接受的条款重新许可本项目。",
            ),
        )
    return Finding(
        rule_id="licenses.review",
        stage=STAGE,
        severity=Severity.HIGH if request.fail_on_review else Severity.MEDIUM,
        title=Text(
            en=f"License needs review: {pkg.name} ({lic})",
            zh=f"许可证需人工审查：{pkg.name}（{lic}）",
        ),
        message=Text(
            en=f"{why.en} [rule {pkg.rule}] Path: {path}.{expired}",
            zh=f"{why.zh}（规则 {pkg.rule}）依赖路径：{path}。{expired_zh}",
        ),
        location=location,
        remediation=Text(
            en="Have a person decide; record the decision as a waiver with a justification "
            "and an expiry date.",
            zh="请由专人判断，并以带理由和到期日的豁免记录该决定。",
        ),
    )


def details(result: ScanResult) -> LicensesDetails:
    """What the stage and ``licenses scan --format json`` record besides findings."""
    counts = Counter(p.verdict for p in result.packages)
    categories = Counter(p.category for p in result.packages)
    valid = sum(1 for p in result.packages if p.spdx is not None)
    return LicensesDetails(
        outbound=result.request.outbound,
        outbound_origin=result.request.outbound_origin,
        policy=result.request.policy,
        distribution=result.request.distribution,
        counts=VerdictCounts(
            ok=counts[Verdict.OK], review=counts[Verdict.REVIEW], conflict=counts[Verdict.CONFLICT]
        ),
        categories=dict(sorted(categories.items())),
        spdx_coverage=SpdxCoverage(packages=len(result.packages), valid_spdx=valid),
        cycles=tuple(DependencyCycle(input=i, packages=c) for i, c in result.cycles),
        packages=result.packages,
    )


def no_conflict(details: LicensesDetails) -> Attestation:
    """The checklist's 'no license conflict' item, answered from the scan."""
    counts = details.counts
    total = counts.ok + counts.review + counts.conflict
    conflicting = sorted({p.name for p in details.packages if p.verdict == Verdict.CONFLICT})
    names = ", ".join(conflicting[:5]) + (", …" if len(conflicting) > 5 else "")
    if counts.conflict:
        holds, en, zh = (
            "no",
            f"license scan: {counts.conflict} of {total} dependencies conflict ({names})",
            f"许可证扫描：{total} 个依赖中 {counts.conflict} 个存在冲突（{names}）",
        )
    elif counts.review:
        holds, en, zh = (
            "partial",
            f"license scan: no conflict; {counts.review} of {total} dependencies need review",
            f"许可证扫描：无冲突，{total} 个依赖中 {counts.review} 个需人工复核",
        )
    else:
        holds, en, zh = (
            "yes",
            f"license scan: {total} dependencies, no conflict",
            f"许可证扫描：{total} 个依赖，无冲突",
        )
    return Attestation(
        claim=Claim.LICENSES_NO_CONFLICT, holds=holds, justification=Text(en=en, zh=zh)
    )


def scan_result(result: ScanResult) -> LicensesResult:
    """The stage's result for a scan: findings, summary, statement, details."""
    recorded = details(result)
    counts = recorded.counts
    summary = Text(
        en=f"{len(result.packages)} packages: {counts.conflict} conflict(s), "
        f"{counts.review} to review",
        zh=f"共 {len(result.packages)} 个依赖包：{counts.conflict} 个冲突，"
        f"{counts.review} 个待审查",
    )
    return LicensesResult(
        summary=summary,
        findings=tuple(findings(result)),
        inputs=result.inputs,
        attestations=(no_conflict(recorded),),
        details=recorded,
    )


def request_for(
    section: LicensesConfig,
    project: ProjectConfig,
    project_dir: Path,
    source: str,
    *,
    today: dt.date,
    configured_at: str = "config",
    outbound: str | None = None,
    policy: PolicyName | None = None,
    python: Path | None = None,
    lockfiles: tuple[Path, ...] = (),
    sboms: tuple[Path, ...] = (),
    environ: Mapping[str, str] | None = None,
) -> ScanRequest:
    """The scan request under a config, with what the command line gives instead.

    The interpreter comes from ``python`` (``--python``) or ``REVIEW_LICENSES_PYTHON``,
    never from the config. The environment is scanned when an interpreter is named, or
    when there is nothing else to scan (``review licenses scan`` with no arguments
    audits the current one); lock files are never matched against the current one.
    """
    python = interpreter(python, environ)
    lockfiles = lockfiles or tuple(section.lockfiles)
    sboms = sboms or tuple(section.sboms)
    own = outbound_license(outbound, project.license, configured_at, project_dir)
    return ScanRequest(
        outbound=own.expression,
        outbound_origin=own.origin,
        distribution=project.distribution,
        project_dir=project_dir,
        project_name=project_name(project_dir),
        python=python,
        scan_environment=python is not None or not (lockfiles or sboms),
        lockfiles=lockfiles,
        sboms=sboms,
        include_dev=section.include_dev,
        lists=lists_from(section, source),
        policy=policy or section.policy,
        waivers=tuple(section.waivers),
        fail_on_review=section.fail_on_review,
        dev_unresolved_severity=section.dev_unresolved_severity,
        today=today,
    )

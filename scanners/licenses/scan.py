"""The license scan: sources -> SPDX -> verdicts -> policy and waivers -> findings and details."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from review.core.config import ProjectConfig
from review.core.errors import InputError
from review.core.models import Acceptance, Attestation, Claim, Finding, Location, Severity, Text
from review.core.progress import Progress
from review.scanners.licenses import spdx
from review.scanners.licenses.compat import Engine, Mode, Policy
from review.scanners.licenses.config import LicensesConfig, Waiver
from review.scanners.licenses.details import (
    LicensesDetails,
    LicensesResult,
    SpdxCoverage,
    VerdictCounts,
)
from review.scanners.licenses.knowledge import Category
from review.scanners.licenses.models import Dependency, PackageReport, Verdict
from review.scanners.licenses.resolve import resolve
from review.scanners.licenses.rules import explain
from review.scanners.licenses.sources.interface import SourceError
from review.scanners.licenses.sources.pyenv import PythonEnvironment, canonical
from review.scanners.licenses.sources.registry import build, lockfile_kind, sbom_kind

STAGE = "licenses"


@dataclass(frozen=True)
class ScanRequest:
    """What to scan and under which outbound license, mode and policy."""

    outbound: str
    distribution: Mode
    project_dir: Path
    project_name: str | None = None
    python: Path | None = None
    scan_environment: bool = True
    lockfiles: tuple[Path, ...] = ()
    sboms: tuple[Path, ...] = ()
    include_dev: bool = False
    policy: Policy = field(default_factory=Policy)
    waivers: tuple[Waiver, ...] = ()
    fail_on_review: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class ScanResult:
    """Every package judged, and the input files read."""

    request: ScanRequest
    packages: tuple[PackageReport, ...]
    inputs: tuple[str, ...]


def outbound_license(configured: str | None, project_dir: Path, source: str) -> str:
    """The project's own license: config, else its pyproject.toml ``[project] license``."""
    if configured:
        return spdx.require(configured, f"{source}: project.license")
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            raise InputError(pyproject, "invalid TOML") from None
        value = data.get("project", {}).get("license")
        if isinstance(value, dict):
            value = value.get("text")
        if isinstance(value, str) and value.strip():
            return spdx.require(value, f"{pyproject}: project.license")
    raise InputError(
        source,
        "no outbound license: set [project] license in the review config or "
        "[project] license in pyproject.toml",
    )


def project_name(project_dir: Path) -> str | None:
    """``[project] name`` of the project's pyproject.toml, to leave the project itself out."""
    pyproject = project_dir / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        name = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return name if isinstance(name, str) else None


def policy_from(config: LicensesConfig, source: str) -> Policy:
    """Policy lists from config; ids are validated so a typo is an error, not a silent miss."""
    categories = {c.value for c in Category}

    def check(names: list[str], key: str) -> frozenset[str]:
        out = set()
        for number, name in enumerate(names):
            if name in categories:
                out.add(name)
            else:
                out.add(spdx.require(name, f"{source}: licenses.{key}[{number}]"))
        return frozenset(out)

    return Policy(
        allow=check(config.allow, "allow"),
        deny=check(config.deny, "deny"),
        review=check(config.review, "review"),
    )


def collect(request: ScanRequest, progress: Progress) -> tuple[list[Dependency], list[str]]:
    """Dependencies from every requested source, and the input files read."""
    env = PythonEnvironment(request.python, request.project_name)
    deps: list[Dependency] = []
    inputs: list[str] = []
    if request.scan_environment:
        deps += env.collect()
    for path in (*request.lockfiles, *request.sboms):
        if not path.is_file():
            raise SourceError(path, "no such file")
    for path, kind in [
        *((p, lockfile_kind(p)) for p in request.lockfiles),
        *((p, sbom_kind(p)) for p in request.sboms),
    ]:
        label = _display(path, request.project_dir)
        deps += build(kind, path, env, label).collect()
        inputs.append(label)
    return deps, inputs


def scan(request: ScanRequest, progress: Progress | None = None) -> ScanResult:
    """Run the whole license scan."""
    progress = progress or Progress()
    deps, inputs = collect(request, progress)
    engine = Engine(outbound=request.outbound, mode=request.distribution, policy=request.policy)
    waivers = {canonical(w.package): w for w in request.waivers}
    reports = []
    for dep in progress.track(deps, "licenses"):
        reports.append(_judge(dep, engine, request, waivers.get(canonical(dep.name))))
    reports.sort(key=lambda r: (r.source, canonical(r.name), r.version or ""))
    return ScanResult(request=request, packages=tuple(reports), inputs=tuple(inputs))


def _judge(
    dep: Dependency, engine: Engine, request: ScanRequest, waiver: Waiver | None
) -> PackageReport:
    resolution = resolve(dep.license, dep.unresolved)
    base = {
        "name": dep.name,
        "version": dep.version,
        "ecosystem": dep.ecosystem,
        "source": dep.source,
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
    if dep.dev and not request.include_dev:
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
    """One finding per package that is not plainly ``ok``."""
    out: list[Finding] = []
    for pkg in result.packages:
        if pkg.verdict == Verdict.OK:
            continue
        # A waived package keeps its real finding, marked accepted (or expired).
        out.append(_finding(pkg, result.request).model_copy(update={"acceptance": pkg.waiver}))
    return out


def _finding(pkg: PackageReport, request: ScanRequest) -> Finding:
    location = Location(path=pkg.source, package=pkg.name, version=pkg.version)
    path = " → ".join(pkg.path)
    lic = pkg.spdx or "?"
    expired = ""
    expired_zh = ""
    if pkg.waiver is not None and pkg.waiver.expired:
        expired = f" The waiver expired on {pkg.waiver.expires}."
        expired_zh = f" 豁免已于 {pkg.waiver.expires} 过期。"
    if pkg.rule == "unresolved-license":
        return Finding(
            rule_id="licenses.unresolved",
            stage=STAGE,
            severity=Severity.HIGH if request.fail_on_review else Severity.MEDIUM,
            title=Text(
                en=f"License of {pkg.name} not determined", zh=f"无法确定 {pkg.name} 的许可证"
            ),
            message=Text(
                en=f"{pkg.reason}. Path: {path}.{expired}",
                zh=f"{explain(pkg.rule, lic, request.outbound, request.distribution).zh}"
                f"（详情：{pkg.reason}）依赖路径：{path}。{expired_zh}",
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
                f"（{request.distribution}）",
            ),
            message=Text(
                en=f"{pkg.reason} [rule {pkg.rule}]. Path: {path}.{expired}",
                zh=f"{explain(pkg.rule, lic, request.outbound, request.distribution).zh}"
                f"（规则 {pkg.rule}）依赖路径：{path}。{expired_zh}",
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
            en=f"{pkg.reason} [rule {pkg.rule}]. Path: {path}.{expired}",
            zh=f"{explain(pkg.rule, lic, request.outbound, request.distribution).zh}"
            f"（规则 {pkg.rule}）依赖路径：{path}。{expired_zh}",
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
        distribution=result.request.distribution,
        counts=VerdictCounts(
            ok=counts[Verdict.OK], review=counts[Verdict.REVIEW], conflict=counts[Verdict.CONFLICT]
        ),
        categories=dict(sorted(categories.items())),
        spdx_coverage=SpdxCoverage(packages=len(result.packages), valid_spdx=valid),
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
    python: Path | None = None,
    lockfiles: tuple[Path, ...] = (),
    sboms: tuple[Path, ...] = (),
) -> ScanRequest:
    """The scan request under a config, with what the command line gives instead.

    The environment is scanned when an interpreter is named, or when there is nothing
    else to scan (``review licenses scan`` with no arguments audits the current one).
    """
    python = python or section.python
    lockfiles = lockfiles or tuple(section.lockfiles)
    sboms = sboms or tuple(section.sboms)
    return ScanRequest(
        outbound=outbound_license(project.license, project_dir, source),
        distribution=project.distribution,
        project_dir=project_dir,
        project_name=project_name(project_dir),
        python=python,
        scan_environment=python is not None or not (lockfiles or sboms),
        lockfiles=lockfiles,
        sboms=sboms,
        include_dev=section.include_dev,
        policy=policy_from(section, source),
        waivers=tuple(section.waivers),
        fail_on_review=section.fail_on_review,
        today=today,
    )

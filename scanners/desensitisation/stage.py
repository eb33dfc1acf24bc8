"""The ``desensitisation`` stage: verify every configured desensitised dataset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from review.core.errors import InputError
from review.core.i18n import label
from review.core.models import (
    Attestation,
    Claim,
    Finding,
    InputRead,
    Location,
    Severity,
    Text,
)
from review.core.stage import Stage, StageContext
from review.scanners.datafiles import NameGuard
from review.scanners.datafiles.spark import registered_inputs
from review.scanners.desensitisation.config import DesensitisationConfig
from review.scanners.desensitisation.details import (
    DatasetRecord,
    DesensitisationDetails,
    DesensitisationResult,
)
from review.scanners.desensitisation.service import DatasetSpec, verify_spec
from review.scanners.desensitisation.spark import SparkDataset, SparkVerifier
from review.scanners.desensitisation.verify import Verification, cross_file_consistency

_SAFE_LEVELS = {"anonymised", "de-identified"}


def desensitised(datasets: Sequence[DatasetRecord]) -> Attestation:
    """Whether every dataset is at least de-identified and passes every check."""
    problems: list[str] = []
    problems_zh: list[str] = []
    for dataset in datasets:
        failed = sorted({c.check for c in dataset.checks if c.status == "fail"})
        if dataset.level not in _SAFE_LEVELS or failed:
            level = label(f"des.level.{dataset.level}")
            shown = f"{dataset.masked}: level {dataset.level}"
            shown_zh = f"{dataset.masked}：处理级别为{level.zh}"
            if failed:
                shown += f"; failed {', '.join(failed)}"
                shown_zh += "；未通过：" + "、".join(label(f"des.check.{c}").zh for c in failed)
            problems.append(shown)
            problems_zh.append(shown_zh)
    if problems:
        return Attestation(
            claim=Claim.SAMPLES_DESENSITISED,
            holds="no",
            justification=Text(
                en="desensitisation check: " + " | ".join(problems),
                zh="脱敏验证未通过：" + " | ".join(problems_zh),
            ),
        )
    return Attestation(
        claim=Claim.SAMPLES_DESENSITISED,
        holds="yes",
        justification=Text(
            en=f"desensitisation check: {len(datasets)} dataset(s) pass every check",
            zh=f"脱敏验证：{len(datasets)} 个数据集全部检查通过",
        ),
    )


def verification_result(
    results: Sequence[Verification],
    inputs: Sequence[str],
    unread: Sequence[InputRead] = (),
) -> DesensitisationResult:
    """The stage's result for verified datasets, with the cross-file consistency check;
    ``unread``: datasets whose files could not be read (each fails the gate)."""
    findings: list[Finding] = [f for result in results for f in result.findings]
    findings += [unread_finding(read) for read in unread]
    findings.extend(cross_file_consistency(results))
    levels = [result.level for result in results]
    levels_zh = "、".join(label(f"des.level.{level}").zh for level in levels)
    datasets = tuple(result.details for result in results)
    return DesensitisationResult(
        summary=Text(
            en=f"{len(levels)} dataset(s) verified: {', '.join(levels)}",
            zh=f"已验证 {len(levels)} 个数据集：{levels_zh}",
        ),
        findings=tuple(findings),
        inputs=tuple(sorted(set(inputs))),
        attestations=(desensitised(datasets),),
        details=DesensitisationDetails(datasets=datasets),
        reads=tuple(InputRead(path=d.masked, rows=d.rows) for d in datasets) + tuple(unread),
    )


def unread_finding(read: InputRead) -> Finding:
    """A dataset the stage was told to verify and could not read."""
    return Finding(
        rule_id="desensitisation.unreadable_file",
        stage="desensitisation",
        severity=Severity.HIGH,
        title=Text(en="Desensitised dataset could not be verified", zh="脱敏数据集无法验证"),
        message=Text(
            en=f"{read.problem}; the dataset was not verified.",
            zh=f"{read.problem}；该数据集未经验证。",
        ),
        location=Location(path=read.path),
        remediation=Text(
            en="Fix or re-export the file, or remove the dataset from the config.",
            zh="请修复或重新导出该文件，或从配置中删除该数据集。",
        ),
    )


class DesensitisationStage(Stage[DesensitisationConfig, DesensitisationResult]):
    """Desensitisation (脱敏) verification and re-identification risk."""

    name: ClassVar[str] = "desensitisation"
    title: ClassVar[Text] = Text(en="Desensitisation verification", zh="脱敏验证")

    def skip_reason(self, section: DesensitisationConfig) -> Text | None:
        if not section.enabled:
            return Text(
                en="[desensitisation] enabled = false",
                zh="[desensitisation] enabled = false（已关闭）",
            )
        if not section.datasets:
            return Text(
                en="no desensitised dataset: no [[desensitisation.datasets]]",
                zh="未配置脱敏数据集：没有 [[desensitisation.datasets]]",
            )
        return None

    def run(self, section: DesensitisationConfig, context: StageContext) -> DesensitisationResult:
        results: list[Verification] = []
        inputs: list[str] = []
        unread: list[InputRead] = []
        names = NameGuard(context.find_pii)
        if section.engine == "spark":
            verifier = SparkVerifier(
                context.spark, base=context.project_dir, progress=context.progress.enabled
            )
            for dataset in section.datasets:
                try:
                    results.append(verifier.verify(SparkDataset.from_config(dataset)))
                except InputError as exc:
                    # As on the local engine: the gate fails on it, the others still run.
                    unread.append(InputRead(path=exc.source or "", problem=exc.problem))
            return verification_result(results, registered_inputs(context, verifier.inputs), unread)
        for dataset in section.datasets:
            spec = DatasetSpec.from_config(dataset, section.attack_seconds)
            try:
                verified = verify_spec(
                    spec,
                    display=context.relpath,
                    scanner=context.find_pii,
                    progress=context.progress,
                    limits=context.limits,
                )
            except InputError as exc:
                # Not read is never passed: the gate fails on it, the other datasets run.
                unread.append(InputRead(path=exc.source or "", problem=exc.problem))
                continue
            results.append(verified)
            for path in (dataset.masked, dataset.raw):
                if path is not None:
                    shown = names.path(context.relpath(path))
                    context.register(shown, path)
                    inputs.append(shown)
        return verification_result(results, inputs, unread)

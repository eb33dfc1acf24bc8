"""The ``desensitisation`` stage: verify every configured desensitised dataset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from review.core.i18n import label
from review.core.models import Attestation, Claim, Finding, Text
from review.core.stage import Stage, StageContext
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
    for dataset in datasets:
        failed = sorted({c.check for c in dataset.checks if c.status == "fail"})
        if dataset.level not in _SAFE_LEVELS or failed:
            shown = f"{dataset.masked}: level {dataset.level}"
            if failed:
                shown += f"; failed {', '.join(failed)}"
            problems.append(shown)
    if problems:
        return Attestation(
            claim=Claim.SAMPLES_DESENSITISED,
            holds="no",
            justification=Text(
                en="desensitisation check: " + " | ".join(problems),
                zh="脱敏验证未通过：" + " | ".join(problems),
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
    results: Sequence[Verification], inputs: Sequence[str]
) -> DesensitisationResult:
    """The stage's result for verified datasets, with the cross-file consistency check."""
    findings: list[Finding] = [f for result in results for f in result.findings]
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
        if section.engine == "spark":
            verifier = SparkVerifier(
                context.spark, base=context.project_dir, progress=context.progress.enabled
            )
            for dataset in section.datasets:
                results.append(verifier.verify(SparkDataset.from_config(dataset)))
            return verification_result(results, verifier.inputs)
        for dataset in section.datasets:
            spec = DatasetSpec.from_config(dataset, section.attack_seconds)
            results.append(
                verify_spec(
                    spec,
                    display=context.relpath,
                    scanner=context.find_pii,
                    progress=context.progress,
                )
            )
            inputs.append(context.relpath(dataset.masked))
            if dataset.raw is not None:
                inputs.append(context.relpath(dataset.raw))
        return verification_result(results, inputs)

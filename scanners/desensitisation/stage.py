"""The ``desensitisation`` stage: verify every configured desensitised dataset."""

from __future__ import annotations

from typing import ClassVar

from pydantic import JsonValue

from review.config import ReviewConfig
from review.models import Finding, StageResult, Text
from review.scanners.desensitisation.pii import free_text_scanner
from review.scanners.desensitisation.service import DatasetSpec, verify_spec
from review.scanners.desensitisation.verify import cross_file_consistency
from review.stage import Stage, StageContext

_LEVEL_ZH = {"identifiable": "可识别", "de-identified": "去标识化", "anonymised": "匿名化"}


class DesensitisationStage(Stage):
    """Desensitisation (脱敏) verification and re-identification risk."""

    name: ClassVar[str] = "desensitisation"
    title: ClassVar[Text] = Text(en="Desensitisation verification", zh="脱敏验证")

    def applies(self, config: ReviewConfig) -> bool:
        section = config.desensitisation
        return section.enabled and bool(section.datasets)

    def run(self, context: StageContext) -> StageResult:
        findings: list[Finding] = []
        datasets: list[JsonValue] = []
        inputs: list[str] = []
        levels: list[str] = []
        results = []
        scanner = free_text_scanner()
        for dataset in context.config.desensitisation.datasets:
            spec = DatasetSpec.from_config(dataset, context.config.desensitisation.attack_seconds)
            result = verify_spec(
                spec, display=context.relpath, scanner=scanner, progress=context.progress
            )
            results.append(result)
            findings.extend(result.findings)
            datasets.append(result.details)
            levels.append(result.level)
            inputs.append(context.relpath(dataset.masked))
            if dataset.raw is not None:
                inputs.append(context.relpath(dataset.raw))
        findings.extend(cross_file_consistency(results))
        shown_en = ", ".join(levels)
        shown_zh = "、".join(_LEVEL_ZH[level] for level in levels)
        return StageResult(
            stage=self.name,
            summary=Text(
                en=f"{len(levels)} dataset(s) verified: {shown_en}",
                zh=f"已验证 {len(levels)} 个数据集：{shown_zh}",
            ),
            findings=tuple(findings),
            inputs=tuple(sorted(set(inputs))),
            details={"datasets": datasets},
        )

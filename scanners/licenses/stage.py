"""The ``licenses`` stage of ``review run``."""

from __future__ import annotations

from typing import ClassVar

from review.clock import now
from review.config import ReviewConfig
from review.models import StageResult, Text
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
from review.stage import Stage, StageContext


class LicensesStage(Stage):
    """License conflicts of the project's dependencies against its own license."""

    name: ClassVar[str] = "licenses"
    title: ClassVar[Text] = Text(en="Open-source licenses", zh="开源许可证")

    def applies(self, config: ReviewConfig) -> bool:
        lic = config.licenses
        return lic.enabled and bool(interpreter(None) or lic.lockfiles or lic.sboms)

    def run(self, context: StageContext) -> StageResult:
        config = context.config
        lic = config.licenses
        source = str(context.loaded.source or context.project_dir)
        own = outbound_license(
            None,
            config.project.license,
            context.loaded.origin_of(("project", "license")),
            context.project_dir,
        )
        # The interpreter comes from the environment of whoever runs the review, never
        # from the reviewed project's files.
        python = interpreter(None)
        request = ScanRequest(
            outbound=own.expression,
            outbound_origin=own.origin,
            distribution=config.project.distribution,
            project_dir=context.project_dir,
            project_name=project_name(context.project_dir),
            python=python,
            scan_environment=python is not None,
            lockfiles=tuple(lic.lockfiles),
            sboms=tuple(lic.sboms),
            include_dev=lic.include_dev,
            lists=lists_from(lic, source),
            policy=lic.policy,
            waivers=tuple(lic.waivers),
            fail_on_review=lic.fail_on_review,
            dev_unresolved_severity=lic.dev_unresolved_severity,
            today=now().date(),
        )
        result = scan(request, context.progress)
        counts = {v: sum(1 for p in result.packages if p.verdict == v) for v in Verdict}
        summary = Text(
            en=f"{len(result.packages)} packages: {counts[Verdict.CONFLICT]} conflict(s), "
            f"{counts[Verdict.REVIEW]} to review",
            zh=f"共 {len(result.packages)} 个依赖包：{counts[Verdict.CONFLICT]} 个冲突，"
            f"{counts[Verdict.REVIEW]} 个待审查",
        )
        return StageResult(
            stage=self.name,
            summary=summary,
            findings=tuple(findings(result)),
            inputs=result.inputs,
            details=details(result),
        )

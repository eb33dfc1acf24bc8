"""The ``licenses`` stage of ``review run``."""

from __future__ import annotations

from typing import ClassVar

from review.core.clock import now
from review.core.models import Text
from review.core.stage import Stage, StageContext
from review.scanners.licenses.config import LicensesConfig
from review.scanners.licenses.details import LicensesResult
from review.scanners.licenses.scan import interpreter, request_for, scan, scan_result


class LicensesStage(Stage[LicensesConfig, LicensesResult]):
    """License conflicts of the project's dependencies against its own license."""

    name: ClassVar[str] = "licenses"
    title: ClassVar[Text] = Text(en="Open-source licenses", zh="开源许可证")

    def skip_reason(self, section: LicensesConfig) -> Text | None:
        if not section.enabled:
            return Text(en="[licenses] enabled = false", zh="[licenses] enabled = false（已关闭）")
        if not (interpreter(None) or section.lockfiles or section.sboms):
            return Text(
                en="no dependencies to judge: [licenses] names no lock file or SBOM, and "
                "REVIEW_LICENSES_PYTHON names no environment",
                zh="没有可判断的依赖：[licenses] 未指定锁文件或 SBOM，"
                "REVIEW_LICENSES_PYTHON 也未指定环境",
            )
        return None

    def run(self, section: LicensesConfig, context: StageContext) -> LicensesResult:
        # The interpreter comes from the environment of whoever runs the review
        # (REVIEW_LICENSES_PYTHON), never from the reviewed project's files.
        request = request_for(
            section,
            context.project,
            context.project_dir,
            str(context.error_source),
            today=now().date(),
            configured_at=str(context.error_source),
        )
        return scan_result(scan(request, context.progress))

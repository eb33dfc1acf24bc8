"""The ``licenses`` stage of ``review run``."""

from __future__ import annotations

from typing import ClassVar

from review.core.clock import now
from review.core.models import Text
from review.core.stage import Stage, StageContext
from review.scanners.licenses.config import LicensesConfig
from review.scanners.licenses.details import LicensesResult
from review.scanners.licenses.scan import request_for, scan, scan_result


class LicensesStage(Stage[LicensesConfig, LicensesResult]):
    """License conflicts of the project's dependencies against its own license."""

    name: ClassVar[str] = "licenses"
    title: ClassVar[Text] = Text(en="Open-source licenses", zh="开源许可证")

    def skip_reason(self, section: LicensesConfig) -> Text | None:
        if not section.enabled:
            return Text(en="[licenses] enabled = false", zh="[licenses] enabled = false（已关闭）")
        if not (section.python or section.lockfiles or section.sboms):
            return Text(
                en="no dependencies to judge: [licenses] names no lock file, SBOM or python",
                zh="没有可判断的依赖：[licenses] 未指定锁文件、SBOM 或 python",
            )
        return None

    def run(self, section: LicensesConfig, context: StageContext) -> LicensesResult:
        request = request_for(
            section,
            context.project,
            context.project_dir,
            str(context.error_source),
            today=now().date(),
        )
        return scan_result(scan(request, context.progress))

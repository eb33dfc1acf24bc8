"""CI formats for a single scan command (``review pii scan --format sarif`` and the like)."""

from __future__ import annotations

from collections.abc import Iterable

from review import __version__
from review.clock import now
from review.config import GateConfig
from review.gate import decide
from review.models import Finding, Metadata, Review, StageResult
from review.outputs.interface import OutputFormat
from review.outputs.junit import JUnitFormat
from review.outputs.markdown import MarkdownFormat
from review.outputs.sarif import SarifFormat

# The formats a scan command can print besides its own table and JSON contract.
SCAN_FORMATS: dict[str, type[OutputFormat]] = {
    "sarif": SarifFormat,
    "junit": JUnitFormat,
    "markdown": MarkdownFormat,
}


def scan_review(stage: str, findings: Iterable[Finding], project: str, gate: GateConfig) -> Review:
    """A one-stage review around a scan command's findings, gated by the project's policy."""
    result = StageResult(stage=stage, findings=tuple(findings))
    when = now()
    return Review(
        metadata=Metadata(
            project=project,
            tool_version=__version__,
            started=when,
            finished=when,
            language="bilingual",
        ),
        manifest=(),
        stages=(result,),
        gate=decide((result,), gate),
    )


def render_scan(
    fmt: str, stage: str, findings: Iterable[Finding], project: str, gate: GateConfig
) -> str:
    """One of SCAN_FORMATS for a scan command's findings."""
    return SCAN_FORMATS[fmt]().render(scan_review(stage, findings, project, gate))


__all__ = ["SCAN_FORMATS", "render_scan", "scan_review"]

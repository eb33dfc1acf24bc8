"""A scan command's result as a one-stage review: its CI formats and its exit code."""

from __future__ import annotations

from pathlib import Path

from review import __version__
from review.core.clock import now
from review.core.config import GateConfig
from review.core.models import Metadata, Verdict
from review.gate import decide
from review.locate import Sources, locate
from review.outputs.codequality import CodeQualityFormat
from review.outputs.interface import OutputFormat
from review.outputs.junit import JUnitFormat
from review.outputs.markdown import MarkdownFormat
from review.outputs.sarif import SarifFormat
from review.outputs.sourceroot import find_source_root
from review.record import AnyStageResult, Review

# The formats a scan command can print besides its own table and JSON contract.
SCAN_FORMATS: dict[str, type[OutputFormat]] = {
    "sarif": SarifFormat,
    "junit": JUnitFormat,
    "markdown": MarkdownFormat,
    "codequality": CodeQualityFormat,
}


def scan_review(result: AnyStageResult, project: str, gate: GateConfig, sources: Sources) -> Review:
    """A one-stage review around a scan command's result, gated by the project's policy;
    its findings located (lines, cell value keys) in the files ``sources`` names."""
    (result,) = locate([result], sources)
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


def render_scan(fmt: str, review: Review, base: Path) -> str:
    """One of SCAN_FORMATS for a scan command's one-stage review, whose paths start at
    ``base``; locations are written from the repository root."""
    return SCAN_FORMATS[fmt](find_source_root(base)).render(review)


def scan_exit_code(review: Review) -> int:
    """Every scan command's exit code: 1 when the gate fails on its result, else 0."""
    return 0 if review.gate.verdict == Verdict.PASS else 1


__all__ = ["SCAN_FORMATS", "render_scan", "scan_exit_code", "scan_review"]

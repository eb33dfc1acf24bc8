"""Output formats behind one interface, in a closed registry."""

from __future__ import annotations

from review.outputs.codequality import CodeQualityFormat
from review.outputs.interface import OutputFormat
from review.outputs.json_format import JsonFormat
from review.outputs.junit import JUnitFormat
from review.outputs.markdown import MarkdownFormat
from review.outputs.sarif import SarifFormat

FORMATS: dict[str, type[OutputFormat]] = {
    "json": JsonFormat,
    "sarif": SarifFormat,
    "junit": JUnitFormat,
    "markdown": MarkdownFormat,
    "codequality": CodeQualityFormat,
}

__all__ = ["FORMATS", "OutputFormat"]

"""PII detection: Chinese and international recognizers on Presidio, run offline and fast.

``analyze_text(text)`` finds entities in one string; ``scan_paths(paths)`` scans files
and directories (per-column classification, cell hits through a callback). The
recognizers are Presidio recognizers (``recognizers.RECOGNIZERS``);
``engine.FastAnalyzer`` runs them with Presidio's scoring semantics, and
``engine.build_presidio_analyzer`` gives Presidio's own AnalyzerEngine over the same
registry. Nothing is downloaded, ever.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from review.core.stage import Span

if TYPE_CHECKING:
    from review.scanners.pii.engine import (
        SCORE_THRESHOLD,
        FastAnalyzer,
        PiiHit,
        build_fast_analyzer,
        build_presidio_analyzer,
        resolve_overlaps,
    )
    from review.scanners.pii.recognizers import ENTITY_TYPES, RECOGNIZERS
    from review.scanners.pii.results import CellHit, ColumnResult, FileResult, ScanReport
    from review.scanners.pii.scan import Scanner, scan_paths

# Loading the engine imports Presidio (seconds). The application's config imports this
# package for its [pii] section on every command, so the engine is loaded only when a
# name that needs it is first used (PEP 562).
_LAZY = {
    **dict.fromkeys(
        (
            "SCORE_THRESHOLD",
            "FastAnalyzer",
            "PiiHit",
            "build_fast_analyzer",
            "build_presidio_analyzer",
            "resolve_overlaps",
        ),
        "engine",
    ),
    **dict.fromkeys(("ENTITY_TYPES", "RECOGNIZERS"), "recognizers"),
    **dict.fromkeys(("CellHit", "ColumnResult", "FileResult", "ScanReport"), "results"),
    **dict.fromkeys(("Scanner", "scan_paths"), "scan"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ENTITY_TYPES",
    "RECOGNIZERS",
    "SCORE_THRESHOLD",
    "CellHit",
    "ColumnResult",
    "FastAnalyzer",
    "FileResult",
    "PiiHit",
    "ScanReport",
    "Scanner",
    "analyze_text",
    "build_fast_analyzer",
    "build_presidio_analyzer",
    "default_analyzer",
    "find_spans",
    "resolve_overlaps",
    "scan_paths",
]


def find_spans(text: str) -> list[Span]:
    """``analyze_text`` as ``(start, end, entity_type)`` spans: the detector other stages
    are handed (``review.core.stage.TextScanner``)."""
    return [(hit.start, hit.end, hit.entity_type) for hit in default_analyzer().analyze(text)]


@lru_cache(maxsize=1)
def default_analyzer() -> FastAnalyzer:
    """The shared fast analyzer with every recognizer and no NER model."""
    build: Any = __getattr__("build_fast_analyzer")
    analyzer: FastAnalyzer = build()
    return analyzer


def analyze_text(
    text: str, entities: Collection[str] | None = None, context: Sequence[str] = ()
) -> list[PiiHit]:
    """Entities found in ``text`` (sorted by position, overlaps resolved to the most
    specific entity). ``context``: extra context words, e.g. a column header."""
    wanted = frozenset(entities) if entities is not None else None
    return default_analyzer().analyze(text, wanted, context)

"""The shared detector: one fast analyzer with every recognizer and no NER model."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache

from review.core.stage import Span
from review.scanners.pii.engine import FastAnalyzer, PiiHit, build_fast_analyzer


@lru_cache(maxsize=1)
def default_analyzer() -> FastAnalyzer:
    """The shared fast analyzer with every recognizer and no NER model."""
    return build_fast_analyzer()


def analyze_text(
    text: str, entities: Collection[str] | None = None, context: Sequence[str] = ()
) -> list[PiiHit]:
    """Entities found in ``text`` (sorted by position, overlaps resolved to the most
    specific entity). ``context``: extra context words, e.g. a column header."""
    wanted = frozenset(entities) if entities is not None else None
    return default_analyzer().analyze(text, wanted, context)


def find_spans(text: str) -> list[Span]:
    """``analyze_text`` as ``(start, end, entity_type)`` spans: the detector other stages
    are handed (``review.core.stage.TextScanner``)."""
    return [(hit.start, hit.end, hit.entity_type) for hit in default_analyzer().analyze(text)]

"""The shared detector: one fast analyzer with every recognizer and no NER model.

The engine (and with it Presidio and spaCy, about 3 s) is imported on first use, not
with this module, and texts the prescreen rules out never reach it: ``desensitise
check`` on a table with plain headers and values never loads it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from review.core.stage import Span
from review.scanners.pii.prescreen import could_hold_personal_data

if TYPE_CHECKING:
    from review.scanners.pii.engine import FastAnalyzer, PiiHit


@lru_cache(maxsize=1)
def default_analyzer() -> FastAnalyzer:
    """The shared fast analyzer with every recognizer and no NER model."""
    # The one import of our own code inside a function (tests/test_architecture.py).
    from review.scanners.pii.engine import build_fast_analyzer

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
    if not could_hold_personal_data(text):
        return []
    return [(hit.start, hit.end, hit.entity_type) for hit in default_analyzer().analyze(text)]

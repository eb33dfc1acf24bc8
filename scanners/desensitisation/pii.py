"""The shared PII detector as the desensitisation checks use it: text -> spans."""

from __future__ import annotations

from functools import lru_cache

from review.scanners.desensitisation.apply import FreeTextScanner, Span
from review.scanners.pii import analyze_text

# Tables repeat their values (categories, codes, bands): each distinct cell is analysed once.
_CACHED_CELLS = 65_536


@lru_cache(maxsize=_CACHED_CELLS)
def _scan(text: str) -> tuple[Span, ...]:
    return tuple((hit.start, hit.end, hit.entity_type) for hit in analyze_text(text))


def free_text_scanner() -> FreeTextScanner:
    """``review.scanners.pii.analyze_text`` reduced to ``(start, end, entity_type)`` spans."""
    return _scan

"""The shared PII detector as the desensitisation checks use it: text -> spans."""

from __future__ import annotations

from review.scanners.desensitisation.apply import FreeTextScanner, Span
from review.scanners.pii import analyze_text


def _scan(text: str) -> list[Span]:
    return [(hit.start, hit.end, hit.entity_type) for hit in analyze_text(text)]


def free_text_scanner() -> FreeTextScanner:
    """``review.scanners.pii.analyze_text`` reduced to ``(start, end, entity_type)`` spans."""
    return _scan

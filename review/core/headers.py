"""Matching column headers against keywords, in English and Chinese: one rule for all."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[^0-9a-z]+")


def header_words(header: str) -> list[str]:
    """The English words of a header: lower-cased, split at anything not a letter or digit."""
    return [w for w in _SEPARATORS.split(header.lower()) if w]


def header_has(header: str, keyword: str) -> bool:
    """Whether ``header`` names ``keyword``.

    An English keyword must be a whole word ('age' is not in 'page'); a snake_case one
    matches joined words ('blood_type' in 'patient_blood_type'); a Chinese one is a
    substring, since Chinese headers have no spaces.
    """
    if keyword.isascii():
        words = header_words(header)
        return keyword in words or ("_" in keyword and keyword in "_".join(words))
    return keyword in header


def header_has_any(header: str, keywords: Iterable[str]) -> bool:
    """Whether ``header`` names any of ``keywords``."""
    return any(header_has(header, keyword) for keyword in keywords)

"""Matching column names against hint words, in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^a-z0-9]+")


def name_has(name: str, hints: Iterable[str]) -> bool:
    """Whether ``name`` contains a hint: a whole English word, or a Chinese substring."""
    lowered = name.lower()
    words = set(_WORD.split(lowered))
    for hint in hints:
        if hint.isascii():
            if hint in words or ("_" in hint and hint in lowered):
                return True
        elif hint in lowered:
            return True
    return False

"""Cells that stand for "no value": left as they are by apply, accepted by every check."""

from __future__ import annotations

# Empty, and the markers common exports write for a missing value (UCI Adult uses '?').
MISSING = frozenset({"", "?", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-"})


def is_missing(value: str) -> bool:
    return value.strip() in MISSING

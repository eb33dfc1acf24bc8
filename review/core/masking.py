"""Masked evidence: the only form in which a personal-data value may leave the tool.

A mask covers the entity only. Callers may hand over a whole cell (``someone@example.com
13812340000`` as an e-mail address); the entity's shape is found inside it and the rest
of the cell never rides along with the evidence.
"""

from __future__ import annotations

import re

# How many leading / trailing characters each entity type may show. These follow the
# shapes in common Chinese practice (GB/T 35273 examples): phone 138****5678,
# resident ID 110101********123X, bank card 622202*********1234, name 张*.
_KEEP: dict[str, tuple[int, int]] = {
    "CN_MOBILE_PHONE": (3, 4),
    "PHONE_NUMBER": (3, 2),
    "CN_RESIDENT_ID": (6, 4),
    "CN_BANK_CARD": (6, 4),
    "CREDIT_CARD": (4, 4),
    "IBAN_CODE": (4, 2),
    "CN_USCC": (2, 2),
    "CN_PASSPORT": (1, 2),
    "CN_HMT_PERMIT": (1, 2),
    "HK_ID_CARD": (1, 1),
    "TW_NATIONAL_ID": (1, 2),
    "US_SSN": (0, 4),
    "CN_LICENSE_PLATE": (2, 1),
    "IP_ADDRESS": (3, 0),
    "PERSON": (1, 0),
}


_DIGITS = r"\+?\(?\d[\d \-().]{5,}\d"
# What a value of each kind looks like, to find it inside a longer cell.
_SHAPE: dict[str, re.Pattern[str]] = {
    entity: re.compile(pattern)
    for entity, pattern in {
        "EMAIL_ADDRESS": r"[^\s@<>()\[\],;:\"']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*",
        "CN_MOBILE_PHONE": _DIGITS,
        "PHONE_NUMBER": _DIGITS,
        "CN_RESIDENT_ID": r"\d{17}[\dXx]|\d{15}",
        "CN_BANK_CARD": r"\d[\d \-]{10,}\d",
        "CREDIT_CARD": r"\d[\d \-]{10,}\d",
        "IBAN_CODE": r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,}[A-Za-z0-9]",
        "CN_USCC": r"[0-9A-Za-z]{18}",
        "CN_PASSPORT": r"[A-Za-z]{1,2}\d{6,10}",
        "CN_HMT_PERMIT": r"[A-Za-z]{1,2}\d{6,10}",
        "HK_ID_CARD": r"[A-Za-z]{1,2}\d{6}\s?\(?[0-9Aa]\)?",
        "TW_NATIONAL_ID": r"[A-Za-z]\d{9}",
        "US_SSN": r"\d{3}[ \-]?\d{2}[ \-]?\d{4}",
        "CN_LICENSE_PLATE": r"[\u4e00-\u9fff][A-Za-z][A-Za-z0-9·•]{4,6}",
        "IP_ADDRESS": r"[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]{2,}",
        "PERSON": r"\S+",
    }.items()
}


def mask(value: str, entity_type: str | None = None) -> str:
    """Mask ``value`` so that it cannot identify anyone but stays recognisable in shape.

    Only the entity inside ``value`` is shown (masked); where no value of that kind is
    found, nothing of it is shown but its length in stars.
    """
    text = value.strip()
    if not text:
        return ""
    shape = _SHAPE.get(entity_type or "")
    if shape is not None:
        found = shape.search(text)
        if found is None:
            return "*" * min(len(text), 16)
        text = found.group()
    if entity_type == "EMAIL_ADDRESS":
        local, _, domain = text.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if entity_type in ("CN_ADDRESS", "LOCATION", "ADDRESS"):
        return text[: min(3, len(text) // 3)] + "***"
    head, tail = _KEEP.get(entity_type or "", (0, 0))
    if entity_type not in _KEEP:
        # Unknown kinds show at most a quarter of the value, split over both ends.
        shown = len(text) // 4
        head, tail = (shown + 1) // 2, shown // 2
    if head + tail >= len(text):
        head, tail = min(head, len(text) // 3), 0
    hidden = len(text) - head - tail
    return text[:head] + "*" * hidden + (text[-tail:] if tail else "")

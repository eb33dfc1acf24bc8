"""Masked evidence: the only form in which a personal-data value may leave the tool."""

from __future__ import annotations

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


def mask(value: str, entity_type: str | None = None) -> str:
    """Mask ``value`` so that it cannot identify anyone but stays recognisable in shape."""
    text = value.strip()
    if not text:
        return ""
    if entity_type == "EMAIL_ADDRESS" and "@" in text:
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

"""Is a hashed column reversible? Unsalted digests of raw values or of enumerable spaces.

A keyed pseudonym (HMAC) cannot be recomputed without the key; a plain MD5 / SHA-1 /
SHA-256 of a phone number can, by hashing the raw values (a dictionary) or, with no
raw file at hand, by enumerating the whole space of possible values.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# The closed registry of unkeyed digests we try, by hex length.
DIGESTS: dict[str, tuple[int, Callable[[bytes], str]]] = {
    "md5": (32, lambda data: hashlib.md5(data, usedforsecurity=False).hexdigest()),
    "sha1": (40, lambda data: hashlib.sha1(data, usedforsecurity=False).hexdigest()),
    "sha256": (64, lambda data: hashlib.sha256(data).hexdigest()),
}
_HEX = re.compile(r"[0-9a-fA-F]+")


def digest_kind(tokens: Sequence[str], min_share: float = 0.9) -> str | None:
    """The digest whose hex shape nearly all non-empty tokens have, if any."""
    filled = [t.strip() for t in tokens if t.strip()]
    if not filled:
        return None
    for name, (length, _) in DIGESTS.items():
        shaped = sum(1 for t in filled if len(t) == length and _HEX.fullmatch(t))
        if shaped >= min_share * len(filled):
            return name
    return None


def variants(value: str) -> set[str]:
    """Spellings a careless pipeline might have hashed: as is, trimmed, digits only, ..."""
    text = value.strip()
    out = {value, text, text.lower(), text.upper()}
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        out.add(digits)
        for prefix in ("86", "0086"):
            if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
                out.add(digits[len(prefix) :])
    return {v for v in out if v}


@dataclass(frozen=True)
class Reversal:
    """Tokens recovered by hashing candidate values."""

    digest: str
    recovered: tuple[int, ...]  # indices of recovered tokens
    candidates: int


def reverse(tokens: Sequence[str], candidates: Iterable[str], digest: str) -> Reversal:
    """Which tokens are ``digest`` of some candidate value (in any of its variants)."""
    _, fn = DIGESTS[digest]
    table: set[str] = set()
    count = 0
    for candidate in candidates:
        count += 1
        for spelling in variants(candidate):
            table.add(fn(spelling.encode("utf-8")))
    recovered = tuple(i for i, t in enumerate(tokens) if t.strip().lower() in table)
    return Reversal(digest, recovered, count)


@dataclass(frozen=True)
class Space:
    """A space of identifier values small enough to enumerate."""

    size: float
    description: str


# Enumerable identifier spaces by entity type. Mobile: 1[3-9] + 9 digits. Resident ID:
# about 3,500 region codes x 36,525 birth dates in a century x 1,000 sequence numbers
# (the check character follows from the rest).
SPACES: dict[str, Space] = {
    "CN_MOBILE_PHONE": Space(7e9, "mainland mobile numbers 1[3-9]xxxxxxxxx"),
    "CN_RESIDENT_ID": Space(1.28e11, "resident ID numbers (region x birth date x sequence)"),
}

# Fixed, documented reference rates (not measured, so that output stays reproducible):
# one CPU core with hashlib, and one consumer GPU running hashcat on unsalted SHA-256.
CPU_RATE = 5e6
GPU_RATE = 1e10


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400.0), ("hours", 3600.0), ("minutes", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.1f} seconds"


def enumeration_cost(space: Space) -> str:
    """How long enumerating ``space`` takes at the reference rates, in words."""
    return (
        f"{space.size:.1e} candidates: about {_duration(space.size / CPU_RATE)} on one CPU "
        f"core, {_duration(space.size / GPU_RATE)} on one GPU"
    )

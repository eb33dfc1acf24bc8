"""Masks: the one definition of what a masked value is, and of how each entity is masked.

Everything that masks or recognises masks reads this module: the evidence the tool
prints (``mask``), the policies ``desensitise suggest`` proposes and ``desensitise apply``
carries out (``MaskShape``, ``MASK_RULES``), the over-revealing check of ``desensitise
check`` (``MaskRule.most_visible``), and the PII detector, which never reports a match
holding the mask character (``holds_mask``): what shows of a masked value is what its
mask chose to show.

Shape grammar: ``[HEAD]*[TAIL][@]``. HEAD and TAIL are counts of characters left visible
at each end (0 when omitted); the middle is one or more ``*``. A trailing ``@`` applies
the shape to the local part of an e-mail address and keeps the domain.

A mask covers the entity only. Callers may hand over a whole cell (``someone@example.com
13812340000`` as an e-mail address); the entity's shape is found inside it and the rest
of the cell never rides along with the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MASK_CHAR = "*"
"""The character every mask writes in place of hidden characters."""

_SHAPE = re.compile(r"^(\d{0,3})\*(\d{0,3})(@?)$")


def holds_mask(text: str) -> bool:
    """Whether ``text`` (a detector's match) holds the mask character: then it is part of a
    masked value, and what shows of it is what the mask let show."""
    return MASK_CHAR in text


class ShapeError(ValueError):
    """A shape string that does not follow the grammar."""


class Conformance(StrEnum):
    """How one masked value relates to its declared shape."""

    OK = "ok"
    UNMASKED = "unmasked"  # no mask character at all: the value was left as it was
    OVER_REVEALING = "over_revealing"  # more characters visible than the shape allows
    MISMATCH = "mismatch"  # masked, but not in the declared shape


@dataclass(frozen=True)
class MaskShape:
    """A mask shape: how many characters stay visible at each end."""

    head: int
    tail: int
    email: bool = False

    @classmethod
    def parse(cls, text: str) -> MaskShape:
        match = _SHAPE.match(text.strip())
        if not match:
            raise ShapeError(
                f"invalid mask shape {text!r}: expected HEAD*TAIL, e.g. '3*4', '1*', '1*@'"
            )
        head, tail, email = match.groups()
        return cls(int(head or 0), int(tail or 0), bool(email))

    def __str__(self) -> str:
        return f"{self.head or ''}*{self.tail or ''}{'@' if self.email else ''}"

    def span(self, value: str) -> tuple[int, int]:
        """The ``[start, end)`` range of ``value`` this shape hides."""
        offset, part = 0, value
        if self.email and "@" in value:
            part = value.rpartition("@")[0]
        if len(part) <= self.head + self.tail:
            return offset, len(part)
        return self.head, len(part) - self.tail

    def apply(self, value: str) -> str:
        """Mask ``value`` to this shape (the length is kept; short values are all masked)."""
        if self.email and "@" in value:
            local, _, domain = value.rpartition("@")
            return f"{self._apply_part(local)}@{domain}"
        return self._apply_part(value)

    def _apply_part(self, value: str) -> str:
        if len(value) <= self.head + self.tail:
            return MASK_CHAR * len(value)
        end = len(value) - self.tail
        return value[: self.head] + MASK_CHAR * (end - self.head) + value[end:]

    def check(self, value: str) -> Conformance:
        """Whether ``value`` has this shape, and if not, how it differs."""
        part = value
        if self.email:
            local, at, domain = value.rpartition("@")
            if not at or not domain or MASK_CHAR in domain:
                return Conformance.UNMASKED if MASK_CHAR not in value else Conformance.MISMATCH
            part = local
        if MASK_CHAR not in part:
            return Conformance.UNMASKED if part else Conformance.MISMATCH
        visible = sum(1 for ch in part if ch != MASK_CHAR)
        if len(part) <= self.head + self.tail:
            # Too short to show both ends: a fully masked value is what apply() makes.
            return Conformance.OK if visible == 0 else Conformance.OVER_REVEALING
        end = len(part) - self.tail
        head, middle, tail = part[: self.head], part[self.head : end], part[end:]
        if (
            MASK_CHAR not in head
            and MASK_CHAR not in tail
            and middle
            and set(middle) == {MASK_CHAR}
        ):
            return Conformance.OK
        if visible > self.head + self.tail:
            return Conformance.OVER_REVEALING
        return Conformance.MISMATCH


def visible_positions(value: str) -> frozenset[int]:
    """Indices of the characters a mask left visible."""
    return frozenset(i for i, ch in enumerate(value) if ch != MASK_CHAR)


_DIGITS = r"\+?\(?\d[\d \-().]{5,}\d"
_CARD = r"\d[\d \-]{10,}\d"
_DOCUMENT = r"[A-Za-z]{1,2}\d{6,10}"


@dataclass(frozen=True)
class MaskRule:
    """How one entity type is masked."""

    shape: MaskShape
    """The shape evidence is printed in and ``desensitise suggest`` proposes."""
    finds: str
    """What a value of this type looks like, to find it inside a longer cell: evidence
    shows the entity only, never the rest of the cell."""
    most_visible: int | None = None
    """The most characters any mask of this type may leave visible, whatever shape a
    policy declares (None: only the declared shape is checked)."""


# The shapes of common Chinese practice (GB/T 35273 examples): phone 138****5678,
# resident ID 110101********123X, bank card 622202*********1234, name 张*; cards at most
# the first 6 and last 4 digits (PCI DSS).
MASK_RULES: dict[str, MaskRule] = {
    "CN_MOBILE_PHONE": MaskRule(MaskShape(3, 4), _DIGITS, most_visible=7),
    "PHONE_NUMBER": MaskRule(MaskShape(3, 2), _DIGITS),
    "CN_RESIDENT_ID": MaskRule(MaskShape(6, 4), r"\d{17}[\dXx]|\d{15}", most_visible=10),
    "CN_BANK_CARD": MaskRule(MaskShape(6, 4), _CARD, most_visible=10),
    "CREDIT_CARD": MaskRule(MaskShape(4, 4), _CARD, most_visible=10),
    "IBAN_CODE": MaskRule(MaskShape(4, 2), r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,}[A-Za-z0-9]"),
    "CN_USCC": MaskRule(MaskShape(2, 2), r"[0-9A-Za-z]{18}"),
    "CN_PASSPORT": MaskRule(MaskShape(1, 2), _DOCUMENT),
    "CN_HMT_PERMIT": MaskRule(MaskShape(1, 2), _DOCUMENT),
    "HK_ID_CARD": MaskRule(MaskShape(1, 1), r"[A-Za-z]{1,2}\d{6}\s?\(?[0-9Aa]\)?"),
    "TW_NATIONAL_ID": MaskRule(MaskShape(1, 2), r"[A-Za-z]\d{9}"),
    "US_SSN": MaskRule(MaskShape(0, 4), r"\d{3}[ \-]?\d{2}[ \-]?\d{4}"),
    "CN_LICENSE_PLATE": MaskRule(MaskShape(2, 1), r"[\u4e00-\u9fff][A-Za-z][A-Za-z0-9·•]{4,6}"),
    "IP_ADDRESS": MaskRule(MaskShape(3, 0), r"[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]{2,}"),
    "PERSON": MaskRule(MaskShape(1, 0), r"\S+"),
    "EMAIL_ADDRESS": MaskRule(
        MaskShape(1, 0, email=True),
        r"[^\s@<>()\[\],;:\"']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*",
    ),
}
"""The one table of masks by entity type."""

_PLACES = frozenset({"CN_ADDRESS", "LOCATION", "ADDRESS"})


def mask(value: str, entity_type: str | None = None) -> str:
    """Mask ``value`` so that it cannot identify anyone but stays recognisable in shape.

    Only the entity inside ``value`` is shown (masked); where no value of that kind is
    found, nothing of it is shown but its length in stars.
    """
    text = value.strip()
    if not text:
        return ""
    rule = MASK_RULES.get(entity_type or "")
    if rule is not None:
        entity = re.search(rule.finds, text)  # the re module caches compiled patterns
        if entity is None:
            return MASK_CHAR * min(len(text), 16)
        text = entity.group()
    if rule is not None and rule.shape.email and "@" in text:
        # Evidence hides the local part's length too.
        local, _, domain = text.rpartition("@")
        return f"{local[: rule.shape.head]}{MASK_CHAR * 3}@{domain}"
    if entity_type in _PLACES:
        return text[: min(3, len(text) // 3)] + MASK_CHAR * 3
    if rule is not None:
        head, tail = rule.shape.head, rule.shape.tail
    else:
        # Unknown kinds show at most a quarter of the value, split over both ends.
        shown = len(text) // 4
        head, tail = (shown + 1) // 2, shown // 2
    if head + tail >= len(text):
        head, tail = min(head, len(text) // 3), 0
    hidden = len(text) - head - tail
    return text[:head] + MASK_CHAR * hidden + (text[-tail:] if tail else "")

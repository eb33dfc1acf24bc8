"""Mask shapes: ``6*4`` keeps the first 6 and last 4 characters, ``1*@`` an e-mail's first.

Grammar: ``[HEAD]*[TAIL][@]``. HEAD and TAIL are counts of characters left visible at
each end (0 when omitted); the middle is one or more ``*``. A trailing ``@`` applies the
shape to the local part of an e-mail address and keeps the domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_SHAPE = re.compile(r"^(\d{0,3})\*(\d{0,3})(@?)$")
MASK_CHAR = "*"


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
    """A parsed mask shape."""

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

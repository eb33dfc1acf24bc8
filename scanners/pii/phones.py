"""Phone numbers: python-phonenumbers' matches, kept only where they read as a phone number.

python-phonenumbers finds a "valid" number in almost any run of digits: a row of a
sports table (``BUFFALO 13 12 1 77 76 27``), an amount (``68736.26``), the fraction of
a coordinate, the last 14 digits of an order number. ``judge`` decides from the match
and the characters around it: a window of a longer number (or of a time), more than 15
digits, a decimal or a date is no phone; a block of digits that continues a number
written in groups, or a match without a phone's shape (``phone_shaped``: not a row of
small numbers), is kept with a score below the threshold, so it counts only with
context (a word such as 电话 / phone before it, or a column header).

Every rule reads only character classes (decimal digit, ASCII letter, whitespace, and
the characters in ``SIGNIFICANT``), so texts of one shape get the same verdicts:
``engine.py`` uses that to skip the matcher for whole columns of amounts, order numbers
or timestamps.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import lru_cache
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

MAX_DIGITS = 15
"""E.164: a full international number has at most 15 digits."""

WEAK_SCORE = 0.1
"""Score of a match without a phone's shape: below the 0.4 threshold until context
(+0.35) lifts it."""

_STARTS = frozenset("+(（")
_RUN_SEPARATORS = frozenset(".-/:")
SIGNIFICANT = frozenset("+(（)）.,-/:")
"""Characters the rules tell apart (besides digits, ASCII letters and whitespace)."""

_DECIMAL = re.compile(r"\d+[.,]\d+")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_AREA_CODE = re.compile(r"[(（]\d+[)）]")
_GROUPS = re.compile(r"[\s.\-]+")
_EXTENSION = re.compile(r"\s?[A-Za-z]{1,3}\.?\s?\d{1,6}$")  # x4587, ext. 12


class Verdict(IntEnum):
    """What a phone-number match is worth."""

    DROP = 0
    WEAK = 1
    PHONE = 2


def _alnum(char: str) -> bool:
    # '_' too: digits after it belong to a token such as <PERSON_04949282>.
    return char.isdecimal() or (char.isascii() and char.isalpha()) or char == "_"


def _continues(text: str, at: int, beyond: int) -> bool:
    """Whether ``text[at]`` carries a number on: a digit or letter, or a separator with a
    digit at ``beyond`` (``123-456``, ``39.904211``)."""
    if not 0 <= at < len(text):
        return False
    char = text[at]
    if _alnum(char):
        return True
    return char in _RUN_SEPARATORS and 0 <= beyond < len(text) and text[beyond].isdecimal()


def _spaced(text: str, at: int, beyond: int) -> bool:
    """Whether ``text[at]`` is a space with more digits at ``beyond`` that are not a
    country code (``+41 (0)96 471 07 95`` is one number)."""
    inside = 0 <= at < len(text) and 0 <= beyond < len(text)
    if not (inside and text[at].isspace() and text[beyond].isdecimal()):
        return False
    step = -1 if beyond < at else 1
    while 0 <= beyond < len(text) and text[beyond].isdecimal():
        beyond += step
    return not (step < 0 and beyond >= 0 and text[beyond] == "+")


def phone_shaped(found: str) -> bool:
    """A leading ``+``, an area code in brackets, one block of 7-15 digits, or groups of
    digits as numbers are written (``415 555 2671``, ``0494 92 82 32``, ``01.84.17.61.18``,
    an extension such as ``x459`` aside): no group of one digit after the first, and not
    only pairs apart from spaces."""
    if found.startswith("+") or _AREA_CODE.search(found):
        return True
    number = _EXTENSION.sub("", found)
    groups = _GROUPS.split(number)
    if not all(g.isdecimal() for g in groups):
        return False
    if len(groups) == 1:
        return 7 <= len(groups[0]) <= MAX_DIGITS
    if any(len(g) < 2 for g in groups[1:]):
        return False
    # Pairs and spaces only is how a table's row of small numbers reads too.
    return any(len(g) > 2 for g in groups) or not any(c.isspace() for c in number)


def judge(text: str, start: int, end: int) -> Verdict:
    """The verdict on the match ``text[start:end]``."""
    found = text[start:end]
    if not found or not (found[0] in _STARTS or found[0].isdecimal()):
        return Verdict.DROP
    if not found[-1].isdecimal():
        return Verdict.DROP
    if _continues(text, start - 1, start - 2) or _continues(text, end, end + 1):
        return Verdict.DROP  # a window of a longer number
    if sum(c.isdecimal() for c in found) > MAX_DIGITS:
        return Verdict.DROP
    if _DECIMAL.fullmatch(found.strip("()（）")):
        return Verdict.DROP  # an amount or a coordinate
    if _DATE.fullmatch(found):
        return Verdict.DROP  # a date (DATE_TIME's), not a number to call
    block = found.isdecimal()
    if block and (_spaced(text, start - 1, start - 2) or _spaced(text, end, end + 1)):
        return Verdict.WEAK  # the end of a longer number written in groups (8361 0733...)
    return Verdict.PHONE if phone_shaped(found) else Verdict.WEAK


SHAPE_LIMIT = 64
"""Longest text ``can_count`` examines (it is cubic in the length); longer ones may count."""


@lru_cache(maxsize=4096)
def can_count(text: str, context_possible: bool) -> bool:
    """Whether any substring of ``text`` could be a phone number that counts: not dropped,
    and phone-shaped unless context may lift it. Meant for the shape of a short value
    (see the module docstring), computed once per shape."""
    if len(text) > SHAPE_LIMIT:
        return True
    worst = Verdict.WEAK if context_possible else Verdict.PHONE
    digits = [i for i, c in enumerate(text) if c.isdecimal()]
    if not digits:
        return False
    ends = [i + 1 for i in digits]
    starts = [i for i, c in enumerate(text) if c.isdecimal() or c in _STARTS]
    return any(judge(text, s, e) >= worst for s in starts for e in ends if e > s)


class CjkPhoneRecognizer(PhoneRecognizer):
    """Presidio's phone recognizer (CN, HK and TW added) with ``judge`` applied to its matches."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            verdict = judge(text, result.start, result.end)
            if verdict is Verdict.DROP:
                continue
            if verdict is Verdict.WEAK:
                result.score = WEAK_SCORE
            kept.append(result)
        return kept

    def shape_may_count(self, shape: str, context_possible: bool) -> bool:
        """Whether a text of this shape may hold a phone number that counts."""
        return can_count(shape, context_possible)

"""Check-digit validators for Chinese and regional identifiers (pure functions)."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from operator import mul

from review.core.clock import now

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_OFFSET = 48 * sum(_ID_WEIGHTS)


def resident_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID."""
    # Iterating bytes gives code points directly: subtract '0' (48) once for all digits.
    total = sum(map(mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ID_OFFSET
    return _ID_CHECK[total % 11]


@lru_cache(maxsize=8)
def _today(epoch: str | None) -> dt.date:
    # Keyed on SOURCE_DATE_EPOCH so reproducible runs and tests that set it stay exact.
    del epoch
    return now().date()


def valid_resident_id(value: str) -> bool:
    """18-character GB 11643 resident ID: real birth date and MOD 11-2 check character."""
    head = value[:17]
    if len(value) != 18 or not head.isascii() or not head.isdigit():
        return False
    # The check character first: it is cheaper than the date and rejects 10 in 11.
    if resident_id_check_char(head) != value[17].upper():
        return False
    return _born_by(value[6:14], os.environ.get("SOURCE_DATE_EPOCH"))


@lru_cache(maxsize=65536)
def _born_by(yyyymmdd: str, epoch: str | None) -> bool:
    """A real birth date from 1900 to today (a column of IDs repeats birth dates a lot)."""
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return born.year >= 1900 and born <= _today(epoch)


_LUHN_DOUBLED = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))
_LUHN_KEPT = bytes.maketrans(b"0123456789", bytes(range(10)))


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over a string of ASCII digits."""
    if not digits.isascii() or not digits.isdigit():
        return False
    raw = digits.encode("ascii")
    # Digit values and doubled-digit sums by byte translation: no per-digit Python code.
    total = sum(raw[-1::-2].translate(_LUHN_KEPT)) + sum(raw[-2::-2].translate(_LUHN_DOUBLED))
    return total % 10 == 0


def valid_bank_card(value: str) -> bool:
    """16-19 digit bank card number (spaces/dashes allowed) passing Luhn."""
    digits = value.replace(" ", "").replace("-", "")
    return 16 <= len(digits) <= 19 and luhn_ok(digits)


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARS)}
_USCC_SET = frozenset(USCC_CHARS)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character of the first 17 characters of a USCC."""
    if len(first17) != len(_USCC_WEIGHTS):
        raise ValueError("a USCC check character needs exactly 17 characters")
    total = sum(map(mul, map(_USCC_VALUES.__getitem__, first17), _USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def valid_uscc(value: str) -> bool:
    """18-character unified social credit code with a correct GB 32100 check character."""
    text = value.upper()
    if len(text) != 18 or not _USCC_SET.issuperset(text):
        return False
    if not text[2:8].isdigit():  # administrative division code
        return False
    return uscc_check_char(text[:17]) == text[17]


def hkid_check_char(prefix: str, digits: str) -> str:
    """Check character of a Hong Kong identity card (one or two letters + six digits)."""
    letters = prefix.upper().rjust(2, " ")
    values = [36 if c == " " else ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def valid_hkid(value: str) -> bool:
    """Hong Kong identity card such as ``A123456(3)`` with a correct check character."""
    text = value.upper().replace("(", "").replace(")", "")
    letters = text[:2] if text[1:2].isalpha() else text[:1]
    body = text[len(letters) :]
    if not 1 <= len(letters) <= 2 or len(body) != 7 or not body[:6].isdigit():
        return False
    return hkid_check_char(letters, body[:6]) == body[6]


_TW_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"  # codes 10..35 in this order


def tw_id_check_digit(first9: str) -> str:
    """Check digit of a Taiwan national ID given its letter and first eight digits."""
    code = _TW_LETTERS.index(first9[0].upper()) + 10
    total = code // 10 + (code % 10) * 9
    total += sum(int(d) * w for d, w in zip(first9[1:], range(8, 0, -1), strict=True))
    return str((10 - total % 10) % 10)


def valid_tw_id(value: str) -> bool:
    """Taiwan national ID (letter, 1/2/8/9, eight digits) with a correct check digit."""
    text = value.upper()
    if len(text) != 10 or text[0] not in _TW_LETTERS or not text[1:].isdigit():
        return False
    if text[1] not in "1289":
        return False
    return tw_id_check_digit(text[:9]) == text[9]

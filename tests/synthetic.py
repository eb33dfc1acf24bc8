"""Generators of synthetic, valid identifiers (for tests and benchmarks; never real data)."""

from __future__ import annotations

import datetime as dt
import random

from review.scanners.pii import validators as v

_AREAS = ("110101", "310104", "440106", "511424", "610722", "350821", "620102", "430424")
_PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_MOBILE_PREFIXES = ("130", "136", "138", "139", "150", "159", "177", "186", "188", "199")


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def resident_id(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 60))
    first = rng.choice(_AREAS) + born.strftime("%Y%m%d") + digits(rng, 3)
    return first + v.resident_id_check_char(first)


def bank_card(rng: random.Random) -> str:
    body = "6222" + digits(rng, rng.choice((11, 14)))
    for check in "0123456789":
        if v.luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one Luhn digit always fits")


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + digits(rng, 8)


def uscc(rng: random.Random) -> str:
    first = (
        rng.choice("159")
        + rng.choice("123")
        + rng.choice(_AREAS)
        + "".join(rng.choice(v.USCC_CHARS) for _ in range(9))
    )
    return first + v.uscc_check_char(first)


def hkid(rng: random.Random) -> str:
    prefix = rng.choice(_PLATE) if rng.random() < 0.8 else rng.choice(("WX", "XA", "XB", "XG"))
    body = digits(rng, 6)
    return f"{prefix}{body}({v.hkid_check_char(prefix, body)})"


def tw_id(rng: random.Random) -> str:
    first = rng.choice("ABCDEFGHJKLMNPQRSTUVXYWZIO") + rng.choice("12") + digits(rng, 7)
    return first + v.tw_id_check_digit(first)


def passport(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "E" + digits(rng, 8)
    return "E" + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(rng, 7)


def plate(rng: random.Random) -> str:
    head = rng.choice(_PROVINCE_CHARS) + rng.choice(_PLATE)
    if rng.random() < 0.3:  # new-energy plate
        return head + rng.choice("DF") + rng.choice(_PLATE + "0123456789") + digits(rng, 4)
    return head + rng.choice(_PLATE) + digits(rng, 4)


def hmt_permit(rng: random.Random) -> str:
    return rng.choice("HM") + digits(rng, 8)


# Values of the columns that hold no personal data: the common case in a real table.


def amount(rng: random.Random) -> str:
    """A decimal amount such as ``68736.26``."""
    return f"{rng.randrange(1, 100_000)}.{rng.randrange(100):02d}"


def order_number(rng: random.Random) -> str:
    """An 18-digit order number (date-led, as shops write them)."""
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
    return day.strftime("%Y%m%d") + digits(rng, 10)


def timestamp(rng: random.Random) -> str:
    """A timestamp such as ``2024-01-15 12:34:56``."""
    moment = dt.datetime(2023, 1, 1) + dt.timedelta(seconds=rng.randrange(60_000_000))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def product_code(rng: random.Random) -> str:
    """A stock-keeping code such as ``SKU-B417-2093``."""
    return f"SKU-{rng.choice(_PLATE)}{rng.randrange(100, 1000)}-{rng.randrange(1000, 10_000)}"


def record_id(rng: random.Random, number: int) -> str:
    """A sequential record id such as ``C00000017`` (customer) or ``S20250017`` (session)."""
    return rng.choice(("C", "S")) + (f"{number:08d}" if rng.random() < 0.5 else f"2025{number:04d}")


def coordinate(rng: random.Random) -> str:
    """A latitude, longitude pair printed in full precision."""
    return f"{rng.uniform(-90, 90)!r},{rng.uniform(-180, 180)!r}"

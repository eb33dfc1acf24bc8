"""Structured rows for the Spark benchmark, vectorised (numpy + pyarrow): synthetic only."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

AREAS = pa.array(["110101", "310104", "440106", "511424", "610722", "350821", "620102", "430424"])
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
MOBILE_PREFIXES = pa.array(["130", "136", "138", "139", "150", "159", "177", "186", "188", "199"])
STATUSES = pa.array(["PAID", "SHIPPED", "REFUNDED", "CANCELLED", "PENDING"])
LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9])


def _text(values: np.ndarray) -> pa.Array:
    return pa.array(values).cast(pa.string())


def _padded(rng: np.random.Generator, n: int, width: int) -> pa.Array:
    """``width`` random digits per row (leading zeros kept)."""
    return pc.utf8_lpad(_text(rng.integers(0, 10**width, n)), width, "0")


def _digit_matrix(texts: pa.Array, width: int) -> np.ndarray:
    """Equal-width ASCII digit strings as an (n, width) matrix of digit values."""
    data = np.frombuffer(texts.buffers()[2], dtype=np.uint8)[texts.offset * width :]
    return data[: len(texts) * width].reshape(len(texts), width).astype(np.int64) - 48


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _pick(rng: np.random.Generator, choices: pa.Array, n: int) -> pa.Array:
    return choices.take(pa.array(rng.integers(0, len(choices), n)))


def _dates(rng: np.random.Generator, start: str, days: int, n: int) -> pa.Array:
    day = np.datetime64(start) + rng.integers(0, days, n).astype("timedelta64[D]")
    return pc.replace_substring(pa.array(np.datetime_as_string(day)), "-", "")


def resident_ids(rng: np.random.Generator, n: int) -> pa.Array:
    first = _join(_pick(rng, AREAS, n), _dates(rng, "1950-01-01", 365 * 60, n), _padded(rng, n, 3))
    check = ID_CHECK[(_digit_matrix(first, 17) * ID_WEIGHTS).sum(axis=1) % 11]
    return _join(first, pa.array(check.view("S1")).cast(pa.string()))


def _luhn_digit(body: np.ndarray) -> np.ndarray:
    """The check digit that makes each row of digits pass Luhn."""
    reverse = body[:, ::-1]
    total = LUHN_DOUBLED[reverse[:, 0::2]].sum(axis=1) + reverse[:, 1::2].sum(axis=1)
    check: np.ndarray = (10 - total % 10) % 10
    return check


def bank_cards(rng: np.random.Generator, n: int) -> pa.Array:
    long = rng.random(n) < 0.5
    cards = []
    for width in (15, 18):
        body = _join(pa.scalar("6222"), _padded(rng, n, width - 4))
        check = _luhn_digit(_digit_matrix(body, width))
        cards.append(_join(body, _text(check)))
    return pc.if_else(pa.array(long), cards[1], cards[0])


def structured_table(rng: np.random.Generator, n: int) -> pa.Table:
    """``n`` rows of the structured table: four personal columns, four business columns."""
    seconds = np.datetime64("2023-01-01T00:00:00") + rng.integers(0, 60_000_000, n).astype(
        "timedelta64[s]"
    )
    columns = {
        "身份证号": resident_ids(rng, n),
        "手机号": _join(_pick(rng, MOBILE_PREFIXES, n), _padded(rng, n, 8)),
        "email": _join(pa.scalar("user"), _text(rng.integers(0, 10**7, n)), pa.scalar("@qq.com")),
        "bank_card": bank_cards(rng, n),
        "amount": _join(_text(rng.integers(1, 100_000, n)), pa.scalar("."), _padded(rng, n, 2)),
        "order_no": _join(_dates(rng, "2023-01-01", 700, n), _padded(rng, n, 10)),
        "created_at": pc.replace_substring(pa.array(np.datetime_as_string(seconds)), "T", " "),
        "status": _pick(rng, STATUSES, n),
    }
    return pa.table(columns)

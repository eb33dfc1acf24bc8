"""Synthetic people tables, millions of rows fast: numpy builds every column at once.

For the Spark tests and ``benchmarks/spark_scan.py``: valid resident IDs (check
character), mobiles, bank cards (Luhn), e-mails, Chinese and English names, addresses,
plus columns without personal data (amounts, order numbers, timestamps, a status), and
optionally a nested ``contact`` struct. Synthetic only, never real people's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

Strings: TypeAlias = Any
"""A pyarrow string array (pyarrow has no type hints)."""

_AREAS = np.array(["110101", "310104", "440106", "511424", "610722", "350821", "430424"])
_MOBILE = np.array(["130", "136", "138", "139", "150", "159", "177", "186", "188", "199"])
_SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))
_GIVEN = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"))
_EN_FIRST = np.array(["James", "Mary", "John", "Linda", "Robert", "Susan", "David", "Karen"])
_EN_LAST = np.array(["Smith", "Johnson", "Brown", "Davis", "Miller", "Wilson", "Moore"])
_PROVINCES = np.array(["江西省", "河北省", "广东省", "浙江省", "四川省"])
_CITIES = np.array(["上海市", "北京市", "广州市", "深圳市", "成都市"])
_STREETS = np.array(["人民路", "解放路", "建设路", "中山路", "文化街"])
_STATUS = np.array(["paid", "shipped", "refunded", "cancelled"])
_NOTES = np.array(["客户咨询退款进度", "客户要求更换收货地址", "Asked about refund status", "无"])
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = np.array(list("10X98765432"))

COLUMNS = (
    "name",
    "id_no",
    "mobile",
    "email",
    "bank_card",
    "address",
    "city",
    "amount",
    "order_no",
    "status",
    "created",
    "notes",
)


def _text(values: npt.NDArray[np.int64]) -> Strings:
    return pc.cast(pa.array(values), pa.string())


def _digits(rng: np.random.Generator, rows: int, width: int) -> Strings:
    numbers = rng.integers(0, 10**width, size=rows, dtype=np.int64)
    return pc.utf8_lpad(_text(numbers), width, "0")


def _pick(rng: np.random.Generator, choices: npt.NDArray[np.str_], rows: int) -> Strings:
    return pa.array(choices).take(pa.array(rng.integers(0, len(choices), size=rows)))


def _add(*parts: Strings | str) -> Strings:
    # Arrow's string kernels: tens of times faster than numpy's per-element char functions.
    return pc.binary_join_element_wise(*parts, "")


def _digit_matrix(values: Strings, width: int) -> npt.NDArray[np.int64]:
    raw = np.frombuffer(values.buffers()[2], dtype=np.uint8)[: len(values) * width]
    return (raw.reshape(len(values), width) - ord("0")).astype(np.int64)


def resident_ids(rng: np.random.Generator, rows: int) -> Strings:
    born = np.datetime64("1950-01-01") + rng.integers(0, 365 * 60, size=rows)
    birth = pc.strftime(pa.array(born.astype("datetime64[s]")), format="%Y%m%d")
    first = _add(_pick(rng, _AREAS, rows), birth, _digits(rng, rows, 3))
    check = (_digit_matrix(first, 17) * _ID_WEIGHTS).sum(axis=1) % 11
    return _add(first, pa.array(_ID_CHECK[check]))


def bank_cards(rng: np.random.Generator, rows: int) -> Strings:
    body = _add("6222", _digits(rng, rows, 12))
    digits = _digit_matrix(body, 16)
    # Luhn: double every second digit from the right of the full number (check digit last).
    doubled = digits[:, ::-1][:, 0::2] * 2
    total = (doubled - 9 * (doubled > 9)).sum(axis=1) + digits[:, ::-1][:, 1::2].sum(axis=1)
    return _add(body, _text((10 - total % 10) % 10))


def mobiles(rng: np.random.Generator, rows: int) -> Strings:
    return _add(_pick(rng, _MOBILE, rows), _digits(rng, rows, 8))


def _where(condition: npt.NDArray[np.bool_], yes: Strings, no: Strings) -> Strings:
    return pc.if_else(pa.array(condition), yes, no)


def names(rng: np.random.Generator, rows: int) -> Strings:
    given = _pick(rng, _GIVEN, rows)
    two = rng.random(rows) < 0.5
    given = _where(two, _add(given, _pick(rng, _GIVEN, rows)), given)
    chinese = _add(_pick(rng, _SURNAMES, rows), given)
    english = _add(_pick(rng, _EN_FIRST, rows), " ", _pick(rng, _EN_LAST, rows))
    return _where(rng.random(rows) < 0.8, chinese, english)


def people(rows: int, seed: int = 7, *, nested: bool = False) -> pa.Table:
    """``rows`` synthetic people with the ``COLUMNS`` (and a ``contact`` struct if nested)."""
    rng = np.random.default_rng(seed)
    mobile = mobiles(rng, rows)
    email = _add("user", _text(rng.integers(0, 10**8, size=rows)), "@qq.com")
    notes = _pick(rng, _NOTES, rows)
    notes = _where(rng.random(rows) < 0.1, _add("客户来电，手机号", mobiles(rng, rows)), notes)
    address = _add(
        _pick(rng, _PROVINCES, rows),
        _pick(rng, _CITIES, rows),
        _pick(rng, _STREETS, rows),
        _text(rng.integers(1, 300, size=rows)),
        "号",
    )
    seconds = rng.integers(0, 86400 * 365, size=rows)
    created = np.datetime64("2024-01-01T00:00:00") + seconds
    columns: dict[str, pa.Array] = {
        "name": names(rng, rows),
        "id_no": resident_ids(rng, rows),
        "mobile": mobile,
        "email": email,
        "bank_card": bank_cards(rng, rows),
        "address": address,
        "city": _pick(rng, _CITIES, rows),
        "amount": pa.array(np.round(rng.random(rows) * 1000, 2)),
        "order_no": _add("ORD", _digits(rng, rows, 10)),
        "status": _pick(rng, _STATUS, rows),
        "created": pc.strftime(pa.array(created), format="%Y-%m-%dT%H:%M:%S"),
        "notes": notes,
    }
    if nested:
        columns["contact"] = pa.StructArray.from_arrays([mobile, email], names=["phone", "email"])
        del columns["mobile"], columns["email"]
    return pa.table(columns)


def chunks(rows: int, seed: int, chunk: int = 500_000) -> Iterator[pa.Table]:
    """``people`` in chunks (each seeded from ``seed`` and its index), for big files."""
    for index, start in enumerate(range(0, rows, chunk)):
        yield people(min(chunk, rows - start), seed=seed * 1_000_003 + index)


def write_parquet(path: Path, rows: int, seed: int = 7, row_group: int = 100_000) -> Path:
    """A Parquet file of ``rows`` people, written chunk by chunk."""
    writer: pq.ParquetWriter | None = None
    try:
        for table in chunks(rows, seed):
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table, row_group_size=row_group)
    finally:
        if writer is not None:
            writer.close()
    return path

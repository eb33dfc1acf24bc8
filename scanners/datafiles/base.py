"""The Dataset interface shared by every file reader, and value flattening."""

from __future__ import annotations

import datetime as dt
import decimal
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, Literal

from review.core.errors import InputError

DatasetKind = Literal["table", "text"]

ROOT_KEY = "$"
"""Column name of a record that is a bare value rather than an object."""


class Dataset(ABC):
    """One data file, read lazily: every ``iter_*`` call reopens and streams the file."""

    kind: ClassVar[DatasetKind]
    format: ClassVar[str]

    def __init__(self, path: Path, encoding: str | None) -> None:
        self.path = path
        self.encoding = encoding
        """Codec name of text formats (utf-8, utf-8-sig, gb18030...); None for binary ones."""

    @property
    def columns(self) -> list[str]:
        """Column names (tables) in file order; empty for text."""
        return []

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(row, {column: value})`` with 1-based data rows (header excluded); tables only."""
        raise TypeError(f"{self.path}: a text dataset has lines, not rows")

    def iter_lines(self) -> Iterator[tuple[int, str]]:
        """``(line_number, line)`` with 1-based line numbers, newline removed; text only."""
        raise TypeError(f"{self.path}: a table dataset has rows, not lines")


class TableDataset(Dataset):
    """A dataset of rows keyed by column name."""

    kind: ClassVar[DatasetKind] = "table"

    @abstractmethod
    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(row, {column: value})`` with 1-based data rows (header excluded)."""


def cell_text(value: object) -> str | None:
    """A cell value as a string; None for empty or non-text cells."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Spreadsheets and JSON store phone numbers and IDs as floats; show them as digits.
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return None
    return str(value)


def flatten(value: object, out: dict[str, str], prefix: str = "") -> dict[str, str]:
    """Flatten nested dicts/lists into dotted paths: ``user.contact.phone``, ``items[3].phone``."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            flatten(item, out, f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            flatten(item, out, f"{prefix}[{index}]" if prefix else f"{ROOT_KEY}[{index}]")
    else:
        text = cell_text(value)
        if text is not None:
            out[prefix or ROOT_KEY] = text
    return out


def flatten_record(path: Path, where: str, value: object) -> dict[str, str]:
    """``flatten`` with a clear error for absurdly deep nesting."""
    try:
        return flatten(value, {})
    except RecursionError:
        raise InputError(path, f"{where}: nested too deeply") from None

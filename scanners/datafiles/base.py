"""The Dataset interface shared by every file reader: the reader boundary, and names.

Every reader yields its rows or lines through ``Dataset.iter_rows`` / ``iter_lines``,
which turn any failure of the format's library into ``InputError(file, "row N: what is
wrong")``: library messages may quote cell content, so they are never shown. Column
names, JSON keys and sheet names go through a ``NameGuard``: a name holding personal data
is shown masked (``col[138****5678]``) from the reader on, so no raw name reaches any
output.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, Literal, TypeVar

from review.core.errors import InputError, printable
from review.core.limits import DEFAULT_LIMITS, Limits
from review.core.masking import mask
from review.core.stage import TextScanner

DatasetKind = Literal["table", "text"]

ROOT_KEY = "$"
"""Column name of a record that is a bare value rather than an object."""

NAME_CACHE = 65_536
"""Names remembered per guard (cleared when full: bounded memory)."""

IGNORED_IN_NAMES = frozenset({"DATE_TIME", "URL", "LOCATION"})
"""Entities that make no name personal on their own (a column called 2024-01, 香港身份证
or a JSON key holding a URL): a place name alone is no personal address."""

_NAME_SEPARATORS = re.compile(r"[_/\\]")
_WORD = re.compile(r"[^\W_]")


class NameGuard:
    """Shows names (headers, keys, sheet and file names) with any personal data masked,
    and remembers which shown names held what."""

    def __init__(self, find: TextScanner, ignore: frozenset[str] = IGNORED_IN_NAMES) -> None:
        self.find = find
        self.ignore = ignore
        self.hits: dict[str, tuple[str, ...]] = {}
        """Shown (masked) name -> entity types found in the raw name, for every name
        masked since the owner last reset it (a scan resets it per file)."""
        self._cache: dict[tuple[bool, str], tuple[str, tuple[str, ...]]] = {}

    def _masked(self, name: str) -> tuple[str, tuple[str, ...]]:
        """``name`` with every span of personal data masked and, once it holds any, every
        other word character hidden too: such a name is data (a header row that is a
        record, a key that is an e-mail address), and its other words likely are as well."""
        # Underscores and slashes join words in names; as spaces they let the
        # recognizers see 张三_13812345678 as two tokens. Offsets stay the same.
        spans = [
            (start, end, entity)
            for start, end, entity in self.find(_NAME_SEPARATORS.sub(" ", name))
            if entity not in self.ignore
        ]
        if not spans:
            return name, ()
        out, position = [], 0
        for start, end, entity in sorted(spans):
            if start < position:
                continue
            out.append(_WORD.sub("*", name[position:start]))
            out.append(mask(name[start:end], entity))
            position = end
        out.append(_WORD.sub("*", name[position:]))
        return "".join(out), tuple(sorted({entity for _, _, entity in spans}))

    def _masked_path(self, path: str) -> tuple[str, tuple[str, ...]]:
        """A path with each component masked as a name (a file's suffix kept)."""
        parts: list[str] = []
        found: set[str] = set()
        for part in path.split("/"):
            stem, dot, suffix = part.rpartition(".") if "." in part[1:] else (part, "", "")
            masked, entities = self._masked(stem)
            parts.append(masked + dot + suffix)
            found.update(entities)
        return "/".join(parts), tuple(sorted(found))

    def _show(self, name: str, column: bool, remember: bool = True) -> str:
        known = self._cache.get((column, name))
        if known is None:
            text = printable(name)
            masked, entities = self._masked(text) if column else self._masked_path(text)
            known = (f"col[{masked}]" if column and entities else masked), entities
            if len(self._cache) >= NAME_CACHE:
                self._cache.clear()
            self._cache[column, name] = known
        shown, entities = known
        if entities and remember:
            self.hits[shown] = entities
        return shown

    def column(self, name: str) -> str:
        """A column name, JSON key or sheet name as it may be shown."""
        return self._show(name, column=True)

    def path(self, text: str, remember: bool = True) -> str:
        """A file path as it may be shown (personal data in it masked in place);
        ``remember=False``: only to name the file in an error, not a name it holds."""
        return self._show(text, column=False, remember=remember)


T = TypeVar("T")


class Dataset(ABC):
    """One data file, read lazily: every ``iter_*`` call reopens and streams the file."""

    kind: ClassVar[DatasetKind]
    format: ClassVar[str]

    def __init__(
        self,
        path: Path,
        encoding: str | None,
        limits: Limits = DEFAULT_LIMITS,
        names: NameGuard | None = None,
    ) -> None:
        self.path = path
        self.encoding = encoding
        """Codec name of text formats (utf-8, utf-8-sig, gb18030...); None for binary ones."""
        self.limits = limits
        self.names = names
        self.source = source_name(path, names)
        """How errors name the file (personal data in the file name masked)."""

    def error(self, where: str, problem: str) -> InputError:
        """An input error at ``where`` (``row 3``, ``line 7``) of this file."""
        return InputError(self.source, f"{where}: {problem}")

    def column_name(self, name: str) -> str:
        """A name from the file as it may be shown."""
        return self.names.column(name) if self.names is not None else printable(name)

    @property
    def columns(self) -> list[str]:
        """Column names (tables) in file order; empty for text."""
        return []

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(row, {column: value})`` with 1-based data rows (header excluded); tables only."""
        raise TypeError(f"{self.source}: a text dataset has lines, not rows")

    def iter_lines(self) -> Iterator[tuple[int, str]]:
        """``(line_number, line)`` with 1-based line numbers, newline removed; text only."""
        raise TypeError(f"{self.source}: a table dataset has rows, not lines")

    def row_lines(self) -> Iterator[tuple[int, int]]:
        """``(row, line)``: the 1-based physical line where each record starts.

        Rows are not lines: a quoted CSV field may hold line breaks, a JSON record spans
        many lines. Binary formats (Parquet, Excel) have no lines and yield nothing.
        """
        return iter(())

    def guarded(self, items: Iterator[tuple[int, T]], unit: str) -> Iterator[tuple[int, T]]:
        """The reader boundary: ``items`` with every failure as an InputError at the
        row or line after the last one read, never quoting the library's message."""
        last = 0
        try:
            for item in items:
                last = item[0]
                yield item
        except InputError:
            raise
        except UnicodeDecodeError:
            raise self.error(
                f"{unit} {last + 1}",
                f"bytes are not valid {self.encoding} (encoding detected from the file's start)",
            ) from None
        except Exception as exc:
            raise self.error(f"{unit} {last + 1}", describe_failure(exc, self.format)) from None


def describe_failure(exc: BaseException, fmt: str) -> str:
    """What went wrong, from the kind of exception only (its message may quote content)."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, MemoryError):
        return "too large to read into memory"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or type(exc).__name__}"
    return f"unreadable {fmt} data ({type(exc).__name__})"


def source_name(path: Path, names: NameGuard | None) -> str:
    """How a data file is named in errors: its path, personal data in it masked."""
    text = str(path)
    return names.path(text, remember=False) if names is not None else printable(text)


class TableDataset(Dataset):
    """A dataset of rows keyed by column name."""

    kind: ClassVar[DatasetKind] = "table"

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        return self.guarded(self.rows(), "row")

    @abstractmethod
    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """The format's own rows (``iter_rows`` wraps them in the reader boundary)."""


_DIGITS_16 = decimal.Decimal(10) ** 16


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
        if value.is_finite() and value == value.to_integral_value() and abs(value) < _DIGITS_16:
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return None
    return str(value)


class Flattener:
    """Flattens nested records into dotted paths (``user.contact.phone``,
    ``items[3].phone``) within the limits: depth, fields per record, cell length.

    Iterative, so no record can exhaust the stack; repeated keys of one object are all
    kept (``id``, ``id#2``), so a duplicate key cannot hide a value."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.limits = dataset.limits

    def key(self, raw: object, seen: dict[str, int], where: str) -> str:
        name = str(raw)
        if len(name) > self.limits.cell_chars:
            raise self.dataset.error(where, f"a key is longer than {self.limits.cell_chars} chars")
        shown = self.dataset.column_name(name)
        count = seen.get(shown, 0) + 1
        seen[shown] = count
        return shown if count == 1 else f"{shown}#{count}"

    def add(self, out: dict[str, str], name: str, value: object, where: str) -> None:
        text = cell_text(value)
        if text is None:
            return
        if len(text) > self.limits.cell_chars:
            raise self.dataset.error(
                where, f"a value is longer than the limit of {self.limits.cell_chars} characters"
            )
        if len(out) >= self.limits.columns:
            raise self.dataset.error(
                where, f"more than the limit of {self.limits.columns} fields in one record"
            )
        out[name] = text

    def flatten(
        self, value: object, where: str, prefix: str = "", out: dict[str, str] | None = None
    ) -> dict[str, str]:
        """A record (a Python value) as ``{path: text}``, added to ``out`` when given;
        ``prefix``: the (shown) name of the column holding ``value``."""
        out = {} if out is None else out
        stack: list[tuple[str, object, int]] = [(prefix, value, 0)]
        while stack:
            prefix, item, depth = stack.pop()
            if isinstance(item, dict | list | tuple):
                if depth >= self.limits.depth:
                    raise self.dataset.error(
                        where, f"nested deeper than the limit of {self.limits.depth} levels"
                    )
                children: list[tuple[str, object, int]] = []
                if isinstance(item, dict):
                    seen: dict[str, int] = {}
                    for key, child in item.items():
                        name = self.key(key, seen, where)
                        children.append((f"{prefix}.{name}" if prefix else name, child, depth + 1))
                else:
                    for index, child in enumerate(item):
                        base = prefix or ROOT_KEY
                        children.append((f"{base}[{index}]", child, depth + 1))
                stack.extend(reversed(children))
            else:
                self.add(out, prefix or ROOT_KEY, item, where)
        return out

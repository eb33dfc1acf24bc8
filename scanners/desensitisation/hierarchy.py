"""Generalisation hierarchies: each value's label at every level, leaf (0) to ``*`` (top).

Built in: age intervals, dates (day, month, year), Chinese administrative division codes,
postcodes, and plain suppression; user-given ones are ARX-style CSV files, one row per
leaf value: ``leaf;level 1;level 2;...;*``.
"""

from __future__ import annotations

import csv
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from review.core.errors import InputError
from review.core.fsio import read_utf8
from review.core.masking import MASK_CHAR

TOP = MASK_CHAR


class HierarchyError(ValueError):
    """A hierarchy name or argument that is unknown or malformed."""


class Hierarchy(ABC):
    """Labels of one column's values at levels 0 (the value) .. ``height`` (``*``)."""

    height: int

    @abstractmethod
    def label(self, value: str, level: int) -> str:
        """The label of ``value`` at ``level`` (``*`` at the top or when it has no place)."""

    @abstractmethod
    def conforms(self, value: str) -> bool:
        """Whether ``value`` is a label of some level, the leaves (level 0) included."""

    def path(self, value: str) -> tuple[str, ...]:
        """Every label of ``value``, leaf first."""
        return tuple(self.label(value, level) for level in range(self.height + 1))


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


@dataclass(frozen=True)
class Intervals(Hierarchy):
    """``age`` / ``interval:5,10,20``: 37 -> ``35-39`` -> ``30-39`` -> ``20-39`` -> ``*``."""

    widths: tuple[int, ...] = (5, 10, 20)
    height: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", len(self.widths) + 1)

    def label(self, value: str, level: int) -> str:
        if level == 0:
            return value
        number = _int_or_none(value)
        if level > len(self.widths) or number is None:
            return TOP
        width = self.widths[level - 1]
        low = number // width * width
        return f"{low}-{low + width - 1}"

    def conforms(self, value: str) -> bool:
        if value.strip() == TOP or _int_or_none(value) is not None:
            return True
        match = re.fullmatch(r"(-?\d+)-(-?\d+)", value.strip())
        if not match:
            return False
        low, high = int(match[1]), int(match[2])
        return any(low % w == 0 and high == low + w - 1 for w in self.widths)


# A date, optionally followed by a time: 2025-05-05, 2025/5/5 05:52, 2025年5月5日 05:52:10.
DATE = re.compile(
    r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2})日?)?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


def parse_date(value: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a date or date-time string, if it is one."""
    match = DATE.fullmatch(value.strip())
    if not match:
        return None
    month = int(match["m"])
    day = int(match["d"]) if match["d"] else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return int(match["y"]), month, day


@dataclass(frozen=True)
class Dates(Hierarchy):
    """``date``: 2025-05-05 05:52 -> ``2025-05-05`` -> ``2025-05`` -> ``2025`` -> ``*``."""

    height: int = 4

    def label(self, value: str, level: int) -> str:
        if level == 0:
            return value
        parsed = parse_date(value)
        if parsed is None or level >= self.height:
            return TOP
        year, month, day = parsed
        if level == 1 and day is not None:
            return f"{year:04d}-{month:02d}-{day:02d}"
        if level <= 2:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"

    def conforms(self, value: str) -> bool:
        text = value.strip()
        return parse_date(text) is not None or re.fullmatch(r"\d{4}|\*", text) is not None


@dataclass(frozen=True)
class DivisionCodes(Hierarchy):
    """``cn-division``: 110105 (district) -> ``1101**`` (prefecture) -> ``11****`` -> ``*``."""

    height: int = 3

    def label(self, value: str, level: int) -> str:
        if level == 0:
            return value
        code = value.strip()
        if not re.fullmatch(r"\d{6}", code) or level >= self.height:
            return TOP
        keep = 4 if level == 1 else 2
        return code[:keep] + MASK_CHAR * (6 - keep)

    def conforms(self, value: str) -> bool:
        return re.fullmatch(r"\d{6}|\d{4}\*\*|\d{2}\*{4}|\*", value.strip()) is not None


@dataclass(frozen=True)
class Postcodes(Hierarchy):
    """``postcode``: 100101 -> ``10010*`` -> ``1001**`` -> ... -> ``1*****`` -> ``*``."""

    length: int = 6
    height: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", self.length)

    def label(self, value: str, level: int) -> str:
        if level == 0:
            return value
        code = value.strip()
        if len(code) != self.length or level >= self.height:
            return TOP
        return code[: self.length - level] + MASK_CHAR * level

    def conforms(self, value: str) -> bool:
        code = value.strip()
        if code == TOP:
            return True
        head = code.rstrip(MASK_CHAR)
        return len(code) == self.length and bool(head) and MASK_CHAR not in head


@dataclass(frozen=True)
class Suppression(Hierarchy):
    """``suppress``: a value or ``*`` (for attributes with no natural hierarchy)."""

    height: int = 1

    def label(self, value: str, level: int) -> str:
        return value if level == 0 else TOP

    def conforms(self, value: str) -> bool:
        return True  # any value (level 0) or the top


@dataclass(frozen=True)
class CsvHierarchy(Hierarchy):
    """A hierarchy given as rows ``leaf, level 1, ..., top`` (ARX's CSV format)."""

    rows: Mapping[str, tuple[str, ...]]
    height: int
    source: str = "hierarchy"

    def label(self, value: str, level: int) -> str:
        if level == 0:
            return value
        row = self.rows.get(value.strip())
        if row is None or level > self.height:
            return TOP
        return row[level]

    @cached_property
    def labels(self) -> frozenset[str]:
        return frozenset(label for row in self.rows.values() for label in row)

    def conforms(self, value: str) -> bool:
        text = value.strip()
        return text == TOP or text in self.labels

    def missing(self, values: Iterable[str]) -> int:
        """How many of ``values`` the table has no row for."""
        return sum(1 for v in values if v.strip() not in self.rows)


def load_csv(path: Path, shown: str | None = None) -> CsvHierarchy:
    """Read an ARX-style hierarchy: ``;`` (or ``,``) separated, one row per leaf."""
    source = shown or str(path)
    text = read_utf8(path, "hierarchy")
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first else ","
    rows: dict[str, tuple[str, ...]] = {}
    width = 0
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = tuple(cell.strip() for cell in row)
        if not any(cells):
            continue
        if len(cells) < 2:
            raise InputError(source, f"line {number}: a hierarchy row needs a leaf and a level")
        if width and len(cells) != width:
            raise InputError(
                source, f"line {number}: has {len(cells)} levels where earlier rows have {width}"
            )
        width = len(cells)
        if cells[0] in rows:
            raise InputError(source, f"line {number}: repeats a leaf of an earlier line")
        rows[cells[0]] = cells
    if not rows:
        raise InputError(source, "empty hierarchy")
    return CsvHierarchy(rows, width - 1, source)


def _widths(arg: str | None) -> tuple[int, ...]:
    if arg is None:
        return (5, 10, 20)
    parts = arg.split(",")
    if not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise HierarchyError("interval hierarchy needs widths like 'interval:5,10,20'")
    widths = tuple(int(p) for p in parts)
    if any(b % a for a, b in pairwise(widths)):
        raise HierarchyError("each interval width must divide the next, e.g. 5,10,20")
    return widths


def _postcode(arg: str | None) -> Hierarchy:
    if arg is None:
        return Postcodes()
    if not arg.isdigit() or not 1 <= int(arg) <= 12:
        raise HierarchyError("postcode hierarchy takes the code length, e.g. 'postcode:5'")
    return Postcodes(int(arg))


def _no_arg(name: str, build: Callable[[], Hierarchy]) -> Callable[[str | None], Hierarchy]:
    def make(arg: str | None) -> Hierarchy:
        if arg is not None:
            raise HierarchyError(f"hierarchy {name!r} takes no argument")
        return build()

    return make


# The closed registry of built-in hierarchies; each entry builds one from its argument.
BUILTIN: dict[str, Callable[[str | None], Hierarchy]] = {
    "age": lambda arg: Intervals(_widths(arg)),
    "interval": lambda arg: Intervals(_widths(arg)),
    "date": _no_arg("date", Dates),
    "cn-division": _no_arg("cn-division", DivisionCodes),
    "postcode": _postcode,
    "suppress": _no_arg("suppress", Suppression),
}


def is_file_reference(text: str) -> bool:
    """Whether a hierarchy setting names a CSV file rather than a built-in."""
    return text.strip().lower().endswith((".csv", ".txt"))


def builtin(text: str) -> Hierarchy:
    """The built-in hierarchy ``name`` or ``name:arg``."""
    name, sep, arg = text.strip().partition(":")
    if name not in BUILTIN:
        known = ", ".join(sorted(BUILTIN))
        raise HierarchyError(f"unknown hierarchy {name!r} (built in: {known}; or a .csv file)")
    return BUILTIN[name](arg if sep else None)


def resolve(text: str, base: Path | None = None) -> Hierarchy:
    """A built-in hierarchy, or the CSV file ``text`` names (relative to ``base``)."""
    if not is_file_reference(text):
        return builtin(text)
    path = Path(text)
    if not path.is_absolute() and base is not None:
        path = base / path
    return load_csv(path, text)

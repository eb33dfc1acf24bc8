"""A dataset held column-wise as strings, and the matching of masked rows to raw rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from review.core.errors import InputError
from review.scanners.datafiles import open_dataset


@dataclass(frozen=True)
class Table:
    """A dataset: column names, values per column (missing cells are ''), row numbers."""

    source: str
    columns: tuple[str, ...]
    data: Mapping[str, list[str]]
    row_numbers: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.row_numbers)

    def column(self, name: str) -> list[str]:
        return self.data[name]

    @classmethod
    def from_rows(
        cls, source: str, rows: Iterable[tuple[int, Mapping[str, str]]], columns: Iterable[str] = ()
    ) -> Table:
        """Build a table from ``(row_number, {column: value})`` pairs (any column order)."""
        names: dict[str, None] = dict.fromkeys(columns)
        numbers: list[int] = []
        data: dict[str, list[str]] = {name: [] for name in names}
        for index, (number, row) in enumerate(rows):
            for name in row:
                if name not in data:
                    names[name] = None
                    data[name] = [""] * index
            for name, values in data.items():
                values.append(row.get(name, "") or "")
            numbers.append(number)
        return cls(source, tuple(names), data, tuple(numbers))


def align(masked: Table, raw: Table, key: str | None) -> list[int]:
    """For each masked row, the index of its raw row (by ``key`` column or by position)."""
    if key is None:
        if len(masked) != len(raw):
            raise InputError(
                masked.source,
                f"has {len(masked)} rows but the raw file {raw.source} has {len(raw)}; "
                "give a key column to match rows",
            )
        return list(range(len(masked)))
    for table in (masked, raw):
        if key not in table.data:
            raise InputError(table.source, f"key column {key!r} not found")
    index: dict[str, int] = {}
    for i, value in enumerate(raw.column(key)):
        if value in index:
            raise InputError(
                raw.source, f"row {raw.row_numbers[i]}: key column {key!r} repeats a value"
            )
        index[value] = i
    matched = []
    for i, value in enumerate(masked.column(key)):
        if value not in index:
            raise InputError(
                masked.source,
                f"row {masked.row_numbers[i]}: key column {key!r} matches no raw row",
            )
        matched.append(index[value])
    return matched


def load_table(path: Path, source: str | None = None) -> Table:
    """Read a tabular data file (CSV/TSV, JSON, JSONL, Parquet, Excel) into a Table."""
    dataset = open_dataset(path)
    if dataset.kind != "table":
        raise InputError(path, "not a table: expected CSV/TSV, JSON, JSONL, Parquet or Excel")
    table = Table.from_rows(source or str(path), dataset.iter_rows(), dataset.columns)
    if len(table) == 0:
        raise InputError(path, "no data rows")
    return table

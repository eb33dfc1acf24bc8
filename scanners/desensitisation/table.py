"""A dataset held column-wise as strings, and the matching of masked rows to raw rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from review.core.errors import InputError
from review.core.limits import DEFAULT_LIMITS, Limits
from review.scanners.datafiles import NameGuard, open_dataset
from review.scanners.datafiles.formats import CsvDataset

_SHARE_LIMIT = 50_000


@dataclass(frozen=True)
class Table:
    """A dataset: column names, values per column (missing cells are ''), row numbers."""

    source: str
    columns: tuple[str, ...]
    data: Mapping[str, list[str]]
    row_numbers: Sequence[int]  # a range when rows are numbered 1..n
    arrow: Mapping[str, pa.ChunkedArray] = field(default_factory=dict)
    """The same columns as Arrow arrays when Arrow read the file: the risk metrics code
    them without converting a million Python strings back."""

    def __len__(self) -> int:
        return len(self.row_numbers)

    def column(self, name: str) -> list[str]:
        return self.data[name]

    def strings(self, name: str) -> list[str] | pa.ChunkedArray:
        """The column for the metrics: its Arrow array when there is one."""
        arrow = self.arrow.get(name)
        return arrow if arrow is not None else self.data[name]

    @classmethod
    def from_rows(
        cls, source: str, rows: Iterable[tuple[int, Mapping[str, str]]], columns: Iterable[str] = ()
    ) -> Table:
        """Build a table from ``(row_number, {column: value})`` pairs (any column order).

        Repeated values share one string object (categories, codes, bands): at a million
        rows that is the difference between a few hundred MB and a few tens.
        """
        names: dict[str, None] = dict.fromkeys(columns)
        numbers: list[int] = []
        data: dict[str, list[str]] = {name: [] for name in names}
        shared: dict[str, dict[str, str] | None] = {name: {} for name in names}
        for index, (number, row) in enumerate(rows):
            for name in row:
                if name not in data:
                    names[name] = None
                    data[name] = [""] * index
                    shared[name] = {}
            for name, values in data.items():
                value = row.get(name, "") or ""
                seen = shared[name]
                if seen is not None:
                    value = seen.setdefault(value, value)
                    if len(seen) > _SHARE_LIMIT:
                        shared[name] = None  # mostly distinct values: sharing saves nothing
                values.append(value)
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


def _arrow_csv(dataset: CsvDataset, source: str) -> Table | None:
    """A UTF-8 CSV read by Arrow's C++ reader, or None to leave it to the streaming reader.

    Read block by block, each block's distinct values shared across the whole column
    (as from_rows does), so memory stays near the size of the lists themselves. The
    streaming reader stays the one that judges malformed files and reports them in one
    line: whenever Arrow objects, or the dialect is one it does not read the same way (a
    space after each delimiter), this returns None and that reader runs.
    """
    if dataset.encoding not in ("utf-8", "utf-8-sig") or dataset.skip_space:
        return None
    columns = dataset.columns
    data: dict[str, list[str]] = {name: [] for name in columns}
    chunks: dict[str, list[pa.Array]] = {name: [] for name in columns}
    shared: dict[str, dict[str, str]] = {name: {} for name in columns}
    try:
        reader = pa_csv.open_csv(
            dataset.path,
            read_options=pa_csv.ReadOptions(column_names=columns, skip_rows=1),
            parse_options=pa_csv.ParseOptions(
                delimiter=dataset.delimiter, newlines_in_values=True, ignore_empty_lines=True
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            for name, column in zip(columns, batch.columns, strict=True):
                chunks[name].append(column)
                encoded = pc.dictionary_encode(column)
                seen = shared[name]
                distinct = [seen.setdefault(v, v) for v in encoded.dictionary.to_pylist()]
                if len(seen) > _SHARE_LIMIT:
                    seen.clear()  # mostly distinct values: sharing saves nothing
                picked = np.array(distinct, dtype=object)[
                    encoded.indices.to_numpy(zero_copy_only=False)
                ]
                data[name].extend(picked.tolist())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, OSError):
        return None
    rows = len(data[columns[0]]) if columns else 0
    arrow = {name: pa.chunked_array(chunks[name], pa.string()) for name in columns}
    return Table(source, tuple(columns), data, range(1, rows + 1), arrow)


def load_table(
    path: Path,
    source: str | None = None,
    names: NameGuard | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Read a tabular data file (CSV/TSV, JSON, JSONL, Parquet, Excel) into a Table.

    ``names`` masks personal data in column names and the file name (``source``)."""
    shown = names.path(source or str(path)) if names is not None else source or str(path)
    try:
        dataset = open_dataset(path, limits, names)
        if dataset.kind != "table":
            raise InputError(path, "not a table: expected CSV/TSV, JSON, JSONL, Parquet or Excel")
        fast = _arrow_csv(dataset, shown) if isinstance(dataset, CsvDataset) else None
        table = fast or Table.from_rows(shown, dataset.iter_rows(), dataset.columns)
    except InputError as exc:
        raise InputError(shown, exc.problem) from None
    if len(table) == 0:
        raise InputError(shown, "no data rows")
    return table

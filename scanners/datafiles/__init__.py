"""Streaming readers for sample-data files: CSV/TSV, JSON, JSONL, Parquet, Excel, text.

``open_dataset(path)`` detects the format from the suffix (unknown suffixes are read as
text) and the text encoding from the bytes (UTF-8, UTF-8 with BOM, GB18030/GBK, ...).
Rows and lines are streamed, so memory does not grow with the file; every reader keeps
to the ``Limits`` it is given. Any failure of a reader is ``InputError(path, "row N:
...")``, naming the place, never the content; names holding personal data are masked
by the ``NameGuard`` given.
"""

from __future__ import annotations

from pathlib import Path

from review.core.errors import InputError
from review.core.fsio import check_regular
from review.core.limits import DEFAULT_LIMITS, Limits
from review.scanners.datafiles.base import (
    ROOT_KEY,
    Dataset,
    DatasetKind,
    Flattener,
    NameGuard,
    TableDataset,
    describe_failure,
    source_name,
)
from review.scanners.datafiles.encoding import detect_encoding
from review.scanners.datafiles.formats import (
    FORMATS,
    CsvDataset,
    ExcelDataset,
    JsonDataset,
    JsonLinesDataset,
    ParquetDataset,
    TextDataset,
)

__all__ = [
    "FORMATS",
    "ROOT_KEY",
    "CsvDataset",
    "Dataset",
    "DatasetKind",
    "ExcelDataset",
    "Flattener",
    "InputError",
    "JsonDataset",
    "JsonLinesDataset",
    "NameGuard",
    "ParquetDataset",
    "TableDataset",
    "TextDataset",
    "detect_encoding",
    "open_dataset",
    "source_name",
]


def open_dataset(
    path: Path, limits: Limits = DEFAULT_LIMITS, names: NameGuard | None = None
) -> Dataset:
    """Open a data file for streaming; raises InputError for missing, special, oversized
    or malformed files. ``names`` screens column names and the file name for personal data."""
    source = source_name(path, names)
    try:
        size = check_regular(path, "data file")
    except InputError as exc:
        raise InputError(source, exc.problem) from None
    if size > limits.file_bytes:
        raise InputError(source, f"{size} bytes: larger than the limit of {limits.file_bytes}")
    suffix = path.suffix.lower()
    opener = FORMATS.get(suffix, TextDataset.open)
    try:
        return opener(path, limits, names)
    except InputError:
        raise
    except Exception as exc:  # the reader boundary: a library's message may quote content
        fmt = suffix[1:] if suffix in FORMATS else "text"  # never an unknown suffix: a name
        raise InputError(source, f"cannot open: {describe_failure(exc, fmt)}") from None

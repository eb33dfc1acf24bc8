"""Streaming readers for sample-data files: CSV/TSV, JSON, JSONL, Parquet, Excel, text.

``open_dataset(path)`` detects the format from the suffix (unknown suffixes are read as
text) and the text encoding from the bytes (UTF-8, UTF-8 with BOM, GB18030/GBK, ...).
Rows and lines are streamed, so memory does not grow with the file. Malformed input
raises ``InputError(path, "row N: ...")``, naming the place, never the content.
"""

from __future__ import annotations

from pathlib import Path

from review.core.errors import InputError
from review.scanners.datafiles.base import ROOT_KEY, Dataset, DatasetKind, TableDataset, flatten
from review.scanners.datafiles.encoding import detect_encoding
from review.scanners.datafiles.formats import (
    FORMATS,
    MAX_LINE_CHARS,
    CsvDataset,
    ExcelDataset,
    JsonDataset,
    JsonLinesDataset,
    ParquetDataset,
    TextDataset,
)

__all__ = [
    "FORMATS",
    "MAX_LINE_CHARS",
    "ROOT_KEY",
    "CsvDataset",
    "Dataset",
    "DatasetKind",
    "ExcelDataset",
    "InputError",
    "JsonDataset",
    "JsonLinesDataset",
    "ParquetDataset",
    "TableDataset",
    "TextDataset",
    "detect_encoding",
    "flatten",
    "open_dataset",
]


def open_dataset(path: Path) -> Dataset:
    """Open a data file for streaming; raises InputError for missing or malformed files."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a data file")
    opener = FORMATS.get(path.suffix.lower(), TextDataset.open)
    return opener(path)

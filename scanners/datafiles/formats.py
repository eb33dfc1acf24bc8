"""One reader per file format, and the closed registry mapping file suffixes to readers."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, ClassVar

from review.core.errors import InputError
from review.scanners.datafiles.base import (
    Dataset,
    DatasetKind,
    TableDataset,
    cell_text,
    flatten_record,
)
from review.scanners.datafiles.encoding import detect_encoding

MAX_LINE_CHARS = 1 << 22
"""Longest text / JSONL line read (4 Mi characters); longer ones are an input error."""

_CHUNK = 1 << 16
_DELIMITERS = (",", "\t", ";", "|")


def _open_text(path: Path, encoding: str) -> IO[str]:
    try:
        return path.open("r", encoding=encoding, errors="strict", newline="")
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _decode_error(path: Path, encoding: str, where: str) -> InputError:
    return InputError(
        path, f"{where}: bytes are not valid {encoding} (encoding detected from the file's start)"
    )


def _read_line(handle: IO[str], path: Path, number: int) -> str:
    line = handle.readline(MAX_LINE_CHARS + 1)
    if len(line) > MAX_LINE_CHARS:
        raise InputError(path, f"line {number}: longer than {MAX_LINE_CHARS} characters")
    return line


class TextDataset(Dataset):
    """Plain text, Markdown, logs: scanned line by line."""

    kind: ClassVar[DatasetKind] = "text"
    format: ClassVar[str] = "text"

    @classmethod
    def open(cls, path: Path) -> TextDataset:
        return cls(path, detect_encoding(path))

    def iter_lines(self) -> Iterator[tuple[int, str]]:
        assert self.encoding is not None
        number = 0
        with _open_text(self.path, self.encoding) as handle:
            try:
                while line := _read_line(handle, self.path, number + 1):
                    number += 1
                    yield number, line.rstrip("\r\n")
            except UnicodeDecodeError:
                raise _decode_error(self.path, self.encoding, f"line {number + 1}") from None


def sniff_delimiter(header_line: str, suffix: str) -> str:
    """The delimiter used most in the header line (tab for .tsv when present)."""
    if suffix == ".tsv" and "\t" in header_line:
        return "\t"
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique_columns(header: list[str]) -> list[str]:
    # Blank or repeated header names would collapse cells into one key.
    seen: set[str] = set()
    out = []
    for index, raw in enumerate(header, start=1):
        name = raw.strip() or f"column_{index}"
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


class CsvDataset(TableDataset):
    """CSV / TSV with a header row; delimiter sniffed from the header."""

    format: ClassVar[str] = "csv"

    def __init__(
        self,
        path: Path,
        encoding: str,
        delimiter: str,
        columns: list[str],
        skip_space: bool = False,
    ) -> None:
        super().__init__(path, encoding)
        self.delimiter = delimiter
        self.skip_space = skip_space
        self._columns = columns

    @classmethod
    def open(cls, path: Path) -> CsvDataset:
        encoding = detect_encoding(path)
        with _open_text(path, encoding) as handle:
            try:
                first = _read_line(handle, path, 1)
            except UnicodeDecodeError:
                raise _decode_error(path, encoding, "header") from None
        if not first.strip():
            raise InputError(path, "empty file: no header row")
        delimiter = sniff_delimiter(first, path.suffix.lower())
        # "a, b, c" (UCI Adult and many exports): the space belongs to the separator.
        skip_space = delimiter != " " and first.count(delimiter + " ") == first.count(delimiter)
        dataset = cls(path, encoding, delimiter, [], skip_space and delimiter in first)
        with _open_text(path, encoding) as handle:
            reader = dataset._reader(handle)
            header = dataset._next(reader, "header")
        if header is None:
            raise InputError(path, "empty file: no header row")
        dataset._columns = _unique_columns(header)
        return dataset

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def _reader(self, handle: IO[str]) -> Iterator[list[str]]:
        return csv.reader(
            handle, delimiter=self.delimiter, strict=True, skipinitialspace=self.skip_space
        )

    def _next(self, reader: Iterator[list[str]], where: str) -> list[str] | None:
        assert self.encoding is not None
        try:
            return next(reader, None)
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, where) from None
        except csv.Error as exc:
            raise InputError(self.path, f"{where}: malformed CSV ({_csv_problem(exc)})") from None

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self._columns)
        with _open_text(self.path, self.encoding or "utf-8") as handle:
            reader = self._reader(handle)
            self._next(reader, "header")
            row = 0
            while (fields := self._next(reader, f"row {row + 1}")) is not None:
                if not fields or fields == [""]:
                    continue  # blank line
                row += 1
                if len(fields) != width:
                    raise InputError(
                        self.path,
                        f"row {row}: {len(fields)} fields but the header has {width}"
                        " (truncated or misquoted)",
                    )
                yield row, dict(zip(self._columns, fields, strict=True))


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit()} characters"
    if "unexpected end of data" in text or "EOF" in text:
        return "file ends inside a quoted field"
    if "NUL" in text:
        return "contains NUL bytes"
    # The csv module's messages quote delimiters and quote chars, never cell content.
    return text


class JsonLinesDataset(TableDataset):
    """JSON Lines: one record per line, flattened to dotted paths."""

    format: ClassVar[str] = "jsonl"

    @classmethod
    def open(cls, path: Path) -> JsonLinesDataset:
        return cls(path, detect_encoding(path))

    @property
    def columns(self) -> list[str]:
        return _union_columns(self)

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        assert self.encoding is not None
        number = 0
        record = 0
        with _open_text(self.path, self.encoding) as handle:
            try:
                while line := _read_line(handle, self.path, number + 1):
                    number += 1
                    if not line.strip():
                        continue
                    try:
                        value = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError(
                            self.path, f"line {number}: invalid JSON ({exc.msg})"
                        ) from None
                    except RecursionError:
                        raise InputError(self.path, f"line {number}: nested too deeply") from None
                    record += 1
                    yield record, flatten_record(self.path, f"line {number}", value)
            except UnicodeDecodeError:
                raise _decode_error(self.path, self.encoding, f"line {number + 1}") from None


class JsonDataset(TableDataset):
    """A JSON document: a top-level array streams record by record; an object is one record."""

    format: ClassVar[str] = "json"

    @classmethod
    def open(cls, path: Path) -> JsonDataset:
        return cls(path, detect_encoding(path))

    @property
    def columns(self) -> list[str]:
        return _union_columns(self)

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        assert self.encoding is not None
        with _open_text(self.path, self.encoding) as handle:
            try:
                yield from self._records(handle)
            except UnicodeDecodeError:
                raise _decode_error(self.path, self.encoding, "record") from None

    def _records(self, handle: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
        stream = _JsonArrayStream(handle, self.path)
        first = stream.peek()
        if first == "":
            raise InputError(self.path, "empty file: no JSON document")
        if first != "[":
            # Not an array: a single document (read whole), or JSON Lines misnamed .json.
            text = stream.rest()
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                if exc.msg == "Extra data":
                    yield from JsonLinesDataset(self.path, self.encoding).iter_rows()
                    return
                raise InputError(
                    self.path, f"line {exc.lineno}: invalid JSON ({exc.msg})"
                ) from None
            except RecursionError:
                raise InputError(self.path, "record 1: nested too deeply") from None
            yield 1, flatten_record(self.path, "record 1", value)
            return
        for index, value in enumerate(stream.elements(), start=1):
            yield index, flatten_record(self.path, f"record {index}", value)


class _JsonArrayStream:
    """Decodes a top-level JSON array element by element with bounded memory."""

    def __init__(self, handle: IO[str], path: Path) -> None:
        self.handle = handle
        self.path = path
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-whitespace character ('' at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def rest(self) -> str:
        return self.buf[self.pos :] + self.handle.read()

    def elements(self) -> Iterator[Any]:
        self.pos += 1  # the '['
        index = 0
        if self.peek() == "]":
            return
        while True:
            index += 1
            yield self._element(index)
            sep = self.peek()
            if sep == "]":
                self.pos += 1
                if self.peek() != "":
                    raise InputError(self.path, f"record {index}: data after the closing ']'")
                return
            if sep != ",":
                what = "file ends" if sep == "" else "expected ',' or ']'"
                raise InputError(self.path, f"record {index}: invalid JSON ({what})")
            self.pos += 1

    def _element(self, index: int) -> Any:
        if self.peek() == "":
            raise InputError(self.path, f"record {index}: invalid JSON (file ends)")
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                raise InputError(self.path, f"record {index}: invalid JSON ({exc.msg})") from None
            except RecursionError:
                raise InputError(self.path, f"record {index}: nested too deeply") from None
            # A number cut at the buffer's end decodes too early: wait for what follows.
            if end >= len(self.buf) and self._fill():
                continue
            self.pos = end
            return value


def _union_columns(dataset: TableDataset) -> list[str]:
    """Every field path seen, in first-seen order (one streamed pass)."""
    seen: dict[str, None] = {}
    for _, row in dataset.iter_rows():
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


class ParquetDataset(TableDataset):
    """Apache Parquet, read batch by batch with pyarrow."""

    format: ClassVar[str] = "parquet"
    batch_size: ClassVar[int] = 4096

    def __init__(self, path: Path, columns: list[str]) -> None:
        super().__init__(path, None)
        self._columns = columns

    @classmethod
    def open(cls, path: Path) -> ParquetDataset:
        import pyarrow.parquet as pq

        try:
            schema = pq.ParquetFile(path).schema_arrow
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or 'not a Parquet file'}") from None
        except Exception:  # pyarrow raises ArrowInvalid and friends for corrupt files
            raise InputError(path, "not a valid Parquet file") from None
        return cls(path, [str(name) for name in schema.names])

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        import pyarrow.parquet as pq

        row = 0
        try:
            parquet = pq.ParquetFile(self.path)
            batches = parquet.iter_batches(batch_size=self.batch_size)
            for batch in batches:
                for record in batch.to_pylist():
                    row += 1
                    yield row, flatten_record(self.path, f"row {row}", record)
        except InputError:
            raise
        except Exception:
            raise InputError(self.path, f"row {row + 1}: unreadable Parquet data") from None


class ExcelDataset(TableDataset):
    """Excel .xlsx read with openpyxl in read-only (streaming) mode; every sheet.

    With one sheet the columns are its header names; with several, ``Sheet!header``.
    """

    format: ClassVar[str] = "xlsx"

    def __init__(self, path: Path, sheets: list[tuple[str, list[str]]]) -> None:
        super().__init__(path, None)
        self._sheets = sheets

    @classmethod
    def open(cls, path: Path) -> ExcelDataset:
        sheets = []
        with _Workbook(path) as book:
            several = len(book.worksheets) > 1
            for sheet in book.worksheets:
                header: list[str] = []
                for values in sheet.iter_rows(values_only=True, max_row=1):
                    header = [cell_text(v) or "" for v in values]
                names = _unique_columns(header)
                if several:
                    names = [f"{sheet.title}!{name}" for name in names]
                sheets.append((str(sheet.title), names))
        return cls(path, sheets)

    @property
    def columns(self) -> list[str]:
        return [name for _, names in self._sheets for name in names]

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        with _Workbook(self.path) as book:
            for sheet, (_, names) in zip(book.worksheets, self._sheets, strict=True):
                row = 0
                for values in sheet.iter_rows(values_only=True, min_row=2):
                    cells = {
                        name: text
                        for name, value in zip(names, values, strict=False)
                        if (text := cell_text(value)) is not None
                    }
                    if not cells and all(v is None for v in values):
                        continue
                    row += 1
                    yield row, cells


class _Workbook:
    """Open an .xlsx read-only and close it afterwards (read-only books hold the file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book: Any = None

    def __enter__(self) -> Any:
        import openpyxl

        try:
            self.book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except OSError as exc:
            raise InputError(self.path, f"cannot read: {exc.strerror or exc}") from None
        except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException...
            raise InputError(self.path, "not a valid .xlsx workbook") from None
        return self.book

    def __exit__(self, *exc: object) -> None:
        self.book.close()


Opener = Callable[[Path], Dataset]

FORMATS: dict[str, Opener] = {
    ".csv": CsvDataset.open,
    ".tsv": CsvDataset.open,
    ".json": JsonDataset.open,
    ".jsonl": JsonLinesDataset.open,
    ".ndjson": JsonLinesDataset.open,
    ".parquet": ParquetDataset.open,
    ".xlsx": ExcelDataset.open,
    ".txt": TextDataset.open,
    ".text": TextDataset.open,
    ".md": TextDataset.open,
    ".markdown": TextDataset.open,
    ".log": TextDataset.open,
}
"""The closed registry: file suffix -> reader. Other suffixes are read as text."""

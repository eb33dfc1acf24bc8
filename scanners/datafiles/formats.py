"""One reader per file format, and the closed registry mapping file suffixes to readers.

Each reader honours the ``Limits`` it is given: line and cell length, columns, nesting
depth, and for the compressed formats (.xlsx, Parquet) the unpacked size and ratio, so
that no file can make the tool hang or run out of memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, ClassVar

import ijson

from review.core.errors import InputError
from review.core.fsio import open_input
from review.core.limits import DEFAULT_LIMITS, Limits
from review.scanners.datafiles.base import (
    ROOT_KEY,
    Dataset,
    DatasetKind,
    Flattener,
    NameGuard,
    TableDataset,
    cell_text,
    describe_failure,
    source_name,
)
from review.scanners.datafiles.encoding import detect_encoding
from review.scanners.datafiles.jsonc import relax

log = logging.getLogger(__name__)

MAX_JSONC_BYTES = 1 << 24
"""Largest JSON-with-comments file read (it is read whole, unlike plain JSON)."""

_DELIMITERS = (",", "\t", ";", "|")


def _open_text(dataset: Dataset) -> IO[str]:
    assert dataset.encoding is not None
    handle = open_input(dataset.path, "data file", dataset.limits.file_bytes)
    return io.TextIOWrapper(handle, encoding=dataset.encoding, errors="strict", newline="")


def _bounded_lines(dataset: Dataset, handle: IO[str]) -> Iterator[str]:
    """Physical lines with their newline, each at most ``Limits.line_chars`` long."""
    limit = dataset.limits.line_chars
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit and line[-1] not in "\r\n":
            raise dataset.error(f"line {number}", f"longer than the limit of {limit} characters")
        yield line


class _Lines:
    """A text file's lines, decoded with universal newlines (as the csv module wants)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __iter__(self) -> Iterator[str]:
        with _open_text(self.dataset) as handle:
            yield from _bounded_lines(self.dataset, handle)


class TextDataset(Dataset):
    """Plain text, Markdown, logs: scanned line by line."""

    kind: ClassVar[DatasetKind] = "text"
    format: ClassVar[str] = "text"

    @classmethod
    def open(cls, path: Path, limits: Limits, names: NameGuard | None) -> TextDataset:
        return cls(path, detect_encoding(path, source_name(path, names)), limits, names)

    def iter_lines(self) -> Iterator[tuple[int, str]]:
        return self.guarded(self._lines(), "line")

    def _lines(self) -> Iterator[tuple[int, str]]:
        for number, line in enumerate(_Lines(self), start=1):
            yield number, line.rstrip("\r\n")

    def row_lines(self) -> Iterator[tuple[int, int]]:
        return ((number, number) for number, _ in self.iter_lines())


def sniff_delimiter(header_line: str, suffix: str) -> str:
    """The delimiter used most in the header line (tab for .tsv when present)."""
    if suffix == ".tsv" and "\t" in header_line:
        return "\t"
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def unique_columns(header: list[str]) -> list[str]:
    """Header names made unique: blank or repeated ones would collapse cells into one key."""
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


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than the limit of {csv.field_size_limit()} characters"
    if "unexpected end of data" in text or "EOF" in text:
        return "file ends inside a quoted field"
    if "NUL" in text:
        return "contains NUL bytes"
    if "expected after" in text:
        return "a quote inside a quoted field is not doubled"
    return "malformed CSV"


class CsvDataset(TableDataset):
    """CSV / TSV with a header row; delimiter sniffed from the header."""

    format: ClassVar[str] = "csv"

    def __init__(
        self,
        path: Path,
        encoding: str,
        limits: Limits,
        names: NameGuard | None,
        delimiter: str = ",",
    ) -> None:
        super().__init__(path, encoding, limits, names)
        self.delimiter = delimiter
        self.skip_space = False
        self._columns: list[str] = []

    @classmethod
    def open(cls, path: Path, limits: Limits, names: NameGuard | None) -> CsvDataset:
        dataset = cls(path, detect_encoding(path, source_name(path, names)), limits, names)
        with _open_text(dataset) as handle:
            try:
                first = next(_bounded_lines(dataset, handle), "")
            except UnicodeDecodeError:
                raise dataset.error("header", f"bytes are not valid {dataset.encoding}") from None
        if not first.strip():
            raise InputError(dataset.source, "empty file: no header row")
        delimiter = dataset.delimiter = sniff_delimiter(first, path.suffix.lower())
        # "a, b, c" (UCI Adult and many exports): the space belongs to the separator.
        skip_space = delimiter != " " and first.count(delimiter + " ") == first.count(delimiter)
        dataset.skip_space = skip_space and delimiter in first
        records = dataset.guarded(dataset._records(), "header")
        try:
            header = next(records, None)
        finally:
            close = getattr(records, "close", None)
            if close is not None:
                close()
        if header is None:
            raise InputError(dataset.source, "empty file: no header row")
        fields = header[1][1]
        if len(fields) > limits.columns:
            raise dataset.error(
                "header", f"{len(fields)} columns: more than the limit of {limits.columns}"
            )
        dataset._columns = unique_columns([dataset.column_name(f) for f in fields])
        return dataset

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def _records(self) -> Iterator[tuple[int, tuple[int, list[str]]]]:
        """``(record, (first physical line, fields))`` for every CSV record, the header
        being record 0."""
        csv.field_size_limit(self.limits.cell_chars)
        reader = csv.reader(
            _Lines(self), delimiter=self.delimiter, strict=True, skipinitialspace=self.skip_space
        )
        number = 0
        # reader.line_num counts the physical lines consumed so far, so a record starts
        # on the line after the previous record's last one.
        consumed = 0
        try:
            for fields in reader:
                start, consumed = consumed + 1, reader.line_num
                yield number, (start, fields)
                number += 1
        except csv.Error as exc:
            where = "header" if number == 0 else f"row {number}"
            raise self.error(where, _csv_problem(exc)) from None

    def _data(self) -> Iterator[tuple[int, int, list[str]]]:
        """``(row, first physical line, fields)`` for every data row."""
        width = len(self._columns)
        row = 0
        records = self._records()
        next(records, None)  # the header
        for _, (line, fields) in records:
            if not fields or fields == [""]:
                continue  # blank line
            row += 1
            if len(fields) != width:
                raise self.error(
                    f"row {row}",
                    f"{len(fields)} fields but the header has {width} (ragged, truncated "
                    "or misquoted)",
                )
            yield row, line, fields

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        for row, _, fields in self._data():
            yield row, dict(zip(self._columns, fields, strict=True))

    def row_lines(self) -> Iterator[tuple[int, int]]:
        return self.guarded(((row, line) for row, line, _ in self._data()), "row")


class _Utf8Stream:
    """A decoded text file re-encoded as UTF-8 bytes, for ijson (which reads UTF-8)."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.pending = b""

    def read(self, size: int) -> bytes:
        while len(self.pending) < size:
            text = self.handle.read(max(size // 4, 1))
            if not text:
                break
            self.pending += text.encode("utf-8")
        chunk, self.pending = self.pending[:size], self.pending[size:]
        return chunk

    def close(self) -> None:
        self.handle.close()


class _JsonFeed:
    """The bytes ijson parses, in chunks that grow while no string ends in them.

    yajl re-reads a token cut by a chunk's end from its start on every further chunk,
    so a 200 MB string fed in 64 KiB chunks takes hours. Chunks double in size while
    they hold no unescaped quote (inside a long string, or a run of numbers) and drop
    back once one ends: a long token costs a few re-reads, never thousands."""

    SMALL = 1 << 16
    LARGE = 1 << 26

    def __init__(self, source: IO[bytes] | _Utf8Stream) -> None:
        self.source = source
        self.size = self.SMALL

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson probes for bytes or text with read(0)
        chunk = self.source.read(min(self.size, size) if size > 0 else self.size)
        if chunk.count(b'"') > chunk.count(b'\\"'):
            self.size = self.SMALL
        else:
            self.size = min(self.size * 2, self.LARGE)
        return chunk

    def close(self) -> None:
        self.source.close()


# yajl's messages quote the input around the error; only their first words are shown.
_JSON_PROBLEMS = (
    ("premature EOF", "file ends inside a value"),
    ("trailing garbage", "data after the end of the document"),
    ("invalid bytes in UTF8", "bytes are not valid UTF-8"),
    ("invalid char in json text", "invalid character"),
    ("invalid string", "invalid string"),
    ("object key", "invalid object key"),
    ("after key", "expected ':' after a key"),
    ("after array element", "expected ',' or ']'"),
    ("after object key and value", "expected ',' or '}'"),
    ("numeric", "malformed number"),
    ("parse error", "invalid JSON"),
)


def json_problem(exc: Exception) -> str:
    """A JSON parser failure in words that never quote the input."""
    if isinstance(exc, ijson.IncompleteJSONError):
        text = str(exc)
        return next((said for key, said in _JSON_PROBLEMS if key in text), "invalid JSON")
    # The C parser reports an integer past Python's digit bound, or an escape that is no
    # character (a lone surrogate), as a SystemError or a decoding error.
    return "a number too long, or an escape that is no character"


class _EventRecords:
    """Records built from ijson's parse events, one value at a time, within the limits."""

    def __init__(self, dataset: Dataset, events: Iterator[tuple[str, Any]]) -> None:
        self.dataset = dataset
        self.events = events
        self.flattener = Flattener(dataset)
        self.limits = dataset.limits

    def value(self, event: str, value: Any, where: str) -> dict[str, str]:
        """The flattened value that starts with ``(event, value)``."""
        out: dict[str, str] = {}
        add = self.flattener.add
        if event not in ("start_map", "start_array"):
            add(out, ROOT_KEY, value, where)
            return out
        # Frames: [is_map, prefix, next index or current key, keys seen].
        stack: list[list[Any]] = [[event == "start_map", "", 0, {}]]
        depth_limit = self.limits.depth
        for event, value in self.events:
            frame = stack[-1]
            if frame[0]:
                if event == "map_key":
                    frame[2] = self.flattener.key(value, frame[3], where)
                    continue
                if event == "end_map":
                    stack.pop()
                    if not stack:
                        return out
                    continue
                name = f"{frame[1]}.{frame[2]}" if frame[1] else frame[2]
            else:
                if event == "end_array":
                    stack.pop()
                    if not stack:
                        return out
                    continue
                name = f"{frame[1] or ROOT_KEY}[{frame[2]}]"
                frame[2] += 1
            if event in ("start_map", "start_array"):
                if len(stack) >= depth_limit:
                    raise self.dataset.error(
                        where, f"nested deeper than the limit of {depth_limit} levels"
                    )
                stack.append([event == "start_map", name, 0, {}])
            else:
                add(out, name, value, where)
        raise self.dataset.error(where, "file ends inside a value")


def _json_events(source: _JsonFeed) -> Iterator[tuple[str, Any]]:
    events: Iterator[tuple[str, Any]] = ijson.basic_parse(
        source, use_float=False, multiple_values=True, buf_size=_JsonFeed.LARGE
    )
    return events


class JsonLinesDataset(TableDataset):
    """JSON Lines: one record per line, flattened to dotted paths."""

    format: ClassVar[str] = "jsonl"

    @classmethod
    def open(cls, path: Path, limits: Limits, names: NameGuard | None) -> JsonLinesDataset:
        return cls(path, detect_encoding(path, source_name(path, names)), limits, names)

    @property
    def columns(self) -> list[str]:
        return _union_columns(self)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        for record, _, value in self._records():
            yield record, value

    def row_lines(self) -> Iterator[tuple[int, int]]:
        return self.guarded(((record, line) for record, line, _ in self._records()), "row")

    def _records(self) -> Iterator[tuple[int, int, dict[str, str]]]:
        """``(record, line, flattened value)`` for every non-blank line."""
        record = 0
        for number, line in enumerate(_Lines(self), start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            events = ijson.basic_parse(line.encode("utf-8"), use_float=False)
            builder = _EventRecords(self, events)
            try:
                first = next(events, None)
                if first is None:
                    continue
                value = builder.value(first[0], first[1], where)
                if next(events, None) is not None:
                    raise self.error(where, "more than one JSON value on the line")
            except (ijson.JSONError, SystemError, ValueError) as exc:
                raise self.error(where, f"invalid JSON ({json_problem(exc)})") from None
            record += 1
            yield record, number, value


class JsonDataset(TableDataset):
    """A JSON document, streamed with ijson: a top-level array yields one record per
    element; an object is one record; several top-level values (JSON Lines in a .json
    file) are one record each."""

    format: ClassVar[str] = "json"

    @classmethod
    def open(cls, path: Path, limits: Limits, names: NameGuard | None) -> JsonDataset:
        return cls(path, detect_encoding(path, source_name(path, names)), limits, names)

    @property
    def columns(self) -> list[str]:
        return _union_columns(self)

    def _stream(self) -> _JsonFeed:
        if self.encoding in ("utf-8", "utf-8-sig"):
            handle = open_input(self.path, "data file", self.limits.file_bytes)
            if handle.read(3) != codecs.BOM_UTF8:
                handle.seek(0)
            return _JsonFeed(handle)
        return _JsonFeed(_Utf8Stream(_open_text(self)))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        read = 0
        try:
            for record in self._records(self._stream()):
                read += 1
                yield record
        except InputError:
            relaxed = None if read else self._relaxed()
            if relaxed is None:
                raise
            log.info("%s: read as JSON with comments (JSONC)", self.source)
            yield from self._records(_JsonFeed(io.BytesIO(relaxed.encode("utf-8"))))

    def _text(self) -> str | None:
        """The whole file as text, when it is small enough to be read at once."""
        if self.path.stat().st_size > MAX_JSONC_BYTES:
            return None
        with _open_text(self) as handle:
            return handle.read()

    def _relaxed(self) -> str | None:
        """The file with its comments and trailing commas blanked, when it is JSON with
        comments (JSONC: editor settings, tsconfig.json); None when it is not."""
        text = self._text()
        return None if text is None else relax(text)

    def row_lines(self) -> Iterator[tuple[int, int]]:
        text = self._text()
        if text is not None:
            lines: Iterable[str] = io.StringIO(relax(text) or text, newline="")
        else:
            lines = _Lines(self)  # too large to be JSONC: plain JSON, read line by line
        return self.guarded(json_value_lines(lines), "row")

    def _records(self, stream: _JsonFeed) -> Iterator[tuple[int, dict[str, str]]]:
        # The record being read: the next one until its first event arrives.
        at = 1
        try:
            events = _json_events(stream)
            builder = _EventRecords(self, events)
            first = next(events, None)
            if first is None:
                raise InputError(self.source, "empty file: no JSON document")
            if first[0] == "start_array":
                for event, value in events:
                    if event == "end_array":
                        break
                    yield at, builder.value(event, value, f"record {at}")
                    at += 1
                if next(events, None) is not None:
                    raise self.error(f"record {at}", "data after the closing ']'")
                return
            yield 1, builder.value(first[0], first[1], "record 1")
            for event, value in events:
                at += 1
                yield at, builder.value(event, value, f"record {at}")
        except (ijson.JSONError, SystemError, ValueError) as exc:
            raise self.error(f"record {at}", f"invalid JSON ({json_problem(exc)})") from None
        finally:
            stream.close()


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]|[^\s\[\]{},"]+')
"""A JSON string (strings hold no raw line break), a bracket or comma, or a scalar."""


def json_value_lines(lines: Iterable[str]) -> Iterator[tuple[int, int]]:
    """``(record, line)``: where each record of a JSON document starts, records as
    ``JsonDataset`` counts them (the elements of a top-level array, else each top-level
    value). Scans tokens only, so a record's line costs no parsing."""
    record = 0
    depth = 0
    array = False  # the document is one top-level array
    expect = True  # the next token at the record level starts a record
    for number, line in enumerate(lines, start=1):
        for match in _JSON_TOKEN.finditer(line):
            token = match.group()
            level = 1 if array else 0
            if depth == level and expect and token not in ",]}":
                if record == 0 and depth == 0 and token == "[":
                    array, expect = True, True
                    depth += 1
                    continue
                record += 1
                expect = False
                yield record, number
            if token in "[{":
                depth += 1
            elif token in "]}":
                depth -= 1
                if depth == level:
                    expect = not array
            elif token == "," and depth == level:
                expect = True
            elif depth == level and not array:
                expect = True  # a top-level scalar is a whole record


def _union_columns(dataset: TableDataset) -> list[str]:
    """Every field path seen, in first-seen order (one streamed pass)."""
    seen: dict[str, None] = {}
    for _, row in dataset.iter_rows():
        for key in row:
            seen.setdefault(key, None)
            if len(seen) > dataset.limits.columns:
                raise InputError(
                    dataset.source,
                    f"more than the limit of {dataset.limits.columns} distinct fields",
                )
    return list(seen)


class ParquetDataset(TableDataset):
    """Apache Parquet, read batch by batch with pyarrow.

    Text columns are read dictionary-encoded and expanded to shared strings, so a small
    file repeating one long value cannot unpack into gigabytes; row groups whose
    uncompressed size or compression ratio pass the limits are refused up front."""

    format: ClassVar[str] = "parquet"
    batch_size: ClassVar[int] = 1024

    def __init__(self, path: Path, limits: Limits, names: NameGuard | None) -> None:
        super().__init__(path, None, limits, names)
        self._columns: list[str] = []
        self._raw_columns: list[str] = []
        self._text_columns: list[str] = []

    @classmethod
    def open(cls, path: Path, limits: Limits, names: NameGuard | None) -> ParquetDataset:
        import pyarrow as pa
        import pyarrow.parquet as pq

        dataset = cls(path, limits, names)
        with open_input(path, "data file", limits.file_bytes):
            pass  # refuses special and oversized files before pyarrow opens it
        try:
            parquet = pq.ParquetFile(path)
            schema = parquet.schema_arrow
            metadata = parquet.metadata
        except Exception:  # pyarrow raises ArrowInvalid and friends for corrupt files
            raise InputError(dataset.source, "not a valid Parquet file") from None
        if len(schema.names) > limits.columns:
            raise InputError(
                dataset.source,
                f"{len(schema.names)} columns: more than the limit of {limits.columns}",
            )
        for group in range(metadata.num_row_groups):
            dataset._check_row_group(metadata.row_group(group), group + 1)
        dataset._raw_columns = [str(name) for name in schema.names]
        dataset._columns = unique_columns([dataset.column_name(n) for n in dataset._raw_columns])
        dataset._text_columns = [
            str(f.name)
            for f in schema
            if pa.types.is_string(f.type)
            or pa.types.is_large_string(f.type)
            or pa.types.is_binary(f.type)
            or pa.types.is_large_binary(f.type)
        ]
        return dataset

    def _check_row_group(self, group: Any, number: int) -> None:
        unpacked = int(group.total_byte_size)
        packed = sum(int(group.column(i).total_compressed_size) for i in range(group.num_columns))
        if unpacked > self.limits.unpacked_bytes:
            raise self.error(
                f"row group {number}",
                f"unpacks to {unpacked} bytes: more than the limit of {self.limits.unpacked_bytes}",
            )
        if packed > 0 and unpacked > (1 << 20) and unpacked / packed > self.limits.unpack_ratio:
            raise self.error(
                f"row group {number}",
                f"compressed {unpacked // packed}:1, more than the limit of "
                f"{self.limits.unpack_ratio}:1 (a decompression bomb?)",
            )

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        import pyarrow.parquet as pq

        flattener = Flattener(self)
        parquet = pq.ParquetFile(self.path, read_dictionary=self._text_columns)
        row = 0
        for batch in parquet.iter_batches(batch_size=self.batch_size, use_threads=False):
            columns = [self._values(column) for column in batch.columns]
            for values in zip(*columns, strict=True):
                row += 1
                record: dict[str, str] = {}
                for name, value in zip(self._columns, values, strict=True):
                    flattener.flatten(value, f"row {row}", name, record)
                yield row, record

    def _values(self, column: Any) -> list[Any]:
        import pyarrow as pa
        import pyarrow.compute as pc

        if isinstance(column, pa.DictionaryArray):
            dictionary = column.dictionary
            longest = pc.max(pc.binary_length(dictionary)).as_py() if len(dictionary) else 0
            if longest > 4 * self.limits.cell_chars:  # bytes: at most 4 per character
                raise InputError(
                    self.source,
                    f"a value is longer than the limit of {self.limits.cell_chars} characters",
                )
            values = dictionary.to_pylist()
            return [None if i is None else values[i] for i in column.indices.to_pylist()]
        return list(column.to_pylist())


class ExcelDataset(TableDataset):
    """Excel .xlsx read with openpyxl in read-only (streaming) mode; every sheet.

    With one sheet the columns are its header names; with several, ``Sheet!header``.
    The zip is checked before openpyxl opens it: the unpacked size and the compression
    ratio of every member are bounded (an 838 KB file can hold 20 million strings).
    openpyxl parses the XML with defusedxml (no entity expansion, no external entities).
    """

    format: ClassVar[str] = "xlsx"

    def __init__(
        self,
        path: Path,
        limits: Limits,
        names: NameGuard | None,
        sheets: list[tuple[str, list[str]]] | None = None,
    ) -> None:
        super().__init__(path, None, limits, names)
        self._sheets = sheets or []

    @classmethod
    def open(cls, path: Path, limits: Limits, names: NameGuard | None) -> ExcelDataset:
        dataset = cls(path, limits, names)
        check_zip(dataset)
        sheets = []
        with _Workbook(dataset) as book:
            several = len(book.worksheets) > 1
            for sheet in book.worksheets:
                title = dataset.column_name(str(sheet.title))
                header: list[str] = []
                for values in dataset.sheet_rows(sheet, title, max_row=1):
                    if len(values) > limits.columns:
                        raise dataset.error(
                            f"sheet {title}, header",
                            f"{len(values)} columns: more than the limit of {limits.columns}",
                        )
                    header = [dataset.column_name(cell_text(v) or "") for v in values]
                names_ = unique_columns(header)
                if several:
                    names_ = [f"{title}!{name}" for name in names_]
                sheets.append((title, names_))
        dataset._sheets = sheets
        return dataset

    @property
    def columns(self) -> list[str]:
        return [name for _, names in self._sheets for name in names]

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        flattener = Flattener(self)
        with _Workbook(self) as book:
            for sheet, (title, names) in zip(book.worksheets, self._sheets, strict=True):
                row = 0
                for values in self.sheet_rows(sheet, title, min_row=2):
                    cells: dict[str, str] = {}
                    for name, value in zip(names, values, strict=False):
                        flattener.add(cells, name, value, f"row {row + 1}")
                    if not cells and all(v is None for v in values):
                        continue
                    row += 1
                    yield row, cells

    def sheet_rows(self, sheet: Any, title: str, **bounds: int) -> Iterator[tuple[Any, ...]]:
        """The sheet's rows of values; a cell openpyxl cannot read is an InputError naming
        its sheet, row and column (Excel's numbering) and the kind of fault, never its value."""
        try:
            yield from sheet.iter_rows(values_only=True, **bounds)
        except Exception as exc:
            raise self.error(f"sheet {title}{_xlsx_position(exc)}", _xlsx_fault(exc)) from None


def _xlsx_position(exc: BaseException) -> str:
    """``, row R, column C`` where openpyxl's sheet parser stopped, read from the parser's
    counters in the traceback (numbers only; the exception's message may quote the cell)."""
    trace = exc.__traceback__
    row = column = 0
    while trace is not None:
        parser = trace.tb_frame.f_locals.get("self")
        at_row, at_column = (
            getattr(parser, "row_counter", None),
            getattr(parser, "col_counter", None),
        )
        if isinstance(at_row, int) and isinstance(at_column, int):
            row, column = at_row, at_column
        trace = trace.tb_next
    if row <= 0:
        return ""
    if column <= 0:
        return f", row {row}"
    from openpyxl.utils import get_column_letter

    return f", row {row}, column {get_column_letter(column)}"


def _xlsx_fault(exc: BaseException) -> str:
    """What is wrong with a sheet, from the kind of exception only."""
    xml = _xml_fault(exc)
    if xml:
        return xml
    if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, UnicodeError):
        return "a cell's value does not match its type (e.g. text in a number or date cell)"
    if isinstance(exc, IndexError):
        return "a cell refers to a shared string that does not exist"
    return describe_failure(exc, "xlsx")


def _xml_fault(exc: BaseException) -> str | None:
    """``unsafe XML refused`` or ``malformed XML`` if the exception or its cause says so."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__module__.startswith("defusedxml"):  # a ValueError subclass
            return "unsafe XML refused: entity declarations"
        if isinstance(seen, SyntaxError):  # xml.etree's ParseError
            return "malformed XML"
        seen = seen.__cause__ or seen.__context__
    return None


ZIP_SMALL = 1 << 20
"""Members smaller than this unpacked are not held to the ratio (tiny files of zeros
compress far better than any real spreadsheet part, harmlessly)."""


def check_zip(dataset: Dataset) -> None:
    """Refuse a zip whose members unpack past ``Limits.unpacked_bytes`` in total, or
    compress better than ``Limits.unpack_ratio`` (zip bombs), before anything unpacks it."""
    limits = dataset.limits
    try:
        with (
            open_input(dataset.path, "data file", limits.file_bytes) as handle,
            zipfile.ZipFile(handle) as archive,
        ):
            members = archive.infolist()
    except InputError:
        raise
    except Exception:  # BadZipFile, truncated central directory, ...
        raise InputError(dataset.source, "not a valid .xlsx workbook (not a zip file)") from None
    total = 0
    for member in members:
        total += member.file_size
        if total > limits.unpacked_bytes:
            raise InputError(
                dataset.source,
                f"unpacks to more than the limit of {limits.unpacked_bytes} bytes",
            )
        packed = max(member.compress_size, 1)
        if member.file_size > ZIP_SMALL and member.file_size / packed > limits.unpack_ratio:
            raise InputError(
                dataset.source,
                f"a part is compressed {member.file_size // packed}:1, more than the limit of "
                f"{limits.unpack_ratio}:1 (a zip bomb?)",
            )


class _Workbook:
    """Open an .xlsx read-only and close it afterwards (read-only books hold the file)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.book: Any = None

    def __enter__(self) -> Any:
        import openpyxl

        try:
            self.book = openpyxl.load_workbook(self.dataset.path, read_only=True, data_only=True)
        except OSError as exc:
            raise InputError(self.dataset.source, f"cannot read: {exc.strerror or exc}") from None
        except Exception as exc:  # BadZipFile, KeyError, InvalidFileException, ParseError...
            fault = _xml_fault(exc) or (
                "a required part is missing" if isinstance(exc, KeyError) else None
            )
            problem = (
                f"not a valid .xlsx workbook ({fault})" if fault else "not a valid .xlsx workbook"
            )
            raise InputError(self.dataset.source, problem) from None
        return self.book

    def __exit__(self, *exc: object) -> None:
        self.book.close()


Opener = Callable[[Path, Limits, NameGuard | None], Dataset]

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
"""The closed registry: file suffix -> reader. Other suffixes are read as text when a
file is named directly, and reported as not read when met in a folder."""

__all__ = ["DEFAULT_LIMITS", "FORMATS"]

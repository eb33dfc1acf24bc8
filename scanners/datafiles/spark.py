"""Data-lake sources on Apache Spark: the session, the readers and the partition runner.

A *source* is a Parquet, ORC, CSV, JSON or text path Spark can read (a local file or
directory, ``s3a://…``, ``hdfs://…``, ``abfss://…``), a format-prefixed path
(``orc:s3a://bucket/events/``), or a catalog table (``table:lake.users``).

Executors turn each partition's Arrow record batches into the same ``(row, {column:
value})`` records the single-process readers give (one ``flatten`` for both), run a
stage's scan core over them and send back one JSON payload per partition: counts and
masked evidence, never a raw value. The driver puts the payloads in partition order and
numbers rows as the one-process reader would: a file read by both engines gets the same
row numbers; a dataset of many files is numbered in Spark's read order.

pyspark is an optional extra: nothing here imports it until a Spark source is read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from review.core.config import SampleConfig, SparkConfig
from review.core.errors import InputError
from review.core.fsio import display_path
from review.core.limits import DEFAULT_LIMITS
from review.core.stage import StageContext
from review.scanners.datafiles import open_dataset
from review.scanners.datafiles.base import Flattener, NameGuard
from review.scanners.datafiles.encoding import detect_encoding
from review.scanners.datafiles.formats import CsvDataset, JsonLinesDataset

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Format = Literal["parquet", "orc", "csv", "json", "text", "table"]
Reading = Literal["columns", "json_lines", "text_lines", "files"]

SPARK_SUFFIXES: dict[str, Format] = {
    ".parquet": "parquet",
    ".orc": "orc",
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".log": "text",
}
"""File suffixes the Spark engine reads, and the Spark format of each."""

_PREFIXES: frozenset[str] = frozenset({"parquet", "orc", "csv", "json", "text", "table"})
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_`.-]+$")
MIN_JAVA = 17
_LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties")
ROW_ID = "__review_row_id"
"""Column holding Spark's row id under sampling (dropped before records are built)."""
_ROW_BITS = 33  # monotonically_increasing_id: partition index << 33 | row in partition
_REPLACEMENT = "\ufffd"


def _hidden(name: str) -> bool:
    # What Spark's file index skips: hidden files, _SUCCESS, _metadata, checksums.
    return name.startswith((".", "_")) or name.endswith(".crc")


@dataclass(frozen=True)
class SparkSource:
    """One dataset for Spark: where it is, its format and how executors read its rows."""

    spec: str
    """As the user wrote it."""
    shown: str
    """What outputs call it: a local path relative to the project, else the spec."""
    location: str
    """Path or URI handed to Spark's reader, or the table name."""
    format: Format
    local: Path | None = None
    """The local file or directory, when it is one."""
    reading: Reading = "columns"
    encoding: str | None = None
    """Text encoding of local CSV, JSON and text files."""
    csv_columns: tuple[str, ...] = ()
    csv_delimiter: str = ","

    @property
    def kind(self) -> Literal["table", "text"]:
        return "text" if self.format == "text" else "table"

    def local_files(self) -> list[Path]:
        """The data files of a local source, sorted (the evidence manifest hashes them)."""
        if self.local is None:
            return []
        if self.local.is_file():
            return [self.local]
        return _data_files(self.local)


def spark_inputs(sources: Iterable[SparkSource], base: Path) -> tuple[str, ...]:
    """The local files of the sources, for the evidence manifest (remote ones are named
    in the results; their bytes are not hashed here)."""
    return tuple(display_path(f, base) for s in sources for f in s.local_files())


def registered_inputs(context: StageContext, read: Iterable[str]) -> tuple[str, ...]:
    """The local files a stage read on Spark, shown as the local engine shows them
    (personal data in their names masked) and registered so the manifest hashes them."""
    names = NameGuard(context.find_pii)
    shown = []
    for name in read:
        masked = names.path(name)
        context.register(masked, context.project_dir / name)
        shown.append(masked)
    return tuple(shown)


def _data_files(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and not any(_hidden(part) for part in path.relative_to(directory).parts)
    )


def _format_of(name: str, spec: str) -> Format:
    suffix = Path(name).suffix.lower()
    found = SPARK_SUFFIXES.get(suffix)
    if found is None:
        raise InputError(
            spec,
            "the Spark engine reads Parquet, ORC, CSV, JSON and text; name the format "
            "(parquet:PATH, orc:PATH, csv:PATH, json:PATH, text:PATH) or use --engine local",
        )
    return found


def _directory_format(directory: Path, spec: str) -> Format:
    files = _data_files(directory)
    if not files:
        raise InputError(spec, "directory holds no data files")
    formats = {SPARK_SUFFIXES.get(p.suffix.lower()) for p in files}
    formats.discard(None)
    if len(formats) != 1:
        shown = ", ".join(sorted(str(f) for f in formats)) or "none Spark reads"
        raise InputError(
            spec,
            f"directory holds files of several formats ({shown}); name one "
            "(parquet:PATH, csv:PATH, ...) or give the files",
        )
    found = formats.pop()
    assert found is not None
    return found


def parse_source(spec: str, base: Path) -> SparkSource:
    """Where a source is and what format it has; local paths are resolved against ``base``."""
    text = spec.strip()
    prefix, _, rest = text.partition(":")
    forced: Format | None = None
    if prefix in _PREFIXES and rest and not rest.startswith("//"):
        forced = prefix  # type: ignore[assignment]
        text = rest
    if forced == "table":
        if not _TABLE_NAME.match(text):
            raise InputError(spec, "not a table name (table:database.table)")
        return SparkSource(spec, f"table:{text}", text, "table")
    if _URI.match(text) and not text.lower().startswith("file://"):
        fmt = forced or _format_of(text.rstrip("/"), spec)
        reading: Reading = "columns"
        if fmt == "json":
            reading = "json_lines"
        elif fmt == "text":
            reading = "text_lines"
        return SparkSource(spec, spec, text, fmt, reading=reading)
    path = Path(text[len("file://") :] if text.lower().startswith("file://") else text)
    path = path if path.is_absolute() else base / path
    if not path.exists():
        raise InputError(display_path(path, base), "no such file or directory")
    if forced is None:
        forced = _directory_format(path, spec) if path.is_dir() else _format_of(path.name, spec)
    return _local_source(spec, display_path(path, base), path, forced)


def parse_sources(specs: Iterable[str], base: Path) -> list[SparkSource]:
    """Every source; a local directory of several formats gives one source per file."""
    sources = []
    for spec in specs:
        path = Path(spec) if Path(spec).is_absolute() else base / spec
        if ":" not in spec.split("/", 1)[0] and path.is_dir():
            formats = {SPARK_SUFFIXES.get(f.suffix.lower()) for f in _data_files(path)}
            if len(formats) > 1:
                sources += [parse_source(str(f), base) for f in _data_files(path)]
                continue
        sources.append(parse_source(spec, base))
    return sources


def _local_source(spec: str, shown: str, path: Path, fmt: Format) -> SparkSource:
    files = [path] if path.is_file() else _data_files(path)
    location = path.resolve().as_uri()
    if fmt == "csv":
        # Read the header, delimiter and encoding as the one-process reader does, so
        # both engines see the same columns and values.
        first = CsvDataset.open(files[0], DEFAULT_LIMITS, None)
        encodings = {first.encoding} | {detect_encoding(f) for f in files[1:]}
        if not encodings <= {"utf-8", "utf-8-sig"}:
            # Spark 4 reads CSV in a handful of charsets only: GB18030 and the like are
            # read whole by the one-process reader on the executors.
            encoding = first.encoding if len(encodings) == 1 else None
            return SparkSource(
                spec, shown, location, fmt, local=path, reading="files", encoding=encoding
            )
        return SparkSource(
            spec,
            shown,
            location,
            fmt,
            local=path,
            encoding=first.encoding,
            csv_columns=tuple(first.columns),
            csv_delimiter=first.delimiter,
        )
    if fmt in ("json", "text"):
        encodings = {detect_encoding(f) for f in files}
        lines: Reading = "json_lines" if fmt == "json" else "text_lines"
        reading = lines if encodings == {"utf-8"} else "files"
        if fmt == "json" and reading == "json_lines" and not all(_json_lines(f) for f in files):
            reading = "files"  # JSON documents (arrays, pretty-printed objects) go whole
        encoding = next(iter(encodings)) if len(encodings) == 1 else None
        return SparkSource(
            spec, shown, location, fmt, local=path, reading=reading, encoding=encoding
        )
    return SparkSource(spec, shown, location, fmt, local=path)


def _json_lines(path: Path) -> bool:
    """Whether a UTF-8 JSON file holds one JSON value per line (its first line is one)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    json.loads(line)
                except json.JSONDecodeError:
                    return False
                return not line.lstrip().startswith("[")
    return True


# --- the session -----------------------------------------------------------------------


def _java_major() -> int | None:
    """Major version of the Java Spark would start, or None when there is none."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        return None
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        return None
    major = int(match[1])
    return int(match[2] or 0) if major == 1 else major


def _local_master(master: str) -> bool:
    return master.startswith("local")


_LOCAL_CORES = re.compile(r"^local(?:\[(\*|\d+)(?:,\s*\d+)?\])?$")


def local_cores(master: str) -> int:
    """The cores a ``local``/``local[N]``/``local[*]``/``local[N,F]`` master runs tasks on."""
    match = _LOCAL_CORES.match(master)
    if match is None or match.group(1) is None:
        return 1
    if match.group(1) == "*":
        return os.cpu_count() or 1
    return int(match.group(1))


def spark_session(config: SparkConfig, *, progress: bool = False) -> SparkSession:
    """The active SparkSession, or a new one built from ``[spark]``.

    An active session (spark-submit's, a notebook's, the tests') is used as it is. A new
    local one binds to 127.0.0.1 and runs its Python workers with this interpreter.
    """
    # pyspark warns about pandas 3 on stderr, which spark-submit merges into stdout and
    # so into the JSON a pipeline reads; the checks it covers are pyspark's, not ours.
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            None, "the Spark engine needs pyspark: pip install 'review-pipeline[spark]'"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if not under_submit:
        major = _java_major()
        if major is None:
            raise InputError(
                None,
                f"the Spark engine needs Java {MIN_JAVA} or newer: none found "
                "(set JAVA_HOME or put java on PATH)",
            )
        if major < MIN_JAVA:
            raise InputError(
                None, f"the Spark engine needs Java {MIN_JAVA} or newer; found Java {major}"
            )
    builder = SparkSession.builder
    master = config.master or (None if under_submit else "local[*]")
    settings: dict[str, str] = {}
    if master is not None:
        builder = builder.master(master)
    if config.app_name or not under_submit:
        builder = builder.appName(config.app_name or "review-pipeline")
    if master is not None and _local_master(master):
        # Local mode on one machine: listen on loopback only (works offline and in
        # network namespaces), no web UI, workers on this interpreter and its packages.
        settings |= {
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            # One machine's cores need a few shuffle partitions, not Spark's 200 (each
            # a task); [spark] conf still overrides.
            "spark.sql.shuffle.partitions": "4",
            # Spark splits files into as many partitions as cores by default; the scan
            # costs far more CPU per byte than Spark's own work, so one partition bigger
            # than the rest (a whole row group more) leaves a core idle for its length.
            # Eight per core keep the last wave short; each costs a task, not a new
            # analyzer (Python workers are reused).
            "spark.sql.files.minPartitionNum": str(8 * local_cores(master)),
            "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_LOG_CONFIG.as_uri()}",
        }
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings |= {
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "true" if progress else "false",
    }
    settings |= dict(config.conf)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises PySparkRuntimeError, Py4JError, ...
        raise InputError(None, f"Spark could not start: {_spark_problem(exc)}") from None
    if settings.get("spark.driver.extraJavaOptions", "").endswith(_LOG_CONFIG.as_uri()):
        # Spark resets a shell's log level to WARN once started (pyspark counts as one).
        session.sparkContext.setLogLevel("OFF")
    return session


def _spark_problem(exc: BaseException) -> str:
    """A Spark error in one line that cannot carry data values: its error class only."""
    condition = None
    for name in ("getCondition", "getErrorClass"):
        method = getattr(exc, name, None)
        if callable(method):
            try:
                condition = method()
            except Exception:  # a py4j call on a dead gateway
                condition = None
            if condition:
                break
    return str(condition) if condition else type(exc).__name__


_NOT_FOUND = ("PATH_NOT_FOUND", "TABLE_OR_VIEW_NOT_FOUND")


def read_error(source: SparkSource, exc: BaseException) -> InputError:
    """An error Spark raised reading ``source`` as a one-line InputError naming it."""
    problem = _spark_problem(exc)
    if problem.startswith("PATH_NOT_FOUND"):
        return InputError(source.shown, "no such file or directory")
    if problem.startswith("TABLE_OR_VIEW_NOT_FOUND"):
        return InputError(source.shown, "no such table in the Spark catalog")
    what = "table" if source.format == "table" else f"{source.format} data"
    return InputError(source.shown, f"Spark could not read the {what} ({problem})")


def read(spark: SparkSession, source: SparkSource, options: Mapping[str, str]) -> DataFrame:
    """The source as a DataFrame, read the way its executors expect (``source.reading``)."""
    try:
        if source.format == "table":
            return spark.table(source.location)
        if source.reading == "files":
            return (
                spark.read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(source.location)
            )
        if source.reading in ("json_lines", "text_lines"):
            return spark.read.text(source.location)
        defaults: dict[str, str] = {}
        schema = None
        if source.format == "csv":
            # As Python's csv module reads: doubled quotes, quoted line breaks, and a
            # malformed row is an error, never a row of nulls.
            defaults = {"header": "true", "mode": "FAILFAST", "escape": '"', "multiLine": "true"}
            if source.csv_columns:
                schema = ", ".join(f"`{c.replace('`', '``')}` STRING" for c in source.csv_columns)
                utf8 = source.encoding in (None, "utf-8", "utf-8-sig")
                defaults |= {
                    "sep": source.csv_delimiter,
                    "encoding": "UTF-8" if utf8 else str(source.encoding),
                }
        reader = spark.read.options(**defaults).options(**dict(options))
        if schema is not None:
            reader = reader.schema(schema)
        return reader.format(source.format).load(source.location)
    except InputError:
        raise
    except Exception as exc:
        raise read_error(source, exc) from None


# --- on the executors ------------------------------------------------------------------


class RecordError(Exception):
    """A record an executor could not read: what is wrong, and where in its partition."""

    def __init__(self, line: int, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.path = path


Row = tuple[int, Any]
"""A row number and what it holds: ``{column: value}`` for tables, a line for text."""


def flatten_record(number: int, where: str, value: object) -> dict[str, str]:
    """A Spark record or JSON line as the one-process reader flattens it, within its
    limits (a record beyond them is a RecordError at ``number``)."""
    try:
        return _FLATTENER.flatten(value, where)
    except InputError as exc:
        raise RecordError(number, exc.problem.removeprefix(f"{where}: ")) from None


_FLATTENER = Flattener(JsonLinesDataset(Path("records"), "utf-8"))


@dataclass(frozen=True)
class Rows:
    """How executors turn a partition's record batches into numbered rows.

    Rows are numbered from 1 within the partition as the one-process reader numbers them
    (data rows, JSON records, text lines); the driver moves each partition's numbers by
    the rows of the partitions before it. A sample is drawn here, after numbering, so a
    sampled row keeps its number in the whole dataset.
    """

    reading: Reading
    kind: Literal["table", "text"]
    suffix: str = ""
    """Suffix of files read whole (the one-process reader picks its format by it)."""
    sample: SampleConfig | None = None

    def reader(self, partition: int) -> PartitionReader:
        return PartitionReader(self, partition)


class PartitionReader:
    """One partition's rows, counting what it numbered, read and handed on."""

    def __init__(self, rows: Rows, partition: int) -> None:
        self.spec = rows
        self.rows = 0
        """Rows numbered (all of them, sampled or not)."""
        self.lines = 0
        """Physical lines or Spark rows read (where read errors are placed)."""
        self.scanned = 0
        """Rows handed on (the sample)."""
        sample = rows.sample
        self.fraction = sample.fraction if sample is not None else None
        self.limit = sample.rows_per_partition if sample is not None else None
        seed = sample.seed if sample is not None else 0
        self.random = np.random.default_rng([seed, partition])

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[Row]:
        for number, item in self._numbered(batches):
            if self.limit is not None and self.scanned >= self.limit:
                return
            self.scanned += 1
            yield number, item

    def _keep(self, count: int) -> npt.NDArray[np.bool_] | None:
        if self.fraction is None or self.fraction >= 1:
            return None
        kept: npt.NDArray[np.bool_] = self.random.random(count) < self.fraction
        return kept

    def _numbered(self, batches: Iterator[pa.RecordBatch]) -> Iterator[Row]:
        if self.spec.reading == "files":
            yield from self._files(batches)
            return
        for batch in batches:
            if self.spec.reading == "columns":
                yield from self._columns(batch)
            else:
                yield from self._lines(batch)

    def _columns(self, batch: pa.RecordBatch) -> Iterator[Row]:
        first = self.rows
        self.rows += batch.num_rows
        self.lines += batch.num_rows
        keep = self._keep(batch.num_rows)
        if keep is None:
            positions: Iterator[int] = iter(range(batch.num_rows))
        else:
            positions = iter(np.flatnonzero(keep).tolist())
            batch = batch.filter(pa.array(keep))
        for position, record in zip(positions, batch.to_pylist(), strict=True):
            row = first + position + 1
            yield row, flatten_record(row, f"row {row}", record)

    def _lines(self, batch: pa.RecordBatch) -> Iterator[Row]:
        keep = self._keep(batch.num_rows)
        json_lines = self.spec.reading == "json_lines"
        for position, line in enumerate(batch.column(0).to_pylist()):
            self.lines += 1
            if json_lines and not line.strip():
                continue  # blank lines are no records
            self.rows += 1
            if _REPLACEMENT in line:
                raise RecordError(self.lines, "bytes are not valid UTF-8")
            if keep is not None and not keep[position]:
                continue
            if not json_lines:
                yield self.rows, line
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecordError(self.lines, f"invalid JSON ({exc.msg})") from None
            except RecursionError:
                raise RecordError(self.lines, "nested too deeply") from None
            yield self.rows, flatten_record(self.lines, f"line {self.lines}", value)

    def _files(self, batches: Iterator[pa.RecordBatch]) -> Iterator[Row]:
        """Whole files (binaryFile rows) read by the one-process reader, numbered on."""
        with tempfile.TemporaryDirectory(prefix="review-spark-") as folder:
            path = Path(folder) / f"data{self.spec.suffix}"
            for batch in batches:
                for record in batch.select(["path", "content"]).to_pylist():
                    path.write_bytes(record["content"])
                    first = self.rows
                    try:
                        dataset = open_dataset(path)
                        items: Iterator[Row] = (
                            dataset.iter_lines()
                            if self.spec.kind == "text"
                            else dataset.iter_rows()
                        )
                        for number, item in items:
                            self.rows = first + number
                            self.lines += 1
                            keep = self._keep(1)
                            if keep is None or keep[0]:
                                yield self.rows, item
                    except InputError as exc:
                        raise RecordError(0, exc.problem, str(record["path"])) from None


PartitionJob = Callable[[Iterator[Row]], dict[str, Any]]
"""A stage's scan core on one partition: numbered rows in, a JSON-able payload out."""

_PAYLOAD = pa.schema(
    [
        ("partition", pa.int64()),
        ("rows", pa.int64()),
        ("lines", pa.int64()),
        ("scanned", pa.int64()),
        ("payload", pa.string()),
        ("error", pa.string()),
    ]
)
PAYLOAD_SCHEMA = "partition long, rows long, lines long, scanned long, payload string, error string"


@dataclass(frozen=True)
class OnPartition:
    """What ``mapInArrow`` runs on each partition: rows for the job, one payload row back.

    A record the job cannot read comes back as an error instead of failing the Spark job,
    so the driver can say where it is without Spark's message (which may quote data).
    """

    job: PartitionJob
    rows: Rows

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        context = TaskContext.get()
        partition = context.partitionId() if context is not None else 0
        batches = iter(batches)
        reader = self.rows.reader(partition)
        payload: str | None = None
        error: str | None = None
        try:
            payload = json.dumps(self.job(reader(batches)), ensure_ascii=False)
        except RecordError as exc:
            error = json.dumps({"line": exc.line, "reason": exc.reason, "path": exc.path})
        for _ in batches:
            pass  # a sample may stop early; Spark expects the input read to its end
        columns = {
            "partition": [partition],
            "rows": [reader.rows],
            "lines": [reader.lines],
            "scanned": [reader.scanned],
            "payload": [payload],
            "error": [error],
        }
        yield pa.RecordBatch.from_pydict(columns, schema=_PAYLOAD)


# --- on the driver ---------------------------------------------------------------------


@dataclass(frozen=True)
class Partition:
    """One partition's payload and where its rows sit in the dataset."""

    payload: dict[str, Any]
    offset: int
    """Rows before this partition: add it to the payload's row numbers."""
    rows: int
    scanned: int


@dataclass(frozen=True)
class Collected:
    """Every partition's payload in partition order, and what was read and scanned."""

    partitions: tuple[Partition, ...]
    rows: int
    scanned: int


def run_partitions(
    source: SparkSource, frame: DataFrame, job: PartitionJob, sample: SampleConfig | None
) -> Collected:
    """Run ``job`` on every partition of ``frame``; collect the payloads in order."""
    suffix = source.local.suffix if source.local is not None and source.local.is_file() else ""
    if source.reading == "files" and not suffix:
        suffix = {"json": ".json", "csv": ".csv"}.get(source.format, ".txt")
    rows = Rows(source.reading, source.kind, suffix, sample)
    try:
        collected = frame.mapInArrow(OnPartition(job, rows), PAYLOAD_SCHEMA).collect()
    except InputError:
        raise
    except Exception as exc:
        raise read_error(source, exc) from None
    before = lines = scanned = 0
    partitions = []
    for row in sorted(collected, key=lambda r: int(r["partition"])):
        if row["error"] is not None:
            error = json.loads(row["error"])
            if error["path"] is not None:
                raise InputError(error["path"], str(error["reason"]))
            raise InputError(source.shown, f"line {lines + int(error['line'])}: {error['reason']}")
        partitions.append(
            Partition(json.loads(row["payload"]), before, int(row["rows"]), int(row["scanned"]))
        )
        before += int(row["rows"])
        lines += int(row["lines"])
        scanned += int(row["scanned"])
    return Collected(tuple(partitions), before, scanned)


# --- records as the one-process reader's strings -----------------------------------------

PARTITION = "__review_partition"
ROW = "__review_row"


def column_name(index: int) -> str:
    """The name of the ``index``-th requested column in ``as_strings``' output."""
    return f"__review_c{index}"


@dataclass(frozen=True)
class AsStrings:
    """What ``mapInArrow`` runs to give each record's requested columns as the strings
    the one-process reader gives ('' when absent), with its partition and row number."""

    rows: Rows
    columns: tuple[str, ...]

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        context = TaskContext.get()
        partition = context.partitionId() if context is not None else 0
        reader = self.rows.reader(partition)
        numbers: list[int] = []
        values: list[list[str]] = [[] for _ in self.columns]
        for number, record in reader(iter(batches)):
            numbers.append(number)
            for index, name in enumerate(self.columns):
                values[index].append(record.get(name, "") or "")
            if len(numbers) >= 8192:
                yield self._batch(partition, numbers, values)
                numbers, values = [], [[] for _ in self.columns]
        if numbers:
            yield self._batch(partition, numbers, values)

    def _batch(self, partition: int, numbers: list[int], values: list[list[str]]) -> pa.RecordBatch:
        arrays = [pa.array([partition] * len(numbers), pa.int64()), pa.array(numbers, pa.int64())]
        arrays += [pa.array(column, pa.string()) for column in values]
        names = [PARTITION, ROW, *(column_name(i) for i in range(len(values)))]
        return pa.RecordBatch.from_arrays(arrays, names=names)


@dataclass(frozen=True)
class Strings:
    """A dataset's records as strings, numbered; cached by Spark until ``release``."""

    frame: DataFrame
    rows: int
    cached: DataFrame

    def release(self) -> None:
        self.cached.unpersist()


def as_strings(source: SparkSource, frame: DataFrame, columns: Sequence[str]) -> Strings:
    """The records' ``columns`` as strings (renamed ``column_name(i)``) with a 1-based row
    number ``ROW`` across the whole dataset, numbered as the one-process reader numbers."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    suffix = source.local.suffix if source.local is not None and source.local.is_file() else ""
    if source.reading == "files" and not suffix:
        suffix = {"json": ".json", "csv": ".csv"}.get(source.format, ".txt")
    job = AsStrings(Rows(source.reading, source.kind, suffix), tuple(columns))
    schema = ", ".join(
        [f"{PARTITION} long", f"{ROW} long"]
        + [f"{column_name(i)} string" for i in range(len(columns))]
    )
    # Read and converted once: every figure after this is an aggregate over it.
    local = frame.mapInArrow(job, schema).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts: dict[int, int] = {
            int(row[PARTITION]): int(row["count"])
            for row in local.groupBy(PARTITION).count().collect()
        }
    except Exception as exc:
        local.unpersist()
        raise read_error(source, exc) from None
    offsets, before = [], 0
    for partition in sorted(counts):
        offsets.append((partition, before))
        before += counts[partition]
    starts = frame.sparkSession.createDataFrame(offsets, f"{PARTITION} long, __review_offset long")
    numbered = local.join(F.broadcast(starts), PARTITION).withColumn(
        ROW, F.col(ROW) + F.col("__review_offset")
    )
    return Strings(numbered.drop(PARTITION, "__review_offset"), before, local)

"""The PII scan on Apache Spark: the one-process scan core on every partition.

Each executor runs ``TableTallier`` / ``TextTallier`` (the code ``scan_paths`` runs) over
its partition's rows and sends back the tally as JSON: counts, score histograms, the
first row numbers and masked evidence. The driver merges the tallies in partition order
and builds the ``FileResult`` with the same ``table_result`` / ``text_result``, so both
engines report the same columns, entities, counts and evidence for the same data.
Cell-level hits are not sent back: on a data lake they are counted, not listed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from review.core.clock import now
from review.core.config import SampleConfig, SparkConfig
from review.core.errors import InputError
from review.core.stage import Span
from review.scanners.datafiles import NameGuard
from review.scanners.datafiles.spark import (
    Collected,
    Row,
    SparkSource,
    parse_sources,
    read,
    run_partitions,
    spark_inputs,
    spark_session,
)
from review.scanners.pii.detect import default_analyzer
from review.scanners.pii.engine import FastAnalyzer, build_fast_analyzer
from review.scanners.pii.results import Engine, FileResult, Sampling, ScanReport
from review.scanners.pii.scan import TableTallier, TextTallier, name_results, not_covered
from review.scanners.pii.tally import TableTally, TextTally, table_result, text_result

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@functools.lru_cache(maxsize=2)
def _analyzer(nlp_model: str | None) -> FastAnalyzer:
    # Built once per executor process (Python workers are reused across tasks).
    return default_analyzer() if nlp_model is None else build_fast_analyzer(nlp_model)


@dataclass(frozen=True)
class PiiJob:
    """The scan core on one partition (runs on an executor): rows in, a tally out."""

    kind: Literal["table", "text"]
    entities: frozenset[str] | None
    nlp_model: str | None
    today: dt.date
    columns: tuple[str, ...] = ()

    def __call__(self, rows: Iterator[Row]) -> dict[str, Any]:
        analyzer = _analyzer(self.nlp_model)
        if self.kind == "text":
            text = TextTallier(analyzer, self.entities)
            text.add_lines(rows)
            return text.tally.to_json()
        table = TableTallier(analyzer, self.entities, self.today, columns=self.columns)
        table.add_rows(rows)
        return table.tally.to_json()


def merge_table(collected: Collected) -> TableTally:
    """The partitions' table tallies as one, rows numbered across the dataset."""
    merged = TableTally()
    for partition in collected.partitions:
        tally = TableTally.from_json(partition.payload)
        tally.rows = partition.rows  # under a sample its last row is not its row count
        merged.merge(tally)
    return merged


def merge_text(collected: Collected) -> TextTally:
    """The partitions' text tallies as one, lines numbered across the dataset."""
    merged = TextTally()
    for partition in collected.partitions:
        tally = TextTally.from_json(partition.payload)
        tally.lines = partition.rows
        merged.merge(tally)
    return merged


def _sampling(sample: SampleConfig | None, collected: Collected) -> Sampling | None:
    return None if sample is None else Sampling(sample.describe(), collected.rows)


class SparkScanner:
    """Scans Spark sources with the scan core on the executors."""

    def __init__(
        self,
        config: SparkConfig,
        *,
        entities: Collection[str] | None = None,
        nlp_model: str | None = None,
        progress: bool = False,
    ) -> None:
        self.config = config
        self.entities = frozenset(entities) if entities else None
        self.nlp_model = nlp_model
        self.progress = progress
        self.today = now().date()

    def scan(self, sources: Sequence[SparkSource], strict: bool) -> ScanReport:
        """Scan every source; ``strict``: an unreadable one raises, else it is recorded."""
        spark = spark_session(self.config, progress=self.progress)
        files = []
        totals: Counter[str] = Counter()
        for source in sources:
            try:
                result, found = self.scan_source(spark, source)
            except InputError as exc:
                if strict:
                    raise
                result = FileResult(source.shown, "unknown", 0, None, error=exc.problem)
                found = Counter()
            files.append(result)
            totals.update(found)
        return ScanReport(
            tuple(files),
            dict(sorted(totals.items())),
            self.nlp_model,
            not_covered(self.nlp_model, self.entities),
            Engine("spark", str(spark.sparkContext.master)),
        )

    def scan_source(
        self, spark: SparkSession, source: SparkSource
    ) -> tuple[FileResult, Counter[str]]:
        """One source's result and its hits per entity."""
        frame = read(spark, source, self.config.options)
        columns = tuple(frame.columns) if source.reading == "columns" else ()
        job = PiiJob(source.kind, self.entities, self.nlp_model, self.today, columns)
        sample = self.config.sample
        collected = run_partitions(source, frame, job, sample)
        encoding = source.encoding if source.local is not None else None
        if source.kind == "text":
            text = merge_text(collected)
            result = text_result(source.shown, text, encoding)
            totals = text.totals
        else:
            table = merge_table(collected)
            result = table_result(source.shown, table, encoding)
            totals = table.totals
        result = replace(
            result, rows_scanned=collected.scanned, sample=_sampling(sample, collected)
        )
        names = _schema_names(frame.schema) if source.reading == "columns" else ()
        return self._names_masked(result, names), totals

    def _name_spans(self, text: str) -> list[Span]:
        return [(h.start, h.end, h.entity_type) for h in _analyzer(self.nlp_model).analyze(text)]

    def _names_masked(self, result: FileResult, names: Sequence[str]) -> FileResult:
        """Names holding personal data (the source's, and every column's and key's the
        schema holds, not only those with hits) masked as the one-process reader masks
        them, and reported as it reports them."""
        guard = NameGuard(self._name_spans)
        shown = guard.path(result.path)
        for name in names:
            guard.column(name)
        columns = tuple(
            replace(c, path=shown, column=_column_shown(guard, c.column)) for c in result.columns
        )
        text = tuple(replace(t, path=shown) for t in result.text_entities)
        return replace(
            result,
            path=shown,
            columns=columns,
            text_entities=text,
            names=name_results(shown, guard.hits),
        )


def _schema_names(schema: Any) -> list[str]:
    """Every column name and nested key in a Spark schema, in schema order (struct
    fields, also inside arrays; map keys are data and read as such)."""
    from pyspark.sql.types import ArrayType, StructType

    names: list[str] = []
    for field in schema.fields:
        names.append(field.name)
        inner = field.dataType
        while isinstance(inner, ArrayType):
            inner = inner.elementType
        if isinstance(inner, StructType):
            names += _schema_names(inner)
    return names


def _column_shown(guard: NameGuard, column: str) -> str:
    """A dotted column path with each key shown as the reader shows it (list indices kept)."""
    parts = []
    for part in column.split("."):
        key = _INDICES.sub("", part)
        parts.append(guard.column(key) + part[len(key) :] if key else part)
    return ".".join(parts)


_INDICES = re.compile(r"(?:\[\*\])+$")


def scan_sources(
    specs: Iterable[str],
    config: SparkConfig,
    *,
    base: Path,
    entities: Collection[str] | None = None,
    nlp_model: str | None = None,
    progress: bool = False,
    strict: bool = True,
) -> tuple[ScanReport, tuple[str, ...]]:
    """Scan Spark sources for PII; the report and the local input files."""
    sources = parse_sources(specs, base)
    scanner = SparkScanner(config, entities=entities, nlp_model=nlp_model, progress=progress)
    return scanner.scan(sources, strict=strict), spark_inputs(sources, base)

"""Re-identification risk on Apache Spark: the single-process formulas over Spark SQL.

Nothing is collected but aggregates. Equivalence classes are a ``groupBy`` on the
quasi-identifiers, and only the histogram of their sizes reaches the driver, which feeds
``class_risk`` (k, uniqueness, prosecutor / journalist / marketer risk, Zayatz) as the
single-process path does. Each sensitive attribute's (class, value) counts are grouped
by class on the executors, which build the same ``ClassValues`` for their classes and
return a ``DiversityPart`` (l distinct / entropy / recursive, t); the parts combine.
The linkage attack is a join of the released rows with the raw file rebuilt the way the
policy says (``rebuilds``), counting released rows that match exactly one raw row, their
own. Values are read as the one-process reader reads them, so both engines group the
same strings.

The checks on values (residual identifiers, mask shapes, raw leakage, token reversal)
need the values themselves and are not run here: the level is then ``risk-measured``
(or ``identifiable`` when the risk alone shows it), never de-identified or anonymised
(``review pii scan --engine spark`` finds residual identifiers at scale).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from review.core.config import SparkConfig
from review.core.errors import InputError
from review.scanners.datafiles.spark import (
    ROW,
    SparkSource,
    Strings,
    as_strings,
    column_name,
    parse_source,
    read,
    spark_inputs,
    spark_session,
)
from review.scanners.desensitisation.checks import DatasetInput, check_risk
from review.scanners.desensitisation.config import ColumnPolicy, DatasetConfig, Thresholds
from review.scanners.desensitisation.hierarchy import resolve
from review.scanners.desensitisation.missing import MISSING
from review.scanners.desensitisation.risk import (
    FLAGGED_ROWS,
    ClassValues,
    Coded,
    Diversity,
    DiversityPart,
    Flagged,
    RiskReport,
    Sensitive,
    SizeHistogram,
    class_risk,
    code_sensitive,
)
from review.scanners.desensitisation.service import DatasetSpec
from review.scanners.desensitisation.table import Table
from review.scanners.desensitisation.verify import Verification, conclude, linkable, rebuilds

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_SUPPRESSED = "__review_suppressed"
_COUNT = "__review_count"


@dataclass(frozen=True)
class SparkDataset:
    """One dataset for the Spark engine: its Spark sources and its file-level spec (row
    key, policy, thresholds, population)."""

    masked: str
    raw: str | None
    spec: DatasetSpec

    @classmethod
    def from_config(cls, dataset: DatasetConfig) -> SparkDataset:
        masked = dataset.masked_source or str(dataset.masked)
        return cls(masked, dataset_raw(dataset), DatasetSpec.from_config(dataset))


def dataset_raw(dataset: DatasetConfig) -> str | None:
    """Where a configured dataset's raw original is for Spark, if it has one."""
    if dataset.raw_source is not None:
        return dataset.raw_source
    return None if dataset.raw is None else str(dataset.raw)


@dataclass(frozen=True)
class SparkRisk(RiskReport):
    """A RiskReport whose records stay on Spark: flagged rows are asked of Spark."""

    flag: Callable[[Callable[[Any], Any]], Flagged] = field(
        default=lambda predicate: Flagged(0, ()), repr=False
    )

    def record_sizes(self) -> Any:
        raise NotImplementedError("the records' class sizes stay on the Spark executors")

    def below_k(self, k: int, row_numbers: Sequence[int]) -> Flagged:
        return self.flag(lambda sizes: (sizes < k) & (sizes > 0))

    def above_risk(self, limit: float, row_numbers: Sequence[int]) -> Flagged:
        return self.flag(lambda sizes: (sizes > 0) & (1.0 / np.maximum(sizes, 1) > limit))


def _stars(values: pa.Array) -> pa.Array:
    """Which values are '*' once trimmed, as the single-process path tests them."""
    import pyarrow.compute as pc

    return pc.equal(pc.utf8_trim_whitespace(values), "*")


@dataclass(frozen=True)
class MarkSuppressed:
    """Executor side: a column saying whether every quasi-identifier of a record is '*'."""

    quasi: tuple[str, ...]

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            starred = None
            for name in self.quasi:
                stars = _stars(batch.column(batch.schema.get_field_index(name)))
                starred = stars if starred is None else _and(starred, stars)
            if starred is None:
                starred = pa.array([False] * batch.num_rows)
            yield batch.append_column(_SUPPRESSED, starred)


def _and(left: pa.Array, right: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    return pc.and_(left, right)


@dataclass(frozen=True)
class Attribute:
    """One sensitive attribute as the diversity job needs it: its column and coding."""

    value: str
    codes: Mapping[str, int]
    sensitive: Sensitive
    coded: Coded
    overall: Any


@dataclass(frozen=True)
class DiversityJob:
    """Executor side: the (class, values..., count) rows of whole classes -> each sensitive
    attribute's l and t part over them (one row per attribute, ``attribute`` its index)."""

    quasi: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    l_min: int
    t_max: float

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pairs: list[Counter[tuple[tuple[str, ...], int]]] = [Counter() for _ in self.attributes]
        for batch in batches:
            data = batch.to_pydict()
            keys = list(zip(*(data[q] for q in self.quasi), strict=True))
            counts = data[_COUNT]
            for attribute, counted in zip(self.attributes, pairs, strict=True):
                codes = attribute.codes
                for key, value, count in zip(keys, data[attribute.value], counts, strict=True):
                    counted[key, codes[value]] += int(count)
        parts = [self._part(a, counted) for a, counted in zip(self.attributes, pairs, strict=True)]
        columns: dict[str, list[Any]] = {"attribute": list(range(len(parts)))}
        for name in _PART_FIELDS:
            columns[name] = [getattr(part, name) for part in parts]
        yield pa.RecordBatch.from_pydict(columns)

    def _part(
        self, attribute: Attribute, counted: Counter[tuple[tuple[str, ...], int]]
    ) -> DiversityPart:
        if not counted:
            return DiversityPart(0, 0, 0.0, 0.0, 0.0, 0, 0)
        # As ClassValues.build orders the pairs: by class, then by value code.
        rows = sorted(counted.items())
        index: dict[tuple[str, ...], int] = {}
        pair_class = np.array([index.setdefault(k, len(index)) for (k, _), _ in rows], np.int64)
        pair_value = np.array([c for (_, c), _ in rows], np.int64)
        pair_count = np.array([n for _, n in rows], np.int64)
        sizes = np.bincount(pair_class, weights=pair_count, minlength=len(index)).astype(np.int64)
        table = ClassValues(
            len(index), sizes, pair_class, pair_value, pair_count, attribute.overall
        )
        return DiversityPart.of(table, attribute.sensitive, attribute.coded, self.l_min, self.t_max)


_PART_FIELDS = (
    "classes",
    "l_distinct",
    "entropy",
    "c_needed",
    "t",
    "classes_below_l",
    "classes_above_t",
)
_PART_SCHEMA = (
    "attribute long, classes long, l_distinct long, entropy double, c_needed double, t double, "
    "classes_below_l long, classes_above_t long"
)


@dataclass(frozen=True)
class Rebuild:
    """Executor side: raw quasi-identifiers rebuilt every way the policy allows."""

    columns: tuple[tuple[str, tuple[Callable[[str], str], ...]], ...]
    """(column, its rebuilds); output column ``rebuilt_name(i, j)`` per rebuild."""

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for i, (column, ways) in enumerate(self.columns):
                values = batch.column(batch.schema.get_field_index(column)).to_pylist()
                for j, way in enumerate(ways):
                    rebuilt = pa.array([way(v) for v in values], pa.string())
                    batch = batch.append_column(rebuilt_name(i, j), rebuilt)
            yield batch


def rebuilt_name(column: int, way: int) -> str:
    return f"__review_rebuilt_{column}_{way}"


class SparkVerifier:
    """Verifies datasets' re-identification risk on Spark."""

    def __init__(self, config: SparkConfig, *, base: Path, progress: bool = False) -> None:
        self.config = config
        self.base = base
        self.spark = spark_session(config, progress=progress)
        self.inputs: tuple[str, ...] = ()
        """Local files read so far (the evidence manifest hashes them)."""

    def _open(self, spec: str) -> tuple[SparkSource, DataFrame, list[str]]:
        source = parse_source(spec, self.base)
        self.inputs += spark_inputs([source], self.base)
        frame = read(self.spark, source, self.config.options)
        if source.reading != "columns":
            raise InputError(
                source.shown,
                "the Spark engine checks desensitised tables in Parquet, ORC, CSV or a "
                "catalog table",
            )
        return source, frame, _flat_names(frame.schema)

    def verify(self, dataset: SparkDataset) -> Verification:
        """The risk figures, linkage and verdict of one dataset."""
        policy = dataset.spec.policy
        source, frame, columns = self._open(dataset.masked)
        for name in sorted(policy):
            if name not in columns and policy[name].action != "drop":
                raise InputError(
                    source.shown, f"column {name!r} named in the policy is not in the file"
                )
        quasi = [n for n in sorted(policy) if policy[n].role == "quasi" and n in columns]
        sensitive = [n for n in sorted(policy) if policy[n].role == "sensitive" and n in columns]
        key = [dataset.spec.key] if dataset.spec.key else []
        wanted = list(dict.fromkeys([*quasi, *sensitive, *key]))
        wanted = [w for w in wanted if w in columns]
        masked = as_strings(source, frame, wanted)
        try:
            if masked.rows == 0:
                raise InputError(source.shown, "no data rows")
            risk = None
            if quasi:
                risk = self._risk(dataset, source, masked, wanted, quasi, sensitive)
            rate: float | None = None
            linked: tuple[str, ...] = ()
            raw_shown = None
            if dataset.raw is not None:
                link = self._linkage(dataset, source, masked, wanted, columns, risk is not None)
                raw_shown, rate, linked = link
        finally:
            masked.release()
        stub = Table(source.shown, tuple(columns), {c: [] for c in columns}, ())
        inp = DatasetInput(
            masked=stub,
            policy=policy,
            thresholds=dataset.spec.thresholds,
            risk=risk,
            linkage_rate=rate,
            linkage_columns=linked,
        )
        return conclude(
            check_risk(inp),
            inp,
            shown=source.shown,
            raw_shown=raw_shown,
            rows=masked.rows,
            tokens={},
            values_checked=False,
        )

    def _risk(
        self,
        dataset: SparkDataset,
        source: SparkSource,
        masked: Strings,
        wanted: list[str],
        quasi: list[str],
        sensitive: list[str],
    ) -> SparkRisk:
        from pyspark.sql import functions as F
        from pyspark.sql.types import BooleanType, StructField, StructType

        limits = dataset.spec.thresholds
        names = {name: column_name(wanted.index(name)) for name in wanted}
        q = [names[n] for n in quasi]
        frame = masked.frame
        schema = StructType([*frame.schema.fields, StructField(_SUPPRESSED, BooleanType())])
        marked = frame.mapInArrow(MarkSuppressed(tuple(q)), schema)
        kept = marked.where(~F.col(_SUPPRESSED)).drop(_SUPPRESSED)
        classes = kept.groupBy(*q).agg(F.count(F.lit(1)).alias(_COUNT))
        found = sorted(classes.groupBy(_COUNT).count().collect(), key=lambda r: int(r[_COUNT]))
        histogram = SizeHistogram(
            np.array([int(r[_COUNT]) for r in found], np.int64),
            np.array([int(r["count"]) for r in found], np.int64),
        )
        assessed = int(histogram.records.sum())
        population = dataset.spec.population_for(masked.rows)
        sizes = class_risk(histogram, assessed, limits.risk_limit, population)
        diversity = self._diversity(
            source, dataset.spec.policy, sensitive, names, marked, kept, q, limits, masked.rows
        )

        def flag(predicate: Callable[[Any], Any]) -> Flagged:
            chosen = predicate(histogram.sizes)
            count = int(histogram.records[chosen].sum())
            if not count:
                return Flagged(0, ())
            small = classes.where(F.col(_COUNT).isin([int(s) for s in histogram.sizes[chosen]]))
            first = kept.join(small, q).select(ROW).orderBy(ROW).limit(FLAGGED_ROWS)
            return Flagged(count, tuple(int(r[ROW]) for r in first.collect()))

        return SparkRisk(
            records=masked.rows,
            suppressed=masked.rows - assessed,
            classes=sizes.classes,
            k=sizes.k,
            unique_share=sizes.unique_share,
            prosecutor=sizes.prosecutor,
            journalist=sizes.journalist,
            marketer_average=sizes.marketer_average,
            population=None if population is None else population.size,
            population_uniqueness=sizes.population_uniqueness,
            diversity=diversity,
            class_ids=np.zeros(0, np.int64),
            class_sizes=np.zeros(0, np.int64),
            kept=np.zeros(0, np.bool_),
            flag=flag,
        )

    def _diversity(
        self,
        source: SparkSource,
        policy: Mapping[str, ColumnPolicy],
        sensitive: list[str],
        names: Mapping[str, str],
        marked: DataFrame,
        kept: DataFrame,
        quasi: list[str],
        limits: Thresholds,
        rows: int,
    ) -> tuple[Diversity, ...]:
        """Every sensitive attribute's l and t: two Spark jobs for all of them."""
        from pyspark.sql import functions as F

        if not sensitive:
            return ()
        columns = [names[n] for n in sensitive]
        # Every record's values (suppressed ones too: the whole table's distribution), in
        # the order the single-process path codes them: first seen first. One pass over
        # the records gives every attribute's values: (attribute, value) pairs.
        stacked = marked.select(
            ROW,
            F.explode(
                F.array(
                    *(
                        F.struct(F.lit(i).alias("a"), F.col(c).alias("v"))
                        for i, c in enumerate(columns)
                    )
                )
            ).alias("p"),
        )
        counted = stacked.groupBy(F.col("p.a").alias("a"), F.col("p.v").alias("v")).agg(
            F.count(F.lit(1)).alias(_COUNT), F.min(ROW).alias("__review_first")
        )
        found = sorted(counted.collect(), key=lambda r: (int(r["a"]), int(r["__review_first"])))
        attributes = []
        for index, name in enumerate(sensitive):
            mine = [r for r in found if int(r["a"]) == index]
            attributes.append(
                self._attribute(source, name, columns[index], policy[name], mine, rows)
            )
        # Each class's value counts of every attribute from one grouping of the records.
        pairs = kept.groupBy(*quasi, *columns).agg(F.count(F.lit(1)).alias(_COUNT))
        job = DiversityJob(tuple(quasi), tuple(a for a, _ in attributes), limits.l, limits.t)
        totals = [DiversityPart(0, 0, 0.0, 0.0, 0.0, 0, 0) for _ in sensitive]
        for row in pairs.repartition(*quasi).mapInArrow(job, _PART_SCHEMA).collect():
            part = row.asDict()
            index = int(part.pop("attribute"))
            totals[index] = totals[index].merge(DiversityPart(**part))
        return tuple(
            total.diversity(name, spec.distance())
            for total, name, (_, spec) in zip(totals, sensitive, attributes, strict=True)
        )

    @staticmethod
    def _attribute(
        source: SparkSource,
        name: str,
        column: str,
        rule: ColumnPolicy,
        found: list[Any],
        rows: int,
    ) -> tuple[Attribute, Sensitive]:
        """A sensitive attribute's coding from its values (first seen first) and counts."""
        values = [str(r["v"]) for r in found]
        if rule.order is not None:
            allowed = set(rule.order) | MISSING
            if any(v.strip() not in allowed for v in values):
                raise InputError(
                    source.shown, f"column {name!r} has values outside its declared order"
                )
        hierarchy = resolve(rule.hierarchy) if rule.hierarchy else None
        probe = Sensitive(values, order=rule.order, hierarchy=hierarchy)
        spec = Sensitive(values, order=rule.order, hierarchy=hierarchy, numeric=probe.is_numeric())
        coded = code_sensitive(spec)
        codes = dict(zip(values, coded.codes.tolist(), strict=True))
        counts = np.array([int(r[_COUNT]) for r in found], np.float64)
        totals = np.bincount(coded.codes, weights=counts, minlength=max(coded.width, 1))
        overall = totals / max(rows, 1)
        return Attribute(column, codes, spec, coded, overall), spec

    def _linkage(
        self,
        dataset: SparkDataset,
        source: SparkSource,
        masked: Strings,
        wanted: list[str],
        columns: list[str],
        measure: bool,
    ) -> tuple[str, float | None, tuple[str, ...]]:
        """Match the raw rows (``table.align``), then ``verify._linkage`` as joins."""
        from pyspark.sql import functions as F
        from pyspark.sql.types import StringType, StructField, StructType
        from pyspark.sql.window import Window

        assert dataset.raw is not None
        policy, key = dataset.spec.policy, dataset.spec.key
        raw_source, raw_frame, raw_columns = self._open(dataset.raw)
        candidates = [
            n
            for n in sorted(policy)
            if policy[n].role == "quasi" and n in raw_columns and n in columns
        ]
        if key is not None:
            for shown, names in ((source.shown, columns), (raw_source.shown, raw_columns)):
                if key not in names:
                    raise InputError(shown, f"key column {key!r} not found")
        raw_wanted = [*candidates, *([key] if key is not None and key not in candidates else [])]
        raw = as_strings(raw_source, raw_frame, raw_wanted)
        try:
            if raw.rows == 0:
                raise InputError(raw_source.shown, "no data rows")
            named = {n: column_name(wanted.index(n)) for n in wanted}
            raw_named = {n: column_name(raw_wanted.index(n)) for n in raw_wanted}
            # Column names may hold dots (nested fields): the joins use positional ones.
            mine = {n: f"__m{i}" for i, n in enumerate(wanted)}
            theirs = {n: f"__r{i}" for i, n in enumerate(raw_wanted)}
            m = masked.frame.select(
                F.col(ROW).alias("__m_row"), *(F.col(named[n]).alias(mine[n]) for n in wanted)
            )
            r = raw.frame.select(
                F.col(ROW).alias("__r_row"),
                *(F.col(raw_named[n]).alias(theirs[n]) for n in raw_wanted),
            )
            if key is None:
                if masked.rows != raw.rows:
                    raise InputError(
                        source.shown,
                        f"has {masked.rows} rows but the raw file {raw_source.shown} has "
                        f"{raw.rows}; give a key column to match rows",
                    )
                pairs = m.select("__m_row", F.col("__m_row").alias("__r_row"))
            else:
                order = Window.partitionBy(theirs[key]).orderBy("__r_row")
                repeated = (
                    r.withColumn("__n", F.row_number().over(order))
                    .where(F.col("__n") == 2)
                    .agg(F.min("__r_row"))
                    .collect()[0][0]
                )
                if repeated is not None:
                    raise InputError(
                        raw_source.shown, f"row {repeated}: key column {key!r} repeats a value"
                    )
                pairs = m.join(r, m[mine[key]] == r[theirs[key]], "left").select(
                    "__m_row", "__r_row"
                )
                unmatched = pairs.where(F.col("__r_row").isNull()).agg(F.min("__m_row"))
                missing = unmatched.collect()[0][0]
                if missing is not None:
                    raise InputError(
                        source.shown, f"row {missing}: key column {key!r} matches no raw row"
                    )
            if not measure or not candidates:
                return raw_source.shown, (0.0 if measure else None), ()
            ways = tuple((raw_named[n], rebuilds(policy[n])) for n in candidates)
            schema = StructType(
                [
                    *raw.frame.schema.fields,
                    *(
                        StructField(rebuilt_name(i, j), StringType())
                        for i, (_, found) in enumerate(ways)
                        for j in range(len(found))
                    ),
                ]
            )
            rebuilt = raw.frame.mapInArrow(Rebuild(ways), schema).withColumnRenamed(ROW, "__r_row")
            joined = pairs.join(m, "__m_row").join(rebuilt, "__r_row")
            checks = [
                F.sum(F.when(F.col(rebuilt_name(i, j)) == F.col(mine[n]), 1).otherwise(0))
                for i, n in enumerate(candidates)
                for j in range(len(ways[i][1]))
            ]
            agreement = joined.agg(*checks).collect()[0] if checks else []
            chosen: dict[str, str] = {}
            position = 0
            for i, n in enumerate(candidates):
                count = len(ways[i][1])
                agreements = [int(a or 0) for a in agreement[position : position + count]]
                position += count
                best = linkable(masked.rows, agreements)
                if best is not None:
                    chosen[n] = rebuilt_name(i, best)
            if not chosen:
                return raw_source.shown, 0.0, ()
            link = sorted(chosen)
            raw_classes = rebuilt.groupBy(*(chosen[n] for n in link)).agg(
                F.count(F.lit(1)).alias("__raw_count"), F.min("__r_row").alias("__owner")
            )
            condition = [F.col(mine[n]) == raw_classes[chosen[n]] for n in link]
            matched = pairs.join(m, "__m_row").join(raw_classes, condition)
            hits = matched.where(
                (F.col("__raw_count") == 1) & (F.col("__owner") == F.col("__r_row"))
            ).count()
            return raw_source.shown, hits / masked.rows, tuple(link)
        finally:
            raw.release()


def _flat_names(schema: Any, prefix: str = "") -> list[str]:
    names = []
    for field_ in schema.fields:
        name = f"{prefix}.{field_.name}" if prefix else field_.name
        if field_.dataType.typeName() == "struct":
            names += _flat_names(field_.dataType, name)
        else:
            names.append(name)
    return names

"""Re-identification risk over quasi-identifiers: k-anonymity, l-diversity, t-closeness.

Pure functions over columnar batches: columns are factorised to integer codes (pyarrow's
dictionary encoding) and combined into one class id per record, so every metric is a
handful of vectorised numpy passes with memory linear in the number of records.

Definitions follow the literature and the tools that implement them:

- A record whose every quasi-identifier is ``*`` is suppressed, as ARX writes it; like
  ARX, suppressed records are left out of the equivalence classes and of every risk
  figure, and the suppression rate is reported.
- Prosecutor risk of a record is 1 / (size of its class); the highest is 1 / k, the
  average classes / records (ARX's sample risks).
- l-diversity: distinct, entropy (exp of the smallest class entropy) and recursive
  (c, l) (Machanavajjhala et al. 2007: in every class the most frequent value occurs
  fewer than c times the values from the l-th most frequent on).
- t-closeness (Li et al. 2007): the earth mover's distance between a class's
  distribution of the sensitive attribute and the whole table's, with the equal ground
  distance for categories, the ordered distance for numeric and ordinal attributes, and
  the hierarchical distance when a hierarchy of the attribute is given.
- With a population size, journalist and marketer risk use the population class sizes
  the sample implies, and the share of population-unique records is estimated with
  Zayatz's model (1991) as ARX does; without one both are the sample's upper bounds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from review.core.masking import MASK_CHAR
from review.scanners.desensitisation.details import RiskModelRecord
from review.scanners.desensitisation.hierarchy import Hierarchy

Codes = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Column: TypeAlias = Sequence[str] | pa.Array | pa.ChunkedArray


def as_array(values: Column) -> pa.Array:
    """A column as an Arrow string array (no copy when it already is one)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.string() else values.cast(pa.string())
    return pa.array(values, type=pa.string())


def factorise(values: Column) -> tuple[Codes, int]:
    """Integer codes 0..n-1 for the distinct values (in first-seen order) and n."""
    encoded = pc.dictionary_encode(as_array(values))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return codes, len(encoded.dictionary)


def combine(columns: Sequence[tuple[Codes, int]], rows: int) -> tuple[Codes, Codes]:
    """One class id per record over several coded columns, and each class's size."""
    if not columns:
        # No quasi-identifier: every record is in one class.
        return np.zeros(rows, dtype=np.int64), np.array([rows] if rows else [], dtype=np.int64)
    combined = np.zeros(rows, dtype=np.int64)
    radix = 1
    for codes, cardinality in columns:
        width = max(cardinality, 1)
        if radix * width >= 2**62:
            # Re-number before the mixed-radix product could overflow int64.
            _, combined = np.unique(combined, return_inverse=True)
            radix = int(combined.max()) + 1 if rows else 1
        combined *= width
        combined += codes
        radix *= width
    _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    del combined
    return inverse.astype(np.int64, copy=False).reshape(-1), counts.astype(np.int64)


@dataclass(frozen=True)
class Sensitive:
    """A sensitive attribute: its values and what tells how far apart two values are."""

    values: Column
    order: Sequence[str] | None = None  # ordinal values, lowest first: ordered distance
    hierarchy: Hierarchy | None = None  # hierarchical distance
    numeric: bool | None = None  # None: numeric when every value is a number

    def distance(self) -> str:
        """``hierarchical``, ``ordered`` or ``equal`` (Li et al. 2007)."""
        if self.hierarchy is not None:
            return "hierarchical"
        if self.order is not None or self.is_numeric():
            return "ordered"
        return "equal"

    def is_numeric(self) -> bool:
        return self.numeric if self.numeric is not None else self._all_numbers

    @cached_property
    def _all_numbers(self) -> bool:
        return numbers(self.values) is not None


def numbers(values: Column) -> Floats | None:
    """The column as floats, or None when some value is not a number."""
    array = as_array(values)
    if len(array) == 0:
        return None
    # A cheap look at the head first: a text column fails here, not after a full cast.
    for value in array.slice(0, 1000).to_pylist():
        try:
            float(value)
        except (TypeError, ValueError):
            return None
    try:
        floats = pc.cast(pc.utf8_trim_whitespace(array), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if floats.null_count:
        return None
    result: Floats = floats.to_numpy(zero_copy_only=False)
    return result


@dataclass(frozen=True)
class Coded:
    """A sensitive attribute coded per record, with the codes ranked for its distance."""

    codes: Codes  # per record, 0..width-1; for ordered distance the code is the rank
    width: int
    labels: tuple[str, ...]  # the value of each code


def code_sensitive(spec: Sensitive) -> Coded:
    """Codes for the attribute: ranks in order for ordered distance, else first-seen."""
    array = as_array(spec.values)
    if spec.order is not None:
        rank = {value: i for i, value in enumerate(spec.order)}
        distinct = pc.unique(array).to_pylist()
        unknown = [v for v in distinct if v not in rank]
        if unknown:
            raise ValueError(f"{len(unknown)} values are not in the declared order")
        labels = tuple(spec.order)
        lookup = pa.array(list(spec.order), type=pa.string())
        codes = pc.index_in(array, value_set=lookup).to_numpy(zero_copy_only=False)
        return Coded(codes.astype(np.int64), len(labels), labels)
    if spec.hierarchy is None and spec.is_numeric():
        floats = numbers(array)
        assert floats is not None
        uniques, inverse = np.unique(floats, return_inverse=True)
        labels = tuple(_number_label(u) for u in uniques.tolist())
        return Coded(inverse.astype(np.int64).reshape(-1), len(uniques), labels)
    encoded = pc.dictionary_encode(array)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return Coded(codes, len(encoded.dictionary), tuple(encoded.dictionary.to_pylist()))


def _number_label(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


@dataclass(frozen=True)
class ClassValues:
    """The (class, value) pairs of one sensitive attribute and their counts."""

    classes: int
    sizes: Codes  # records per class
    pair_class: Codes
    pair_value: Codes
    pair_count: Codes
    overall: Floats  # share of each value over all records

    @classmethod
    def build(cls, class_ids: Codes, sizes: Codes, coded: Coded, kept: Mask | None) -> ClassValues:
        width = max(coded.width, 1)
        codes = coded.codes if kept is None else coded.codes[kept]
        pairs, counts = np.unique(class_ids * width + codes, return_counts=True)
        overall = np.bincount(coded.codes, minlength=width) / max(len(coded.codes), 1)
        return cls(
            classes=len(sizes),
            sizes=sizes,
            pair_class=pairs // width,
            pair_value=pairs % width,
            pair_count=counts.astype(np.int64),
            overall=overall.astype(np.float64),
        )

    def share(self) -> Floats:
        """Each pair's share of its class."""
        shares: Floats = self.pair_count / self.sizes[self.pair_class]
        return shares

    def distinct(self) -> Codes:
        """Distinct values per class."""
        return np.bincount(self.pair_class, minlength=self.classes).astype(np.int64)

    def entropy(self) -> Floats:
        """Shannon entropy (natural log) of each class's values."""
        p = self.share()
        weighted = np.bincount(self.pair_class, weights=p * np.log(p), minlength=self.classes)
        return -weighted.astype(np.float64)

    def recursive_ratio(self, l_min: int) -> Floats:
        """Per class, r1 / (r_l + ... + r_m): (c, l)-diversity holds when it is below c."""
        order = np.lexsort((-self.pair_count, self.pair_class))
        counts = self.pair_count[order]
        owner = self.pair_class[order]
        starts = np.searchsorted(owner, np.arange(self.classes))
        rank = np.arange(len(owner)) - starts[owner]
        top = np.zeros(self.classes, dtype=np.float64)
        top[owner[rank == 0]] = counts[rank == 0]
        tail = np.bincount(
            owner, weights=np.where(rank >= l_min - 1, counts, 0), minlength=self.classes
        )
        with np.errstate(divide="ignore"):
            ratio: Floats = np.where(tail > 0, top / np.where(tail > 0, tail, 1), np.inf)
        return ratio

    def equal_distance(self) -> Floats:
        """Per class: total variation distance to the whole table (equal ground distance)."""
        p_class = self.share()
        p_all = self.overall[self.pair_value]
        # sum over all values of |q - p| = 1 + sum over present values (|q - p| - p)
        present = np.bincount(
            self.pair_class, weights=np.abs(p_class - p_all) - p_all, minlength=self.classes
        )
        distance: Floats = np.maximum(0.5 * (1.0 + present), 0.0)
        return distance

    def ordered_distance(self) -> Floats:
        """Per class: EMD with ordered distance |i - j| / (m - 1) over ranked values.

        EMD = sum over ranks of |Q(i) - P(i)| / (m - 1), with Q and P the class's and the
        table's cumulative distributions. Q is constant between the ranks present in a
        class, and P is non-decreasing, so each constant stretch is summed in closed form
        with a prefix sum of P and a binary search: no classes x values matrix.
        """
        m = len(self.overall)
        if m <= 1:
            return np.zeros(self.classes, dtype=np.float64)
        p_cum = np.cumsum(self.overall)
        p_cum[-1] = 1.0
        prefix = np.concatenate(([0.0], np.cumsum(p_cum)))
        q_cum = np.cumsum(self.share())
        starts = np.searchsorted(self.pair_class, np.arange(self.classes))
        before = np.concatenate(([0.0], q_cum))[starts]  # cumulated share of earlier classes
        q = q_cum - before[self.pair_class]
        low = self.pair_value
        same_next = np.append(self.pair_class[1:] == self.pair_class[:-1], False)
        high = np.where(same_next, np.append(self.pair_value[1:], m), m)
        split = np.clip(np.searchsorted(p_cum, q, side="left"), low, high)
        stretch = (
            q * (split - low)
            - (prefix[split] - prefix[low])
            + (prefix[high] - prefix[split])
            - q * (high - split)
        )
        # Ranks before a class's first value: Q = 0 there, so the sum is of P alone.
        first = self.pair_value[starts[starts < len(low)]]
        head = np.zeros(self.classes, dtype=np.float64)
        head[self.pair_class[starts[starts < len(low)]]] = prefix[first]
        total = np.bincount(self.pair_class, weights=stretch, minlength=self.classes) + head
        result: Floats = np.maximum(total, 0.0) / (m - 1)
        return result


def hierarchical_distance(
    table: ClassValues, labels: Sequence[str], hierarchy: Hierarchy
) -> Floats:
    """Per class: EMD with the hierarchical ground distance of Li et al. (2007).

    Extra mass moves up the tree: a node at height h costs h / H times the mass that must
    cross it, min(positive extra, negative extra) of its children. Classes are taken in
    chunks so the classes x values matrix stays small.
    """
    height = max(hierarchy.height, 1)
    paths = [hierarchy.path(label) for label in labels]
    # node_of[h][leaf]: index of the leaf's ancestor at height h.
    node_of: list[Codes] = []
    for level in range(height + 1):
        names = [path[level] if level < len(path) else MASK_CHAR for path in paths]
        index = {name: i for i, name in enumerate(dict.fromkeys(names))}
        node_of.append(np.array([index[name] for name in names], dtype=np.int64))
    result = np.zeros(table.classes, dtype=np.float64)
    share = table.share()
    width = max(len(labels), 1)
    step = max(1, 2_000_000 // width)
    for start in range(0, table.classes, step):
        stop = min(start + step, table.classes)
        chosen = (table.pair_class >= start) & (table.pair_class < stop)
        q = np.zeros((stop - start, width), dtype=np.float64)
        q[table.pair_class[chosen] - start, table.pair_value[chosen]] = share[chosen]
        extra = q - table.overall[None, :]  # per (class, node at the level below)
        below = node_of[0]
        for level in range(1, height + 1):
            parent = np.zeros(int(below.max()) + 1, dtype=np.int64)
            parent[below] = node_of[level]
            nodes = int(node_of[level].max()) + 1
            positive = np.zeros((stop - start, nodes))
            negative = np.zeros((stop - start, nodes))
            merged = np.zeros((stop - start, nodes))
            for child in range(extra.shape[1]):
                column = extra[:, child]
                positive[:, parent[child]] += np.maximum(column, 0.0)
                negative[:, parent[child]] -= np.minimum(column, 0.0)
                merged[:, parent[child]] += column
            result[start:stop] += np.minimum(positive, negative).sum(axis=1) * level / height
            extra, below = merged, node_of[level]
    return result


@dataclass(frozen=True)
class Diversity:
    """l-diversity and t-closeness of one sensitive attribute over the kept records."""

    column: str
    distance: str
    l_distinct: int
    l_entropy: float
    c_needed: float  # smallest c for recursive (c, l_min)-diversity (inf: fewer than l values)
    t: float
    classes_below_l: int
    classes_above_t: int


@dataclass(frozen=True)
class DiversityPart:
    """l and t figures over some equivalence classes of one attribute.

    Parts over disjoint sets of classes combine (``merge``) into the figures over all of
    them: the Spark engine computes one part per partition of classes."""

    classes: int
    l_distinct: int  # fewest distinct values in a class
    entropy: float  # smallest class entropy
    c_needed: float  # largest recursive (c, l) ratio
    t: float  # largest class distance
    classes_below_l: int
    classes_above_t: int

    @classmethod
    def of(
        cls, table: ClassValues, sensitive: Sensitive, coded: Coded, l_min: int, t_max: float
    ) -> DiversityPart:
        closeness = per_class_closeness(table, sensitive, coded)
        if table.classes == 0:
            return cls(0, 0, 0.0, 0.0, 0.0, 0, 0)
        distinct = table.distinct()
        return cls(
            classes=table.classes,
            l_distinct=int(distinct.min()),
            entropy=float(table.entropy().min()),
            c_needed=float(table.recursive_ratio(l_min).max()),
            t=float(closeness.max()),
            classes_below_l=int((distinct < l_min).sum()),
            classes_above_t=int((closeness > t_max).sum()),
        )

    def merge(self, other: DiversityPart) -> DiversityPart:
        if not other.classes or not self.classes:
            return self if self.classes else other
        return DiversityPart(
            classes=self.classes + other.classes,
            l_distinct=min(self.l_distinct, other.l_distinct),
            entropy=min(self.entropy, other.entropy),
            c_needed=max(self.c_needed, other.c_needed),
            t=max(self.t, other.t),
            classes_below_l=self.classes_below_l + other.classes_below_l,
            classes_above_t=self.classes_above_t + other.classes_above_t,
        )

    def diversity(self, column: str, distance: str) -> Diversity:
        if not self.classes:
            return Diversity(column, distance, 0, 0.0, 0.0, 0.0, 0, 0)
        return Diversity(
            column=column,
            distance=distance,
            l_distinct=self.l_distinct,
            l_entropy=float(math.exp(self.entropy)),
            c_needed=self.c_needed,
            t=self.t,
            classes_below_l=self.classes_below_l,
            classes_above_t=self.classes_above_t,
        )


def diversity(
    column: str,
    class_ids: Codes,
    class_sizes: Codes,
    sensitive: Sensitive,
    *,
    l_min: int = 2,
    t_max: float = 1.0,
    kept: Mask | None = None,
) -> Diversity:
    """l-diversity (distinct, entropy, recursive) and t-closeness of one attribute."""
    coded = code_sensitive(sensitive)
    table = ClassValues.build(class_ids, class_sizes, coded, kept)
    part = DiversityPart.of(table, sensitive, coded, l_min, t_max)
    return part.diversity(column, sensitive.distance())


def per_class_closeness(table: ClassValues, sensitive: Sensitive, coded: Coded) -> Floats:
    """Each class's t under the attribute's distance."""
    kind = sensitive.distance()
    if kind == "hierarchical":
        assert sensitive.hierarchy is not None
        return hierarchical_distance(table, coded.labels, sensitive.hierarchy)
    if kind == "ordered":
        return table.ordered_distance()
    return table.equal_distance()


@dataclass(frozen=True)
class RiskModel:
    """Record-level re-identification risk under one attacker model."""

    highest: float
    average: float
    records_at_risk: float

    def record(self) -> RiskModelRecord:
        return RiskModelRecord(
            highest=round(self.highest, 6),
            average=round(self.average, 6),
            records_at_risk=round(self.records_at_risk, 6),
        )


@dataclass(frozen=True)
class Population:
    """How many people the released records were drawn from."""

    size: int

    @classmethod
    def from_fraction(cls, records: int, fraction: float) -> Population:
        return cls(max(records, math.ceil(records / fraction)))


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _hypergeometric_one(population: int, successes: int, draws: int) -> float:
    """P(X = 1) for X ~ Hypergeometric(population, successes, draws)."""
    if successes < 1 or draws < 1 or draws - 1 > population - successes:
        return 0.0
    log_p = (
        math.log(successes)
        + _log_choose(population - successes, draws - 1)
        - _log_choose(population, draws)
    )
    return math.exp(log_p)


@dataclass(frozen=True)
class SizeHistogram:
    """Each distinct equivalence-class size (ascending) and how many classes have it: all
    that k, uniqueness and the risk models need of the classes (Spark sends only this)."""

    sizes: Codes
    classes: Codes

    @classmethod
    def of(cls, class_sizes: Codes) -> SizeHistogram:
        sizes, counts = np.unique(class_sizes, return_counts=True)
        return cls(sizes.astype(np.int64), counts.astype(np.int64))

    @property
    def records(self) -> Codes:
        """Records in classes of each size."""
        records: Codes = self.sizes * self.classes
        return records


def zayatz_uniqueness(sizes: Codes, population: int) -> float:
    """Estimated share of records unique in the population (Zayatz 1991, as in ARX)."""
    return zayatz(SizeHistogram.of(sizes), population)


def zayatz(histogram: SizeHistogram, population: int) -> float:
    """``zayatz_uniqueness`` from the class sizes' histogram."""
    sample = int(histogram.records.sum())
    classes = int(histogram.classes.sum())
    if sample == 0 or classes == 0:
        return 0.0
    population = max(population, sample)
    by_size = dict(zip(histogram.sizes.tolist(), histogram.classes.tolist(), strict=True))
    uniques = int(by_size.get(1, 0))
    if uniques == 0:
        return 0.0
    weighted = sum(
        (int(count) / classes) * _hypergeometric_one(population, size, sample)
        for size, count in by_size.items()
        if count and size
    )
    if weighted == 0.0:
        return 0.0
    conditional = (uniques / classes) * _hypergeometric_one(population, 1, sample) / weighted
    return min(1.0, uniques * conditional / sample)


@dataclass(frozen=True)
class Flagged:
    """Records a risk check flags: how many, and the row numbers of the first of them."""

    count: int
    rows: tuple[int, ...]


FLAGGED_ROWS = 10
"""How many row numbers a risk finding names."""


@dataclass(frozen=True)
class RiskReport:
    """Every risk figure of one dataset (over the records that are not suppressed)."""

    records: int  # all records
    suppressed: int  # records with '*' in every quasi-identifier (left out of the risk)
    classes: int
    k: int
    unique_share: float
    prosecutor: RiskModel
    journalist: RiskModel
    marketer_average: float
    population: int | None
    population_uniqueness: float | None
    diversity: tuple[Diversity, ...]
    class_ids: Codes  # per kept record
    class_sizes: Codes
    kept: Mask  # per record: not suppressed

    @property
    def assessed(self) -> int:
        return self.records - self.suppressed

    @property
    def suppression_rate(self) -> float:
        return self.suppressed / self.records if self.records else 0.0

    @property
    def l_distinct(self) -> int | None:
        return min((d.l_distinct for d in self.diversity), default=None)

    @property
    def l_entropy(self) -> float | None:
        return min((d.l_entropy for d in self.diversity), default=None)

    @property
    def c_needed(self) -> float | None:
        return max((d.c_needed for d in self.diversity), default=None)

    @property
    def t(self) -> float | None:
        return max((d.t for d in self.diversity), default=None)

    def record_sizes(self) -> Codes:
        """The equivalence-class size of every record (0 for suppressed records)."""
        sizes = np.zeros(self.records, dtype=np.int64)
        sizes[self.kept] = self.class_sizes[self.class_ids]
        return sizes

    def below_k(self, k: int, row_numbers: Sequence[int]) -> Flagged:
        """Records in classes smaller than ``k`` (suppressed ones are in none)."""
        sizes = self.record_sizes()
        return _flagged(((sizes < k) & (sizes > 0)).nonzero()[0], row_numbers)

    def above_risk(self, limit: float, row_numbers: Sequence[int]) -> Flagged:
        """Records whose prosecutor risk exceeds ``limit``."""
        sizes = self.record_sizes()
        return _flagged(
            ((sizes > 0) & (1.0 / np.maximum(sizes, 1) > limit)).nonzero()[0], row_numbers
        )


def _flagged(indices: Codes, row_numbers: Sequence[int]) -> Flagged:
    return Flagged(len(indices), tuple(row_numbers[int(i)] for i in indices[:FLAGGED_ROWS]))


def _risk(sizes: Floats, records: Codes, max_risk: float) -> RiskModel:
    """Risk figures from each distinct (sample or population) class size and its records."""
    rows = int(records.sum())
    if rows == 0:
        return RiskModel(0.0, 0.0, 0.0)
    return RiskModel(
        highest=1.0 / float(sizes.min()),
        average=float((records / sizes).sum()) / rows,
        records_at_risk=float(records[1.0 / sizes > max_risk].sum()) / rows,
    )


@dataclass(frozen=True)
class ClassRisk:
    """What the equivalence classes' sizes say: k, uniqueness and the risk models."""

    classes: int
    k: int
    unique_share: float
    prosecutor: RiskModel
    journalist: RiskModel
    marketer_average: float
    population_uniqueness: float | None


def class_risk(
    histogram: SizeHistogram, assessed: int, max_risk: float, population: Population | None
) -> ClassRisk:
    """k, uniqueness and the prosecutor, journalist and marketer models from class sizes."""
    classes = int(histogram.classes.sum())
    records = histogram.records
    sizes = histogram.sizes.astype(np.float64)
    prosecutor = _risk(sizes, records, max_risk)
    journalist, marketer, uniqueness = prosecutor, (classes / assessed if assessed else 0.0), None
    if population is not None and assessed:
        # Population class sizes the sample implies: F = f / sampling fraction (>= f).
        fraction = min(1.0, assessed / max(population.size, assessed))
        journalist = _risk(sizes / fraction, records, max_risk)
        marketer = classes * fraction / assessed
        uniqueness = zayatz(histogram, population.size)
    unique = int(records[histogram.sizes == 1].sum())
    return ClassRisk(
        classes=classes,
        k=int(histogram.sizes.min()) if classes else 0,
        unique_share=unique / assessed if assessed else 0.0,
        prosecutor=prosecutor,
        journalist=journalist,
        marketer_average=marketer,
        population_uniqueness=uniqueness,
    )


def assess(
    quasi: Mapping[str, Column],
    sensitive: Mapping[str, Sensitive],
    *,
    rows: int,
    l_min: int = 2,
    t_max: float = 1.0,
    max_risk: float = 0.2,
    population: Population | None = None,
) -> RiskReport:
    """All risk figures of a table given its quasi-identifier and sensitive columns."""
    # One pass per column: its codes, and which records show '*' there; each Arrow copy
    # of a column is dropped as soon as it is coded, so memory stays at the codes.
    coded: list[tuple[Codes, int]] = []
    starred: Mask | None = None
    for values in quasi.values():
        array = as_array(values)
        stars = pc.equal(pc.utf8_trim_whitespace(array), MASK_CHAR)
        column_stars = stars.to_numpy(zero_copy_only=False).astype(np.bool_)
        starred = column_stars if starred is None else starred & column_stars
        coded.append(factorise(array))
        del array, stars
    kept = ~starred if starred is not None else np.ones(rows, dtype=np.bool_)
    suppressed = int(rows - kept.sum())
    if suppressed:
        coded = [(codes[kept], width) for codes, width in coded]
    assessed = rows - suppressed
    class_ids, class_sizes = combine(coded, assessed)
    del coded
    risk = class_risk(SizeHistogram.of(class_sizes), assessed, max_risk, population)
    return RiskReport(
        records=rows,
        suppressed=suppressed,
        classes=risk.classes,
        k=risk.k,
        unique_share=risk.unique_share,
        prosecutor=risk.prosecutor,
        journalist=risk.journalist,
        marketer_average=risk.marketer_average,
        population=None if population is None else population.size,
        population_uniqueness=risk.population_uniqueness,
        diversity=tuple(
            diversity(
                name,
                class_ids,
                class_sizes,
                spec,
                l_min=l_min,
                t_max=t_max,
                kept=kept if suppressed else None,
            )
            for name, spec in sensitive.items()
        ),
        class_ids=class_ids,
        class_sizes=class_sizes,
        kept=kept,
    )


def linkage_rate(
    raw_quasi: Mapping[str, Sequence[str]],
    masked_quasi: Mapping[str, Sequence[str]],
    truth: Sequence[int | None],
) -> float:
    """Share of masked records an attacker holding the raw file re-identifies uniquely.

    ``raw_quasi`` holds the raw quasi-identifiers already generalised the way the policy
    says; a masked record is re-identified when exactly one raw record has its values
    and that record is its true original (``truth[i]``, the raw index or None).
    """
    masked_rows = len(truth)
    if masked_rows == 0:
        return 0.0
    raw_rows = len(next(iter(raw_quasi.values()))) if raw_quasi else 0
    if not raw_quasi or raw_rows == 0:
        return 0.0
    coded = [factorise([*raw_quasi[c], *masked_quasi[c]]) for c in sorted(raw_quasi)]
    ids, _ = combine(coded, raw_rows + masked_rows)
    raw_ids, masked_ids = ids[:raw_rows], ids[raw_rows:]
    raw_counts = np.bincount(raw_ids, minlength=int(ids.max()) + 1)
    # For classes with exactly one raw record, which raw record that is.
    owner = np.full(len(raw_counts), -1, dtype=np.int64)
    owner[raw_ids] = np.arange(raw_rows, dtype=np.int64)
    expected = np.array([-2 if t is None else t for t in truth], dtype=np.int64)
    hits = (raw_counts[masked_ids] == 1) & (owner[masked_ids] == expected)
    return float(hits.sum()) / masked_rows

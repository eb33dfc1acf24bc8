"""Re-identification risk over quasi-identifiers: k-anonymity, l-diversity, t-closeness.

Columns are factorised to integer codes (pyarrow's dictionary encoding) and combined
into one class id per record, so every metric is a handful of vectorised numpy passes
with memory linear in the number of records.

Risk models follow ARX: with the sample as its own population, a record's prosecutor
risk is 1 / (size of its equivalence class); the highest risk is 1 / k and the average
is classes / records. Without a population table the journalist risk equals the
prosecutor risk (an upper bound), and the marketer risk is classes / records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from review.scanners.desensitisation.details import RiskModelRecord

Codes = npt.NDArray[np.int64]


def factorise(values: Sequence[str] | pa.Array) -> tuple[Codes, int]:
    """Integer codes 0..n-1 for the distinct values (in first-seen order) and n."""
    array = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
    encoded = pc.dictionary_encode(array)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return codes, len(encoded.dictionary)


def combine(columns: Sequence[tuple[Codes, int]], rows: int) -> tuple[Codes, Codes]:
    """One class id per record over several coded columns, and each class's size."""
    if not columns:
        # No quasi-identifier: every record is in one class.
        return np.zeros(rows, dtype=np.int64), np.array([rows], dtype=np.int64)
    combined = np.zeros(rows, dtype=np.int64)
    radix = 1
    for codes, cardinality in columns:
        width = max(cardinality, 1)
        if radix * width >= 2**62:
            # Re-number before the mixed-radix product could overflow int64.
            _, combined = np.unique(combined, return_inverse=True)
            radix = int(combined.max()) + 1 if rows else 1
        combined = combined * width + codes
        radix *= width
    _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    return inverse.astype(np.int64, copy=False).reshape(-1), counts.astype(np.int64)


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
class Diversity:
    """l-diversity and t-closeness of one sensitive attribute."""

    column: str
    l_distinct: int
    l_entropy: float
    t: float
    classes_below_l: int


@dataclass(frozen=True)
class RiskReport:
    """Every risk figure of one dataset."""

    records: int
    classes: int
    k: int
    unique_share: float
    prosecutor: RiskModel
    journalist: RiskModel
    marketer_average: float
    diversity: tuple[Diversity, ...]
    class_ids: Codes
    class_sizes: Codes

    @property
    def l_distinct(self) -> int | None:
        return min((d.l_distinct for d in self.diversity), default=None)

    @property
    def l_entropy(self) -> float | None:
        return min((d.l_entropy for d in self.diversity), default=None)

    @property
    def t(self) -> float | None:
        return max((d.t for d in self.diversity), default=None)

    def record_sizes(self) -> Codes:
        """The equivalence-class size of every record."""
        sizes: Codes = self.class_sizes[self.class_ids]
        return sizes


def diversity(
    column: str, class_ids: Codes, class_sizes: Codes, sensitive: tuple[Codes, int], l_min: int
) -> Diversity:
    """Distinct and entropy l-diversity, and equal-distance t-closeness, of one attribute.

    t uses the earth mover's distance with equal ground distance between categories,
    which is the total variation distance between a class's distribution and the whole
    table's (Li et al. 2007, categorical attributes).
    """
    codes, cardinality = sensitive
    classes = len(class_sizes)
    width = max(cardinality, 1)
    pairs, pair_counts = np.unique(class_ids * width + codes, return_counts=True)
    pair_class = pairs // width
    pair_value = pairs % width
    distinct = np.bincount(pair_class, minlength=classes)
    p_in_class = pair_counts / class_sizes[pair_class]
    entropy = -np.bincount(pair_class, weights=p_in_class * np.log(p_in_class), minlength=classes)
    overall = np.bincount(codes, minlength=width) / max(len(codes), 1)
    # sum over all values of |p_cs - p_s| = 1 + sum over present values (|p_cs - p_s| - p_s)
    p_overall = overall[pair_value]
    present = np.bincount(
        pair_class, weights=np.abs(p_in_class - p_overall) - p_overall, minlength=classes
    )
    distance = 0.5 * (1.0 + present)
    return Diversity(
        column=column,
        l_distinct=int(distinct.min()) if classes else 0,
        l_entropy=float(math.exp(float(entropy.min()))) if classes else 0.0,
        t=float(max(float(distance.max()), 0.0)) if classes else 0.0,
        classes_below_l=int((distinct < l_min).sum()),
    )


def _risk(sizes: Codes, classes: int, max_risk: float) -> RiskModel:
    rows = len(sizes)
    if rows == 0:
        return RiskModel(0.0, 0.0, 0.0)
    return RiskModel(
        highest=1.0 / float(sizes.min()),
        average=classes / rows,
        records_at_risk=float((1.0 / sizes > max_risk).sum()) / rows,
    )


def assess(
    quasi: Mapping[str, Sequence[str] | pa.Array],
    sensitive: Mapping[str, Sequence[str] | pa.Array],
    *,
    rows: int,
    l_min: int = 2,
    max_risk: float = 0.2,
) -> RiskReport:
    """All risk figures of a table given its quasi-identifier and sensitive columns."""
    class_ids, class_sizes = combine([factorise(quasi[c]) for c in quasi], rows)
    sizes = class_sizes[class_ids]
    classes = len(class_sizes)
    prosecutor = _risk(sizes, classes, max_risk)
    return RiskReport(
        records=rows,
        classes=classes,
        k=int(class_sizes.min()) if rows else 0,
        unique_share=float((sizes == 1).sum()) / rows if rows else 0.0,
        prosecutor=prosecutor,
        journalist=prosecutor,
        marketer_average=classes / rows if rows else 0.0,
        diversity=tuple(
            diversity(name, class_ids, class_sizes, factorise(values), l_min)
            for name, values in sensitive.items()
        ),
        class_ids=class_ids,
        class_sizes=class_sizes,
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
    hits = 0
    for i, cls in enumerate(masked_ids.tolist()):
        expected = truth[i]
        if expected is not None and raw_counts[cls] == 1 and owner[cls] == expected:
            hits += 1
    return hits / masked_rows

"""Benchmark: k-anonymity, l-diversity, t-closeness and risk over 1,000,000 x 5 QIs.

Run: .venv/bin/python benchmarks/desensitisation_risk.py [ROWS]

Times ``review.scanners.desensitisation.risk.assess`` (every metric) against two pandas
baselines measured in the same run on the same columns: a plain ``groupby(...).size()``
(equivalence-class sizes only) and the same metrics written with pandas groupbys.
"""

from __future__ import annotations

import math
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from review.scanners.desensitisation.risk import RiskReport, assess

QUASI = {"gender": 2, "age_band": 10, "city": 300, "postcode3": 1000, "birth_year": 80}
SENSITIVE = "diagnosis"
BUDGET_SECONDS = 10.0
MAX_RISK = 0.2
T = TypeVar("T")


def column(rng: np.random.Generator, name: str, distinct: int, rows: int) -> pa.Array:
    """A string column with ``distinct`` values, skewed like real categories (Zipf-like)."""
    weights = 1.0 / np.arange(1, distinct + 1)
    codes = rng.choice(distinct, size=rows, p=weights / weights.sum()).astype(np.int32)
    dictionary = pa.array([f"{name}-{i:04d}" for i in range(distinct)])
    return pa.DictionaryArray.from_arrays(pa.array(codes), dictionary).cast(pa.string())


def timed(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Seconds, peak MiB (Python heap + Arrow pool growth) and the result of ``fn()``."""
    tracemalloc.start()
    pool = pa.total_allocated_bytes()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, (peak + max(pa.total_allocated_bytes() - pool, 0)) / 2**20, result


def pandas_metrics(frame: pd.DataFrame) -> dict[str, float]:
    """The same figures as ``assess``, written with pandas groupbys."""
    keys = list(QUASI)
    rows = len(frame)
    sizes = frame.groupby(keys, sort=False, observed=True)[SENSITIVE].transform("size")
    classes = frame.groupby(keys, sort=False, observed=True).ngroups
    pairs = frame.groupby([*keys, SENSITIVE], sort=False, observed=True).size()
    per_class = pairs.groupby(level=keys, sort=False)
    p = pairs / per_class.transform("sum")
    entropy = (-(p * np.log(p))).groupby(level=keys, sort=False).sum()
    overall = frame[SENSITIVE].value_counts(normalize=True)
    p_all = overall.reindex(pairs.index.get_level_values(SENSITIVE)).to_numpy()
    distance = 0.5 * (
        1
        + pd.Series((p - p_all).abs().to_numpy() - p_all, index=p.index)
        .groupby(level=keys, sort=False)
        .sum()
    )
    return {
        "k": float(sizes.min()),
        "classes": float(classes),
        "unique_share": float((sizes == 1).mean()),
        "highest": 1.0 / float(sizes.min()),
        "average": classes / rows,
        "at_risk": float((1.0 / sizes > MAX_RISK).mean()),
        "l": float(per_class.size().min()),
        "l_entropy": math.exp(float(entropy.min())),
        "t": float(distance.max()),
    }


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(20261128)
    quasi = {name: column(rng, name, n, rows) for name, n in QUASI.items()}
    sensitive = {SENSITIVE: column(rng, SENSITIVE, 20, rows)}
    frame = pa.table({**quasi, **sensitive}).to_pandas()

    ours_s, ours_mb, report = timed(
        lambda: assess(quasi, sensitive, rows=rows, l_min=2, max_risk=MAX_RISK)
    )
    plain_s, plain_mb, sizes = timed(
        lambda: frame.groupby(list(QUASI), sort=False, observed=True).size()
    )
    full_s, full_mb, figures = timed(lambda: pandas_metrics(frame))
    check(report, sizes, figures)

    print(f"rows={rows:,} quasi-identifiers={len(QUASI)} sensitive=1")
    print(
        f"review assess (k, l distinct+entropy, t, 3 risk models): {ours_s:.2f} s, "
        f"peak {ours_mb:.0f} MiB"
    )
    print(
        f"baseline pandas groupby(5 cols).size(): {plain_s:.2f} s, peak {plain_mb:.0f} MiB "
        f"-> ratio {ours_s / plain_s:.2f}x"
    )
    print(
        f"baseline pandas, same metrics: {full_s:.2f} s, peak {full_mb:.0f} MiB "
        f"-> ratio {ours_s / full_s:.2f}x"
    )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(
        f"k={report.k} classes={report.classes:,} unique_share={report.unique_share:.4f} "
        f"l={report.l_distinct} t={report.t:.3f}"
    )
    within = ours_s <= BUDGET_SECONDS
    print(f"budget {BUDGET_SECONDS:.0f} s: {'met' if within else 'MISSED'}")
    return 0 if within else 1


def check(report: RiskReport, sizes: pd.Series, figures: dict[str, float]) -> None:
    """Both implementations must agree, or the timing means nothing."""
    assert report.classes == len(sizes) == figures["classes"]
    assert report.k == int(sizes.min()) == figures["k"]
    assert report.l_distinct == figures["l"]
    assert math.isclose(report.unique_share, figures["unique_share"])
    assert math.isclose(report.prosecutor.records_at_risk, figures["at_risk"])
    assert math.isclose(report.l_entropy or 0.0, figures["l_entropy"], rel_tol=1e-9)
    assert math.isclose(report.t or 0.0, figures["t"], rel_tol=1e-9)


if __name__ == "__main__":
    sys.exit(main())

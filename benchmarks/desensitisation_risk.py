"""Benchmark: k-anonymity, l-diversity, t-closeness and risk over 1,000,000 x 5 QIs.

Run: .venv/bin/python benchmarks/desensitisation_risk.py [ROWS] [--pycanon]

Times ``review.scanners.desensitisation.risk.assess`` (every metric) against two pandas
baselines measured in the same run on the same columns: a plain ``groupby(...).size()``
(equivalence-class sizes only) and the same metrics written with pandas groupbys.

With ``--pycanon`` it also runs, side by side in two child processes reading the same CSV
file, ``review desensitise check FILE --qi ... --sa ...`` (loading included) and pyCANON's
k_anonymity, l_diversity, entropy_l_diversity and t_closeness (pandas.read_csv included),
and prints wall time and peak memory (max RSS) of each, with the ratios. pyCANON is not a
project dependency: ``.venv/bin/pip install --no-deps pycanon``. It loops over the
equivalence classes in Python, so the CSV for that part has moderately many classes.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from review.scanners.desensitisation.risk import RiskReport, Sensitive, assess

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


# Cardinalities of the side-by-side CSV: up to 2 x 5 x 10 x 5 x 4 = 2,000 classes (pyCANON
# loops over classes in Python: tens of thousands of them take it hours at 1M rows).
SIDE_BY_SIDE = {"gender": 2, "age_band": 5, "city": 10, "postcode3": 5, "birth_decade": 4}

PYCANON_CHILD = """
import json, sys, time
import pandas as pd
from pycanon import anonymity
start = time.perf_counter()
data = pd.read_csv(sys.argv[1])
qi, sa = sys.argv[2].split(","), [sys.argv[3]]
k = anonymity.k_anonymity(data, qi)
l = anonymity.l_diversity(data, qi, sa)
e = anonymity.entropy_l_diversity(data, qi, sa)
t = anonymity.t_closeness(data, qi, sa)
print(json.dumps({"k": int(k), "l": int(l), "entropy_l": int(e), "t": float(t),
                  "seconds": time.perf_counter() - start}))
"""


def _peak(command: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """Run ``command``: wall s, CPU s (user + system), max RSS MiB, stdout.

    CPU time is given besides wall time because a shared machine's load skews the wall
    clock of whichever side runs while others are busy."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=cwd)
    assert process.stdout is not None
    out = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, cpu, usage.ru_maxrss / 1024, out


def side_by_side(rows: int) -> None:
    """Our CLI and pyCANON on the same CSV, each in its own process."""
    rng = np.random.default_rng(20261130)
    columns = {name: column(rng, name, n, rows) for name, n in SIDE_BY_SIDE.items()}
    columns[SENSITIVE] = column(rng, SENSITIVE, 20, rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "side_by_side.csv"
        pa_csv.write_csv(pa.table(columns), path)
        qi = ",".join(SIDE_BY_SIDE)
        # Both read the file by its name from its folder, as a user would; the temporary
        # folder's random name is no path a user would have.
        ours_s, ours_cpu, ours_mb, ours_out = _peak(
            [sys.executable, "-m", "review", "desensitise", "check", path.name, "--qi", qi,
             "--sa", SENSITIVE, "--k", "1", "--l", "1", "--t", "1", "--format", "json"],
            path.parent,
        )  # fmt: skip
        theirs_s, theirs_cpu, theirs_mb, theirs_out = _peak(
            [sys.executable, "-c", PYCANON_CHILD, path.name, qi, SENSITIVE], path.parent
        )
    (dataset,) = json.loads(ours_out)["datasets"]
    reference = json.loads(theirs_out)
    print(f"side by side on one CSV: rows={rows:,} quasi-identifiers={len(SIDE_BY_SIDE)}")
    print(
        f"review desensitise check (start-up + load + every metric): {ours_s:.1f} s wall, "
        f"{ours_cpu:.1f} s CPU, peak RSS {ours_mb:.0f} MiB"
    )
    print(
        f"baseline pyCANON 1.3.5 (start-up + read_csv + k, l, entropy-l, t): {theirs_s:.1f} s "
        f"wall, {theirs_cpu:.1f} s CPU, peak RSS {theirs_mb:.0f} MiB"
    )
    print(
        f"-> speed {theirs_s / ours_s:.1f}x pyCANON's (wall), {theirs_cpu / ours_cpu:.1f}x "
        f"(CPU); memory {ours_mb / theirs_mb:.2f}x pyCANON's"
    )
    print(
        f"figures: review k={dataset['k']} l={dataset['l_distinct']} "
        f"entropy-l={dataset['l_entropy']:.3f} t={dataset['t']:.6f} | pyCANON "
        f"k={reference['k']} l={reference['l']} entropy-l={reference['entropy_l']} "
        f"t={reference['t']:.6f}"
    )
    assert dataset["k"] == reference["k"] and dataset["l_distinct"] == reference["l"]
    assert int(dataset["l_entropy"]) == reference["entropy_l"]
    assert math.isclose(dataset["t"], reference["t"], abs_tol=1e-6)


def main() -> int:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(arguments[0]) if arguments else 1_000_000
    if "--pycanon" in sys.argv:
        side_by_side(rows)
    rng = np.random.default_rng(20261128)
    quasi = {name: column(rng, name, n, rows) for name, n in QUASI.items()}
    sensitive = {SENSITIVE: column(rng, SENSITIVE, 20, rows)}
    frame = pa.table({**quasi, **sensitive}).to_pandas()

    ours_s, ours_mb, report = timed(
        lambda: assess(
            quasi, {k: Sensitive(v) for k, v in sensitive.items()}, rows=rows, max_risk=MAX_RISK
        )
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

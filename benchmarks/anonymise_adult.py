"""Benchmark: apply's lattice search against ANJANA on UCI Adult, same k, same hierarchies.

Run: .venv/bin/python benchmarks/anonymise_adult.py [K]

ANJANA (Apache-2.0) is not a project dependency: install it next to the project with
``.venv/bin/pip install --no-deps anjana pycanon beartype`` (its exact typing-extensions
pin conflicts with pydantic's). Both tools get the same quasi-identifiers, the same
generalisation hierarchies and the same 5% record-suppression limit; the information
loss of both releases is measured the same way (NCP and discernibility, on the full
32,561 rows, a record ANJANA drops counting as suppressed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from review.scanners.desensitisation.anonymise import (
    Levels,
    Targets,
    information_loss,
    search,
)
from review.scanners.desensitisation.hierarchy import Hierarchy, Intervals, Suppression, load_csv
from review.scanners.desensitisation.risk import assess
from review.scanners.desensitisation.table import load_table

REPO = Path(__file__).resolve().parent.parent
ADULT = REPO.parent / "shared" / "data" / "adult" / "adult.csv"
SUPPRESSION = 0.05

# The Adult hierarchies the tests use (ARX's CSV form: leaf;group;*).
HIERARCHY_FILES = REPO / "tests" / "desensitisation" / "data"


HIERARCHIES: dict[str, Hierarchy] = {
    "age": Intervals((5, 10, 20)),
    "education": load_csv(HIERARCHY_FILES / "adult_education.csv"),
    "marital-status": load_csv(HIERARCHY_FILES / "adult_marital.csv"),
    "race": Suppression(),
    "sex": Suppression(),
}


def anjana_hierarchies(frame: Any) -> dict[str, dict[int, list[Any]]]:
    """The same hierarchies in ANJANA's form: level -> labels, aligned with the leaves."""
    out: dict[str, dict[int, list[Any]]] = {}
    for name, tree in HIERARCHIES.items():
        leaves = sorted(frame[name].unique().tolist(), key=str)
        out[name] = {
            level: [leaf if level == 0 else tree.label(str(leaf), level) for leaf in leaves]
            for level in range(tree.height + 1)
        }
    return out


def main() -> int:
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not ADULT.exists():
        print("../shared/data/adult/adult.csv is not present: nothing to compare")
        return 0
    try:
        import pandas as pd
        from anjana.anonymity import k_anonymity
    except ImportError:
        print("ANJANA is not installed: .venv/bin/pip install --no-deps anjana pycanon beartype")
        return 2
    table = load_table(ADULT)
    raw = {name: table.column(name) for name in HIERARCHIES}
    rows = len(table)

    start = time.perf_counter()
    columns = [Levels.build(n, raw[n], tree) for n, tree in HIERARCHIES.items()]
    solution = search(
        columns, [], Targets(k=k, max_suppression=SUPPRESSION, has_sensitive=False), rows
    )
    ours_s = time.perf_counter() - start
    ours = {c.name: [solution.value(c, i) for i in range(rows)] for c in columns}

    frame = pd.read_csv(ADULT, skipinitialspace=True)
    start = time.perf_counter()
    released = k_anonymity(
        frame, [], list(HIERARCHIES), k, SUPPRESSION * 100, anjana_hierarchies(frame)
    )
    anjana_s = time.perf_counter() - start
    # ANJANA drops suppressed records; its 'index' column (when present) maps the rest back.
    positions = released["index"].to_numpy() if "index" in released else np.arange(rows)
    theirs = {name: ["*"] * rows for name in HIERARCHIES}
    for name in HIERARCHIES:
        for position, value in zip(positions, released[name].tolist(), strict=True):
            theirs[name][int(position)] = str(value)

    print(f"UCI Adult, {rows:,} records, k = {k}, quasi-identifiers: {', '.join(HIERARCHIES)}")
    print(f"suppression limit {SUPPRESSION:.0%}; same hierarchies for both tools")
    results = {}
    for label, release, seconds in (("review apply", ours, ours_s), ("ANJANA", theirs, anjana_s)):
        ncp, discernibility = information_loss(release, raw, HIERARCHIES)
        kept = [i for i in range(rows) if not all(release[n][i] == "*" for n in HIERARCHIES)]
        report = assess({n: [release[n][i] for i in kept] for n in HIERARCHIES}, {}, rows=len(kept))
        results[label] = (report.k, ncp, discernibility)
        print(
            f"{label:13} k={report.k:<4} suppressed={rows - len(kept):<6} NCP={ncp:.4f} "
            f"discernibility={discernibility:.4g} time={seconds:.2f} s"
        )
    ours_k, ours_ncp, _ = results["review apply"]
    their_k, their_ncp, _ = results["ANJANA"]
    print(
        f"NCP ratio review/ANJANA = {ours_ncp / their_ncp:.3f} "
        f"({'no worse' if ours_ncp <= their_ncp + 1e-12 else 'WORSE'}); "
        f"both k >= {k}: {ours_k >= k and their_k >= k}"
    )
    return 0 if ours_k >= k and ours_ncp <= their_ncp + 1e-12 else 1


if __name__ == "__main__":
    sys.exit(main())

"""PII scan throughput on Spark vs the single-process scanner, same Parquet data, one run.

Run: .venv/bin/python benchmarks/spark_scan.py [--rows 10000000] [--master local[2]]
     [--memory]

Writes one Parquet file of ``--rows`` synthetic structured rows (8 columns, row groups
of 64k rows, so Spark splits it across its cores), scans it end to end with the
single-process scanner (``review pii scan``'s path) and with the Spark engine
(``review pii scan --engine spark``'s path), and prints both rates and their ratio.
Wall-clock time on both sides: the Spark path's point is using every core, which CPU time
of one process would not show. The Spark session is started before its timing (a cluster
has it running); its start-up is printed on its own. Both reports must be identical.
``--memory``: the driver's peak RSS (this Python process and its JVM) at rows/10 and rows,
each in a fresh child process, to show it stays flat as rows grow.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pii_throughput import HEADER, make_row  # noqa: E402

from review.core.config import SparkConfig  # noqa: E402
from review.scanners.datafiles.spark import spark_session  # noqa: E402
from review.scanners.pii.results import ScanReport  # noqa: E402
from review.scanners.pii.scan import scan_paths  # noqa: E402
from review.scanners.pii.spark import scan_sources  # noqa: E402

ROW_GROUP = 65_536


def write_parquet(path: Path, rows: int, seed: int = 7) -> None:
    """``rows`` synthetic rows, written a row group at a time (memory stays flat)."""
    rng = random.Random(seed)
    schema = pa.schema([(name, pa.string()) for name in HEADER])
    with pq.ParquetWriter(path, schema) as writer:
        done = 0
        while done < rows:
            size = min(ROW_GROUP, rows - done)
            records = [make_row(rng) for _ in range(size)]
            columns = [pa.array([r[i] for r in records], pa.string()) for i in range(len(HEADER))]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            done += size


def findings(report: ScanReport) -> Any:
    """What both engines must agree on: every column's result and the entity totals."""
    columns = [asdict(c) for c in report.columns]
    return {"entities": report.entities, "columns": columns}


def spark_config(master: str) -> SparkConfig:
    return SparkConfig(master=master, app_name="review-pipeline-benchmark")


def child(rows: int, master: str) -> None:
    """Scan ``rows`` rows on Spark; print the driver's peak RSS (Python and JVM, KiB)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.parquet"
        write_parquet(path, rows)
        scan_sources([path.name], spark_config(master), base=Path(tmp))
    python = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    jvm = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"python_kib": python, "jvm_kib": jvm}))


def child_peak(rows: int, master: str) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(rows), "--master", master],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--memory", action="store_true", help="driver RSS at rows/10 and rows")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.master)
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        path = base / "data.parquet"
        start = time.perf_counter()
        write_parquet(path, args.rows)
        print(
            f"generated {args.rows:,} rows x {len(HEADER)} columns in "
            f"{time.perf_counter() - start:.0f} s ({path.stat().st_size / 2**20:.0f} MiB)"
        )
        start = time.perf_counter()
        single = scan_paths([path], base=base)
        single_seconds = time.perf_counter() - start
        start = time.perf_counter()
        spark_session(spark_config(args.master))
        startup = time.perf_counter() - start
        start = time.perf_counter()
        on_spark, _ = scan_sources([path.name], spark_config(args.master), base=base)
        spark_seconds = time.perf_counter() - start
    same = findings(single) == findings(on_spark)
    single_rate, spark_rate = args.rows / single_seconds, args.rows / spark_seconds
    print("wall-clock time on both sides (the Spark path is about using every core)")
    print(f"single process:      {single_rate:,.0f} rows/s  ({single_seconds:.1f} s)")
    print(
        f"Spark {args.master}:    {spark_rate:,.0f} rows/s  ({spark_seconds:.1f} s; session "
        f"start-up {startup:.1f} s, not counted)"
    )
    print(f"speed-up Spark / single process: {spark_rate / single_rate:.2f}x  (target >= 1.5x)")
    print(f"identical findings: {same}")
    if args.memory:
        small, large = child_peak(args.rows // 10, args.master), child_peak(args.rows, args.master)
        for name in ("python_kib", "jvm_kib"):
            print(
                f"driver peak RSS ({name[:-4]}): {small[name] / 1024:.0f} MiB at "
                f"{args.rows // 10:,} rows, {large[name] / 1024:.0f} MiB at {args.rows:,} rows "
                f"(ratio {large[name] / small[name]:.2f})"
            )
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

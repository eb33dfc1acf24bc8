"""PII scan throughput on Spark vs the single-process scanner, same Parquet data, one run.

Run: .venv/bin/python benchmarks/spark_scan.py [--rows 10000000] [--master local[2]]
     [--rows-kind structured|mixed] [--memory]

Writes one Parquet file of ``--rows`` synthetic rows (8 columns, row groups of 64k rows,
so Spark splits it across its cores). ``structured`` (the default): resident IDs,
mobiles, e-mail, bank cards (checksummed), amounts, order numbers, timestamps, status
codes, generated vectorised so 10M rows take about a minute. ``mixed``: the free-text
rows of pii_throughput.py (Chinese and English names, addresses, notes; ~15x slower to
scan). It scans the file end to end with the
single-process scanner (``review pii scan``'s path) and with the Spark engine
(``review pii scan --engine spark``'s path), and prints both rates and their ratio.
Wall-clock time on both sides: the Spark path's point is using every core, which CPU time
of one process would not show. The Spark session is started before its timing (a cluster
has it running); its start-up is printed on its own. Both reports must be identical.
``--memory``: the driver's peak RSS (this Python process and its JVM) at rows/10 and rows,
each in a fresh child process, to show it stays flat as rows grow. The timed Spark scan
at ``--rows`` runs in such a child, so the 10M-row figure costs one Spark scan, not two.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pii_throughput import HEADER, make_row  # noqa: E402
from structured_rows import structured_table  # noqa: E402

from review.core.config import SparkConfig  # noqa: E402
from review.scanners.datafiles.spark import spark_session  # noqa: E402
from review.scanners.pii.results import ScanReport  # noqa: E402
from review.scanners.pii.scan import scan_paths  # noqa: E402
from review.scanners.pii.spark import scan_sources  # noqa: E402

ROW_GROUP = 65_536


def mixed_table(rng: random.Random, size: int) -> pa.Table:
    """``size`` free-text rows of pii_throughput.py (names, addresses, notes)."""
    records = [make_row(rng) for _ in range(size)]
    return pa.table({name: [r[i] for r in records] for i, name in enumerate(HEADER)})


def write_parquet(path: Path, rows: int, kind: str, seed: int = 7) -> None:
    """``rows`` synthetic rows, written a row group at a time (memory stays flat)."""
    rng, generator = random.Random(seed), np.random.default_rng(seed)
    writer: pq.ParquetWriter | None = None
    done = 0
    while done < rows:
        size = min(ROW_GROUP, rows - done)
        table = (
            structured_table(generator, size) if kind == "structured" else mixed_table(rng, size)
        )
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
        done += size
    if writer is not None:
        writer.close()


def findings(report: ScanReport) -> Any:
    """What both engines must agree on: every column's result and the entity totals (as
    JSON, the form in which the Spark child hands them back)."""
    columns = [asdict(c) for c in report.columns]
    return json.loads(json.dumps({"entities": report.entities, "columns": columns}))


def spark_config(master: str) -> SparkConfig:
    # A JVM grows its heap up to its limit (a quarter of RAM by default) before it
    # collects, so its RSS shows the limit, not what the scan holds: 1 GiB is plenty for
    # a driver that keeps one JSON tally per partition.
    conf = {"spark.driver.memory": "1g"}
    return SparkConfig(master=master, app_name="review-pipeline-benchmark", conf=conf)


def _hwm_kib(pid: int) -> int:
    """A live process's peak resident set (Linux: VmHWM), KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def child(path: Path, master: str) -> None:
    """Scan ``path`` on Spark; print seconds, findings and the driver's peak RSS."""
    start = time.perf_counter()
    spark = spark_session(spark_config(master))
    startup = time.perf_counter() - start
    start = time.perf_counter()
    report, _ = scan_sources([path.name], spark_config(master), base=path.parent)
    seconds = time.perf_counter() - start
    jvm = spark.sparkContext._gateway.proc.pid  # type: ignore[union-attr]
    result = {
        "seconds": seconds,
        "startup": startup,
        "findings": findings(report),
        # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would
        # report the parent's peak (the single-process scan's) as its own.
        "python_kib": _hwm_kib(os.getpid()),
        "jvm_kib": _hwm_kib(jvm),
    }
    print(json.dumps(result))


def on_spark(path: Path, master: str) -> dict[str, Any]:
    """The Spark scan of ``path`` in a fresh process (its driver memory is its own)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--master", master],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--rows-kind", choices=("structured", "mixed"), default="structured")
    parser.add_argument("--memory", action="store_true", help="driver RSS at rows/10 and rows")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.master)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.parquet"
        start = time.perf_counter()
        write_parquet(path, args.rows, args.rows_kind)
        print(
            f"dataset: {args.rows:,} {args.rows_kind} rows x 8 columns "
            f"({pq.read_schema(path).names}), generated in {time.perf_counter() - start:.0f} s "
            f"({path.stat().st_size / 2**20:.0f} MiB Parquet)"
        )
        start = time.perf_counter()
        single = scan_paths([path], base=Path(tmp))
        single_seconds = time.perf_counter() - start
        spark = on_spark(path, args.master)
        small = None
        if args.memory:
            write_parquet(path, args.rows // 10, args.rows_kind)
            small = on_spark(path, args.master)
    same = findings(single) == spark["findings"]
    single_rate, spark_rate = args.rows / single_seconds, args.rows / spark["seconds"]
    print("wall-clock time on both sides (the Spark path is about using every core)")
    print(f"single process:      {single_rate:,.0f} rows/s  ({single_seconds:.1f} s)")
    print(
        f"Spark {args.master}:    {spark_rate:,.0f} rows/s  ({spark['seconds']:.1f} s; session "
        f"start-up {spark['startup']:.1f} s, not counted)"
    )
    print(f"speed-up Spark / single process: {spark_rate / single_rate:.2f}x  (target >= 1.5x)")
    print(f"identical findings: {same}")
    if small is not None:
        for name in ("python_kib", "jvm_kib"):
            print(
                f"driver peak RSS ({name[:-4]}): {small[name] / 1024:.0f} MiB at "
                f"{args.rows // 10:,} rows, {spark[name] / 1024:.0f} MiB at {args.rows:,} rows "
                f"(ratio {spark[name] / small[name]:.2f})"
            )
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""PII scan throughput and memory: the scanner vs Presidio's BatchAnalyzerEngine.

Run: .venv/bin/python benchmarks/pii_throughput.py [--rows 100000] [--baseline-rows 1000]
     [--mixed-rows 20000] [--mixed-baseline-rows 200] [--memory]

(1) A CSV of synthetic rows x 8 PII columns, scanned end to end with the scanner
(reading, classification; once aggregating per column as the stage does, once also
building every masked cell hit as the CLI's JSON does), against Presidio's
BatchAnalyzerEngine with the same recognizers, the same offline NLP engine and no NER
on the first ``--baseline-rows`` rows (its per-row cost is flat, and all rows would take
hours), so its rows per second stand for the whole file.

(2) A mixed table as real ones are: record ids, amounts, order numbers, timestamps and
product codes (no personal data) beside name, resident ID, phone, e-mail and address
columns. Each column type is scanned end to end as a file of its own, so its seconds
are its own; the structured columns' rate is compared with Presidio's on the same
columns (first ``--mixed-baseline-rows`` rows), and each type's time with the fastest.

Peak memory (``--memory``) is measured in child processes scanning 100k and 1M rows.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from peak_memory import peak_kib, report_peak  # noqa: E402

from tests import synthetic as syn  # noqa: E402

HEADER = ["姓名", "身份证号", "手机号", "email", "bank_card", "address", "city", "notes"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
EN_FIRST = ["James", "Mary", "John", "Linda", "Robert", "Susan", "David", "Karen"]
EN_LAST = ["Smith", "Johnson", "Brown", "Davis", "Miller", "Wilson", "Moore", "Taylor"]
PROVINCES = ["江西省", "河北省", "广东省", "浙江省", "四川省"]
CITIES = ["上海市", "北京市", "广州市", "深圳市"]
NOTES = ["客户咨询退款进度", "客户要求更换收货地址", "Asked about refund status", "无"]


def make_row(rng: random.Random) -> list[str]:
    if rng.random() < 0.8:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    else:
        name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    note = rng.choice(NOTES)
    if rng.random() < 0.1:
        note = f"客户来电，手机号{syn.mobile(rng)}，请回电"
    address = (
        f"{rng.choice(PROVINCES)}{rng.choice('东西南北')}城县{rng.choice('人民解放建设')}路"
        f"{rng.randrange(1, 300)}号 {rng.randrange(100000, 999999)}"
    )
    return [
        name,
        syn.resident_id(rng),
        syn.mobile(rng),
        f"user{rng.randrange(10**7)}@qq.com",
        syn.bank_card(rng),
        address,
        rng.choice(CITIES),
        note,
    ]


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(rows):
            writer.writerow(make_row(rng))


def _sequence(rng: random.Random) -> Callable[[], str]:
    numbers = iter(range(1, 10**9))
    return lambda: syn.record_id(rng, next(numbers) % 10_000)


def mixed_columns(rng: random.Random) -> dict[str, tuple[bool, Callable[[], str]]]:
    """Column name -> (holds personal data, value maker) of the mixed table."""
    return {
        "customer_no": (False, _sequence(rng)),
        "amount": (False, lambda: syn.amount(rng)),
        "order_no": (False, lambda: syn.order_number(rng)),
        "created_at": (False, lambda: syn.timestamp(rng)),
        "sku": (False, lambda: syn.product_code(rng)),
        "姓名": (True, lambda: make_row(rng)[0]),
        "身份证号": (True, lambda: syn.resident_id(rng)),
        "手机号": (True, lambda: syn.mobile(rng)),
        "email": (True, lambda: f"user{rng.randrange(10**7)}@qq.com"),
        "address": (True, lambda: make_row(rng)[5]),
    }


def write_column(path: Path, name: str, make: Callable[[], str], rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name])
        for _ in range(rows):
            writer.writerow([make()])


class MixedFigures(NamedTuple):
    """What the mixed table measured (each baseline in the same run)."""

    speed_up: float
    """Structured columns: the scanner's rows per second over Presidio's."""
    spread: float
    """Slowest over fastest column type, all types."""
    spread_structured: float
    """Slowest over fastest column type, structured types."""


def mixed_table(rows: int, baseline_rows: int, repeats: int = 5) -> MixedFigures:
    """Per-column-type seconds on a mixed table, and the structured columns vs Presidio."""
    from presidio_analyzer import BatchAnalyzerEngine

    from review.scanners.pii.engine import build_presidio_analyzer

    columns = mixed_columns(random.Random(11))
    seconds: dict[str, float] = {}
    samples: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # One-time costs (imports, compiling patterns, the shape tables) are paid by a
        # warm-up scan, so that no column type is charged for them.
        for name, (_, make) in columns.items():
            write_column(Path(tmp) / "warm-up.csv", name, make, 100)
            scan_file(Path(tmp) / "warm-up.csv", emit=False)
        paths: dict[str, Path] = {}
        for name, (_, make) in columns.items():
            path = paths[name] = Path(tmp) / f"{len(paths)}.csv"
            write_column(path, name, make, rows)
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                samples[name] = [next(reader)[0] for _ in range(baseline_rows)]
        # The least of a few rounds over every type in turn: CPU time still varies with
        # other load on the machine, and rounds spread that load over all types alike.
        for _ in range(repeats):
            for name, path in paths.items():
                spent = scan_file(path, emit=False)[0]
                seconds[name] = min(seconds.get(name, spent), spent)
    structured = [name for name, (personal, _) in columns.items() if not personal]
    engine = BatchAnalyzerEngine(build_presidio_analyzer())
    start = time.process_time()
    batch: dict[str, Any] = {n: samples[n] for n in structured}
    list(engine.analyze_dict(batch, language="en"))
    theirs = baseline_rows / (time.process_time() - start)
    ours = rows / sum(seconds[n] for n in structured)
    print()
    print(
        f"mixed table: {rows} rows; each column type scanned end to end as its own file"
        f" (least CPU time of {repeats} rounds)"
    )
    print(f"    {'column':<14}{'kind':<12}{'seconds':>8}{'x fastest':>11}")
    fastest = min(seconds.values())
    fastest_structured = min(seconds[n] for n in structured)
    for name, (personal, _) in columns.items():
        kind = "personal" if personal else "structured"
        print(f"    {name:<14}{kind:<12}{seconds[name]:>8.2f}{seconds[name] / fastest:>10.1f}x")
    slowest = max(seconds.values())
    slowest_structured = max(seconds[n] for n in structured)
    print(f"structured columns, scanner:        {ours:,.0f} rows/s")
    print(
        f"structured columns, Presidio Batch: {theirs:,.0f} rows/s  (first {baseline_rows} rows;"
        " same recognizers, no NER)"
    )
    print(f"speed-up, structured columns:       {ours / theirs:.0f}x  (target >= 50x)")
    print(
        f"slowest / fastest column type:      {slowest / fastest:.1f}x all,"
        f" {slowest_structured / fastest_structured:.1f}x structured  (target <= 3x)"
    )
    return MixedFigures(ours / theirs, slowest / fastest, slowest_structured / fastest_structured)


def scan_file(path: Path, emit: bool = True) -> tuple[float, int, int]:
    """CPU seconds, rows and hits of a full scan of ``path`` (``emit``: build every masked
    cell hit, as ``review pii scan --format json`` does; else aggregate only, as the stage)."""
    from review.scanners.pii.scan import scan_paths

    hits = 0

    def count(_hit: object) -> None:
        nonlocal hits
        hits += 1

    start = time.process_time()
    report = scan_paths([path], on_hit=count if emit else None)
    seconds = time.process_time() - start
    return seconds, report.files[0].rows_scanned, hits


def baseline(path: Path, rows: int) -> float:
    """Rows per second of Presidio's BatchAnalyzerEngine on the first ``rows`` rows."""
    from presidio_analyzer import BatchAnalyzerEngine

    from review.scanners.pii.engine import build_presidio_analyzer

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        records = [next(reader) for _ in range(rows)]
    columns: dict[str, Any] = {name: [r[name] for r in records] for name in HEADER}
    engine = BatchAnalyzerEngine(build_presidio_analyzer())
    start = time.process_time()
    list(engine.analyze_dict(columns, language="en"))
    return rows / (time.process_time() - start)


def child_peak(rows: int) -> int:
    """Peak RSS (KiB) of a fresh process scanning a ``rows``-row file."""
    return peak_kib(__file__, str(rows))


def child(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        write_csv(path, rows)
        scan_file(path)
    report_peak()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--mixed-rows", type=int, default=20_000)
    parser.add_argument("--mixed-baseline-rows", type=int, default=200)
    parser.add_argument("--memory", action="store_true", help="also measure 100k vs 1M memory")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        write_csv(path, args.rows)
        seconds, rows, hits = scan_file(path)
        aggregate, _, _ = scan_file(path, emit=False)
        sample = min(args.baseline_rows, args.rows)
        theirs = baseline(path, sample)
    ours, stage = rows / seconds, rows / aggregate
    print("CPU time (process_time) on both sides, so other load on the machine cancels out")
    print(f"rows x columns:           {rows} x {len(HEADER)}  ({hits} cell hits)")
    print("scanner timings include building its analyzer; Presidio's engine is built untimed")
    print(f"scanner, stage path:      {stage:,.0f} rows/s  ({aggregate:.1f} s, per-column only)")
    print(f"scanner, cell hits:       {ours:,.0f} rows/s  ({seconds:.1f} s, every hit masked)")
    print(
        f"Presidio BatchAnalyzer:   {theirs:,.0f} rows/s  (same recognizers, no NER;"
        f" measured on the first {sample} rows, its per-row cost is flat)"
    )
    print(f"speed-up, stage path:     {stage / theirs:.1f}x  (target >= 50x)")
    print(f"speed-up, cell hits:      {ours / theirs:.1f}x")
    mixed_table(args.mixed_rows, min(args.mixed_baseline_rows, args.mixed_rows))
    if args.memory:
        small, large = child_peak(100_000), child_peak(1_000_000)
        print(f"peak RSS 100k rows:       {small / 1024:.0f} MiB")
        print(f"peak RSS 1M rows:         {large / 1024:.0f} MiB")
        print(f"memory ratio 1M / 100k:   {large / small:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()

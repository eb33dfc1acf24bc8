"""Scan time of one line holding many phone numbers: it must grow linearly with the hits.

Run: .venv/bin/python benchmarks/pii_long_line.py [--counts 1000,10000,100000]

For each count N, one text line of N mainland mobile numbers separated by spaces is
analysed; the baseline, measured in the same run, is the same N numbers as N separate
one-number texts (the per-hit cost with no long line at all). Linear time shows as a
flat "per hit" column and a ratio to the baseline that does not grow with N. (Before
the engine analysed long texts in windows, 2,000 numbers took 13.5 s and 5,000 over
140 s.)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from review.scanners.pii.detect import default_analyzer  # noqa: E402
from tests import synthetic as syn  # noqa: E402


def _seconds(texts: list[str]) -> tuple[float, int]:
    analyzer = default_analyzer()
    start = time.perf_counter()
    hits = sum(len(analyzer.analyze(text)) for text in texts)
    return time.perf_counter() - start, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,10000,100000")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    default_analyzer().analyze("warm-up 13812345678")
    print(f"{'numbers':>8} {'one line s':>11} {'per hit ms':>11} {'separate s':>11} {'ratio':>6}")
    for count in counts:
        rng = random.Random(count)
        numbers = [syn.mobile(rng) for _ in range(count)]
        line, line_hits = _seconds([" ".join(numbers)])
        separate, separate_hits = _seconds(numbers)
        if line_hits != count or separate_hits != count:
            raise SystemExit(f"expected {count} hits, got {line_hits} and {separate_hits}")
        per_hit = line / count * 1000
        print(
            f"{count:>8} {line:>11.2f} {per_hit:>11.3f} {separate:>11.2f} {line / separate:>6.2f}"
        )
    print("linear: per-hit time and ratio stay flat as the numbers per line grow tenfold")


if __name__ == "__main__":
    main()

"""License scan accuracy and speed against pip-licenses, in one run.

Builds (once) a venv of popular distributions pinned in
``benchmarks/data/popular-requirements.txt`` under /tmp (PyPI needed the first time),
then, on that same environment and in the same run:

* accuracy: each tool's license string for every distribution, compared with the
  licenses established by reading the wheels' files (``data/popular-licenses.toml``);
  a string counts as correct when it is a valid SPDX expression equivalent to the truth;
* speed: ``review licenses scan --format json`` against ``pip-licenses --format=json
  --with-system``, alternating rounds, best of each. Target: at most 2x pip-licenses.

Run: ``.venv/bin/python benchmarks/licenses_scan.py [--venv DIR]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from license_expression import ExpressionError

from review.scanners.licenses import spdx

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"
BIN = REPO / ".venv" / "bin"
ROUNDS = 3


def build_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"building {venv} from popular-requirements.txt (needs PyPI once) ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--only-binary",
            ":all:",
            "-r",
            str(DATA / "popular-requirements.txt"),
        ],
        check=True,
    )
    return python


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def correct(found: str | None, truth: str) -> bool:
    if not found:
        return False
    normalised = spdx.normalise(found)
    if normalised is None:
        return False
    try:
        return bool(spdx.licensing().is_equivalent(normalised, truth))
    except ExpressionError:
        return False


def timed(command: list[str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"benchmark: {command[0]} failed: {done.stderr.decode()[-800:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path("/tmp/review-bench-popular"))
    args = parser.parse_args()
    python = build_venv(args.venv)
    truth = {
        canonical(k): v
        for k, v in tomllib.loads((DATA / "popular-licenses.toml").read_text("utf-8")).items()
    }
    baseline_cmd = [
        str(BIN / "pip-licenses"),
        "--python",
        str(python),
        "--format=json",
        "--with-system",
    ]
    ours_cmd = [
        str(BIN / "review"),
        "licenses",
        "scan",
        "--python",
        str(python),
        "--license",
        "MIT",
        "--format",
        "json",
    ]
    baseline = ours = float("inf")
    baseline_out = ours_out = b""
    # Rounds alternate so that load from other processes hits both alike.
    for _ in range(ROUNDS):
        seconds, baseline_out = timed(baseline_cmd)
        baseline = min(baseline, seconds)
        seconds, ours_out = timed(ours_cmd)
        ours = min(ours, seconds)
    theirs = {canonical(p["Name"]): p["License"] for p in json.loads(baseline_out)}
    mine = {
        canonical(p["name"]): p["spdx"]
        for p in json.loads(ours_out)["packages"]
        if p["bundled_in"] is None
    }
    rows = []
    for name, expected in sorted(truth.items()):
        rows.append(
            (
                name,
                expected["spdx"],
                mine.get(name),
                theirs.get(name),
                correct(mine.get(name), expected["spdx"]),
                correct(theirs.get(name), expected["spdx"]),
            )
        )
    total = len(rows)
    ours_ok = sum(r[4] for r in rows)
    theirs_ok = sum(r[5] for r in rows)
    print(f"distributions with established licenses: {total}")
    print(f"{'tool':<24}{'correct SPDX':>14}{'share':>9}")
    print(f"{'review licenses scan':<24}{ours_ok:>10}/{total:<3}{ours_ok / total:>9.1%}")
    print(f"{'pip-licenses':<24}{theirs_ok:>10}/{total:<3}{theirs_ok / total:>9.1%}")
    print()
    print("where review licenses scan differs from the established license:")
    for name, expected, found, _, ok, _ in rows:
        if not ok:
            print(f"  {name}: {found!r}, established {expected!r}")
    ratio = ours / baseline
    print()
    print(f"pip-licenses --format=json --with-system: {baseline:.3f} s (baseline)")
    print(f"review licenses scan --format json:        {ours:.3f} s")
    print(f"ratio: {ratio:.2f}x (target <= 2.00x) {'OK' if ratio <= 2 else 'OVER TARGET'}")
    bundled = [p for p in json.loads(ours_out)["packages"] if p["bundled_in"]]
    stated = sum(1 for p in bundled if p["spdx"])
    print(f"bundled native libraries reported: {len(bundled)} ({stated} with a stated license)")


if __name__ == "__main__":
    main()

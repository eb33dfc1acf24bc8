"""Time ``review licenses scan`` of this project's .venv against ``pip-licenses --format=json``.

Both run as subprocesses on the same environment in the same run, alternating; the
best of the rounds is compared. Target: the scan takes at most 2x pip-licenses' time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
ROUNDS = 7


def timed(command: list[str]) -> float:
    """Wall time of one run (exit 0 or 1 both count as a completed scan)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"benchmark: {command[0]} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    bin_dir = VENV_PYTHON.parent
    baseline_cmd = [str(bin_dir / "pip-licenses"), "--python", str(VENV_PYTHON), "--format=json"]
    ours_cmd = [
        str(bin_dir / "review"),
        "licenses",
        "scan",
        "--python",
        str(VENV_PYTHON),
        "--format",
        "json",
    ]
    # Rounds alternate between the two so that load from other processes hits both alike.
    baseline = ours = float("inf")
    for _ in range(ROUNDS):
        baseline = min(baseline, timed(baseline_cmd))
        ours = min(ours, timed(ours_cmd))
    ratio = ours / baseline
    print(f"pip-licenses --format=json: {baseline:.3f} s (baseline)")
    print(f"review licenses scan:       {ours:.3f} s")
    print(f"ratio: {ratio:.2f}x (target <= 2.00x) {'OK' if ratio <= 2 else 'OVER TARGET'}")


if __name__ == "__main__":
    main()

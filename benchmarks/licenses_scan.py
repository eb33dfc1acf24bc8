"""Time ``review licenses scan`` of this project's .venv against ``pip-licenses --format=json``.

Both run as subprocesses on the same environment in the same run; the best of a few
rounds is compared. Target: the scan takes at most 2x pip-licenses' time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
ROUNDS = 5


def best_of(command: list[str]) -> float:
    """Fastest wall time of ``ROUNDS`` runs (exit 0 or 1 both count as a completed scan)."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            sys.exit(f"benchmark: {command[0]} failed: {done.stderr.decode()[-500:]}")
        best = min(best, elapsed)
    return best


def main() -> None:
    bin_dir = VENV_PYTHON.parent
    baseline = best_of(
        [str(bin_dir / "pip-licenses"), "--python", str(VENV_PYTHON), "--format=json"]
    )
    ours = best_of(
        [
            str(bin_dir / "review"),
            "licenses",
            "scan",
            "--python",
            str(VENV_PYTHON),
            "--format",
            "json",
        ]
    )
    ratio = ours / baseline
    print(f"pip-licenses --format=json: {baseline:.3f} s (baseline)")
    print(f"review licenses scan:       {ours:.3f} s")
    print(f"ratio: {ratio:.2f}x (target <= 2.00x) {'OK' if ratio <= 2 else 'OVER TARGET'}")


if __name__ == "__main__":
    main()

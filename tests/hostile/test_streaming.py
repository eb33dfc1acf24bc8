"""A single-line JSON array far larger than the memory allowed is still read in full:
the JSON reader streams it (ijson) instead of loading it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

RECORDS = 200_000
HEADROOM = 64 << 20
"""Address space allowed above what the child holds once imports are done: well under
what ``json.loads`` of the file needs (the control below shows it fails)."""

_CHILD = """
import json, resource, sys
from pathlib import Path
from review.scanners.datafiles import open_dataset

def size():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

path, how, headroom = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
limit = size() + headroom
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    if how == "stream":
        rows = sum(1 for _ in open_dataset(path).iter_rows())
    else:
        rows = len(json.loads(path.read_text(encoding="utf-8")))
except MemoryError:
    print("MemoryError")
else:
    print(rows)
"""


def _read(path: Path, how: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), how, str(HEADROOM)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_single_line_array_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "one_line.json"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        handle.write(",".join(f'{{"note": "{"x" * 100}", "n": {i}}}' for i in range(RECORDS)))
        handle.write("]")
    assert path.stat().st_size > 20 << 20 and b"\n" not in path.read_bytes()
    assert _read(path, "load") == "MemoryError"  # the control: loading it whole cannot fit
    assert _read(path, "stream") == str(RECORDS)

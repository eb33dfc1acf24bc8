"""Peak memory of a benchmark's work, measured in a fresh child process."""

from __future__ import annotations

import json
import resource
import subprocess
import sys


def peak_kib(script: str, *args: str) -> int:
    """Peak RSS (KiB) of ``python script --child ARGS``, which ends with ``report_peak()``."""
    out = subprocess.run(
        [sys.executable, script, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(json.loads(out.stdout.splitlines()[-1])["peak_kib"])


def report_peak() -> None:
    """Print this process's peak RSS for ``peak_kib`` to read."""
    print(json.dumps({"peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))

"""Runs CLI invocations in child processes under resource limits, fast.

Started once per test session (``python -m tests.hostile.runner``): it imports the CLI
and warms the PII detector, then for each request read from stdin (one JSON line:
``args``, ``cwd``, ``env``, ``stdout``, ``stderr``) forks a child that sets its limits
(address space: 1 GiB above what it inherits; CPU: 30 s), points TMPDIR at
the case's folder, runs ``review`` and exits with its code. The parent waits at most the
wall-time limit (killing the child past it, as hung) and answers one JSON line: exit
code, wall and CPU seconds, peak memory, whether it was killed. Each case is a real
process with real limits, without paying the import of Presidio, spaCy and pyarrow.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Imported before forking, so that each child starts warm.
import review.cli.checklist
import review.cli.desensitise
import review.cli.licenses
import review.cli.pii
import review.cli.report
import review.cli.run
import review.cli.workflow  # noqa: F401
from review.cli.main import cli
from review.scanners.pii.detect import find_spans

SECONDS = 30
"""CPU seconds a case may use (the machine may be shared: wall time is no measure)."""
WALL_SECONDS = 120
"""Wall time after which a case is killed as hung (a blocked read uses no CPU)."""
MEMORY = 1 << 30


def _address_space() -> int:
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(request: dict[str, Any]) -> None:
    limit = _address_space() + MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 5))
    os.chdir(request["cwd"])
    os.environ.update(request.get("env", {}))
    tempfile.tempdir = None  # tempfile caches its folder: let it read TMPDIR again
    out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdin = Path(os.devnull).open(encoding="utf-8")  # noqa: SIM115
    try:
        cli.main(args=request["args"], prog_name="review")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os._exit(0)


def _serve(request: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            _child(request)
        finally:
            os._exit(70)
    killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > WALL_SECONDS:
            os.kill(pid, signal.SIGKILL)
            killed = True
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.01)
    code = os.waitstatus_to_exitcode(status)
    return {
        "code": code,
        "seconds": round(time.monotonic() - started, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "max_rss": usage.ru_maxrss * 1024,
        "killed": killed,
    }


def main() -> None:
    find_spans("warm-up 13812345678 someone@example.com")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        print(json.dumps(_serve(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()

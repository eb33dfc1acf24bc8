"""Every hostile input ends in exit 0, 1 or 2 with at most one line of error, within
30 CPU seconds and 1 GiB, and no seeded value reaches any file the tool writes, its output or a
crash file (TMPDIR points into the case's folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.hostile.corpus import CASES, SEEDS, Case
from tests.hostile.runner import MEMORY, SECONDS, WALL_SECONDS


class Runner:
    """The forking runner subprocess (``tests.hostile.runner``)."""

    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.runner"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    started = Runner()
    yield started
    started.close()


def _patterns() -> list[bytes]:
    out = []
    for seed in SEEDS:
        out.append(seed.encode("utf-8"))
        escaped = json.dumps(seed)[1:-1]  # as ensure_ascii JSON writes it
        out.append(escaped.encode("ascii"))
    return sorted(set(out))


PATTERNS = _patterns()


def _files(root: Path) -> dict[Path, tuple[int, int]]:
    found = {}
    for path in root.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        info = path.stat()
        found[path] = (info.st_mtime_ns, info.st_size)
    return found


def test_the_corpus_is_large_and_covers_every_reader() -> None:
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)
    readers = {c.reader for c in CASES}
    assert readers >= {
        "csv", "tsv", "json", "jsonl", "parquet", "xlsx", "text", "special", "folder",
        "run", "config", "baseline", "answers", "review.json", "pdf", "trust", "pkcs12",
        "key file", "desensitise", "lockfile", "sbom", "cert",
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, runner: Runner, tmp_path: Path) -> None:
    work = tmp_path / "case"
    work.mkdir()
    (tmp_path / "tmp").mkdir()
    args = case.build(work)
    inputs = _files(tmp_path)
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = {
        "TMPDIR": str(tmp_path / "tmp"),
        "REVIEW_REPORT__ENABLED": "false",
        "NO_COLOR": "1",
        **case.env,
    }
    result = runner.run(
        {"args": args, "cwd": str(work), "env": env, "stdout": str(out), "stderr": str(err)}
    )
    stderr = err.read_text(encoding="utf-8", errors="replace")
    assert not result["killed"], f"hung: killed after {WALL_SECONDS} s"
    assert result["cpu_seconds"] < SECONDS
    assert result["max_rss"] < MEMORY + (256 << 20), f"{result['max_rss'] >> 20} MiB"
    assert result["code"] != 3, stderr
    assert result["code"] in case.codes, f"exit {result['code']}: {stderr}"
    lines = stderr.splitlines()
    if result["code"] == 2:
        assert len(lines) == 1 and lines[0].startswith("review: error: "), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    said = stderr if result["code"] == 2 else out.read_text(encoding="utf-8", errors="replace")
    assert case.expect in said, f"ended for another reason than the case's: {said[-600:]}"
    written = [p for p, stamp in _files(tmp_path).items() if inputs.get(p) != stamp]
    assert out in written or out.exists()
    for path in written:
        data = path.read_bytes()
        markup = path.suffix in (".md", ".html")
        for pattern in [*PATTERNS, *(f.encode() for f in case.forbidden if markup)]:
            assert pattern not in data, f"{pattern!r} in {path.relative_to(tmp_path)}"
            assert pattern.decode("utf-8", "replace") not in path.name

"""A small progress bar on stderr, shown only on a terminal and never in CI or JSON mode."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator, Sized
from typing import TextIO, TypeVar

T = TypeVar("T")


def progress_wanted(machine_output: bool, stream: TextIO | None = None) -> bool:
    """Whether to draw progress: a TTY, not CI, and not ``--format json``."""
    stream = stream or sys.stderr
    if machine_output or os.environ.get("CI") or os.environ.get("REVIEW_NO_PROGRESS"):
        return False
    return stream.isatty()


class Progress:
    """Draws ``label [#####     ] 12/40`` lines; a no-op when disabled."""

    def __init__(self, enabled: bool = False, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr

    def track(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
        """Yield ``items`` while drawing progress for them."""
        if not self.enabled:
            yield from items
            return
        if total is None and isinstance(items, Sized):
            total = len(items)
        last = 0.0
        done = 0
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if now - last > 0.1:
                last = now
                self._draw(label, done, total)
        self._draw(label, done, total)
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, label: str, done: int, total: int | None) -> None:
        if total:
            filled = int(30 * min(done, total) / total)
            bar = "#" * filled + " " * (30 - filled)
            self.stream.write(f"\r{label} [{bar}] {done}/{total}")
        else:
            self.stream.write(f"\r{label} {done}")
        self.stream.flush()

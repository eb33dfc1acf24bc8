"""Writing one run's outputs as a set: locked against a concurrent run, swapped in whole.

Every output is written into a staging folder inside OUT first; only when all of them
are ready are they moved in, the previous run's ``review.json`` first removed and the
new one moved in last. So ``review.json`` beside other outputs always means they all
come from its run: a run killed halfway leaves the old set, or a set without
``review.json``, never a mix. A lock file in OUT keeps a second run from writing there
at the same time (it exits 2 instead of interleaving its files with the first run's).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path
from types import TracebackType

from review.core.errors import InputError

LOCK_NAME = ".review.lock"
STAGING_PREFIX = ".review-staging-"

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the staging swap still applies
    fcntl = None  # type: ignore[assignment]


class OutputSet:
    """``with OutputSet(out, managed, last) as outputs:`` write into ``outputs.staging``,
    then ``outputs.commit()``; leaving without committing leaves OUT as it was."""

    def __init__(self, out: Path, managed: Collection[str], last: str) -> None:
        self.out = out
        self.managed = frozenset(managed)
        """Names this tool writes into OUT: the previous run's are replaced as a set."""
        self.last = last
        """The output moved in last and removed first: its presence marks a whole set."""
        self._lock: int | None = None
        self._staging: Path | None = None

    @property
    def staging(self) -> Path:
        assert self._staging is not None, "use OutputSet as a context manager"
        return self._staging

    def __enter__(self) -> OutputSet:
        if self.out.exists() and not self.out.is_dir():
            raise InputError(self.out, "is a file; --out names a directory for the outputs")
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self.out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(self.out, f"cannot write: {exc.strerror or exc}") from None
        if fcntl is not None:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(self._lock)
                self._lock = None
                raise InputError(
                    self.out,
                    "another review run is writing its outputs here (locked); wait for it "
                    "to finish or give another --out",
                ) from None
        for stale in self.out.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
        self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out))
        return self

    def commit(self) -> None:
        """Move the staged outputs into OUT, replacing the previous run's as a set."""
        staged = sorted(p.name for p in self.staging.iterdir())
        try:
            (self.out / self.last).unlink(missing_ok=True)
            for name in sorted(self.managed - set(staged)):
                (self.out / name).unlink(missing_ok=True)
            for name in sorted(staged, key=lambda n: n == self.last):
                (self.staging / name).replace(self.out / name)
            self._sync()
        except OSError as exc:
            raise InputError(self.out, f"cannot write: {exc.strerror or exc}") from None

    def _sync(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            fd = os.open(self.out, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        if self._lock is not None:
            os.close(self._lock)  # releases the lock
            self._lock = None

"""File helpers: atomic writes, hashing, reading inputs, showing paths.

Every input file is opened through ``open_input``: special files (FIFOs, devices,
sockets) are refused before anything reads them, since reading a FIFO blocks forever
and a device such as /dev/zero never ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from review.core.errors import InputError, printable
from review.core.limits import DEFAULT_LIMITS


def atomic_write(path: Path, data: bytes | str, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: never half-written.

    ``private`` keeps the file readable by its owner only (mode 0600), for key stores.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():
        raise InputError(path, "is a directory; a file name is needed here")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        Path(tmp).chmod(0o600 if private else 0o666 & ~_umask())
        Path(tmp).replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sha256_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open_input(path, "file") as handle:
        try:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest(), size


_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What kind of special file ``mode`` describes, or None for a regular file."""
    return next((what for test, what in _SPECIAL if test(mode)), None)


def check_regular(path: Path, kind: str = "file") -> int:
    """``path``'s size; an InputError unless it is an existing regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, f"is a directory, not a {kind}")
    special = special_kind(info.st_mode)
    if special is not None:
        raise InputError(path, f"is {special}, not a {kind}; refused (it may never end)")
    return info.st_size


def open_input(path: Path, kind: str = "file", limit: int | None = None) -> BinaryIO:
    """Open an input file for reading in binary; special files and files over ``limit``
    bytes are refused up front (the check is repeated on the open descriptor, so a file
    swapped for a FIFO in between is refused too)."""
    size = check_regular(path, kind)
    if limit is not None and size > limit:
        raise InputError(path, f"{size} bytes: larger than the limit of {limit} bytes")
    try:
        # O_NONBLOCK: opening a FIFO swapped in after the check must not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    special = special_kind(os.fstat(fd).st_mode)
    if special is not None:
        os.close(fd)
        raise InputError(path, f"is {special}, not a {kind}; refused (it may never end)")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_input(path: Path, kind: str = "file", limit: int = DEFAULT_LIMITS.document_bytes) -> bytes:
    """All bytes of an input file read whole; a missing, special, oversized or unreadable
    one is an InputError naming it."""
    with open_input(path, kind, limit) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(path, f"larger than the limit of {limit} bytes")
    return data


def read_utf8(path: Path, kind: str = "file", limit: int = DEFAULT_LIMITS.document_bytes) -> str:
    """An input file's text, which must be UTF-8 (a BOM is allowed)."""
    try:
        return read_input(path, kind, limit).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not UTF-8 encoded at byte {exc.start} ({kind}s must be UTF-8)"
        ) from None


def display_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when inside it, else absolute; always POSIX form."""
    resolved = path.resolve()
    try:
        return printable(resolved.relative_to(base.resolve()).as_posix())
    except ValueError:
        return printable(resolved.as_posix())

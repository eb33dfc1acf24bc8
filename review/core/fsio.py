"""File helpers: atomic writes, hashing, reading inputs, showing paths."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from review.core.errors import InputError


def atomic_write(path: Path, data: bytes | str, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: never half-written.

    ``private`` keeps the file readable by its owner only (mode 0600), for key stores.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
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
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest(), size


def read_input(path: Path, kind: str = "file") -> bytes:
    """All bytes of an input file; a missing or unreadable one is an InputError naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, f"is a directory, not a {kind}") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def read_utf8(path: Path, kind: str = "file") -> str:
    """An input file's text, which must be UTF-8 (a BOM is allowed)."""
    try:
        return read_input(path, kind).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, f"not UTF-8 encoded ({kind}s must be UTF-8)") from None


def display_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when inside it, else absolute; always POSIX form."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(base.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()

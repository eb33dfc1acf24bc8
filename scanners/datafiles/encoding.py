"""Text encoding detection: BOMs, strict UTF-8, strict GB18030 (covers GBK), charset-normalizer."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from review.core.errors import InputError
from review.core.fsio import open_input

SAMPLE_BYTES = 1 << 20
"""How much of the start of a file decides its encoding."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    # An incremental decoder tolerates a multi-byte character cut at the sample's end.
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def read_sample(path: Path, source: str | None = None) -> tuple[bytes, bool]:
    """The first bytes of ``path`` and whether they are the whole file."""
    try:
        with open_input(path, "data file") as handle:
            sample = handle.read(SAMPLE_BYTES + 1)
    except InputError as exc:
        raise InputError(source or exc.source, exc.problem) from None
    except OSError as exc:
        raise InputError(source or path, f"cannot read: {exc.strerror or exc}") from None
    return sample[:SAMPLE_BYTES], len(sample) <= SAMPLE_BYTES


# C0 controls other than tab, newline, form feed and carriage return, and C1 controls:
# text has next to none; binary decoded as a single-byte code page is full of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
CONTROL_SHARE = 0.01


def detect_encoding(path: Path, source: str | None = None) -> str:
    """Python codec name of a text file: ``utf-8``, ``utf-8-sig``, ``gb18030``, ...

    Raises InputError for binary content and for bytes no known encoding explains.
    ``source``: how errors name the file (default: its path).
    """
    where = source or str(path)
    sample, complete = read_sample(path, where)
    encoding = _encoding_of(sample, complete, where)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if len(_CONTROL.findall(text)) > CONTROL_SHARE * max(len(text), 1):
        raise InputError(where, "binary file, not text (full of control characters)")
    return encoding


def _encoding_of(sample: bytes, complete: bool, where: str) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample:
        raise InputError(where, "binary file, not text (contains NUL bytes)")
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    # GB18030 is a superset of GBK and GB2312, so one strict decode covers all three.
    if _decodes(sample, "gb18030", complete):
        return "gb18030"
    best = from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise InputError(where, "unknown text encoding (not UTF-8, GB18030/GBK or another known)")
    return str(best.encoding)

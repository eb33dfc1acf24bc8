"""One root exception for the whole tool; the CLI turns each kind into an exit code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar


def printable(text: str) -> str:
    """``text`` safe to print and serialise: bytes of a file name that are not UTF-8
    (which Python keeps as lone surrogates) become U+FFFD."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\S*@\S+|\d{5,}")


def library_message(message: BaseException | str, limit: int = 120) -> str:
    """A third-party library's message about an input, with what it quotes from the input
    left out (quoted text, anything with an @, runs of digits): the kind of fault stays,
    a value from the file (a supplier's e-mail, an ID) does not."""
    return printable(_QUOTED.sub("…", " ".join(str(message).split())))[:limit]


class ReviewError(Exception):
    """Root of every error the tool raises on purpose."""

    exit_code: ClassVar[int] = 3


class InputError(ReviewError):
    """Bad user input: a missing, unreadable or malformed file, or an invalid value.

    The message must never contain a raw personal-data value: name the file, the
    location (row, column, key path) and what is wrong, not the offending content.
    """

    exit_code: ClassVar[int] = 2

    def __init__(self, source: str | Path | None, problem: str) -> None:
        self.source = None if source is None else printable(str(source))
        self.problem = printable(problem)
        super().__init__(f"{self.source}: {self.problem}" if self.source else self.problem)


class ConfigError(InputError):
    """Invalid configuration (review.toml or [tool.review] in pyproject.toml)."""

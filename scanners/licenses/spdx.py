"""SPDX expressions through ``license-expression`` and its bundled ScanCode license index."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

from review.core.errors import InputError

_LICENSE_REF = re.compile(r"(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")


@cache
def licensing() -> Licensing:
    """The SPDX licensing (built once: loading the index takes a moment)."""
    return get_spdx_licensing()


@lru_cache(maxsize=4096)
def normalise(text: str) -> str | None:
    """The canonical SPDX form of ``text``, or None when it is not a valid SPDX expression."""
    text = text.strip()
    if not text or len(text) > 500 or "\n" in text:
        return None
    try:
        info = licensing().validate(text)
    except (ExpressionError, TypeError, ValueError, AttributeError):
        # license-expression 30.x raises AttributeError on some invalid keys (";").
        return None
    if info.invalid_symbols and all(_LICENSE_REF.fullmatch(k) for k in info.invalid_symbols):
        # User-defined ``LicenseRef-`` ids are valid SPDX even when no index knows them.
        normalized: str = licensing().parse(text).render()
    elif info.errors or info.invalid_symbols or not info.normalized_expression:
        return None
    else:
        normalized = info.normalized_expression
    # ScanCode's own keys are valid only with the LicenseRef-scancode- prefix.
    if any(_is_bare_scancode_key(key) for key in keys(normalized)):
        return None
    return normalized


def _is_bare_scancode_key(key: str) -> bool:
    return (
        key.lower() == key and not key.startswith("licenseref-") and "-" in key and "." not in key
    )


def require(text: str, source: str) -> str:
    """Like ``normalise`` but an invalid string is an input error naming ``source``."""
    normalized = normalise(text)
    if normalized is None:
        raise InputError(source, f"not a valid SPDX license expression: {text[:80]!r}")
    return normalized


def parse(expression: str) -> Any:
    """Parse a normalised expression into the library's tree (AND / OR / symbols)."""
    return licensing().parse(expression, simple=False)


def keys(expression: str) -> list[str]:
    """License keys of an expression, ``id WITH exception`` kept together, sorted."""
    return list(_keys(expression))


@lru_cache(maxsize=4096)
def _keys(expression: str) -> tuple[str, ...]:
    tree = licensing().parse(expression)
    if tree is None:
        return ()
    out: list[str] = []
    for sym in tree.symbols:
        key = symbol_key(sym)
        if key not in out:
            out.append(key)
    return tuple(sorted(out))


def symbol_key(sym: Any) -> str:
    """``MIT`` or ``GPL-2.0-only WITH Classpath-exception-2.0``."""
    if isinstance(sym, LicenseWithExceptionSymbol):
        return f"{sym.license_symbol.key} WITH {sym.exception_symbol.key}"
    return str(sym.key)


def is_and(node: Any) -> bool:
    return isinstance(node, AND)


def is_or(node: Any) -> bool:
    return isinstance(node, OR)


def is_symbol(node: Any) -> bool:
    return isinstance(node, LicenseSymbol | LicenseWithExceptionSymbol)

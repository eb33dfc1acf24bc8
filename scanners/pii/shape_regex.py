"""Whether a pattern can match any text of a given shape: the pattern read over classes.

A shape (``FastAnalyzer.shape``) replaces every character of a text by the
representative of its class. ``ShapeAlphabet.may_match`` rewrites a pattern into one
over representatives, in which each character set becomes the set of classes holding a
character it matches. Whenever a text matches the pattern, its shape matches the
rewrite at the same place, so a rewrite that finds nothing in a shape proves that the
pattern matches no text of that shape: a column of amounts or order numbers need not
run the date, IP or card patterns on each value.

Assertions (look-arounds) are kept only where their rewrite is exact, that is where
every set in them takes each class wholly or not at all; other assertions, word
boundaries and back-references are dropped or widened, which only lets the rewrite
match more. Anything the rewrite does not understand makes the answer "may match".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex  # type: ignore[import-untyped]

_BMP = "".join(map(chr, range(0x10000)))
_SET_FLAGS = re.IGNORECASE | re.ASCII
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


class _Unsupported(Exception):
    """A construct the rewrite does not handle: the pattern may match anything."""


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class ShapeAlphabet:
    """The classes of one shape table (character code -> representative's code)."""

    def __init__(self, table: Mapping[int, int]) -> None:
        self.table = table
        self.size = Counter(table.values())
        self.everything = "".join(map(_escape, sorted(self.size)))
        self._sets: dict[tuple[str, bool, int], tuple[str, bool]] = {}
        self._rewrites: dict[tuple[str, int], Any | None] = {}
        self._words: dict[str, Any] = {}
        self._lowers: dict[str, set[int]] | None = None

    def may_hold(self, word: str, shape: str) -> bool:
        """False only if no text of ``shape`` holds ``word`` once lower-cased (how context
        words are compared)."""
        search = self._words.get(word)
        if search is None:
            if self._lowers is None:
                self._lowers = {}
                for code, rep in self.table.items():
                    for char in chr(code).lower():
                        self._lowers.setdefault(char, set()).add(rep)
            classes = [
                "[" + "".join(map(_escape, sorted(self._lowers.get(c, ())))) + "]" for c in word
            ]
            # İ lower-cases to two characters: where it may be, the word may be too.
            dotted_i = _escape(self.table[0x130])
            search = self._words[word] = re.compile("".join(classes) + "|" + dotted_i)
        return search.search(shape) is not None

    def may_match(self, pattern: str, flags: int, shape: str) -> bool:
        """False only if ``pattern`` (with ``flags``) matches no text of ``shape``."""
        if any(ord(c) > 0xFFFF for c in shape):
            return True  # characters outside the table stand for themselves only
        key = (pattern, flags)
        if key not in self._rewrites:
            self._rewrites[key] = self._rewrite(pattern, flags)
        rewrite = self._rewrites[key]
        return rewrite is None or rewrite.search(shape) is not None

    def _rewrite(self, pattern: str, flags: int) -> Any | None:
        try:
            parsed = sre_parse.parse(pattern, flags)
            source, _ = self._sequence(parsed, parsed.state.flags | flags)
        except (_Unsupported, re.error, TypeError, ValueError, OverflowError):
            return None
        for engine in (re, regex):
            try:
                return engine.compile(source)
            except (re.error, regex.error):
                continue
        return None

    def _sequence(self, items: Any, flags: int) -> tuple[str, bool]:
        parts = []
        exact = True
        for op, av in items:
            part, ok = self._item(op, av, flags)
            parts.append(part)
            exact = exact and ok
        return "".join(parts), exact

    def _item(self, op: Any, av: Any, flags: int) -> tuple[str, bool]:
        if op is sre.LITERAL:
            return self._set(_escape(av), False, flags)
        if op is sre.NOT_LITERAL:
            return self._set(_escape(av), True, flags)
        if op is sre.ANY:
            if flags & re.DOTALL:
                return f"[{self.everything}]", True
            return self._set(_escape(ord("\n")), True, flags)
        if op is sre.IN:
            return self._in(av, flags)
        if op is sre.BRANCH:
            branches = [self._sequence(b, flags) for b in av[1]]
            return "(?:" + "|".join(s for s, _ in branches) + ")", all(e for _, e in branches)
        if op is sre.SUBPATTERN:
            _, add, remove, inner = av
            source, exact = self._sequence(inner, (flags | add) & ~remove)
            return f"(?:{source})", exact
        if op is sre.ATOMIC_GROUP:
            source, exact = self._sequence(av, flags)
            return f"(?:{source})", exact
        if op in _REPEATS:
            low, high, inner = av
            source, exact = self._sequence(inner, flags)
            top = "" if high == sre.MAXREPEAT else str(high)
            return f"(?:{source}){{{low},{top}}}", exact
        if op is sre.AT:
            return self._at(av, flags)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, inner = av
            source, exact = self._sequence(inner, flags)
            if not exact:
                return "", False  # dropping an assertion only widens the rewrite
            positive = "=" if op is sre.ASSERT else "!"
            return f"(?{'<' if direction < 0 else ''}{positive}{source})", True
        if op is sre.GROUPREF:
            return f"[{self.everything}]*", False
        if op is sre.GROUPREF_EXISTS:
            _, yes, no = av
            first, _ = self._sequence(yes, flags)
            second, _ = self._sequence(no, flags) if no is not None else ("", True)
            return f"(?:{first}|{second})", False
        raise _Unsupported(str(op))

    def _at(self, where: Any, flags: int) -> tuple[str, bool]:
        # Line ends are exact: a newline is a class of its own in the shape table.
        multiline = bool(flags & re.MULTILINE)
        if where is sre.AT_BEGINNING_STRING:
            return r"\A", True
        if where is sre.AT_END_STRING:
            return r"\Z", True
        if where is sre.AT_BEGINNING:
            return ("(?m:^)" if multiline else r"\A"), True
        if where is sre.AT_END:
            return ("(?m:$)" if multiline else "(?-m:$)"), True
        return "", False  # word boundaries: Python's \w is not a union of classes

    def _in(self, items: Any, flags: int) -> tuple[str, bool]:
        negate = bool(items) and items[0][0] is sre.NEGATE
        pieces = []
        for op, av in items[1:] if negate else items:
            if op is sre.LITERAL:
                pieces.append(_escape(av))
            elif op is sre.RANGE:
                pieces.append(f"{_escape(av[0])}-{_escape(av[1])}")
            elif op is sre.CATEGORY and av in _CATEGORIES:
                pieces.append(_CATEGORIES[av])
            else:
                raise _Unsupported(str(op))
        return self._set("".join(pieces), negate, flags)

    def _set(self, pieces: str, negate: bool, flags: int) -> tuple[str, bool]:
        """A character set ``[pieces]`` (``[^pieces]`` when ``negate``) over classes, and
        whether it is exact."""
        key = (pieces, negate, flags & _SET_FLAGS)
        known = self._sets.get(key)
        if known is None:
            # The positive set is small, so finding its members is quick; a negated set
            # holds the rest of each class.
            members = re.compile(f"[{pieces}]", flags & _SET_FLAGS).findall(_BMP)
            counts = Counter(self.table[ord(m)] for m in members)
            exact = all(counts[rep] == self.size[rep] for rep in counts)
            if negate:
                reps = [rep for rep, size in self.size.items() if counts[rep] < size]
            else:
                reps = list(counts)
            source = "[" + "".join(map(_escape, sorted(reps))) + "]" if reps else "(?!)"
            known = self._sets[key] = (source, exact)
        return known

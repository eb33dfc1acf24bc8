"""The analyzers: Presidio's own AnalyzerEngine built offline, and a fast engine with the
same recognizers and the same scoring semantics but without Presidio's per-text costs.

Presidio runs an NLP pipeline on every text, builds explanation objects for every
match and enhances context by walking tokens for every result. The fast engine keeps
the semantics that decide results (pattern score; validation -> 1.0 or dropped;
invalidation; +0.35 context boost with a 0.4 floor over five keywords before the match
plus explicit context such as a column header; Presidio's duplicate removal) and pays
for them only where a match exists. A character pre-filter skips recognizers that
cannot match a text; for a column's expected entity, the search guarding the other
patterns is planned once per text shape (digits, letters and gate characters), so
values such as phone numbers or addresses cost one translation and one search. Columns
that repeat a few shapes without personal data (amounts, order numbers, timestamps,
codes) run only what can match each shape (``shape_analyzer``): often nothing.
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable

import regex  # type: ignore[import-untyped]
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from review.core.errors import InputError
from review.scanners.pii.free_text import FreeTextRecognizer
from review.scanners.pii.nlp import OfflineNlpEngine, context_words
from review.scanners.pii.phones import SIGNIFICANT
from review.scanners.pii.recognizers import (
    ENTITY_TYPES,
    WORD,
    ValidatedRecognizer,
    build_recognizers,
)
from review.scanners.pii.shape_regex import ShapeAlphabet
from review.scanners.pii.vocab import LANGUAGE, SURNAMES_1, SURNAMES_2

SCORE_THRESHOLD = 0.4
"""Hits scoring below this are not reported (Presidio's context floor is 0.4, so a weak
pattern counts once a context word or header supports it)."""

CONTEXT_FACTOR = 0.35
CONTEXT_FLOOR = 0.4
_RANK = {entity: i for i, entity in enumerate(ENTITY_TYPES)}


class PiiHit(NamedTuple):
    """One detected entity in one string (offsets in characters).

    A named tuple rather than a frozen dataclass: hits are made for every match and a
    tuple is several times cheaper to create, with the same ordering and hashing."""

    start: int
    end: int
    entity_type: str
    score: float


_FEW = 32
"""Up to this many hits, pairwise comparison is the cheapest way to resolve them."""


def resolve_overlaps(hits: Iterable[PiiHit]) -> list[PiiHit]:
    """Keep the most specific entity where hits overlap; result sorted by position.

    Linear in the hits and their lengths: taken hits mark their characters, so each
    later hit checks only its own span (a line of 100,000 phone numbers stays fast)."""
    ranked = sorted(
        hits,
        key=lambda h: (_RANK.get(h.entity_type, len(_RANK)), -h.score, h.start - h.end, h.start),
    )
    kept: list[PiiHit] = []
    if len(ranked) <= _FEW:
        for hit in ranked:
            if all(hit.end <= k.start or hit.start >= k.end for k in kept):
                kept.append(hit)
        return sorted(kept)
    taken = bytearray(max(h.end for h in ranked))
    for hit in ranked:
        if taken.find(1, hit.start, hit.end) == -1:
            kept.append(hit)
            taken[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
    return sorted(kept)


def _presidio_dedupe(hits: list[PiiHit]) -> list[PiiHit]:
    """Presidio's ``remove_duplicates``: drop a hit contained in a same-entity hit scoring
    at least as high; identical spans of one entity collapse to the best score.

    Hits are swept by position, each compared only with the earlier hits that still
    reach it, so the work grows with the hits, not with their square."""
    by_entity: dict[str, list[PiiHit]] = {}
    for hit in set(hits):
        by_entity.setdefault(hit.entity_type, []).append(hit)
    out: list[PiiHit] = []
    for group in by_entity.values():
        if len(group) == 1:
            out.extend(group)
            continue
        group.sort(key=lambda h: (h.start, -h.end, -h.score))
        reaching: list[tuple[int, int, PiiHit]] = []  # heap of (end, order, hit)
        best: dict[tuple[int, int], PiiHit] = {}
        for order, hit in enumerate(group):
            # Hits ending before this one starts reach no later hit either.
            while reaching and reaching[0][0] < hit.start:
                heapq.heappop(reaching)
            contained = any(
                end >= hit.end
                and (other.start, end) != (hit.start, hit.end)
                and hit.score <= other.score
                for end, _, other in reaching
            )
            heapq.heappush(reaching, (hit.end, order, hit))
            if contained:
                continue
            span = (hit.start, hit.end)
            if span not in best or hit.score > best[span].score:
                best[span] = hit
        out.extend(best.values())
    return out


@dataclass(frozen=True)
class _CompiledPattern:
    entity: str
    recognizer: PatternRecognizer
    compiled: Any
    score: float
    context: tuple[str, ...]
    gate: Gate
    source: str
    flags: int
    validate: Any
    """The recognizer's ``validate_result``, or None where it is Presidio's no-op."""
    invalidate: Any
    """The recognizer's ``invalidate_result``, or None where it is Presidio's no-op."""


@dataclass(frozen=True)
class Gate:
    """Necessary conditions for a recognizer's patterns to match, read off its regexes.

    Checked before running a regex: any of ``chars`` present (None: no condition), text
    at least ``min_len`` long, some maximal digit run with a length in ``digit_run``,
    a letter present when ``letter`` (an ASCII letter, or one of the four others that
    case-insensitive ``[a-z]`` matches).
    """

    chars: frozenset[str] | None = frozenset("0123456789")
    min_len: int = 1
    digit_run: tuple[int, int] | None = None
    letter: bool = False
    bounded: bool = False
    """The digit run must have no word character (letter, digit, _) on either side."""
    span: int = 0
    """Least number of digits in one maximal run of digits, spaces, dots and hyphens
    (numbers written with separators, such as ``138 1234 5678``)."""


_PROVINCE_CHARS = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
GATES: dict[str, Gate] = {
    "CN_RESIDENT_ID": Gate(min_len=18, digit_run=(17, 18)),
    "CN_USCC": Gate(min_len=18, digit_run=(7, 18)),  # [1-9]\d{6}
    "HK_ID_CARD": Gate(min_len=8, digit_run=(6, 7), letter=True),
    "TW_NATIONAL_ID": Gate(min_len=10, digit_run=(9, 9), letter=True),
    "CN_BANK_CARD": Gate(min_len=16, digit_run=(4, 19), bounded=True, span=16),
    "CREDIT_CARD": Gate(min_len=13, digit_run=(3, 19), bounded=True, span=13),
    "IBAN_CODE": Gate(min_len=12, digit_run=(2, 40), letter=True),
    "CRYPTO": Gate(chars=None, min_len=26),
    "US_SSN": Gate(min_len=9, digit_run=(2, 9), bounded=True, span=9),
    "MaestroShortRecognizer": Gate(min_len=12, digit_run=(12, 12), bounded=True, span=12),
    "CN_PASSPORT": Gate(min_len=9, digit_run=(7, 8), letter=True),
    "CN_HMT_PERMIT": Gate(min_len=9, digit_run=(7, 10), letter=True),
    "EMAIL_ADDRESS": Gate(chars=frozenset("@"), min_len=5),
    "CN_MOBILE_PHONE": Gate(min_len=11, digit_run=(3, 15), bounded=True, span=11),
    "IP_ADDRESS": Gate(chars=frozenset(".:"), min_len=2),
    "CN_LICENSE_PLATE": Gate(chars=_PROVINCE_CHARS, min_len=7),
    # A URL ends in a top-level domain: letters (its patterns are case-insensitive).
    "URL": Gate(chars=frozenset("."), min_len=4, letter=True),
    "DATE_TIME": Gate(chars=frozenset("-/.:"), min_len=3, digit_run=(1, 4)),
    "ChineseNameRecognizer": Gate(
        chars=frozenset(SURNAMES_1) | {s[0] for s in SURNAMES_2.split("|")}, min_len=2
    ),
    "LatinNameRecognizer": Gate(chars=frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_len=3),
}
"""Gates by recognizer name, else by entity; recognizers without one always run."""

_ALWAYS = Gate(chars=None)
_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_FOLDED_LETTERS = frozenset("\u0130\u0131\u017f\u212a")
"""İ ı ſ K: the non-ASCII letters Python's case-insensitive ``[a-z]`` matches."""
_LETTERS = _ASCII_LETTERS | _FOLDED_LETTERS

_DIGIT_RUN = re.compile(r"\d+")
_BOUNDED_RUN = re.compile(rf"(?<!{WORD})\d+(?!{WORD})")
_SPAN = re.compile(r"[\d .\-]+")
_SPAN_SEPARATORS = frozenset(" .-")
_FOLDED_WORD = frozenset(
    c
    for c in map(chr, range(0x10000))
    if re.fullmatch(WORD, c, re.IGNORECASE) and not re.fullmatch(WORD, c)
)
SHAPE_CHARSETS = (
    *(frozenset(c) for c in sorted(SIGNIFICANT)),
    *(frozenset(c) for c in sorted(_FOLDED_LETTERS)),
    _FOLDED_WORD,
    frozenset("\n"),
    frozenset(c for c in map(chr, range(0x10000)) if c.isspace()),
)
"""Characters a shape keeps apart beyond what the gates read: those the phone rules
read (``phones.SIGNIFICANT``, whitespace), so a shape decides the phone verdicts too;
the characters case-insensitive ``[a-z]`` and ``WORD`` take besides their own, and the
newline (line anchors), so the rewrites of ``shape_regex`` keep look-arounds over them."""
_PHONE_CANDIDATE = re.compile(r"[+(（]?\d[\d \-().（）]{5,}\d")
_PHONE_RANK = _RANK["PHONE_NUMBER"]


@runtime_checkable
class ShapeAware(Protocol):
    """A recognizer that can tell from a text's shape that none of its hits could count."""

    context: list[str] | None

    def shape_may_count(self, shape: str, context_possible: bool) -> bool:
        """False when no text of ``shape`` can give a hit at or above the threshold;
        ``context_possible``: whether context words may lift a weak hit."""
        ...


class _ShapePlan(NamedTuple):
    """What ``FastAnalyzer.shape_analyzer`` runs on texts of one shape."""

    specs: list[_CompiledPattern]
    search: Any | None
    custom: tuple[tuple[EntityRecognizer, Any | None, list[str]], ...]
    others: tuple[tuple[EntityRecognizer, list[str]], ...]


def _wanted(recognizer: EntityRecognizer, entities: frozenset[str] | None) -> list[str]:
    return [e for e in recognizer.supported_entities if entities is None or e in entities]


_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL


def _phones_covered(text: str, kept: list[PiiHit]) -> bool:
    """Whether every digit of every phone candidate in ``text`` lies inside a kept hit
    more specific than a phone number. python-phonenumbers is the slowest recognizer by
    far, and its hits can only survive elsewhere (a phone number holds a digit, and one
    overlapping a more specific hit always loses), so it runs only when this is False.

    Digit runs are checked one by one against the sorted hits: a candidate may span a
    whole line of space-separated numbers, each covered by its own hit."""
    covered = sorted(
        (h.start, h.end) for h in kept if _RANK.get(h.entity_type, len(_RANK)) < _PHONE_RANK
    )
    starts = [start for start, _ in covered]
    for candidate in _PHONE_CANDIDATE.finditer(text):
        for digits in _DIGIT_RUN.finditer(text, candidate.start(), candidate.end()):
            index = bisect_right(starts, digits.start()) - 1
            if index < 0 or covered[index][1] < digits.end():
                return False
    return True


WINDOW_CHARS = 16_384
"""Texts longer than this are analysed in overlapping windows of this size, so the work
per hit is bounded whatever the length of a cell or line."""

WINDOW_OVERLAP = 1_024
"""Characters each window shares with its neighbours on either side: room for an entity
crossing the boundary and for the context words before it."""

_CUT_SEARCH = 256


def _cut(text: str, position: int) -> int:
    """A window boundary at or shortly after ``position`` that splits no run of ASCII
    letters and digits (a number cut in two would be two wrong numbers)."""
    position = max(0, min(position, len(text)))
    for index in range(position, min(position + _CUT_SEARCH, len(text))):
        if not (_ascii_alnum(text[index - 1]) and _ascii_alnum(text[index])):
            return index
    return position


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _compile(pattern: str, flags: int) -> Any:
    """The stdlib engine where it accepts the pattern (several times faster), else ``regex``."""
    try:
        return re.compile(pattern, flags & _RE_FLAGS)
    except re.error:
        return regex.compile(pattern, flags=flags)


def _scoped(pattern: str, flags: int) -> str:
    """``pattern`` wrapped so its flags apply inside an alternation: ``(?i:...)``."""
    if pattern.startswith("(?i)"):  # a global inline flag (Presidio's URL patterns)
        pattern, flags = pattern[4:], flags | re.IGNORECASE
    on = ("i" if flags & re.IGNORECASE else "") + ("m" if flags & re.MULTILINE else "")
    on += "s" if flags & re.DOTALL else ""
    off = "".join(f for f in "ims" if f not in on)
    return f"(?{on}{'-' + off if off else ''}:{pattern})"


def any_match_gate(patterns: Sequence[tuple[str, int]]) -> Any | None:
    """One stdlib regex matching wherever any of ``patterns`` matches, or None when they
    cannot be combined. A search that finds nothing proves none of them matches, in one
    pass over the text instead of one per pattern."""
    if not patterns:
        return None
    try:
        return re.compile("|".join(_scoped(p, f) for p, f in patterns))
    except re.error:
        return None


@lru_cache(maxsize=4096)
def _explicit_support(words: tuple[str, ...], explicit: tuple[str, ...]) -> bool:
    return any(word in kw for word in words for kw in explicit)


def _supported(words: tuple[str, ...], text: str, start: int, explicit: list[str]) -> bool:
    """Presidio's context test: a recognizer context word inside a keyword near the match
    or inside an explicit context word. Explicit context (a header) is checked first
    because it needs no tokenizing (and is the same for a whole column)."""
    if explicit and _explicit_support(words, tuple(explicit)):
        return True
    window = context_words(text, start)
    return any(word in kw for word in words for kw in window)


_WORD = re.compile(WORD)


def _own(recognizer: PatternRecognizer, name: str) -> Any:
    """``recognizer``'s method ``name``, or None where it always returns None (so calling
    it per match can be skipped): PatternRecognizer's, or a ValidatedRecognizer's
    ``validate_result`` without a validator."""
    if getattr(type(recognizer), name) is getattr(PatternRecognizer, name):
        return None
    if isinstance(recognizer, ValidatedRecognizer) and name == "validate_result":
        return None if recognizer.validator is None else recognizer.validator
    return getattr(recognizer, name)


_MISSING = object()
_FULL = object()
"""A planned gate meaning: run the full analysis."""


@lru_cache(maxsize=4)
def _shape_table(charsets: tuple[frozenset[str], ...]) -> dict[int, int]:
    """``str.translate`` table mapping each BMP character to a representative of its class.

    A character's class: ASCII digit, other decimal digit, ASCII letter, ``_``, other
    word character (``WORD``), or anything else; and which gate character sets hold it.
    Texts of one shape (their translation) then have the same gate features: length,
    ASCII letters, digit runs, digit runs bounded by non-word characters, and which gate
    character sets they touch.
    """
    bmp = "".join(map(chr, range(0x10000)))
    kind = dict.fromkeys(range(0x10000), "other")
    for char in _WORD.findall(bmp):
        kind[ord(char)] = "word"
    for char in re.findall(r"\d", bmp):
        kind[ord(char)] = "digit" if char.isascii() else "decimal"
    for char in _LETTERS:
        kind[ord(char)] = "letter"
    kind[ord("_")] = "_"
    table: dict[int, int] = {}
    reps: dict[tuple[str, tuple[bool, ...]], int] = {}
    for code in range(0x10000):
        char = bmp[code]
        key = (kind[code], tuple(char in chars for chars in charsets))
        table[code] = reps.setdefault(key, code)
    return table


@lru_cache(maxsize=4)
def _alphabet(charsets: tuple[frozenset[str], ...]) -> ShapeAlphabet:
    # Shared like the table: the alphabet learns each character set once.
    return ShapeAlphabet(_shape_table(charsets))


class _Features:
    """What the gates read off a text (see ``Gate``)."""

    __slots__ = ("bounded", "chars", "length", "letter", "runs", "span")

    def __init__(self, text: str) -> None:
        self.chars = chars = set(text)
        self.length = len(text)
        has_digit = not chars.isdisjoint(_DIGITS)
        self.runs = {len(r) for r in _DIGIT_RUN.findall(text)} if has_digit else set()
        self.bounded = {len(r) for r in _BOUNDED_RUN.findall(text)} if has_digit else set()
        self.letter = not chars.isdisjoint(_LETTERS)
        self.span = (
            max(len(s) - s.count(" ") - s.count(".") - s.count("-") for s in _SPAN.findall(text))
            if self.runs
            else 0
        )

    def passes(self, gate: Gate) -> bool:
        if self.length < gate.min_len or (gate.letter and not self.letter):
            return False
        if self.span < gate.span:
            return False
        if gate.chars is not None and self.chars.isdisjoint(gate.chars):
            return False
        if gate.digit_run is not None:
            low, high = gate.digit_run
            return any(low <= r <= high for r in (self.bounded if gate.bounded else self.runs))
        return True


class FastAnalyzer:
    """Runs the registered recognizers on strings with Presidio's scoring semantics."""

    def __init__(
        self,
        recognizers: Sequence[EntityRecognizer],
        threshold: float = SCORE_THRESHOLD,
        ner: tuple[Any, EntityRecognizer] | None = None,
    ) -> None:
        self.threshold = threshold
        self.patterns: list[_CompiledPattern] = []
        self.others: list[EntityRecognizer] = []
        self.ner = ner
        self.custom: list[tuple[EntityRecognizer, Gate, Any | None]] = []
        self.free_text: list[FreeTextRecognizer] = []
        for recognizer in recognizers:
            if isinstance(recognizer, FreeTextRecognizer):
                self.free_text.append(recognizer)
            elif (
                isinstance(recognizer, PatternRecognizer)
                and type(recognizer).analyze is not PatternRecognizer.analyze
            ):
                # A pattern recognizer with its own analyze() (Presidio's IBAN one checks
                # country formats there) runs as Presidio would run it.
                gate = GATES.get(recognizer.supported_entities[0], _ALWAYS)
                own: list[Any] = recognizer.patterns  # type: ignore[has-type]
                flags = recognizer.global_regex_flags or 0
                pre = any_match_gate([(p.regex, flags) for p in own])
                self.custom.append((recognizer, gate, pre))
            elif isinstance(recognizer, PatternRecognizer):
                entity = recognizer.supported_entities[0]
                patterns: list[Any] = recognizer.patterns  # type: ignore[has-type]
                name: str = recognizer.name  # type: ignore[has-type]
                flags = recognizer.global_regex_flags or 0
                for pattern in patterns:
                    self.patterns.append(
                        _CompiledPattern(
                            entity=entity,
                            recognizer=recognizer,
                            compiled=_compile(pattern.regex, flags),
                            score=pattern.score,
                            context=tuple(w.lower() for w in recognizer.context or ()),
                            gate=GATES.get(name) or GATES.get(entity) or _ALWAYS,
                            source=pattern.regex,
                            flags=flags,
                            validate=_own(recognizer, "validate_result"),
                            invalidate=_own(recognizer, "invalidate_result"),
                        )
                    )
            else:
                self.others.append(recognizer)
        self.entities = frozenset(e for r in recognizers for e in r.supported_entities)
        self._by_entities: dict[frozenset[str], list[_CompiledPattern]] = {}
        self._plans: dict[
            tuple[object, ...],
            tuple[list[_CompiledPattern], list[_CompiledPattern], Any | None],
        ] = {}
        self._combinable_memo: dict[int, bool] = {}
        self._combined: dict[tuple[int, ...], Any | None] = {}
        self._charsets = sorted(
            {p.gate.chars for p in self.patterns if p.gate.chars is not None}, key=sorted
        )
        charsets = (*self._charsets, _SPAN_SEPARATORS, *SHAPE_CHARSETS)
        self._shape_table = _shape_table(charsets)
        self._alphabet = _alphabet(charsets)
        self._shape_gates: dict[tuple[frozenset[str] | None, str, tuple[str, ...], str], Any] = {}
        self._silent_copies: dict[int, _CompiledPattern] = {}

    def analyze(
        self,
        text: str,
        entities: Collection[str] | None = None,
        context: Sequence[str] = (),
        primary: str | None = None,
    ) -> list[PiiHit]:
        """Hits in ``text`` after validation, context, threshold and overlap resolution.

        ``primary``: an entity expected in the text (a column's entity); the other
        patterns are first checked together with one combined search.
        """
        if not text or text.isspace():
            return []
        if len(text) > WINDOW_CHARS:
            return self._analyze_windows(text, entities, context, primary)
        features = _Features(text)
        runs = features.runs
        passes = features.passes
        explicit = [w.lower() for w in context]
        raw: list[PiiHit] = []
        # The gates depend only on these features, so which patterns run (and the
        # combined search guarding the non-primary ones) is planned once per signature.
        signature = (
            min(features.length, 32),
            features.letter,
            frozenset(runs),
            frozenset(features.bounded),
            features.span,
            tuple(map(features.chars.isdisjoint, self._charsets)),
        )
        specs = self._specs(entities)
        # Keyed by the entity set itself: list ids could be reused once lists are freed.
        entity_key = None if entities is None else frozenset(entities)
        key = (entity_key, primary, signature)
        plan = self._plans.get(key)
        if plan is None:
            passing = [p for p in specs if passes(p.gate)]
            plan = self._plan(passing, primary)
            if len(self._plans) >= 4096:
                self._plans.clear()
            self._plans[key] = plan
        run, rest, combined = plan
        if rest and (combined is None or combined.search(text)):
            run = run + rest
        self._run_specs(run, text, explicit, raw)
        for recognizer, gate, pre in self.custom:
            wanted = [e for e in recognizer.supported_entities if entities is None or e in entities]
            if wanted and passes(gate) and (pre is None or pre.search(text)):
                raw.extend(self._run_other(recognizer, text, wanted, explicit))
        for free in self.free_text:
            wanted = [e for e in free.supported_entities if entities is None or e in entities]
            if wanted and free.wants(text):
                raw.extend(self._run_other(free, text, wanted, explicit))
        if self.ner is not None:
            raw.extend(self._run_ner(text, entities, explicit))
        if len(raw) == 1:  # nothing to deduplicate or resolve
            kept = raw if raw[0].score >= self.threshold else []
        else:
            kept = resolve_overlaps(h for h in _presidio_dedupe(raw) if h.score >= self.threshold)
        if not any(r >= 2 for r in runs) or not self.others:
            return kept
        if entities is not None and not any(
            e in entities for r in self.others for e in r.supported_entities
        ):
            return kept
        if _phones_covered(text, kept):
            return kept
        for recognizer in self.others:
            wanted = [e for e in recognizer.supported_entities if entities is None or e in entities]
            if wanted:
                raw.extend(self._run_other(recognizer, text, wanted, explicit))
        return resolve_overlaps(h for h in _presidio_dedupe(raw) if h.score >= self.threshold)

    def _analyze_windows(
        self,
        text: str,
        entities: Collection[str] | None,
        context: Sequence[str],
        primary: str | None,
    ) -> list[PiiHit]:
        """``analyze`` over overlapping windows: each window keeps the hits starting in
        the part it owns, with its neighbours' overlap as context on both sides."""
        step = WINDOW_CHARS - 2 * WINDOW_OVERLAP
        bounds = [0]
        while bounds[-1] + step < len(text):
            bounds.append(_cut(text, bounds[-1] + step))
        bounds.append(len(text))
        kept: list[PiiHit] = []
        for owned, end in itertools.pairwise(bounds):
            low = _cut(text, owned - WINDOW_OVERLAP) if owned else 0
            window = text[low : _cut(text, end + WINDOW_OVERLAP)]
            for hit in self.analyze(window, entities, context, primary):
                start = hit.start + low
                if owned <= start < end:
                    kept.append(hit._replace(start=start, end=hit.end + low))
        return kept

    def _run_specs(
        self, specs: list[_CompiledPattern], text: str, explicit: list[str], raw: list[PiiHit]
    ) -> None:
        """Presidio's PatternRecognizer scoring for each match of each pattern."""
        for spec in specs:
            validate, invalidate = spec.validate, spec.invalidate
            for match in spec.compiled.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                score = spec.score
                if validate is not None or invalidate is not None:
                    found = text[start:end]
                    valid = validate(found) if validate is not None else None
                    if valid is not None:
                        score = 1.0 if valid else 0.0
                    if invalidate is not None and invalidate(found):
                        score = 0.0
                    if score <= 0.0:
                        continue
                if score < 1.0 and spec.context and _supported(spec.context, text, start, explicit):
                    score = min(max(score + CONTEXT_FACTOR, CONTEXT_FLOOR), 1.0)
                raw.append(PiiHit(start, end, spec.entity, score))

    def analyze_primary(
        self, text: str, entities: Collection[str] | None, context: Sequence[str], primary: str
    ) -> list[PiiHit]:
        """``analyze`` for a text expected to hold ``primary`` (a column's entity).

        One search over the other patterns whose gates the text passes (and the
        phone-number candidates) decides: if nothing else can match, only ``primary``'s
        patterns run; otherwise this is ``analyze``. Same results either way.
        """
        return self.primary_analyzer(entities, context, primary)(text)

    def primary_analyzer(
        self, entities: Collection[str] | None, context: Sequence[str], primary: str
    ) -> Callable[[str], list[PiiHit]]:
        """``analyze_primary`` for one column: what depends only on the column (entities,
        header context, expected entity) is worked out once, not per value."""
        if self.ner is not None:
            return lambda text: self.analyze(text, entities, context)
        specs = self._specs(entities)
        key = (None if entities is None else frozenset(entities), primary)
        own = [p for p in specs if p.entity == primary]
        has_others = any(p.entity != primary for p in specs) or any(
            entities is None or set(r.supported_entities) & set(entities) for r, _, _ in self.custom
        )
        if self.others and (entities is None or "PHONE_NUMBER" in entities):
            has_others = True
        # Free-text recognizers read the whole text: where one that finds another entity
        # wants it, analyse in full; one that finds the primary entity runs like its patterns.
        free = [
            r
            for r in self.free_text
            if entities is None or not set(r.supported_entities).isdisjoint(entities)
        ]
        own_free = [r for r in free if primary in r.supported_entities]
        other_free = [
            r
            for r in free
            if any(
                e != primary and (entities is None or e in entities) for e in r.supported_entities
            )
        ]
        explicit = [w.lower() for w in context]
        threshold = self.threshold

        def analyze(text: str) -> list[PiiHit]:
            if not text or text.isspace():
                return self.analyze(text, entities, context)
            if other_free and any(r.wants(text) for r in other_free):
                return self.analyze(text, entities, context, primary=primary)
            if has_others:
                gate = self._shape_gate(text, specs, key, explicit)
                if gate is _FULL or (gate is not None and gate.search(text)):
                    return self.analyze(text, entities, context, primary=primary)
            raw: list[PiiHit] = []
            self._run_specs(own, text, explicit, raw)
            for recognizer in own_free:
                if recognizer.wants(text):
                    raw.extend(self._run_other(recognizer, text, [primary], explicit))
            if len(raw) == 1:
                return raw if raw[0].score >= threshold else []
            return resolve_overlaps(h for h in _presidio_dedupe(raw) if h.score >= threshold)

        return analyze

    def shape(self, text: str) -> str:
        """``text`` with each character replaced by its class: texts of one shape pass the
        same gates and get the same phone verdicts."""
        return text.translate(self._shape_table)

    def shape_analyzer(
        self, entities: Collection[str] | None, context: Sequence[str]
    ) -> Callable[[str, str], list[PiiHit]]:
        """``analyze`` for one column, planned once per shape: the returned function takes
        a text and its ``shape``.

        For columns whose values repeat a few shapes (amounts, order numbers, timestamps,
        codes). A plan holds the patterns whose gates the shape passes, one combined
        search that must match before they run, the custom recognizers whose gates pass,
        and the other recognizers unless the shape proves that none of their hits could
        count (``ShapeAware``). A shape where nothing can match costs one translation
        and one lookup. Same results as ``analyze``.
        """
        if self.ner is not None:
            return lambda text, shape: self.analyze(text, entities, context)
        wanted = None if entities is None else frozenset(entities)
        explicit = [w.lower() for w in context]
        specs = self._specs(wanted)
        plans: dict[str, _ShapePlan | None] = {}
        threshold = self.threshold
        # Free-text recognizers (names, addresses) read the words, which a shape does not
        # keep: a text one of them wants, or one cut into windows, is analysed in full.
        free = [r for r in self.free_text if _wanted(r, wanted)]

        def analyze(text: str, shape: str) -> list[PiiHit]:
            if len(text) > WINDOW_CHARS or any(r.wants(text) for r in free):
                return self.analyze(text, entities, context)
            plan = plans.get(shape, _MISSING)
            if plan is _MISSING:
                if len(plans) >= 4096:
                    plans.clear()
                plan = plans[shape] = self._shape_plan(text, shape, specs, wanted, explicit)
            if plan is None:
                return []
            assert isinstance(plan, _ShapePlan)
            raw: list[PiiHit] = []
            if plan.search is None or plan.search.search(text):
                self._run_specs(plan.specs, text, explicit, raw)
            for recognizer, pre, names in plan.custom:
                if pre is None or pre.search(text):
                    raw.extend(self._run_other(recognizer, text, names, explicit))
            if len(raw) == 1:
                kept = raw if raw[0].score >= threshold else []
            else:
                kept = resolve_overlaps(h for h in _presidio_dedupe(raw) if h.score >= threshold)
            if not plan.others or _phones_covered(text, kept):
                return kept
            for recognizer, names in plan.others:
                raw.extend(self._run_other(recognizer, text, names, explicit))
            return resolve_overlaps(h for h in _presidio_dedupe(raw) if h.score >= threshold)

        return analyze

    def _shape_plan(
        self,
        text: str,
        shape: str,
        specs: list[_CompiledPattern],
        entities: frozenset[str] | None,
        explicit: list[str],
    ) -> _ShapePlan | None:
        """What may match a text of ``text``'s shape (None: nothing can)."""
        features = _Features(text)
        may_match = self._alphabet.may_match
        passing = [
            p
            for p in specs
            if features.passes(p.gate) and may_match(p.source, p.flags & _RE_FLAGS, shape)
        ]
        custom = []
        for recognizer, gate, pre in self.custom:
            names = _wanted(recognizer, entities)
            patterns: list[Any] = getattr(recognizer, "patterns", [])
            flags = (getattr(recognizer, "global_regex_flags", 0) or 0) & _RE_FLAGS
            if (
                names
                and features.passes(gate)
                and any(may_match(p.regex, flags, shape) for p in patterns)
            ):
                custom.append((recognizer, pre, names))
        others = []
        # ``analyze`` runs the other recognizers only where a digit run of two or more is.
        if any(r >= 2 for r in features.runs) and self._others_may_count(shape, entities, explicit):
            others = [(r, names) for r in self.others if (names := _wanted(r, entities))]
        # Where no context word can be in the text or the header, scoring needs no tokens,
        # and a pattern scoring below the threshold with no validator cannot count.
        passing = [
            p if self._context_possible(p.context, shape, explicit) else self._silent(p)
            for p in passing
        ]
        passing = [
            p for p in passing if p.context or p.validate is not None or p.score >= self.threshold
        ]
        if not (passing or custom or others):
            return None
        search = None
        if len(passing) > 1 and all(map(self._combinable, passing)):
            # One search instead of one per pattern where none matches (a single pattern
            # is its own search).
            key = tuple(id(p) for p in passing)
            if key not in self._combined:
                self._combined[key] = any_match_gate([(p.source, p.flags) for p in passing])
            search = self._combined[key]
        return _ShapePlan(passing, search, tuple(custom), tuple(others))

    def _context_possible(self, words: tuple[str, ...], shape: str, explicit: list[str]) -> bool:
        """Whether one of the context ``words`` may support a hit in a text of ``shape``:
        through the header, or through the text, which must then hold the word (in any
        case) and so, in its shape, the word's classes one after another."""
        if not words:
            return False
        if explicit and _explicit_support(words, tuple(explicit)):
            return True
        return any(self._alphabet.may_hold(word, shape) for word in words)

    def _silent(self, pattern: _CompiledPattern) -> _CompiledPattern:
        """``pattern`` without context words (one copy per pattern, so plans stay keyed)."""
        copy = self._silent_copies.get(id(pattern))
        if copy is None:
            copy = self._silent_copies[id(pattern)] = replace(pattern, context=())
        return copy

    def _shape_gate(
        self,
        text: str,
        specs: list[_CompiledPattern],
        key: tuple[frozenset[str] | None, str],
        explicit: list[str],
    ) -> Any:
        """One search that must match for anything but ``key``'s primary entity to be
        found in ``text`` (None: nothing else can match; ``_FULL``: analyse in full).

        The other patterns that may match the text's shape (their gates pass and their
        rewrites over classes match, see ``shape_regex``) are combined into that search,
        with the phone candidates unless the shape rules phone numbers out. Texts of one
        shape have the same features, so the search is planned once per shape.
        """
        entities, primary = key
        shape = text.translate(self._shape_table)
        shape_key = (entities, primary, tuple(explicit), shape)
        gate = self._shape_gates.get(shape_key, _MISSING)
        if gate is not _MISSING:
            return gate
        features = _Features(text)
        may_match = self._alphabet.may_match
        others: list[tuple[str, int]] = []
        for p in specs:
            if p.entity == primary or not features.passes(p.gate):
                continue
            if not may_match(p.source, p.flags & _RE_FLAGS, shape):
                continue
            if not self._combinable(p):
                others = []
                gate = _FULL
                break
            others.append((p.source, p.flags))
        if gate is not _FULL:
            for recognizer, rgate, _ in self.custom:
                wanted = entities is None or not entities.isdisjoint(recognizer.supported_entities)
                if wanted and features.passes(rgate):
                    custom: Any = recognizer
                    flags = custom.global_regex_flags or 0
                    others += [(p.regex, flags) for p in custom.patterns]
            if any(r >= 2 for r in features.runs) and self._others_may_count(
                shape, entities, explicit
            ):
                # Where a phone candidate exists, ``analyze`` may run the phone recognizers.
                others.append((_PHONE_CANDIDATE.pattern, 0))
            gate = any_match_gate(others) if others else None
            if others and gate is None:
                gate = _FULL
        if len(self._shape_gates) >= 4096:
            self._shape_gates.clear()
        self._shape_gates[shape_key] = gate
        return gate

    def _others_may_count(
        self, shape: str, entities: frozenset[str] | None, explicit: list[str]
    ) -> bool:
        """Whether a recognizer other than the pattern ones may give a counting hit in a
        text of ``shape``."""
        for recognizer in self.others:
            if not _wanted(recognizer, entities):
                continue
            if not isinstance(recognizer, ShapeAware):
                return True
            words = tuple(w.lower() for w in recognizer.context or ())
            if recognizer.shape_may_count(shape, self._context_possible(words, shape, explicit)):
                return True
        return False

    def _plan(
        self, passing: list[_CompiledPattern], primary: str | None
    ) -> tuple[list[_CompiledPattern], list[_CompiledPattern], Any | None]:
        """Patterns to run always, the rest, and one search that must match for the rest
        to be worth running (None: run them)."""
        if primary is None:
            return passing, [], None
        # Patterns the stdlib engine cannot take (variable look-behind) always run.
        rest = [p for p in passing if p.entity != primary and self._combinable(p)]
        first = [p for p in passing if p.entity == primary or not self._combinable(p)]
        key = tuple(id(p) for p in rest)
        if key not in self._combined:
            self._combined[key] = any_match_gate([(p.source, p.flags) for p in rest])
        return first, rest, self._combined[key]

    def _combinable(self, pattern: _CompiledPattern) -> bool:
        """Whether ``pattern`` can join a combined search (checked once, when first needed)."""
        known = self._combinable_memo.get(id(pattern))
        if known is None:
            known = any_match_gate([(pattern.source, pattern.flags)]) is not None
            self._combinable_memo[id(pattern)] = known
        return known

    def _specs(self, entities: Collection[str] | None) -> list[_CompiledPattern]:
        if entities is None:
            return self.patterns
        key = entities if isinstance(entities, frozenset) else frozenset(entities)
        specs = self._by_entities.get(key)
        if specs is None:
            specs = [p for p in self.patterns if p.entity in key]
            if len(self._by_entities) < 256:
                self._by_entities[key] = specs
        return specs

    def _run_other(
        self, recognizer: EntityRecognizer, text: str, wanted: list[str], explicit: list[str]
    ) -> list[PiiHit]:
        out = []
        context = tuple(w.lower() for w in recognizer.context or ())
        for result in recognizer.analyze(text, wanted, None):  # type: ignore[arg-type]
            score = float(result.score)
            if score < 1.0 and context and _supported(context, text, result.start, explicit):
                score = min(max(score + CONTEXT_FACTOR, CONTEXT_FLOOR), 1.0)
            out.append(PiiHit(result.start, result.end, result.entity_type, score))
        return out

    def _run_ner(
        self, text: str, entities: Collection[str] | None, explicit: list[str]
    ) -> list[PiiHit]:
        assert self.ner is not None
        nlp_engine, recognizer = self.ner
        wanted = [e for e in recognizer.supported_entities if entities is None or e in entities]
        if not wanted:
            return []
        artifacts = nlp_engine.process_text(text, LANGUAGE)
        return [
            PiiHit(r.start, r.end, r.entity_type, float(r.score))
            for r in recognizer.analyze(text, wanted, artifacts)
        ]


def from_presidio(results: Iterable[RecognizerResult], threshold: float) -> list[PiiHit]:
    """Presidio results as hits, thresholded and resolved like the fast engine's."""
    hits = [
        PiiHit(int(r.start), int(r.end), str(r.entity_type), float(r.score))
        for r in results
        if float(r.score) >= threshold
    ]
    return resolve_overlaps(hits)


def _spacy_engine(model: str) -> tuple[Any, EntityRecognizer]:
    """Presidio's spaCy engine and NER recognizer for an installed model (never downloaded).

    ``model`` is an installed model package, or the directory of a saved pipeline (how a
    model is usually copied onto an air-gapped review machine).
    """
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    if not (spacy.util.is_package(model) or (Path(model) / "config.cfg").is_file()):
        raise InputError(
            "pii.nlp_model",
            f"spaCy model {model!r} is neither an installed package nor a saved pipeline"
            " directory (models are never downloaded)",
        )
    engine = SpacyNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": model}])
    engine.load()
    return engine, SpacyRecognizer(supported_language=LANGUAGE)


NER_ENTITIES = ("LOCATION", "NRP", "ORGANIZATION", "PERSON")
"""What Presidio's spaCy NER recognizer finds; without a model these are not covered
(PERSON only partly, by the Chinese-name and cue-based recognizers)."""


def build_presidio_analyzer(nlp_model: str | None = None) -> AnalyzerEngine:
    """Presidio's AnalyzerEngine with our registry, built so that nothing is downloaded."""
    recognizers = build_recognizers()
    if nlp_model is None:
        nlp_engine: Any = OfflineNlpEngine([LANGUAGE])
    else:
        nlp_engine, ner = _spacy_engine(nlp_model)
        recognizers.append(ner)
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=CONTEXT_FACTOR,
            min_score_with_context_similarity=CONTEXT_FLOOR,
        ),
    )


def build_fast_analyzer(
    nlp_model: str | None = None, threshold: float = SCORE_THRESHOLD
) -> FastAnalyzer:
    """The fast engine over the registered recognizers (plus NER when a model is named)."""
    ner = _spacy_engine(nlp_model) if nlp_model else None
    return FastAnalyzer(build_recognizers(), threshold=threshold, ner=ner)


def known_entities() -> tuple[str, ...]:
    """Entity types the recognizers can report."""
    return ENTITY_TYPES

"""Identify licenses in a text (a LICENSE file, or a text pasted into metadata).

Full texts are matched against the SPDX License List texts (shipped normalised in
``data/spdx_texts.json.gz``, built by ``scripts/build-license-texts``): a license is
present when most of its word 5-grams occur in the file. Exceptions (GCC, Classpath,
Bootloader ...) are matched the same way, standard notices ("either version 2 of the
License, or (at your option) any later version") decide ``-only`` / ``-or-later``, and
short statements ("GPL 2.0+/LGPL 2.1+/MPL 1.1 tri-license", ``SPDX-License-Identifier``)
are read through the alias table.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import zlib
from array import array
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

GRAM = 5
FULL_TEXT = 0.75
"""Share of a license text's 5-grams a file must contain for the license to be present."""
_SHORT_TEXT = 800
"""Texts of fewer words keep every 5-gram; longer ones a fixed quarter (by hash)."""
_SAMPLE = 8
"""The candidate index holds one 5-gram in this many (by hash) of each long text."""
_CANDIDATE = 0.5
EXCEPTION_TEXT = 0.9
"""The same for an exception: short texts, and several differ by a few words."""
_INSIDE = 0.6
"""Share of a text's matches inside a kept text's span that makes it a re-reading."""
_WORD = re.compile(r"[a-z0-9]+")
# GNU licenses carry a "How to Apply These Terms" appendix that itself says "or (at your
# option) any later version": it must not count as the package's own notice.
_APPENDIX = re.compile(
    r"how to apply these terms to your new (?:programs|libraries).*?"
    r"(?:that s all there is to it|instead of this license(?: but first please read \S+ "
    r"(?:\S+ ){0,8}?why not lgpl html)?)",
)
_GNU_NOTICE = re.compile(
    r"(?:under|by) the (?:terms of (?:the )?)?gnu (lesser |library |affero )?general public "
    r"license (?:as published by the free software foundation )?(?:either )?"
    r"(?:version|v) (\d)(?: (\d))?( of the license)?( or at your option any later version"
    r"| or any later version| or later)?"
)
_VERSIONED = re.compile(r"^(A?GPL|LGPL)-(\d\.\d)-only$")
_NOTICES = (
    (re.compile(r"licensed under the apache license version 2 0"), "Apache-2.0"),
    (re.compile(r"subject to the terms of the mozilla public license v 2 0"), "MPL-2.0"),
    (
        re.compile(
            r"(?:placed|released|dedicated?|put) (?:\w+ ){0,8}?(?:in|into|to) the public domain"
        ),
        "LicenseRef-Public-Domain",
    ),
)
_CHOICE = re.compile(
    r"\b(?:dual|tri|triple|multi) ?licen[cs]ed?\b(?! both)|\b(?:dual|tri) license\b"
    r"|\bunder the terms of either\b|\bat your (?:option|choice) under\b"
    r"|\beither of the (?:following )?licen[cs]es\b|\byou (?:may|can) choose (?:either|one)\b"
    r"|\bat your (?:option|choice) (?:either|one of)\b|\bunder either\b"
)
MAX_WORDS = 20_000
"""Words of a file read: a package's own license comes first, long tails are bundles."""


@dataclass(frozen=True)
class Entry:
    """One SPDX text to look for."""

    key: str
    exception: bool
    grams: frozenset[int]
    sampled: int
    """How many of its grams the candidate index holds."""
    rate: int
    """1 when ``grams`` holds every 5-gram of the text, 4 when a quarter (long texts)."""


@dataclass
class TextFindings:
    """What one text says about licenses."""

    licenses: list[tuple[str, float, int]] = field(default_factory=list)
    """(SPDX id, share of its text found (0.9 for a notice), position), in order."""
    exceptions: list[str] = field(default_factory=list)
    or_later: set[str] = field(default_factory=set)
    """GNU license versions ('2.0', '2.1' ...) a notice offers 'or any later version'."""
    choice: bool = False
    """The text offers a choice between licenses (dual licensing)."""

    @property
    def found(self) -> bool:
        return bool(self.licenses)


def words(text: str) -> list[str]:
    """Lower-case words: layout, punctuation and quotes stop mattering."""
    return _WORD.findall(text.lower().replace("licence", "license"))


def gram_hashes(tokens: list[str]) -> list[int]:
    """CRC-32 of every word 5-gram, in order (stable across runs, unlike ``hash``)."""
    return [
        zlib.crc32(" ".join(tokens[i : i + GRAM]).encode()) for i in range(len(tokens) - GRAM + 1)
    ]


def keep_gram(crc: int, length: int) -> bool:
    """Which grams of a stored text of ``length`` words the shipped index keeps."""
    return length < _SHORT_TEXT or crc % 4 == 0


@cache
def _index() -> tuple[tuple[Entry, ...], dict[int, list[int]]]:
    raw = resources.files("review.scanners.licenses").joinpath("data/spdx_grams.json.gz")
    data = json.loads(gzip.decompress(raw.read_bytes()))
    texts: list[tuple[str, bool, frozenset[int]]] = []
    for exception, table in ((False, "licenses"), (True, "exceptions")):
        for key, encoded in sorted(data[table].items()):
            stored = array("I")
            stored.frombytes(base64.b64decode(encoded))
            if len(stored) >= 8:
                texts.append((key, exception, frozenset(stored)))
    # Candidates come from a sample of each text's grams (all of a short text's), which
    # keeps the look-ups per file small; the full gram sets then decide.
    entries: list[Entry] = []
    inverted: dict[int, list[int]] = {}
    for number, (key, exception, grams) in enumerate(texts):
        sampled = [g for g in grams if g % _SAMPLE == 0]
        if len(sampled) < 12:
            sampled = list(grams)
        rate = 4 if all(g % 4 == 0 for g in grams) else 1
        entries.append(
            Entry(key=key, exception=exception, grams=grams, sampled=len(sampled), rate=rate)
        )
        for gram in sampled:
            inverted.setdefault(gram, []).append(number)
    return tuple(entries), inverted


def scan_text(text: str) -> TextFindings:
    """Every license, exception and notice found in ``text``."""
    return _scan(tuple(words(text)[:MAX_WORDS]))


@lru_cache(maxsize=512)
def _scan(tokens: tuple[str, ...]) -> TextFindings:
    # Many packages ship the same license text: each distinct text is matched once.
    body = _APPENDIX.sub(" ", " ".join(tokens))
    found = TextFindings(choice=bool(_CHOICE.search(body)))
    notices: list[tuple[str, int]] = []
    for match in _GNU_NOTICE.finditer(body):
        kind, major, minor, _, later = match.groups()
        family = {"lesser ": "LGPL", "library ": "LGPL", "affero ": "AGPL"}.get(kind or "", "GPL")
        version = f"{major}.{minor or 0}"
        if later:
            found.or_later.add(version)
        notices.append((f"{family}-{version}-only", match.start()))
    for pattern, key in _NOTICES:
        notices += [(key, m.start()) for m in pattern.finditer(body)]
    entries, inverted = _index()
    first: dict[int, int] = {}
    for position, gram in enumerate(gram_hashes(list(tokens))):
        first.setdefault(gram, position)
    hits: dict[int, int] = {}
    for gram in first:
        for number in inverted.get(gram, ()):
            hits[number] = hits.get(number, 0) + 1
    present = []
    for number, count in hits.items():
        entry = entries[number]
        if count < _CANDIDATE * entry.sampled:
            continue
        matched = entry.grams.intersection(first)
        floor = EXCEPTION_TEXT if entry.exception else FULL_TEXT
        if len(matched) >= floor * len(entry.grams):
            present.append(
                (entry, len(matched) / len(entry.grams), sorted(first[g] for g in matched))
            )
    # The text explaining most of the file first (matched words, weighed by how fully
    # it matched: a longer variant matched in part must not beat the exact text). A text
    # whose matches lie where a kept one matched is the same license read less well
    # (0BSD inside ISC, BSD-2-Clause inside BSD-3-Clause): it is dropped.
    present.sort(key=lambda p: (-len(p[2]) * p[0].rate * p[1] ** 0.5, p[0].key))
    spans: list[tuple[int, int]] = []
    kept: list[tuple[Entry, float, int]] = []
    for entry, share, positions in present:
        inside = sum(1 for x in positions if any(a <= x <= b for a, b in spans))
        if inside >= _INSIDE * len(positions):
            continue
        spans.append(_span(positions))
        if entry.exception:
            found.exceptions.append(entry.key)
        else:
            kept.append((entry, share, positions[0]))
    full = {_family(e.key) for e, _, _ in kept}
    located = [(e.key, min(s, 1.0), p) for e, s, p in kept]
    located += [(key, 0.9, p) for key, p in notices if _family(key) not in full]
    for key, share, position in sorted(located, key=lambda item: item[2]):
        versioned = _versioned(key, found.or_later)
        if versioned not in [k for k, _, _ in found.licenses]:
            found.licenses.append((versioned, round(share, 2), position))
    return found


def _span(positions: list[int]) -> tuple[int, int]:
    """Where a text matched, without the stray common phrases at either end."""
    cut = len(positions) // 20
    inner = positions[cut : len(positions) - cut] or positions
    return inner[0], inner[-1] + GRAM


def _family(key: str) -> str:
    return re.sub(r"-(only|or-later)$", "", key)


def _versioned(key: str, or_later: set[str]) -> str:
    """A GNU license id, ``-or-later`` when a notice in the text offers later versions."""
    family = _family(key)
    match = _VERSIONED.match(f"{family}-only")
    if match is None:
        return key
    return f"{family}-or-later" if match.group(2) in or_later else f"{family}-only"

"""Identify a license from its text (a LICENSE file, or a text pasted into metadata)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Families whose texts do not say "only" or "or later": the notice decides, and without
# one the stricter "-only" reading is taken.
_VERSIONED_FAMILIES = frozenset({"GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0"})
_OR_LATER = "or at your option any later version"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Phrases:
    """Distinctive phrases of one license text."""

    key: str
    all: tuple[str, ...]
    none: tuple[str, ...]


@dataclass(frozen=True)
class TextMatch:
    """The license a text was identified as, and how sure the match is."""

    spdx: str
    confidence: float


def normalise_text(text: str) -> str:
    """Lower case, every run of non-alphanumerics one space: layout and quotes stop mattering."""
    return " " + _NON_ALNUM.sub(" ", text.lower()).strip() + " "


@cache
def phrase_table() -> tuple[Phrases, ...]:
    """The shipped phrase table (scanners/licenses/data/license_phrases.json)."""
    raw = (
        resources.files("review.scanners.licenses")
        .joinpath("data/license_phrases.json")
        .read_text()
    )
    data = json.loads(raw)["licenses"]
    return tuple(
        Phrases(
            key=key,
            all=tuple(normalise_text(p).strip() for p in entry["all"]),
            none=tuple(normalise_text(p).strip() for p in entry["none"]),
        )
        for key, entry in sorted(data.items())
    )


def identify(text: str) -> TextMatch | None:
    """Best license match for ``text`` with confidence in [0, 1], or None below the floor."""
    norm = normalise_text(text)
    best: tuple[float, int, str] | None = None
    for entry in phrase_table():
        if any(p in norm for p in entry.none):
            continue
        positions = [norm.find(p) for p in entry.all]
        found = [pos for pos in positions if pos >= 0]
        confidence = len(found) / len(entry.all)
        if confidence < MIN_CONFIDENCE:
            continue
        # Ties go to the license whose text starts first: a LICENSE file that bundles
        # third-party texts leads with the package's own license.
        candidate = (confidence, -min(found), entry.key)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None:
        return _notice(norm)
    confidence, _, key = best
    if key in _VERSIONED_FAMILIES:
        key += "-or-later" if _OR_LATER in norm else "-only"
    return TextMatch(spdx=key, confidence=round(confidence, 2))


_NOTICES = (
    ("licensed under the apache license version 2 0", "Apache-2.0"),
    ("subject to the terms of the mozilla public license v 2 0", "MPL-2.0"),
)


def _notice(norm: str) -> TextMatch | None:
    """A short license notice instead of the full text: a weaker match."""
    for phrase, key in _NOTICES:
        if phrase in norm:
            return TextMatch(spdx=key, confidence=0.7)
    return None

"""English person names in running text, without a model.

A public-domain gazetteer — the US Census Bureau's 1990 lists of first names and
surnames with their frequencies, as shipped by the MIT-licensed ``names`` package — plus
capitalisation, titles (Mr, Dr, President, coach ...), and context (said, told). A run
of capitalised words whose first word is a known first name is a name (Hillary Clinton);
a lone first name counts when it is not also a common English word (Wendy, not Will);
a lone surname needs a title or a speech verb (President Obama, Yeltsin said). A name
seen once with strong evidence counts for its other mentions in the same text.
"""

from __future__ import annotations

import re

from review.scanners.pii.free_text import FreeTextRecognizer, Hit
from review.scanners.pii.vocab import COMMON, STOP, TITLES, VERBS_AFTER, first_names, surnames

# Words, but not the inside of handles, hashtags, e-mail addresses or URLs (@Gina_xo,
# john.smith@...): an address at a reserved example domain is no finding of its own, so
# its words must not turn into names either.
_TOKEN = re.compile(r"(?<![@#_/.\w])[A-Za-z][A-Za-z'’\-]*\.?(?![\w@/]|\.\w)")
# A sentence starts the text, or follows terminal punctuation, a line break or a quote.
_SENTENCE_BREAK = re.compile(r"(?:^|[.!?:;\n\"“”()\[\]|]\s*|\s[-–—]\s)$")
# "Two ASCII letters in a row, and whitespace" (in either order): two searches, each
# linear, instead of one pattern whose ``\s.*[A-Za-z]{2}`` is quadratic in a long run of
# spaces without letters (a line of 100,000 space-separated phone numbers).
_LETTER_PAIR = re.compile(r"[A-Za-z]{2}")
_SPACE = re.compile(r"\s")

WEIGHTS = {
    "first_last": 0.75,  # Hillary Clinton: a first name, then another capitalised word
    "first_surname": 0.85,  # both parts in the lists
    "capitalised_pair": 0.2,  # two capitalised words, neither listed as a first name
    "surname_pair": 0.35,  # ... the last one a listed surname
    "first_alone": 0.5,  # Wendy
    "first_alone_lower": 0.4,  # wendy
    "surname_alone": 0.2,  # Clinton
    "titled_word": 0.3,  # an unlisted word after a title
    "title": 0.35,
    "verb": 0.25,
    "sentence_start": -0.1,
    "rare_first": -0.1,
    "lower_rank": 1000,  # lower-case first names count up to this rank
}


class EnNameRecognizer(FreeTextRecognizer):
    """Person names in running English text."""

    def __init__(self) -> None:
        super().__init__(["PERSON"], "EnNameRecognizer")

    def wants(self, text: str) -> bool:
        # Running text: letters and at least one space (one-word values are structured,
        # left to the name-shaped pattern with its header context).
        return _LETTER_PAIR.search(text) is not None and _SPACE.search(text) is not None

    def find(self, text: str) -> list[Hit]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        shouting = _mostly_upper(tokens)
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            end = i
            while (
                end < len(tokens)
                and _capitalised(tokens[end][2], shouting)
                and (end == i or _adjacent(text, tokens[end - 1], tokens[end]))
                and end - i < 4
            ):
                end += 1
            if end > i:
                hit = _score_run(text, tokens, i, end)
                if hit is not None:
                    hits.append(hit)
                i = end
                continue
            hit = _lower_name(text, tokens, i, shouting)
            if hit is not None:
                hits.append(hit)
            i += 1
        return _propagate(text, [h for h in hits if h.score >= 0.4])


def _mostly_upper(tokens: list[tuple[int, int, str]]) -> bool:
    letters = [t for _, _, t in tokens if len(t) > 1]
    return bool(letters) and sum(t.isupper() for t in letters) > len(letters) / 2


def _capitalised(word: str, shouting: bool) -> bool:
    if shouting:
        return False  # in an all-caps text capitals say nothing
    core = word.rstrip(".")
    return core[:1].isupper() and (core[1:2].islower() or len(core) == 1 or core.isupper())


def _adjacent(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Two words of one name: only spaces between them."""
    return text[left[1] : right[0]] == " "


def _plain(word: str) -> str:
    return word.rstrip(".").replace("’", "'").split("'")[0].lower()


def _score_run(text: str, tokens: list[tuple[int, int, str]], i: int, end: int) -> Hit | None:
    """A name in the capitalised words ``tokens[i:end]``, if they hold one."""
    w = WEIGHTS
    firsts, lasts = first_names(), surnames()
    # Leading words that are not names: The, Thanks, Mr (a title: evidence instead).
    title = i > 0 and _plain(tokens[i - 1][2]) in TITLES
    while i < end and (
        _plain(tokens[i][2]) in STOP
        or _plain(tokens[i][2]) in TITLES
        or len(tokens[i][2].rstrip(".")) == 1
    ):
        title = title or _plain(tokens[i][2]) in TITLES
        i += 1
    while end > i and (_plain(tokens[end - 1][2]) in STOP or tokens[end - 1][2].endswith(".")):
        end -= 1
    if i >= end:
        return None
    parts = [_plain(t[2]) for t in tokens[i:end]]
    first, last = parts[0], parts[-1]
    if any(p in STOP for p in parts):
        return None
    at_start = _SENTENCE_BREAK.search(text[: tokens[i][0]]) is not None
    if len(parts) >= 2:
        if first in firsts and first not in COMMON:
            score = w["first_surname"] if last in lasts else w["first_last"]
            if firsts[first] > 2000:
                score += w["rare_first"]
        elif last in lasts and last not in COMMON:
            score = w["surname_pair"]
        else:
            score = w["capitalised_pair"]
    elif first in firsts and first not in COMMON:
        score = w["first_alone"] + (w["rare_first"] if firsts[first] > 1000 else 0.0)
        if at_start:
            score += w["sentence_start"]
    elif first in lasts and first not in COMMON:
        score = w["surname_alone"]
    elif title and first not in COMMON:
        score = w["titled_word"]  # President Obama: the title says it is a name
    else:
        return None
    if title:
        score += w["title"]
    after = text[tokens[end - 1][1] :].lstrip()
    if _plain(after.split(" ", 1)[0]) in VERBS_AFTER or after.startswith(("'s ", "’s ")):
        score += w["verb"] if not after.startswith(("'s", "’s")) else 0.05
    return Hit(tokens[i][0], tokens[end - 1][1], "PERSON", round(min(score, 1.0), 4))


def _lower_name(
    text: str, tokens: list[tuple[int, int, str]], i: int, shouting: bool
) -> Hit | None:
    """A lower-case (or shouted) first name, as tweets write them (wish i was ryan)."""
    word = tokens[i][2]
    plain = _plain(word)
    firsts = first_names()
    if not (word.islower() or shouting) or plain in STOP or plain in COMMON:
        return None
    rank = firsts.get(plain)
    if rank is None or rank > WEIGHTS["lower_rank"] or len(plain) < 3:
        return None
    return Hit(tokens[i][0], tokens[i][1], "PERSON", WEIGHTS["first_alone_lower"])


def _propagate(text: str, found: list[Hit]) -> list[Hit]:
    """Other mentions of a strongly found name, or of its surname, count as that name."""
    strong = {text[h.start : h.end] for h in found if h.score >= 0.6}
    mentions = strong | {name.split()[-1] for name in strong if " " in name}
    out = list(found)
    for name in mentions:
        for match in re.finditer(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text):
            start, end = match.span()
            if all(end <= h.start or start >= h.end for h in out):
                out.append(Hit(start, end, "PERSON", 0.6))
    return sorted(out)

"""Recognizers for running text (names, addresses): a cheap gate, and one shared segmentation.

Structured values (IDs, amounts, codes) never pay for segmentation: a free-text
recognizer runs only on texts its ``wants`` gate accepts (Han characters for the
Chinese ones, words and spaces for the English one), in both engines.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, NamedTuple

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from review.scanners.pii.vocab import LANGUAGE

HAN_CHAR = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_PAIR = re.compile(f"[{HAN_CHAR}][{HAN_CHAR}]")


class Token(NamedTuple):
    """One word of a segmented text, with its part of speech from jieba's dictionary."""

    word: str
    start: int
    end: int
    tag: str
    """jieba's dictionary tag (``nr`` person, ``ns`` place, ...); ``""`` for a word the
    dictionary lacks (found by jieba's HMM: often a name), ``"x"`` for non-Han text."""
    guess: str
    """The tag jieba's HMM guesses for a word the dictionary lacks (``nr`` for most
    names); the dictionary tag otherwise."""


class Hit(NamedTuple):
    """What a free-text recognizer found: a span, its entity and its score."""

    start: int
    end: int
    entity: str
    score: float


class FreeTextRecognizer(EntityRecognizer):
    """A Presidio recognizer over running text, gated by ``wants`` in both engines."""

    def __init__(self, entities: list[str], name: str) -> None:
        self.label = name
        super().__init__(
            supported_entities=entities, name=name, supported_language=LANGUAGE, context=[]
        )

    def load(self) -> None:
        """Resources load lazily on first use, shared by every instance."""

    def wants(self, text: str) -> bool:
        """Whether ``text`` could hold what this recognizer finds (cheap)."""
        raise NotImplementedError

    def find(self, text: str) -> list[Hit]:
        """Entities in ``text`` (called only where ``wants`` is true)."""
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        if not self.wants(text):
            return []
        wanted = set(entities or self.supported_entities)
        return [
            RecognizerResult(
                entity_type=hit.entity,
                start=hit.start,
                end=hit.end,
                score=hit.score,
                analysis_explanation=AnalysisExplanation(
                    recognizer=self.label, original_score=hit.score
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.label,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for hit in self.find(text)
            if hit.entity in wanted
        ]


def has_han_words(text: str) -> bool:
    """At least two Han characters in a row: the least a Chinese name or place needs."""
    return _HAN_PAIR.search(text) is not None


class Segmenter:
    """Word segmentation by jieba-rs (``rjieba``, tens of times faster than jieba's pure
    Python) with jieba's dictionary (MIT) for parts of speech and word frequencies."""

    def __init__(self) -> None:
        import rjieba

        self._tag = rjieba.tag
        self.tags, self.freq = _dictionary(resources.files("jieba").joinpath("dict.txt"))

    def tokens(self, text: str) -> list[Token]:
        tags = self.tags
        out = []
        start = 0
        for word, guess in self._tag(text, True):
            end = start + len(word)
            tag = tags.get(word)
            if tag is None:
                tag = "" if "\u3400" <= word[0] <= "\u9fff" else "x"
            out.append(Token(word, start, end, tag, guess))
            start = end
        return out


def _dictionary(path: Traversable) -> tuple[dict[str, str], dict[str, int]]:
    """word -> tag and word -> frequency from jieba's dictionary (word, frequency, tag).

    Split as one string: line by line takes several times longer on 350,000 lines."""
    fields = path.read_text(encoding="utf-8").split()
    if len(fields) % 3:
        raise ValueError(f"{path}: not lines of word, frequency and tag")
    words = fields[0::3]
    return dict(zip(words, fields[2::3], strict=True)), dict(
        zip(words, map(int, fields[1::3]), strict=True)
    )


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """The shared segmenter (jieba's dictionary loads once per process)."""
    return Segmenter()


@lru_cache(maxsize=256)
def segment(text: str) -> tuple[Token, ...]:
    """Tokens of ``text``; cached so the name and address recognizers segment a text once."""
    return tuple(segmenter().tokens(text))

"""An NLP engine for Presidio that needs no downloaded model: tokens and lemmas only.

Presidio's default engine loads (and downloads) a spaCy model at start-up. Pattern
recognizers need none; Presidio's context enhancer only needs tokens, lemmas and stop
words, which this engine derives with one regex. CJK runs are single tokens, so a
context word such as 手机 matches inside 手机号 with Presidio's substring matching.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import regex  # type: ignore[import-untyped]
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.zh.stop_words import STOP_WORDS as ZH_STOP
from spacy.tokens import Doc
from spacy.vocab import Vocab

_TOKEN = regex.compile(r"[0-9A-Za-z_\u00C0-\u024F]+|\p{Han}+|\S")
STOP_WORDS = frozenset(w.lower() for w in (*EN_STOP, *ZH_STOP))


def tokenize(text: str) -> tuple[list[str], list[int]]:
    """Tokens of ``text`` and their start offsets."""
    words: list[str] = []
    starts: list[int] = []
    for match in _TOKEN.finditer(text):
        words.append(match.group())
        starts.append(match.start())
    return words, starts


@lru_cache(maxsize=65536)
def is_punct(word: str) -> bool:
    """True when every character is punctuation or a symbol."""
    return bool(word) and all(unicodedata.category(c)[0] in "PS" for c in word)


def is_keyword(lemma: str) -> bool:
    """Presidio's notion of a context keyword: not a stop word, not punctuation."""
    return lemma not in STOP_WORDS and not is_punct(lemma) and lemma not in ("-pron-", "be")


@lru_cache(maxsize=8)
def _keyword_index(text: str) -> tuple[list[str], list[int]]:
    """Lower-cased tokens of ``text`` and where each ends: made once per text, so that
    the context of every hit in a long line costs a lookup, not a tokenization."""
    words, starts = tokenize(text)
    return [w.lower() for w in words], [s + len(w) for s, w in zip(starts, words, strict=True)]


def context_words(text: str, start: int, prefix_count: int = 5) -> list[str]:
    """Keywords before (and at) ``start``, exactly as Presidio's lemma enhancer collects them."""
    lemmas, ends = _keyword_index(text)
    # The token at the match: the first one ending after ``start``.
    index = bisect_right(ends, start)
    if index == len(ends):
        index = -1
    out: list[str] = []
    remaining = prefix_count + 1
    while index >= 0 and remaining > 0:
        if is_keyword(lemmas[index]):
            out.append(lemmas[index])
            remaining -= 1
        index -= 1
    return out


class OfflineNlpEngine(NlpEngine):
    """Tokenizer-only NLP engine: no model, no NER, nothing downloaded."""

    def __init__(self, languages: Iterable[str] = ("en",)) -> None:
        self.languages = list(languages)
        self.vocab = Vocab()

    def load(self) -> None:
        """Nothing to load."""

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        words, starts = tokenize(text)
        doc = Doc(self.vocab, words=words or [""], spaces=[True] * len(words or [""]))
        if not words:
            doc = Doc(self.vocab, words=[])
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=starts,
            lemmas=[w.lower() for w in words],
            nlp_engine=self,
            language=language,
        )

    def process_batch(
        self,
        texts: Iterable[Any],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        **kwargs: Any,
    ) -> Iterator[Any]:
        as_tuples = kwargs.get("as_tuples", False)
        for item in texts:
            if as_tuples:
                text, context = item
                yield str(text), self.process_text(str(text), language), context
            else:
                yield str(item), self.process_text(str(item), language)

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_punct(self, word: str, language: str) -> bool:
        return is_punct(word)

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return list(self.languages)

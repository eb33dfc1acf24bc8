"""The analyzers: Presidio's own AnalyzerEngine built offline, and a fast engine with the
same recognizers and the same scoring semantics but without Presidio's per-text costs.

Presidio runs an NLP pipeline on every text, builds explanation objects for every
match and enhances context by walking tokens for every result. The fast engine keeps
the semantics that decide results (pattern score; validation -> 1.0 or dropped;
invalidation; +0.35 context boost with a 0.4 floor over five keywords before the match
plus explicit context such as a column header; Presidio's duplicate removal) and pays
for them only where a match exists. A character pre-filter skips recognizers that
cannot match a text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex  # type: ignore[import-untyped]
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from review.errors import InputError
from scanners.pii.nlp import OfflineNlpEngine, context_words
from scanners.pii.recognizers import ENTITY_TYPES, LANGUAGE, build_recognizers

SCORE_THRESHOLD = 0.4
"""Hits scoring below this are not reported (Presidio's context floor is 0.4, so a weak
pattern counts once a context word or header supports it)."""

CONTEXT_FACTOR = 0.35
CONTEXT_FLOOR = 0.4
_RANK = {entity: i for i, entity in enumerate(ENTITY_TYPES)}


@dataclass(frozen=True, order=True)
class PiiHit:
    """One detected entity in one string (offsets in characters)."""

    start: int
    end: int
    entity_type: str
    score: float


def resolve_overlaps(hits: Iterable[PiiHit]) -> list[PiiHit]:
    """Keep the most specific entity where hits overlap; result sorted by position."""
    ranked = sorted(
        hits,
        key=lambda h: (_RANK.get(h.entity_type, len(_RANK)), -h.score, h.start - h.end, h.start),
    )
    kept: list[PiiHit] = []
    for hit in ranked:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept)


def _presidio_dedupe(hits: list[PiiHit]) -> list[PiiHit]:
    """Presidio's ``remove_duplicates``: drop a hit contained in a same-entity hit scoring
    at least as high."""
    out = []
    for hit in set(hits):
        contained = any(
            other is not hit
            and other.entity_type == hit.entity_type
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.start, other.end) != (hit.start, hit.end)
            and hit.score <= other.score
            for other in hits
        )
        if not contained:
            out.append(hit)
    # Identical spans of one entity collapse to the best score.
    best: dict[tuple[int, int, str], PiiHit] = {}
    for hit in out:
        key = (hit.start, hit.end, hit.entity_type)
        if key not in best or hit.score > best[key].score:
            best[key] = hit
    return list(best.values())


@dataclass(frozen=True)
class _CompiledPattern:
    entity: str
    recognizer: PatternRecognizer
    compiled: Any
    score: float
    context: tuple[str, ...]
    trigger: frozenset[str] | None


_DIGITS = frozenset("0123456789")
_TRIGGERS: dict[str, frozenset[str] | None] = {
    "EMAIL_ADDRESS": frozenset("@"),
    "URL": frozenset("."),
    "CN_ADDRESS": frozenset("路街道巷弄同村镇乡里"),
    "PERSON": None,
    "CN_LICENSE_PLATE": frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"),
}
"""Characters at least one of which a text must contain for the entity's patterns to match
(default: a digit). None: always run."""


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
        for recognizer in recognizers:
            if isinstance(recognizer, PatternRecognizer):
                entity = recognizer.supported_entities[0]
                patterns: list[Any] = recognizer.patterns  # type: ignore[has-type]
                for pattern in patterns:
                    self.patterns.append(
                        _CompiledPattern(
                            entity=entity,
                            recognizer=recognizer,
                            compiled=regex.compile(
                                pattern.regex, flags=recognizer.global_regex_flags
                            ),
                            score=pattern.score,
                            context=tuple(w.lower() for w in recognizer.context or ()),
                            trigger=_TRIGGERS.get(entity, _DIGITS),
                        )
                    )
            else:
                self.others.append(recognizer)
        self.entities = frozenset(e for r in recognizers for e in r.supported_entities)

    def analyze(
        self,
        text: str,
        entities: Collection[str] | None = None,
        context: Sequence[str] = (),
    ) -> list[PiiHit]:
        """Hits in ``text`` after validation, context, threshold and overlap resolution."""
        if not text or text.isspace():
            return []
        chars = set(text)
        explicit = [w.lower() for w in context]
        raw: list[PiiHit] = []
        window: list[str] | None = None
        for spec in self.patterns:
            if entities is not None and spec.entity not in entities:
                continue
            if spec.trigger is not None and chars.isdisjoint(spec.trigger):
                continue
            for match in spec.compiled.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                found = text[start:end]
                score = spec.score
                valid = spec.recognizer.validate_result(found)
                if valid is not None:
                    score = 1.0 if valid else 0.0
                if spec.recognizer.invalidate_result(found):
                    score = 0.0
                if score <= 0.0:
                    continue
                if score < 1.0 and spec.context:
                    window = context_words(text, start) + explicit
                    if any(word in kw for word in spec.context for kw in window):
                        score = min(max(score + CONTEXT_FACTOR, CONTEXT_FLOOR), 1.0)
                raw.append(PiiHit(start, end, spec.entity, score))
        if chars & _DIGITS:
            for recognizer in self.others:
                wanted = [
                    e for e in recognizer.supported_entities if entities is None or e in entities
                ]
                if wanted:
                    raw.extend(self._run_other(recognizer, text, wanted, explicit))
        if self.ner is not None:
            raw.extend(self._run_ner(text, entities, explicit))
        hits = [h for h in _presidio_dedupe(raw) if h.score >= self.threshold]
        return resolve_overlaps(hits)

    def _run_other(
        self, recognizer: EntityRecognizer, text: str, wanted: list[str], explicit: list[str]
    ) -> list[PiiHit]:
        out = []
        context = tuple(w.lower() for w in recognizer.context or ())
        for result in recognizer.analyze(text, wanted, None):  # type: ignore[arg-type]
            score = float(result.score)
            if score < 1.0 and context:
                window = context_words(text, result.start) + explicit
                if any(word in kw for word in context for kw in window):
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
    """Presidio's spaCy engine and NER recognizer for an installed model (never downloaded)."""
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    if not spacy.util.is_package(model):
        raise InputError(
            "pii.nlp_model", f"spaCy model {model!r} is not installed (models are never downloaded)"
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

"""What a PII scan counts, as partial tallies that merge: the part both engines share.

The scan core (``scan.TableTallier`` / ``scan.TextTallier``) turns a run of rows or lines
into a tally; tallies of consecutive runs merge in order (``merge``), so a file read in
one process and a dataset read as many Spark partitions give the same tally, and
``table_result`` / ``text_result`` turn it into the same ``FileResult``. A tally holds
counts, the first row numbers and masked evidence only: it is what leaves a Spark
executor, as JSON.

Every figure is independent of where a run was cut: counts and score histograms add,
the first rows of a later run follow those of an earlier one, and evidence is the
earliest run's. Scores are kept as a histogram (few distinct values) so the mean score
does not depend on the order in which floating-point sums were taken.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from review.scanners.pii.categories import ENTITY_CATEGORY, header_category
from review.scanners.pii.recognizers import ENTITY_TYPES
from review.scanners.pii.results import ColumnResult, FileResult, TextEntityResult

FIRST_LOCATIONS = 5
"""How many row / line numbers each column or file summary keeps."""

_RANK = {entity: i for i, entity in enumerate(ENTITY_TYPES)}


@dataclass
class EntityTally:
    """One entity in one column (or text): hits, their scores, where first, masked evidence."""

    count: int = 0
    scores: Counter[float] = field(default_factory=Counter)
    first: list[int] = field(default_factory=list)
    evidence: str = ""

    def mean_score(self) -> float:
        """The mean score, summed exactly (the same whatever order the hits came in)."""
        total = math.fsum(score * n for score, n in sorted(self.scores.items()))
        return total / self.count if self.count else 0.0

    def merge(self, later: EntityTally, offset: int) -> None:
        """Add the tally of a later run whose row numbers start after ``offset``."""
        self.count += later.count
        self.scores.update(later.scores)
        room = FIRST_LOCATIONS - len(self.first)
        if room > 0:
            self.first.extend(row + offset for row in later.first[:room])
        self.evidence = self.evidence or later.evidence

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "scores": sorted(self.scores.items()),
            "first": self.first,
            "evidence": self.evidence,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EntityTally:
        return cls(
            count=int(data["count"]),
            scores=Counter({float(s): int(n) for s, n in data["scores"]}),
            first=[int(r) for r in data["first"]],
            evidence=str(data["evidence"]),
        )


def _merge_entities(
    mine: dict[str, EntityTally], later: dict[str, EntityTally], offset: int
) -> None:
    for name, tally in later.items():
        mine.setdefault(name, EntityTally()).merge(tally, offset)


@dataclass
class ColumnTally:
    """One column (list indices collapsed): non-empty values, entities, records of minors."""

    filled: int = 0
    minors: int = 0
    entities: dict[str, EntityTally] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "filled": self.filled,
            "minors": self.minors,
            "entities": {name: e.to_json() for name, e in self.entities.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ColumnTally:
        return cls(
            filled=int(data["filled"]),
            minors=int(data["minors"]),
            entities={n: EntityTally.from_json(e) for n, e in data["entities"].items()},
        )


@dataclass
class TableTally:
    """A run of table rows: rows read, columns in first-seen order, hits per entity."""

    rows: int = 0
    order: dict[str, None] = field(default_factory=dict)
    columns: dict[str, ColumnTally] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)

    def merge(self, later: TableTally, offset: int | None = None) -> None:
        """Append a later run; its row numbers move by ``offset`` (default: rows so far)."""
        shift = self.rows if offset is None else offset
        self.rows += later.rows
        for key in later.order:
            self.order.setdefault(key, None)
        for key, column in later.columns.items():
            mine = self.columns.setdefault(key, ColumnTally())
            mine.filled += column.filled
            mine.minors += column.minors
            _merge_entities(mine.entities, column.entities, shift)
        self.totals.update(later.totals)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "order": list(self.order),
            "columns": {key: c.to_json() for key, c in self.columns.items()},
            "totals": dict(self.totals),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableTally:
        return cls(
            rows=int(data["rows"]),
            order=dict.fromkeys(str(k) for k in data["order"]),
            columns={k: ColumnTally.from_json(c) for k, c in data["columns"].items()},
            totals=Counter({str(k): int(n) for k, n in data["totals"].items()}),
        )


@dataclass
class TextTally:
    """A run of text lines: lines read, entities found."""

    lines: int = 0
    entities: dict[str, EntityTally] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)

    def merge(self, later: TextTally, offset: int | None = None) -> None:
        """Append a later run; its line numbers move by ``offset`` (default: lines so far)."""
        shift = self.lines if offset is None else offset
        self.lines += later.lines
        _merge_entities(self.entities, later.entities, shift)
        self.totals.update(later.totals)

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "entities": {name: e.to_json() for name, e in self.entities.items()},
            "totals": dict(self.totals),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextTally:
        return cls(
            lines=int(data["lines"]),
            entities={n: EntityTally.from_json(e) for n, e in data["entities"].items()},
            totals=Counter({str(k): int(n) for k, n in data["totals"].items()}),
        )


def classify(shown: str, key: str, column: ColumnTally) -> ColumnResult | None:
    """What one column holds, from its tally and its header; None when nothing."""
    entities, filled, minors = column.entities, column.filled, column.minors
    header = header_category(key)
    if not entities and header is None and not minors:
        return None
    dominant: str | None = None
    ratio = confidence = 0.0
    if entities:
        dominant = min(entities, key=lambda e: (-entities[e].count, _RANK.get(e, 99)))
        best = entities[dominant]
        ratio = best.count / filled if filled else 0.0
        # Confidence: the mean score, discounted when few values hold the entity.
        confidence = best.mean_score() * (0.5 + 0.5 * ratio)
    category = ENTITY_CATEGORY.get(dominant or "") or header
    if header is not None and header not in ("identity_document", "financial_account"):
        category = header  # a header naming health/biometric/... data outranks the entity
    return ColumnResult(
        path=shown,
        column=key,
        entity_type=dominant,
        hit_ratio=round(ratio, 4),
        rows_scanned=filled,
        confidence=round(confidence, 4),
        sensitive_category=category,
        header_category=header,
        counts={e: entities[e].count for e in sorted(entities, key=lambda e: _RANK.get(e, 99))},
        first_rows={e: tuple(v.first) for e, v in sorted(entities.items())},
        evidence={e: v.evidence for e, v in sorted(entities.items())},
        minors=minors,
    )


def table_result(shown: str, tally: TableTally, encoding: str | None) -> FileResult:
    """A table's result: one ``ColumnResult`` per column with something to say."""
    columns = []
    for key in tally.order:
        column = tally.columns.get(key)
        if column is None:
            continue
        result = classify(shown, key, column)
        if result is not None:
            columns.append(result)
    return FileResult(shown, "table", tally.rows, encoding, columns=tuple(columns))


def text_result(shown: str, tally: TextTally, encoding: str | None) -> FileResult:
    """A text file's result: one ``TextEntityResult`` per entity, most specific first."""
    entities = tuple(
        TextEntityResult(shown, name, e.count, tuple(e.first), e.evidence)
        for name, e in sorted(tally.entities.items(), key=lambda kv: (_RANK.get(kv[0], 99), kv[0]))
    )
    return FileResult(shown, "text", tally.lines, encoding, text_entities=entities)

"""What a PII scan reports, as plain data: importing it does not load the engine.

The stage's typed result (``details.py``) and review.json are built from these, so
reading a review or a config never has to import Presidio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from review.scanners.pii.categories import ENTITY_CATEGORY


class CellHit(NamedTuple):
    """One hit in one cell (tables) or line (text); the value itself is only kept masked.

    A named tuple: one is made per hit, and a tuple is several times cheaper to create
    than a frozen dataclass."""

    path: str
    row: int
    column: str | None
    entity_type: str
    start: int
    end: int
    score: float
    masked: str


@dataclass(frozen=True)
class ColumnResult:
    """What one column holds: its dominant entity and every entity seen in it."""

    path: str
    column: str
    entity_type: str | None
    hit_ratio: float
    rows_scanned: int
    confidence: float
    sensitive_category: str | None
    header_category: str | None
    counts: dict[str, int]
    first_rows: dict[str, tuple[int, ...]]
    evidence: dict[str, str]
    minors: int = 0


@dataclass(frozen=True)
class TextEntityResult:
    """One entity found in a text file."""

    path: str
    entity_type: str
    count: int
    first_lines: tuple[int, ...]
    evidence: str


@dataclass(frozen=True)
class Sampling:
    """The row sample the Spark engine scanned instead of every row."""

    method: str
    rows_total: int


@dataclass(frozen=True)
class NameResult:
    """Personal data in names: the file's own name, or its column names / keys / sheets."""

    path: str
    kind: str
    """``file`` (the file name) or ``column`` (column names, JSON keys, sheet names)."""
    entity_type: str
    names: tuple[str, ...]
    """Every such name, as shown (masked)."""


@dataclass(frozen=True)
class FileResult:
    """One scanned file or Spark dataset: what was read of it, and the error that stopped
    it, if any."""

    path: str
    kind: str
    rows_scanned: int
    encoding: str | None
    error: str | None = None
    columns: tuple[ColumnResult, ...] = ()
    text_entities: tuple[TextEntityResult, ...] = ()
    sample: Sampling | None = None
    names: tuple[NameResult, ...] = ()


@dataclass(frozen=True)
class Engine:
    """Where a scan ran when not in this process: Spark and its master."""

    name: str
    master: str


@dataclass(frozen=True)
class ScanReport:
    """Everything a scan found, aggregated; cell hits go to the ``on_hit`` callback."""

    files: tuple[FileResult, ...]
    entities: dict[str, int]
    ner_model: str | None
    not_covered: tuple[str, ...]
    engine: Engine | None = None

    @property
    def columns(self) -> list[ColumnResult]:
        return [c for f in self.files for c in f.columns]

    @property
    def sensitive_categories(self) -> list[str]:
        seen = {c.sensitive_category for c in self.columns if c.sensitive_category}
        seen |= {"minor" for c in self.columns if c.minors}
        seen |= {
            ENTITY_CATEGORY[t.entity_type]
            for f in self.files
            for t in f.text_entities
            if t.entity_type in ENTITY_CATEGORY
        }
        return sorted(seen)

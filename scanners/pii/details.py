"""The ``pii`` stage's result in review.json: aggregate and masked figures only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from review.core.models import Frozen, StageResult
from review.scanners.pii.categories import GDPR_SPECIAL
from review.scanners.pii.ignore import RuleUse
from review.scanners.pii.results import (
    ColumnResult,
    FileResult,
    NameResult,
    Sampling,
    ScanReport,
)


def _absent(value: object) -> bool:
    return value is None


class SampleRecord(Frozen):
    """The row sample scanned instead of every row (Spark engine)."""

    method: str = Field(description="How rows were sampled, in words.")
    rows_total: int = Field(description="Rows in the dataset; rows_scanned of them were scanned.")

    @classmethod
    def of(cls, sample: Sampling) -> SampleRecord:
        return cls(method=sample.method, rows_total=sample.rows_total)


class EngineRecord(Frozen):
    """Where the scan ran, when not in the reviewing process."""

    name: str = Field(description="spark.")
    master: str = Field(description="The Spark master it ran on.")


class FileRecord(Frozen):
    """One scanned file."""

    path: str = Field(description="File, relative to the project when inside it.")
    kind: str = Field(description="table | records | text.")
    rows_scanned: int = Field(description="Rows, records or lines read.")
    encoding: str | None = Field(description="Text encoding detected; null for binary formats.")
    error: str | None = Field(default=None, description="Why the file could not be scanned.")
    sample: SampleRecord | None = Field(
        default=None,
        exclude_if=_absent,
        description="The row sample scanned (Spark engine); absent when every row was.",
    )

    @classmethod
    def of(cls, result: FileResult) -> FileRecord:
        return cls(
            path=result.path,
            kind=result.kind,
            rows_scanned=result.rows_scanned,
            encoding=result.encoding,
            error=result.error,
            sample=SampleRecord.of(result.sample) if result.sample else None,
        )


class ColumnRecord(Frozen):
    """What one column holds."""

    path: str = Field(description="File of the column.")
    column: str = Field(description="Header name or dotted JSON field path.")
    entity_type: str | None = Field(
        description="Dominant entity; null for a column flagged only by its header."
    )
    hit_ratio: float = Field(description="Share of values holding the dominant entity.")
    rows_scanned: int = Field(description="Non-empty values read.")
    confidence: float = Field(description="Mean recognizer score of the dominant entity.")
    sensitive_category: str | None = Field(
        description="Sensitive category (PIPL Art. 28 / GDPR Art. 9), if any."
    )
    counts: dict[str, int] = Field(default_factory=dict, description="Hits per entity.")

    @classmethod
    def of(cls, column: ColumnResult) -> ColumnRecord:
        return cls(
            path=column.path,
            column=column.column,
            entity_type=column.entity_type,
            hit_ratio=column.hit_ratio,
            rows_scanned=column.rows_scanned,
            confidence=column.confidence,
            sensitive_category=column.sensitive_category,
            counts=dict(column.counts),
        )


class NameRecord(Frozen):
    """Personal data found in names: a file's name, or column names / JSON keys / sheets."""

    path: str = Field(description="File (personal data in its name masked).")
    kind: Literal["file", "column"] = Field(
        description="file: the file's own name; column: column names, keys or sheet names."
    )
    entity_type: str = Field(description="Entity found in the names.")
    names: tuple[str, ...] = Field(description="The names, masked as shown everywhere.")

    @classmethod
    def of(cls, result: NameResult) -> NameRecord:
        return cls(
            path=result.path,
            kind="file" if result.kind == "file" else "column",
            entity_type=result.entity_type,
            names=result.names,
        )


class NerInfo(Frozen):
    """Which NER model ran, and what goes unseen without one."""

    model: str | None = Field(
        default=None, description="spaCy model or pipeline directory; null for none."
    )
    not_covered: tuple[str, ...] = Field(default=(), description="Entities only a NER model finds.")


class IgnoreRuleRecord(Frozen):
    """A ``[[pii.ignore]]`` rule as it applied in this review."""

    path: str | None = Field(description="File glob; null for every file.")
    column: str | None = Field(description="Column glob; null for every column.")
    entity: str | None = Field(description="Entity type; null for every finding in scope.")
    reason: str = Field(description="Why its findings are acceptable, as written.")
    owner: str | None = Field(default=None, description="Who accepted them.")
    expires: dt.date | None = Field(default=None, description="Last day the rule applies.")
    expired: bool = Field(description="Past its expiry: its findings count again.")
    findings: int = Field(description="Findings the rule decided (0: it matched nothing).")

    @classmethod
    def of(cls, use: RuleUse) -> IgnoreRuleRecord:
        rule = use.rule
        return cls(
            path=rule.path,
            column=rule.column,
            entity=rule.entity,
            reason=rule.reason,
            owner=rule.owner,
            expires=rule.expires,
            expired=use.expired,
            findings=use.findings,
        )


class PiiDetails(Frozen):
    """Everything the pii stage records besides its findings."""

    files: tuple[FileRecord, ...] = Field(default=(), description="Every file scanned.")
    columns: tuple[ColumnRecord, ...] = Field(default=(), description="Every column with a result.")
    names: tuple[NameRecord, ...] = Field(
        default=(), description="Names (file, column, key, sheet) holding personal data."
    )
    entities: dict[str, int] = Field(default_factory=dict, description="Hits per entity.")
    sensitive_categories: tuple[str, ...] = Field(
        default=(), description="Sensitive categories seen."
    )
    gdpr_special_categories: tuple[str, ...] = Field(
        default=(), description="The GDPR Art. 9 special categories among them."
    )
    ner: NerInfo = Field(default_factory=NerInfo, description="NER model in use.")
    engine: EngineRecord | None = Field(
        default=None,
        exclude_if=_absent,
        description="Where the scan ran (Spark); absent for the single-process engine.",
    )
    ignore_rules: tuple[IgnoreRuleRecord, ...] = Field(
        default=(),
        description="The [[pii.ignore]] rules and what each decided; the findings they "
        "accept carry the acceptance.",
    )

    @classmethod
    def of(cls, report: ScanReport, uses: Sequence[RuleUse] = ()) -> PiiDetails:
        categories = tuple(report.sensitive_categories)
        return cls(
            ignore_rules=tuple(IgnoreRuleRecord.of(u) for u in uses),
            files=tuple(FileRecord.of(f) for f in report.files),
            columns=tuple(ColumnRecord.of(c) for c in report.columns),
            names=tuple(NameRecord.of(n) for f in report.files for n in f.names),
            entities=dict(report.entities),
            sensitive_categories=categories,
            gdpr_special_categories=tuple(c for c in categories if c in GDPR_SPECIAL),
            ner=NerInfo(model=report.ner_model, not_covered=report.not_covered),
            engine=(
                EngineRecord(name=report.engine.name, master=report.engine.master)
                if report.engine
                else None
            ),
        )


class PiiResult(StageResult):
    """The pii stage's result."""

    stage: Literal["pii"] = "pii"
    details: PiiDetails = Field(
        default_factory=PiiDetails, description="Files, columns and entities scanned."
    )

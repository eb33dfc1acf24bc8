"""The ``[pii]`` section of the config."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from review.core.config import Engine, ExistingPath, Section


class IgnoreRule(Section):
    """An accepted exception: findings it matches are shown as accepted, not dropped.

    ``path`` and ``column`` are globs (``*``, ``?``, ``[...]``) or exact names; a rule
    names at least one of them, so no rule silences a whole scan.
    """

    path: str | None = Field(
        default=None,
        min_length=1,
        description="File glob, relative to the directory of the config file (a glob "
        "without '/' also matches the file name alone); default: every file.",
    )
    column: str | None = Field(
        default=None,
        min_length=1,
        description="Column name or dotted JSON field path, or a glob; default: every column.",
    )
    entity: str | None = Field(
        default=None,
        min_length=1,
        description="Entity type (e.g. CN_MOBILE_PHONE); default: every finding of the column.",
    )
    reason: str = Field(description="Why these findings are acceptable (required).")
    owner: str | None = Field(default=None, min_length=1, description="Who accepted them.")
    expires: dt.date | None = Field(
        default=None,
        description="Last day the rule applies; afterwards its findings count again.",
    )

    @field_validator("reason")
    @classmethod
    def _said(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("say why these findings are acceptable (the reason is blank)")
        return reason

    @model_validator(mode="after")
    def _scoped(self) -> IgnoreRule:
        if self.path is None and self.column is None:
            raise ValueError("an ignore rule names a path or a column (or both)")
        return self


class PiiConfig(Section):
    """The PII scan of sample data."""

    enabled: bool = True
    paths: list[ExistingPath] = Field(
        default_factory=list, description="Sample-data files or directories to scan."
    )
    include: list[str] = Field(default_factory=list, description="Glob patterns to include.")
    exclude: list[str] = Field(default_factory=list, description="Glob patterns to exclude.")
    entities: list[str] | None = Field(
        default=None, description="Entity types to look for (default: all)."
    )
    nlp_model: str | None = Field(
        default=None,
        description="Installed spaCy model to use for NER (never downloaded); none by default.",
    )
    engine: Engine = Field(
        default="local",
        description="local: scan in this process; spark: on Apache Spark ([spark] settings).",
    )
    sources: list[str] = Field(
        default_factory=list,
        description="Data-lake sources the Spark engine scans besides paths: Spark paths "
        "(s3a://bucket/users/, hdfs:///lake/users), format-prefixed ones "
        "(orc:s3a://bucket/events/) and catalog tables (table:lake.users).",
    )
    ignore: list[IgnoreRule] = Field(
        default_factory=list,
        description="[[pii.ignore]] rules: findings they match are accepted with their "
        "reason until they expire.",
    )

    @model_validator(mode="after")
    def _sources_need_spark(self) -> PiiConfig:
        if self.engine != "spark" and self.sources:
            raise PydanticCustomError("engine", 'sources are read by Spark: set engine = "spark"')
        if self.engine == "spark" and (self.include or self.exclude):
            raise PydanticCustomError(
                "engine",
                "include/exclude filter the local engine's directory walk; "
                'with engine = "spark" list the files or directories to read',
            )
        return self

"""The ``[pii]`` section of the config."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from review.core.config import Engine, ExistingPath, Section


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

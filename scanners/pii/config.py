"""The ``[pii]`` section of the config."""

from __future__ import annotations

from pydantic import Field

from review.core.config import ExistingPath, Section


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

"""The stage interface: every stage turns its config section and inputs into a result."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from review.core.config import GateConfig, Language, ProjectConfig, Section, SparkConfig
from review.core.fsio import display_path
from review.core.limits import Limits
from review.core.models import Reviewer, StageResult, Text
from review.core.progress import Progress

Span = tuple[int, int, str]
"""``(start, end, entity_type)`` of a piece of personal information in a text."""

TextScanner = Callable[[str], list[Span]]
"""Finds personal information in one text. The application hands the PII detector to
stages that need it, so that no stage imports another. It never reports a span holding
the mask character (``masking.holds_mask``): a masked value is no finding."""


def _no_text_scanner(text: str) -> list[Span]:
    raise RuntimeError("this stage was given no PII detector")


@dataclass(frozen=True)
class StageContext:
    """What a stage may see besides its own section: the project and earlier results."""

    project_dir: Path
    config_source: Path | None = None
    project: ProjectConfig = field(default_factory=ProjectConfig)
    gate: GateConfig = field(default_factory=GateConfig)
    reviewers: tuple[Reviewer, ...] = ()
    lang: Language = "bilingual"
    progress: Progress = field(default_factory=Progress)
    previous: Mapping[str, StageResult] = field(default_factory=dict)
    find_pii: TextScanner = _no_text_scanner
    spark: SparkConfig = field(default_factory=SparkConfig)
    limits: Limits = field(default_factory=Limits)
    shown_paths: dict[str, Path] = field(default_factory=dict)
    """Input files by the name results show them under (personal data in file names is
    masked there), so the manifest can hash the real files; filled by ``register``."""

    @property
    def error_source(self) -> Path:
        """What an error in the config names: the config file, else the project."""
        return self.config_source or self.project_dir

    def relpath(self, path: Path) -> str:
        """``path`` relative to the project directory when inside it (POSIX form)."""
        return display_path(path, self.project_dir)

    def register(self, shown: str, path: Path) -> None:
        """Record that the input ``path`` is shown as ``shown`` in this stage's result."""
        self.shown_paths[shown] = path


SectionT = TypeVar("SectionT", bound=Section)
ResultT = TypeVar("ResultT", bound=StageResult)


class Stage(ABC, Generic[SectionT, ResultT]):
    """A review stage. Stages never import click, never render, never import each other."""

    name: ClassVar[str]
    title: ClassVar[Text]

    @abstractmethod
    def skip_reason(self, section: SectionT) -> Text | None:
        """Why the stage has nothing to do under this config, or None when it runs."""

    @abstractmethod
    def run(self, section: SectionT, context: StageContext) -> ResultT:
        """Run the stage. Raise InputError for bad input; never print."""

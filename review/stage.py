"""The stage interface: every stage turns config and inputs into a StageResult."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from review.config import Language, LoadedConfig, ReviewConfig
from review.models import StageResult, Text
from review.progress import Progress


@dataclass(frozen=True)
class StageContext:
    """What a stage may see: the config, the project, earlier stages' results."""

    loaded: LoadedConfig
    lang: Language = "bilingual"
    progress: Progress = field(default_factory=Progress)
    previous: Mapping[str, StageResult] = field(default_factory=dict)

    @property
    def config(self) -> ReviewConfig:
        return self.loaded.config

    @property
    def project_dir(self) -> Path:
        return self.loaded.project_dir

    def relpath(self, path: Path) -> str:
        """``path`` relative to the project directory when inside it (POSIX form)."""
        return display_path(path, self.project_dir)


def display_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when inside it, else absolute; always POSIX form."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(base.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


class Stage(ABC):
    """A review stage. Stages never import click and never render."""

    name: ClassVar[str]
    title: ClassVar[Text]

    @abstractmethod
    def applies(self, config: ReviewConfig) -> bool:
        """Whether the config enables this stage and gives it something to do."""

    @abstractmethod
    def run(self, context: StageContext) -> StageResult:
        """Run the stage. Raise InputError for bad input; never print."""

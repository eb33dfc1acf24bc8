"""The output-format interface: one class per format, each turning a Review into text."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from review.outputs.sourceroot import SourceRoot
from review.record import Review


class OutputFormat(ABC):
    """Renders a whole review into one document of some format.

    ``root`` says where the review's relative paths start and which repository root the
    formats read by code hosts (SARIF, Code Quality) write locations from; without it
    they are written as the review has them.
    """

    name: ClassVar[str]
    filename: ClassVar[str]
    description: ClassVar[str]

    def __init__(self, root: SourceRoot | None = None) -> None:
        self.root = root or SourceRoot(base=Path(), root=Path())

    @abstractmethod
    def render(self, review: Review) -> str:
        """The document's text; deterministic for a given review."""

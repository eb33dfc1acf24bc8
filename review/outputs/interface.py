"""The output-format interface: one class per format, each turning a Review into text."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from review.record import Review


class OutputFormat(ABC):
    """Renders a whole review into one document of some format."""

    name: ClassVar[str]
    filename: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def render(self, review: Review) -> str:
        """The document's text; deterministic for a given review."""

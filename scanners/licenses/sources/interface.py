"""The one interface every dependency source implements, and the area's base error."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from review.core.errors import InputError
from review.core.fsio import read_utf8
from review.scanners.licenses.models import Dependency


class SourceError(InputError):
    """A dependency source could not be read: names the file and what is wrong."""


class DependencySource(ABC):
    """Represents an abstract source of resolved dependencies with their license data."""

    kind: ClassVar[str]
    """Registry key, e.g. 'npm-lock'."""

    @abstractmethod
    def collect(self) -> list[Dependency]:
        """Every dependency the source knows, runtime and development, in stable order."""


def shortest_paths(root: str, edges: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Breadth-first paths from ``root`` to every node it reaches (children sorted)."""
    paths: dict[str, tuple[str, ...]] = {root: (root,)}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for child in sorted(set(edges.get(node, ()))):
            if child not in paths:
                paths[child] = (*paths[node], child)
                queue.append(child)
    return paths


def read_text(path: Path) -> str:
    """A UTF-8 input file's text, or a SourceError naming it."""
    return read_utf8(path)

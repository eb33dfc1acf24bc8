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

    def dependency_cycles(self) -> list[tuple[str, ...]]:
        """Cycles in the dependency graph ``collect`` read (each once), by package name."""
        return []


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


def find_cycles(edges: Mapping[str, Iterable[str]]) -> list[tuple[str, ...]]:
    """Each cycle of the graph once: its strongly connected parts with more than one
    node, or a node depending on itself (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(set(edges.get(start, ())))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(set(edges.get(child, ()))))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1 or node in set(edges.get(node, ())):
                    found.append(tuple(sorted(part)))
    return sorted(found)


def read_text(path: Path) -> str:
    """A UTF-8 input file's text, or a SourceError naming it."""
    return read_utf8(path)

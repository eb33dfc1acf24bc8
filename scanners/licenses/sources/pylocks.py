"""Python manifests and lock files. They carry no license data: it comes from the environment."""

from __future__ import annotations

import re
import tomllib
from abc import abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from packaging.requirements import InvalidRequirement, Requirement

from review.scanners.licenses.models import Dependency
from review.scanners.licenses.sources.interface import (
    DependencySource,
    SourceError,
    read_text,
    shortest_paths,
)
from review.scanners.licenses.sources.pyenv import DEV_EXTRAS, PythonEnvironment, canonical


class PythonLock(DependencySource):
    """Shared part: look each pinned package up in an installed environment."""

    def __init__(self, path: Path, environment: PythonEnvironment, label: str) -> None:
        self.path = path
        self.environment = environment
        self.label = label

    @abstractmethod
    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        """(name, pinned version, dev, path) for every package the file names."""

    def collect(self) -> list[Dependency]:
        installed = self.environment.index
        out = []
        for name, version, dev, path in self._entries():
            found = installed.get(canonical(name))
            base = Dependency(
                name=name, version=version, ecosystem="pypi", source=self.label, dev=dev, path=path
            )
            if found is None:
                out.append(
                    base.model_copy(
                        update={
                            "unresolved": f"not installed in {self.environment.label}; its "
                            "license cannot be looked up offline"
                        }
                    )
                )
            elif version is not None and found.version != version:
                out.append(
                    base.model_copy(
                        update={
                            "unresolved": f"pinned {version} but {found.version} is installed in "
                            f"{self.environment.label}; the pinned version's license cannot be "
                            "looked up offline"
                        }
                    )
                )
            else:
                out.append(base.model_copy(update={"license": found.license}))
        return sorted(out, key=lambda d: (canonical(d.name), d.version or ""))

    def _toml(self) -> dict[str, Any]:
        try:
            return tomllib.loads(read_text(self.path))
        except tomllib.TOMLDecodeError as exc:
            raise SourceError(self.path, f"invalid TOML: {exc}") from None


class RequirementsFile(PythonLock):
    """A pinned ``requirements*.txt`` (pip-compile's ``# via`` comments give the path)."""

    kind: ClassVar[str] = "requirements"

    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        dev = bool(re.search(r"(dev|test|lint|doc)", self.path.name, re.IGNORECASE))
        project = "(project)"
        entries: list[tuple[str, str | None]] = []
        parents: dict[str, set[str]] = {}
        current: str | None = None
        for number, raw in enumerate(read_text(self.path).splitlines(), start=1):
            line = raw.strip()
            via = re.match(r"#\s+(?:via\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*$", line)
            if via and current is not None:
                parents.setdefault(current, set()).add(canonical(via.group(1)))
                continue
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith(("#", "-")):
                continue
            try:
                req = Requirement(line.rstrip("\\").strip())
            except InvalidRequirement:
                raise SourceError(self.path, f"line {number}: not a requirement") from None
            pins = [s.version for s in req.specifier if s.operator in ("==", "===")]
            entries.append((req.name, pins[0] if pins else None))
            current = canonical(req.name)
        names = {canonical(n) for n, _ in entries}
        edges: dict[str, set[str]] = {project: set()}
        for name in names:
            known = {p for p in parents.get(name, set()) if p in names}
            for parent in known or {project}:
                edges.setdefault(parent, set()).add(name)
        paths = shortest_paths(project, edges)
        return [(n, v, dev, paths.get(canonical(n), (project, n))) for n, v in entries]


class PyprojectFile(PythonLock):
    """``[project] dependencies`` / optional-dependencies and ``[dependency-groups]``."""

    kind: ClassVar[str] = "pyproject"

    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        data = self._toml()
        project = data.get("project", {})
        name = str(project.get("name", "(project)"))
        groups: list[tuple[str, list[Any]]] = [("", list(project.get("dependencies", [])))]
        groups += sorted(project.get("optional-dependencies", {}).items())
        groups += sorted(data.get("dependency-groups", {}).items())
        out = []
        for group, reqs in groups:
            for number, text in enumerate(reqs):
                if not isinstance(text, str):
                    continue  # an include-group table, not a requirement
                try:
                    req = Requirement(text)
                except InvalidRequirement:
                    raise SourceError(
                        self.path, f"{group or 'dependencies'}[{number}]: not a requirement"
                    ) from None
                pins = [s.version for s in req.specifier if s.operator in ("==", "===")]
                out.append(
                    (req.name, pins[0] if pins else None, group in DEV_EXTRAS, (name, req.name))
                )
        # An unpinned requirement is judged by what is installed.
        return [(n, v, d, p) for n, v, d, p in out]

    def collect(self) -> list[Dependency]:
        deps = []
        installed = self.environment.index
        for dep in super().collect():
            found = installed.get(canonical(dep.name))
            if dep.version is None and found is not None:
                dep = dep.model_copy(update={"version": found.version, "license": found.license})
            deps.append(dep)
        return deps


class PoetryLock(PythonLock):
    """``poetry.lock``: packages, their dependencies and (older locks) their category."""

    kind: ClassVar[str] = "poetry-lock"

    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        packages = self._toml().get("package")
        if not isinstance(packages, list):
            raise SourceError(self.path, "no [[package]] entries: not a poetry.lock")
        edges: dict[str, set[str]] = {}
        required: set[str] = set()
        for pkg in packages:
            deps = {canonical(d) for d in (pkg.get("dependencies") or {})}
            edges[canonical(pkg["name"])] = deps
            required |= deps
        root = "(project)"
        edges[root] = {n for n in edges if n not in required}
        paths = shortest_paths(root, edges)
        out: list[tuple[str, str | None, bool, tuple[str, ...]]] = []
        for pkg in packages:
            if "name" not in pkg or "version" not in pkg:
                raise SourceError(self.path, "a [[package]] entry lacks name or version")
            groups = pkg.get("groups") or [pkg.get("category", "main")]
            dev = all(g != "main" for g in groups)
            key = canonical(pkg["name"])
            out.append((pkg["name"], str(pkg["version"]), dev, paths.get(key, (root, pkg["name"]))))
        return out


class UvLock(PythonLock):
    """``uv.lock``: the project package, its dependencies and dev-dependencies."""

    kind: ClassVar[str] = "uv-lock"

    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        packages = self._toml().get("package")
        if not isinstance(packages, list):
            raise SourceError(self.path, "no [[package]] entries: not a uv.lock")
        runtime: dict[str, set[str]] = {}
        every: dict[str, set[str]] = {}
        roots = []
        for pkg in packages:
            name = canonical(pkg.get("name", ""))
            source = pkg.get("source", {})
            if isinstance(source, dict) and ("editable" in source or "virtual" in source):
                roots.append(name)
            deps = {canonical(d["name"]) for d in pkg.get("dependencies", [])}
            for extra in (pkg.get("optional-dependencies") or {}).values():
                deps |= {canonical(d["name"]) for d in extra}
            dev = {
                canonical(d["name"])
                for group in (pkg.get("dev-dependencies") or {}).values()
                for d in group
            }
            runtime[name] = deps
            every[name] = deps | dev
        root = roots[0] if roots else "(project)"
        if not roots:
            required = {c for kids in every.values() for c in kids}
            every[root] = runtime[root] = {n for n in every if n not in required}
        run_paths = shortest_paths(root, runtime)
        all_paths = shortest_paths(root, every)
        out = []
        for pkg in packages:
            name = canonical(pkg.get("name", ""))
            if name == root or name in roots:
                continue
            path = run_paths.get(name) or all_paths.get(name) or (root, pkg["name"])
            out.append((pkg["name"], pkg.get("version"), name not in run_paths, path))
        return out

"""Python manifests and lock files. They carry no license data: it comes from the environment."""

from __future__ import annotations

import re
import tomllib
from abc import abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from packaging.requirements import InvalidRequirement, Requirement
from pydantic import BaseModel, ConfigDict, Field

from review.core.validation import validate_model
from review.scanners.licenses.models import Dependency
from review.scanners.licenses.sources.interface import (
    DependencySource,
    SourceError,
    read_text,
    shortest_paths,
)
from review.scanners.licenses.sources.pyenv import DEV_EXTRAS, PythonEnvironment, canonical

NOT_INSTALLED = (
    "not installed: pass --python of the environment built from this lock (its license "
    "data comes from the installed package)"
)


class PythonLock(DependencySource):
    """Shared part: look each pinned package up in the environment built from the file."""

    def __init__(self, path: Path, environment: PythonEnvironment | None, label: str) -> None:
        self.path = path
        self.environment = environment
        self.label = label

    @abstractmethod
    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        """(name, pinned version, dev, path) for every package the file names."""

    def collect(self) -> list[Dependency]:
        installed = self.environment.index if self.environment is not None else {}
        out = []
        for name, version, dev, path in self._entries():
            found = installed.get(canonical(name))
            base = Dependency(
                name=name, version=version, ecosystem="pypi", source=self.label, dev=dev, path=path
            )
            if self.environment is None:
                out.append(base.model_copy(update={"unresolved": NOT_INSTALLED}))
                continue
            base = base.model_copy(update={"sources": (self.label, self.environment.label)})
            if found is None:
                out.append(
                    base.model_copy(
                        update={
                            "unresolved": f"not installed in {self.environment.label}; pass "
                            "--python of the environment built from this lock"
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
        project = _table(self.path, data, "project")
        name = str(project.get("name", "(project)"))
        groups: list[tuple[str, list[Any]]] = [
            ("", _array(self.path, project, "dependencies", "project.dependencies"))
        ]
        for key, label in (
            ("optional-dependencies", "project.optional-dependencies"),
            ("dependency-groups", "dependency-groups"),
        ):
            where = project if key == "optional-dependencies" else data
            for group, reqs in sorted(_table(self.path, where, key, label).items()):
                groups.append((group, _array(self.path, {group: reqs}, group, f"{label}.{group}")))
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
        installed = self.environment.index if self.environment is not None else {}
        for dep in super().collect():
            found = installed.get(canonical(dep.name))
            if dep.version is None and found is not None:
                dep = dep.model_copy(update={"version": found.version, "license": found.license})
            deps.append(dep)
        return deps


def _table(path: Path, data: dict[str, Any], key: str, label: str | None = None) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise SourceError(path, f"{label or key}: expected a table, got {_type(value)}")
    return value


def _array(path: Path, data: dict[str, Any], key: str, label: str) -> list[Any]:
    """A TOML array; a string where a list belongs is an error, not a list of letters."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SourceError(path, f"{label}: expected an array, got {_type(value)}")
    return value


def _type(value: Any) -> str:
    names: dict[type, str] = {str: "a string", dict: "a table", list: "an array"}
    return names.get(type(value), type(value).__name__)


class _Loose(BaseModel):
    """A lock-file entry: known keys are type-checked, others are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)


class _PoetryPackage(_Loose):
    name: str
    version: str
    groups: list[str] | None = None
    category: str | None = None
    dependencies: dict[str, Any] | None = None


class _PoetryFile(_Loose):
    package: list[_PoetryPackage]


class _UvRef(_Loose):
    name: str


class _UvPackage(_Loose):
    name: str
    version: str | None = None
    source: dict[str, Any] | None = None
    dependencies: list[_UvRef] = Field(default_factory=list)
    optional_dependencies: dict[str, list[_UvRef]] = Field(
        default_factory=dict, alias="optional-dependencies"
    )
    dev_dependencies: dict[str, list[_UvRef]] = Field(
        default_factory=dict, alias="dev-dependencies"
    )


class _UvFile(_Loose):
    package: list[_UvPackage]


class PoetryLock(PythonLock):
    """``poetry.lock``: packages, their dependencies and (older locks) their category."""

    kind: ClassVar[str] = "poetry-lock"

    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        data = self._toml()
        if not isinstance(data.get("package"), list):
            raise SourceError(self.path, "no [[package]] entries: not a poetry.lock")
        packages = validate_model(_PoetryFile, data, self.path).package
        edges: dict[str, set[str]] = {}
        required: set[str] = set()
        for pkg in packages:
            deps = {canonical(d) for d in pkg.dependencies or {}}
            edges[canonical(pkg.name)] = deps
            required |= deps
        root = "(project)"
        edges[root] = {n for n in edges if n not in required}
        paths = shortest_paths(root, edges)
        out: list[tuple[str, str | None, bool, tuple[str, ...]]] = []
        for pkg in packages:
            groups = pkg.groups or [pkg.category or "main"]
            dev = all(g != "main" for g in groups)
            out.append(
                (pkg.name, pkg.version, dev, paths.get(canonical(pkg.name), (root, pkg.name)))
            )
        return out


class UvLock(PythonLock):
    """``uv.lock``: the project package, its dependencies and dev-dependencies."""

    kind: ClassVar[str] = "uv-lock"

    def _entries(self) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
        data = self._toml()
        if not isinstance(data.get("package"), list):
            raise SourceError(self.path, "no [[package]] entries: not a uv.lock")
        packages = validate_model(_UvFile, data, self.path).package
        runtime: dict[str, set[str]] = {}
        every: dict[str, set[str]] = {}
        roots = []
        for pkg in packages:
            name = canonical(pkg.name)
            if pkg.source and ("editable" in pkg.source or "virtual" in pkg.source):
                roots.append(name)
            deps = {canonical(d.name) for d in pkg.dependencies}
            for extra in pkg.optional_dependencies.values():
                deps |= {canonical(d.name) for d in extra}
            dev = {canonical(d.name) for group in pkg.dev_dependencies.values() for d in group}
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
            name = canonical(pkg.name)
            if name == root or name in roots:
                continue
            path = run_paths.get(name) or all_paths.get(name) or (root, pkg.name)
            out.append((pkg.name, pkg.version, name not in run_paths, path))
        return out

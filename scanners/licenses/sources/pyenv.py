"""An installed Python environment, read through pip-licenses (also another venv's)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

import piplicenses
from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement

from review.scanners.licenses.models import Dependency, LicenseData
from review.scanners.licenses.sources.interface import DependencySource, SourceError, shortest_paths

# Extras and dependency groups that mean "only for development".
DEV_EXTRAS = frozenset(
    {"dev", "devel", "develop", "test", "tests", "testing", "docs", "doc", "lint", "typing"}
)
_LICENSE_FILE = re.compile(r"(licen[cs]e|copying|notice)", re.IGNORECASE)


def canonical(name: str) -> str:
    """PEP 503 normalised name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _sys_path(python: Path) -> list[str]:
    try:
        out = subprocess.run(
            [str(python), "-c", "import sys; print('\\n'.join(p for p in sys.path if p))"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONPATH": "", "VIRTUAL_ENV": ""},
        )
    except OSError as exc:
        raise SourceError(python, f"cannot run this Python: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise SourceError(python, "this Python did not answer within 60 s") from None
    if out.returncode != 0:
        raise SourceError(python, "is not a working Python interpreter")
    return out.stdout.splitlines()


class PythonEnvironment(DependencySource):
    """Every distribution installed in one interpreter's environment."""

    kind: ClassVar[str] = "python-env"

    def __init__(self, python: Path | None = None, project: str | None = None) -> None:
        self.python = python
        self.project = canonical(project) if project else None

    @property
    def label(self) -> str:
        return f"python:{self.python}" if self.python else "python:current"

    def collect(self) -> list[Dependency]:
        return sorted(self.index.values(), key=lambda d: canonical(d.name))

    @cached_property
    def index(self) -> dict[str, Dependency]:
        """Installed distributions by canonical name (the project itself left out)."""
        if self.python is not None and not self.python.exists():
            raise SourceError(self.python, "no such Python interpreter")
        licenses = self._pip_licenses()
        dists = self._distributions()
        requires = {name: _requirements(meta) for name, (_, meta) in dists.items()}
        runtime, every = _graph(requires, self.project)
        # Without the project installed, nothing tells runtime from development needs.
        knows_project = self.project is not None and self.project in requires
        root = self.project if knows_project and self.project else "(environment)"
        paths = shortest_paths(root, runtime)
        all_paths = shortest_paths(root, every)
        out: dict[str, Dependency] = {}
        for name, info in sorted(licenses.items()):
            if name == self.project:
                continue
            dist, meta = dists.get(name, (None, None))
            path = paths.get(name) or all_paths.get(name) or (root, name)
            out[name] = Dependency(
                name=str(info["name"]),
                version=str(info["version"]),
                ecosystem="pypi",
                source=self.label,
                dev=knows_project and name not in paths,
                path=path,
                license=LicenseData(
                    expression=_known(info.get("license_expression")),
                    classifiers=tuple(
                        f"License :: {c}" for c in info.get("license_classifier", [])
                    ),
                    field=_known(info.get("license")),
                    files=_license_files(dist, meta) if dist and meta else (),
                ),
            )
        return out

    def _pip_licenses(self) -> dict[str, dict[str, Any]]:
        python = str(self.python) if self.python else sys.executable
        args = piplicenses.create_parser().parse_args(
            ["--python", python, "--from=all", "--with-system"]
        )
        found: dict[str, dict[str, Any]] = {}
        for info in piplicenses.get_packages(args):
            found.setdefault(canonical(str(info["name"])), info)
        return found

    def _distributions(self) -> dict[str, tuple[metadata.Distribution, Headers]]:
        """Distributions with the METADATA headers this source needs (no body parsing)."""
        path = _sys_path(self.python) if self.python else sys.path
        found: dict[str, tuple[metadata.Distribution, Headers]] = {}
        for dist in metadata.distributions(path=path):
            headers = _headers(dist)
            names = headers.get("name")
            if names:
                found.setdefault(canonical(names[0]), (dist, headers))
        return found


Headers = dict[str, list[str]]
_WANTED = frozenset({"name", "requires-dist", "license-file"})


def _headers(dist: metadata.Distribution) -> Headers:
    """The few METADATA headers needed, read without parsing the (often long) body.

    pip-licenses already parses every METADATA in full; the email parser spends most of
    its time on the description body, which nothing here needs.
    """
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    head = text.split("\n\n", 1)[0]
    out: Headers = {}
    for line in head.splitlines():
        if not line or line[0] in " \t":
            continue  # continuation lines only occur in headers this source ignores
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in _WANTED:
            out.setdefault(key, []).append(value.strip())
    return out


def _known(value: Any) -> str | None:
    if not isinstance(value, str) or value in ("", piplicenses.LICENSE_UNKNOWN):
        return None
    return value


def _license_files(dist: metadata.Distribution, meta: Headers) -> tuple[Path, ...]:
    """License files in the .dist-info folder: declared ``License-File`` entries first."""
    info_dir = getattr(dist, "_path", None)
    if not isinstance(info_dir, Path) or not info_dir.is_dir():
        return ()
    out: list[Path] = []
    for declared in meta.get("license-file", []):
        # PEP 639 puts them under licenses/; older wheels at the top of .dist-info.
        for candidate in (info_dir / "licenses" / declared, info_dir / declared):
            if candidate.is_file():
                out.append(candidate)
                break
    if not out:
        out = sorted(p for p in info_dir.iterdir() if _LICENSE_FILE.match(p.name) and p.is_file())
    return tuple(out)


def _requirements(meta: Headers) -> list[Requirement]:
    out = []
    for line in meta.get("requires-dist", []):
        try:
            out.append(Requirement(line))
        except InvalidRequirement:
            continue
    return out


def _applies(req: Requirement, extra: str) -> bool:
    if req.marker is None:
        return extra == ""
    try:
        return bool(req.marker.evaluate({"extra": extra}))
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return False


def _graph(
    requires: dict[str, list[Requirement]], project: str | None
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Runtime edges (no dev extras) and all edges, from the project or the top packages."""
    runtime: dict[str, set[str]] = {}
    every: dict[str, set[str]] = {}

    def visit(name: str, extras: frozenset[str], graph: dict[str, set[str]], dev_ok: bool) -> None:
        pending = [(name, extras)]
        seen: set[tuple[str, frozenset[str]]] = set()
        while pending:
            node, node_extras = pending.pop()
            if (node, node_extras) in seen:
                continue
            seen.add((node, node_extras))
            for req in requires.get(node, []):
                active = [e for e in ("", *sorted(node_extras)) if _applies(req, e)]
                if not active:
                    continue
                if not dev_ok and node == project and all(e in DEV_EXTRAS for e in active):
                    continue
                child = canonical(req.name)
                if child not in requires:
                    continue
                graph.setdefault(node, set()).add(child)
                pending.append((child, frozenset(req.extras)))

    if project is not None and project in requires:
        extras = frozenset(_project_extras(requires[project]))
        visit(project, extras, runtime, dev_ok=False)
        visit(project, extras, every, dev_ok=True)
        # What the project never asks for is environment tooling: reachable from "(environment)".
        reached = {c for kids in every.values() for c in kids} | {project}
        every.setdefault(project, set()).update(n for n in requires if n not in reached)
        return runtime, every
    required = {canonical(r.name) for reqs in requires.values() for r in reqs}
    root = "(environment)"
    runtime[root] = {n for n in requires if n not in required}
    for top in sorted(runtime[root]):
        visit(top, frozenset(), runtime, dev_ok=True)
    return runtime, runtime


def _project_extras(reqs: list[Requirement]) -> set[str]:
    extras: set[str] = set()
    for req in reqs:
        if req.marker is None:
            continue
        for match in re.finditer(r"extra\s*==\s*['\"]([^'\"]+)['\"]", str(req.marker)):
            extras.add(match.group(1))
    return extras

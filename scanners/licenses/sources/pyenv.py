"""An installed Python environment (also another venv's), read from its metadata files."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import ClassVar

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.metadata import parse_email
from packaging.requirements import InvalidRequirement, Requirement

from review.scanners.licenses import spdx
from review.scanners.licenses.aliases import from_alias
from review.scanners.licenses.models import Dependency, LicenseData
from review.scanners.licenses.sources.interface import DependencySource, SourceError, shortest_paths
from review.scanners.licenses.textmatch import scan_text

# Extras and dependency groups that mean "only for development".
DEV_EXTRAS = frozenset(
    {"dev", "devel", "develop", "test", "tests", "testing", "docs", "doc", "lint", "typing"}
)
_LICENSE_FILE = re.compile(r"(licen[cs]e|copying|notice)", re.IGNORECASE)
_PYTHON_NAME = re.compile(r"^(?:python|pypy)(?:\d+(?:\.\d+)*)?[tdm]?(?:\.exe)?$", re.IGNORECASE)
# Magic numbers of native executables: ELF, Mach-O (32/64-bit, both byte orders, fat), PE.
_EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"MZ",
)
INTERPRETER_ENV = "REVIEW_LICENSES_PYTHON"
"""Environment variable naming the interpreter when ``--python`` is not given."""


def canonical(name: str) -> str:
    """PEP 503 normalised name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def check_interpreter(python: Path) -> Path:
    """``python`` if it is a Python interpreter, else a SourceError saying why.

    A venv directory stands for its ``bin/python``. Only a native executable named like
    a Python interpreter is ever run: never a script (a ``#!`` file such as ``evil.sh``).
    """
    if python.is_dir():
        for candidate in (python / "bin" / "python", python / "Scripts" / "python.exe"):
            if candidate.exists():
                python = candidate
                break
    if not python.exists():
        raise SourceError(python, "no such Python interpreter")
    real = python.resolve()
    if not real.is_file() or not os.access(real, os.X_OK):
        raise SourceError(python, "not an executable file, so not a Python interpreter")
    if not (_PYTHON_NAME.match(python.name) or _PYTHON_NAME.match(real.name)):
        raise SourceError(
            python, "not a Python interpreter: its name is not python, python3 or python3.X"
        )
    with real.open("rb") as handle:
        head = handle.read(4)
    if not head.startswith(_EXECUTABLE_MAGIC):
        raise SourceError(
            python, "not a Python interpreter: a script, not a native executable, is never run"
        )
    return python


def _sys_path(python: Path) -> list[str]:
    python = check_interpreter(python)
    try:
        out = subprocess.run(
            [
                str(python),
                "-I",
                "-S",
                "-c",
                "import site, sys; site.main(); print(chr(10).join(p for p in sys.path if p))",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
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
        packages = sorted(self.index.values(), key=lambda d: canonical(d.name))
        return [*packages, *self.bundled]

    @cached_property
    def _read(self) -> tuple[dict[str, Dependency], list[Dependency]]:
        dists = self._distributions()
        requires = {name: _requirements(meta) for name, (_, meta) in dists.items()}
        runtime, every = _graph(requires, self.project)
        # Without the project installed, nothing tells runtime from development needs.
        knows_project = self.project is not None and self.project in requires
        root = self.project if knows_project and self.project else "(environment)"
        paths = shortest_paths(root, runtime)
        all_paths = shortest_paths(root, every)
        out: dict[str, Dependency] = {}
        bundled: list[Dependency] = []
        for name, (dist, meta) in sorted(dists.items()):
            if name == self.project:
                continue
            path = paths.get(name) or all_paths.get(name) or (root, name)
            files = _license_files(dist, meta)
            dep = Dependency(
                name=str(meta.get("name") or name),
                version=str(meta.get("version") or "") or None,
                ecosystem="pypi",
                source=self.label,
                dev=knows_project and name not in paths,
                path=path,
                license=LicenseData(
                    expression=_text(meta.get("license_expression")),
                    classifiers=_classifiers(meta),
                    field=_text(meta.get("license")),
                    files=files,
                ),
            )
            out[name] = dep
            bundled += _bundled_libraries(dist, dep, files)
        return out, bundled

    @property
    def index(self) -> dict[str, Dependency]:
        """Installed distributions by canonical name (the project itself left out)."""
        return self._read[0]

    @property
    def bundled(self) -> list[Dependency]:
        """Native libraries vendored inside wheels (auditwheel ``*.libs/``, delocate
        ``.dylibs/``), each a component of its own."""
        return self._read[1]

    def _distributions(self) -> dict[str, tuple[metadata.Distribution, Meta]]:
        """Distributions with their METADATA headers (the long description is not parsed)."""
        if self.python is not None and not self.python.exists():
            raise SourceError(self.python, "no such Python interpreter")
        path = _sys_path(self.python) if self.python else sys.path
        found: dict[str, tuple[metadata.Distribution, Meta]] = {}
        for dist in metadata.distributions(path=path):
            meta = _headers(dist)
            name = meta.get("name")
            if isinstance(name, str) and name:
                found.setdefault(canonical(name), (dist, meta))
        return found


Meta = dict[str, object]


def _headers(dist: metadata.Distribution) -> Meta:
    """Core metadata fields through ``packaging.metadata``, headers only.

    The email parser spends most of its time on the description body, which nothing
    here needs, so only the header block is parsed.
    """
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    head = text.split("\n\n", 1)[0]
    raw, _ = parse_email(head)
    return dict(raw)


def _classifiers(meta: Meta) -> tuple[str, ...]:
    found = meta.get("classifiers")
    if not isinstance(found, list):
        return ()
    return tuple(c for c in found if isinstance(c, str) and c.startswith("License ::"))


def _text(value: object) -> str | None:
    if not isinstance(value, str) or value.strip() in ("", "UNKNOWN"):
        return None
    return value


def _license_files(dist: metadata.Distribution, meta: Meta) -> tuple[Path, ...]:
    """License files in the .dist-info folder: declared ``License-File`` entries first."""
    info_dir = getattr(dist, "_path", None)
    if not isinstance(info_dir, Path) or not info_dir.is_dir():
        return ()
    out: list[Path] = []
    declared = meta.get("license_files") or []
    for name in declared if isinstance(declared, list) else []:
        # PEP 639 puts them under licenses/; older wheels at the top of .dist-info.
        for candidate in (info_dir / "licenses" / name, info_dir / name):
            if candidate.is_file():
                out.append(candidate)
                break
    if not out:
        top = [p for p in info_dir.iterdir() if _LICENSE_FILE.match(p.name) and p.is_file()]
        nested = info_dir / "licenses"
        if nested.is_dir():
            top += [p for p in nested.rglob("*") if p.is_file()]
        out = sorted(top)
    return tuple(out)


_VENDORED = re.compile(r"^(?:[^/,]+\.libs|(?:[^,]*/)?\.dylibs)/([^/,]+),", re.MULTILINE)
_LIBRARY = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_+]*?)(?:-[0-9a-f]{8})*"
    r"(?:\.so(?:\.(?P<so>[0-9.]+))?|(?:\.(?P<dy>[0-9.]+))?\.dylib|\.dll)$"
)
_NAME_BLOCK = re.compile(
    r"^Name: (?P<name>.+)\n(?P<fields>(?:[A-Z][A-Za-z]+: .*\n)+)", re.MULTILINE
)
_SECTION = re.compile(r"^-{4,}\s*\n\s*\n(?P<title>[A-Z0-9][A-Z0-9 ._+-]{1,40})\s*\n", re.MULTILINE)


def _bundled_libraries(
    dist: metadata.Distribution, parent: Dependency, files: tuple[Path, ...]
) -> list[Dependency]:
    """The native libraries a wheel vendors, with the license its license files state."""
    record = dist.read_text("RECORD") or ""
    if ".libs/" not in record and ".dylibs/" not in record:
        return []
    libraries: dict[str, tuple[str, str | None]] = {}
    for match in _VENDORED.finditer(record):
        filename = match.group(1)
        parsed = _LIBRARY.match(filename)
        if parsed is None:
            continue
        name = parsed.group("name")
        libraries.setdefault(name, (filename, parsed.group("so") or parsed.group("dy")))
    texts = []
    for path in files:
        try:
            texts.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    out = []
    for name, (filename, version) in sorted(libraries.items()):
        stated = _stated_license(name, filename, texts)
        dep = Dependency(
            name=name,
            version=version,
            ecosystem="generic",
            source=parent.source,
            dev=parent.dev,
            path=(*parent.path, name),
            bundled_in=parent.name,
        )
        if stated is None:
            out.append(
                dep.model_copy(
                    update={
                        "unresolved": f"native library bundled in the {parent.name} wheel; its "
                        "license files do not state this library's license"
                    }
                )
            )
        else:
            expression, where = stated
            out.append(
                dep.model_copy(
                    update={"license": LicenseData(expression=expression, expression_label=where)}
                )
            )
    return out


def _stated_license(
    name: str, filename: str, texts: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """(SPDX expression, where) for a bundled library, from the wheel's license files.

    Two layouts are read: ``Name: / Files: / License:`` blocks (numpy, scipy) and
    ``----`` separated sections titled with the library's name (Pillow).
    """
    stem = name.lower().removeprefix("lib")
    for file_name, text in texts:
        for block in _NAME_BLOCK.finditer(text):
            fields = dict(
                line.split(": ", 1) for line in block.group("fields").splitlines() if ": " in line
            )
            patterns = fields.get("Files", "").split(",")
            if not any(_file_matches(p.strip(), filename) for p in patterns):
                continue
            declared = fields.get("License", "").strip()
            expression = spdx.normalise(declared) or from_alias(declared)
            if expression:
                return expression, f"license file {file_name}: bundled '{block.group('name')}'"
        sections = list(_SECTION.finditer(text))
        for number, section in enumerate(sections):
            title = section.group("title").strip().lower().removeprefix("lib")
            if not _same_library(stem, title):
                continue
            end = sections[number + 1].start() if number + 1 < len(sections) else len(text)
            found = scan_text(text[section.end() : end])
            if found.found:
                keys = [k for k, _, _ in found.licenses]
                expression = " OR ".join(keys) if found.choice else " AND ".join(keys)
                return expression, f"license file {file_name}: section {section.group('title')}"
    return None


def _same_library(stem: str, title: str) -> bool:
    """``brotlicommon`` is BROTLI's, ``openjp2`` OPENJPEG's, ``freetype`` FREETYPE2's."""
    if not stem or not title:
        return False
    shared = next(
        (i for i, (a, b) in enumerate(zip(stem, title, strict=False)) if a != b),
        min(len(stem), len(title)),
    )
    return shared >= min(len(stem), len(title)) or (shared >= 5 and shared >= 0.7 * len(stem))


def _file_matches(pattern: str, filename: str) -> bool:
    """``scipy.libs/libgfortran*.so`` matches ``libgfortran-040039e1.so.5.0.0``."""
    base = pattern.rsplit("/", 1)[-1]
    if not base:
        return False
    if fnmatch.fnmatch(filename, base):
        return True
    prefix = base.split("*", 1)[0]
    return bool(prefix) and "*" in base and filename.startswith(prefix)


def _requirements(meta: Meta) -> list[Requirement]:
    out = []
    lines = meta.get("requires_dist") or []
    for line in lines if isinstance(lines, list) else []:
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

"""The closed registry of dependency sources and how an input file picks its source."""

from __future__ import annotations

import re
from pathlib import Path

from review.core.fsio import read_input
from review.scanners.licenses.sources.documents import (
    CycloneDx,
    Document,
    NpmLock,
    SpdxSbom,
    load_json,
)
from review.scanners.licenses.sources.interface import DependencySource, SourceError
from review.scanners.licenses.sources.pyenv import PythonEnvironment
from review.scanners.licenses.sources.pylocks import (
    PoetryLock,
    PyprojectFile,
    PythonLock,
    RequirementsFile,
    UvLock,
)

SOURCES: dict[str, type[DependencySource]] = {
    PythonEnvironment.kind: PythonEnvironment,
    RequirementsFile.kind: RequirementsFile,
    PyprojectFile.kind: PyprojectFile,
    PoetryLock.kind: PoetryLock,
    UvLock.kind: UvLock,
    NpmLock.kind: NpmLock,
    CycloneDx.kind: CycloneDx,
    SpdxSbom.kind: SpdxSbom,
}

LOCKFILE_NAMES: dict[str, str] = {
    "pyproject.toml": PyprojectFile.kind,
    "poetry.lock": PoetryLock.kind,
    "uv.lock": UvLock.kind,
    "package-lock.json": NpmLock.kind,
    "npm-shrinkwrap.json": NpmLock.kind,
}
_REQUIREMENTS = re.compile(r"requirements.*\.(txt|in)$", re.IGNORECASE)


def lockfile_kind(path: Path) -> str:
    """Registry key for a manifest or lock file, from its name."""
    if _REQUIREMENTS.search(path.name):
        return RequirementsFile.kind
    kind = LOCKFILE_NAMES.get(path.name)
    if kind is None:
        raise SourceError(
            path,
            "not a known manifest or lock file (requirements*.txt, pyproject.toml, poetry.lock, "
            "uv.lock, package-lock.json)",
        )
    return kind


def sbom_kind(path: Path) -> str:
    """Registry key for an SBOM, from its content (CycloneDX or SPDX, any of their forms)."""
    text = read_input(path, "SBOM").decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("{"):
        data = load_json(path, text)
        if data.get("bomFormat") == "CycloneDX":
            return CycloneDx.kind
        if "spdxVersion" in data or "@context" in data:
            return SpdxSbom.kind
    elif text.startswith("<"):
        head = text[:8192]
        if "cyclonedx.org/schema/bom" in head:
            return CycloneDx.kind
        if "spdx" in head.lower():
            return SpdxSbom.kind
    elif re.search(r"^\s*(SPDXVersion|spdxVersion|SPDXID):", text, re.MULTILINE):
        return SpdxSbom.kind
    raise SourceError(
        path,
        "not a CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, XML, RDF) SBOM",
    )


def build(
    kind: str, path: Path, environment: PythonEnvironment | None, label: str
) -> DependencySource:
    """An instance of the source ``kind`` for one input file."""
    cls = SOURCES[kind]
    if issubclass(cls, PythonLock):
        return cls(path, environment, label)
    if issubclass(cls, Document):
        return cls(path, label)
    raise SourceError(path, f"source {kind} is not file-based")

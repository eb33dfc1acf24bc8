"""Sources that carry their own license data: npm package-lock, CycloneDX and SPDX SBOMs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from review.scanners.licenses.models import Dependency, Ecosystem, LicenseData
from review.scanners.licenses.sources.interface import (
    DependencySource,
    SourceError,
    read_text,
    shortest_paths,
)


def load_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``, or a SourceError saying what is wrong."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise SourceError(path, "expected a JSON object at the top level")
    return data


class Document(DependencySource):
    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label


class NpmLock(Document):
    """npm ``package-lock.json`` v2/v3: every ``packages`` entry has its own ``license``."""

    kind: ClassVar[str] = "npm-lock"

    def collect(self) -> list[Dependency]:
        data = load_json(self.path)
        version = data.get("lockfileVersion")
        packages = data.get("packages")
        if version not in (2, 3) or not isinstance(packages, dict):
            raise SourceError(
                self.path, "not an npm lockfile v2/v3 (needs lockfileVersion 2 or 3 and 'packages')"
            )
        root_entry = packages.get("", {})
        root = str(root_entry.get("name") or data.get("name") or "(project)")
        edges: dict[str, set[str]] = {}
        run_edges: dict[str, set[str]] = {}
        for location, entry in packages.items():
            if not isinstance(entry, dict):
                raise SourceError(self.path, f"packages[{location!r}]: expected an object")
            node = location or root
            for field in ("dependencies", "optionalDependencies", "peerDependencies"):
                for name in entry.get(field) or {}:
                    target = _resolve(packages, location, name)
                    if target is not None:
                        edges.setdefault(node, set()).add(target)
                        run_edges.setdefault(node, set()).add(target)
            for name in entry.get("devDependencies") or {}:
                target = _resolve(packages, location, name)
                if target is not None:
                    edges.setdefault(node, set()).add(target)
        names = {loc: _name(loc, e) for loc, e in packages.items() if loc}
        run_paths = shortest_paths(root, run_edges)
        all_paths = shortest_paths(root, edges)
        out = []
        for location, entry in sorted(packages.items()):
            if not location or entry.get("link"):
                continue
            path = run_paths.get(location) or all_paths.get(location) or (root, location)
            shown = tuple(names.get(p, p) for p in path)
            out.append(
                Dependency(
                    name=names[location],
                    version=entry.get("version"),
                    ecosystem="npm",
                    source=self.label,
                    dev=bool(entry.get("dev") or entry.get("devOptional")),
                    path=shown,
                    license=_npm_license(entry.get("license")),
                    unresolved=None if entry.get("license") else "no license field in the lock",
                )
            )
        return out


def _name(location: str, entry: dict[str, Any]) -> str:
    return str(entry.get("name") or location.rsplit("node_modules/", 1)[-1])


def _resolve(packages: dict[str, Any], location: str, name: str) -> str | None:
    """Node's lookup: the nearest ``node_modules/NAME`` walking up from ``location``."""
    base = location
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind("/node_modules/")
        base = base[:cut] if cut >= 0 else ""


def _npm_license(value: Any) -> LicenseData | None:
    if isinstance(value, str) and value.strip():
        return LicenseData(expression=value, expression_label="license field")
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return LicenseData(expression=value["type"], expression_label="license field")
    return None


def _purl_ecosystem(purl: Any) -> Ecosystem:
    if isinstance(purl, str):
        if purl.startswith("pkg:npm/"):
            return "npm"
        if purl.startswith("pkg:pypi/"):
            return "pypi"
    return "generic"


class CycloneDx(Document):
    """CycloneDX JSON 1.4–1.6: ``components[].licenses[]`` and the ``dependencies`` graph."""

    kind: ClassVar[str] = "cyclonedx"

    def collect(self) -> list[Dependency]:
        data = load_json(self.path)
        if data.get("bomFormat") != "CycloneDX" or str(data.get("specVersion")) not in (
            "1.4",
            "1.5",
            "1.6",
        ):
            raise SourceError(self.path, "not a CycloneDX 1.4-1.6 JSON BOM")
        components = data.get("components") or []
        if not isinstance(components, list):
            raise SourceError(self.path, "components: expected a list")
        meta = (data.get("metadata") or {}).get("component") or {}
        root = str(meta.get("bom-ref") or meta.get("name") or "(project)")
        names = {str(c.get("bom-ref")): str(c.get("name")) for c in components if c.get("bom-ref")}
        names[root] = str(meta.get("name") or root)
        edges = {
            str(d.get("ref")): {str(x) for x in d.get("dependsOn") or []}
            for d in data.get("dependencies") or []
        }
        paths = shortest_paths(root, edges)
        out = []
        for number, comp in enumerate(components):
            if not isinstance(comp, dict) or not comp.get("name"):
                raise SourceError(self.path, f"components[{number}]: missing name")
            ref = str(comp.get("bom-ref") or comp["name"])
            path = tuple(names.get(p, p) for p in paths.get(ref, (root, ref)))
            out.append(
                Dependency(
                    name=str(comp["name"]),
                    version=comp.get("version"),
                    ecosystem=_purl_ecosystem(comp.get("purl")),
                    source=self.label,
                    dev=comp.get("scope") == "excluded",
                    path=path,
                    license=self._license(comp.get("licenses") or [], number),
                    unresolved=None if comp.get("licenses") else "no licenses in the SBOM",
                )
            )
        return sorted(out, key=lambda d: (d.name, d.version or ""))

    def _license(self, entries: list[Any], number: int) -> LicenseData | None:
        ids: list[str] = []
        names: list[str] = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise SourceError(self.path, f"components[{number}].licenses: expected objects")
            if isinstance(entry.get("expression"), str):
                return LicenseData(expression=entry["expression"], expression_label="expression")
            lic = entry.get("license") or {}
            if lic.get("id"):
                ids.append(str(lic["id"]))
            elif lic.get("name"):
                names.append(str(lic["name"]))
        if not ids and not names:
            return None
        return LicenseData(ids=tuple(ids), names=tuple(names))


class SpdxSbom(Document):
    """SPDX 2.3 JSON: ``licenseConcluded`` (else ``licenseDeclared``) and relationships."""

    kind: ClassVar[str] = "spdx"

    def collect(self) -> list[Dependency]:
        data = load_json(self.path)
        if not str(data.get("spdxVersion", "")).startswith("SPDX-2."):
            raise SourceError(self.path, "not an SPDX 2.x JSON document (spdxVersion)")
        packages = data.get("packages") or []
        if not isinstance(packages, list):
            raise SourceError(self.path, "packages: expected a list")
        described = [str(x) for x in data.get("documentDescribes") or []]
        edges: dict[str, set[str]] = {}
        dev: set[str] = set()
        for rel in data.get("relationships") or []:
            kind = rel.get("relationshipType")
            a, b = str(rel.get("spdxElementId")), str(rel.get("relatedSpdxElement"))
            if kind == "DESCRIBES":
                described.append(b)
            elif kind == "DEPENDS_ON":
                edges.setdefault(a, set()).add(b)
            elif kind == "DEPENDENCY_OF":
                edges.setdefault(b, set()).add(a)
            elif kind in ("DEV_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF", "TEST_DEPENDENCY_OF"):
                edges.setdefault(b, set()).add(a)
                dev.add(a)
        root = described[0] if described else "(project)"
        names = {str(p.get("SPDXID")): str(p.get("name")) for p in packages}
        paths = shortest_paths(root, edges)
        out = []
        for number, pkg in enumerate(packages):
            if not isinstance(pkg, dict) or not pkg.get("name") or not pkg.get("SPDXID"):
                raise SourceError(self.path, f"packages[{number}]: missing name or SPDXID")
            ref = str(pkg["SPDXID"])
            if ref == root:
                continue
            concluded = _assertion(pkg.get("licenseConcluded"))
            declared = _assertion(pkg.get("licenseDeclared"))
            license = None
            if concluded:
                license = LicenseData(expression=concluded, expression_label="licenseConcluded")
            elif declared:
                license = LicenseData(expression=declared, expression_label="licenseDeclared")
            out.append(
                Dependency(
                    name=str(pkg["name"]),
                    version=pkg.get("versionInfo"),
                    ecosystem=_spdx_ecosystem(pkg),
                    source=self.label,
                    dev=ref in dev,
                    path=tuple(names.get(p, p) for p in paths.get(ref, (root, ref))),
                    license=license,
                    unresolved=None
                    if license
                    else "licenseConcluded and licenseDeclared are NOASSERTION or missing",
                )
            )
        return sorted(out, key=lambda d: (d.name, d.version or ""))


def _assertion(value: Any) -> str | None:
    if not isinstance(value, str) or value.strip() in ("", "NOASSERTION", "NONE"):
        return None
    return value


def _spdx_ecosystem(pkg: dict[str, Any]) -> Ecosystem:
    for ref in pkg.get("externalRefs") or []:
        if ref.get("referenceType") == "purl":
            return _purl_ecosystem(ref.get("referenceLocator"))
    return "generic"

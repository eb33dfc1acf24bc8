"""Sources that carry their own license data: npm package-lock, CycloneDX and SPDX SBOMs.

SBOMs are read through the ecosystem's libraries (``cyclonedx-python-lib``,
``spdx-tools``); XML is first checked by ``defusedxml`` (no entity declarations, no
external references), and JSON by a reader that refuses duplicate keys.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar
from xml.etree.ElementTree import Element, ParseError

import yaml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from pydantic import BaseModel, ConfigDict, Field

from review.core.documents import parse_json, parse_yaml
from review.core.errors import InputError, library_message
from review.core.validation import validate_model
from review.scanners.licenses.models import Dependency, Ecosystem, LicenseData
from review.scanners.licenses.sources.interface import (
    DependencySource,
    SourceError,
    find_cycles,
    read_text,
    shortest_paths,
)

# Graph edges whose target is needed only to develop, build or test.
_DEV_RELATIONSHIPS = frozenset(
    {"DEV_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF", "TEST_DEPENDENCY_OF", "DEV_TOOL_OF"}
)
_RUNTIME_RELATIONSHIPS = frozenset(
    {
        "DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF",
        "PROVIDED_DEPENDENCY_OF",
        "CONTAINED_BY",
    }
)
_DEV_PROPERTY = re.compile(r":(development|dev)$")
_DEV_GROUP_PROPERTY = re.compile(r":(group|category|scope)$")
_DEV_GROUPS = frozenset({"dev", "develop", "development", "test", "tests", "docs", "lint"})


def load_json(path: Path, text: str | None = None) -> dict[str, Any]:
    """A JSON object from ``path``; invalid JSON or a duplicate key is a SourceError.

    A duplicate key ("license": "AGPL-3.0-only", "license": "MIT") would let the last
    value hide the first, so the file is refused rather than read one way (the one JSON
    boundary, ``review.core.documents``, also bounds nesting and integer digits).
    """
    try:
        data = parse_json(read_text(path) if text is None else text, path)
    except InputError as exc:
        raise SourceError(path, exc.problem) from None
    if not isinstance(data, dict):
        raise SourceError(path, "expected a JSON object at the top level")
    return data


def safe_xml(path: Path, text: str) -> Element:
    """Parse XML refusing entity declarations and external references (no XXE, no bombs)."""
    try:
        return SafeElementTree.fromstring(text, forbid_dtd=False)
    except DefusedXmlException as exc:
        raise SourceError(path, f"unsafe XML refused ({type(exc).__name__})") from None
    except ParseError as exc:
        raise SourceError(path, f"invalid XML: {exc}") from None


class Document(DependencySource):
    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label
        self.cycles: list[tuple[str, ...]] = []

    def dependency_cycles(self) -> list[tuple[str, ...]]:
        return self.cycles


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class _NpmEntry(_Strict):
    name: str | None = None
    version: str | None = None
    license: str | dict[str, Any] | list[Any] | None = None
    dev: bool = False
    dev_optional: bool = Field(default=False, alias="devOptional")
    link: bool = False
    dependencies: dict[str, str] = Field(default_factory=dict)
    optional_dependencies: dict[str, str] = Field(
        default_factory=dict, alias="optionalDependencies"
    )
    peer_dependencies: dict[str, str] = Field(default_factory=dict, alias="peerDependencies")
    dev_dependencies: dict[str, str] = Field(default_factory=dict, alias="devDependencies")


class _NpmLockFile(_Strict):
    name: str | None = None
    lockfile_version: int = Field(alias="lockfileVersion")
    packages: dict[str, _NpmEntry]


class NpmLock(Document):
    """npm ``package-lock.json`` v2/v3: every ``packages`` entry has its own ``license``."""

    kind: ClassVar[str] = "npm-lock"

    def collect(self) -> list[Dependency]:
        raw = load_json(self.path)
        if raw.get("lockfileVersion") not in (2, 3) or not isinstance(raw.get("packages"), dict):
            raise SourceError(
                self.path, "not an npm lockfile v2/v3 (needs lockfileVersion 2 or 3 and 'packages')"
            )
        lock = validate_model(_NpmLockFile, raw, self.path)
        packages = lock.packages
        root_entry = packages.get("")
        root = str((root_entry.name if root_entry else None) or lock.name or "(project)")
        edges: dict[str, set[str]] = {}
        run_edges: dict[str, set[str]] = {}
        for location, entry in packages.items():
            node = location or root
            for name in (
                *entry.dependencies,
                *entry.optional_dependencies,
                *entry.peer_dependencies,
            ):
                target = _resolve(packages, location, name)
                if target is not None:
                    edges.setdefault(node, set()).add(target)
                    run_edges.setdefault(node, set()).add(target)
            for name in entry.dev_dependencies:
                target = _resolve(packages, location, name)
                if target is not None:
                    edges.setdefault(node, set()).add(target)
        names = {loc: _name(loc, e) for loc, e in packages.items() if loc}
        self.cycles = [tuple(names.get(n, n) for n in c) for c in find_cycles(edges)]
        run_paths = shortest_paths(root, run_edges)
        all_paths = shortest_paths(root, edges)
        out = []
        for location, entry in sorted(packages.items()):
            if not location or entry.link:
                continue
            path = run_paths.get(location) or all_paths.get(location) or (root, location)
            out.append(
                Dependency(
                    name=names[location],
                    version=entry.version,
                    ecosystem="npm",
                    source=self.label,
                    dev=entry.dev or entry.dev_optional,
                    path=tuple(names.get(p, p) for p in path),
                    license=_npm_license(entry.license),
                    unresolved=None if entry.license else "no license field in the lock",
                )
            )
        return out


def _name(location: str, entry: _NpmEntry) -> str:
    return str(entry.name or location.rsplit("node_modules/", 1)[-1])


def _resolve(packages: dict[str, _NpmEntry], location: str, name: str) -> str | None:
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
    if isinstance(value, list):  # the old "licenses": [{"type": ...}] form
        names = [v.get("type") for v in value if isinstance(v, dict)]
        found = tuple(n for n in names if isinstance(n, str) and n.strip())
        return LicenseData(names=found) if found else None
    return None


def _purl_ecosystem(purl: Any) -> Ecosystem:
    text = str(purl) if purl is not None else ""
    if text.startswith("pkg:npm/"):
        return "npm"
    if text.startswith("pkg:pypi/"):
        return "pypi"
    return "generic"


class CycloneDx(Document):
    """CycloneDX 1.1-1.6, JSON or XML, through ``cyclonedx-python-lib``: nested components,
    every license entry, scope and npm / poetry development properties, the graph."""

    kind: ClassVar[str] = "cyclonedx"
    VERSIONS: ClassVar[tuple[str, ...]] = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")

    def collect(self) -> list[Dependency]:
        from cyclonedx.model.bom import Bom as BomModel

        bom_model: Any = BomModel  # its deserialisers are added by a decorator: untyped
        text = read_text(self.path)
        both_named: dict[str, list[str]]
        if text.lstrip().startswith("<"):
            root = safe_xml(self.path, text)
            # The namespace names the version: {http://cyclonedx.org/schema/bom/1.4}bom.
            version = root.tag.split("}", 1)[0].rsplit("/", 1)[-1]
            self._check_version(version)
            both_named = _xml_license_names(root)
            parse: Callable[[], Any] = lambda: bom_model.from_xml(root)  # noqa: E731
        else:
            data = load_json(self.path, text)
            if data.get("bomFormat") != "CycloneDX":
                raise SourceError(self.path, "not a CycloneDX BOM (bomFormat)")
            self._check_version(str(data.get("specVersion")))
            both_named = _json_license_names(data.get("components"))
            parse = lambda: bom_model.from_json(data)  # noqa: E731
        try:
            with warnings.catch_warnings():
                # "Both id and name supplied - name will be ignored": the names are kept
                # from the raw document (both_named) instead.
                warnings.simplefilter("ignore")
                bom = parse()
        except Exception as exc:  # the reader boundary: ValueError, TypeError, KeyError...
            # The library's deserialiser reports wrong types in known fields (and bad
            # serial numbers, as its own CycloneDxDeserializationException) this way.
            raise SourceError(
                self.path, f"not a valid CycloneDX BOM: {library_message(exc)}"
            ) from None
        meta = bom.metadata.component if bom.metadata else None
        root_ref = _ref(meta) if meta is not None else "(project)"
        names: dict[str, str] = {root_ref: _full_name(meta) if meta is not None else root_ref}
        flat = list(_flatten(bom.components, ()))
        for component, _ in flat:
            names.setdefault(_ref(component), _full_name(component))
        edges: dict[str, set[str]] = {}
        for dependency in bom.dependencies:
            edges.setdefault(str(dependency.ref.value), set()).update(
                str(d.ref.value) for d in dependency.dependencies
            )
        for component, parents in flat:  # a nested component belongs to its parent
            if parents:
                edges.setdefault(parents[-1], set()).add(_ref(component))
            elif not bom.dependencies:
                edges.setdefault(root_ref, set()).add(_ref(component))
        self.cycles = [tuple(names.get(n, n) for n in c) for c in find_cycles(edges)]
        paths = shortest_paths(root_ref, edges)
        flagged = {_ref(c) for c, _ in flat if _cdx_dev(c)}
        shipped = _shipped(root_ref, edges, flagged)
        out = []
        for component, parents in flat:
            ref = _ref(component)
            path = paths.get(ref) or (root_ref, *parents, ref)
            license = _cdx_license(component, both_named.get(ref, []))
            out.append(
                Dependency(
                    name=_full_name(component),
                    version=component.version,
                    ecosystem=_purl_ecosystem(component.purl),
                    source=self.label,
                    dev=ref in flagged and (ref not in shipped or not edges),
                    path=tuple(names.get(p, p) for p in path),
                    license=license,
                    unresolved=None if license else "no licenses in the SBOM",
                )
            )
        return sorted(out, key=lambda d: (d.name, d.version or ""))

    def _check_version(self, version: str) -> None:
        if version not in self.VERSIONS:
            raise SourceError(
                self.path, f"CycloneDX version {version[:20]!r} is not supported (1.1-1.6)"
            )


def _shipped(root: str, edges: dict[str, set[str]], flagged: set[str]) -> set[str]:
    """Components a runtime path reaches: the project's own non-development dependencies
    and everything below them. npm marks a package development-only by its first
    occurrence in the tree; the graph shows when another copy is needed at run time."""
    reached: set[str] = set()
    pending = [c for c in edges.get(root, ()) if c not in flagged]
    while pending:
        node = pending.pop()
        if node in reached:
            continue
        reached.add(node)
        pending.extend(edges.get(node, ()))
    return reached


def _ref(component: Any) -> str:
    ref = component.bom_ref.value if component.bom_ref is not None else None
    return str(ref or f"{_full_name(component)}@{component.version or ''}")


def _full_name(component: Any) -> str:
    name = str(component.name)
    group = component.group
    if group and str(group).startswith("@"):
        return f"{group}/{name}"  # npm scope
    return f"{group}:{name}" if group else name


def _flatten(
    components: Iterable[Any], parents: tuple[str, ...]
) -> Iterable[tuple[Any, tuple[str, ...]]]:
    for component in components:
        yield component, parents
        yield from _flatten(component.components, (*parents, _ref(component)))


def _cdx_dev(component: Any) -> bool:
    from cyclonedx.model.component import ComponentScope

    if component.scope == ComponentScope.EXCLUDED:
        return True
    for prop in component.properties:
        name, value = str(prop.name), str(prop.value or "").strip().lower()
        if _DEV_PROPERTY.search(name) and value == "true":
            return True
        if _DEV_GROUP_PROPERTY.search(name) and value in _DEV_GROUPS:
            return True
    return False


def _cdx_license(component: Any, extra_names: list[str]) -> LicenseData | None:
    """Every license entry: an expression, ids and names (a name given beside an id too)."""
    expressions: list[str] = []
    ids: list[str] = []
    names: list[str] = list(extra_names)
    for entry in component.licenses:
        value = getattr(entry, "value", None)
        if isinstance(value, str):
            expressions.append(value)
        elif getattr(entry, "id", None):
            ids.append(str(entry.id))
        elif getattr(entry, "name", None):
            names.append(str(entry.name))
    if len(expressions) == 1 and not ids and not names:
        return LicenseData(expression=expressions[0], expression_label="expression")
    if not (expressions or ids or names):
        return None
    return LicenseData(ids=(*(f"({e})" for e in expressions), *ids), names=tuple(names))


def _json_license_names(components: Any) -> dict[str, list[str]]:
    """Names given beside an id (the library keeps only the id), by component bom-ref."""
    out: dict[str, list[str]] = {}
    for component in components if isinstance(components, list) else []:
        if not isinstance(component, dict):
            continue
        for entry in component.get("licenses") or []:
            lic = entry.get("license") if isinstance(entry, dict) else None
            if isinstance(lic, dict) and lic.get("id") and isinstance(lic.get("name"), str):
                ref = str(
                    component.get("bom-ref")
                    or f"{component.get('name')}@{component.get('version') or ''}"
                )
                out.setdefault(ref, []).append(lic["name"])
        for ref, found in _json_license_names(component.get("components")).items():
            out.setdefault(ref, []).extend(found)
    return out


def _xml_license_names(root: Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for component in root.iter():
        if not component.tag.endswith("}component"):
            continue
        ref = component.get("bom-ref") or ""
        for lic in component.findall("./{*}licenses/{*}license"):
            lic_id, name = lic.find("{*}id"), lic.find("{*}name")
            if lic_id is not None and name is not None and name.text and ref:
                out.setdefault(ref, []).append(name.text)
    return out


class SpdxSbom(Document):
    """SPDX 2.x as JSON, YAML, tag-value, XML or RDF/XML through ``spdx-tools``: every
    package's concluded (else declared) license and the dependency relationships."""

    kind: ClassVar[str] = "spdx"

    def __init__(self, path: Path, label: str) -> None:
        super().__init__(path, label)
        self.kept: dict[str, tuple[str, str]] = {}

    def collect(self) -> list[Dependency]:
        document = self._parse()
        described = {
            r.related_spdx_element_id
            for r in document.relationships
            if r.relationship_type.name == "DESCRIBES"
            and r.spdx_element_id == document.creation_info.spdx_id
        }
        packages = {p.spdx_id: p for p in document.packages}
        root = sorted(described & set(packages))[0] if described & set(packages) else "(project)"
        edges: dict[str, set[str]] = {}
        run_edges: dict[str, set[str]] = {}
        for rel in document.relationships:
            kind = rel.relationship_type.name
            a, b = rel.spdx_element_id, str(rel.related_spdx_element_id)
            if kind == "DEPENDS_ON":
                edges.setdefault(a, set()).add(b)
                run_edges.setdefault(a, set()).add(b)
            elif kind in _RUNTIME_RELATIONSHIPS:
                edges.setdefault(b, set()).add(a)
                run_edges.setdefault(b, set()).add(a)
            elif kind in _DEV_RELATIONSHIPS:
                edges.setdefault(b, set()).add(a)
        names = {ref: p.name for ref, p in packages.items()}
        self.cycles = [tuple(names.get(n, n) for n in c) for c in find_cycles(edges)]
        paths = shortest_paths(root, edges)
        runtime = shortest_paths(root, run_edges)
        # A package is development-only when no runtime relationship reaches it from
        # the described package: npm writes DEV_DEPENDENCY_OF for direct edges only.
        has_graph = bool(edges.get(root))
        out = []
        for ref, pkg in sorted(packages.items()):
            if ref == root:
                continue
            concluded = _assertion(pkg.license_concluded)
            declared = _assertion(pkg.license_declared)
            license = None
            if ref in self.kept and not concluded:
                key, value = self.kept[ref]
                license = LicenseData(expression=value, expression_label=key)
            elif concluded:
                license = LicenseData(expression=concluded, expression_label="licenseConcluded")
            elif declared:
                license = LicenseData(expression=declared, expression_label="licenseDeclared")
            out.append(
                Dependency(
                    name=pkg.name,
                    version=pkg.version,
                    ecosystem=_spdx_ecosystem(pkg),
                    source=self.label,
                    dev=has_graph and ref in paths and ref not in runtime,
                    path=tuple(names.get(p, p) for p in paths.get(ref, (root, ref))),
                    license=license,
                    unresolved=None
                    if license
                    else "licenseConcluded and licenseDeclared are NOASSERTION or missing",
                )
            )
        return sorted(out, key=lambda d: (d.name, d.version or ""))

    def _parse(self) -> Any:
        from spdx_tools.spdx.parser.error import SPDXParsingError

        text = read_text(self.path)
        head = text.lstrip()[:4096]
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # ply's "Generating LALR tables"
                return self._parse_as(text, head)
        except SPDXParsingError as exc:
            messages: list[str] = exc.get_messages()  # type: ignore[no-untyped-call]
            first = messages[0] if messages else "unreadable"
            raise SourceError(
                self.path, f"not a valid SPDX document: {library_message(first, 160)}"
            ) from None
        except (ValueError, TypeError, AttributeError, KeyError, yaml.YAMLError) as exc:
            raise SourceError(
                self.path, f"not a valid SPDX document: {library_message(exc)}"
            ) from None

    def _parse_as(self, text: str, head: str) -> Any:
        from spdx_tools.spdx.parser.jsonlikedict import json_like_dict_parser
        from spdx_tools.spdx.parser.tagvalue import parser as tagvalue

        # spdx-tools has no type hints: its entry points are held as Any.
        dict_parser: Any = json_like_dict_parser.JsonLikeDictParser
        tag_parser: Any = tagvalue.Parser

        if head.startswith("{"):
            data = load_json(self.path, text)
            self._check_version(data)
            return dict_parser().parse(_lenient(data, self.kept))
        if head.startswith("<"):
            safe_xml(self.path, text)  # refuses entities and external references first
            if "rdf:RDF" in head or "<rdf:" in head:
                from spdx_tools.spdx.parser.rdf import rdf_parser

                return rdf_parser.parse_from_file(str(self.path))
            from spdx_tools.spdx.parser.xml import xml_parser

            return xml_parser.parse_from_file(str(self.path))
        if re.match(r"(#.*\n|\s)*SPDXVersion:", text):
            return tag_parser().parse(_FRACTION.sub(r"\1Z", text))
        data = parse_yaml(text, self.path)
        if not isinstance(data, dict) or "spdxVersion" not in data:
            raise SourceError(self.path, "not an SPDX document (JSON, YAML, XML, RDF or tag-value)")
        self._check_version(data)
        return dict_parser().parse(_lenient(data, self.kept))

    def _check_version(self, data: dict[str, Any]) -> None:
        if "@context" in data or "@graph" in data:
            raise SourceError(
                self.path,
                "SPDX 3.0 (JSON-LD) is not supported: spdx-tools reads SPDX 2.x only; "
                "export the SBOM as SPDX 2.3",
            )
        version = str(data.get("spdxVersion", ""))
        if not version.startswith("SPDX-2."):
            raise SourceError(self.path, f"SPDX version {version[:20]!r} is not supported (2.x)")


# npm writes "created": "2026-11-30T18:36:09.849Z"; SPDX 2.x (and spdx-tools) want whole
# seconds. The fraction says nothing about licenses, so it is dropped before parsing.
_FRACTION = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d+Z")


def _lenient(data: dict[str, Any], kept: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """What real producers write that spdx-tools refuses, made parseable without loss.

    npm writes a URL or "SEE LICENSE IN ..." as ``licenseDeclared``; spdx-tools then
    refuses the whole document. Such a value is set aside in ``kept`` (by SPDXID) and
    given to the library as NOASSERTION; the package keeps the raw value as its evidence.
    """
    from license_expression import ExpressionError
    from spdx_tools.common.spdx_licensing import spdx_licensing  # type: ignore[import-untyped]

    info = data.get("creationInfo")
    if isinstance(info, dict) and isinstance(info.get("created"), str):
        info = {**info, "created": _FRACTION.sub(r"\1Z", info["created"])}
        data = {**data, "creationInfo": info}
    packages = data.get("packages")
    if not isinstance(packages, list):
        return data
    fixed = []
    for pkg in packages:
        if isinstance(pkg, dict):
            for key in ("licenseConcluded", "licenseDeclared"):
                value = pkg.get(key)
                if not isinstance(value, str) or value.strip() in ("NOASSERTION", "NONE", ""):
                    continue
                try:
                    spdx_licensing.parse(value, validate=True, strict=True)
                except (ExpressionError, AttributeError, TypeError, ValueError):
                    kept.setdefault(str(pkg.get("SPDXID")), (key, value))
                    pkg = {**pkg, key: "NOASSERTION"}
        fixed.append(pkg)
    return {**data, "packages": fixed}


def _assertion(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text in ("", "NOASSERTION", "NONE"):
        return None
    return text


def _spdx_ecosystem(pkg: Any) -> Ecosystem:
    for ref in pkg.external_references:
        if ref.reference_type == "purl":
            return _purl_ecosystem(ref.locator)
    return "generic"

"""Each dependency source, the registry, and malformed input."""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.scanners.licenses.sources.documents import CycloneDx, NpmLock, SpdxSbom
from review.scanners.licenses.sources.interface import SourceError
from review.scanners.licenses.sources.pyenv import PythonEnvironment
from review.scanners.licenses.sources.pylocks import (
    PoetryLock,
    PyprojectFile,
    RequirementsFile,
    UvLock,
)
from review.scanners.licenses.sources.registry import SOURCES, build, lockfile_kind, sbom_kind

CLICK = metadata.version("click")


@pytest.fixture(scope="module")
def env() -> PythonEnvironment:
    return PythonEnvironment(None, None)


def test_registry_is_exhaustive(tmp_path: Path, env: PythonEnvironment) -> None:
    file_kinds = {
        lockfile_kind(Path(n))
        for n in (
            "requirements-dev.txt",
            "pyproject.toml",
            "poetry.lock",
            "uv.lock",
            "package-lock.json",
        )
    }
    cdx = tmp_path / "a.json"
    cdx.write_text('{"bomFormat": "CycloneDX"}', encoding="utf-8")
    spdx_doc = tmp_path / "b.json"
    spdx_doc.write_text('{"spdxVersion": "SPDX-2.3"}', encoding="utf-8")
    file_kinds |= {sbom_kind(cdx), sbom_kind(spdx_doc)}
    assert file_kinds | {PythonEnvironment.kind} == set(SOURCES)
    for kind in file_kinds:
        assert type(build(kind, cdx, env, "x")) is SOURCES[kind]


def test_npm_lock_demo(demo_project: Path) -> None:
    deps = {d.name: d for d in NpmLock(demo_project / "frontend/package-lock.json", "f").collect()}
    voice = deps["@acme-ai/voice-engine"]
    assert voice.path == ("cs-assistant-web", "@demo-ui/chat-widget", "@acme-ai/voice-engine")
    assert voice.license is not None and voice.license.expression == "AGPL-3.0-only"
    assert deps["gpl-lint-rules"].dev and not voice.dev


def test_python_environment_current(env: PythonEnvironment) -> None:
    click = env.index["click"]
    assert click.version == CLICK
    assert click.license is not None


def test_python_environment_other_venv(tmp_path: Path) -> None:
    env = PythonEnvironment(Path(sys.executable), "review-pipeline")
    deps = {d.name.lower(): d for d in env.collect()}
    assert "click" in deps and not deps["click"].dev
    assert deps["click"].path[0] == "review-pipeline"
    assert deps["pytest"].dev  # only reached through the project's dev extra
    # A project that is not installed there: no package can be told apart as dev-only.
    other = {
        d.name.lower(): d for d in PythonEnvironment(Path(sys.executable), "elsewhere").collect()
    }
    assert not any(d.dev for d in other.values())
    assert other["click"].path[0] == "(environment)"
    missing = tmp_path / "nope" / "python"
    with pytest.raises(SourceError, match="no such Python interpreter"):
        PythonEnvironment(missing).collect()


def test_requirements(tmp_path: Path, env: PythonEnvironment) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text(
        f"click=={CLICK}\n    # via flask\nnot-installed-pkg-xyz==1.0\nflask==0.0.1\n",
        encoding="utf-8",
    )
    deps = {d.name: d for d in RequirementsFile(req, env, "requirements.txt").collect()}
    assert deps["click"].license is not None and deps["click"].unresolved is None
    assert deps["click"].path == ("(project)", "flask", "click")
    assert "not installed" in (deps["not-installed-pkg-xyz"].unresolved or "")
    bad = tmp_path / "requirements-bad.txt"
    bad.write_text("click==\n", encoding="utf-8")
    with pytest.raises(SourceError, match="line 1: not a requirement"):
        RequirementsFile(bad, env, "x").collect()


def test_pyproject(tmp_path: Path, env: PythonEnvironment) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "demo"\ndependencies = ["click>=8"]\n'
        '[project.optional-dependencies]\ndev = ["pytest"]\n',
        encoding="utf-8",
    )
    deps = {d.name: d for d in PyprojectFile(path, env, "pyproject.toml").collect()}
    assert deps["click"].version == CLICK and not deps["click"].dev
    assert deps["pytest"].dev


def test_poetry_lock(tmp_path: Path, env: PythonEnvironment) -> None:
    path = tmp_path / "poetry.lock"
    path.write_text(
        f'[[package]]\nname = "click"\nversion = "{CLICK}"\ngroups = ["main"]\n'
        '[package.dependencies]\ncolorama = "*"\n'
        '[[package]]\nname = "colorama"\nversion = "0.0.0"\ngroups = ["dev"]\n',
        encoding="utf-8",
    )
    deps = {d.name: d for d in PoetryLock(path, env, "poetry.lock").collect()}
    assert deps["click"].license is not None and not deps["click"].dev
    assert deps["colorama"].dev
    assert deps["colorama"].path == ("(project)", "click", "colorama")
    assert deps["colorama"].unresolved


def test_uv_lock(tmp_path: Path, env: PythonEnvironment) -> None:
    path = tmp_path / "uv.lock"
    path.write_text(
        'version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "click" }]\n'
        '[package.dev-dependencies]\ndev = [{ name = "pytest" }]\n'
        f'[[package]]\nname = "click"\nversion = "{CLICK}"\n'
        f'[[package]]\nname = "pytest"\nversion = "{metadata.version("pytest")}"\n',
        encoding="utf-8",
    )
    deps = {d.name: d for d in UvLock(path, env, "uv.lock").collect()}
    assert deps["click"].path == ("app", "click") and not deps["click"].dev
    assert deps["pytest"].dev
    assert "app" not in deps


def test_cyclonedx(tmp_path: Path) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "root", "name": "app"}},
        "components": [
            {
                "type": "library",
                "bom-ref": "a",
                "group": "@acme",
                "name": "a",
                "version": "1",
                "purl": "pkg:npm/%40acme/a@1",
                # Both an id and a name: the library keeps the id; the name is kept too.
                "licenses": [{"license": {"id": "MIT", "name": "Apache 2.0"}}],
                "components": [{"type": "library", "bom-ref": "inner", "name": "inner"}],
            },
            {
                "type": "library",
                "bom-ref": "b",
                "name": "b",
                "version": "2",
                "licenses": [
                    {"expression": "Apache-2.0 OR GPL-2.0-only"},
                    {"license": {"name": "License :: OSI Approved :: MIT License"}},
                ],
            },
            {
                "type": "library",
                "bom-ref": "c",
                "name": "c",
                "licenses": [{"license": {"name": "Apache 2.0"}}],
                "properties": [{"name": "cdx:npm:package:development", "value": "true"}],
            },
            {"type": "library", "bom-ref": "d", "name": "d", "scope": "excluded"},
        ],
        "dependencies": [
            {"ref": "root", "dependsOn": ["a", "c", "d"]},
            {"ref": "a", "dependsOn": ["b"]},
        ],
    }
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(bom), encoding="utf-8")
    deps = {d.name: d for d in CycloneDx(path, "bom.json").collect()}
    assert set(deps) == {"@acme/a", "inner", "b", "c", "d"}
    a = deps["@acme/a"]
    assert a.ecosystem == "npm" and a.license is not None
    assert (a.license.ids, a.license.names) == (("MIT",), ("Apache 2.0",))
    assert deps["inner"].path == ("app", "@acme/a", "inner")
    assert deps["b"].path == ("app", "@acme/a", "b")
    assert deps["b"].license is not None
    assert deps["b"].license.ids == ("(Apache-2.0 OR GPL-2.0-only)",)
    assert deps["b"].license.names == ("License :: OSI Approved :: MIT License",)
    assert deps["c"].dev and deps["d"].dev and not a.dev
    assert deps["d"].unresolved


def _spdx_doc(
    packages: list[dict[str, object]], relationships: list[dict[str, str]]
) -> dict[str, object]:
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "app",
        "documentNamespace": "https://example.invalid/spdx/app-1",
        "creationInfo": {"created": "2026-01-01T00:00:00.123Z", "creators": ["Tool: test"]},
        "packages": packages,
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-app",
            },
            *relationships,
        ],
    }


def _pkg(
    ref: str, name: str, concluded: str = "NOASSERTION", declared: str = "NOASSERTION"
) -> dict[str, object]:
    return {
        "SPDXID": ref,
        "name": name,
        "versionInfo": "1",
        "downloadLocation": "NOASSERTION",
        "licenseConcluded": concluded,
        "licenseDeclared": declared,
    }


def test_spdx(tmp_path: Path) -> None:
    doc = _spdx_doc(
        [
            _pkg("SPDXRef-app", "app", "MIT"),
            _pkg("SPDXRef-x", "x", declared="BSD-3-Clause"),
            _pkg("SPDXRef-y", "y"),
            _pkg("SPDXRef-z", "z", "GPL-3.0-only"),
            _pkg("SPDXRef-w", "w", declared="https://example.invalid/license"),
            _pkg("SPDXRef-v", "v", "MIT"),
        ],
        [
            {
                "spdxElementId": "SPDXRef-app",
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": "SPDXRef-x",
            },
            {
                "spdxElementId": "SPDXRef-y",
                "relationshipType": "DEPENDENCY_OF",
                "relatedSpdxElement": "SPDXRef-app",
            },
            {
                "spdxElementId": "SPDXRef-z",
                "relationshipType": "DEV_DEPENDENCY_OF",
                "relatedSpdxElement": "SPDXRef-app",
            },
            # v is reached only through the dev dependency z: development-only too.
            {
                "spdxElementId": "SPDXRef-v",
                "relationshipType": "DEPENDENCY_OF",
                "relatedSpdxElement": "SPDXRef-z",
            },
            {
                "spdxElementId": "SPDXRef-w",
                "relationshipType": "DEPENDENCY_OF",
                "relatedSpdxElement": "SPDXRef-app",
            },
        ],
    )
    path = tmp_path / "sbom.spdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    deps = {d.name: d for d in SpdxSbom(path, "sbom").collect()}
    assert set(deps) == {"x", "y", "z", "v", "w"}
    assert deps["x"].license.expression_label == "licenseDeclared"  # type: ignore[union-attr]
    assert deps["x"].path == ("app", "x")
    assert "NOASSERTION" in (deps["y"].unresolved or "")
    assert deps["z"].dev and deps["v"].dev and not deps["x"].dev
    assert deps["v"].path == ("app", "z", "v")
    # An invalid license string does not sink the document: it is kept as evidence.
    assert deps["w"].license is not None
    assert deps["w"].license.expression == "https://example.invalid/license"


@pytest.mark.parametrize(
    ("name", "content", "option", "message"),
    [
        ("package-lock.json", "{not json", "--lockfile", "invalid JSON"),
        ("package-lock.json", '{"lockfileVersion": 1}', "--lockfile", "not an npm lockfile v2/v3"),
        ("poetry.lock", "[[package]\n", "--lockfile", "invalid TOML"),
        ("Pipfile", "x", "--lockfile", "not a known manifest or lock file"),
        ("bom.json", '{"bomFormat": "CycloneDX", "specVersion": "2.0"}', "--sbom", "'2.0'"),
        ("bom.json", "[]", "--sbom", "not a CycloneDX"),
        (
            "sbom.json",
            '{"spdxVersion": "SPDX-2.3", "packages": [{}]}',
            "--sbom",
            "not a valid SPDX",
        ),
    ],
)
def test_malformed_inputs_exit_2(
    tmp_path: Path, runner: CliRunner, name: str, content: str, option: str, message: str
) -> None:
    (tmp_path / "review.toml").write_text('[project]\nlicense = "MIT"\n', encoding="utf-8")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["licenses", "scan", "--project", str(tmp_path), option, str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output

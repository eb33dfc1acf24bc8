"""Lock files and SBOMs as they really come, and as an attacker or a careless user sends them."""

from __future__ import annotations

import json
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.scanners.licenses.models import Dependency
from review.scanners.licenses.sources.interface import SourceError, find_cycles
from review.scanners.licenses.sources.pyenv import _bundled_libraries, check_interpreter

DATA = Path(__file__).parent / "data"
NPM_DEMO = DATA / "npm-demo"
CLICK = metadata.version("click")


def _scan(
    runner: CliRunner, project: Path, *args: str, code: tuple[int, ...] = (0, 1)
) -> dict[str, Any]:
    result = runner.invoke(
        cli, ["licenses", "scan", "--project", str(project), "--format", "json", *args]
    )
    assert result.exit_code in code, result.output
    return json.loads(result.stdout) if result.exit_code in (0, 1) else {"stderr": result.stderr}


def _fail(runner: CliRunner, project: Path, *args: str) -> str:
    result = runner.invoke(cli, ["licenses", "scan", "--project", str(project), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    return result.stderr


def _summary(doc: dict[str, Any]) -> tuple[Any, ...]:
    findings = sorted(
        (f["rule_id"], f["location"]["package"], f["severity"]) for f in doc["findings"]
    )
    rows = sorted((p["name"], p["version"], p["dev"], p["verdict"]) for p in doc["packages"])
    return doc["counts"], findings, rows


def test_one_project_same_findings_from_lock_spdx_and_cyclonedx(
    runner: CliRunner, tmp_path: Path
) -> None:
    project = tmp_path / "app"
    shutil.copytree(NPM_DEMO, project)
    lock = _scan(runner, project, "--lockfile", str(project / "package-lock.json"))
    spdx = _scan(runner, project, "--sbom", str(project / "bom.spdx.json"))
    cdx = _scan(runner, project, "--sbom", str(project / "bom.cdx.json"))
    # The outbound license is read from package.json and said so.
    assert (lock["outbound"], lock["outbound_origin"]) == ("Apache-2.0", "package.json license")
    assert _summary(lock) == _summary(spdx) == _summary(cdx)
    assert len(lock["packages"]) == 27
    assert sum(p["dev"] for p in lock["packages"]) == 12  # rimraf, prettier and below
    unresolved = [f for f in lock["findings"] if f["rule_id"] == "licenses.unresolved"]
    assert [f["location"]["package"] for f in unresolved] == ["highcharts"]


def _spdx_document(tmp_path: Path) -> Path:
    path = tmp_path / "sbom.spdx.json"
    doc = json.loads((NPM_DEMO / "bom.spdx.json").read_text("utf-8"))
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", ["spdx", "yaml", "xml", "rdf.xml"])
def test_spdx_in_every_2x_form_gives_the_same_rows(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.writer.write_anything import write_file

    source = tmp_path / "demo.spdx.json"
    doc = json.loads((NPM_DEMO / "bom.spdx.json").read_text("utf-8"))
    doc["creationInfo"]["created"] = "2026-11-30T18:36:09Z"
    for pkg in doc["packages"]:  # npm's URL "license" is not SPDX; writers refuse it
        if pkg.get("licenseDeclared", "").startswith("http"):
            pkg["licenseDeclared"] = "NOASSERTION"
    source.write_text(json.dumps(doc), encoding="utf-8")
    written = tmp_path / f"demo.{suffix}"
    write_file(parse_file(str(source)), str(written), validate=False)
    (tmp_path / "package.json").write_text('{"license": "Apache-2.0"}', encoding="utf-8")
    reference = _scan(runner, tmp_path, "--sbom", str(source))
    other = _scan(runner, tmp_path, "--sbom", str(written))
    assert _summary(other) == _summary(reference)
    assert len(other["packages"]) == 27


@pytest.mark.parametrize("version", ["1.2", "1.3", "1.4", "1.5", "1.6"])
@pytest.mark.parametrize("form", ["json", "xml"])
def test_cyclonedx_every_version_and_form(
    runner: CliRunner, tmp_path: Path, version: str, form: str
) -> None:
    import warnings

    from cyclonedx.model.bom import Bom
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat, SchemaVersion

    data = json.loads((NPM_DEMO / "bom.cdx.json").read_text("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bom = Bom.from_json(data)  # type: ignore[attr-defined]
        fmt = OutputFormat.JSON if form == "json" else OutputFormat.XML
        text = make_outputter(bom, fmt, SchemaVersion.from_version(version)).output_as_string()
    path = tmp_path / f"bom.{form}"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "package.json").write_text('{"license": "Apache-2.0"}', encoding="utf-8")
    doc = _scan(runner, tmp_path, "--sbom", str(path))
    reference = _scan(runner, tmp_path, "--sbom", str(NPM_DEMO / "bom.cdx.json"))
    names = {p["name"] for p in doc["packages"]}
    assert names == {p["name"] for p in reference["packages"]}
    if version >= "1.3":  # properties (npm's dev flag) exist from CycloneDX 1.3 on
        assert _summary(doc) == _summary(reference)


def test_spdx_3_is_refused_naming_the_version(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sbom.spdx3.json"
    path.write_text(
        json.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}),
        encoding="utf-8",
    )
    error = _fail(runner, tmp_path, "--license", "MIT", "--sbom", str(path))
    assert "SPDX 3.0" in error and "spdx-tools reads SPDX 2.x" in error


@pytest.mark.parametrize(
    "xml",
    [
        # Entity expansion ("billion laughs").
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>&b;</components></bom>',
        # External entity (XXE).
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><metadata>&x;</metadata></bom>',
    ],
)
def test_hostile_xml_is_refused(runner: CliRunner, tmp_path: Path, xml: str) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(xml, encoding="utf-8")
    error = _fail(runner, tmp_path, "--license", "MIT", "--sbom", str(path))
    assert "unsafe XML refused" in error
    assert "root:" not in error


@pytest.mark.parametrize(
    ("name", "content", "option", "message"),
    [
        (
            "package-lock.json",
            '{"lockfileVersion": 3, "packages": {"node_modules/a": '
            '{"license": "AGPL-3.0-only", "license": "MIT"}}}',
            "--lockfile",
            "duplicate key 'license'",
        ),
        (
            "package-lock.json",
            '{"lockfileVersion": 3, "packages": {"node_modules/a": {"dependencies": "b"}}}',
            "--lockfile",
            "packages.node_modules/a.dependencies",
        ),
        (
            "package-lock.json",
            '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": 1}}}',
            "--lockfile",
            "packages.node_modules/a.version",
        ),
        (
            "bom.json",
            '{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": "x"}',
            "--sbom",
            "not a valid CycloneDX BOM",
        ),
        (
            "bom.json",
            '{"bomFormat": "CycloneDX", "bomFormat": "CycloneDX", "specVersion": "1.5"}',
            "--sbom",
            "duplicate key 'bomFormat'",
        ),
        (
            "uv.lock",
            'version = 1\n[[package]]\nname = "a"\ndependencies = "b"\n',
            "--lockfile",
            "package[0].dependencies",
        ),
        (
            "poetry.lock",
            '[[package]]\nname = "a"\nversion = 1\n',
            "--lockfile",
            "package[0].version",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "demo"\ndependencies = "requests"\n',
            "--lockfile",
            "project.dependencies: expected an array, got a string",
        ),
        ("package-lock.json", "[" * 100_000, "--lockfile", "JSON nested too deeply"),
    ],
)
def test_wrong_types_and_duplicates_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, name: str, content: str, option: str, message: str
) -> None:
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8")
    error = _fail(runner, tmp_path, "--license", "MIT", option, str(path))
    assert message in error


def test_npm_cycle_is_handled_and_reported_once(runner: CliRunner, tmp_path: Path) -> None:
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {"a": "1"}},
            "node_modules/a": {"version": "1", "license": "MIT", "dependencies": {"b": "1"}},
            "node_modules/b": {"version": "1", "license": "MIT", "dependencies": {"a": "1"}},
        },
    }
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps(lock), encoding="utf-8")
    doc = _scan(runner, tmp_path, "--license", "MIT", "--lockfile", str(path))
    assert doc["cycles"] == [{"input": "package-lock.json", "packages": ["a", "b"]}]
    cycles = [f for f in doc["findings"] if f["rule_id"] == "licenses.cycle"]
    assert len(cycles) == 1 and cycles[0]["severity"] == "info"
    assert {p["name"] for p in doc["packages"]} == {"a", "b"}


def test_find_cycles_each_once() -> None:
    edges = {"r": {"a"}, "a": {"b"}, "b": {"a", "c"}, "c": {"c"}, "d": {"e"}}
    assert find_cycles(edges) == [("a", "b"), ("c",)]


def test_lock_without_environment_says_so_and_never_reads_our_own(
    runner: CliRunner, tmp_path: Path
) -> None:
    # click is installed where the tool runs: it must still not be judged from there.
    (tmp_path / "poetry.lock").write_text(
        f'[[package]]\nname = "click"\nversion = "{CLICK}"\ngroups = ["main"]\n'
        '[[package]]\nname = "pytest"\nversion = "0.0.1"\ngroups = ["dev"]\n',
        encoding="utf-8",
    )
    doc = _scan(runner, tmp_path, "--license", "MIT", "--lockfile", str(tmp_path / "poetry.lock"))
    rows = {p["name"]: p for p in doc["packages"]}
    assert set(rows) == {"click", "pytest"}
    assert rows["click"]["spdx"] is None
    assert (
        "not installed: pass --python of the environment built from this lock"
        in (rows["click"]["reason"])
    )
    severities = {f["location"]["package"]: f["severity"] for f in doc["findings"]}
    # The unknown license of a development dependency is a (low) finding, not a silent ok.
    assert severities == {"click": "medium", "pytest": "low"}


def test_lock_with_its_environment_is_one_row_per_package(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "uv.lock").write_text(
        'version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "click" }]\n'
        f'[[package]]\nname = "click"\nversion = "{CLICK}"\n',
        encoding="utf-8",
    )
    doc = _scan(
        runner,
        tmp_path,
        "--license",
        "MIT",
        "--python",
        sys.executable,
        "--lockfile",
        str(tmp_path / "uv.lock"),
    )
    clicks = [p for p in doc["packages"] if p["name"].lower() == "click"]
    assert len(clicks) == 1
    assert clicks[0]["sources"] == ["uv.lock", f"python:{sys.executable}"]
    assert clicks[0]["spdx"] == "BSD-3-Clause"
    # Everything else installed there is still listed, once, from the environment.
    assert any(p["source"].startswith("python:") for p in doc["packages"])


def test_dev_unresolved_severity_is_configurable(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "review.toml").write_text(
        '[project]\nlicense = "MIT"\n[licenses]\ndev_unresolved_severity = "medium"\n',
        encoding="utf-8",
    )
    (tmp_path / "poetry.lock").write_text(
        '[[package]]\nname = "devtool"\nversion = "1"\ngroups = ["dev"]\n', encoding="utf-8"
    )
    doc = _scan(runner, tmp_path, "--lockfile", str(tmp_path / "poetry.lock"))
    assert [f["severity"] for f in doc["findings"]] == ["medium"]


def test_config_never_chooses_the_interpreter(runner: CliRunner, tmp_path: Path) -> None:
    evil = tmp_path / "evil.sh"
    marker = tmp_path / "ran"
    evil.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    evil.chmod(0o755)
    (tmp_path / "review.toml").write_text(
        f'[project]\nlicense = "MIT"\n[licenses]\npython = "{evil}"\n', encoding="utf-8"
    )
    error = _fail(runner, tmp_path)
    assert "review.toml: licenses: python: not allowed in a config file" in error
    assert "REVIEW_LICENSES_PYTHON" in error
    assert not marker.exists()


def test_interpreter_from_the_environment_is_checked_before_it_runs(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evil = tmp_path / "python3"
    marker = tmp_path / "ran"
    evil.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    evil.chmod(0o755)
    monkeypatch.setenv("REVIEW_LICENSES_PYTHON", str(evil))
    error = _fail(runner, tmp_path, "--license", "MIT")
    assert "a script, not a native executable, is never run" in error
    assert not marker.exists()
    monkeypatch.setenv("REVIEW_LICENSES_PYTHON", sys.executable)
    doc = _scan(runner, tmp_path, "--license", "MIT")
    assert any(p["name"].lower() == "click" for p in doc["packages"])


@pytest.mark.parametrize("name", ["bash", "ls"])
def test_other_executables_are_not_interpreters(name: str) -> None:
    program = shutil.which(name)
    assert program is not None
    with pytest.raises(SourceError, match="not a Python interpreter"):
        check_interpreter(Path(program))


@pytest.mark.parametrize(
    ("files", "expected", "origin"),
    [
        (
            {"pyproject.toml": '[project]\nlicense = "MPL-2.0"\n'},
            "MPL-2.0",
            "pyproject.toml [project] license",
        ),
        (
            {"pyproject.toml": '[project]\nlicense = {text = "Apache 2.0"}\n'},
            "Apache-2.0",
            "pyproject.toml [project] license.text",
        ),
        ({"package.json": '{"license": "ISC"}'}, "ISC", "package.json license"),
    ],
)
def test_outbound_license_from_the_projects_own_files(
    runner: CliRunner, tmp_path: Path, files: dict[str, str], expected: str, origin: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "package-lock.json").write_text(
        '{"lockfileVersion": 3, "packages": {}}', encoding="utf-8"
    )
    doc = _scan(runner, tmp_path, "--lockfile", str(tmp_path / "package-lock.json"))
    assert (doc["outbound"], doc["outbound_origin"]) == (expected, origin)


def test_outbound_license_from_a_license_file_and_the_flag(
    runner: CliRunner, tmp_path: Path
) -> None:
    from tests.licenses.test_resolve import MIT

    (tmp_path / "LICENSE").write_text(MIT, encoding="utf-8")
    lock = tmp_path / "package-lock.json"
    lock.write_text('{"lockfileVersion": 3, "packages": {}}', encoding="utf-8")
    doc = _scan(runner, tmp_path, "--lockfile", str(lock))
    assert doc["outbound"] == "MIT" and doc["outbound_origin"].startswith("LICENSE (SPDX text")
    flagged = _scan(runner, tmp_path, "--lockfile", str(lock), "--license", "GPL-2.0-only")
    assert (flagged["outbound"], flagged["outbound_origin"]) == ("GPL-2.0-only", "--license")
    table = runner.invoke(
        cli, ["licenses", "scan", "--project", str(tmp_path), "--lockfile", str(lock)]
    )
    assert "outbound MIT (from LICENSE (SPDX text match" in table.output


def test_no_outbound_license_anywhere(runner: CliRunner, tmp_path: Path) -> None:
    error = _fail(runner, tmp_path)
    assert "no outbound license: pass --license EXPR" in error


def _wheel(tmp_path: Path, license_text: str, libs: list[str]) -> metadata.Distribution:
    info = tmp_path / "site" / "numlike-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: numlike\nVersion: 1.0\n\n")
    (info / "LICENSE.txt").write_text(license_text, encoding="utf-8")
    record = [f"numlike.libs/{lib},sha256=x,1" for lib in libs]
    (info / "RECORD").write_text("\n".join(["numlike/__init__.py,,", *record]) + "\n")
    return metadata.PathDistribution(info)


def test_bundled_native_libraries_are_components_with_their_stated_licenses(
    tmp_path: Path,
) -> None:
    # The layout numpy and scipy wheels use for what auditwheel vendored.
    text = (
        "Copyright (c) 2005 Example developers.\n\n----\n\n"
        "Name: GCC runtime library\nFiles: numlike.libs/libgfortran*.so\n"
        "Description: dynamically linked to files compiled with gcc\n"
        "License: GPL-3.0-or-later WITH GCC-exception-3.1\n\n"
        "Name: libquadmath\nFiles: numlike.libs/libquadmath*.so\n"
        "License: LGPL-2.1-or-later\n"
    )
    libs = [
        "libgfortran-040039e1-0352e75f.so.5.0.0",
        "libquadmath-96973f99-934c22de.so.0.0.0",
        "libmystery-12345678.so.1",
    ]
    dist = _wheel(tmp_path, text, libs)
    parent = Dependency(
        name="numlike", version="1.0", ecosystem="pypi", source="python:x", path=("app", "numlike")
    )
    found = {
        d.name: d
        for d in _bundled_libraries(
            dist, parent, (tmp_path / "site/numlike-1.0.dist-info/LICENSE.txt",)
        )
    }
    assert found["libgfortran"].license is not None
    assert found["libgfortran"].license.expression == "GPL-3.0-or-later WITH GCC-exception-3.1"
    assert found["libgfortran"].version == "5.0.0"
    assert found["libgfortran"].path == ("app", "numlike", "libgfortran")
    assert found["libgfortran"].bundled_in == "numlike"
    assert found["libquadmath"].license is not None
    assert found["libquadmath"].license.expression == "LGPL-2.1-or-later"
    assert "do not state this library's license" in (found["libmystery"].unresolved or "")


def test_real_uv_and_poetry_locks_of_one_project_agree(runner: CliRunner, tmp_path: Path) -> None:
    rows = {}
    for name in ("uv.lock", "poetry.lock"):
        doc = _scan(
            runner, tmp_path, "--license", "MIT", "--lockfile", str(DATA / "py-demo" / name)
        )
        rows[name] = sorted((p["name"].lower(), p["version"], p["dev"]) for p in doc["packages"])
        assert len(doc["packages"]) == 31
        assert sum(p["dev"] for p in doc["packages"]) == 15  # pytest, black, mypy and below
        # No environment was given: every package says how to get its license, none is ok.
        assert all("pass --python" in p["reason"] for p in doc["packages"])
    assert rows["uv.lock"] == rows["poetry.lock"]

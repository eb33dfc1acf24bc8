"""The shape of the code: layers, registries, the message catalogue, stable fingerprints."""

from __future__ import annotations

import ast
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from review.config import ReviewConfig
from review.core.i18n import LABELS
from review.core.models import Finding, GateReason, Location, Severity, Text
from review.core.stage import Stage
from review.pipeline import STAGES
from review.record import AnyStageResult, Review
from review.scanners.pii.categories import ENTITY_CATEGORY, HEADER_KEYWORDS
from review.scanners.pii.recognizers import ENTITY_TYPES
from tests.conftest import REPO

LINKED = ("checklists", "scanners", "reports")  # top-level folders, linked under review/
SOURCES = sorted(
    path.resolve()
    for root in ("review", *LINKED)
    for path in (REPO / root).rglob("*.py")
    if not any(path.is_relative_to(REPO / "review" / name) for name in LINKED)
)


def test_stage_registry_matches_config_sections_and_result_types() -> None:
    sections = set(ReviewConfig.model_fields)
    results = typing.get_args(typing.get_args(AnyStageResult)[0])
    names = {result.model_fields["stage"].default for result in results}
    assert set(STAGES) <= sections
    assert set(STAGES) == names
    for name, stage in STAGES.items():
        assert isinstance(stage, Stage)
        assert stage.name == name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_function_level_import_of_our_own_code(path: Path) -> None:
    # A function-level import hides a cycle from a reader and runs at an unexpected time.
    # One is allowed: the detector loads the engine (Presidio, spaCy: about 3 s) on first
    # use, so commands whose texts never need it do not pay for it.
    allowed = LAZY_IMPORTS.get(path.relative_to(REPO).as_posix())
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if not isinstance(inner, ast.ImportFrom):
                    continue
                module = inner.module or ""
                if module.startswith("review") and module != allowed:
                    pytest.fail(f"{path.name}:{inner.lineno} imports {module} in a function")


LAZY_IMPORTS = {"scanners/pii/detect.py": "review.scanners.pii.engine"}


def test_the_cli_and_the_desensitisation_check_do_not_import_presidio() -> None:
    # `review --version` and the desensitisation commands' module load without the engine.
    code = (
        "import sys, review.cli.main, review.cli.desensitise, review.scanners.pii.detect; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('presidio_analyzer', 'spacy')"
        " or m == 'review.scanners.pii.engine'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_module_imports_a_top_level_folder_by_its_folder_name() -> None:
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in {"checklists", "scanners", "reports"}


def test_every_catalogue_text_has_both_languages() -> None:
    for key, text in LABELS.items():
        assert text.en.strip() and text.zh.strip(), key


def test_every_entity_and_category_has_a_label() -> None:
    for entity in ENTITY_TYPES:
        assert f"entity.{entity}" in LABELS, entity
    for category in {*ENTITY_CATEGORY.values(), *HEADER_KEYWORDS, "minor"}:
        assert f"category.{category}" in LABELS, category


def test_review_schema_has_typed_details_per_stage() -> None:
    schema = Review.model_json_schema(by_alias=True, mode="serialization")
    for name in ("PiiDetails", "DesensitisationDetails", "LicensesDetails", "ChecklistDetails"):
        assert name in schema["$defs"]
    stages = schema["properties"]["stages"]["items"]
    assert set(stages["discriminator"]["mapping"]) == set(STAGES)


def test_fingerprint_values_are_pinned() -> None:
    # Baselines store these: a change here silently turns every accepted finding new.
    # Changed deliberately in identity "finding/2" (issue 17): a finding is what it is
    # about (rule, severity, file, column, package, checklist item, keyed value hash),
    # never where it was first seen (row, line, offsets), a package version or the
    # masked evidence, so inserting a row or bumping a version keeps it known.
    column = Finding(
        rule_id="pii.cn_mobile_phone",
        stage="pii",
        severity=Severity.MEDIUM,
        title=Text(en="t", zh="t"),
        message=Text(en="m", zh="m"),
        location=Location(path="data/users.csv", row=3, column="手机号", start=0, end=11),
        evidence="138****5678",
    )
    cell = column.model_copy(update={"value_key": "00112233445566ff"})
    package = Finding(
        rule_id="licenses.conflict",
        stage="licenses",
        severity=Severity.HIGH,
        title=Text(en="t", zh="t"),
        message=Text(en="m", zh="m"),
        location=Location(path="frontend/package-lock.json", package="@acme/x", version="1.0.0"),
    )
    item = GateReason(
        rule="gate.checklist.criterion",
        message=Text(en="pipl.pia: measured x = 75%", zh="x"),
        location=Location(item="pipl.pia"),
        key="x",
    )
    reason = GateReason(rule="gate.fail_on", message=Text(en="3 finding(s)", zh="x"))
    assert column.fingerprint == "082b9b7c90b289b8"
    assert cell.fingerprint == "ec6f56a87d47154c"
    assert package.fingerprint == "8f59e19a9fbdedb5"
    assert item.fingerprint == "da4114092fdb6f93"
    assert reason.fingerprint == "30d346c35e926ab4"
    moved = Location(path="data/users.csv", row=40, line=57, column="手机号", start=3, end=14)
    assert column.model_copy(update={"location": moved, "evidence": "139****0000"}).fingerprint == (
        column.fingerprint
    )
    bumped = Location(path="frontend/package-lock.json", package="@acme/x", version="2.0.0")
    assert package.model_copy(update={"location": bumped}).fingerprint == package.fingerprint
    remeasured = Text(en="pipl.pia: measured x = 76%", zh="y")
    assert item.model_copy(update={"message": remeasured}).fingerprint == item.fingerprint
    assert column.model_copy(update={"severity": Severity.HIGH}).fingerprint != column.fingerprint

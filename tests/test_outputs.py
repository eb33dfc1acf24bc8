"""Output formats: SARIF structure, JUnit parses, Markdown snapshot, registry exhaustive."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import JsonValue

from review.checklists.details import ChecklistDetails, ChecklistResult, ItemResult
from review.checklists.gate import checklist_reasons
from review.checklists.model import Status
from review.cli.main import cli
from review.core.config import GateConfig
from review.core.models import Finding, Location, Metadata, Reference, Severity, Text
from review.gate import GATE_RULES, decide
from review.outputs import FORMATS
from review.outputs.interface import OutputFormat
from review.record import Review
from review.scanners.licenses.details import LicensesDetails, LicensesResult
from review.scanners.pii.details import PiiResult

SNAPSHOTS = Path(__file__).parent / "snapshots"
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _finding(
    stage: str, rule: str, severity: Severity, location: Location, evidence: str
) -> Finding:
    return Finding(
        rule_id=rule,
        stage=stage,
        severity=severity,
        title=Text(en=f"{rule} title", zh=f"{rule} 标题"),
        message=Text(en=f"{rule} message", zh=f"{rule} 说明"),
        location=location,
        evidence=evidence,
        remediation=Text(en="Mask it", zh="请脱敏"),
        references=(Reference(framework="PIPL", article="28"),),
    )


def _item(item_id: str, status: str) -> JsonValue:
    return ItemResult(
        id=item_id,
        checklist="pipl",
        section="s",
        title=Text(en=item_id, zh=item_id),
        question=Text(en=f"{item_id}?", zh=f"{item_id}？"),
        status=Status(status),
        auto=False,
        blocking=False,
        applicable=True,
        triggered_by=(),
        evidence_required=False,
        owner=None,
        due=None,
        evidence=(),
        justification=None,
        remediation=None,
        risk=None,
        references=("PIPL Art. 55",),
        criteria=(),
    ).model_dump(mode="json")


def _checklist_result(items: list[JsonValue]) -> ChecklistResult:
    details = ChecklistDetails.model_validate(
        {"items": items, "checklists": [], "coverage": {}, "context": {}}
    )
    reasons = tuple(checklist_reasons(details, GateConfig().risk_appetite))
    return ChecklistResult(details=details, gate_reasons=reasons)


@pytest.fixture
def sample_review() -> Review:
    return make_sample_review()


def make_sample_review() -> Review:
    """A fixed review with findings in three stages (also renders the Markdown snapshot)."""
    stages = (
        PiiResult(
            findings=(
                _finding(
                    "pii",
                    "pii.cn_mobile_phone",
                    Severity.HIGH,
                    Location(path="data/users.csv", row=3, column="手机号", start=0, end=11),
                    "138****5678",
                ),
                _finding(
                    "pii",
                    "pii.email_address",
                    Severity.MEDIUM,
                    Location(
                        path="data/chat.jsonl", row=2, column="messages[0].text", start=5, end=20
                    ),
                    "a***@example.com",
                ),
            ),
        ),
        LicensesResult(
            details=LicensesDetails(outbound="Apache-2.0", distribution="saas"),
            findings=(
                _finding(
                    "licenses",
                    "licenses.conflict",
                    Severity.HIGH,
                    Location(path="frontend/package-lock.json", package="@acme/x", version="1.0.0"),
                    "AGPL-3.0-only",
                ),
            ),
        ),
        _checklist_result([_item("pipl.pia", "no"), _item("pipl.notice", "yes")]),
    )
    return Review(
        metadata=Metadata(
            project="demo",
            project_version="1.0",
            tool_version="0.1.0",
            started=EPOCH,
            finished=EPOCH,
            language="bilingual",
        ),
        manifest=(),
        stages=stages,
        gate=decide(stages, GateConfig()),
    )


def test_registry_is_exhaustive() -> None:
    modules = {p.stem for p in (Path(__file__).parent.parent / "review" / "outputs").glob("*.py")}
    implemented = {cls.__module__.rsplit(".", 1)[1] for cls in FORMATS.values()}
    assert (
        modules - {"__init__", "interface", "common", "standalone", "rules", "sourceroot"}
        == implemented
    )
    for name, cls in FORMATS.items():
        assert issubclass(cls, OutputFormat)
        assert cls.name == name
    assert len({cls.filename for cls in FORMATS.values()}) == len(FORMATS)


def test_junit_has_a_case_per_gate_rule_and_checklist_item(sample_review: Review) -> None:
    root = ET.fromstring(FORMATS["junit"]().render(sample_review))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    gate_cases = {c.get("name"): c for c in suites["gate"].findall("testcase")}
    assert set(GATE_RULES) <= set(gate_cases)
    assert gate_cases["gate.fail_on"].find("failure") is not None
    assert gate_cases["gate.blocking_rule"].find("failure") is None
    items = suites["checklist items"].findall("testcase")
    assert [c.get("name", "").split()[0] for c in items] == ["pipl.pia", "pipl.notice"]
    # pipl.pia answered 'no' is not blocking here: no gate reason, so no failure.
    assert all(c.find("failure") is None for c in items)
    assert "status: no" in (items[0].findtext("system-out") or "")
    assert root.get("tests") == str(len(root.findall(".//testcase")))
    assert int(root.get("failures", "0")) == len(root.findall(".//failure"))


def test_markdown_snapshot(sample_review: Review) -> None:
    rendered = FORMATS["markdown"]().render(sample_review)
    snapshot = SNAPSHOTS / "summary.md"
    assert rendered == snapshot.read_text(encoding="utf-8")
    assert rendered.startswith("## ❌ Review gate: FAIL")
    assert len(rendered) < 60_000  # GitHub comments stop at 65,536 characters


def test_run_writes_requested_formats(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        [
            "run",
            str(demo_project),
            "--out",
            str(out),
            "--format",
            "sarif",
            "--format",
            "junit",
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    for name in ("review.json", "review.sarif", "junit.xml", "summary.md"):
        assert (out / name).is_file(), name
    json.loads((out / "review.sarif").read_text(encoding="utf-8"))
    ET.parse(out / "junit.xml")


def test_run_format_json_prints_only_json_on_stdout(demo_project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["run", str(demo_project), "--out", str(tmp_path), "--format", "json"]
    )
    document = json.loads(result.stdout)
    assert document["schema"] == "review/2"
    assert "outputs:" in result.stderr


def test_colour_only_on_tty_and_never_with_no_color(
    sample_review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    from review.cli.summary import colour_wanted, summary_lines

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour_wanted(Tty())  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(Tty())  # type: ignore[arg-type]
    plain = "\n".join(summary_lines(sample_review, "en", colour=False))
    assert "\x1b[" not in plain
    assert "\x1b[" in "\n".join(summary_lines(sample_review, "en", colour=True))
    assert "FAIL" in plain and "licenses" in plain


def test_scan_commands_print_ci_formats(
    runner: CliRunner, demo_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo_project)
    sarif = runner.invoke(cli, ["licenses", "scan", "--format", "sarif"])
    assert sarif.exit_code == 1
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"licenses.conflict"}
    junit = runner.invoke(
        cli, ["desensitise", "check", "data/customers_masked.csv", "--format", "junit"]
    )
    assert junit.exit_code == 1
    root = ET.fromstring(junit.stdout)
    assert root.find("testsuite[@name='stage desensitisation']") is not None
    markdown = runner.invoke(cli, ["licenses", "scan", "--format", "markdown"])
    assert markdown.stdout.startswith("## ❌ Review gate: FAIL")

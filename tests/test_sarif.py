"""SARIF for GitHub code scanning: root-relative locations, lines, rules, baselines."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.core.config import GateConfig
from review.core.models import Acceptance, Severity
from review.gate import GATE_RULES, decide
from review.outputs import FORMATS
from review.outputs.rules import rule_info
from review.outputs.sourceroot import SourceRoot
from review.record import Review
from review.scanners.pii.categories import HEADER_KEYWORDS
from review.scanners.pii.recognizers import ENTITY_TYPES
from tests.conftest import DEMO, REPO
from tests.sarifcheck import github_problems, multitool_problems, schema_errors
from tests.test_outputs import make_sample_review


def _git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)


@pytest.fixture
def repo_with_demo(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository holding the demo in a subfolder, as a monorepo would."""
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    repo = tmp_path / "monorepo"
    project = repo / "services" / "客服"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("review-out", "__pycache__"))
    _git_init(repo)
    return repo, project


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [result for run in doc["runs"] for result in run["results"]]


def _uris(doc: dict[str, Any]) -> set[str]:
    return {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in _results(doc)
        for loc in [*result["locations"], *result.get("relatedLocations", [])]
    }


def test_sample_review_passes_github_rules_and_schema(sample_sarif: dict[str, Any]) -> None:
    assert github_problems(sample_sarif) == []
    assert schema_errors(sample_sarif) == []


@pytest.fixture
def sample_sarif() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(FORMATS["sarif"]().render(make_sample_review()))
    return doc


def test_one_run_per_stage_with_fixed_rules(sample_sarif: dict[str, Any]) -> None:
    runs = sample_sarif["runs"]
    assert [r["automationDetails"]["id"] for r in runs] == [
        "review/pii/",
        "review/licenses/",
        "review/checklist/",
    ]
    pii = runs[0]
    rules = {r["id"]: r for r in pii["tool"]["driver"]["rules"]}
    mobile = rules["pii.cn_mobile_phone"]
    # The rule says what it checks, never a run's figures; the result says those.
    assert "mobile" in mobile["shortDescription"]["text"].lower()
    assert "title" not in mobile["fullDescription"]["text"]
    assert mobile["properties"]["security-severity"] == "5.5"
    assert mobile["defaultConfiguration"]["level"] == "warning"
    result = next(r for r in pii["results"] if r["ruleId"] == "pii.cn_mobile_phone")
    assert "pii.cn_mobile_phone message" in result["message"]["text"]
    assert result["partialFingerprints"]["reviewFingerprint/v2"]
    # The sample's checklist has no gate reason (pipl.pia is not blocking): an empty run,
    # which tells code scanning to close the category's earlier alerts.
    assert runs[2]["results"] == []


def test_rules_do_not_change_with_the_data() -> None:
    review = make_sample_review()
    first = json.loads(FORMATS["sarif"]().render(review))
    pii = review.stages[0]
    changed = [
        f.model_copy(update={"message": f.message.model_copy(update={"en": "99 of 100 values"})})
        for f in pii.findings
    ]
    stages = (pii.model_copy(update={"findings": tuple(changed)}), *review.stages[1:])
    again = json.loads(FORMATS["sarif"]().render(review.model_copy(update={"stages": stages})))
    assert [r["tool"] for r in first["runs"]] == [r["tool"] for r in again["runs"]]
    assert first["runs"][0]["results"] != again["runs"][0]["results"]


def test_accepted_findings_are_suppressed_with_their_justification() -> None:
    review = make_sample_review()
    pii = review.stages[0]
    acceptance = Acceptance(source="baseline", justification="synthetic test data", owner="王芳")
    accepted = pii.findings[0].model_copy(update={"acceptance": acceptance})
    stages = (pii.model_copy(update={"findings": (accepted, *pii.findings[1:])}),)
    reviewed = review.model_copy(update={"stages": stages, "gate": decide(stages, GateConfig())})
    doc = json.loads(FORMATS["sarif"]().render(reviewed))
    by_rule = {r["ruleId"]: r for r in _results(doc)}
    suppressed = by_rule[accepted.rule_id]
    assert suppressed["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "synthetic test data"}
    ]
    assert "suppressions" not in by_rule["pii.email_address"]
    assert github_problems(doc) == []


def test_sub_folder_project_resolves_from_the_repository_root(
    repo_with_demo: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    repo, project = repo_with_demo
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(project), "--out", str(out), "--format", "sarif"])
    assert result.exit_code == 1, result.output
    sarif = out / "review.sarif"
    doc = json.loads(sarif.read_text(encoding="utf-8"))
    results = _results(doc)
    assert len(results) >= 30
    assert github_problems(doc) == []
    for uri in _uris(doc):
        assert uri.startswith("services/%E5%AE%A2%E6%9C%8D/"), uri
        relative = uri.replace("%E5%AE%A2%E6%9C%8D", "客服")
        assert (repo / relative).is_file(), uri
    lines = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[-1],
        ): r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in results
    }
    # Project-level findings sit at the config line naming their dataset; packages at the
    # lock file line declaring them; checklist items at their answers line.
    toml = (project / "review.toml").read_text(encoding="utf-8").splitlines()
    assert "customers_masked.csv" in toml[lines[("desensitisation.linkage", "review.toml")] - 1]
    lock = (project / "frontend" / "package-lock.json").read_text(encoding="utf-8").splitlines()
    assert "@acme-ai/voice-engine" in lock[lines[("licenses.conflict", "package-lock.json")] - 1]
    answers = (project / "answers.yaml").read_text(encoding="utf-8").splitlines()
    blocking = [r for r in results if r["ruleId"] == "gate.checklist.blocking"]
    assert blocking
    for reason in blocking:
        line = reason["locations"][0]["physicalLocation"]["region"]["startLine"]
        item = reason["locations"][0]["logicalLocations"][0]["name"]
        assert answers[line - 1].strip().startswith(f"{item}:"), (item, line)
    assert schema_errors(doc) == []
    assert multitool_problems(sarif, tmp_path) == []


def test_source_root_option_and_environment(
    repo_with_demo: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    _, project = repo_with_demo
    out = tmp_path / "out"
    args = ["run", str(project), "--out", str(out), "--format", "sarif"]
    runner.invoke(cli, [*args, "--source-root", str(project.parent)])
    uris = _uris(json.loads((out / "review.sarif").read_text(encoding="utf-8")))
    assert all(u.startswith("%E5%AE%A2%E6%9C%8D/") for u in uris), uris
    monkeypatch.setenv("REVIEW_SOURCE_ROOT", str(project))
    runner.invoke(cli, args)
    uris = _uris(json.loads((out / "review.sarif").read_text(encoding="utf-8")))
    assert "data/customers_raw.csv" in uris
    missing = runner.invoke(cli, [*args, "--source-root", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "--source-root: no such directory" in missing.output


def test_scan_command_paths_start_at_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    repo = tmp_path / "repo"
    data = repo / "fixtures" / "samples"
    data.mkdir(parents=True)
    _git_init(repo)
    # The mobile number's record starts on line 5: the quoted note before it spans lines.
    (data / "notes.csv").write_text(
        'id,note,mobile\n1,"first line\nsecond line\nthird line",\n2,,13812345678\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(data)
    result = CliRunner().invoke(cli, ["pii", "scan", "notes.csv", "--format", "sarif"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    (finding,) = (r for r in _results(doc) if r["ruleId"] == "pii.cn_mobile_phone")
    physical = finding["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "fixtures/samples/notes.csv"
    assert physical["region"]["startLine"] == 5
    assert github_problems(doc) == []


def test_checklist_only_failure_has_results(tmp_path: Path, runner: CliRunner) -> None:
    # No data, no dependencies: the gate fails on checklist items alone (zero config).
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(tmp_path), "--out", str(out), "--format", "sarif"])
    assert result.exit_code == 1
    doc = json.loads((out / "review.sarif").read_text(encoding="utf-8"))
    review = Review.model_validate_json((out / "review.json").read_text(encoding="utf-8"))
    assert len(_results(doc)) == len(review.gate.reasons) > 0
    assert github_problems(doc) == []
    assert {r["ruleId"] for r in _results(doc)} <= {
        "gate.checklist.blocking",
        "gate.checklist.trigger",
        "gate.checklist.unjustified",
        "gate.checklist.criterion",
        "gate.checklist.evidence",
        "gate.checklist.risk",
    }


def test_code_quality_report_is_located_from_the_root(
    repo_with_demo: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    repo, project = repo_with_demo
    out = tmp_path / "out"
    runner.invoke(cli, ["run", str(project), "--out", str(out), "--format", "codequality"])
    issues = json.loads((out / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issues
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert (repo / issue["location"]["path"]).is_file(), issue["location"]
        assert issue["location"]["lines"]["begin"] >= 1
    assert any(i["check_name"] == "gate.checklist.blocking" for i in issues)


def test_outside_paths_are_written_relative_to_the_root(tmp_path: Path) -> None:
    root = SourceRoot(base=tmp_path / "repo" / "app", root=tmp_path / "repo")
    assert root.relative("data/x.csv") == "app/data/x.csv"
    assert root.relative(str(tmp_path / "repo" / "shared" / "y.csv")) == "shared/y.csv"
    assert root.uri("数据/表 1.csv") == "app/%E6%95%B0%E6%8D%AE/%E8%A1%A8%201.csv"
    assert not root.inside(str(tmp_path / "elsewhere.csv"))


def test_security_severity_follows_the_rule_not_the_run() -> None:
    review = make_sample_review()
    pii = review.stages[0]
    lowered = tuple(f.model_copy(update={"severity": Severity.LOW}) for f in pii.findings)
    stages = (pii.model_copy(update={"findings": lowered}),)
    doc = json.loads(FORMATS["sarif"]().render(review.model_copy(update={"stages": stages})))
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["pii.cn_mobile_phone"]["properties"]["security-severity"] == "5.5"
    assert {r["level"] for r in doc["runs"][0]["results"]} == {"note"}


def test_every_rule_the_stages_report_has_a_fixed_description() -> None:
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("scanners", "checklists")
        for path in (REPO / folder).rglob("*.py")
    )
    rules = set(re.findall(r'rule_id="([a-z_.-]+)"', sources))
    checks = (REPO / "scanners" / "desensitisation" / "checks.py").read_text(encoding="utf-8")
    rules |= {f"desensitisation.{r}" for r in re.findall(r'rule="([a-z_]+)"', checks)}
    rules |= {"desensitisation.verdict", "desensitisation.pseudonym_inconsistent_across_files"}
    rules |= {f"pii.{entity.lower()}" for entity in ENTITY_TYPES}
    rules |= {f"pii.sensitive.{category}" for category in (*HEADER_KEYWORDS, "minor")}
    rules |= set(GATE_RULES)
    unknown = sorted(rule for rule in rules if not rule_info(rule).known)
    assert unknown == []

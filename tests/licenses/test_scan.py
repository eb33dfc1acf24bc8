"""The scan command and the licenses stage on the demo and on this project's own venv."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.config import load_config
from review.pipeline import STAGES, run_review
from review.scanners.licenses.details import LicensesResult
from review.scanners.licenses.rules import explain

REPO = Path(__file__).resolve().parents[2]


def _scan(runner: CliRunner, project: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(
        cli, ["licenses", "scan", "--project", str(project), "--format", "json", *extra]
    )
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _packages(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in doc["packages"]}


def test_demo_conflict_path_dev_and_choice(runner: CliRunner, demo_project: Path) -> None:
    code, doc = _scan(runner, demo_project)
    assert code == 1
    assert (doc["outbound"], doc["distribution"]) == ("Apache-2.0", "saas")
    pkgs = _packages(doc)
    voice = pkgs["@acme-ai/voice-engine"]
    assert voice["verdict"] == "conflict"
    assert voice["rule"] == "network-copyleft-in-saas"
    assert voice["category"] == "network-copyleft"
    assert voice["path"] == ["cs-assistant-web", "@demo-ui/chat-widget", "@acme-ai/voice-engine"]
    assert voice["evidence"] == "license field"
    assert pkgs["gpl-lint-rules"]["dev"] and pkgs["gpl-lint-rules"]["verdict"] == "ok"
    assert pkgs["gpl-lint-rules"]["rule"] == "dev-only"
    assert pkgs["jszip"]["choices"] == ["chose MIT from MIT OR GPL-3.0-or-later"]
    assert pkgs["jszip"]["category"] == "permissive"
    assert doc["counts"] == {"ok": 15, "review": 0, "conflict": 1}
    conflict = [f for f in doc["findings"] if f["rule_id"] == "licenses.conflict"]
    assert len(conflict) == 1
    assert "@demo-ui/chat-widget" in conflict[0]["remediation"]["en"]
    assert "修复路径" in conflict[0]["remediation"]["zh"]
    # Both languages of the explanation come from one registry entry.
    why = explain("network-copyleft-in-saas", voice["spdx"], "Apache-2.0", "saas")
    assert conflict[0]["message"]["en"].startswith(why.en)
    assert conflict[0]["message"]["zh"].startswith(why.zh)


def test_demo_table(runner: CliRunner, demo_project: Path) -> None:
    result = runner.invoke(cli, ["licenses", "scan", "--project", str(demo_project)])
    assert result.exit_code == 1
    assert "conflict: @acme-ai/voice-engine: cs-assistant-web → @demo-ui/chat-widget" in (
        result.output
    )
    assert "choice: jszip: chose MIT" in result.output


def _config(project: Path, extra: str) -> None:
    path = project / "review.toml"
    path.write_text(path.read_text("utf-8") + extra, encoding="utf-8")


def test_waiver_active_then_expired(runner: CliRunner, demo_project: Path) -> None:
    text = (demo_project / "review.toml").read_text("utf-8")
    waiver = (
        '\n[[licenses.waivers]]\npackage = "@acme-ai/voice-engine"\n'
        'justification = "Commercial license bought, contract 2026-17"\nexpires = "2099-01-01"\n'
    )
    (demo_project / "review.toml").write_text(text + waiver, encoding="utf-8")
    code, doc = _scan(runner, demo_project)
    assert code == 0
    assert _packages(doc)["@acme-ai/voice-engine"]["waiver"]["justification"].startswith(
        "Commercial"
    )
    [waived] = doc["findings"]
    assert waived["rule_id"] == "licenses.conflict"
    assert waived["acceptance"]["source"] == "waiver"
    assert waived["acceptance"]["expires"] == "2099-01-01"
    (demo_project / "review.toml").write_text(
        text + waiver.replace("2099-01-01", "2020-01-01"), encoding="utf-8"
    )
    code, doc = _scan(runner, demo_project)
    assert code == 1
    finding = doc["findings"][0]
    assert finding["rule_id"] == "licenses.conflict"
    assert "expired on 2020-01-01" in finding["message"]["en"]
    assert finding["acceptance"]["expired"] is True


def test_waiver_needs_a_real_date(runner: CliRunner, demo_project: Path) -> None:
    _config(
        demo_project,
        '\n[[licenses.waivers]]\npackage = "x"\njustification = "y"\nexpires = "soon"\n',
    )
    result = runner.invoke(cli, ["licenses", "scan", "--project", str(demo_project)])
    assert result.exit_code == 2
    assert "licenses.waivers[0].expires" in result.stderr


def test_policy_lists_and_fail_on_review(runner: CliRunner, demo_project: Path) -> None:
    text = (demo_project / "review.toml").read_text("utf-8")
    text = text.replace(
        'lockfiles = ["frontend/package-lock.json"]',
        'lockfiles = ["frontend/package-lock.json"]\ndeny = ["Zlib"]\nreview = ["MPL-2.0"]\n'
        "fail_on_review = true",
    )
    (demo_project / "review.toml").write_text(text, encoding="utf-8")
    code, doc = _scan(runner, demo_project)
    pkgs = _packages(doc)
    assert pkgs["pako"]["rule"] == "policy-deny" and pkgs["pako"]["verdict"] == "conflict"
    # dompurify is "MPL-2.0 OR Apache-2.0": the OR avoids the review list.
    assert pkgs["dompurify"]["verdict"] == "ok"
    assert code == 1


def test_invalid_policy_id(runner: CliRunner, demo_project: Path) -> None:
    text = (demo_project / "review.toml").read_text("utf-8")
    text = text.replace(
        'lockfiles = ["frontend/package-lock.json"]',
        'lockfiles = ["frontend/package-lock.json"]\ndeny = ["Not-A-License x"]',
    )
    (demo_project / "review.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["licenses", "scan", "--project", str(demo_project)])
    assert result.exit_code == 2
    assert "review.toml: licenses.deny[0]: not a valid SPDX license expression" in result.stderr


def test_missing_outbound_license(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["licenses", "scan", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "no outbound license" in result.stderr


def test_stage_in_review_run(demo_project: Path) -> None:
    assert "licenses" in STAGES
    review = run_review(load_config(demo_project), stages=["licenses"])
    stage = review.result(LicensesResult)
    assert stage is not None and len(review.stages) == 1
    assert stage.inputs == ("frontend/package-lock.json",)
    assert [f.rule_id for f in stage.findings] == ["licenses.conflict"]
    details = stage.details
    assert details.outbound == "Apache-2.0"
    assert details.counts.model_dump() == {"ok": 15, "review": 0, "conflict": 1}
    assert review.gate.verdict == "fail"


def test_stage_is_deterministic(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = run_review(load_config(demo_project), stages=["licenses"]).to_json()
    second = run_review(load_config(demo_project), stages=["licenses"]).to_json()
    assert first == second


@pytest.mark.slow
def test_own_environment_passes_the_gate(runner: CliRunner) -> None:
    """Dogfood: this project's own environment, Apache-2.0 distributed, full SPDX coverage."""
    code, doc = _scan(runner, REPO, "--python", sys.executable)
    assert code == 0, [p for p in doc["packages"] if p["verdict"] != "ok"]
    own = [p for p in doc["packages"] if p["bundled_in"] is None]
    assert len(own) >= 100
    assert sum(1 for p in own if p["spdx"]) / len(own) >= 0.98
    unresolved = {p["name"] for p in doc["packages"] if p["spdx"] is None}
    flagged = {f["location"]["package"] for f in doc["findings"]}
    assert unresolved <= flagged
    assert "review-pipeline" not in _packages(doc)


def test_missing_lockfile_is_named(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from review.cli.main import cli

    (tmp_path / "review.toml").write_text("[project]\nlicense = 'MIT'\n", encoding="utf-8")
    missing = tmp_path / "web" / "package-lock.json"
    result = CliRunner().invoke(
        cli, ["licenses", "scan", "--project", str(tmp_path), "--lockfile", str(missing)]
    )
    assert result.exit_code == 2
    assert result.output.strip() == f"review: error: {missing}: no such file"

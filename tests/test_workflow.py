"""Config precedence, `review config show`, and baselines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.baseline import (
    BaselineEntry,
    apply_baseline,
    create_baseline,
    load_baseline,
    save_baseline,
)
from review.cli.main import cli
from review.config import load_config
from review.core.config import GateConfig
from review.core.errors import InputError
from review.core.models import Location, Severity, StageResult, Verdict
from review.gate import decide
from review.record import save_review
from tests.test_outputs import _finding, make_sample_review


def _layers(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.review.gate]\nfail_on = 'critical'\nrisk_appetite = 4\n"
        "[tool.review.project]\nname = 'from-pyproject'\n",
        encoding="utf-8",
    )
    (tmp_path / "review.toml").write_text("[gate]\nfail_on = 'medium'\n", encoding="utf-8")
    return tmp_path


def test_precedence_cli_over_env_over_review_toml_over_pyproject(tmp_path: Path) -> None:
    project = _layers(tmp_path)
    loaded = load_config(project, environ={})
    assert loaded.config.gate.fail_on == Severity.MEDIUM  # review.toml beats pyproject
    assert loaded.config.gate.risk_appetite == 4  # tables merge key by key
    assert loaded.config.project.name == "from-pyproject"
    env = {"REVIEW_GATE__FAIL_ON": "low", "REVIEW_GATE__BLOCKING_RULES": '["pii.x.y"]'}
    loaded = load_config(project, environ=env)
    assert loaded.config.gate.fail_on == Severity.LOW
    assert loaded.config.gate.blocking_rules == ["pii.x.y"]
    loaded = load_config(project, overrides={"gate.fail_on": "high"}, environ=env)
    assert loaded.config.gate.fail_on == Severity.HIGH
    assert loaded.origin_of(("gate", "fail_on")) == "command line"
    assert (
        loaded.origin_of(("gate", "blocking_rules"))
        == "environment variable REVIEW_GATE__BLOCKING_RULES"
    )
    assert loaded.origin_of(("gate", "risk_appetite")).endswith("pyproject.toml")
    assert loaded.origin_of(("pii", "paths")) == "default"


def test_unrelated_review_variables_are_ignored(tmp_path: Path) -> None:
    loaded = load_config(
        tmp_path, environ={"REVIEW_NO_PROGRESS": "1", "REVIEW_SIGNING_PASSWORD": "x"}
    )
    assert loaded.config.gate.fail_on == Severity.HIGH


def test_bad_env_value_names_the_variable(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEW_GATE__FAIL_ON", "severe")
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert "environment variable REVIEW_GATE__FAIL_ON: gate.fail_on:" in result.output
    monkeypatch.setenv("REVIEW_GATE__FAIL_ON", "low")
    monkeypatch.setenv("REVIEW_GATE__NOPE", "1")
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert "REVIEW_GATE__NOPE: gate.nope: unknown key" in result.output


def test_config_show_reports_origins(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _layers(tmp_path)
    monkeypatch.setenv("REVIEW_REPORT__LANG", "zh")
    result = runner.invoke(cli, ["config", "show", str(project), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["key"]: row for row in json.loads(result.output)}
    assert rows["gate.fail_on"]["value"] == "medium"
    assert rows["gate.fail_on"]["origin"].endswith("review.toml")
    assert rows["report.lang"] == {
        "key": "report.lang",
        "value": "zh",
        "origin": "environment variable REVIEW_REPORT__LANG",
    }
    assert rows["gate.risk_appetite"]["origin"].endswith("pyproject.toml")
    text = runner.invoke(cli, ["config", "show", str(project)]).output
    assert "gate.fail_on" in text and "# " in text


def test_cli_flag_beats_everything_in_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _layers(tmp_path)
    monkeypatch.setenv("REVIEW_GATE__FAIL_ON", "low")
    runner.invoke(cli, ["run", str(project), "--out", str(tmp_path / "o"), "--fail-on", "critical"])
    review = json.loads((tmp_path / "o" / "review.json").read_text(encoding="utf-8"))
    assert review["gate"]["fail_on"] == "critical"


def test_baseline_accepts_known_findings_and_fails_on_new(tmp_path: Path) -> None:
    review = make_sample_review()
    assert review.gate.verdict == Verdict.FAIL
    baseline = create_baseline(review)
    assert len(baseline.entries) == 3
    stages, status = apply_baseline(baseline, review.stages, "b.json")
    accepted = decide(stages, GateConfig(), status)
    assert accepted.verdict == Verdict.PASS
    assert status.accepted == 3
    assert sum(accepted.accepted.values()) == len(review.findings())
    assert all(
        f.acceptance and f.acceptance.source == "baseline" for s in stages for f in s.findings
    )
    new = _finding(
        "pii",
        "pii.cn_resident_id",
        Severity.HIGH,
        Location(path="data/users.csv", row=9, column="id"),
        "110101********123X",
    )
    grown = list(review.stages)
    grown[0] = grown[0].model_copy(update={"findings": (*grown[0].findings, new)})
    stages, status = apply_baseline(baseline, grown, "b.json")
    decision = decide(stages, GateConfig(), status)
    assert decision.verdict == Verdict.FAIL
    assert decision.reasons[0].fingerprints == (new.fingerprint,)
    assert "pii.cn_resident_id" in decision.reasons[0].message.en
    assert "pii.cn_mobile_phone" not in decision.reasons[0].message.en


def test_baseline_reports_stale_and_expired_entries(tmp_path: Path) -> None:
    review = make_sample_review()
    baseline = create_baseline(review)
    first, *rest = baseline.entries
    expired = first.model_copy(
        update={"expires": dt.date(2000, 1, 1), "justification": "until fixed"}
    )
    ghost = BaselineEntry(fingerprint="0" * 16, rule_id="pii.gone", stage="pii")
    baseline = baseline.model_copy(update={"entries": (expired, *rest, ghost)})
    stages, status = apply_baseline(baseline, review.stages, "b.json")
    assert status.stale == ("0" * 16,)
    assert status.expired == (first.fingerprint,)
    marked = {f.fingerprint: f for s in stages for f in s.findings}
    if first.fingerprint in marked:
        acceptance = marked[first.fingerprint].acceptance
        assert acceptance is not None and acceptance.expired
        assert acceptance.justification == "until fixed"
        assert not marked[first.fingerprint].accepted
    decision = decide(stages, GateConfig(), status)
    assert decision.verdict == (
        Verdict.FAIL if expired.rule_id != "pii.email_address" else Verdict.PASS
    )


def test_baseline_file_round_trip_and_errors(tmp_path: Path) -> None:
    baseline = create_baseline(make_sample_review())
    path = tmp_path / "b.json"
    save_baseline(baseline, path)
    assert load_baseline(path) == baseline
    text = path.read_text(encoding="utf-8")
    assert "138" not in text.replace(baseline.entries[0].fingerprint, "")  # no evidence values
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json: invalid JSON"):
        load_baseline(tmp_path / "bad.json")
    (tmp_path / "wrong.json").write_text('{"schema": "x", "created": "2026-01-01T00:00:00Z"}')
    with pytest.raises(InputError, match=r"wrong\.json: schema"):
        load_baseline(tmp_path / "wrong.json")


def test_baseline_cli_from_review(runner: CliRunner, tmp_path: Path) -> None:
    review_json = tmp_path / "review.json"
    save_review(make_sample_review(), review_json)
    result = runner.invoke(
        cli, ["baseline", "create", str(tmp_path), "--from-review", str(review_json)]
    )
    assert result.exit_code == 0, result.output
    assert "3 finding(s) accepted" in result.output
    assert load_baseline(tmp_path / ".review-baseline.json").entries
    missing = runner.invoke(cli, ["run", str(tmp_path), "--baseline", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    assert "nope.json: no such baseline file" in missing.output


def test_stage_result_copy_keeps_types() -> None:
    stage = StageResult(stage="pii")
    assert stage.model_copy(update={"findings": ()}).findings == ()


def test_baseline_accepts_checklist_reasons_by_fingerprint() -> None:
    from review.core.models import GateReason, Text

    reason = GateReason(rule="gate.checklist.blocking", message=Text(en="item x is 'no'", zh="x"))
    again = GateReason.model_validate(json.loads(reason.model_dump_json()))
    assert again.fingerprint == reason.fingerprint
    changed = GateReason(rule="gate.checklist.blocking", message=Text(en="item y is 'no'", zh="y"))
    assert changed.fingerprint != reason.fingerprint


def test_demo_baseline_passes_then_fails_on_one_new_finding(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = runner.invoke(cli, ["run", str(demo_project), "--out", str(out)])
    assert first.exit_code == 1, first.output
    made = runner.invoke(
        cli, ["baseline", "create", str(demo_project), "--from-review", str(out / "review.json")]
    )
    assert made.exit_code == 0, made.output
    baseline = demo_project / ".review-baseline.json"
    accepted = runner.invoke(
        cli,
        [
            "run",
            str(demo_project),
            "--out",
            str(out),
            "--baseline",
            str(baseline),
            "--format",
            "markdown",
        ],
    )
    assert accepted.exit_code == 0, accepted.output
    # Plant one new problem: another network-copyleft package in the SaaS front end.
    lock = demo_project / "frontend" / "package-lock.json"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["packages"][""]["dependencies"]["@acme-ai/tts"] = "^1.0.0"
    data["packages"]["node_modules/@acme-ai/tts"] = {
        "version": "1.0.0",
        "license": "AGPL-3.0-or-later",
    }
    lock.write_text(json.dumps(data, indent=2), encoding="utf-8")
    again = runner.invoke(
        cli, ["run", str(demo_project), "--out", str(out), "--baseline", str(baseline)]
    )
    assert again.exit_code == 1, again.output
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    (reason,) = review["gate"]["reasons"]
    new = [
        f
        for s in review["stages"]
        for f in s["findings"]
        if f["fingerprint"] in reason["fingerprints"]
    ]
    assert [f["location"]["package"] for f in new] == ["@acme-ai/tts"]

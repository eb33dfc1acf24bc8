"""Baselines that survive harmless edits, merge by hand-written fields, and show what's stale."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from review.baseline import Baseline, BaselineEntry, load_baseline, save_baseline
from review.cli.main import cli
from review.record import load_review


def _create(runner: CliRunner, project: Path, out: Path, *extra: str) -> str:
    result = runner.invoke(cli, ["baseline", "create", str(project), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _run(runner: CliRunner, project: Path, out: Path, baseline: Path, *formats: str) -> int:
    args = ["run", str(project), "--out", str(out), "--baseline", str(baseline)]
    for fmt in formats:
        args += ["--format", fmt]
    return runner.invoke(cli, args).exit_code


def _insert_first_row(csv: Path, row: str) -> None:
    header, rest = csv.read_text(encoding="utf-8").split("\n", 1)
    csv.write_text(f"{header}\n{row}\n{rest}", encoding="utf-8")


def test_inserting_a_row_at_the_top_keeps_gate_and_baseline(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    _create(runner, demo_project, baseline)
    before = load_baseline(baseline)
    assert any(e.stage == "gate" for e in before.entries)  # checklist reasons too
    assert _run(runner, demo_project, tmp_path / "a", baseline) == 0
    # A harmless new customer on top: every row below moves down by one line.
    _insert_first_row(demo_project / "data" / "customers_raw.csv", "C0000,,,,,,,,,,,,")
    assert _run(runner, demo_project, tmp_path / "b", baseline, "sarif", "junit") == 0
    review = load_review(tmp_path / "b" / "review.json")
    status = review.gate.baseline
    assert status is not None
    assert status.stale == () and status.expired == ()
    assert status.accepted == len(before.entries)
    _create(runner, demo_project, tmp_path / "again.json")
    after = load_baseline(tmp_path / "again.json")
    assert [e.fingerprint for e in after.entries] == [e.fingerprint for e in before.entries]
    # The lines did move: the first raw row is now on line 3.
    moved = [
        f.location.line
        for f in review.findings()
        if f.location and f.location.path == "data/customers_raw.csv" and f.location.row == 2
    ]
    assert moved and set(moved) == {3}
    junit = ET.parse(tmp_path / "b" / "junit.xml").getroot()
    assert junit.get("failures") == "0"
    assert int(junit.find("testsuite[@name='stage pii']").get("skipped", "0")) > 0  # type: ignore[union-attr]


def test_baseline_create_merges_and_keeps_expired_entries_expired(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    path = tmp_path / "baseline.json"
    _create(runner, demo_project, path)
    made = load_baseline(path)
    # Expire the license conflict's entry (it fails the gate); annotate another one.
    second = next(e for e in made.entries if e.rule_id == "licenses.conflict")
    first, *rest = (e for e in made.entries if e is not second)
    kept = first.model_copy(
        update={"justification": "vendor copy is synthetic", "owner": "王芳", "expires": None}
    )
    expired = second.model_copy(
        update={"justification": "until the fix", "expires": dt.date(2000, 1, 1)}
    )
    ghost = BaselineEntry(fingerprint="0" * 16, rule_id="pii.gone", stage="pii", where="x.csv")
    save_baseline(Baseline(created=made.created, entries=(kept, expired, *rest, ghost)), path)
    output = _create(runner, demo_project, path)
    assert "1 no longer found and dropped" in output
    assert "stays expired" in output
    merged = {e.fingerprint: e for e in load_baseline(path).entries}
    assert merged[kept.fingerprint].justification == "vendor copy is synthetic"
    assert merged[kept.fingerprint].owner == "王芳"
    assert merged[expired.fingerprint].expires == dt.date(2000, 1, 1)
    assert "0" * 16 not in merged
    # The expired entry still counts: the gate fails on it, and says so everywhere.
    assert _run(runner, demo_project, tmp_path / "o", path, "sarif", "junit", "markdown") == 1
    summary = (tmp_path / "o" / "summary.md").read_text(encoding="utf-8")
    assert "### Baseline / 基线" in summary and "expired 2000-01-01" in summary
    junit = ET.parse(tmp_path / "o" / "junit.xml").getroot()
    cases = junit.findall("testsuite[@name='baseline']/testcase")
    assert [c.get("name", "").split()[1] for c in cases] == ["expired"]
    assert cases[0].find("failure") is not None
    sarif = json.loads((tmp_path / "o" / "review.sarif").read_text(encoding="utf-8"))
    notes = [
        n for run in sarif["runs"] for n in run["invocations"][0]["toolExecutionNotifications"]
    ]
    assert [n["descriptor"]["id"] for n in notes] == ["baseline.expired"]


def test_stale_entries_show_in_every_ci_output(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    path = tmp_path / "baseline.json"
    _create(runner, demo_project, path)
    made = load_baseline(path)
    ghost = BaselineEntry(
        fingerprint="f" * 16, rule_id="pii.email_address", stage="pii", where="old.csv"
    )
    save_baseline(made.model_copy(update={"entries": (*made.entries, ghost)}), path)
    assert _run(runner, demo_project, tmp_path / "o", path, "sarif", "junit", "markdown") == 0
    summary = (tmp_path / "o" / "summary.md").read_text(encoding="utf-8")
    assert f"`{'f' * 16}` | stale" in summary
    junit = ET.parse(tmp_path / "o" / "junit.xml").getroot()
    (case,) = junit.findall("testsuite[@name='baseline']/testcase")
    assert case.find("skipped") is not None
    sarif = json.loads((tmp_path / "o" / "review.sarif").read_text(encoding="utf-8"))
    pii_run = next(r for r in sarif["runs"] if r["automationDetails"]["id"] == "review/pii/")
    (note,) = pii_run["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "baseline.stale"
    assert all(r["baselineState"] == "unchanged" for run in sarif["runs"] for r in run["results"])


def test_from_review_of_a_baselined_run_keeps_checklist_entries(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    path = tmp_path / "baseline.json"
    _create(runner, demo_project, path)
    made = load_baseline(path)
    assert _run(runner, demo_project, tmp_path / "o", path) == 0
    again = tmp_path / "from-review.json"
    _create(runner, demo_project, again, "--from-review", str(tmp_path / "o" / "review.json"))
    entries = load_baseline(again).entries
    assert [e.fingerprint for e in entries] == [e.fingerprint for e in made.entries]
    assert (
        sum(1 for e in entries if e.stage == "gate")
        == sum(1 for e in made.entries if e.stage == "gate")
        > 0
    )


def test_junit_has_every_gate_reason_with_short_names(
    runner: CliRunner, demo_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    runner.invoke(cli, ["run", str(demo_project), "--out", str(out), "--format", "junit"])
    review = load_review(out / "review.json")
    junit = ET.parse(out / "junit.xml").getroot()
    gate = junit.find("testsuite[@name='gate']")
    assert gate is not None
    failed = [c for c in gate.findall("testcase") if c.find("failure") is not None]
    assert len(failed) == len(review.gate.reasons) > 3
    names = [c.get("name", "") for c in junit.iter("testcase")]
    assert "gate.checklist.blocking ai-ethics.launch-review" in names
    assert "ai-ethics.launch-review" in names  # the checklist item: its id, not its question
    assert max(len(n) for n in names) < 120

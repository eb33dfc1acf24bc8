"""``[[pii.ignore]]``: accepted with a reason until expiry, shown everywhere, never dropped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.core.models import Finding, Location, Severity, Text
from review.record import Review
from review.reports.fonts import CjkFont
from review.reports.render import render_html
from review.scanners.pii.config import IgnoreRule
from review.scanners.pii.ignore import IgnoreRules, rule_entity

FONT = CjkFont("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)
MOBILES = ("13812345678", "13912345679")
RULES = """
[pii]
paths = ["data"]

[[pii.ignore]]
path = "data/*.csv"
column = "phone"
entity = "CN_MOBILE_PHONE"
reason = "Numbers of the vendor's test SIM pool"
owner = "王芳 (DPO)"
expires = "2030-06-30"
"""
JAN_2030 = "1893456000"  # 2030-01-01
JAN_2031 = "1924992000"  # 2031-01-01


def _project(root: Path, config: str = RULES) -> Path:
    (root / "data").mkdir(parents=True)
    rows = "\n".join(
        f"{name},{phone}" for name, phone in zip(("张伟", "李娜"), MOBILES, strict=True)
    )
    (root / "data" / "users.csv").write_text(f"name,phone\n{rows}\n", encoding="utf-8")
    (root / "review.toml").write_text(config, encoding="utf-8")
    return root


def _scan(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["pii", "scan", "data", "--fail-on", "medium", *args])
    return result.exit_code, result.stdout


def test_an_ignore_rule_accepts_its_findings_with_the_reason(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2030)
    code, out = _scan(runner, "--entities", "CN_MOBILE_PHONE")
    assert code == 0  # the only finding is accepted
    assert "accepted until 2030-06-30: Numbers of the vendor's test SIM pool" in out
    assert "1 finding(s) accepted by [[pii.ignore]] rules" in out
    assert not any(m in out for m in MOBILES)

    code, out = _scan(runner, "--entities", "CN_MOBILE_PHONE", "--format", "json")
    document = json.loads(out)
    accepted = [f["acceptance"] for f in document["findings"]]
    assert len(accepted) == 2 and all(a["source"] == "ignore-rule" for a in accepted)
    assert accepted[0]["justification"] == "Numbers of the vendor's test SIM pool"
    assert document["ignore_rules"][0]["findings"] == 1


def test_an_expired_rule_stops_applying_and_its_findings_come_back(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2031)
    code, out = _scan(runner, "--entities", "CN_MOBILE_PHONE")
    assert code == 1
    assert "[ignore rule expired 2030-06-30: counts again]" in out
    code, out = _scan(runner, "--entities", "CN_MOBILE_PHONE", "--format", "json")
    assert json.loads(out)["ignore_rules"][0]["expired"] is True


def test_other_findings_of_the_file_still_count(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2030)
    code, out = _scan(runner)
    assert code == 1  # the names are not accepted by the phone rule
    assert "PERSON" in out and "accepted" in out


def test_rules_of_a_config_given_elsewhere_are_relative_to_that_config(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path / "project")
    config = tmp_path / "policies" / "review.toml"
    config.parent.mkdir()
    config.write_text(
        RULES.replace('paths = ["data"]', "").replace("data/*.csv", "../project/data/*.csv"),
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    (project / "review.toml").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2030)
    code, _ = _scan(runner, "--entities", "CN_MOBILE_PHONE", "--config", str(config))
    assert code == 0
    code, _ = _scan(runner, "--entities", "CN_MOBILE_PHONE")
    assert code == 1  # without the config, nothing is accepted


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ('column = "phone"\nreason = "   "', "pii.ignore[0].reason"),
        ('column = "phone"', "pii.ignore[0].reason"),
        ('reason = "too broad"', "pii.ignore[0]"),
        ('column = "phone"\nreason = "x"\nentity = "MOBILE"', "pii.ignore[0].entity"),
        ('column = "phone"\nreason = "x"\nexpires = "soon"', "pii.ignore[0].expires"),
    ],
)
def test_a_bad_rule_is_one_clear_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: str, problem: str
) -> None:
    monkeypatch.chdir(_project(tmp_path, f"[[pii.ignore]]\n{rule}\n"))
    result = runner.invoke(cli, ["pii", "scan", "data"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "review.toml" in lines[0] and problem in lines[0], lines
    assert "Traceback" not in result.output


def test_review_json_and_the_report_show_accepted_findings(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path / "project", RULES + "\n[checklist]\nenabled = false\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2030)
    result = runner.invoke(cli, ["run", str(project), "--out", str(tmp_path / "out")])
    assert result.exit_code in (0, 1), result.output
    raw = (tmp_path / "out" / "review.json").read_bytes()
    review = Review.model_validate_json(raw)
    pii = next(s for s in review.stages if s.stage == "pii")
    accepted = [f for f in pii.findings if f.accepted]
    assert [f.rule_id for f in accepted] == ["pii.cn_mobile_phone"]
    assert accepted[0].acceptance is not None and accepted[0].acceptance.owner == "王芳 (DPO)"
    assert review.gate.accepted[Severity.MEDIUM] == 1
    assert review.gate.counts[Severity.MEDIUM] == 1  # the names stay open
    html = render_html(review, raw, lang="zh", font=FONT)
    assert "经 [[pii.ignore]] 规则接受的发现" in html and "Numbers of the vendor" in html
    assert not any(m.encode() in raw for m in MOBILES)


def _finding(path: str, column: str | None, rule_id: str = "pii.cn_mobile_phone") -> Finding:
    return Finding(
        rule_id=rule_id,
        stage="pii",
        severity=Severity.MEDIUM,
        title=Text(en="t", zh="t"),
        message=Text(en="m", zh="m"),
        location=Location(path=path, column=column),
    )


def _rules(*rules: IgnoreRule, today: dt.date = dt.date(2026, 1, 1)) -> IgnoreRules:
    return IgnoreRules(
        rules,
        base=Path("/p"),
        shown_from=Path("/p"),
        today=today,
        known_entities=("CN_MOBILE_PHONE", "PERSON"),
        source="review.toml",
    )


def test_matching_names_and_globs() -> None:
    rules = _rules(
        IgnoreRule(column="items[*].phone", reason="exact name, not a glob"),
        IgnoreRule(path="fixtures.csv", reason="a file name matches in any folder"),
        IgnoreRule(path="logs/*.txt", entity="PERSON", reason="text files have no column"),
    )
    accepted = rules.accept(
        [
            _finding("data/a.json", "items[*].phone"),
            _finding("data/a.json", "items[*].email"),
            _finding("deep/er/fixtures.csv", "phone"),
            _finding("logs/chat.txt", None, "pii.person"),
            _finding("logs/chat.txt", None),
            _finding("deep/er/fixtures.csv", None, "pii.unreadable_file"),
        ]
    )
    assert [f.accepted for f in accepted] == [True, False, True, True, False, False]
    assert [u.findings for u in rules.uses()] == [1, 1, 1]


def test_a_rule_in_force_wins_over_a_lapsed_one() -> None:
    rules = _rules(
        IgnoreRule(column="phone", reason="old", expires=dt.date(2025, 1, 1)),
        IgnoreRule(column="phone", reason="renewed", expires=dt.date(2027, 1, 1)),
    )
    (found,) = rules.accept([_finding("a.csv", "phone")])
    assert found.acceptance is not None and found.acceptance.justification == "renewed"
    assert [u.findings for u in rules.uses()] == [0, 1]


@pytest.mark.parametrize(
    ("rule_id", "entity"),
    [
        ("pii.cn_mobile_phone", "CN_MOBILE_PHONE"),
        ("pii.sensitive.health", None),
        ("pii.unreadable_file", None),
    ],
)
def test_rule_entity(rule_id: str, entity: str | None) -> None:
    assert rule_entity(rule_id) == entity

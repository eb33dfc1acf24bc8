"""Rendering the report: snapshot of a fixed review, languages, absent stages, verdict."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from review.core.models import Decision, SignOff
from review.reports.fonts import CjkFont
from review.reports.render import render_html
from review.reports.view import overall_verdict
from tests.report.sample import build_sample

SNAPSHOT = Path(__file__).parent / "snapshots" / "report_bilingual.html"
# A fixed font keeps the snapshot independent of the fonts a machine happens to have.
VERSIONS = {"Python": "3.x", "Jinja2": "3.x", "WeasyPrint": "70.x", "pyHanko": "0.x"}
FONT = CjkFont("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)


def _html(lang: str = "bilingual", **kwargs: object) -> str:
    review = build_sample(**kwargs).review  # type: ignore[arg-type]
    return render_html(
        review,
        review.to_json().encode(),
        lang=lang,  # type: ignore[arg-type]
        font=FONT,
        versions=VERSIONS,
    )


def test_html_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    html = _html(signoffs=True)
    if os.environ.get("REVIEW_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(html, encoding="utf-8")
    assert html == SNAPSHOT.read_text(encoding="utf-8"), (
        "report HTML changed; if intended, rerun with REVIEW_UPDATE_SNAPSHOTS=1"
    )


def test_snapshot_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    assert _html() == _html()


def test_every_section_is_there() -> None:
    html = _html()
    for anchor in (
        "cover",
        "summary",
        "stage-pii",
        "stage-desensitisation",
        "stage-licenses",
        "stage-checklist",
        "coverage",
        "methodology",
        "manifest",
        "signoff",
    ):
        assert f'id="{anchor}"' in html
    assert html.count("<svg") == 4  # findings, license categories, PII columns, checklists
    for regulation in ("PIPL", "GDPR", "EU AI Act", "Generative AI rules"):
        assert regulation in html


def test_absent_stages_are_skipped() -> None:
    html = _html(stages=("licenses",))
    assert 'id="stage-licenses"' in html
    for absent in ("stage-pii", "stage-desensitisation", "stage-checklist"):
        assert f'id="{absent}"' not in html
    assert html.count("<svg") == 2
    assert "Not assessed" in html


def test_languages() -> None:
    en, zh, both = _html("en"), _html("zh"), _html("bilingual")
    assert "Executive summary" in en and "执行摘要" not in en
    assert "执行摘要" in zh and "Executive summary" not in zh
    assert "执行摘要" in both and "Executive summary" in both
    assert '<html lang="en">' in en and '<html lang="zh-Hans">' in zh


def test_manifest_lists_every_input_and_the_review_json_hash() -> None:
    review = build_sample().review
    raw = review.to_json().encode()
    html = render_html(review, raw, lang="en", font=FONT)
    import hashlib

    for entry in review.manifest:
        assert entry.sha256 in html
    assert hashlib.sha256(raw).hexdigest() in html


def test_verdict_is_pending_until_every_required_reviewer_decided() -> None:
    review = build_sample().review
    assert overall_verdict(review).status == "pending"
    one = SignOff(
        reviewer="王芳", role="DPO", decision=Decision.APPROVE, date=dt.date(2026, 11, 21)
    )
    partly = review.model_copy(update={"signoffs": (one,)})
    assert overall_verdict(partly).status == "pending"
    assert overall_verdict(partly).pending == ("Alex Morgan",)
    two = SignOff(
        reviewer="Alex Morgan", role="Risk", decision=Decision.APPROVE, date=dt.date(2026, 11, 21)
    )
    done = review.model_copy(update={"signoffs": (one, two)})
    # every required reviewer decided (the optional one need not): the gate decides now
    assert overall_verdict(done).status == "fail"
    passing = done.model_copy(
        update={"gate": done.gate.model_copy(update={"verdict": "pass", "reasons": ()})}
    )
    assert overall_verdict(passing).status == "pass"
    rejected = passing.model_copy(
        update={"signoffs": (one, two.model_copy(update={"decision": Decision.REJECT}))}
    )
    assert overall_verdict(rejected).status == "fail"

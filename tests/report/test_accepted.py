"""Accepted findings are visible as accepted: in the PDF, the Markdown summary, review.json."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from review.baseline import apply_baseline, create_baseline
from review.core.config import GateConfig
from review.core.models import Severity
from review.gate import decide
from review.outputs import FORMATS
from review.record import Review
from review.reports.render import render_report
from tests.report.conftest import pdf_text
from tests.report.sample import build_sample


def _baselined(expires: dt.date) -> Review:
    """The sample with its high findings accepted in a baseline, with an owner and expiry."""
    review = build_sample().review
    made = create_baseline(review)
    entries = tuple(
        e.model_copy(
            update={
                "justification": "known since 1.3, fix planned for 1.5",
                "owner": "王芳",
                "expires": expires,
            }
        )
        for e in made.entries
        if e.rule_id in {"pii.cn_resident_id", "licenses.conflict"}
    )
    stages, status = apply_baseline(
        made.model_copy(update={"entries": entries}), list(review.stages), "baseline.json"
    )
    gate = decide(stages, GateConfig(), status)
    return review.model_copy(update={"stages": tuple(stages), "gate": gate})


def test_a_baselined_finding_is_accepted_everywhere(tmp_path: Path) -> None:
    review = _baselined(dt.date(2099, 1, 1))
    register = review.accepted_register
    assert register and all(item.acceptance.source == "baseline" for item in register)
    accepted = sum(review.gate.accepted.values())
    assert accepted == len(register) > 0

    # review.json carries the register and each finding's acceptance, and reads back
    doc = json.loads(review.to_json())
    assert len(doc["accepted_register"]) == accepted
    assert Review.model_validate(doc) == review
    marked = [f for s in doc["stages"] for f in s["findings"] if f["acceptance"]]
    assert {f["acceptance"]["owner"] for f in marked} == {"王芳"}

    # the Markdown summary: open counts as the gate's, and the register
    markdown = FORMATS["markdown"]().render(review)
    assert "### Accepted risks / 已接受的风险" in markdown
    assert markdown.count("| accepted / 已接受 | baseline |") == accepted
    assert "known since 1.3, fix planned for 1.5" in markdown and "2099-01-01" in markdown

    # the PDF: summary counts agree with the gate, the register lists every acceptance
    raw = review.to_json().encode()
    pdf = tmp_path / "report.pdf"
    rendered = render_report(review, raw, lang="en")
    pdf.write_bytes(rendered.pdf)
    text = pdf_text(pdf)
    high_open = review.gate.counts[Severity.HIGH]
    high_accepted = review.gate.accepted[Severity.HIGH]
    kpi = rf'<span class="n">{high_open}</span><span class="sev high">high</span>'
    assert re.search(kpi + rf'<div class="small">\+{high_accepted} accepted</div>', rendered.html)
    assert f"+{high_accepted} accepted" in text
    assert "Register of accepted risks" in text
    assert text.count("known since 1.3, fix planned for 1.5") >= accepted
    assert "accepted · baseline · Owner: 王芳 · until 2099-01-01" in text


def test_an_expired_acceptance_is_open_again_and_says_so(tmp_path: Path) -> None:
    review = _baselined(dt.date(2020, 1, 1))
    assert sum(review.gate.accepted.values()) == 0
    assert review.gate.verdict == "fail"
    assert all(item.acceptance.expired for item in review.accepted_register)
    markdown = FORMATS["markdown"]().render(review)
    assert "EXPIRED, open again / 已过期，重新计入" in markdown
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(review, review.to_json().encode(), lang="zh").pdf)
    assert "接受已过期：重新计入" in pdf_text(pdf)

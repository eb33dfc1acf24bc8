"""One language per report: a Chinese report holds no English term of the label catalogue
(and an English one no Chinese), "None" is never printed, only regulations in scope appear."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from review.checklists.details import ChecklistResult, ContextValue
from review.core.i18n import LABELS
from review.record import Review
from review.reports.render import render_report
from review.reports.view import coverage_matrix
from tests.report.conftest import pdf_text
from tests.report.test_accepted import _baselined

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def untranslated_terms() -> list[str]:
    """Every English text of the catalogue a Chinese reader would not expect, split at
    its placeholders: all but acronyms and identifiers (no lower-case word), and words
    the Chinese side itself uses (SHA-256, NOTICE, SaaS)."""
    chinese = " ".join(text.zh for text in LABELS.values())
    terms: set[str] = set()
    for text in LABELS.values():
        for part in PLACEHOLDER.split(text.en):
            part = part.strip(" .,:;()…'\"/-·")
            if re.search(r"[a-z]{3,}", part) and part not in chinese:
                terms.add(part)
    return sorted(terms, key=len, reverse=True)


def _review() -> Review:
    """The sample with accepted findings, so the register and notes are drawn too."""
    return _baselined(dt.date(2099, 1, 1))


@pytest.fixture(scope="module")
def chinese_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    review = _review()
    pdf = tmp_path_factory.mktemp("zh") / "report.pdf"
    pdf.write_bytes(render_report(review, review.to_json().encode(), lang="zh").pdf)
    return pdf_text(pdf)


def test_the_term_list_is_built_from_the_catalogue() -> None:
    terms = untranslated_terms()
    assert {"permissive", "identity documents", "Pending sign-off"} <= set(terms)
    assert len(terms) > 200


def test_a_chinese_report_has_no_english_term(chinese_report: str) -> None:
    found = [
        term
        for term in untranslated_terms()
        # a term inside an identifier (the rule id licenses.conflict) does not count
        if re.search(rf"(?<![A-Za-z._-]){re.escape(term)}(?![A-Za-z_-])", chinese_report)
    ]
    assert found == []
    for raw in ("EMAIL_ADDRESS", "identity_document", "permissive", "classifier", "None"):
        assert raw not in chinese_report
    # units of measured criteria and what a file was read as are in Chinese too
    assert "response-days = 7 天" in chinese_report and "table" not in chinese_report
    assert "表格" in chinese_report


def test_an_english_report_has_no_chinese_label(tmp_path: Path) -> None:
    review = _review()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(review, review.to_json().encode(), lang="en").pdf)
    text = pdf_text(pdf)
    # column names of the data are identifiers, whatever their language
    for finding in review.findings():
        if finding.location is not None and finding.location.column:
            text = text.replace(finding.location.column, "")
    labels = {t.zh for t in LABELS.values() if re.search(r"[\u4e00-\u9fff]{2,}", t.zh)}
    found = sorted(
        z for z in labels if "{" not in z and z in text and z not in review.metadata.project
    )
    assert found == []
    assert "None" not in text


def test_only_regulations_in_scope_appear() -> None:
    review = _review()
    checklist = review.result(ChecklistResult)
    assert checklist is not None
    details = checklist.details
    # only PIPL and GenAI checklists, and no one in the EU
    chosen = {k: v for k, v in details.coverage.items() if k not in ("GDPR", "EU-AI-Act")}
    context = {
        **details.context,
        "eu_data_subjects": ContextValue(value=False, source="config"),
    }
    narrowed = checklist.model_copy(
        update={"details": details.model_copy(update={"coverage": chosen, "context": context})}
    )
    stages = tuple(narrowed if s is checklist else s for s in review.stages)
    keys = [g.key for g in coverage_matrix(review.model_copy(update={"stages": stages}))]
    assert "GDPR" not in keys and "EU-AI-Act" not in keys
    assert "PIPL" in keys
    # when people in the EU are concerned, GDPR is shown even unassessed: a gap to see
    unknown = {**context, "eu_data_subjects": ContextValue(value=None, source="unknown")}
    narrowed = checklist.model_copy(
        update={"details": details.model_copy(update={"coverage": chosen, "context": unknown})}
    )
    stages = tuple(narrowed if s is checklist else s for s in review.stages)
    assert "GDPR" in [g.key for g in coverage_matrix(review.model_copy(update={"stages": stages}))]

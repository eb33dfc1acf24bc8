"""`review signoff REPORT.pdf`: each decision shown on the cover, every signature kept."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.core.certificates import load_certificate
from review.record import parse_review
from review.reports.fields import update_status
from review.reports.render import SignatureCell, render_status
from review.reports.signing import sign_pdf
from review.reports.verify import attached_review_json, verify_report
from tests.report.conftest import PASSWORD_ENV, Keys, Rendered, pdf_text

ANCHORS = ("org", "wang", "alex", "li")
# Longer than a signature cell shows: the cell cuts it, the signed reason keeps it whole.
LONG_COMMENT = (
    "上线前完成邮箱列脱敏并补做个人信息保护影响评估 / mask the e-mail column and complete the "
    "PIA before launch, then send the evidence to the DPO"
)


@pytest.fixture
def report(rendered: Rendered, tmp_path: Path) -> Path:
    """A private copy of the signed report, with its review.json beside it."""
    shutil.copyfile(rendered.review_json, tmp_path / "review.json")
    shutil.copyfile(rendered.pdf, tmp_path / "report.pdf")
    return tmp_path / "report.pdf"


def _signoff(pdf: Path, reviewer: str, key: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        ["signoff", str(pdf), "--reviewer", reviewer, "--key", str(key), *args],
        env=PASSWORD_ENV,
    )
    return result.exit_code, result.output


def _verify(pdf: Path, keys: Keys) -> tuple[int, str]:
    args = [a for who in ANCHORS for a in ("--trust", str(keys.pem(who)))]
    result = CliRunner().invoke(cli, ["verify", str(pdf), *args])
    return result.exit_code, result.output


def _page(pdf: Path, page: int) -> str:
    """The text of one page, as poppler extracts it (form field appearances included)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _pages(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))


def test_before_any_signoff_the_cover_waits_for_the_reviewers(rendered: Rendered) -> None:
    cover = _page(rendered.pdf, 1)
    assert "待签核" in cover and "Pending sign-off" in cover
    assert "尚待以下审核人决定：王芳, Alex Morgan" in cover
    assert "须使用以下证书签名" in pdf_text(rendered.pdf)  # the signature cells say with what


def test_two_reviewers_sign_off_and_the_cover_shows_both(
    report: Path, keys: Keys, tmp_path: Path
) -> None:
    code, out = _signoff(
        report,
        "王芳",
        keys.p12("wang"),
        "--decision",
        "approve-with-conditions",
        "--comment",
        LONG_COMMENT,
    )
    assert code == 0, out
    assert "1 of 2 required reviewer(s) have decided" in out
    cover = _page(report, 1)
    assert "附条件批准" in cover and "待决定" in cover  # Alex Morgan still awaited
    code, out = _signoff(report, "Alex Morgan", keys.p12("alex"), "--decision", "approve")
    assert code == 0, out
    assert "2 of 2 required reviewer(s) have decided" in out

    code, out = _verify(report, keys)
    assert code == 0, out
    assert out.count("trusted: yes") == 3
    assert f"sign-off: 王芳 (数据保护官 DPO): approve-with-conditions — {LONG_COMMENT}" in out
    assert "sign-off: Alex Morgan (Risk officer): approve" in out
    result = verify_report(report)
    assert [s.covers for s in result.signers] == ["its revision", "its revision", "entire file"]
    assert not result.tampered  # every earlier signature still valid

    # what a reader sees: the cover (rendered to text and to an image)
    cover = _page(report, 1)
    assert "待签核" not in cover and "Pending sign-off" not in cover
    assert "王芳 (数据保护官 DPO)" in cover and "附条件批准 / approve with conditions" in cover
    assert "Alex Morgan (Risk officer)" in cover and "批准 / approve" in cover
    assert "以下审核人附条件批准：王芳" in cover
    assert "未通过" in cover  # the sample's gate failed: approvals do not turn it into a pass
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(report), str(tmp_path / "c")],
        check=True,
    )
    assert (tmp_path / "c-01.png").stat().st_size > 1000
    # the signature column: who signed, when, with which certificate, whole even when
    # the comment is long (the cell cuts the comment, never the fingerprint)
    signoff_page = _page(report, int(_pages(report)))
    flat = signoff_page.replace("\n", "")
    for who in ("wang", "alex"):
        assert load_certificate(keys.pem(who)).sha256 in flat
    assert signoff_page.count("签署人 / Signed by") == 2 and "UTC" in signoff_page
    words = re.sub(r"\s", "", signoff_page)
    shown = re.sub(r"\s", "", LONG_COMMENT)
    assert shown[:20] in words and shown not in words and "…" in words
    # the review.json beside the report is still the one it carries
    attached = attached_review_json(report.read_bytes(), report)
    assert attached == (report.parent / "review.json").read_bytes()


def test_signing_the_report_of_another_review_is_exit_2(
    report: Path, keys: Keys, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    text = (report.parent / "review.json").read_text(encoding="utf-8")
    other.write_text(text.replace('"1.4.0"', '"2.0.0"'), encoding="utf-8")
    before = report.read_bytes()
    code, out = _signoff(
        report, "王芳", keys.p12("wang"), "--decision", "approve", "--review", str(other)
    )
    assert code == 2, out
    assert "is the report of another review" in out
    assert report.read_bytes() == before


@pytest.mark.parametrize(
    ("reviewer", "key", "expected"),
    [
        ("王芳", "alex", "is not the one configured for 王芳"),
        ("Mallory", "wang", "no reviewer named 'Mallory'"),
    ],
)
def test_a_signoff_with_the_wrong_key_or_name_is_exit_2(
    report: Path, keys: Keys, reviewer: str, key: str, expected: str
) -> None:
    before = report.read_bytes()
    code, out = _signoff(report, reviewer, keys.p12(key), "--decision", "approve")
    assert code == 2, out
    assert expected in out
    assert report.read_bytes() == before


def test_one_signoff_per_reviewer_and_never_on_a_tampered_report(report: Path, keys: Keys) -> None:
    assert _signoff(report, "王芳", keys.p12("wang"), "--decision", "approve")[0] == 0
    code, out = _signoff(report, "王芳", keys.p12("wang"), "--decision", "reject")
    assert code == 2 and "王芳 has already signed this report off" in out
    with report.open("ab") as handle:
        handle.write(b"\n% appended\n")
    code, out = _signoff(report, "Alex Morgan", keys.p12("alex"), "--decision", "approve")
    assert code == 2 and "data was appended after the last signature" in out


def test_verify_fails_a_report_whose_cover_contradicts_its_signatures(
    report: Path, keys: Keys
) -> None:
    """A (trusted) reviewer who signs a cover claiming someone else's decision is caught."""
    pdf = report.read_bytes()
    attached = attached_review_json(pdf, report)
    assert attached is not None
    review = parse_review(attached, report)
    alex = load_certificate(keys.pem("alex"))
    lie = {
        "Alex Morgan": SignatureCell("Alex Morgan", "Risk officer", "approve", "", None),
        "王芳": SignatureCell("王芳", "数据保护官 DPO", "approve", "", None),
    }
    status = render_status(review, attached, lie, lang="bilingual")
    forged = sign_pdf(
        pdf,
        keys.key("alex"),
        field_name="SignOff-2",
        reason="Sign-off by Alex Morgan (Risk officer): approve",
        prepare=lambda writer: update_status(writer, status),
    )
    report.write_bytes(forged)
    code, out = _verify(report, keys)
    assert code == 1, out
    assert "contradicts its signatures" in out
    assert alex.sha256 in out

"""The report step as one call: render, sign, write HTML and PDF atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from review.config import LoadedConfig
from review.core.errors import InputError
from review.core.fsio import atomic_write, read_input
from review.core.models import Decision, SignOff
from review.core.progress import Progress
from review.record import Review, read_review
from review.reports.render import render_report
from review.reports.signing import (
    SigningKey,
    demo_signer,
    load_key,
    make_demo_key,
    next_field_name,
    password_from_env,
    sign_pdf,
)
from review.reports.verify import attached_review_metadata
from review.reports.view import Lang

REPORT_NAMES = ("report.pdf", "report.html")
"""What the report step of ``review run`` writes into OUT."""

REPORT_FIELD = "Report"
SIGNOFF_FIELD = "SignOff"


@dataclass(frozen=True)
class Written:
    """Where the report went."""

    html: Path
    pdf: Path
    signed: bool


def write_report(
    review: Review,
    review_json: bytes,
    pdf_path: Path,
    *,
    lang: Lang,
    key: SigningKey | None = None,
    signer_name: str | None = None,
    progress: Progress | None = None,
) -> Written:
    """Render the report beside ``pdf_path`` (same stem, .html) and sign it when asked."""
    html_path = pdf_path.with_suffix(".html")
    steps = ("render", "sign", "write") if key is not None else ("render", "write")
    html, pdf = "", b""
    # Rendering is one long library call; the steps at least show where it is.
    for step in (progress or Progress()).track(steps, "report"):
        if step == "render":
            rendered = render_report(review, review_json, lang=lang)
            html, pdf = rendered.html, rendered.pdf
        elif step == "sign" and key is not None:
            pdf = sign_pdf(
                pdf,
                key,
                field_name=REPORT_FIELD,
                reason=f"Review report of {review.metadata.project}",
                name=signer_name,
                certify=True,
            )
        elif step == "write":
            atomic_write(html_path, html)
            atomic_write(pdf_path, pdf)
    return Written(html=html_path, pdf=pdf_path, signed=key is not None)


def signoff_reason(signoff: SignOff) -> str:
    """What a reviewer's own PDF signature says: their decision and comment."""
    text = f"Sign-off by {signoff.reviewer} ({signoff.role}): {signoff.decision.value}"
    return text + (f" — {signoff.comment}" if signoff.comment else "")


def record_signoff(
    path: Path, reviewer: str, decision: Decision, comment: str, date: dt.date
) -> tuple[Review, SignOff]:
    """Record (or replace) one reviewer's decision in review.json, atomically."""
    review, _ = read_review(path)
    listed = {r.name: r for r in review.reviewers}
    if reviewer not in listed:
        names = ", ".join(sorted(listed)) or "none"
        raise InputError(
            path, f"no reviewer named {reviewer!r} in this review (reviewers: {names})"
        )
    signoff = SignOff(
        reviewer=reviewer,
        role=listed[reviewer].role,
        decision=decision,
        date=date,
        comment=comment,
    )
    kept = tuple(s for s in review.signoffs if s.reviewer != reviewer)
    order = [r.name for r in review.reviewers]
    signoffs = tuple(sorted((*kept, signoff), key=lambda s: order.index(s.reviewer)))
    updated = review.model_copy(update={"signoffs": signoffs})
    atomic_write(path, updated.to_json())
    return updated, signoff


def _read_pdf(pdf_path: Path) -> bytes:
    pdf = read_input(pdf_path, "report PDF")
    if not pdf.startswith(b"%PDF-"):
        raise InputError(pdf_path, "not a PDF file")
    return pdf


def check_report_of(pdf_path: Path, review: Review) -> None:
    """A reviewer must not sign, by mistake, the report of another review (or run)."""
    if attached_review_metadata(_read_pdf(pdf_path), pdf_path) != review.metadata:
        raise InputError(pdf_path, "is not the report of this review.json (render it first)")


def sign_as_reviewer(pdf_path: Path, key: SigningKey, signoff: SignOff) -> str:
    """Append the reviewer's own signature to the report; returns the field name used."""
    pdf = _read_pdf(pdf_path)
    field = next_field_name(pdf, SIGNOFF_FIELD)
    signed = sign_pdf(
        pdf, key, field_name=field, reason=signoff_reason(signoff), name=signoff.reviewer
    )
    atomic_write(pdf_path, signed)
    return field


def write_run_report(
    loaded: LoadedConfig, review: Review, out: Path, progress: Progress | None = None
) -> Written | None:
    """The report step of ``review run``: OUT/report.html and OUT/report.pdf, per config."""
    config = loaded.config.report
    if not config.enabled:
        return None
    key: SigningKey | None = None
    signing = config.signing
    if signing is not None and signing.self_signed:
        key = make_demo_key(signing.signer or demo_signer(review.metadata.project))
    elif signing is not None and signing.pkcs12 is not None:
        key = load_key(signing.pkcs12, password_from_env(signing.password_env))
    return write_report(
        review,
        review.to_json().encode("utf-8"),
        out / REPORT_NAMES[0],
        lang=review.metadata.language,
        key=key,
        signer_name=signing.signer if signing else None,
        progress=progress,
    )

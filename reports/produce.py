"""The report step as one call (render, add the live fields, sign, write atomically), and a
reviewer's sign-off as one incremental update of the signed report."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.config import LoadedConfig, SigningConfig
from review.core.errors import InputError
from review.core.fsio import atomic_write, read_input
from review.core.models import Decision
from review.core.progress import Progress
from review.record import Review, parse_review
from review.reports.fields import add_fields, signature_field, stamp_style
from review.reports.fields import update_status as fill_status
from review.reports.render import (
    RenderedReport,
    SignatureCell,
    render_report,
    render_signature_cell,
    render_status,
)
from review.reports.signing import (
    SigningKey,
    add_update,
    demo_key_store,
    demo_signer,
    load_key,
    password_from_env,
    sign_pdf,
)
from review.reports.verify import attached_review_json, report_language, verify_report
from review.reports.view import Lang

REPORT_NAMES = ("report.pdf", "report.html")
"""What the report step of ``review run`` writes into OUT."""

REPORT_FIELD = "Report"


@dataclass(frozen=True)
class Written:
    """Where the report went."""

    html: Path
    pdf: Path
    signed: bool


def with_live_fields(rendered: RenderedReport) -> bytes:
    """The rendered PDF plus its sign-off fields (an update made before any signature)."""

    def prepare(writer: Any) -> None:
        add_fields(writer, rendered.placements, rendered.status, rendered.signatures)

    return add_update(rendered.pdf, prepare)


def write_report(
    review: Review,
    review_json: bytes,
    pdf_path: Path,
    *,
    lang: Lang,
    key: SigningKey | None = None,
    signer_name: str | None = None,
    timestamp_url: str | None = None,
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
            html, pdf = rendered.html, with_live_fields(rendered)
        elif step == "sign" and key is not None:
            pdf = sign_pdf(
                pdf,
                key,
                field_name=REPORT_FIELD,
                reason=f"Review report of {review.metadata.project}",
                name=signer_name,
                certify=True,
                timestamp_url=timestamp_url,
            )
        elif step == "write":
            atomic_write(html_path, html)
            atomic_write(pdf_path, pdf)
    return Written(html=html_path, pdf=pdf_path, signed=key is not None)


def signoff_reason(reviewer: str, role: str, decision: Decision, comment: str) -> str:
    """What a reviewer's own PDF signature says: their decision and comment (signed)."""
    text = f"Sign-off by {reviewer} ({role}): {decision.value}"
    return text + (f" — {comment}" if comment else "")


@dataclass(frozen=True)
class SignedOff:
    """One sign-off appended to a report."""

    field: str
    cell: SignatureCell
    decided: int
    required: int


def _check_review_file(review_path: Path, attached: bytes, pdf_path: Path) -> None:
    """The review being signed off must be the very one the report carries."""
    given = hashlib.sha256(read_input(review_path, "review.json")).hexdigest()
    carried = hashlib.sha256(attached).hexdigest()
    if given != carried:
        raise InputError(
            pdf_path,
            f"is the report of another review: its attached review.json has SHA-256 "
            f"{carried}, {review_path} has {given}",
        )


def sign_off(
    pdf_path: Path,
    *,
    reviewer: str,
    decision: Decision,
    comment: str,
    key: SigningKey,
    review_path: Path | None = None,
    out: Path | None = None,
    timestamp_url: str | None = None,
) -> SignedOff:
    """Record ``reviewer``'s decision in the report and sign it, in one incremental update.

    The cover, summary and sign-off page show every decision so far (their status fields
    are filled in the same update), the reviewer's signature cell shows the decision, the
    time and their certificate; every earlier signature stays valid.
    """
    pdf = read_input(pdf_path, "report PDF")
    checked = verify_report(pdf_path)
    if checked.tampered:
        raise InputError(pdf_path, f"the report cannot be signed off: {checked.tampered[0]}")
    attached = attached_review_json(pdf, pdf_path)
    if attached is None:
        raise InputError(pdf_path, "not a review report (no attached review.json)")
    if review_path is not None:
        _check_review_file(review_path, attached, pdf_path)
    review = parse_review(attached, pdf_path)
    names = [r.name for r in review.reviewers]
    if reviewer not in names:
        listed = ", ".join(names) or "none"
        raise InputError(pdf_path, f"no reviewer named {reviewer!r} in this review ({listed})")
    person = review.reviewers[names.index(reviewer)]
    field = signature_field(names.index(reviewer) + 1)
    if field not in checked.fields:
        raise InputError(pdf_path, f"has no signature field for {reviewer} (render it again)")
    cert = key.certificate
    if person.certificate_sha256 and cert.sha256 != person.certificate_sha256:
        raise InputError(
            key.source,
            f"its certificate (SHA-256 {cert.sha256}) is not the one configured for "
            f"{reviewer} (SHA-256 {person.certificate_sha256})",
        )
    cells = checked.decisions()
    if reviewer in cells:
        raise InputError(pdf_path, f"{reviewer} has already signed this report off")
    cells[reviewer] = SignatureCell(
        reviewer,
        person.role,
        decision.value,
        comment,
        # The wall-clock time, not SOURCE_DATE_EPOCH: this is when the person signed.
        dt.datetime.now(dt.UTC).replace(microsecond=0),
        cert.common_name,
        cert.sha256,
    )
    lang = report_language(pdf) or review.metadata.language
    status = render_status(review, attached, cells, lang=lang)
    appearance = render_signature_cell(review, attached, person, cells[reviewer], lang=lang)
    signed = sign_pdf(
        pdf,
        key,
        field_name=field,
        reason=signoff_reason(reviewer, person.role, decision, comment),
        name=reviewer,
        timestamp_url=timestamp_url,
        prepare=lambda writer: fill_status(writer, status),
        appearance=stamp_style(appearance),
    )
    atomic_write(out or pdf_path, signed)
    required = sum(r.required for r in review.reviewers)
    decided = sum(1 for r in review.reviewers if r.required and r.name in cells)
    return SignedOff(field, cells[reviewer], decided, required)


def signing_key(signing: SigningConfig, default_name: str) -> SigningKey:
    """The report's signing key per config: the organisation's, or the kept demo key."""
    password = password_from_env(signing.password_env)
    if signing.self_signed:
        return demo_key_store(signing.demo_key_store, signing.signer or default_name, password)
    assert signing.pkcs12 is not None  # SigningConfig requires one of the two
    return load_key(signing.pkcs12, password)


def write_run_report(
    loaded: LoadedConfig, review: Review, out: Path, progress: Progress | None = None
) -> Written | None:
    """The report step of ``review run``: OUT/report.html and OUT/report.pdf, per config."""
    config = loaded.config.report
    if not config.enabled:
        return None
    signing = config.signing
    key = signing_key(signing, demo_signer(review.metadata.project)) if signing else None
    return write_report(
        review,
        review.to_json().encode("utf-8"),
        out / REPORT_NAMES[0],
        lang=review.metadata.language,
        key=key,
        signer_name=signing.signer if signing else None,
        timestamp_url=signing.timestamp_url if signing else None,
        progress=progress,
    )

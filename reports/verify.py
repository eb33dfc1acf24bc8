"""Verifying a signed report: signatures, no change after signing, attached evidence."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review.core.errors import InputError
from review.core.fsio import read_input
from review.record import parse_review
from review.reports.render import ATTACHMENT_NAME, META_HASH_KEY, META_SCHEMA_KEY, REPORT_SCHEMA


@dataclass(frozen=True)
class Signer:
    """One signature of the report and what its validation found."""

    field: str
    name: str
    reason: str
    signed_at: str
    intact: bool
    covers: str
    trusted: bool | None
    problems: tuple[str, ...] = ()


@dataclass
class Verification:
    """Outcome of ``review verify``: valid when there is no problem."""

    path: str
    project: str = ""
    review_json_sha256: str = ""
    recorded_sha256: str = ""
    signers: list[Signer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def _attachment(reader: Any) -> bytes | None:
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == ATTACHMENT_NAME:
            spec = names[i + 1].get_object()
            data: bytes = spec["/EF"]["/F"].get_object().data
            return data
    return None


def attached_review_metadata(pdf: bytes, source: str | Path) -> object | None:
    """Metadata of the review.json attached to a report PDF (None when there is none)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        attached = _attachment(PdfFileReader(io.BytesIO(pdf), strict=False))
    except Exception:  # any parse failure of a damaged file
        raise InputError(source, "not a readable PDF") from None
    return None if attached is None else parse_review(attached, source).metadata


def _certificate_name(cert: Any) -> str:
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _load_trust(paths: Sequence[Path]) -> list[Any]:
    from asn1crypto import pem, x509

    roots: list[Any] = []
    for path in paths:
        data = read_input(path, "certificate")
        try:
            if pem.detect(data):
                roots.extend(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True))
            else:
                roots.append(x509.Certificate.load(data))
        except ValueError:
            raise InputError(path, "not a PEM or DER certificate") from None
    return roots


def _der_length(contents: bytes) -> int:
    """Length of the DER object at the start of ``contents`` (header included)."""
    if len(contents) < 2 or contents[0] != 0x30:
        return -1
    first = contents[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    return 2 + count + int.from_bytes(contents[2 : 2 + count], "big")


def _container_untouched(contents: bytes) -> bool:
    """Whether the signature container is exactly what a signer writes.

    /Contents lies outside the signed bytes, and parts of a CMS object (version
    numbers, the digest algorithm list, padding) are covered by no signature, so a
    changed byte there would otherwise pass: require canonical DER, zero padding and
    RFC 5652's consistency rules.
    """
    from asn1crypto import cms

    end = _der_length(contents)
    if end <= 0 or end > len(contents) or any(contents[end:]):
        return False
    blob = contents[:end]
    info = cms.ContentInfo.load(blob)
    if info.dump(force=True) != blob:
        return False
    signed = info["content"]
    if signed["version"].native not in ("v1", "v3", "v4", "v5"):
        return False
    listed = {alg["algorithm"].native for alg in signed["digest_algorithms"]}
    for signer in signed["signer_infos"]:
        expected = "v1" if signer["sid"].name == "issuer_and_serial_number" else "v3"
        if signer["version"].native != expected:
            return False
        if signer["digest_algorithm"]["algorithm"].native not in listed:
            return False
    return True


def _check_signature(sig: Any, last: bool, roots: list[Any]) -> Signer:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    problems: list[str] = []
    try:
        name = _certificate_name(sig.signer_cert)
        reason = _text(sig.sig_object.get("/Reason"))
        stamp = sig.self_reported_timestamp
        status = validate_pdf_signature(sig, context)
        contents = bytes(sig.sig_object["/Contents"])
        padding_ok = _container_untouched(contents)
    except Exception as exc:  # pyHanko raises many kinds on damaged CMS or PDF data
        return Signer(
            sig.field_name,
            "?",
            "",
            "",
            False,
            "unknown",
            None,
            (f"signature '{sig.field_name}' cannot be validated ({type(exc).__name__})",),
        )
    if not padding_ok:
        # The space reserved for the signature is outside the signed bytes; anything
        # but zeros after the signature itself means the file was edited there.
        problems.append(
            f"signature '{sig.field_name}' ({name}): the signature container was changed"
        )
    if not status.intact:
        problems.append(
            f"signature '{sig.field_name}' ({name}): the signed bytes were changed after signing"
        )
    elif not status.valid:
        problems.append(f"signature '{sig.field_name}' ({name}): the signature value is invalid")
    coverage = status.coverage
    if last and coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(
            f"signature '{sig.field_name}' ({name}): data was appended after the last signature"
        )
    level = status.modification_level
    if not last and (level is None or level > ModificationLevel.FORM_FILLING):
        problems.append(
            f"signature '{sig.field_name}' ({name}): the document was modified after it "
            "beyond adding signatures"
        )
    if status.docmdp_ok is False:
        problems.append(
            f"signature '{sig.field_name}' ({name}): later changes break its certification"
        )
    trusted: bool | None = None
    if roots:
        trusted = bool(status.trusted)
        if not trusted:
            problems.append(
                f"signature '{sig.field_name}' ({name}): signer not trusted by the given roots"
            )
    covers = (
        {
            SignatureCoverageLevel.ENTIRE_FILE: "entire file",
            SignatureCoverageLevel.ENTIRE_REVISION: "its revision",
        }.get(coverage, "part of the file")
        if coverage is not None
        else "unknown"
    )
    return Signer(
        sig.field_name,
        name,
        reason,
        stamp.isoformat() if stamp else "",
        bool(status.intact and status.valid),
        covers,
        trusted,
        tuple(problems),
    )


def verify_report(path: Path, trust: Sequence[Path] = ()) -> Verification:
    """Check a report PDF; InputError (exit 2) when it is not a review report at all."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = read_input(path, "report PDF")
    if not data.startswith(b"%PDF-"):
        if b"/ByteRange" in data:
            # A signed report whose header was edited is a tampered report, not another file.
            return Verification(path=str(path), problems=["the PDF header was changed"])
        raise InputError(path, "not a PDF file")
    roots = _load_trust(trust)
    # pyHanko logs a traceback for every untrusted (e.g. self-signed) certificate; the
    # outcome is reported by us instead.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    result = Verification(path=str(path))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        info = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else {}
        marker = _text(info.get(META_SCHEMA_KEY))
        recorded = _text(info.get(META_HASH_KEY))
        attached = _attachment(reader)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # any parse failure of a damaged file (zlib, PdfError, ...)
        if REPORT_SCHEMA.encode() in data or b"/ByteRange" in data:
            result.problems.append(f"the PDF is damaged and cannot be read ({type(exc).__name__})")
            return result
        raise InputError(path, "not a readable PDF") from None
    if marker != REPORT_SCHEMA:
        if attached is None or not signatures:
            raise InputError(path, "not a review report (no review.report/1 marker)")
        result.problems.append("the report's review.report/1 marker was changed")
    result.recorded_sha256 = recorded
    if attached is None:
        result.problems.append("the attached review.json is missing")
    else:
        result.review_json_sha256 = hashlib.sha256(attached).hexdigest()
        if result.review_json_sha256 != recorded:
            result.problems.append(
                "the attached review.json does not match the SHA-256 printed in the report"
            )
        try:
            result.project = parse_review(attached, ATTACHMENT_NAME).metadata.project
        except InputError as exc:
            result.problems.append(f"the attached review.json is not a valid review record: {exc}")
    if not signatures:
        result.problems.append("the report is not signed")
    for i, sig in enumerate(signatures):
        signer = _check_signature(sig, i == len(signatures) - 1, roots)
        result.signers.append(signer)
        result.problems.extend(signer.problems)
    return result

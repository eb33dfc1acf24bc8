"""Verifying a signed report: signatures, no change after signing, attached evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review.core.certificates import Certificate
from review.core.errors import InputError
from review.core.fsio import read_input
from review.core.models import Reviewer
from review.record import Review, parse_review
from review.reports.fields import (
    SIGNATURE_FIELD_PREFIX,
    field_names,
    signature_field,
    status_values,
)
from review.reports.render import (
    ATTACHMENT_NAME,
    META_HASH_KEY,
    META_LANG_KEY,
    META_SCHEMA_KEY,
    REPORT_SCHEMA,
    SignatureCell,
    status_value,
)
from review.reports.view import Lang


@dataclass(frozen=True)
class CertificateFacts:
    """What ``verify`` shows of a signer's (or timestamp authority's) certificate."""

    subject: str
    issuer: str
    not_before: str
    not_after: str
    sha256: str


@dataclass(frozen=True)
class SignOffClaim:
    """What a reviewer's signature says they decided (from its signed /Reason)."""

    reviewer: str
    role: str
    decision: str
    comment: str


@dataclass(frozen=True)
class Signer:
    """One signature of the report and what its validation found."""

    field: str
    name: str
    reason: str
    signed_at: str
    intact: bool
    covers: str
    trusted: bool
    trust_note: str = ""
    certificate: CertificateFacts | None = None
    signoff: SignOffClaim | None = None
    timestamp: str = ""
    timestamp_authority: CertificateFacts | None = None
    timestamp_trusted: bool | None = None
    problems: tuple[str, ...] = ()
    trust_problems: tuple[str, ...] = ()

    def cell(self) -> SignatureCell | None:
        """The decision this signature makes, as the report shows it."""
        if self.signoff is None or self.certificate is None:
            return None
        signed = dt.datetime.fromisoformat(self.signed_at) if self.signed_at else None
        return SignatureCell(
            self.signoff.reviewer,
            self.signoff.role,
            self.signoff.decision,
            self.signoff.comment,
            signed.astimezone(dt.UTC).replace(microsecond=0) if signed else None,
            self.name,
            self.certificate.sha256,
        )


@dataclass
class Verification:
    """Outcome of ``review verify``: valid when nothing was changed and every signer is
    trusted (``tampered`` and ``untrusted`` hold what is wrong)."""

    path: str
    project: str = ""
    review_json_sha256: str = ""
    recorded_sha256: str = ""
    anchors: int = 0
    signers: list[Signer] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    tampered: list[str] = field(default_factory=list)
    untrusted: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [*self.tampered, *self.untrusted]

    @property
    def valid(self) -> bool:
        return not self.problems

    def decisions(self) -> dict[str, SignatureCell]:
        """Reviewer -> the decision their signature makes (first signature per reviewer)."""
        out: dict[str, SignatureCell] = {}
        for signer in self.signers:
            cell = signer.cell()
            if cell is not None and cell.reviewer not in out:
                out[cell.reviewer] = cell
        return out


def printable(text: str) -> str:
    """``text`` with control, format and line-separator characters escaped (\\n, \\u202e),
    so that nothing read from a PDF can start a line or reorder what verify prints."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


SIGNOFF_REASON = re.compile(
    r"^Sign-off by (?P<reviewer>.+?) \((?P<role>[^()]*)\): (?P<decision>[a-z-]+)"
    r"(?: — (?P<comment>.*))?$",
    re.DOTALL,
)


def parse_signoff_reason(reason: str) -> SignOffClaim | None:
    """The decision a reviewer's signature states (see ``produce.signoff_reason``)."""
    found = SIGNOFF_REASON.match(reason)
    if found is None:
        return None
    return SignOffClaim(
        reviewer=found["reviewer"],
        role=found["role"],
        decision=found["decision"],
        comment=found["comment"] or "",
    )


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


def _reader(pdf: bytes, source: str | Path) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception:  # any parse failure of a damaged file
        raise InputError(source, "not a readable PDF") from None


def attached_review_json(pdf: bytes, source: str | Path) -> bytes | None:
    """The review.json attached to a report PDF (None when there is none)."""
    try:
        return _attachment(_reader(pdf, source))
    except InputError:
        raise
    except Exception:  # any parse failure of a damaged file
        raise InputError(source, "not a readable PDF") from None


def report_language(pdf: bytes) -> Lang | None:
    """The language the report was rendered in (its metadata), if recorded."""
    try:
        info = _reader(pdf, "report").trailer_view.get("/Info")
        value = _text(info.get_object().get(META_LANG_KEY)) if info is not None else ""
    except Exception:  # a damaged file has no language to tell
        return None
    return value if value in ("en", "zh", "bilingual") else None  # type: ignore[return-value]


def _consistency_problems(
    review: Review, signers: Sequence[Signer], values: dict[str, str], fields: set[str]
) -> list[str]:
    """The report must not show decisions its signatures do not make (or miss some)."""
    problems = []
    names = [r.name for r in review.reviewers]
    for signer in signers:
        if signer.signoff is None:
            if signer.field.startswith(f"{SIGNATURE_FIELD_PREFIX}-"):
                problems.append(f"the sign-off field '{signer.field}' holds no sign-off")
            continue
        who = signer.signoff.reviewer
        if who in names and signer.field != signature_field(names.index(who) + 1):
            problems.append(
                f"the sign-off by {who!r} is in the signature field '{signer.field}', "
                f"not in {who!r}'s own"
            )
    cells: dict[str, SignatureCell] = {}
    for signer in signers:
        cell = signer.cell()
        if cell is None:
            continue
        if cell.reviewer in cells:
            problems.append(f"{cell.reviewer!r} signed off more than once")
        cells.setdefault(cell.reviewer, cell)
    if not values:
        if cells:
            problems.append("the report has no sign-off status fields to show its sign-offs")
        return problems
    expected = status_value(review, cells)
    for name, shown in sorted(values.items()):
        if shown != expected:
            problems.append(
                f"the sign-off status shown in the report ({name}: {shown!r}) contradicts "
                f"its signatures ({expected!r})"
            )
    return problems


def _facts(cert: Any) -> CertificateFacts:
    """Subject, issuer, validity and fingerprint of a certificate (asn1crypto's)."""
    parsed = Certificate(cert.dump(), "signature")
    return CertificateFacts(
        subject=parsed.subject,
        issuer=parsed.issuer,
        not_before=parsed.not_before.isoformat(),
        not_after=parsed.not_after.isoformat(),
        sha256=parsed.sha256,
    )


def _common_name(cert: Any) -> str:
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def _anchors(certificates: Sequence[Certificate]) -> list[Any]:
    from asn1crypto import x509

    return [x509.Certificate.load(c.der) for c in certificates]


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


@dataclass(frozen=True)
class TrustPolicy:
    """What the signers are checked against: anchors, and each reviewer's certificate."""

    anchors: tuple[Certificate, ...] = ()
    reviewer_certificates: dict[str, str] = field(default_factory=dict)

    def expected_certificate(self, reviewer: str, recorded: Sequence[Reviewer]) -> str | None:
        """The fingerprint ``reviewer`` must sign with: from the config, else as recorded in
        the (signed) review.json."""
        if reviewer in self.reviewer_certificates:
            return self.reviewer_certificates[reviewer]
        return next((r.certificate_sha256 for r in recorded if r.name == reviewer), None)

    def reviewer_of(self, sha256: str, recorded: Sequence[Reviewer]) -> str | None:
        """Whose certificate this is, when it is one configured for a reviewer."""
        known = dict(self.reviewer_certificates)
        for r in recorded:
            if r.certificate_sha256 and r.name not in known:
                known[r.name] = r.certificate_sha256
        return next((name for name, fp in known.items() if fp == sha256), None)


def _integrity_problems(status: Any, sig: Any, last: bool, label: str) -> list[str]:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    problems = []
    if not status.intact:
        problems.append(f"{label}: the signed bytes were changed after signing")
    elif not status.valid:
        problems.append(f"{label}: the signature value is invalid")
    if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(f"{label}: data was appended after the last signature")
    level = status.modification_level
    if not last and (level is None or level > ModificationLevel.FORM_FILLING):
        problems.append(f"{label}: the document was modified after it beyond adding signatures")
    if status.docmdp_ok is False:
        problems.append(f"{label}: later changes break its certification")
    return problems


def _signoff_problems(
    claim: SignOffClaim, facts: CertificateFacts, policy: TrustPolicy, review: Review | None
) -> list[str]:
    """A sign-off must be made with the certificate configured for the reviewer it names."""
    recorded = review.reviewers if review is not None else ()
    if review is not None and claim.reviewer not in {r.name for r in recorded}:
        return [f"sign-off by {claim.reviewer!r}, who is not a reviewer of this review"]
    expected = policy.expected_certificate(claim.reviewer, recorded)
    owner = policy.reviewer_of(facts.sha256, recorded)
    if expected is None:
        return [
            f"sign-off by {claim.reviewer!r}: no certificate is configured for this reviewer "
            "([[reviewers]] certificate), so the signature cannot be attributed to them"
        ]
    if facts.sha256 != expected:
        whose = f"the certificate of {owner!r}" if owner else "a certificate that is not theirs"
        return [
            f"sign-off by {claim.reviewer!r} is signed with {whose} "
            f"(SHA-256 {facts.sha256}; {claim.reviewer!r} signs with SHA-256 {expected})"
        ]
    return []


def _check_signature(sig: Any, last: bool, policy: TrustPolicy, review: Review | None) -> Signer:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=_anchors(policy.anchors), allow_fetching=False, revocation_mode="soft-fail"
    )
    label = f"signature '{sig.field_name}'"
    try:
        cert = sig.signer_cert
        facts = _facts(cert)
        name = _common_name(cert)
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
            False,
            problems=(f"{label} cannot be validated ({type(exc).__name__})",),
        )
    label = f"signature '{sig.field_name}' ({name})"
    problems: list[str] = []
    if not padding_ok:
        # The space reserved for the signature is outside the signed bytes; anything
        # but zeros after the signature itself means the file was edited there.
        problems.append(f"{label}: the signature container was changed")
    problems += _integrity_problems(status, sig, last, label)
    intact = bool(status.intact and status.valid) and not problems
    trusted = bool(status.trusted)
    if trusted:
        note = "chains to a trust anchor"
    elif not policy.anchors:
        note = "no trust anchor given (--trust, or [report.trust] in the config)"
    else:
        note = f"does not chain to the {len(policy.anchors)} trust anchor(s) given"
    untrusted: list[str] = []
    if not trusted:
        untrusted.append(
            f"{label}: signature {'intact' if intact else 'broken'} but signer not trusted: "
            f"{facts.subject}, SHA-256 {facts.sha256} ({note})"
        )
    claim = parse_signoff_reason(reason)
    if reason.startswith("Sign-off by") and claim is None:
        untrusted.append(f"{label}: a sign-off reason that names no decision: {reason!r}")
    if claim is not None:
        untrusted += [f"{label}: {p}" for p in _signoff_problems(claim, facts, policy, review)]
    ts = status.timestamp_validity
    ts_facts = _facts(ts.signing_cert) if ts is not None else None
    ts_trusted = bool(ts.trusted) if ts is not None else None
    if ts is not None and not (ts.intact and ts.valid):
        problems.append(f"{label}: its timestamp token is broken")
    elif ts is not None and not ts_trusted and ts_facts is not None:
        untrusted.append(
            f"{label}: timestamp intact but its authority is not trusted: "
            f"{ts_facts.subject}, SHA-256 {ts_facts.sha256}"
        )
    coverage = status.coverage
    covers = (
        {
            SignatureCoverageLevel.ENTIRE_FILE: "entire file",
            SignatureCoverageLevel.ENTIRE_REVISION: "its revision",
        }.get(coverage, "part of the file")
        if coverage is not None
        else "unknown"
    )
    return Signer(
        field=sig.field_name,
        name=name,
        reason=reason,
        signed_at=stamp.isoformat() if stamp else "",
        intact=intact,
        covers=covers,
        trusted=trusted,
        trust_note=note,
        certificate=facts,
        signoff=claim,
        timestamp=ts.timestamp.isoformat() if ts is not None else "",
        timestamp_authority=ts_facts,
        timestamp_trusted=ts_trusted,
        problems=tuple(problems),
        trust_problems=tuple(untrusted),
    )


def verify_report(path: Path, policy: TrustPolicy | None = None) -> Verification:
    """Check a report PDF; InputError (exit 2) when it is not a review report at all."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    policy = policy or TrustPolicy()
    data = read_input(path, "report PDF")
    if not data.startswith(b"%PDF-"):
        if b"/ByteRange" in data:
            # A signed report whose header was edited is a tampered report, not another file.
            return Verification(path=str(path), tampered=["the PDF header was changed"])
        raise InputError(path, "not a PDF file")
    # pyHanko logs a traceback for every untrusted (e.g. self-signed) certificate; the
    # outcome is reported by us instead.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    result = Verification(path=str(path), anchors=len(policy.anchors))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        info = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else {}
        marker = _text(info.get(META_SCHEMA_KEY))
        recorded = _text(info.get(META_HASH_KEY))
        attached = _attachment(reader)
        signatures = list(reader.embedded_signatures)
        result.fields = field_names(reader.root)
        shown = status_values(reader.root)
    except Exception as exc:  # any parse failure of a damaged file (zlib, PdfError, ...)
        if REPORT_SCHEMA.encode() in data or b"/ByteRange" in data:
            result.tampered.append(f"the PDF is damaged and cannot be read ({type(exc).__name__})")
            return result
        raise InputError(path, "not a readable PDF") from None
    if marker != REPORT_SCHEMA:
        if attached is None or not signatures:
            raise InputError(path, "not a review report (no review.report/1 marker)")
        result.tampered.append("the report's review.report/1 marker was changed")
    result.recorded_sha256 = recorded
    review: Review | None = None
    if attached is None:
        result.tampered.append("the attached review.json is missing")
    else:
        result.review_json_sha256 = hashlib.sha256(attached).hexdigest()
        if result.review_json_sha256 != recorded:
            result.tampered.append(
                "the attached review.json does not match the SHA-256 printed in the report"
            )
        try:
            review = parse_review(attached, ATTACHMENT_NAME)
            result.project = review.metadata.project
        except InputError as exc:
            result.tampered.append(f"the attached review.json is not a valid review record: {exc}")
    if not signatures:
        result.untrusted.append("the report is not signed")
    for i, sig in enumerate(signatures):
        signer = _check_signature(sig, i == len(signatures) - 1, policy, review)
        result.signers.append(signer)
        result.tampered.extend(signer.problems)
        result.untrusted.extend(signer.trust_problems)
    if review is not None:
        result.tampered += _consistency_problems(review, result.signers, shown, result.fields)
    return result

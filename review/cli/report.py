"""``review report render``, ``review verify`` and ``review signoff``: thin adapters."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from review.config import load_config
from review.core.certificates import load_certificates
from review.core.errors import InputError
from review.core.models import Decision
from review.core.progress import Progress, progress_wanted
from review.record import read_review
from review.reports.produce import sign_off, write_report
from review.reports.signing import (
    SigningKey,
    certificate_path,
    demo_key_store,
    demo_signer,
    load_key,
    make_demo_key,
    password_from_env,
    save_key_store,
)
from review.reports.verify import (
    CertificateFacts,
    Signer,
    TrustPolicy,
    Verification,
    printable,
    verify_report,
)

SELF_SIGNED = "self-signed"
PASSWORD_ENV = "REVIEW_SIGNING_PASSWORD"


DEMO_KEY_STORE = Path(".review-keys") / "report-signing.p12"


def _key(sign: str | None, password_env: str, name: str, folder: Path) -> SigningKey | None:
    if sign is None:
        return None
    password = password_from_env(password_env)
    if sign == SELF_SIGNED:
        key = demo_key_store(folder / DEMO_KEY_STORE, name, password)
        click.echo(f"report: demo certificate {certificate_path(folder / DEMO_KEY_STORE)}")
        return key
    return load_key(Path(sign), password)


@click.group()
def report() -> None:
    """Render the bilingual PDF/HTML report of a review. 渲染审查报告。"""


@report.command()
@click.argument("review_json", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), help="PDF file [report.pdf]")
@click.option("--lang", type=click.Choice(["en", "zh", "bilingual"]), help="[review's language]")
@click.option(
    "--sign",
    metavar="PKCS12|self-signed",
    help="Sign with this PKCS#12 file, or with a self-signed demo key kept in "
    ".review-keys/ beside the PDF (its certificate there too, for verify --trust).",
)
@click.option(
    "--password-env",
    default=PASSWORD_ENV,
    show_default=True,
    help="Environment variable holding the PKCS#12 password.",
)
@click.option("--timestamp-url", help="RFC 3161 timestamp authority for the signature.")
def render(
    review_json: Path,
    out: Path | None,
    lang: str | None,
    sign: str | None,
    password_env: str,
    timestamp_url: str | None,
) -> int:
    """Render REVIEW_JSON to report.pdf (PDF/A-3b, review.json attached) and report.html."""
    review, raw = read_review(review_json)
    target = out or review_json.with_name("report.pdf")
    key = _key(sign, password_env, demo_signer(review.metadata.project), target.parent)
    written = write_report(
        review,
        raw,
        target,
        lang=lang or review.metadata.language,  # type: ignore[arg-type]
        key=key,
        timestamp_url=timestamp_url,
        progress=Progress(progress_wanted(machine_output=False)),
    )
    click.echo(f"report: {written.pdf}" + (" (signed)" if written.signed else " (unsigned)"))
    click.echo(f"report: {written.html}")
    return 0


@report.command("demo-cert")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="Name on the certificate (the signer).")
@click.option("--password-env", default=PASSWORD_ENV, show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing key store.")
def demo_cert(out: Path, name: str, password_env: str, force: bool) -> int:
    """Write a self-signed key store OUT (PKCS#12, encrypted, mode 0600) and its
    certificate beside it (OUT with .pem), for trying signatures out (not for production)."""
    password = password_from_env(password_env)
    if password is None:
        raise InputError(None, f"set ${password_env} to the password that encrypts the key store")
    if out.exists() and not force:
        raise InputError(out, "already exists (use --force to replace it)")
    pem = save_key_store(make_demo_key(name, password=password), out)
    click.echo(f"demo key store for {name}: {out} (encrypted, owner-only)")
    click.echo(f"its certificate: {pem} (give this to whoever verifies: --trust {pem})")
    return 0


def _certificate_lines(label: str, facts: CertificateFacts) -> list[str]:
    return [
        f"    {label}: {facts.subject}",
        f"      issuer: {facts.issuer}",
        f"      valid: {facts.not_before} to {facts.not_after}",
        f"      SHA-256: {facts.sha256}",
    ]


def _signer_lines(signer: Signer) -> list[str]:
    state = "intact" if signer.intact else "BROKEN"
    lines = [
        f"  signature [{signer.field}] {signer.name}: {state}, covers {signer.covers}, "
        f"signed {signer.signed_at or '?'}"
    ]
    if signer.certificate is not None:
        lines += _certificate_lines("certificate", signer.certificate)
    if signer.trusted:
        lines.append(f"    trusted: yes, {signer.trust_note}")
    else:
        facts = signer.certificate
        who = f"{facts.subject}, SHA-256 {facts.sha256}" if facts else "?"
        lines.append(
            f"    trusted: NO: signature {'intact' if signer.intact else 'broken'} but signer "
            f"not trusted: {who} ({signer.trust_note})"
        )
    if signer.signoff is not None:
        claim = signer.signoff
        lines.append(
            f"    sign-off: {claim.reviewer} ({claim.role}): {claim.decision}"
            + (f" — {claim.comment}" if claim.comment else "")
        )
    elif signer.reason:
        lines.append(f"    reason: {signer.reason}")
    if signer.timestamp:
        trust = "trusted" if signer.timestamp_trusted else "NOT trusted"
        lines.append(f"    timestamp (RFC 3161): {signer.timestamp}, authority {trust}")
        if signer.timestamp_authority is not None:
            lines += _certificate_lines("authority", signer.timestamp_authority)
    return lines


def _print(result: Verification, fmt: str) -> None:
    if fmt == "json":
        doc = {
            "valid": result.valid,
            "path": result.path,
            "project": result.project,
            "review_json_sha256": result.review_json_sha256,
            "recorded_sha256": result.recorded_sha256,
            "trust_anchors": result.anchors,
            "signers": [dataclasses.asdict(s) for s in result.signers],
            "problems": result.problems,
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    head = "VALID" if result.valid else "INVALID"
    lines = [f"{result.path}: {head} review report of {result.project or '?'}"]
    lines.append(f"  review.json SHA-256: {result.review_json_sha256 or '-'}")
    lines.append(f"  trust anchors: {result.anchors}")
    for signer in result.signers:
        lines += _signer_lines(signer)
    # Everything above may hold text from the PDF: escape it line by line.
    for line in lines:
        click.echo(printable(line))
    for problem in result.problems:
        click.echo(f"  problem: {printable(problem)}", err=True)


def trust_policy(trust: tuple[Path, ...], config_file: Path | None) -> TrustPolicy:
    """Anchors from --trust and [report.trust], reviewers' certificates from the config."""
    anchors = [cert for path in trust for cert in load_certificates(path)]
    reviewers: dict[str, str] = {}
    if config_file is not None:
        config = load_config(config_file.parent, config_file).config
        anchors += [c for path in config.report.trust.certificates for c in load_certificates(path)]
        reviewers = {
            r.name: r.certificate_sha256
            for r in config.reviewer_records()
            if r.certificate_sha256 is not None
        }
    return TrustPolicy(anchors=tuple(anchors), reviewer_certificates=reviewers)


@click.command()
@click.argument("report_pdf", type=click.Path(path_type=Path))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Trust anchor: a certificate (PEM, DER or PKCS#12) or a directory of them; "
    "every signer must chain to one (repeatable).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="review.toml whose [report.trust] anchors and [[reviewers]] certificates apply.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def verify(report_pdf: Path, trust: tuple[Path, ...], config_file: Path | None, fmt: str) -> int:
    """Verify a signed report: exit 0 when intact and every signer trusted, 1 when not
    (with the reason), 2 when it is not a review report."""
    result = verify_report(report_pdf, trust_policy(trust, config_file))
    _print(result, fmt)
    return 0 if result.valid else 1


@click.command()
@click.argument("report_pdf", type=click.Path(path_type=Path))
@click.option("--reviewer", required=True, help="Reviewer name, as listed in the config.")
@click.option(
    "--decision", required=True, type=click.Choice([d.value for d in Decision]), help="Decision."
)
@click.option("--comment", default="", help="Conditions or remarks.")
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(path_type=Path),
    help="The reviewer's own PKCS#12 key store (password in --password-env).",
)
@click.option("--password-env", default=PASSWORD_ENV, show_default=True)
@click.option(
    "--review",
    "review_json",
    type=click.Path(path_type=Path),
    help="The review being signed off: the report must carry exactly this review.json "
    "[review.json beside REPORT_PDF, when there is one].",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here [REPORT_PDF itself].")
@click.option("--timestamp-url", help="RFC 3161 timestamp authority for this signature.")
def signoff(
    report_pdf: Path,
    reviewer: str,
    decision: str,
    comment: str,
    key_file: Path,
    password_env: str,
    review_json: Path | None,
    out: Path | None,
    timestamp_url: str | None,
) -> int:
    """Sign REPORT_PDF off as one reviewer: the decision is shown on the cover, summary
    and sign-off page and signed with the reviewer's certificate, as an incremental
    update that keeps every earlier signature valid."""
    key = load_key(key_file, password_from_env(password_env))
    sibling = report_pdf.with_name("review.json")
    if review_json is None and sibling.is_file():
        review_json = sibling
    done = sign_off(
        report_pdf,
        reviewer=reviewer,
        decision=Decision(decision),
        comment=comment,
        key=key,
        review_path=review_json,
        out=out,
        timestamp_url=timestamp_url,
    )
    cell = done.cell
    click.echo(
        f"signoff: {cell.reviewer}: {cell.decision}, signed {cell.signed_at} "
        f"[{done.field}] -> {out or report_pdf}"
    )
    click.echo(f"signoff: certificate SHA-256 {cell.sha256}")
    click.echo(f"signoff: {done.decided} of {done.required} required reviewer(s) have decided")
    return 0

"""``review report render``, ``review verify`` and ``review signoff``: thin adapters."""

from __future__ import annotations

import json
from pathlib import Path

import click

from review.core.clock import now
from review.core.errors import InputError
from review.core.fsio import atomic_write
from review.core.models import Decision
from review.core.progress import Progress, progress_wanted
from review.record import read_review
from review.reports.produce import check_report_of, record_signoff, sign_as_reviewer, write_report
from review.reports.signing import (
    SigningKey,
    demo_signer,
    load_key,
    make_demo_key,
    password_from_env,
)
from review.reports.verify import Verification, verify_report

SELF_SIGNED = "self-signed"
PASSWORD_ENV = "REVIEW_SIGNING_PASSWORD"


def _key(sign: str | None, password_env: str, name: str) -> SigningKey | None:
    if sign is None:
        return None
    if sign == SELF_SIGNED:
        return make_demo_key(name)
    return load_key(Path(sign), password_from_env(password_env))


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
    help="Sign with this PKCS#12 file, or with a generated self-signed demo certificate.",
)
@click.option(
    "--password-env",
    default=PASSWORD_ENV,
    show_default=True,
    help="Environment variable holding the PKCS#12 password.",
)
def render(
    review_json: Path, out: Path | None, lang: str | None, sign: str | None, password_env: str
) -> int:
    """Render REVIEW_JSON to report.pdf (PDF/A-3b, review.json attached) and report.html."""
    review, raw = read_review(review_json)
    key = _key(sign, password_env, demo_signer(review.metadata.project))
    target = out or review_json.with_name("report.pdf")
    written = write_report(
        review,
        raw,
        target,
        lang=lang or review.metadata.language,  # type: ignore[arg-type]
        key=key,
        progress=Progress(progress_wanted(machine_output=False)),
    )
    click.echo(f"report: {written.pdf}" + (" (signed)" if written.signed else " (unsigned)"))
    click.echo(f"report: {written.html}")
    return 0


@report.command("demo-cert")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="Name on the certificate (the signer).")
@click.option("--password-env", default=PASSWORD_ENV, show_default=True)
def demo_cert(out: Path, name: str, password_env: str) -> int:
    """Write a self-signed PKCS#12 key for trying signatures out (not for production)."""
    key = make_demo_key(name, password=password_from_env(password_env))
    atomic_write(out, key.pkcs12)
    click.echo(f"demo certificate for {name}: {out}")
    return 0


def _print(result: Verification, fmt: str) -> None:
    if fmt == "json":
        doc = {
            "valid": result.valid,
            "path": result.path,
            "project": result.project,
            "review_json_sha256": result.review_json_sha256,
            "recorded_sha256": result.recorded_sha256,
            "signers": [s.__dict__ | {"problems": list(s.problems)} for s in result.signers],
            "problems": result.problems,
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    head = "VALID" if result.valid else "INVALID"
    click.echo(f"{result.path}: {head} review report of {result.project or '?'}")
    click.echo(f"  review.json SHA-256: {result.review_json_sha256 or '-'}")
    for signer in result.signers:
        state = "intact" if signer.intact else "BROKEN"
        trust = {None: "trust not checked", True: "trusted", False: "NOT trusted"}[signer.trusted]
        click.echo(
            f"  signer: {signer.name} [{signer.field}] {state}, covers {signer.covers}, "
            f"{trust}, signed {signer.signed_at or '?'}"
        )
        if signer.reason:
            click.echo(f"    reason: {signer.reason}")
    for problem in result.problems:
        click.echo(f"  problem: {problem}", err=True)


@click.command()
@click.argument("report_pdf", type=click.Path(path_type=Path))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Require every signer to chain to this certificate (PEM/DER; repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def verify(report_pdf: Path, trust: tuple[Path, ...], fmt: str) -> int:
    """Verify a signed report: exit 0 valid, 1 invalid (with the reason), 2 not a report."""
    result = verify_report(report_pdf, trust)
    _print(result, fmt)
    return 0 if result.valid else 1


@click.command()
@click.argument("review_json", type=click.Path(path_type=Path))
@click.option("--reviewer", required=True, help="Reviewer name, as listed in the config.")
@click.option(
    "--decision", required=True, type=click.Choice([d.value for d in Decision]), help="Decision."
)
@click.option("--comment", default="", help="Conditions or remarks.")
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(path_type=Path),
    help="Also sign this report PDF with the reviewer's own certificate (--pkcs12).",
)
@click.option("--pkcs12", type=click.Path(path_type=Path), help="The reviewer's PKCS#12 file.")
@click.option("--password-env", default=PASSWORD_ENV, show_default=True)
def signoff(
    review_json: Path,
    reviewer: str,
    decision: str,
    comment: str,
    pdf: Path | None,
    pkcs12: Path | None,
    password_env: str,
) -> int:
    """Record a reviewer's decision in REVIEW_JSON (and their own PDF signature)."""
    if (pdf is None) != (pkcs12 is None):
        raise InputError(None, "--pdf and --pkcs12 go together (the reviewer signs the report)")
    key = load_key(pkcs12, password_from_env(password_env)) if pkcs12 else None
    if pdf is not None:
        check_report_of(pdf, read_review(review_json)[0])
    _, recorded = record_signoff(review_json, reviewer, Decision(decision), comment, now().date())
    click.echo(f"signoff: {recorded.reviewer}: {recorded.decision.value} -> {review_json}")
    if pdf is not None and key is not None:
        field = sign_as_reviewer(pdf, key, recorded)
        click.echo(f"signoff: signed {pdf} as {recorded.reviewer} [{field}]")
    return 0

"""`review verify` and `review signoff`: valid, tampered, unsigned, every signer listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.reports.fonts import find_cjk_font
from review.reports.render import render_html, render_pdf
from tests.report.conftest import Keys, Rendered


def _verify(runner: CliRunner, pdf: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["verify", str(pdf), *args])
    return result.exit_code, result.output


def test_signed_report_is_valid(runner: CliRunner, rendered: Rendered, keys: Keys) -> None:
    code, out = _verify(runner, rendered.pdf, "--format", "json", "--trust", str(keys.pem("org")))
    assert code == 0, out
    doc = json.loads(out)
    assert doc["valid"] is True
    assert doc["review_json_sha256"] == doc["recorded_sha256"]
    assert [s["field"] for s in doc["signers"]] == ["Report"]
    assert doc["signers"][0]["covers"] == "entire file"


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75])
def test_one_changed_byte_is_rejected(runner: CliRunner, signed_copy: Path, where: float) -> None:
    data = bytearray(signed_copy.read_bytes())
    # a byte inside the signed range: anywhere except the signature's own /Contents hole
    index = int(len(data) * where)
    data[index] ^= 0x01
    signed_copy.write_bytes(bytes(data))
    code, out = _verify(runner, signed_copy)
    assert code == 1, out
    assert "problem:" in out


def test_appended_data_after_signing_is_rejected(runner: CliRunner, signed_copy: Path) -> None:
    with signed_copy.open("ab") as handle:
        handle.write(b"\n% appended after signing\n")
    code, out = _verify(runner, signed_copy)
    assert code == 1
    assert "appended after the last signature" in out


def test_unsigned_report_is_invalid(runner: CliRunner, rendered: Rendered, tmp_path: Path) -> None:
    out_pdf = tmp_path / "unsigned.pdf"
    result = runner.invoke(
        cli, ["report", "render", str(rendered.review_json), "--out", str(out_pdf)]
    )
    assert result.exit_code == 0, result.output
    code, out = _verify(runner, out_pdf)
    assert code == 1
    assert "not signed" in out


def test_a_pdf_that_is_not_a_review_report_exits_2(
    runner: CliRunner, rendered: Rendered, tmp_path: Path
) -> None:
    import weasyprint

    other = tmp_path / "other.pdf"
    other.write_bytes(weasyprint.HTML(string="<p>hello</p>").write_pdf())
    code, out = _verify(runner, other)
    assert code == 2
    assert "not a review report" in out
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    assert _verify(runner, text)[0] == 2
    assert _verify(runner, tmp_path / "missing.pdf")[0] == 2


def test_swapped_attachment_is_caught(rendered: Rendered, tmp_path: Path) -> None:
    """A report whose attached review.json differs from the printed hash is invalid."""
    from review.reports.verify import verify_report

    review = rendered.sample.review
    printed = rendered.review_json.read_bytes()
    html = render_html(review, printed, lang="en", font=find_cjk_font())
    swapped = printed.replace(b'"1.4.0"', b'"9.9.9"')
    pdf = tmp_path / "swapped.pdf"
    pdf.write_bytes(render_pdf(html, swapped, created=review.metadata.finished)[0])
    result = verify_report(pdf)
    assert any("does not match the SHA-256" in p for p in result.problems)


def test_trust_option_requires_a_chain(
    runner: CliRunner, rendered: Rendered, tmp_path: Path
) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Some other CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    root = tmp_path / "root.pem"
    root.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    code, out = _verify(runner, rendered.pdf, "--trust", str(root))
    assert code == 1
    assert "not trusted" in out


@pytest.mark.slow
def test_every_byte_of_the_signature_container_is_protected(
    rendered: Rendered, tmp_path: Path
) -> None:
    """/Contents lies outside the signed bytes; a change anywhere in it still fails."""
    from review.reports.verify import verify_report

    data = rendered.pdf.read_bytes()
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    target = tmp_path / "t.pdf"
    # every 11th hex digit of the CMS object and its padding, and the PDF header
    for index in [0, 3, *range(start, start + 2400, 11)]:
        changed = bytearray(data)
        changed[index] ^= 0x01
        target.write_bytes(bytes(changed))
        assert not verify_report(target).valid, index

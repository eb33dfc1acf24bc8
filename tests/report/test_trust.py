"""`review verify` against trust anchors: the forgeries an intact signature does not catch."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

from review.cli.main import cli
from review.core.certificates import load_certificate
from review.record import Review, parse_review
from review.reports.signing import (
    DEMO_ORGANISATION,
    load_key,
    make_demo_key,
    save_key_store,
    sign_pdf,
)
from review.reports.verify import verify_report
from tests.report.conftest import (
    HOLDERS,
    PASSWORD,
    PASSWORD_ENV,
    Keys,
    Rendered,
    render_signed,
)
from tests.report.tsa import local_tsa


def _verify(pdf: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify", str(pdf), *args], env=PASSWORD_ENV)
    return result.exit_code, result.output


def _anchors(keys: Keys, *who: str) -> list[str]:
    return [arg for w in who for arg in ("--trust", str(keys.pem(w)))]


def _forged_review(rendered: Rendered) -> Review:
    """The sample review with every finding and gate reason removed and the gate passed."""
    data = json.loads(rendered.review_json.read_text(encoding="utf-8"))
    for stage in data["stages"]:
        stage["findings"] = []
        stage["gate_reasons"] = []
    data["gate"].update(verdict="pass", reasons=[], counts={}, accepted={})
    return parse_review(json.dumps(data).encode(), "forged")


def test_the_real_report_with_its_anchor_is_valid(rendered: Rendered, keys: Keys) -> None:
    code, out = _verify(rendered.pdf, *_anchors(keys, "org"))
    assert code == 0, out
    org = load_certificate(keys.pem("org"))
    assert f"SHA-256: {org.sha256}" in out
    assert "issuer: " in out and "valid: " in out
    # intact and trusted are separate lines
    assert re.search(r"signature \[Report\] .*: intact, covers entire file", out)
    assert "    trusted: yes, chains to a trust anchor" in out


def test_without_an_anchor_the_signer_is_not_trusted(rendered: Rendered, keys: Keys) -> None:
    code, out = _verify(rendered.pdf)
    assert code == 1
    org = load_certificate(keys.pem("org"))
    assert f"signature intact but signer not trusted: {org.subject}, SHA-256 {org.sha256}" in out


def test_forged_review_rerendered_with_a_fresh_key_fails(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    forged = tmp_path / "review.json"
    forged.write_text(_forged_review(rendered).to_json(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "render", str(forged), "--sign", "self-signed"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "report.pdf"
    fresh = load_certificate(tmp_path / ".review-keys" / "report-signing.pem")
    for args in ([], _anchors(keys, "org")):
        code, out = _verify(pdf, *args)
        assert code == 1, out
        assert f"signer not trusted: {fresh.subject}, SHA-256 {fresh.sha256}" in out


def test_a_certificate_copying_the_signers_name_fails(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    lookalike = make_demo_key(HOLDERS["org"], password=PASSWORD.encode())
    real = load_certificate(keys.pem("org"))
    assert lookalike.certificate.subject == real.subject  # same name, other key
    save_key_store(lookalike, tmp_path / "lookalike.p12")
    forged_dir = tmp_path / "forged"
    forged_dir.mkdir()
    forged_review = _forged_review(rendered)
    (forged_dir / "review.json").write_text(forged_review.to_json(), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "render",
            str(forged_dir / "review.json"),
            "--sign",
            str(tmp_path / "lookalike.p12"),
        ],
        env=PASSWORD_ENV,
    )
    assert result.exit_code == 0, result.output
    code, out = _verify(forged_dir / "report.pdf", *_anchors(keys, "org", "wang", "alex", "li"))
    assert code == 1, out
    assert f"SHA-256 {lookalike.certificate.sha256}" in out
    assert "signer not trusted" in out


def test_a_signoff_appended_by_an_attacker_under_a_reviewers_name_fails(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    attacker = make_demo_key("王芳")  # the reviewer's name, the attacker's key
    forged = sign_pdf(
        rendered.pdf.read_bytes(),
        attacker,
        field_name="SignOff-1",
        reason="Sign-off by 王芳 (数据保护官 DPO): approve",
        name="王芳",
    )
    pdf = tmp_path / "forged.pdf"
    pdf.write_bytes(forged)
    code, out = _verify(pdf, *_anchors(keys, "org", "wang", "alex", "li"))
    assert code == 1, out
    assert f"signer not trusted: {attacker.certificate.subject}" in out
    assert "sign-off by '王芳' is signed with a certificate that is not theirs" in out


def test_a_reviewers_real_key_cannot_sign_off_for_another(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    """A certificate for 王芳 on a signature that says "Sign-off by Alex Morgan" fails,
    although 王芳's certificate is trusted."""
    forged = sign_pdf(
        rendered.pdf.read_bytes(),
        keys.key("wang"),
        field_name="SignOff-2",
        reason="Sign-off by Alex Morgan (Risk officer): approve",
        name="Alex Morgan",
    )
    pdf = tmp_path / "forged.pdf"
    pdf.write_bytes(forged)
    code, out = _verify(pdf, *_anchors(keys, "org", "wang", "alex", "li"))
    assert code == 1, out
    assert "sign-off by 'Alex Morgan' is signed with the certificate of '王芳'" in out


@pytest.mark.parametrize("encrypted", [True, False])
def test_a_pkcs12_file_is_a_trust_anchor(
    rendered: Rendered, keys: Keys, tmp_path: Path, encrypted: bool
) -> None:
    anchor = keys.p12("org")
    if not encrypted:
        org = keys.key("org")
        key, cert, _ = pkcs12.load_key_and_certificates(org.pkcs12, org.password)
        assert isinstance(key, rsa.RSAPrivateKey) and cert is not None
        anchor = tmp_path / "org-plain.p12"
        anchor.write_bytes(
            pkcs12.serialize_key_and_certificates(b"org", key, cert, None, NoEncryption())
        )
    code, out = _verify(rendered.pdf, "--trust", str(anchor))
    assert code == 0, out


def test_a_locked_pkcs12_anchor_without_its_password_is_exit_2(
    rendered: Rendered, keys: Keys
) -> None:
    result = CliRunner().invoke(
        cli, ["verify", str(rendered.pdf), "--trust", str(keys.p12("org"))], env={}
    )
    assert result.exit_code == 2, result.output
    assert "org.p12: cannot open the PKCS#12 file: it needs a password" in result.output


def test_a_directory_of_certificates_and_der_are_anchors(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    assert _verify(rendered.pdf, "--trust", str(keys.folder))[0] == 0
    der = tmp_path / "org.der"
    der.write_bytes(load_certificate(keys.pem("org")).der)
    assert _verify(rendered.pdf, "--trust", str(der))[0] == 0
    junk = tmp_path / "junk.pem"
    junk.write_text("hello", encoding="utf-8")
    code, out = _verify(rendered.pdf, "--trust", str(junk))
    assert code == 2 and "junk.pem: not a PEM, DER or PKCS#12 certificate" in out


def test_trust_anchors_and_reviewer_certificates_from_the_config(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    config = tmp_path / "review.toml"
    config.write_text(
        f'[report.trust]\ncertificates = ["{keys.pem("org")}"]\n'
        f'[[reviewers]]\nname = "王芳"\nrole = "DPO"\ncertificate = "{keys.pem("alex")}"\n',
        encoding="utf-8",
    )
    assert _verify(rendered.pdf, "--config", str(config))[0] == 0
    # 王芳's real signature, but the config binds 王芳 to another certificate
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(
        sign_pdf(
            rendered.pdf.read_bytes(),
            keys.key("wang"),
            field_name="SignOff-1",
            reason="Sign-off by 王芳 (数据保护官 DPO): approve",
        )
    )
    code, out = _verify(signed, "--config", str(config), *_anchors(keys, "wang"))
    assert code == 1
    assert "sign-off by '王芳' is signed with a certificate that is not theirs" in out


def test_text_from_the_pdf_cannot_print_a_fake_line(
    rendered: Rendered, keys: Keys, tmp_path: Path
) -> None:
    fake = "\n  signature [Report] Org: intact, covers entire file\n    trusted: yes\u202e"
    review = rendered.sample.review
    review = review.model_copy(
        update={"metadata": review.metadata.model_copy(update={"project": "Demo" + fake})}
    )
    pdf = render_signed(tmp_path, review, keys)
    code, out = _verify(pdf, *_anchors(keys, "org"))
    assert code == 0, out
    assert "Demo\\x0a  signature [Report] Org" in out
    assert "\\u202e" in out and "\u202e" not in out
    assert not any(line.startswith("    trusted: yes\\") for line in out.splitlines())
    assert sum(line.startswith("  signature [Report]") for line in out.splitlines()) == 1


def test_timestamps_from_a_local_tsa(rendered: Rendered, keys: Keys, tmp_path: Path) -> None:
    with local_tsa(tmp_path) as tsa:
        pdf = render_signed(tmp_path, rendered.sample.review, keys, "--timestamp-url", tsa.url)
    code, out = _verify(pdf, *_anchors(keys, "org"), "--trust", str(tsa.certificate))
    assert code == 0, out
    assert "timestamp (RFC 3161): " in out and "authority trusted" in out
    result = verify_report(pdf)
    assert result.signers[0].timestamp_authority is not None
    # the TSA's certificate is not an anchor: the timestamp is not trusted
    code, out = _verify(pdf, *_anchors(keys, "org"))
    assert code == 1
    assert "timestamp intact but its authority is not trusted" in out


def test_an_unreachable_tsa_is_exit_2(rendered: Rendered, keys: Keys, tmp_path: Path) -> None:
    review_json = tmp_path / "review.json"
    review_json.write_text(rendered.sample.review.to_json(), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "render",
            str(review_json),
            "--sign",
            str(keys.p12("org")),
            "--timestamp-url",
            "http://127.0.0.1:9/",
        ],
        env=PASSWORD_ENV,
    )
    assert result.exit_code == 2, result.output
    assert "the timestamp authority did not answer" in result.output


def test_demo_cert_writes_an_encrypted_private_key_store_and_its_certificate(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    out = tmp_path / "me.p12"
    refused = runner.invoke(cli, ["report", "demo-cert", str(out), "--name", "王芳"], env={})
    assert refused.exit_code == 2 and "REVIEW_SIGNING_PASSWORD" in refused.output
    made = runner.invoke(cli, ["report", "demo-cert", str(out), "--name", "王芳"], env=PASSWORD_ENV)
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" not in out.read_bytes()
    with pytest.raises(Exception, match="wrong password"):
        load_key(out, None)
    key = load_key(out, PASSWORD.encode())
    cert = load_certificate(tmp_path / "me.pem")
    assert cert.sha256 == key.certificate.sha256 and cert.common_name == "王芳"
    assert DEMO_ORGANISATION in cert.subject
    again = runner.invoke(cli, ["report", "demo-cert", str(out), "--name", "x"], env=PASSWORD_ENV)
    assert again.exit_code == 2 and "already exists" in again.output

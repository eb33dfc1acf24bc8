"""PAdES signatures on the report: the organisation's PKCS#12, or a self-signed demo key.

Every signature is an incremental update, so a reviewer's own signature is appended
after the organisation's without invalidating it; the first signature certifies the
document and allows exactly that (form filling and further signatures).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from review.core.certificates import Certificate
from review.core.errors import InputError
from review.core.fsio import atomic_write, read_input

DEMO_ORGANISATION = "review-pipeline demo - self-signed - not for production"


@dataclass(frozen=True)
class SigningKey:
    """Key material for one signer, as PKCS#12 bytes and their password."""

    pkcs12: bytes
    password: bytes | None
    source: str

    @property
    def certificate(self) -> Certificate:
        """The signer's certificate (the one verify reports and reviewers are bound to)."""
        _, cert, _ = pkcs12.load_key_and_certificates(self.pkcs12, self.password)
        assert cert is not None  # load_key and make_demo_key guarantee one
        return Certificate(cert.public_bytes(serialization.Encoding.DER), self.source)


MAX_COMMON_NAME = 64
"""X.509 (RFC 5280) bounds a certificate's common name to 64 characters."""


def demo_signer(project: str) -> str:
    """The demo certificate's name for a project: its name cut to fit a common name."""
    suffix = " (demo)"
    return project[: MAX_COMMON_NAME - len(suffix)] + suffix


def password_from_env(variable: str | None) -> bytes | None:
    """The PKCS#12 password from an environment variable (never from the command line)."""
    if not variable:
        return None
    value = os.environ.get(variable)
    return value.encode("utf-8") if value else None


def load_key(path: Path, password: bytes | None) -> SigningKey:
    """Read a PKCS#12 file and check that it opens with ``password``."""
    data = read_input(path, "PKCS#12 file")
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise InputError(
            path,
            "cannot open the PKCS#12 file: wrong password (it is read from "
            "$REVIEW_SIGNING_PASSWORD, or [report.signing] password_env), or not a PKCS#12 file",
        ) from None
    if key is None or cert is None:
        raise InputError(path, "the PKCS#12 file holds no private key and certificate")
    return SigningKey(data, password, str(path))


def make_demo_key(
    name: str, *, password: bytes | None = None, now: dt.datetime | None = None
) -> SigningKey:
    """A fresh self-signed key and certificate, for trying signatures out (not for
    production: nothing vouches for it but whoever hands its certificate over)."""
    if not 1 <= len(name) <= MAX_COMMON_NAME:
        raise InputError(
            None, f"a certificate name must be 1 to {MAX_COMMON_NAME} characters (X.509)"
        )
    when = now or dt.datetime.now(dt.UTC)
    # RSA keeps the signed report at PDF 1.7 (PAdES through the ESIC extension), as
    # PDF/A-3 requires; pyHanko marks ECDSA P-256 signatures as PDF 2.0 (ISO 32002).
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(when - dt.timedelta(days=1))
        .not_valid_after(when + dt.timedelta(days=2 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(name.encode(), key, cert, None, encryption)
    return SigningKey(data, password, "self-signed demo certificate")


def certificate_path(key_store: Path) -> Path:
    """Where the certificate of a key store is written: beside it, as PEM."""
    return key_store.with_suffix(".pem")


def save_key_store(key: SigningKey, path: Path) -> Path:
    """Write the key store (owner-only, mode 0600) and its certificate (PEM) beside it."""
    atomic_write(path, key.pkcs12, private=True)
    cert = key.certificate.parsed.public_bytes(serialization.Encoding.PEM)
    pem = certificate_path(path)
    atomic_write(pem, cert)
    return pem


def demo_key_store(path: Path, name: str, password: bytes | None) -> SigningKey:
    """The project's self-signed demo key: made once at ``path``, then reused, so that
    its reports can be verified against the certificate written beside it."""
    if path.exists():
        return load_key(path, password)
    key = make_demo_key(name, password=password)
    save_key_store(key, path)
    return SigningKey(key.pkcs12, password, str(path))


def sign_pdf(
    pdf: bytes,
    key: SigningKey,
    *,
    field_name: str,
    reason: str,
    name: str | None = None,
    certify: bool = False,
    timestamp_url: str | None = None,
    prepare: Callable[[Any], None] | None = None,
    appearance: Any = None,
) -> bytes:
    """Append one PAdES signature to ``pdf`` as an incremental update: B-B, or B-T with
    an RFC 3161 timestamp when a timestamp authority is configured.

    ``prepare`` may fill form fields in the same update (before the signature is made);
    ``appearance`` is the pyHanko stamp style a visible signature field is drawn with.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(key.pkcs12, (), passphrase=key.password)
    except ValueError:
        raise InputError(key.source, "cannot load the signing key (wrong password?)") from None
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=name,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if prepare is not None:
        prepare(writer)
    stamper = HTTPTimeStamper(timestamp_url, timeout=30) if timestamp_url else None
    try:
        out = signers.PdfSigner(
            meta, signer=signer, timestamper=stamper, stamp_style=appearance
        ).sign_pdf(writer)
    except Exception as exc:  # the TSA's HTTP and protocol errors come in many kinds
        if stamper is None:
            raise
        raise InputError(
            timestamp_url, f"the timestamp authority did not answer ({type(exc).__name__})"
        ) from None
    signed: bytes = out.getvalue()
    return signed


def add_update(pdf: bytes, prepare: Callable[[Any], None]) -> bytes:
    """Append one unsigned incremental update made by ``prepare`` (e.g. form fields)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer: Any = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    prepare(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

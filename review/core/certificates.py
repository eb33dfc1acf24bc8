"""X.509 certificates as trust anchors and reviewer identities: reading, naming, fingerprints.

A certificate is read from PEM, DER or PKCS#12 (the certificates in it, not the key), or
from every such file in a directory. Certificates are identified by the SHA-256 of their
DER bytes, written as colon-separated upper-case hex pairs, the way openssl and browsers
print them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID

from review.core.errors import InputError
from review.core.fsio import read_input

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der", ".p12", ".pfx")
PKCS12_PASSWORD_ENV = "REVIEW_SIGNING_PASSWORD"


@dataclass(frozen=True)
class Certificate:
    """One certificate and what people check about it."""

    der: bytes
    source: str

    @property
    def parsed(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.der)

    @property
    def sha256(self) -> str:
        return fingerprint(self.der)

    @property
    def subject(self) -> str:
        return self.parsed.subject.rfc4514_string()

    @property
    def issuer(self) -> str:
        return self.parsed.issuer.rfc4514_string()

    @property
    def common_name(self) -> str:
        return common_name(self.parsed)

    @property
    def not_before(self) -> dt.datetime:
        return self.parsed.not_valid_before_utc

    @property
    def not_after(self) -> dt.datetime:
        return self.parsed.not_valid_after_utc


def fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate's DER bytes as 'AB:CD:…' (64 hex digits)."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalise_fingerprint(value: str) -> str:
    """'ab:cd…', 'abcd…' or 'AB CD …' -> 'AB:CD:…'; ValueError when not 64 hex digits."""
    digits = "".join(ch for ch in value if ch not in ": ").upper()
    if len(digits) != 64 or any(ch not in "0123456789ABCDEF" for ch in digits):
        raise ValueError("not a SHA-256 fingerprint (64 hex digits)")
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def common_name(cert: x509.Certificate) -> str:
    """The subject's common name, or the whole subject when it has none."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        value = names[0].value
        return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return cert.subject.rfc4514_string()


def _from_pkcs12(data: bytes, path: Path) -> list[bytes]:
    env = os.environ.get(PKCS12_PASSWORD_ENV)
    passwords: list[bytes | None] = [None, b""]
    if env:
        passwords.append(env.encode("utf-8"))
    for password in passwords:
        try:
            _, cert, extra = pkcs12.load_key_and_certificates(data, password)
        except ValueError:
            continue
        found = ([cert] if cert is not None else []) + list(extra)
        if not found:
            raise InputError(path, "the PKCS#12 file holds no certificate")
        return [c.public_bytes(Encoding.DER) for c in found]
    raise InputError(
        path,
        f"cannot open the PKCS#12 file: it needs a password (set ${PKCS12_PASSWORD_ENV}) "
        "or is damaged; or pass the certificate as PEM",
    )


def _from_bytes(data: bytes, path: Path) -> list[bytes]:
    if b"-----BEGIN" in data:
        try:
            return [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(data)]
        except ValueError:
            raise InputError(path, "no readable certificate in this PEM file") from None
    try:
        return [x509.load_der_x509_certificate(data).public_bytes(Encoding.DER)]
    except ValueError:
        pass
    if path.suffix.lower() in (".p12", ".pfx") or data[:1] == b"\x30":
        return _from_pkcs12(data, path)
    raise InputError(path, "not a PEM, DER or PKCS#12 certificate")


def load_certificates(path: Path) -> list[Certificate]:
    """Every certificate in a PEM/DER/PKCS#12 file, or in such files of a directory."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in CERTIFICATE_SUFFIXES)
        if not files:
            raise InputError(path, "no certificate files (.pem .crt .cer .der .p12 .pfx) here")
        return [cert for file in files for cert in load_certificates(file)]
    data = read_input(path, "certificate")
    return [Certificate(der, str(path)) for der in _from_bytes(data, path)]


def load_certificate(path: Path) -> Certificate:
    """The one certificate a reviewer signs with (the first, for a chain file)."""
    return load_certificates(path)[0]

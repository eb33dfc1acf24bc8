"""Keyed hashes of values, so baselines recognise cell findings without storing values.

A cell finding (one value in a cell or a line) is known across runs by a hash of its
value, not by its row: inserting a row above it must not make it new. The hash is keyed
and slow on purpose. The key is ``$REVIEW_FINGERPRINT_KEY`` when set (keep it as a CI
secret, and the same everywhere a baseline is made or checked: then a hash in a SARIF file
tells an outsider nothing); otherwise the documented constant ``DEFAULT_KEY``, which makes
baselines reproducible on any machine with no setup. Stretching (PBKDF2-HMAC-SHA256,
``ROUNDS`` rounds) makes guessing a value from its hash expensive even with the
constant key; only the few findings of a run are hashed, never every cell.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata

DEFAULT_KEY = "review-pipeline/value-key/v1"
KEY_VARIABLE = "REVIEW_FINGERPRINT_KEY"
ROUNDS = 50_000


def fingerprint_key(environ: dict[str, str] | None = None) -> bytes:
    """The key for value hashes: the environment's, else the documented constant."""
    env = os.environ if environ is None else environ
    return (env.get(KEY_VARIABLE) or DEFAULT_KEY).encode("utf-8")


def value_key(value: str, key: bytes | None = None) -> str:
    """Keyed, stretched hash (16 hex digits) of a value; equal for NFKC-equal values."""
    normal = unicodedata.normalize("NFKC", value).strip()
    digest = hashlib.pbkdf2_hmac("sha256", normal.encode("utf-8"), key or fingerprint_key(), ROUNDS)
    return digest.hex()[:16]

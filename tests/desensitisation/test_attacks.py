"""Reversing token columns by attack: the planted defects, and each attack on its own."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import json
import secrets
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from faker import Faker

from review.cli.main import cli
from review.scanners.desensitisation.attack import (
    Attempt,
    Budget,
    Recovery,
    attack,
    resident_id_check,
)
from review.scanners.pii.detect import find_spans

SALT = "q9z1"  # a short constant salt, as people pick them, not in any word list
PLANTED = {
    "phone_sha16": lambda p, key: hashlib.sha256(p.encode()).hexdigest()[:16],
    "phone_md5_8": lambda p, key: hashlib.md5(p.encode(), usedforsecurity=False).hexdigest()[:8],
    "phone_b64": lambda p, key: base64.b64encode(p.encode()).decode(),
    "phone_salted": lambda p, key: hashlib.sha256((SALT + p).encode()).hexdigest(),
    "phone_sha256": lambda p, key: hashlib.sha256(p.encode()).hexdigest(),
    "phone_hmac": lambda p, key: hmac.new(key, p.encode(), hashlib.sha256).hexdigest(),
}


def _customers(folder: Path, rows: int, columns: list[str]) -> list[str]:
    fake = Faker("zh_CN")
    fake.seed_instance(2026)
    key = secrets.token_bytes(32)
    phones = [fake.phone_number() for _ in range(rows)]
    with (folder / "raw.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "name", "phone"])
        for i, phone in enumerate(phones):
            writer.writerow([f"C{i:05d}", fake.name(), phone])
    with (folder / "masked.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", *columns])
        for i, phone in enumerate(phones):
            writer.writerow([f"C{i:05d}", *(PLANTED[c](phone, key) for c in columns)])
    return phones


def _reversed(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    findings = document["findings"]
    return {
        f["location"]["column"]: f for f in findings if f["rule_id"].endswith("reversible_token")
    }


def test_planted_defects_with_raw(runner: CliRunner, tmp_path: Path) -> None:
    phones = _customers(tmp_path, 1000, list(PLANTED))
    result = runner.invoke(
        cli,
        [
            "desensitise", "check", str(tmp_path / "masked.csv"),
            "--raw", str(tmp_path / "raw.csv"), "--attack-seconds", "15", "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    found = _reversed(document)
    assert set(found) == set(PLANTED) - {"phone_hmac"}
    assert "first 16 hex digits of SHA-256" in found["phone_sha16"]["title"]["en"]
    assert "first 8 hex digits of MD5" in found["phone_md5_8"]["title"]["en"]
    assert "base64" in found["phone_b64"]["title"]["en"]
    assert "constant salt" in found["phone_salted"]["title"]["en"]
    assert "unsalted SHA-256" in found["phone_sha256"]["title"]["en"]
    for finding in found.values():
        assert finding["severity"] == "high"
        assert "recovered 1000 of 1000 values (100.0%)" in finding["message"]["en"]
    (dataset,) = document["datasets"]
    hmac_check = next(
        c
        for c in dataset["checks"]
        if c["column"] == "phone_hmac" and c["check"] == "pseudonym_quality"
    )
    assert hmac_check["recovered"] == 0 and "salt search" in hmac_check["attacks"]
    assert not any(p in result.output for p in phones)
    assert SALT not in result.output


@pytest.mark.slow
def test_planted_defects_without_raw(runner: CliRunner, tmp_path: Path) -> None:
    # Without the raw file: base64 decodes to phone numbers; the unsalted SHA-256 falls to
    # the walk over mobile numbers; the keyed HMAC survives the whole budget.
    _customers(tmp_path, 1000, ["phone_b64", "phone_sha256", "phone_hmac"])
    result = runner.invoke(
        cli,
        [
            "desensitise", "check", str(tmp_path / "masked.csv"),
            "--attack-seconds", "30", "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    found = _reversed(json.loads(result.output))
    assert set(found) == {"phone_b64", "phone_sha256"}
    assert "enumerating" in found["phone_sha256"]["message"]["en"]


PHONES = [f"1380013{i:04d}" for i in range(40)]


def _known(values: list[str]) -> list[str | None]:
    return list(values)


@pytest.mark.parametrize(
    ("encode", "method"),
    [
        (lambda p: base64.b32encode(p.encode()).decode(), "base32"),
        (lambda p: p.encode().hex(), "hex of the text"),
        (lambda p: urllib.parse.quote(f"张{p}"), "URL-encoding"),
        (lambda p: p[::-1], "reversed text"),
        (lambda p: "".join(str((int(c) + 3) % 10) for c in p), "digit rotation by 3"),
    ],
)
def test_encodings_with_raw(encode: object, method: str) -> None:
    assert callable(encode)
    tokens = [encode(p) for p in PHONES]
    raws = [f"张{p}" if method == "URL-encoding" else p for p in PHONES]
    found = attack(tokens, known=_known(raws), budget=Budget(1))
    assert isinstance(found, Recovery), found
    assert found.method.en.startswith(method)
    assert len(found.recovered) == len(PHONES)


def test_digit_rotation_without_raw_needs_the_analyzer() -> None:
    tokens = ["".join(str((int(c) + 7) % 10) for c in p) for p in PHONES]
    found = attack(tokens, analyzer=find_spans, budget=Budget(1))
    assert isinstance(found, Recovery) and found.source == "decoding"
    assert found.method.en.startswith("digit rotation by 7")


def test_substitution_table_learnt_from_known_pairs() -> None:
    fake = Faker()
    fake.seed_instance(9)
    table = str.maketrans("0123456789", "7305918264")
    raws = [f"1{fake.numerify('##########')}" for _ in range(200)]
    found = attack([r.translate(table) for r in raws], known=_known(raws), budget=Budget(1))
    assert isinstance(found, Recovery)
    assert "character substitution" in found.method.en
    assert found.share == 1.0
    # A keyed, format-preserving scramble (different per value) teaches nothing.
    shuffled = [
        "".join(sorted(r, key=lambda c: hashlib.sha256((r + c).encode()).digest())) for r in raws
    ]
    assert isinstance(attack(shuffled, known=_known(raws), budget=Budget(0.2)), Attempt)


def test_hmac_with_a_guessable_key_and_a_salt_from_the_column_name() -> None:
    keyed = [hmac.new(b"secret", p.encode(), hashlib.sha256).hexdigest() for p in PHONES]
    found = attack(keyed, known=_known(PHONES), budget=Budget(5))
    assert isinstance(found, Recovery) and "HMAC key" in found.method.en
    salted = [hashlib.md5(f"{p}|mobile_salt".encode()).hexdigest() for p in PHONES]
    found = attack(salted, known=_known(PHONES), hints=["mobile"], budget=Budget(5))
    assert isinstance(found, Recovery) and "unsalted MD5 with a constant salt" in found.method.en


def test_resident_ids_enumerated_from_region_codes_in_the_file() -> None:
    stem = "11010519900101"
    ids = [f"{stem}{seq:03d}" + resident_id_check(f"{stem}{seq:03d}") for seq in (7, 123)]
    tokens = [hashlib.sha1(i.encode(), usedforsecurity=False).hexdigest() for i in ids]
    found = attack(tokens, entity="CN_RESIDENT_ID", regions=["110105"], budget=Budget(10))
    assert isinstance(found, Recovery) and found.source == "enumeration"
    assert found.recovered == (0, 1)
    # With no region code to start from the space is too large: nothing is claimed.
    assert isinstance(attack(tokens, entity="CN_RESIDENT_ID", budget=Budget(1)), Attempt)


def test_resident_id_check_character() -> None:
    # GB 11643 worked example: 11010519491231002 -> X.
    assert resident_id_check("11010519491231002") == "X"

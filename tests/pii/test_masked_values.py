"""``pii scan`` and ``desensitise check`` agree on what a masked value is: none is a finding.

Masks, pseudonyms, hashes, generalised values and ``<ENTITY>`` tokens written by our own
``desensitise apply`` are run back through ``pii scan``; the masked table of the core
(``review.core.masking``) is the one both sides read.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker
from presidio_analyzer import AnalyzerEngine

from review.cli.main import cli
from review.core.masking import MASK_RULES, MaskShape, holds_mask, mask
from review.scanners.desensitisation.suggest import BY_ENTITY
from review.scanners.pii.detect import analyze_text
from review.scanners.pii.engine import from_presidio
from tests import synthetic as syn

_rng = random.Random(21)
_en, _zh = Faker("en_US"), Faker("zh_CN")
_en.seed_instance(21)
_zh.seed_instance(21)
VALUES: dict[str, Callable[[], str]] = {
    "CN_RESIDENT_ID": lambda: syn.resident_id(_rng),
    "CN_MOBILE_PHONE": lambda: syn.mobile(_rng),
    "CN_BANK_CARD": lambda: syn.bank_card(_rng),
    "CREDIT_CARD": _en.credit_card_number,
    "EMAIL_ADDRESS": _en.email,
    "PERSON": _zh.name,
    "CN_PASSPORT": lambda: syn.passport(_rng),
    "CN_HMT_PERMIT": lambda: syn.hmt_permit(_rng),
    "CN_USCC": lambda: syn.uscc(_rng),
    "HK_ID_CARD": lambda: syn.hkid(_rng),
    "TW_NATIONAL_ID": lambda: syn.tw_id(_rng),
    "CN_LICENSE_PLATE": lambda: syn.plate(_rng),
    "PHONE_NUMBER": _en.phone_number,
    "IBAN_CODE": _en.iban,
    "US_SSN": _en.ssn,
    "IP_ADDRESS": _en.ipv4,
}
SHAPES = ["1*", "2*1", "3*4", "3*2", "6*4", "4*4", "1*2", "0*4", "3*", "*4", "1*@"]


@pytest.mark.parametrize("entity", sorted(VALUES))
def test_a_masked_value_is_no_finding_whatever_its_shape(entity: str) -> None:
    for _ in range(60):
        value = VALUES[entity]()
        for shape in (str(MASK_RULES[entity].shape), _rng.choice(SHAPES)):
            masked = MaskShape.parse(shape).apply(value)
            for header in ((), (entity.lower(),)):
                assert analyze_text(masked, context=header) == [], (shape, masked)


@pytest.mark.parametrize(
    "text", ["s***@example.com", "邮箱a*******@example.org，", "x*@example.net"]
)
def test_a_masked_address_is_neither_an_address_nor_a_url(text: str) -> None:
    assert analyze_text(text) == []


def test_an_email_domain_is_not_a_url_of_its_own() -> None:
    hits = analyze_text("mail bob@example.invalidtld or bob@mailbox.cn")
    assert [h.entity_type for h in hits] == ["EMAIL_ADDRESS"]


@pytest.mark.parametrize("text", ["备注<PERSON_39825979>，", "<CN_MOBILE_PHONE_04796669>"])
def test_a_typed_pseudonym_is_no_finding(text: str) -> None:
    assert analyze_text(text) == []


def test_masks_in_free_text_are_no_findings_but_what_is_left_is() -> None:
    text = "客户手机138****5678，身份证110101********123X，邮箱s***@example.com，备用13912345678"
    hits = analyze_text(text)
    assert [text[h.start : h.end] for h in hits] == ["13912345678"]
    assert not any(holds_mask(text[h.start : h.end]) for h in hits)


def test_one_table_drives_evidence_suggestions_and_limits() -> None:
    for entity, policy in BY_ENTITY.items():
        if policy.action == "mask":
            assert policy.shape == str(MASK_RULES[entity].shape)
    assert mask("13812345678", "CN_MOBILE_PHONE") == MASK_RULES["CN_MOBILE_PHONE"].shape.apply(
        "13812345678"
    )
    assert MASK_RULES["CREDIT_CARD"].most_visible == 10  # PCI DSS: first 6 and last 4


HEADER = [
    "姓名", "身份证号", "手机号", "email", "bank_card", "credit_card", "address",
    "birth_date", "age", "postcode", "passport", "member_id", "ip", "notes",
    "notes_masked", "notes_pseudonyms",
]  # fmt: skip
POLICY = """
[[desensitisation.datasets]]
masked = "masked.csv"
raw = "raw.csv"

[desensitisation.datasets.columns]
"姓名" = { action = "mask", role = "direct", shape = "1*", entity = "PERSON" }
"身份证号" = { action = "mask", role = "direct", shape = "6*4", entity = "CN_RESIDENT_ID" }
"手机号" = { action = "mask", role = "direct", shape = "3*4", entity = "CN_MOBILE_PHONE" }
"email" = { action = "mask", role = "direct", shape = "1*@", entity = "EMAIL_ADDRESS" }
"bank_card" = { action = "mask", role = "direct", shape = "6*4", entity = "CN_BANK_CARD" }
"credit_card" = { action = "mask", role = "direct", shape = "4*4", entity = "CREDIT_CARD" }
"address" = { action = "generalise", role = "quasi", rule = "address-city" }
"birth_date" = { action = "generalise", role = "quasi", rule = "date-month" }
"age" = { action = "generalise", role = "quasi", rule = "age-band:10" }
"postcode" = { action = "generalise", role = "quasi", rule = "prefix:3" }
"passport" = { action = "pseudonymise", role = "direct", entity = "CN_PASSPORT" }
"member_id" = { action = "hash", role = "direct", entity = "CN_HMT_PERMIT" }
"ip" = { action = "suppress", role = "direct", entity = "IP_ADDRESS" }
"notes" = { action = "redact", role = "other" }
"notes_masked" = { action = "redact", role = "other", replace = "mask" }
"notes_pseudonyms" = { action = "redact", role = "other", replace = "pseudonym" }
"""


def _raw(path: Path, rows: int = 120) -> None:
    rng = random.Random(22)
    zh, en = Faker("zh_CN"), Faker("en_US")
    zh.seed_instance(22)
    en.seed_instance(22)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(rows):
            writer.writerow(
                [
                    zh.name(), syn.resident_id(rng), syn.mobile(rng), en.email(safe=False),
                    syn.bank_card(rng), en.credit_card_number(), zh.address(),
                    zh.date_of_birth().isoformat(), rng.randrange(18, 80), zh.postcode(),
                    syn.passport(rng), syn.hmt_permit(rng), en.ipv4(),
                    *(
                        f"来电号码{syn.mobile(rng)}，邮箱{en.email(safe=False)}，证件{syn.resident_id(rng)}"
                        for _ in range(3)
                    ),
                ]
            )  # fmt: skip


def test_what_desensitise_apply_writes_pii_scan_does_not_report(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEW_PSEUDONYM_KEY", "k" * 32)
    monkeypatch.chdir(tmp_path)
    _raw(tmp_path / "raw.csv")
    (tmp_path / "review.toml").write_text(POLICY, encoding="utf-8")
    applied = runner.invoke(
        cli, ["desensitise", "apply", "raw.csv", "--out", "masked.csv", "--config", "review.toml"]
    )
    assert applied.exit_code in (0, 1), applied.output
    masked = (tmp_path / "masked.csv").read_text(encoding="utf-8")
    assert "****" in masked and "<CN_MOBILE_PHONE>" in masked and "<EMAIL_ADDRESS_" in masked

    scanned = runner.invoke(
        cli, ["pii", "scan", "masked.csv", "--format", "json", "--fail-on", "medium"]
    )
    document = json.loads(scanned.stdout)
    # What is left of an address generalised to its city is a place, a low LOCATION;
    # nothing masked, pseudonymised, hashed or redacted is reported.
    left = {(f["column"], f["entity_type"]) for f in document["findings"]}
    assert left == {("address", "LOCATION")}, document["findings"][:3]
    assert scanned.exit_code == 0  # low: below --fail-on medium

    checked = runner.invoke(
        cli, ["desensitise", "check", "masked.csv", "--config", "review.toml", "--format", "json"]
    )
    rules = {f["rule_id"] for f in json.loads(checked.stdout)["findings"]}
    assert "desensitisation.residual_identifier" not in rules
    assert "desensitisation.unmasked" not in rules


@pytest.mark.parametrize(
    "text",
    [
        "s***@example.com",
        "mail bob@example.invalidtld or bob@mailbox.cn",
        "客户手机138****5678，邮箱s***@example.com，备用13912345678",
        "see https://example.com/a*b and https://example.com/ab",
    ],
)
def test_presidio_with_the_same_recognizers_agrees(text: str, presidio: AnalyzerEngine) -> None:
    expected = from_presidio(presidio.analyze(text, language="en"), 0.4)
    assert analyze_text(text) == expected

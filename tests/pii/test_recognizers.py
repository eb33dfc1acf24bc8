"""Per-recognizer true/false tables: valid, bad check digit, glued to Chinese, inside digit runs."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from presidio_analyzer import AnalyzerEngine

from review.scanners.pii import validators as v
from review.scanners.pii.detect import analyze_text, default_analyzer
from review.scanners.pii.engine import _Features, from_presidio
from review.scanners.pii.recognizers import ENTITY_TYPES, RECOGNIZERS, build_recognizers, cjk_safe
from tests import synthetic as syn

ID = "11010119900307803X"  # valid MOD 11-2 check
CASES: list[tuple[str, str, str | None]] = [
    # (entity, text, expected match or None)
    ("CN_RESIDENT_ID", ID, ID),
    ("CN_RESIDENT_ID", "身份证号" + ID + "，", ID),
    ("CN_RESIDENT_ID", "110101199003078035", None),  # wrong check char
    ("CN_RESIDENT_ID", "110101199002307016", None),  # 30 February
    ("CN_RESIDENT_ID", "9" + ID[:-1] + "0", None),  # inside a longer digit run
    ("CN_MOBILE_PHONE", "手机号13812345678，", "13812345678"),
    ("CN_MOBILE_PHONE", "+86 138-1234-5678", "+86 138-1234-5678"),
    ("CN_MOBILE_PHONE", "电话12812345678", None),  # 12x is no mobile prefix
    ("CN_MOBILE_PHONE", "订单号913812345678123", None),  # inside a digit run
    ("CN_BANK_CARD", "卡号6222021106658035179。", "6222021106658035179"),
    ("CN_BANK_CARD", "6222021106658035170", None),  # Luhn fails
    ("CN_BANK_CARD", "16222021106658035179", None),
    ("CREDIT_CARD", "信用卡4111111111111111，", "4111111111111111"),
    ("CREDIT_CARD", "4111111111111112", None),
    ("CN_USCC", "代码91350100M000100Y43。", "91350100M000100Y43"),
    ("CN_USCC", "91350100M000100Y44", None),
    ("HK_ID_CARD", "香港身份证A123456(3)。", "A123456(3)"),
    ("HK_ID_CARD", "A123456(4)", None),
    ("TW_NATIONAL_ID", "身分證A123456789，", "A123456789"),
    ("TW_NATIONAL_ID", "A123456788", None),
    ("TW_NATIONAL_ID", "XA123456789", None),
    ("CN_PASSPORT", "护照号E12345678，", "E12345678"),
    ("CN_PASSPORT", "护照号E123456789", None),
    ("CN_HMT_PERMIT", "回乡证H12345678，", "H12345678"),
    ("CN_LICENSE_PLATE", "车牌粤B12345，", "粤B12345"),
    ("CN_LICENSE_PLATE", "车牌粤BD12345，", "粤BD12345"),  # new-energy
    ("CN_LICENSE_PLATE", "车牌粤BABCDE", None),
    ("EMAIL_ADDRESS", "邮箱a.b@qq.com。", "a.b@qq.com"),
    ("EMAIL_ADDRESS", "a.b@example.invalidtld", None),
    # Reserved for examples and tests (RFC 2606 / 6761): nobody's mailbox.
    ("EMAIL_ADDRESS", "联系alice@example.com。", None),
    ("EMAIL_ADDRESS", "bob@mail.example.org", None),
    ("EMAIL_ADDRESS", "carol@example.net", None),
    ("EMAIL_ADDRESS", "dave@ci.test", None),
    ("EMAIL_ADDRESS", "erin@nowhere.invalid", None),
    ("EMAIL_ADDRESS", "frank@examples.com", "frank@examples.com"),
    ("URL", "见 https://www.example.com/docs", None),
    ("CN_ADDRESS", "住址北京市朝阳区建国路88号，", "北京市朝阳区建国路88号"),
    ("CN_ADDRESS", "地址不详", None),
    ("PERSON", "您好，我叫金燕，手机号16509012861", "金燕"),
    ("PERSON", "客户投诉物流延迟", None),
    ("IP_ADDRESS", "登录地址192.168.1.20，", "192.168.1.20"),
    ("CN_ADDRESS", "住址广州市天河区体育西路1号", "广州市天河区体育西路1号"),
    ("US_SSN", "SSN 536-90-4399.", "536-90-4399"),
    ("IBAN_CODE", "账户GB82WEST12345698765432。", "GB82WEST12345698765432"),
    ("PHONE_NUMBER", "call +1 415-555-2671 now", "+1 415-555-2671"),
]


@pytest.mark.parametrize(("entity", "text", "expected"), CASES)
def test_recognizer_table(entity: str, text: str, expected: str | None) -> None:
    found = [text[h.start : h.end] for h in analyze_text(text) if h.entity_type == entity]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text", [t for _, t, _ in CASES])
def test_fast_engine_matches_presidio(text: str, presidio: AnalyzerEngine) -> None:
    assert analyze_text(text) == from_presidio(presidio.analyze(text, language="en"), 0.4)


def test_header_context_lifts_name_shaped_values() -> None:
    assert analyze_text("王坤") == []
    assert [h.entity_type for h in analyze_text("王坤", context=["姓名"])] == ["PERSON"]
    assert [h.entity_type for h in analyze_text("Dalton Davis", context=["name"])] == ["PERSON"]


def test_entities_filter() -> None:
    text = "手机号13812345678，邮箱a@163.com"
    assert {h.entity_type for h in analyze_text(text, ["EMAIL_ADDRESS"])} == {"EMAIL_ADDRESS"}


def test_overlap_resolves_to_most_specific() -> None:
    # A Gansu resident ID starting 62 can also pass Luhn as a UnionPay-like number.
    rng = random.Random(7)
    for _ in range(200):
        value = syn.resident_id(rng)
        hits = analyze_text(value)
        assert [h.entity_type for h in hits] == ["CN_RESIDENT_ID"], value


@pytest.mark.parametrize(
    ("make", "check"),
    [
        (syn.resident_id, v.valid_resident_id),
        (syn.bank_card, v.valid_bank_card),
        (syn.uscc, v.valid_uscc),
        (syn.hkid, v.valid_hkid),
        (syn.tw_id, v.valid_tw_id),
    ],
)
def test_generators_make_valid_values_and_one_changed_digit_fails(make, check) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(1)
    for _ in range(100):
        value = make(rng)
        assert check(value)
        last = value.rstrip(")")[-1]
        swapped = "1" if last != "1" else "2"
        bad = value[: value.rstrip(")").rfind(last)] + swapped + value[len(value.rstrip(")")) :]
        assert not check(bad) or bad == value


def test_cjk_safe_rewrites_boundaries_only_outside_classes() -> None:
    assert "\\b" not in cjk_safe(r"\b\d+\b")
    assert cjk_safe(r"[\w.]") == "[0-9A-Za-z_\\u00C0-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF.]"


def test_registry_is_exhaustive() -> None:
    entities = {e for r in build_recognizers() for e in r.supported_entities}
    assert entities == set(ENTITY_TYPES)
    assert len(RECOGNIZERS) == len(build_recognizers())


def _mixed_texts() -> list[str]:
    from faker import Faker

    rng = random.Random(9)
    zh, en = Faker("zh_CN"), Faker("en_US")
    zh.seed_instance(9)
    en.seed_instance(9)
    makers: list[Callable[[], object]] = [
        zh.name, zh.ssn, zh.phone_number, zh.address, zh.email, en.name, en.credit_card_number,
        en.phone_number, en.ipv4, en.iban, en.ssn, en.sentence, zh.sentence,
        lambda: syn.bank_card(rng), lambda: syn.uscc(rng), lambda: syn.hkid(rng),
        lambda: syn.tw_id(rng), lambda: syn.passport(rng), lambda: syn.plate(rng),
    ]  # fmt: skip
    texts = []
    for _ in range(120):
        parts = [str(rng.choice(makers)()) for _ in range(rng.randrange(1, 4))]
        texts.append(rng.choice(["", "，", " ", "。联系"]).join(parts))
    return texts


@pytest.mark.parametrize("context", [(), ("手机号",), ("name",)])
def test_fast_engine_equals_presidio_engine_on_mixed_text(
    context: tuple[str, ...], presidio: AnalyzerEngine
) -> None:
    for text in _mixed_texts():
        expected = from_presidio(presidio.analyze(text, language="en", context=list(context)), 0.4)
        assert analyze_text(text, context=context) == expected, text


def _column_values() -> list[str]:
    """Values as columns hold them, plus near misses sharing their shapes."""
    rng = random.Random(11)
    values = []
    for _ in range(60):
        values += [
            syn.resident_id(rng),
            syn.mobile(rng),
            syn.bank_card(rng),
            f"user{rng.randrange(10**7)}@163.com",
            f"江西省东城县人民路{rng.randrange(1, 300)}号 {rng.randrange(100000, 999999)}",
            f"{rng.choice('江浙川粤')}城县路{rng.randrange(10**5, 10**6)}号",
            str(rng.randrange(10**10, 10**12)),
            f"62{rng.randrange(10**16, 10**17)}",
        ]
    return values


@pytest.mark.parametrize("primary", ENTITY_TYPES)
def test_primary_shortcut_equals_full_analysis(primary: str) -> None:
    # analyze_primary plans its gate once per text shape; it must still give exactly
    # what the full analysis gives, whichever entity a column is expected to hold.

    analyzer = default_analyzer()
    rank = {e: i for i, e in enumerate(ENTITY_TYPES)}
    entities = frozenset(e for e in ENTITY_TYPES if rank[e] <= rank[primary])
    for context in ((), ("address",)):
        for text in _column_values() + _mixed_texts()[:40]:
            expected = analyzer.analyze(text, entities, context)
            assert analyzer.analyze_primary(text, entities, context, primary) == expected, text


def test_texts_of_one_shape_have_the_same_gate_features() -> None:

    analyzer = default_analyzer()
    by_shape: dict[str, tuple[object, ...]] = {}
    odd = ["１２３４5", "a_1 é2", "Ωω12", "1-2/3.4 5", "1/2-3 4.5"]
    for text in _column_values() + _mixed_texts() + odd + SEPARATED:
        f = _Features(text)
        features = (
            f.length,
            f.letter,
            frozenset(f.runs),
            frozenset(f.bounded),
            f.span,
            tuple(map(f.chars.isdisjoint, analyzer._charsets)),
        )
        shape = text.translate(analyzer._shape_table)
        assert by_shape.setdefault(shape, features) == features, text


SEPARATED = [
    "手机 138 1234 5678，",
    "电话138-1234-5678",
    "+86 138 1234 5678 请回电",
    "card 4111-1111-1111-1111 exp",
    "信用卡 4111 1111 1111 1111。",
    "卡号6222 0211 0665 8035 179",
    "SSN 536.90.4399 and 536 90 4399",
    "ssn 53690-4399 / 536-904399",
    "maestro 5018 0000 0009",
    "住址广州市天河区体育西路1号 510000，电话 020-8888 1234",
    "订单 12.345.678.901 与 1-2-3-4-5-6-7-8-9",
]


@pytest.mark.parametrize("text", SEPARATED)
def test_fast_engine_equals_presidio_on_separated_numbers(
    text: str, presidio: AnalyzerEngine
) -> None:
    # Numbers written with spaces, dots or hyphens exercise the digit-span gates.
    for context in ((), ("card",)):
        expected = from_presidio(presidio.analyze(text, language="en", context=list(context)), 0.4)
        assert analyze_text(text, context=context) == expected

"""False alarms seen on real data, each as a real-looking sample (written here, not copied).

Every sample here was reported before the precision rules: URLs running on into Chinese
text, rows of a sports table, amounts, coordinates and order numbers as phone numbers,
a coordinate's fraction as a credit card, customer and session ids as passports.
"""

from __future__ import annotations

import random
import re

import pytest
from presidio_analyzer import AnalyzerEngine

from review.scanners.pii.detect import analyze_text
from review.scanners.pii.engine import from_presidio
from review.scanners.pii.phones import Verdict, judge

HAN_OR_FULL_WIDTH = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def found(text: str, entity: str, context: tuple[str, ...] = ()) -> list[str]:
    hits = analyze_text(text, context=context)
    return [text[h.start : h.end] for h in hits if h.entity_type == entity]


URL_POSTS = [
    ("分享一个链接http://t.cn/A6xYz9Qb服用一个星期就好了", "http://t.cn/A6xYz9Qb"),
    ("网址：https://www.shop-demo.cn/news/2024/0115.html，欢迎访问", "https://www.shop-demo.cn/news/2024/0115.html"),
    ("详情见https://shop-demo.cn/a?b=1&c=2（官方）", "https://shop-demo.cn/a?b=1&c=2"),
    ("打开www.example.cn/help查看帮助", "www.example.cn/help"),
    ("see https://shop-demo.com/path for more", "https://shop-demo.com/path"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "url"), URL_POSTS)
def test_a_url_ends_at_the_first_character_that_cannot_be_in_a_url(text: str, url: str) -> None:
    assert found(text, "URL") == [url]


def test_no_url_span_holds_a_han_character_or_full_width_punctuation() -> None:
    from faker import Faker

    zh = Faker("zh_CN")
    zh.seed_instance(3)
    rng = random.Random(3)
    for _ in range(200):
        url = zh.url() + rng.choice(["", "a/b", "x?id=7", "t/A6xYz9"])
        text = zh.sentence() + url + rng.choice(["", "，", "。", "（", "：", " "]) + zh.sentence()
        for span in found(text, "URL"):
            assert not HAN_OR_FULL_WIDTH.search(span), span


SPORTS_TABLE = [
    "BUFFALO 13 12 1 77 76 27",
    "NEW JERSEY 14 10 4 82 70 24",
    "Hartford 12 11 3 80 85 21",
]


@pytest.mark.parametrize("row", SPORTS_TABLE)
def test_a_row_of_a_table_of_numbers_is_no_phone_number(row: str) -> None:
    assert found(row, "PHONE_NUMBER") == []


def test_a_row_of_numbers_after_a_phone_word_still_counts() -> None:
    # Context is what a reader would go by: the same digits after 电话 are a number to call.
    assert found("电话 13 12 1 77 76 27", "PHONE_NUMBER") == ["13 12 1 77 76 27"]


AMOUNTS = ["16435.85", "3939.85", "3979.50", "订单号：532751312072921183，金额16812.72元"]


@pytest.mark.parametrize("text", AMOUNTS)
def test_a_decimal_amount_is_no_phone_number(text: str) -> None:
    assert found(text, "PHONE_NUMBER") == []


def test_no_amount_in_a_column_of_amounts_is_a_phone_number() -> None:
    rng = random.Random(4)
    for _ in range(600):
        amount = f"{rng.randrange(1, 100000)}.{rng.randrange(100):02d}"
        assert analyze_text(amount, context=("amount",)) == [], amount


ORDER_NUMBERS = ["490531438097138637", "861224413568944707", "订单490669277637399404已发货"]


@pytest.mark.parametrize("text", ORDER_NUMBERS)
def test_an_order_number_is_no_phone_number(text: str) -> None:
    assert found(text, "PHONE_NUMBER") == []


def test_a_digit_window_of_a_longer_number_is_no_phone_number() -> None:
    # python-phonenumbers reads the last 14 digits of a spaced order number as a German one.
    assert found("订单号 8361 07334245309843", "PHONE_NUMBER") == []
    assert judge("8361 07334245309843", 5, 19) is Verdict.WEAK
    assert judge("836107334245309843", 4, 18) is Verdict.DROP


COORDINATES = [
    "39.904211,116.407394",
    "(39.904211, 116.407394)",
    "GPS 30.274084,120.155070",
    "POINT(-103.99500588 25.65804242)",
    "lat=-31.444245&lng=15.922521",
    "16.18327899422262",  # a float printed in full: its fraction passes Luhn
]


@pytest.mark.parametrize("text", COORDINATES)
def test_a_coordinate_is_neither_a_phone_nor_a_card(text: str) -> None:
    assert analyze_text(text) == []


def test_full_precision_coordinates_are_never_cards_or_phones() -> None:
    rng = random.Random(5)
    for _ in range(500):
        text = f"{rng.uniform(-90, 90)!r},{rng.uniform(-180, 180)!r}"
        assert analyze_text(text, context=("location",)) == [], text


@pytest.mark.parametrize("text", ["C00000001", "C00012345", "S20250000", "S20250115", "H00001234"])
def test_record_ids_are_no_passports_or_permits_without_context(text: str) -> None:
    assert analyze_text(text, context=("customer_no",)) == []
    assert analyze_text(f"客户编号{text}，") == []


def test_record_id_shaped_documents_count_with_a_header_or_a_cue() -> None:
    assert found("S20250000", "CN_PASSPORT", context=("护照号",)) == ["S20250000"]
    assert found("回乡证号码H00001234", "CN_HMT_PERMIT") == ["H00001234"]
    # Numbers that do not read as a counter need no context, as before.
    assert found("E12345678", "CN_PASSPORT") == ["E12345678"]


STILL_PHONES = [
    ("call +1 415-555-2671 now", "+1 415-555-2671"),
    ("电话（020）8888-1234", "（020）8888-1234"),
    ("tel 415 555 2671 / 415 555 2672", "415 555 2671"),
    ("座机 010-62345678，", "010-62345678"),
    # Shapes of other countries: grouped in pairs with dots, 4-2-2-2, an extension,
    # a national part after a country code.
    ("They're not answering at 71-33-52-22", "71-33-52-22"),
    ("They're not answering at 0494 92 82 32 today", "0494 92 82 32"),
    ("Fax: 345-899-3560x4587", "345-899-3560x4587"),
    ("Desk: +41 (0)96 471 07 95 Fax: none", "(0)96 471 07 95"),
]


@pytest.mark.parametrize("text", ["2024-01-15", "15.01.2024", "创建于 2024-01-15 12:34:56"])
def test_a_date_or_a_time_is_no_phone_number(text: str) -> None:
    assert found(text, "PHONE_NUMBER") == []


@pytest.mark.parametrize(("text", "phone"), STILL_PHONES)
def test_phone_numbers_are_still_found(text: str, phone: str) -> None:
    assert phone in found(text, "PHONE_NUMBER")


SAMPLES = [
    *(t for t, _ in URL_POSTS),
    *SPORTS_TABLE,
    *AMOUNTS,
    *ORDER_NUMBERS,
    *COORDINATES,
    *(t for t, _ in STILL_PHONES),
    "客户编号C00000001，护照号S20250000",
    "电话 13 12 1 77 76 27",
    "订单号 8361 07334245309843",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_presidio_with_the_same_recognizers_agrees(text: str, presidio: AnalyzerEngine) -> None:
    for context in ((), ("phone",)):
        expected = from_presidio(presidio.analyze(text, language="en", context=list(context)), 0.4)
        assert analyze_text(text, context=context) == expected


# "ip" inside a word (flip, hip) is taken as context, lifting a bare "::" over the threshold.
@pytest.mark.parametrize("text", ["@flip_side :: [ Mix ]", "Hip hop :: new mixtape"])
def test_a_double_colon_between_words_is_no_ip_address(text: str) -> None:
    assert [h.entity_type for h in analyze_text(text)] == []


@pytest.mark.parametrize(
    "text", ["server 192.168.10.4 down", "v6 fe80::1 and 2001:db8::ff00:42:8329"]
)
def test_ip_addresses_are_still_found(text: str) -> None:
    assert "IP_ADDRESS" in {h.entity_type for h in analyze_text(text)}

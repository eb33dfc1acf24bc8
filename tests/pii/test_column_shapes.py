"""Columns without personal data are cheap, and exactly as right as the full analysis.

A column planned per shape (amounts, order numbers, timestamps, codes) must give what
the full analysis gives, and what Presidio's own engine gives, value by value: these
tests check that on randomised columns, on near misses of the same shapes, and on the
two proofs the plans rest on (pattern rewrites over classes, phone verdicts by class).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from presidio_analyzer import AnalyzerEngine

from review.scanners.pii.detect import default_analyzer
from review.scanners.pii.engine import FastAnalyzer, build_fast_analyzer, from_presidio
from review.scanners.pii.phones import CjkPhoneRecognizer, Verdict, can_count, judge
from review.scanners.pii.scan import ColumnScanner
from tests import synthetic as syn

Maker = Callable[[random.Random], str]


def _counter() -> Maker:
    numbers = iter(range(1, 10**9))
    return lambda rng: syn.record_id(rng, next(numbers) % 10_000)


def _near_miss(rng: random.Random) -> str:
    """Values a structured column also holds now and then, shaped like its others."""
    makers: list[Maker] = [
        syn.mobile, syn.resident_id, syn.bank_card, syn.passport, syn.hmt_permit,
        lambda r: f"{syn.mobile(r)}.{r.randrange(10)}",
        lambda r: f"{r.randrange(100, 999)}-{r.randrange(100, 999)}-{r.randrange(1000, 9999)}",
        lambda r: f"+86 {syn.mobile(r)}",
        lambda r: f"{r.randrange(1, 99)}.{r.randrange(10**6, 10**7)}",
        lambda r: f"2024-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}",
        lambda r: f"SKU-{r.choice('ABC')}{r.randrange(100, 999)}-{syn.mobile(r)}",
        lambda r: f"E{syn.digits(r, 8)}",
        lambda r: f"4111 1111 1111 {r.randrange(1000, 9999)}",
        lambda r: "192.168." + f"{r.randrange(256)}.{r.randrange(256)}",
    ]  # fmt: skip
    return rng.choice(makers)(rng)


COLUMNS: dict[str, Maker] = {
    "amount": syn.amount,
    "order_no": syn.order_number,
    "created_at": syn.timestamp,
    "sku": syn.product_code,
    "customer_no": _counter(),
    "location": syn.coordinate,
}
HEADERS = ("", "phone", "护照号", "date")


def _column(name: str, seed: int, size: int = 60) -> list[str]:
    rng = random.Random(seed)
    make = COLUMNS[name]
    values = [make(rng) for _ in range(size)]
    for i in rng.sample(range(size), size // 8):  # PII and look-alikes among the values
        values[i] = _near_miss(rng)
    return values


def _fresh() -> FastAnalyzer:
    """An analyzer with empty plan caches, so each test plans its shapes itself."""
    return build_fast_analyzer()


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_a_column_planned_per_shape_equals_the_full_analysis(name: str) -> None:
    analyzer = _fresh()
    for seed, header in enumerate(HEADERS):
        column = ColumnScanner(analyzer, header or name, None)
        for value in _column(name, seed):
            expected = analyzer.analyze(value, None, column.context)
            assert column.analyze(value) == expected, (header, value)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_a_column_planned_per_shape_equals_presidio(name: str, presidio: AnalyzerEngine) -> None:
    analyzer = _fresh()
    for seed, header in enumerate(HEADERS[:3]):
        column = ColumnScanner(analyzer, header or name, None)
        for i, value in enumerate(_column(name, 100 + seed)):
            hits = column.analyze(value)
            if i % 2:  # Presidio takes milliseconds a value: every other one is enough
                continue
            context = list(column.context)
            expected = from_presidio(presidio.analyze(value, language="en", context=context), 0.4)
            assert hits == expected, (header, value)


def test_an_entity_filter_is_kept_on_the_shape_path() -> None:
    analyzer = _fresh()
    wanted = frozenset({"PHONE_NUMBER", "DATE_TIME"})
    column = ColumnScanner(analyzer, "created_at", wanted)
    for value in _column("created_at", 7):
        assert column.analyze(value) == analyzer.analyze(value, wanted, column.context), value


def test_free_text_of_one_shape_still_has_its_names_and_addresses_found() -> None:
    # Messages differing only in their words share a shape; the names and addresses in
    # them must be found as the full analysis finds them, not planned away by shape.
    analyzer = _fresh()
    column = ColumnScanner(analyzer, "text", None)
    names = ["王小明", "李建国", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]
    cities = ["北京市朝阳区", "上海市浦东新区", "广州市天河区", "深圳市南山区"]
    values = [
        f"{rng}您好，我是{name}，住在{city}。" for rng in ("你", "您")
        for name in names for city in cities
    ]  # fmt: skip
    found = 0
    for value in values:
        expected = analyzer.analyze(value, None, column.context)
        found += bool(expected)
        assert column.analyze(value) == expected, value
    assert found == len(values)


def _texts() -> list[str]:
    texts = [v for name in sorted(COLUMNS) for v in _column(name, 3, size=60)]
    rng = random.Random(12)
    texts += [_near_miss(rng) for _ in range(200)]
    texts += [
        "电话 13 12 1 77 76 27", "BUFFALO 13 12 1 77 76 27", "tel (415) 555-2671",
        "住址广州市天河区体育西路1号 510000", "https://example.com/a?b=1，谢谢", "a.b@example.com",
        "PASSPORT E12345678", "IBAN GB82WEST12345698765432", "2024-01-15T12:34:56Z",
    ]  # fmt: skip
    return texts


def _same_shape(text: str, analyzer: FastAnalyzer, rng: random.Random) -> str:
    """Another text of ``text``'s shape: each character swapped for one of its class."""
    if not _MEMBERS:
        for char in map(chr, range(0x10000)):
            _MEMBERS.setdefault(analyzer.shape(char), []).append(char)
    return "".join(rng.choice(_MEMBERS[analyzer.shape(c)]) for c in text)


_MEMBERS: dict[str, list[str]] = {}


def test_a_pattern_that_matches_a_text_may_match_its_shape() -> None:
    # The rewrite over classes must never rule out a pattern that does match.
    analyzer = default_analyzer()
    rng = random.Random(11)
    texts = _texts()
    for text in texts + [_same_shape(t, analyzer, rng) for t in texts]:
        shape = analyzer.shape(text)
        for p in analyzer.patterns:
            if p.compiled.search(text):
                flags = p.flags & 26  # IGNORECASE | MULTILINE | DOTALL
                assert analyzer._alphabet.may_match(p.source, flags, shape), (p.source, text)


def test_texts_of_one_shape_get_the_same_phone_verdicts() -> None:
    analyzer = default_analyzer()
    rng = random.Random(13)
    for text in _texts()[::7]:
        other = _same_shape(text, analyzer, rng)
        assert analyzer.shape(other) == analyzer.shape(text)
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                assert judge(text, start, end) == judge(other, start, end), (text, other)


def test_the_shape_proof_rules_the_phone_matcher_out_only_where_nothing_could_count() -> None:
    assert not can_count("68736.26", context_possible=True)  # a decimal
    assert not can_count("490531438097138637", context_possible=True)  # too many digits
    assert not can_count("2024-01-15 12:34:56", context_possible=False)  # no phone shape
    assert can_count("2024-01-15 12:34:56", context_possible=True)  # 电话 could lift one
    assert can_count("13812345678", context_possible=False)
    assert judge("BUFFALO 13 12 1 77 76 27", 8, 24) is Verdict.WEAK


def test_structured_columns_skip_the_phone_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = CjkPhoneRecognizer.analyze

    def counting(self: CjkPhoneRecognizer, text: str, entities: list[str], nlp: object = None):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(self, text, entities, nlp)

    monkeypatch.setattr(CjkPhoneRecognizer, "analyze", counting)
    analyzer = _fresh()
    rng = random.Random(14)
    for name, make in (("amount", syn.amount), ("order_no", syn.order_number)):
        column = ColumnScanner(analyzer, name, None)
        for _ in range(300):
            column.analyze(make(rng))
    # Only the first value of each shape gets the full analysis (amounts have 5 shapes).
    assert len(calls) <= 8

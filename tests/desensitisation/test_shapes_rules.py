"""Mask shapes and generalisation rules: parametrized true/false tables."""

from __future__ import annotations

import pytest

from review.core.masking import Conformance, MaskShape, ShapeError
from review.scanners.desensitisation.generalise import RULES, RuleError, parse_rule


@pytest.mark.parametrize(
    ("shape", "value", "expected"),
    [
        ("3*4", "138****5678", Conformance.OK),
        ("3*4", "13812345678", Conformance.UNMASKED),
        ("3*4", "1381234**78", Conformance.OVER_REVEALING),
        ("3*4", "1********78", Conformance.MISMATCH),
        ("6*4", "110101********123X", Conformance.OK),
        ("6*4", "11010119900307****", Conformance.OVER_REVEALING),
        ("1*", "张*", Conformance.OK),
        ("1*", "欧**", Conformance.OK),
        ("1*", "欧阳**", Conformance.OVER_REVEALING),
        ("1*", "张三", Conformance.UNMASKED),
        ("1*", "*三", Conformance.MISMATCH),
        ("1*@", "y***@example.net", Conformance.OK),
        ("1*@", "yan90@example.net", Conformance.UNMASKED),
        ("1*@", "yan**@example.net", Conformance.OVER_REVEALING),
        ("1*@", "y***@*******.net", Conformance.MISMATCH),
        ("*", "***", Conformance.OK),
        ("3*4", "***", Conformance.OK),  # too short to show both ends: all masked
        ("3*4", "1**", Conformance.OVER_REVEALING),
    ],
)
def test_shape_check(shape: str, value: str, expected: Conformance) -> None:
    assert MaskShape.parse(shape).check(value) is expected


@pytest.mark.parametrize(
    ("shape", "value", "masked"),
    [
        ("3*4", "13812345678", "138****5678"),
        ("6*4", "11010119900307123X", "110101********123X"),
        ("1*", "欧阳娜娜", "欧***"),
        ("1*@", "yan90@example.net", "y****@example.net"),
        ("3*4", "12", "**"),
    ],
)
def test_shape_apply_conforms(shape: str, value: str, masked: str) -> None:
    parsed = MaskShape.parse(shape)
    assert parsed.apply(value) == masked
    assert parsed.check(masked) is Conformance.OK


@pytest.mark.parametrize("bad", ["", "34", "3**4", "a*4", "3*4@@", "1234*"])
def test_shape_parse_rejects(bad: str) -> None:
    with pytest.raises(ShapeError):
        MaskShape.parse(bad)


# One (raw, generalised, non-conforming) example per registered rule.
RULE_CASES = {
    "age-band:10": ("36", "30-39", "36"),
    "date-month": ("1990-12-07", "1990-12", "1990-12-07"),
    "date-year": ("1990年12月7日", "1990", "1990-12"),
    "address-city": ("北京市朝阳区建国路88号", "北京市", "北京市朝阳区建国路88号"),
    "prefix:3": ("100101", "100*", "100101"),
}


def test_every_rule_has_a_case() -> None:
    assert {case.partition(":")[0] for case in RULE_CASES} == set(RULES)


@pytest.mark.parametrize(("rule", "case"), sorted(RULE_CASES.items()))
def test_rule(rule: str, case: tuple[str, str, str]) -> None:
    raw, generalised, bad = case
    parsed = parse_rule(rule)
    assert parsed.generalise(raw) == generalised
    assert parsed.conforms(generalised)
    assert not parsed.conforms(bad)


def test_address_city_falls_back_to_province() -> None:
    assert parse_rule("address-city").generalise("江西省婷婷县怀柔北镇街B座") == "江西省"
    assert parse_rule("address-city").generalise("12 Main Street") is None


@pytest.mark.parametrize("bad", ["age-band", "age-band:x", "prefix:0", "date-year:2", "zip"])
def test_rule_parse_rejects(bad: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(bad)


def test_prefix_reduces_distinct_values_and_reads_length_kept_masks() -> None:
    rule = parse_rule("prefix:3")
    countries = ["United-States", "United-Kingdom", "Germany", "Ger", "US"]
    assert {rule.generalise(c) for c in countries} == {"Uni*", "Ger*", "US*"}
    assert rule.conforms("100***") and rule.conforms("US*")
    assert not rule.conforms("1*0*") and not rule.conforms("1000*")


def test_date_rules_read_date_times() -> None:
    assert parse_rule("date-month").generalise("2025-05-05 05:52") == "2025-05"
    assert parse_rule("date-year").generalise("2025/5/5T05:52:10") == "2025"
    assert parse_rule("date-month").generalise("2025-13-05") is None

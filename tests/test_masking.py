"""Masked evidence never shows more than its entity type allows."""

from __future__ import annotations

import pytest

from review.core.masking import mask


@pytest.mark.parametrize(
    ("value", "entity", "expected"),
    [
        ("13812345678", "CN_MOBILE_PHONE", "138****5678"),
        ("11010119900307123X", "CN_RESIDENT_ID", "110101********123X"),
        ("6222021106658035179", "CN_BANK_CARD", "622202*********5179"),
        ("张三", "PERSON", "张*"),
        ("a.b@example.com", "EMAIL_ADDRESS", "a***@example.com"),
        ("", "PERSON", ""),
        ("secretvalue1", None, "se*********1"),
        ("ab", "CN_RESIDENT_ID", "**"),
    ],
)
def test_mask_shapes(value: str, entity: str | None, expected: str) -> None:
    assert mask(value, entity) == expected


def test_address_mask_hides_the_detail() -> None:
    masked = mask("北京市朝阳区建国路88号", "CN_ADDRESS")
    assert masked.startswith("北京市") and "88" not in masked


@pytest.mark.parametrize(
    ("cell", "entity", "expected"),
    [
        ("someone.else@example.com 13812340000", "EMAIL_ADDRESS", "s***@example.com"),
        ("张三 13812345678", "CN_MOBILE_PHONE", "138****5678"),
        ("手机 13812345678 张三", "CN_MOBILE_PHONE", "138****5678"),
        ("E12345678 张三", "CN_PASSPORT", "E******78"),
        ("张三 13812345678", "PERSON", "张*"),
        ("no digits here", "CN_RESIDENT_ID", "**************"),
    ],
)
def test_mask_covers_the_entity_only(cell: str, entity: str, expected: str) -> None:
    # Callers may pass a whole cell: the rest of it never rides along with the evidence.
    assert mask(cell, entity) == expected

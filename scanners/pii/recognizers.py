"""The recognizers: Chinese and regional ones, plus Presidio's built-ins made CJK-safe and offline.

Every recognizer is a Presidio ``EntityRecognizer`` so Presidio's own engine can run
them; the fast engine (``engine.py``) reuses their patterns, validators and context
words. ``RECOGNIZERS`` is the closed registry.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import regex  # type: ignore[import-untyped]
import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    CryptoRecognizer,
    DateRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)

from review.core.masking import holds_mask
from review.scanners.pii import validators as v
from review.scanners.pii.en_names import EnNameRecognizer
from review.scanners.pii.phones import CjkPhoneRecognizer
from review.scanners.pii.vocab import LANGUAGE, SURNAMES_1, SURNAMES_2
from review.scanners.pii.zh_address import ZhAddressRecognizer
from review.scanners.pii.zh_names import ZhNameRecognizer

# Word characters that are NOT CJK. Python's \w and \b count Han characters as word
# characters, so `手机号13812345678` has no \b before the 1; these classes treat CJK text
# as a boundary, which is what a reader sees.
WORD_CHARS = r"0-9A-Za-z_\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
WORD = f"[{WORD_CHARS}]"
BOUNDARY = f"(?:(?<!{WORD})(?={WORD})|(?<={WORD})(?!{WORD}))"
ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
ALNUM_AFTER = r"(?![0-9A-Za-z])"
# CJK Unified Ideographs and extension A spelled out, so the stdlib engine can compile it.
HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"


def cjk_safe(pattern: str) -> str:
    """Rewrite ``\\b`` and ``\\w`` in a regex so CJK characters count as boundaries."""
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "b" and not in_class:
                out.append(BOUNDARY)
            elif nxt == "w":
                out.append(WORD_CHARS if in_class else WORD)
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                out.append("]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _safe_patterns(patterns: list[Pattern]) -> list[Pattern]:
    return [Pattern(p.name, cjk_safe(p.regex), p.score) for p in patterns]


def not_decimal(pattern: str) -> str:
    """``pattern`` unless it sits in a decimal number: digits right after ``39.`` or right
    before ``.5`` are part of an amount or a coordinate, never an identifier."""
    return rf"(?<!\d\.)(?:{pattern})(?!\.\d)"


def _numbers(patterns: list[Pattern]) -> list[Pattern]:
    return [Pattern(p.name, not_decimal(cjk_safe(p.regex)), p.score) for p in patterns]


# tldextract fetches the public suffix list over the network unless told not to; this
# extractor uses only the snapshot bundled with the package and writes no cache.
OFFLINE_TLD = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


class CjkEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer with CJK-safe boundaries and an offline suffix list."""

    def __init__(self) -> None:
        super().__init__(
            patterns=_safe_patterns(EmailRecognizer.PATTERNS),
            context=["email", "e-mail", "mail", "邮箱", "邮件", "电子邮件", "电邮"],
            supported_language=LANGUAGE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        # tldextract reads only the host after the '@', so results are cached per domain.
        return _has_public_suffix(pattern_text.rpartition("@")[2])

    def invalidate_result(self, pattern_text: str) -> bool:
        # s***@example.com is a masked address (desensitise apply writes them), and an
        # address at a reserved domain is nobody's: no finding.
        return holds_mask(pattern_text) or reserved_domain(pattern_text.rpartition("@")[2])


# Domains that can never hold anyone's mailbox (RFC 2606, RFC 6761): test fixtures and
# documentation use them, and an address there is no personal data.
RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
RESERVED_TLDS = frozenset({"test", "example", "invalid", "localhost"})


def reserved_domain(host: str) -> bool:
    """Whether ``host`` is (under) a domain reserved for examples and tests."""
    name = host.strip().rstrip(".").lower()
    if name.rpartition(".")[2] in RESERVED_TLDS:
        return True
    return any(name == d or name.endswith("." + d) for d in RESERVED_DOMAINS)


@lru_cache(maxsize=4096)
def _has_public_suffix(host: str) -> bool:
    return bool(OFFLINE_TLD(host).fqdn)


# Presidio's URL path runs to the next space, quote or bracket, so in Chinese text
# without spaces it swallows the sentence after the link (http://t.cn/h18UPM服用...).
# A URL's characters are ASCII (RFC 3986: unreserved, reserved and %); an IRI's other
# characters are not taken, and full-width punctuation or a Han character ends it.
_PRESIDIO_URL_PATH = r"""[^\s()<>\"']"""
URL_PATH_CHAR = r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]"
# Presidio's host may start anywhere: inside a longer host, or right after the '@' of an
# e-mail address, whose domain is then reported as a URL. A URL starts after none of
# the characters a host or an address is made of.
URL_START = r"(?<![0-9A-Za-z_@.\-])"


def _url_patterns() -> list[Pattern]:
    patterns = []
    for pattern in _safe_patterns(UrlRecognizer.PATTERNS):
        flags, body = pattern.regex[:4], pattern.regex[4:]
        if _PRESIDIO_URL_PATH not in body or flags != "(?i)":
            raise RuntimeError(f"Presidio's URL pattern {pattern.name!r} changed: review it")
        body = URL_START + body.replace(_PRESIDIO_URL_PATH, URL_PATH_CHAR)
        patterns.append(Pattern(pattern.name, flags + body, pattern.score))
    return patterns


class CjkUrlRecognizer(UrlRecognizer):
    """Presidio's URL recognizer, CJK-safe and offline, from a host's start to the first
    non-URL character."""

    def __init__(self) -> None:
        super().__init__(
            patterns=_url_patterns(),
            context=["url", "website", "link", "网址", "链接", "网站"],
            supported_language=LANGUAGE,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        # A URL holding the mask character is what a mask left of one; one at a reserved
        # domain is nobody's: no finding.
        if holds_mask(pattern_text):
            return True
        host = pattern_text.lower().partition("://")[2] or pattern_text.lower()
        host = host.split("/")[0]
        return reserved_domain(host.rpartition("@")[2].split(":")[0])


def _cjk_builtin(
    cls: Any,
    extra_context: list[str],
    rewrite: Callable[[list[Pattern]], list[Pattern]] = _safe_patterns,
) -> Callable[[], EntityRecognizer]:
    def make() -> EntityRecognizer:
        made: EntityRecognizer = cls(
            patterns=rewrite(cls.PATTERNS),
            context=[*cls.CONTEXT, *extra_context],
            supported_language=LANGUAGE,
        )
        return made

    return make


class CjkIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer, CJK-safe, that takes no bare ``::`` for an address: it is
    IPv6's unspecified address, and in text a separator (``Mixtape :: Jan``)."""

    def __init__(self) -> None:
        super().__init__(
            patterns=_safe_patterns(IpRecognizer.PATTERNS),
            context=[*IpRecognizer.CONTEXT, "IP地址"],
            supported_language=LANGUAGE,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        if not any(c in string.hexdigits for c in pattern_text):
            return True
        return bool(super().invalidate_result(pattern_text))


def _credit_card() -> EntityRecognizer:
    # Presidio's pattern predates Mastercard's 2-series (2221-2720) and misses 15-digit
    # JCB (2131...); both are added, still Luhn-validated by the recognizer.
    extra = Pattern(
        "Credit card (2-series, JCB 2131)",
        r"\b(?:2(?:2[2-9]\d|[3-6]\d{2}|7[01]\d|720)\d{12}|2131\d{11}|[3-6]\d{18})\b",
        0.3,
    )
    return CreditCardRecognizer(
        patterns=_numbers([*CreditCardRecognizer.PATTERNS, extra]),
        context=[*CreditCardRecognizer.CONTEXT, "信用卡", "卡号"],
        supported_language=LANGUAGE,
    )


def _maestro_short(text: str = "") -> EntityRecognizer:
    # 12-digit Maestro cards: one random 12-digit number in ten passes Luhn, so these
    # count only with context (a card header or words such as card / 卡号).
    def luhn(value: str) -> bool | None:
        return None if v.luhn_ok(value) else False

    return ValidatedRecognizer(
        "CREDIT_CARD",
        [
            Pattern(
                "Maestro (12 digits)",
                not_decimal(rf"{ALNUM_BEFORE}(?:5[06-9]\d\d|6\d{{3}}|0604)\d{{8}}{ALNUM_AFTER}"),
                0.1,
            )
        ],
        ["credit", "card", "maestro", "debit", "信用卡", "卡号", "银行卡"],
        luhn,
        name="MaestroShortRecognizer",
    )


def _iban() -> EntityRecognizer:
    # Case-insensitive like Presidio's default registry makes it ("gb42nawi...").
    return IbanRecognizer(
        patterns=_safe_patterns(IbanRecognizer.PATTERNS),  # type: ignore[arg-type]
        context=[*IbanRecognizer.CONTEXT, "账户", "银行账号"],
        supported_language=LANGUAGE,
        regex_flags=regex.DOTALL | regex.MULTILINE | regex.IGNORECASE,
    )


def _phone() -> EntityRecognizer:
    # python-phonenumbers finds numbers by itself (no regex, no \b); CN, HK and TW are
    # added to Presidio's default regions so landlines there are found too.
    return CjkPhoneRecognizer(
        context=[*PhoneRecognizer.CONTEXT, "电话", "手机", "联系方式", "座机", "tel"],
        supported_language=LANGUAGE,
        supported_regions=("US", "UK", "DE", "FE", "IL", "IN", "CA", "BR", "CN", "HK", "TW"),
    )


class ValidatedRecognizer(PatternRecognizer):
    """A pattern recognizer whose ``validate_result`` is a plain function."""

    def __init__(
        self,
        entity: str,
        patterns: list[Pattern],
        context: list[str],
        validator: Callable[[str], bool | None] | None = None,
        name: str | None = None,
    ) -> None:
        self.validator = validator
        super().__init__(
            supported_entity=entity,
            name=name or f"{entity.title().replace('_', '')}Recognizer",
            patterns=patterns,
            context=context,
            supported_language=LANGUAGE,
            # Case-sensitive: identifiers are upper case and plates use CJK + capitals.
            global_regex_flags=regex.DOTALL | regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return self.validator(pattern_text) if self.validator else None


def _mobile_ok(text: str) -> bool | None:
    if len(text) == 11 and text.isdigit() and not text.startswith("0086"):
        return None  # the common case, as the general code below decides it
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    # No check digit exists: a well-formed number keeps the pattern's score.
    return None if len(digits) == 11 else False


_CN_NAME = rf"(?:{SURNAMES_2}|[{SURNAMES_1}]){HAN}{{1,2}}"
_EN_NAME = (
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.? )?[A-Z][a-z]+(?:[ '\-][A-Z][a-z]+){1,2}"
    r"(?:,? (?:Jr\.?|Sr\.?|II|III|IV|MD|DDS|DVM|PhD))?"
)


def _plate_ok(text: str) -> bool | None:
    body = "".join(c for c in text[2:] if c.isalnum())
    if len(body) == 5:
        # Ordinary plates carry at most two letters in the five-character serial.
        return None if sum(c.isalpha() and c.isascii() for c in body) <= 2 else False
    return None


def _cn_resident_id() -> EntityRecognizer:
    pattern = (
        rf"{ALNUM_BEFORE}[1-9]\d{{5}}(?:18|19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
        rf"\d{{3}}[0-9Xx]{ALNUM_AFTER}"
    )
    return ValidatedRecognizer(
        "CN_RESIDENT_ID",
        [Pattern("resident id (GB 11643)", not_decimal(pattern), 0.5)],
        [
            "身份证",
            "身份证号",
            "证件号",
            "公民身份号码",
            "id card",
            "id_no",
            "resident id",
            "idcard",
        ],
        v.valid_resident_id,
    )


def _cn_mobile() -> EntityRecognizer:
    pattern = rf"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ \-]?)?1[3-9]\d(?:[ \-]?\d{{4}}){{2}}{ALNUM_AFTER}"
    return ValidatedRecognizer(
        "CN_MOBILE_PHONE",
        [Pattern("mainland mobile", not_decimal(pattern), 0.6)],
        ["手机", "手机号", "电话", "联系方式", "mobile", "phone", "tel", "cell"],
        _mobile_ok,
    )


def _bank_card_ok(text: str) -> bool | None:
    if not v.valid_bank_card(text):
        return False
    # UnionPay cards have 16 or 19 digits; 17/18-digit ones exist but so do resident
    # IDs of Gansu (62...) that pass Luhn by chance: those need context. (A valid card
    # is ASCII digits plus spaces and hyphens, so its digits are the rest.)
    digits = len(text) - text.count(" ") - text.count("-")
    return True if digits in (16, 19) else None


def _cn_bank_card() -> EntityRecognizer:
    # UnionPay cards start with 62; other brands are CREDIT_CARD.
    pattern = rf"{ALNUM_BEFORE}62\d{{2}}(?:[ \-]?\d{{4}}){{2}}[ \-]?\d{{4,7}}{ALNUM_AFTER}"
    return ValidatedRecognizer(
        "CN_BANK_CARD",
        [Pattern("UnionPay card", not_decimal(pattern), 0.3)],
        ["卡号", "银行卡", "银行账号", "账号", "储蓄卡", "借记卡", "card", "bank", "account"],
        _bank_card_ok,
    )


# A letter and eight digits is also how record ids are written: customer C00000001,
# session S20250000. No check digit tells them apart, so a number whose digits look
# like a counter (zero-padded, a run of zeros, or a year-and-month prefix) counts as
# a passport or permit only with context (a header or a word such as 护照).
RECORD_ID_DIGITS = r"(?:00|[0-9A-Z]*?0000|(?:19[5-9]|20[0-4])\d(?:0\d|1[0-2]))"
RECORD_ID_SCORE = 0.1


def _unchecked_id(name: str, body: str, score: float) -> list[Pattern]:
    """A letter-led identifier without a check digit, weak where it reads as a record id."""
    return [
        Pattern(name, rf"{ALNUM_BEFORE}(?![A-Z]{RECORD_ID_DIGITS})(?:{body}){ALNUM_AFTER}", score),
        Pattern(
            f"{name} shaped like a record id",
            rf"{ALNUM_BEFORE}(?=[A-Z]{RECORD_ID_DIGITS})(?:{body}){ALNUM_AFTER}",
            RECORD_ID_SCORE,
        ),
    ]


def _cn_passport() -> EntityRecognizer:
    return ValidatedRecognizer(
        "CN_PASSPORT",
        _unchecked_id("PRC passport", r"E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|[GDSP][0-9]{8}", 0.4),
        ["护照", "护照号", "passport"],
    )


def _uscc_ok(text: str) -> bool | None:
    if not v.valid_uscc(text):
        return False
    # An all-digit code is also any 18-digit number passing a 1-in-31 check: it counts
    # only with context (a header or a word such as 信用代码).
    return None if text.isdigit() else True


def _cn_uscc() -> EntityRecognizer:
    chars = "0-9A-HJ-NPQRTUWXY"
    pattern = rf"{ALNUM_BEFORE}[1-9A-HJ-NPQRTUWXY][1-9]\d{{6}}[{chars}]{{10}}{ALNUM_AFTER}"
    return ValidatedRecognizer(
        "CN_USCC",
        [Pattern("unified social credit code", pattern, 0.3)],
        ["统一社会信用代码", "信用代码", "社会信用", "营业执照", "uscc", "credit code"],
        _uscc_ok,
    )


def _cn_plate() -> EntityRecognizer:
    provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
    serial = "[A-HJ-NP-Z0-9]"
    pattern = (
        rf"[{provinces}][A-HJ-NP-Z][·•\s\-]?"
        rf"(?:[DF]{serial}\d{{4}}|\d{{5}}[DF]|{serial}{{4}}(?:{serial}|[挂学警港澳]))"
        rf"{ALNUM_AFTER}"
    )
    return ValidatedRecognizer(
        "CN_LICENSE_PLATE",
        [Pattern("vehicle plate", pattern, 0.5)],
        ["车牌", "车牌号", "号牌", "plate", "license plate", "vehicle"],
        _plate_ok,
    )


def _cn_hmt_permit() -> EntityRecognizer:
    return ValidatedRecognizer(
        "CN_HMT_PERMIT",
        _unchecked_id(
            "HK/Macau/Taiwan travel permit",
            r"[HM]\d{8}(?:\d{2})?|C[0-9A-HJ-NP-Z]\d{7}|L\d{8}",
            0.4,
        ),
        ["通行证", "回乡证", "台胞证", "港澳", "往来", "permit", "home return"],
    )


def _hk_id() -> EntityRecognizer:
    # Two-letter prefixes are only those issued (WX, XA-XG); others such as EA1234567
    # are PRC passports.
    pattern = rf"{ALNUM_BEFORE}(?:WX|X[A-G]|[A-Z])[0-9]{{6}}(?:\([0-9A]\)|[0-9A]){ALNUM_AFTER}"
    return ValidatedRecognizer(
        "HK_ID_CARD",
        [Pattern("Hong Kong identity card", pattern, 0.4)],
        ["香港身份证", "身份证", "hkid", "identity card", "hong kong id"],
        v.valid_hkid,
    )


def _tw_id() -> EntityRecognizer:
    pattern = rf"{ALNUM_BEFORE}[A-Z][1289][0-9]{{8}}{ALNUM_AFTER}"
    return ValidatedRecognizer(
        "TW_NATIONAL_ID",
        [Pattern("Taiwan national ID", pattern, 0.4)],
        ["身分證", "身份证", "统一编号", "national id", "taiwan id"],
        v.valid_tw_id,
    )


def _cn_person() -> EntityRecognizer:
    return ValidatedRecognizer(
        "PERSON",
        # A whole value shaped like a name is weak on its own; a 姓名/name header
        # (passed as context) lifts it. Names in running text: zh_names.
        [Pattern("name-shaped value", rf"^\s*{_CN_NAME}\s*$", 0.2)],
        ["姓名", "名字", "联系人", "收件人", "客户名", "name", "customer", "contact", "person"],
        name="ChineseNameRecognizer",
    )


def _en_person() -> EntityRecognizer:
    return ValidatedRecognizer(
        "PERSON",
        # A whole value shaped like a name, lifted by a name header; running text: en_names.
        [Pattern("name-shaped value", rf"^\s*{_EN_NAME}\s*$", 0.2)],
        ["姓名", "名字", "name", "customer", "contact", "person"],
        name="LatinNameRecognizer",
    )


RECOGNIZERS: dict[str, Callable[[], EntityRecognizer]] = {
    "CnResidentIdRecognizer": _cn_resident_id,
    "CnMobilePhoneRecognizer": _cn_mobile,
    "CnBankCardRecognizer": _cn_bank_card,
    "CnPassportRecognizer": _cn_passport,
    "CnUsccRecognizer": _cn_uscc,
    "CnLicensePlateRecognizer": _cn_plate,
    "CnHmtPermitRecognizer": _cn_hmt_permit,
    "HkIdCardRecognizer": _hk_id,
    "TwNationalIdRecognizer": _tw_id,
    "ZhAddressRecognizer": ZhAddressRecognizer,
    "ChineseNameRecognizer": _cn_person,
    "ZhNameRecognizer": ZhNameRecognizer,
    "LatinNameRecognizer": _en_person,
    "EnNameRecognizer": EnNameRecognizer,
    "EmailRecognizer": CjkEmailRecognizer,
    "UrlRecognizer": CjkUrlRecognizer,
    "CreditCardRecognizer": _credit_card,
    "MaestroShortRecognizer": _maestro_short,
    "IbanRecognizer": _iban,
    "IpRecognizer": CjkIpRecognizer,
    "UsSsnRecognizer": _cjk_builtin(UsSsnRecognizer, ["社会安全号"], _numbers),
    "CryptoRecognizer": _cjk_builtin(CryptoRecognizer, ["钱包", "比特币"]),
    "DateRecognizer": _cjk_builtin(DateRecognizer, ["出生日期", "生日", "日期"]),
    "PhoneRecognizer": _phone,
}
"""Closed registry: recognizer name -> factory. Presidio's NER recognizer is added only
when a spaCy model is configured (see ``engine.build_presidio_analyzer``)."""


def build_recognizers(entities: Any = None) -> list[EntityRecognizer]:
    """Fresh instances of every registered recognizer (optionally only for ``entities``)."""
    wanted = set(entities) if entities else None
    out = []
    for name in sorted(RECOGNIZERS):
        recognizer = RECOGNIZERS[name]()
        if wanted is None or wanted.intersection(recognizer.supported_entities):
            out.append(recognizer)
    return out


ENTITY_TYPES: tuple[str, ...] = (
    "CN_RESIDENT_ID",
    "CN_USCC",
    "HK_ID_CARD",
    "TW_NATIONAL_ID",
    "CN_BANK_CARD",
    "CREDIT_CARD",
    "IBAN_CODE",
    "CRYPTO",
    "US_SSN",
    "CN_PASSPORT",
    "CN_HMT_PERMIT",
    "EMAIL_ADDRESS",
    "CN_MOBILE_PHONE",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "CN_LICENSE_PLATE",
    "CN_ADDRESS",
    "PERSON",
    "URL",
    "DATE_TIME",
    "LOCATION",
)
"""Every entity the pattern recognizers find, most specific first: when hits overlap,
the earlier entity in this list wins."""

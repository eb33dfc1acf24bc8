"""Sensitive personal information (PIPL Art. 28) and special categories (GDPR Art. 9):
from entity types and from bilingual column headers."""

from __future__ import annotations

from review.core.headers import header_has_any
from review.core.models import Severity

ENTITY_CATEGORY: dict[str, str] = {
    "CN_RESIDENT_ID": "identity_document",
    "CN_PASSPORT": "identity_document",
    "CN_HMT_PERMIT": "identity_document",
    "HK_ID_CARD": "identity_document",
    "TW_NATIONAL_ID": "identity_document",
    "US_SSN": "identity_document",
    "CN_BANK_CARD": "financial_account",
    "CREDIT_CARD": "financial_account",
    "IBAN_CODE": "financial_account",
    "CRYPTO": "financial_account",
}
"""Entities that are PIPL sensitive personal information by themselves."""

# Header keywords per category, matched as substrings of the lower-cased header. The
# English ones are matched on word boundaries so 'age' does not fire inside 'page'.
HEADER_KEYWORDS: dict[str, tuple[str, ...]] = {
    "health": (
        "病历", "病史", "诊断", "疾病", "病情", "症状", "用药", "处方", "过敏", "体检", "血型",
        "健康", "医疗", "就诊", "diagnosis", "diagnoses", "medical", "health", "disease",
        "condition", "medication", "prescription", "allergy", "allergies", "blood_type",
        "symptom", "icd",
    ),
    "biometric": (
        "指纹", "人脸", "面部", "虹膜", "声纹", "掌纹", "生物识别", "步态", "fingerprint",
        "face", "facial", "iris", "voiceprint", "biometric", "retina", "palm",
    ),
    "religion": ("宗教", "信仰", "教派", "religion", "religious", "faith", "belief"),
    "location": (
        "经纬度", "纬度", "经度", "定位", "轨迹", "行踪", "位置", "gps", "latitude",
        "longitude", "lat", "lng", "lon", "geo", "trajectory", "location", "coordinates",
    ),
    "racial_ethnic": ("民族", "种族", "race", "ethnic", "ethnicity"),
    "political": ("政治面貌", "党派", "政治", "political", "party_affiliation"),
    "trade_union": ("工会", "trade_union", "union_member"),
    "genetic": ("基因", "遗传", "genetic", "dna", "genome"),
    "sex_life": ("性取向", "性生活", "sexual_orientation", "sex_life", "sexuality"),
    "financial_account": (
        "银行卡", "卡号", "账号", "账户", "信用卡", "存款", "征信", "bank_card",
        "card_number", "account_number", "iban", "credit_card", "salary", "收入", "income",
    ),
    "identity_document": (
        "身份证", "护照", "证件", "通行证", "passport", "id_no", "id_number", "idcard",
        "national_id", "ssn",
    ),
}  # fmt: skip

GDPR_SPECIAL = frozenset(
    {"health", "biometric", "religion", "racial_ethnic", "political", "trade_union", "genetic",
     "sex_life"}
)  # fmt: skip
"""GDPR Art. 9 special categories (PIPL Art. 28 also covers identity, finance, location,
minors)."""

ALL_CATEGORIES = (
    "identity_document",
    "financial_account",
    "health",
    "biometric",
    "religion",
    "location",
    "minor",
    "racial_ethnic",
    "political",
    "trade_union",
    "genetic",
    "sex_life",
)

AGE_HEADERS = ("年龄", "age", "岁数")
BIRTH_HEADERS = ("出生日期", "生日", "出生", "birth", "dob", "birthday")


def header_category(header: str) -> str | None:
    """The sensitive category a column header names, if any (first in ALL_CATEGORIES order)."""
    leaf = header.rsplit(".", 1)[-1].rsplit("!", 1)[-1]
    for category in ALL_CATEGORIES:
        if header_has_any(leaf, HEADER_KEYWORDS.get(category, ())):
            return category
    return None


def is_age_header(header: str) -> bool:
    leaf = header.rsplit(".", 1)[-1]
    return header_has_any(leaf, AGE_HEADERS)


def is_birth_header(header: str) -> bool:
    leaf = header.rsplit(".", 1)[-1]
    return header_has_any(leaf, BIRTH_HEADERS)


ENTITY_SEVERITY: dict[str, Severity] = {
    **{entity: Severity.HIGH for entity in ENTITY_CATEGORY},
    "CN_MOBILE_PHONE": Severity.MEDIUM,
    "PHONE_NUMBER": Severity.MEDIUM,
    "EMAIL_ADDRESS": Severity.MEDIUM,
    "PERSON": Severity.MEDIUM,
    "CN_ADDRESS": Severity.MEDIUM,
    "CN_LICENSE_PLATE": Severity.MEDIUM,
    "IP_ADDRESS": Severity.LOW,
    "LOCATION": Severity.LOW,  # a city or province: not a person's address
    "CN_USCC": Severity.LOW,  # identifies an organisation, not a person
    "URL": Severity.INFO,
    "DATE_TIME": Severity.INFO,
}


def entity_severity(entity: str) -> Severity:
    return ENTITY_SEVERITY.get(entity, Severity.MEDIUM)

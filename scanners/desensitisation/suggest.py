"""Suggest a policy from a PII scan of the raw file and the column names."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from review.core.headers import header_has_any
from review.core.masking import MASK_RULES
from review.scanners.desensitisation.config import ColumnPolicy
from review.scanners.desensitisation.missing import is_missing
from review.scanners.desensitisation.table import Table


def _masked(entity: str) -> ColumnPolicy:
    return ColumnPolicy(action="mask", role="direct", shape=str(MASK_RULES[entity].shape))


# What to do with a column wholly made of one entity type. Direct identifiers that
# people read (phones, IDs, cards, names, e-mails) are masked to the shapes of the
# core's table; other identifiers are pseudonymised.
BY_ENTITY: dict[str, ColumnPolicy] = {
    **{
        entity: _masked(entity)
        for entity in (
            "CN_RESIDENT_ID",
            "CN_MOBILE_PHONE",
            "PHONE_NUMBER",
            "EMAIL_ADDRESS",
            "PERSON",
            "CN_BANK_CARD",
            "CREDIT_CARD",
        )
    },
    "CN_ADDRESS": ColumnPolicy(action="generalise", role="quasi", rule="address-city"),
    "LOCATION": ColumnPolicy(action="generalise", role="quasi", rule="address-city"),
    "DATE_TIME": ColumnPolicy(action="generalise", role="quasi", rule="date-month"),
    "IP_ADDRESS": ColumnPolicy(action="suppress", role="direct"),
}
# Any other identifier type: a keyed pseudonym keeps joins possible without exposing it.
OTHER_IDENTIFIER = ColumnPolicy(action="pseudonymise", role="direct")

# Columns the PII scan found nothing in, recognised by name (English and Chinese).
BY_NAME: tuple[tuple[tuple[str, ...], ColumnPolicy], ...] = (
    # Chinese names escape the pattern recognizers when no NER model is installed.
    (
        ("姓名", "name", "full_name", "联系人"),
        _masked("PERSON").model_copy(update={"entity": "PERSON"}),
    ),
    (
        ("diagnosis", "disease", "诊断", "疾病", "病", "income", "salary", "salary-class",
         "收入", "薪", "wage", "工资", "religion", "宗教", "health", "健康"),
        ColumnPolicy(action="keep", role="sensitive"),
    ),
    (("age", "年龄"), ColumnPolicy(action="generalise", role="quasi", hierarchy="age")),
    (
        ("birth", "出生", "dob", "birthday", "生日"),
        ColumnPolicy(action="generalise", role="quasi", hierarchy="date"),
    ),
    (
        ("postcode", "zip", "zipcode", "postal_code", "邮编", "邮政编码"),
        ColumnPolicy(action="generalise", role="quasi", hierarchy="postcode"),
    ),
    (
        ("region_code", "division", "行政区划", "区划代码", "地区编码"),
        ColumnPolicy(action="generalise", role="quasi", hierarchy="cn-division"),
    ),
    (
        ("gender", "sex", "性别", "race", "ethnicity", "nation", "民族", "种族",
         "education", "学历", "文化程度", "教育", "marital", "marital-status", "婚姻",
         "婚姻状况", "occupation", "职业", "job", "岗位", "工作", "employer", "单位",
         "工作单位", "雇主", "workclass", "company", "公司", "country", "native-country",
         "nationality", "国家", "国籍", "city", "城市", "province", "省", "籍贯",
         "relationship", "家庭关系"),
        ColumnPolicy(action="generalise", role="quasi", hierarchy="suppress"),
    ),
)  # fmt: skip
# Anything else may hold free text: redact the identifiers found in it. Numbers are kept.
FREE_TEXT = ColumnPolicy(action="redact", role="other")
NUMBERS = ColumnPolicy(action="keep", role="other")


def _numbers(values: list[str]) -> bool:
    filled = [v for v in values[:1000] if not is_missing(v)]
    return bool(filled) and all(_NUMBER.fullmatch(v.strip()) for v in filled)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def suggest_policy(raw: Table, entities: Mapping[str, str]) -> dict[str, ColumnPolicy]:
    """A policy for every column of ``raw``, given the entity each column holds."""
    policy: dict[str, ColumnPolicy] = {}
    for name in raw.columns:
        entity = entities.get(name)
        if entity is not None:
            base = BY_ENTITY.get(entity, OTHER_IDENTIFIER)
            policy[name] = base.model_copy(update={"entity": entity})
            continue
        fallback = NUMBERS if _numbers(raw.column(name)) else FREE_TEXT
        policy[name] = next(
            (rule for hints, rule in BY_NAME if header_has_any(name, hints)), fallback
        )
    return policy


def to_toml(policy: Mapping[str, ColumnPolicy], raw: str, masked: str) -> str:
    """A ``[[desensitisation.datasets]]`` entry of review.toml for the raw file."""
    lines = [
        "[[desensitisation.datasets]]",
        f"masked = {json.dumps(masked, ensure_ascii=False)}",
        f"raw = {json.dumps(raw, ensure_ascii=False)}",
        "",
        "[desensitisation.datasets.columns]",
    ]
    for name, rule in policy.items():
        fields = rule.model_dump(exclude_none=True, exclude_defaults=False)
        inline = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
        lines.append(f"{json.dumps(name, ensure_ascii=False)} = {{ {inline} }}")
    return "\n".join(lines) + "\n"

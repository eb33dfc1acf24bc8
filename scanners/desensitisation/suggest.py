"""Suggest a policy from a PII scan of the raw file and the column names."""

from __future__ import annotations

import json
from collections.abc import Mapping

from review.core.headers import header_has_any
from review.core.masking import MASK_RULES
from review.scanners.desensitisation.config import ColumnPolicy
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
    (("age", "年龄"), ColumnPolicy(action="generalise", role="quasi", rule="age-band:10")),
    (("birth", "出生", "dob"), ColumnPolicy(action="generalise", role="quasi", rule="date-year")),
    (
        ("postcode", "zip", "邮编", "邮政编码"),
        ColumnPolicy(action="generalise", role="quasi", rule="prefix:3"),
    ),
    (("gender", "sex", "性别"), ColumnPolicy(action="keep", role="quasi")),
    (("city", "城市", "province", "省"), ColumnPolicy(action="keep", role="quasi")),
    (
        ("diagnosis", "disease", "诊断", "疾病", "病", "income", "salary", "收入", "薪"),
        ColumnPolicy(action="keep", role="sensitive"),
    ),
)
FREE_TEXT = ColumnPolicy(action="keep", role="other")


def suggest_policy(raw: Table, entities: Mapping[str, str]) -> dict[str, ColumnPolicy]:
    """A policy for every column of ``raw``, given the entity each column holds."""
    policy: dict[str, ColumnPolicy] = {}
    for name in raw.columns:
        entity = entities.get(name)
        if entity is not None:
            base = BY_ENTITY.get(entity, OTHER_IDENTIFIER)
            policy[name] = base.model_copy(update={"entity": entity})
            continue
        policy[name] = next(
            (rule for hints, rule in BY_NAME if header_has_any(name, hints)), FREE_TEXT
        )
    return policy


def to_toml(policy: Mapping[str, ColumnPolicy]) -> str:
    """The policy as the ``[desensitisation.datasets.columns]`` table of review.toml."""
    lines = ["[desensitisation.datasets.columns]"]
    for name, rule in policy.items():
        fields = rule.model_dump(exclude_none=True, exclude_defaults=False)
        inline = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
        lines.append(f"{json.dumps(name, ensure_ascii=False)} = {{ {inline} }}")
    return "\n".join(lines) + "\n"

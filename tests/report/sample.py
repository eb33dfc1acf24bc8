"""A fixed, realistic Review with all four stages, following docs/stage-details.md.

The stages themselves are built elsewhere; this sample follows their documented
``details`` contract so the report can be tested (and benchmarked) on its own. Personal
data is synthetic (Faker with a fixed seed) and appears only masked, as the stages
record it; ``Sample.raw_values`` keeps the raw values so tests can prove none leaks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

from review.checklists.details import ChecklistDetails, ChecklistResult
from review.checklists.gate import checklist_reasons
from review.core.config import GateConfig
from review.core.i18n import label
from review.core.masking import mask
from review.core.models import (
    Decision,
    Finding,
    InputFile,
    Location,
    Metadata,
    Reference,
    Reviewer,
    Severity,
    SignOff,
    Text,
)
from review.gate import decide
from review.record import AnyStageResult, Review
from review.scanners.desensitisation.details import DesensitisationResult
from review.scanners.licenses.details import LicensesResult
from review.scanners.pii.details import PiiResult

WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
PII_ENTITIES = (
    ("CN_RESIDENT_ID", "identity_document"),
    ("CN_MOBILE_PHONE", None),
    ("PERSON", None),
    ("EMAIL_ADDRESS", None),
    ("CN_BANK_CARD", "financial_account"),
    ("CN_ADDRESS", None),
)
CATEGORIES = ("permissive", "weak-copyleft", "copyleft", "network-copyleft", "unknown")
SPDX = {
    "permissive": "MIT",
    "weak-copyleft": "LGPL-2.1-or-later",
    "copyleft": "GPL-3.0-only",
    "network-copyleft": "AGPL-3.0-only",
    "unknown": "LicenseRef-unknown",
}
CHECKLISTS = (
    ("pipl", Text(en="PIPL readiness", zh="个人信息保护法合规准备"), "PIPL"),
    ("gdpr", Text(en="GDPR readiness", zh="GDPR 合规准备"), "GDPR"),
    ("ai-ethics", Text(en="AI ethics", zh="人工智能伦理"), "EU-AI-Act"),
    ("genai-cn", Text(en="Generative AI services", zh="生成式人工智能服务"), "CN-GenAI-Measures"),
)


@dataclass
class Sample:
    """The sample review and the raw personal data hidden behind its masked evidence."""

    review: Review
    raw_values: list[str] = field(default_factory=list)


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _resident_id(fake: Faker) -> str:
    """A valid GB 11643 resident ID with a fixed-range birth date.

    Faker's own ``ssn`` draws the birth date relative to today, so the sample (and the
    HTML snapshot) would change every day.
    """
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=fake.random_int(0, 15000))
    body = f"110101{birth:%Y%m%d}{fake.random_int(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def _raw_value(fake: Faker, entity: str) -> str:
    makers = {
        "CN_RESIDENT_ID": lambda: _resident_id(fake),
        "CN_MOBILE_PHONE": fake.phone_number,
        "PERSON": fake.name,
        "EMAIL_ADDRESS": fake.email,
        "CN_BANK_CARD": fake.credit_card_number,
        "CN_ADDRESS": fake.address,
    }
    return str(makers[entity]())


def _pii(fake: Faker, columns: int, raw: list[str]) -> PiiResult:
    files = [f"data/part_{i:02d}.csv" for i in range(max(1, columns // 10))]
    cols = []
    findings = []
    entities: dict[str, int] = {}
    for i in range(columns):
        entity, category = PII_ENTITIES[i % len(PII_ENTITIES)]
        path = files[i % len(files)]
        name = ["身份证号", "手机号", "姓名", "email", "bank_card", "address"][i % 6]
        name = name if i < 6 else f"{name}_{i}"
        ratio = round(0.99 - (i % 7) * 0.07, 2)
        cols.append(
            {
                "path": path,
                "column": name,
                "entity_type": entity,
                "hit_ratio": ratio,
                "rows_scanned": 1000,
                "confidence": 0.95,
                "sensitive_category": category,
            }
        )
        entities[entity] = entities.get(entity, 0) + int(ratio * 1000)
        value = _raw_value(fake, entity)
        raw.append(value)
        findings.append(
            Finding(
                rule_id=f"pii.{entity.lower()}",
                stage="pii",
                severity=Severity.HIGH if category else Severity.MEDIUM,
                title=Text(
                    en=f"{label(f'entity.{entity}').en} in column '{name}'",
                    zh=f"列「{name}」含{label(f'entity.{entity}').zh}",
                ),
                message=Text(
                    en=f"{ratio:.0%} of {1000} rows hold {label(f'entity.{entity}').en}.",
                    zh=f"1000 行中 {ratio:.0%} 含有{label(f'entity.{entity}').zh}。",
                ),
                location=Location(path=path, row=1 + i, column=name),
                evidence=mask(value, entity),
                remediation=Text(en="Remove or mask the column.", zh="删除或脱敏该列。"),
                references=(Reference(framework="PIPL", article="28"),),
            )
        )
    return PiiResult(
        summary=Text(
            en=f"{columns} columns hold personal information.", zh=f"{columns} 列含个人信息。"
        ),
        findings=tuple(findings),
        inputs=tuple(files),
        details={
            "files": [
                {"path": p, "kind": "table", "rows_scanned": 1000, "encoding": "gb18030"}
                for p in files
            ],
            "columns": cols,
            "entities": entities,
            "sensitive_categories": ["financial_account", "identity_document"],
            "gdpr_special_categories": ["health"],
            "ner": {"model": None, "not_covered": ["LOCATION", "ORGANIZATION"]},
        },
    )


def _desensitisation(fake: Faker, raw: list[str]) -> DesensitisationResult:
    leaked = fake.email()
    raw.append(leaked)
    finding = Finding(
        rule_id="desensitisation.residual_identifier",
        stage="desensitisation",
        severity=Severity.HIGH,
        title=Text(en="E-mail left unmasked", zh="电子邮箱未脱敏"),
        message=Text(
            en="121 rows of column 'email' still hold e-mail addresses.",
            zh="「email」列有 121 行仍含电子邮箱地址。",
        ),
        location=Location(path="data/customers_masked.csv", row=3, column="email"),
        evidence=mask(leaked, "EMAIL_ADDRESS"),
        references=(Reference(framework="PIPL", article="73"),),
    )
    dataset = {
        "masked": "data/customers_masked.csv",
        "raw": "data/customers_raw.csv",
        "rows": 121,
        "level": "de-identified",
        "quasi_identifiers": ["gender", "age", "city"],
        "sensitive": ["diagnosis"],
        "k": 1,
        "l_distinct": 1,
        "l_entropy": 1.0,
        "t": 0.42,
        "unique_share": 0.008,
        "prosecutor": {"highest": 1.0, "average": 0.05, "records_at_risk": 0.008},
        "journalist": {"highest": 1.0, "average": 0.05, "records_at_risk": 0.008},
        "marketer": {"average": 0.05},
        "linkage_rate": 0.008,
        "checks": [
            {
                "check": "residual_identifiers",
                "column": "email",
                "status": "fail",
                "count": 121,
                "rules": [],
            },
            {
                "check": "mask_shape",
                "column": "身份证号",
                "status": "fail",
                "count": 121,
                "rules": [],
            },
            {"check": "k_anonymity", "column": None, "status": "fail", "count": 1, "rules": []},
        ],
    }
    return DesensitisationResult(
        summary=Text(en="1 dataset checked; k = 1.", zh="检查了 1 个数据集；k = 1。"),
        findings=(finding,),
        inputs=("data/customers_masked.csv", "data/customers_raw.csv"),
        details={"datasets": [dataset]},
    )


def _licenses(packages: int) -> LicensesResult:
    rows = []
    findings = []
    counts = {"ok": 0, "review": 0, "conflict": 0}
    categories: dict[str, int] = {}
    for i in range(packages):
        category = "permissive" if i % 9 else CATEGORIES[(i // 9) % len(CATEGORIES)]
        verdict = {"network-copyleft": "conflict", "copyleft": "conflict", "unknown": "review"}
        outcome = verdict.get(category, "ok")
        name = f"@demo/pkg-{i:03d}" if i else "@acme-ai/voice-engine"
        if i == 0:
            category, outcome = "network-copyleft", "conflict"
        counts[outcome] += 1
        categories[category] = categories.get(category, 0) + 1
        rows.append(
            {
                "name": name,
                "version": f"1.{i % 10}.{i % 7}",
                "ecosystem": "npm",
                "source": "frontend/package-lock.json",
                "dev": i % 13 == 0,
                "spdx": SPDX[category],
                "evidence": "license field",
                "confidence": 1.0,
                "category": category,
                "verdict": outcome,
                "rule": "network-copyleft-in-saas" if outcome == "conflict" else "allowed",
                "reason": "network copyleft in a SaaS product"
                if outcome == "conflict"
                else "allowed",
                "obligations": ["network-source-offer"] if outcome == "conflict" else [],
                "choices": [],
                "path": ["cs-assistant-web", "@demo-ui/chat-widget", name],
            }
        )
        if outcome != "ok":
            findings.append(
                Finding(
                    rule_id=f"licenses.{outcome}",
                    stage="licenses",
                    severity=Severity.HIGH if outcome == "conflict" else Severity.LOW,
                    title=Text(
                        en=f"{SPDX[category]} dependency {name}",
                        zh=f"依赖 {name} 使用 {SPDX[category]}",
                    ),
                    message=Text(
                        en="Incompatible with the project's license for SaaS distribution.",
                        zh="在 SaaS 分发方式下与项目许可证不兼容。",
                    ),
                    location=Location(package=name, version=f"1.{i % 10}.{i % 7}"),
                    remediation=Text(en="Replace the dependency.", zh="替换该依赖。"),
                )
            )
    return LicensesResult(
        summary=Text(en=f"{packages} dependencies judged.", zh=f"已判定 {packages} 个依赖。"),
        findings=tuple(findings),
        inputs=("frontend/package-lock.json",),
        details={
            "outbound": "Apache-2.0",
            "distribution": "saas",
            "counts": counts,
            "categories": categories,
            "spdx_coverage": {"packages": packages, "valid_spdx": packages},
            "packages": rows,
        },
    )


def _checklist(items: int) -> ChecklistResult:
    lists = []
    rows = []
    coverage: dict[str, list[dict[str, object]]] = {}
    findings = []
    per_list = max(1, items // len(CHECKLISTS))
    for list_id, title, framework in CHECKLISTS:
        answered = 0
        for n in range(per_list):
            item_id = f"{list_id}.item_{n:02d}"
            status = ("yes", "no", "partial", "n/a", "unanswered")[n % 5]
            answered += status != "unanswered"
            article = str(5 + n % 12)
            rows.append(
                {
                    "id": item_id,
                    "checklist": list_id,
                    "section": "1",
                    "title": {"en": f"Requirement {n}", "zh": f"第 {n} 项要求"},
                    "triggered_by": [],
                    "evidence_required": False,
                    "remediation": None,
                    # a measured criterion on some items: its unit is translated too
                    "criteria": []
                    if n % 3
                    else [
                        {
                            "metric": "response-days",
                            "comparator": "<=",
                            "threshold": 15,
                            "unit": " days",
                            "value": 7 + n,
                            "met": 7 + n <= 15,
                        }
                    ],
                    "question": {
                        "en": f"Is requirement {n} of {framework} met?",
                        "zh": f"是否满足{title.zh}第 {n} 项要求？",
                    },
                    "status": status,
                    "auto": n % 4 == 0,
                    "blocking": n % 6 == 0,
                    "applicable": status != "n/a",
                    "owner": "王芳" if n % 2 else "Alex Morgan",
                    "due": "2026-12-01",
                    "evidence": ["docs/pia.pdf"] if status == "yes" else [],
                    "justification": "不涉及未成年人" if status == "n/a" else "",
                    "risk": {
                        "likelihood": 1 + n % 5,
                        "impact": 1 + (n * 3) % 5,
                        "accepted_by": "王芳",
                        "accepted": True,
                    },
                    "references": [f"{framework} Art. {article}"],
                }
            )
            rows[-1]["risk"]["score"] = (  # type: ignore[index]
                rows[-1]["risk"]["likelihood"] * rows[-1]["risk"]["impact"]  # type: ignore[index]
            )
            entries = coverage.setdefault(framework, [])
            match = next((e for e in entries if e["article"] == article), None)
            if match is None:
                match = {"article": article, "items": [], "status": "covered"}
                entries.append(match)
            match["items"].append(item_id)  # type: ignore[attr-defined]
            if status in ("no", "unanswered"):
                match["status"] = "open" if status == "unanswered" else "partial"
            if status == "no":
                findings.append(
                    Finding(
                        rule_id="checklist.unmet",
                        stage="checklist",
                        severity=Severity.MEDIUM,
                        title=Text(en=f"{item_id} not met", zh=f"{item_id} 未满足"),
                        message=Text(en="The team answered no.", zh="团队回答为否。"),
                        location=Location(item=item_id),
                        references=(Reference(framework=framework, article=article),),
                    )
                )
        lists.append(
            {"id": list_id, "title": title.model_dump(), "answered": answered, "total": per_list}
        )
    details = ChecklistDetails.model_validate(
        {"checklists": lists, "items": rows, "coverage": coverage, "context": {}}
    )
    return ChecklistResult(
        summary=Text(
            en=f"{len(rows)} items across 4 checklists.", zh=f"4 份清单共 {len(rows)} 项。"
        ),
        findings=tuple(findings),
        inputs=("answers.yaml",),
        gate_reasons=tuple(checklist_reasons(details, GateConfig().risk_appetite)),
        details=details,
    )


def build_sample(
    *,
    packages: int = 16,
    checklist_items: int = 12,
    pii_columns: int = 6,
    signoffs: bool = False,
    stages: tuple[str, ...] = ("pii", "desensitisation", "licenses", "checklist"),
) -> Sample:
    """The sample review; sizes scale the tables for the benchmark."""
    fake = Faker("zh_CN")
    fake.seed_instance(20261120)
    raw: list[str] = []
    built: dict[str, Callable[[], AnyStageResult]] = {
        "pii": lambda: _pii(fake, pii_columns, raw),
        "desensitisation": lambda: _desensitisation(fake, raw),
        "licenses": lambda: _licenses(packages),
        "checklist": lambda: _checklist(checklist_items),
    }
    results = tuple(
        built[name]()
        for name in ("pii", "desensitisation", "licenses", "checklist")
        if name in stages
    )
    inputs = sorted({path for result in results for path in result.inputs} | {"review.toml"})
    reviewers = (
        Reviewer(name="王芳", role="数据保护官 DPO"),
        Reviewer(name="Alex Morgan", role="Risk officer"),
        Reviewer(name="李雷", role="Legal counsel", required=False),
    )
    decided = (
        SignOff(
            reviewer="王芳",
            role="数据保护官 DPO",
            decision=Decision.APPROVE_WITH_CONDITIONS,
            date=dt.date(2026, 11, 21),
            comment="上线前完成邮箱列脱敏 / mask the e-mail column before launch",
        ),
        SignOff(
            reviewer="Alex Morgan",
            role="Risk officer",
            decision=Decision.APPROVE,
            date=dt.date(2026, 11, 22),
        ),
    )
    review = Review(
        metadata=Metadata(
            project="智能客服助手 / AI customer-service assistant",
            project_version="1.4.0",
            commit="0123456789abcdef0123456789abcdef01234567",
            tool_version="0.1.0",
            started=WHEN,
            finished=WHEN + dt.timedelta(seconds=42),
            language="bilingual",
        ),
        manifest=tuple(InputFile(path=p, sha256=_digest(p), size=1000 + len(p)) for p in inputs),
        stages=results,
        gate=decide(results, GateConfig()),
        reviewers=reviewers,
        signoffs=decided if signoffs else (),
    )
    return Sample(review=review, raw_values=raw)

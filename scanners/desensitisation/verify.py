"""Verify one desensitised dataset: run every check, compute the risk, decide the level."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from review.core.errors import InputError
from review.core.headers import header_has_any
from review.core.models import Finding, Location, Reference, Severity, Text
from review.scanners.desensitisation.attack import Analyzer
from review.scanners.desensitisation.checks import CHECKS, DatasetInput, Issue, Outcome, ResidualHit
from review.scanners.desensitisation.config import ColumnPolicy, Thresholds
from review.scanners.desensitisation.details import (
    AnonymisationRecord,
    AttributeRecord,
    CheckRecord,
    DatasetRecord,
    Level,
    MarketerRecord,
)
from review.scanners.desensitisation.explain import explain
from review.scanners.desensitisation.generalise import Generaliser, parse_rule
from review.scanners.desensitisation.hierarchy import Hierarchy, resolve
from review.scanners.desensitisation.missing import MISSING
from review.scanners.desensitisation.risk import (
    Column,
    Population,
    RiskReport,
    Sensitive,
    assess,
    linkage_rate,
)
from review.scanners.desensitisation.table import Table, align

STAGE = "desensitisation"

# Column names that say what a column holds, for when neither the policy nor a PII scan
# of the raw file does. Only used to pick an enumerable space for hashed columns.
NAME_HINTS: dict[str, tuple[str, ...]] = {
    "CN_MOBILE_PHONE": ("手机", "电话", "phone", "mobile", "tel"),
    "CN_RESIDENT_ID": ("身份证", "id_card", "idcard", "id_no", "resident_id"),
    "CN_BANK_CARD": ("银行卡", "bank_card", "card_no"),
    "EMAIL_ADDRESS": ("email", "e-mail", "邮箱"),
    "PERSON": ("姓名", "name"),
}

PIPL_4 = Reference(framework="PIPL", article="4")
PIPL_73 = Reference(framework="PIPL", article="73")
GDPR_R26 = Reference(framework="GDPR", article="Recital 26")

# Issues that all say "this identifier is exposed"; a column reports only the strongest.
_EXPOSURE = ("raw_leak", "unmasked", "over_revealing_mask", "residual_identifier")


# Shapes of masked values that tell the entity type when nothing else does (masked
# values fail the PII detector's check digits, so it cannot tell).
MASKED_SHAPES: dict[str, re.Pattern[str]] = {
    "CN_RESIDENT_ID": re.compile(r"\d{6}[\d*]{11}[\dXx*]"),
    "CN_MOBILE_PHONE": re.compile(r"1[3-9*][\d*]{9}"),
    "CN_BANK_CARD": re.compile(r"\d{6}[\d*]{10,13}"),
}


def entity_from_values(values: list[str], sample: int = 2000) -> str | None:
    filled = [v.strip() for v in values[: sample * 2] if v.strip()][:sample]
    for entity, shape in MASKED_SHAPES.items():
        if filled and sum(1 for v in filled if shape.fullmatch(v)) >= 0.9 * len(filled):
            return entity
    return None


def entity_from_name(column: str) -> str | None:
    return next((e for e, hints in NAME_HINTS.items() if header_has_any(column, hints)), None)


@dataclass(frozen=True)
class Verification:
    """What verifying one dataset produced."""

    findings: tuple[Finding, ...]
    details: DatasetRecord
    level: Level
    # column -> raw value -> token, for checking consistency across files; in memory only.
    tokens: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    # The re-identification risk in plain words, headline first.
    explanation: tuple[Text, ...] = ()

    def with_anonymisation(self, chosen: AnonymisationRecord, line: Text) -> Verification:
        """This verification of apply's output, with what apply's search chose and cost."""
        explanation = (line, *self.explanation)
        details = self.details.model_copy(update={"anonymisation": chosen, "summary": explanation})
        return replace(self, details=details, explanation=explanation)


def _check_columns(masked: Table, policy: Mapping[str, ColumnPolicy]) -> None:
    for name in sorted(policy):
        if name not in masked.data and policy[name].action != "drop":
            raise InputError(
                masked.source, f"column {name!r} named in the policy is not in the file"
            )


def rebuilds(rule: ColumnPolicy) -> tuple[Callable[[str], str], ...]:
    """How an attacker holding the raw file rebuilds a released quasi-identifier: one way,
    or one per hierarchy level (the level the release agrees with most is used)."""
    if rule.action == "keep":
        return (str,)
    if rule.action == "generalise" and rule.rule is not None:
        return (Generalised(parse_rule(rule.rule)),)
    if rule.action == "generalise" and rule.hierarchy is not None:
        tree = resolve(rule.hierarchy)
        return tuple(AtLevel(tree, level) for level in range(tree.height + 1))
    return ()


@dataclass(frozen=True)
class Generalised:
    """A raw value generalised by a rule ('' where the rule gives nothing)."""

    rule: Generaliser

    def __call__(self, value: str) -> str:
        return self.rule.generalise(value) or ""


@dataclass(frozen=True)
class AtLevel:
    """A raw value's label at one level of a hierarchy."""

    tree: Hierarchy
    level: int

    def __call__(self, value: str) -> str:
        return self.tree.label(value, self.level)


def linkable(masked_rows: int, agreements: Sequence[int]) -> int | None:
    """Which rebuild an attacker joins on (the first that agrees most), or None when even
    that one disagrees with most released rows (not derived from that raw column)."""
    if not agreements or not masked_rows:
        return None
    best = max(range(len(agreements)), key=lambda i: (agreements[i], -i))
    return best if agreements[best] * 2 >= masked_rows else None


def _linkage(
    masked: Table, raw: Table, aligned: Sequence[int], policy: Mapping[str, ColumnPolicy]
) -> tuple[float, tuple[str, ...]]:
    """Linkage attack rate, joining on the quasi-identifiers the attacker can rebuild.

    The attacker generalises the raw file as the policy says; a quasi-identifier whose
    rebuilt values disagree with most masked rows (not derived from that raw column)
    cannot be joined on and is left out.
    """
    raw_quasi: dict[str, list[str]] = {}
    masked_quasi: dict[str, list[str]] = {}
    for name in sorted(policy):
        rule = policy[name]
        if rule.role != "quasi" or name not in raw.data or name not in masked.data:
            continue
        values = masked.column(name)
        candidates = [[rebuild(v) for v in raw.column(name)] for rebuild in rebuilds(rule)]
        agreements = [
            sum(1 for i, v in enumerate(values) if rebuilt[aligned[i]] == v)
            for rebuilt in candidates
        ]
        chosen = linkable(len(values), agreements)
        if chosen is not None:
            raw_quasi[name] = candidates[chosen]
            masked_quasi[name] = values
    if not raw_quasi:
        return 0.0, ()
    return linkage_rate(raw_quasi, masked_quasi, list(aligned)), tuple(sorted(raw_quasi))


def risk_columns(
    masked: Table, policy: Mapping[str, ColumnPolicy]
) -> tuple[dict[str, Column], dict[str, Sensitive]]:
    """The released quasi-identifier and sensitive columns (dropped ones are not released)."""
    quasi: dict[str, Column] = {
        n: masked.strings(n)
        for n in sorted(policy)
        if policy[n].role == "quasi" and n in masked.data
    }
    sensitive = {}
    for name in sorted(policy):
        rule = policy[name]
        if rule.role != "sensitive" or name not in masked.data:
            continue
        hierarchy = resolve(rule.hierarchy) if rule.hierarchy else None
        sensitive[name] = Sensitive(masked.strings(name), order=rule.order, hierarchy=hierarchy)
    return quasi, sensitive


def measure_risk(
    masked: Table,
    policy: Mapping[str, ColumnPolicy],
    limits: Thresholds,
    population: Population | None = None,
) -> RiskReport | None:
    """Every risk figure of the release, or None when it declares no quasi-identifier."""
    quasi, sensitive = risk_columns(masked, policy)
    if not quasi:
        return None
    for name, spec in sensitive.items():
        if spec.order is not None:
            allowed = set(spec.order) | MISSING
            if any(v.strip() not in allowed for v in masked.column(name)):
                raise InputError(
                    masked.source, f"column {name!r} has values outside its declared order"
                )
    return assess(
        quasi,
        sensitive,
        rows=len(masked),
        l_min=limits.l,
        t_max=limits.t,
        max_risk=limits.risk_limit,
        population=population,
    )


def verify(
    masked: Table,
    policy: Mapping[str, ColumnPolicy],
    thresholds: Thresholds,
    *,
    raw: Table | None = None,
    key: str | None = None,
    entities: Mapping[str, str] | None = None,
    residual: Sequence[ResidualHit] = (),
    masked_display: str | None = None,
    raw_display: str | None = None,
    population: Population | None = None,
    analyzer: Analyzer | None = None,
    attack_seconds: float = 10.0,
    hints: Sequence[str] = (),
) -> Verification:
    """Run every check over ``masked`` (and ``raw``) under ``policy``."""
    if len(masked) == 0:
        raise InputError(masked.source, "no data rows")
    _check_columns(masked, policy)
    aligned = None
    if raw is not None:
        if len(raw) == 0:
            raise InputError(raw.source, "no data rows")
        aligned = align(masked, raw, key)
    known = dict(entities or {})
    for name, rule in policy.items():
        if rule.entity:
            known[name] = rule.entity
    for name in masked.columns:
        if name not in known and (hint := entity_from_name(name)):
            known[name] = hint
        elif name not in known and (shaped := entity_from_values(masked.column(name))):
            known[name] = shaped
    risk = measure_risk(masked, policy, thresholds, population)
    rate: float | None = None
    link_columns: tuple[str, ...] = ()
    if raw is not None and aligned is not None and risk is not None:
        rate, link_columns = _linkage(masked, raw, aligned, policy)
    inp = DatasetInput(
        masked=masked,
        policy=policy,
        thresholds=thresholds,
        raw=raw,
        aligned=aligned,
        entities=known,
        residual=residual,
        risk=risk,
        linkage_rate=rate,
        linkage_columns=link_columns,
        analyzer=analyzer,
        attack_seconds=attack_seconds,
        hints=tuple(hints),
        regions=_region_codes(masked),
    )
    outcomes = [outcome for check in CHECKS.values() for outcome in check(inp)]
    return conclude(
        outcomes,
        inp,
        shown=masked_display or masked.source,
        raw_shown=raw_display or (raw.source if raw else None),
        rows=len(masked),
        tokens=_token_maps(inp),
    )


def conclude(
    outcomes: Sequence[Outcome],
    inp: DatasetInput,
    *,
    shown: str,
    raw_shown: str | None,
    rows: int,
    tokens: Mapping[str, Mapping[str, str]],
    values_checked: bool = True,
) -> Verification:
    """The findings, level, details and explanation of a dataset's check outcomes
    (``values_checked``: whether the checks on values ran, not only the risk)."""
    policy, thresholds, risk, rate = inp.policy, inp.thresholds, inp.risk, inp.linkage_rate
    findings = _findings(outcomes, shown)
    level = decide_level(outcomes, policy, thresholds, risk, rate)
    if not values_checked and level != "identifiable":
        level = "risk-measured"
    findings.append(_verdict_finding(level, shown))
    details = _details(outcomes, shown, raw_shown, level, policy, risk, rate, rows)
    quasi_names = [n for n in sorted(policy) if policy[n].role == "quasi" and n in inp.masked.data]
    explanation = tuple(explain(risk, quasi_names, thresholds))
    details = details.model_copy(update={"summary": explanation})
    return Verification(tuple(findings), details, level, tokens, explanation)


_ID_SHAPED = re.compile(r"(\d{6})[\d*]{11}[\dXx*]")


def _region_codes(masked: Table, limit: int = 20) -> tuple[str, ...]:
    """Region codes of the resident IDs (masked or not) the file shows, most frequent first."""
    seen: Counter[str] = Counter()
    for name in masked.columns:
        values = masked.column(name)
        for value in values[:5000]:
            match = _ID_SHAPED.fullmatch(value.strip())
            if match:
                seen[match[1]] += 1
    return tuple(code for code, _ in seen.most_common(limit))


def _token_maps(inp: DatasetInput) -> dict[str, dict[str, str]]:
    if inp.raw is None or inp.aligned is None:
        return {}
    maps: dict[str, dict[str, str]] = {}
    for name, rule in sorted(inp.policy.items()):
        if rule.action not in ("hash", "pseudonymise") or name not in inp.raw.data:
            continue
        raw, tokens = inp.raw.column(name), inp.masked.column(name)
        pairs = maps.setdefault(name, {})
        for i, token in enumerate(tokens):
            value = raw[inp.aligned[i]].strip()
            if value and token.strip():
                pairs.setdefault(value, token)
    return maps


def cross_file_consistency(results: Sequence[Verification]) -> list[Finding]:
    """Same raw value, same token in every file: pseudonyms that differ break joins."""
    findings = []
    for later_index, later in enumerate(results):
        for earlier in results[:later_index]:
            for column in sorted(set(earlier.tokens) & set(later.tokens)):
                first, second = earlier.tokens[column], later.tokens[column]
                differ = sum(1 for v, t in second.items() if v in first and first[v] != t)
                if not differ:
                    continue
                masked = later.details.masked
                other = earlier.details.masked
                findings.append(
                    Finding(
                        rule_id=f"{STAGE}.pseudonym_inconsistent_across_files",
                        stage=STAGE,
                        severity=Severity.MEDIUM,
                        title=Text(
                            en=f"Pseudonyms of '{column}' differ between files",
                            zh=f"列“{column}”的假名在不同文件间不一致",
                        ),
                        message=Text(
                            en=f"{differ} raw values get a different token here than in {other}.",
                            zh=f"{differ} 个原始值在此处的假名与 {other} 中不同。",
                        ),
                        location=Location(path=masked, column=column),
                        remediation=Text(
                            en="Pseudonymise every release with the same key.",
                            zh="请对每次发布使用同一密钥进行假名化。",
                        ),
                        references=(PIPL_73, GDPR_R26),
                    )
                )
    return findings


def _kept_issues(outcomes: Sequence[Outcome]) -> list[tuple[Outcome, Issue]]:
    """Every issue, except weaker 'identifier exposed' issues on an already flagged column."""
    strongest: dict[str, int] = {}
    for outcome in outcomes:
        for issue in outcome.issues:
            if outcome.column is not None and issue.rule in _EXPOSURE:
                rank = _EXPOSURE.index(issue.rule)
                strongest[outcome.column] = min(strongest.get(outcome.column, rank), rank)
    kept = []
    for outcome in outcomes:
        for issue in outcome.issues:
            if (
                outcome.column is not None
                and issue.rule in _EXPOSURE
                and _EXPOSURE.index(issue.rule) > strongest[outcome.column]
            ):
                continue
            kept.append((outcome, issue))
    return kept


def _findings(outcomes: Sequence[Outcome], path: str) -> list[Finding]:
    findings = []
    for outcome, issue in _kept_issues(outcomes):
        findings.append(
            Finding(
                rule_id=f"{STAGE}.{issue.rule}",
                stage=STAGE,
                severity=issue.severity,
                title=issue.title,
                message=issue.message,
                location=Location(
                    path=path,
                    row=issue.row,
                    column=outcome.column,
                    start=issue.start,
                    end=issue.end,
                ),
                evidence=issue.evidence,
                remediation=issue.remediation,
                references=(PIPL_73, GDPR_R26),
            )
        )
    return findings


def meets(risk: RiskReport, limits: Thresholds) -> bool:
    """Whether the release meets every configured privacy threshold."""
    return (
        risk.k >= limits.k
        and risk.prosecutor.highest <= limits.risk_limit
        and all(
            d.l_distinct >= limits.l
            and d.t <= limits.t
            and (limits.l_entropy is None or d.l_entropy >= limits.l_entropy)
            and (limits.c is None or d.c_needed < limits.c)
            for d in risk.diversity
        )
    )


def decide_level(
    outcomes: Sequence[Outcome],
    policy: Mapping[str, ColumnPolicy],
    limits: Thresholds,
    risk: RiskReport | None,
    linkage: float | None,
) -> Level:
    """``identifiable``, ``de-identified`` (PIPL Art. 73(3)) or ``anonymised`` (73(4)).

    Anonymised needs every direct identifier removed (a mask or keyed pseudonym still
    relates to one person, so it is de-identification), the quasi-identifiers within
    the thresholds, no record linkable to the raw file and no open issue.
    """
    issues = [i for o in outcomes for i in o.issues]
    if any(i.identifying for i in issues):
        return "identifiable"
    direct_removed = all(
        p.action in ("drop", "suppress") for p in policy.values() if p.role == "direct"
    )
    risk_ok = risk is not None and meets(risk, limits)
    if direct_removed and risk_ok and not linkage and not issues:
        return "anonymised"
    return "de-identified"


_LEVEL_TEXT = {
    "identifiable": (
        Severity.HIGH,
        Text(en="The dataset still identifies people", zh="数据集仍可识别个人"),
        Text(
            en="Direct identifiers remain or can be recovered: this is personal information "
            "(PIPL Art. 4) and not de-identified in the sense of PIPL Art. 73(3).",
            zh="仍存在或可还原直接标识符：属于个人信息（《个人信息保护法》第四条），"
            "未达到第七十三条第（三）项的去标识化。",
        ),
    ),
    "de-identified": (
        Severity.LOW,
        Text(en="The dataset is de-identified, not anonymised", zh="数据集已去标识化，但未匿名化"),
        Text(
            en="Without additional information it does not identify people (PIPL Art. 73(3)), "
            "but it is still personal information (PIPL Art. 4; GDPR Recital 26: "
            "pseudonymised data stays personal data) and must be protected as such.",
            zh="不借助额外信息无法识别特定个人（《个人信息保护法》第七十三条第（三）项），"
            "但仍属个人信息（第四条；GDPR 序言第 26 条：假名化数据仍是个人数据），"
            "须按个人信息保护。",
        ),
    ),
    "risk-measured": (
        Severity.LOW,
        Text(
            en="Re-identification risk measured; the values were not checked",
            zh="已度量重识别风险，未检查取值",
        ),
        Text(
            en="The Spark engine measures the quasi-identifiers' re-identification risk only; "
            "residual identifiers, mask shapes, raw leakage and token reversal were not "
            "checked, so the dataset is not shown to be de-identified (PIPL Art. 73(3)). Run "
            "review pii scan --engine spark on it for residual identifiers, and check a "
            "sample with the local engine.",
            zh="Spark 引擎仅度量准标识符的重识别风险，未检查残留标识符、掩码形状、原始值泄露与"
            "假名还原，因此不能证明已去标识化（《个人信息保护法》第七十三条第（三）项）。"
            "请对其运行 review pii scan --engine spark 查找残留标识符，并用本地引擎检查样本。",
        ),
    ),
    "anonymised": (
        Severity.INFO,
        Text(en="The dataset meets the anonymisation thresholds", zh="数据集达到匿名化阈值"),
        Text(
            en="No direct identifier remains and re-identification risk is within the "
            "thresholds: anonymised information (PIPL Art. 73(4)) is outside PIPL's scope "
            "(Art. 4), as anonymous data is outside GDPR's (Recital 26).",
            zh="无直接标识符残留，重识别风险在阈值之内：匿名化信息（《个人信息保护法》第七十三条"
            "第（四）项）不属于个人信息（第四条），GDPR 序言第 26 条同样不适用于匿名数据。",
        ),
    ),
}


def _verdict_finding(level: str, path: str) -> Finding:
    severity, title, message = _LEVEL_TEXT[level]
    return Finding(
        rule_id=f"{STAGE}.verdict",
        stage=STAGE,
        severity=severity,
        title=title,
        message=message,
        location=Location(path=path),
        evidence=level,
        references=(PIPL_4, PIPL_73, GDPR_R26),
    )


def _details(
    outcomes: Sequence[Outcome],
    masked: str,
    raw: str | None,
    level: Level,
    policy: Mapping[str, ColumnPolicy],
    risk: RiskReport | None,
    linkage: float | None,
    rows: int,
) -> DatasetRecord:
    checks = tuple(
        CheckRecord(
            check=outcome.check,
            column=outcome.column,
            status="fail" if outcome.issues else "pass",
            count=max((i.count for i in outcome.issues), default=0),
            rules=tuple(sorted({i.rule for i in outcome.issues})),
            **outcome.facts,
        )
        for outcome in outcomes
    )
    figures: dict[str, object] = {}
    if risk is not None:
        c_needed = risk.c_needed
        figures = {
            "classes": risk.classes,
            "k": risk.k,
            "l_distinct": risk.l_distinct,
            "l_entropy": None if risk.l_entropy is None else round(risk.l_entropy, 6),
            "t": None if risk.t is None else round(risk.t, 6),
            "unique_share": round(risk.unique_share, 6),
            "prosecutor": risk.prosecutor.record(),
            "journalist": risk.journalist.record(),
            "marketer": MarketerRecord(average=round(risk.marketer_average, 6)),
            "suppressed": risk.suppressed,
            "suppression_rate": round(risk.suppression_rate, 6),
            "c_needed": None if c_needed is None or math.isinf(c_needed) else round(c_needed, 6),
            "population": risk.population,
            "population_uniqueness": None
            if risk.population_uniqueness is None
            else round(risk.population_uniqueness, 6),
            "attributes": tuple(
                AttributeRecord(
                    column=d.column,
                    distance=d.distance,
                    l_distinct=d.l_distinct,
                    l_entropy=round(d.l_entropy, 6),
                    t=round(d.t, 6),
                )
                for d in risk.diversity
            ),
        }
    return DatasetRecord.model_validate(
        {
            "masked": masked,
            "raw": raw,
            "rows": rows,
            "level": level,
            "quasi_identifiers": tuple(n for n in sorted(policy) if policy[n].role == "quasi"),
            "sensitive": tuple(n for n in sorted(policy) if policy[n].role == "sensitive"),
            "checks": checks,
            "linkage_rate": None if linkage is None else round(linkage, 6),
            **figures,
        }
    )

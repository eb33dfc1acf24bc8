"""The checks run over one desensitised dataset; each yields per-column outcomes.

A check never reads files and never builds Findings: it gets a ``DatasetInput`` and
returns ``Outcome`` records (pass, or the issues seen). ``verify`` turns them into
findings and the ``details`` table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from pydantic import JsonValue

from review.core.i18n import label
from review.core.masking import (
    MASK_CHAR,
    MASK_RULES,
    Conformance,
    MaskShape,
    mask,
    visible_positions,
)
from review.core.models import Severity, Text
from review.scanners.desensitisation.attack import Analyzer, Attempt, Budget, Recovery, attack
from review.scanners.desensitisation.config import ColumnPolicy, Thresholds
from review.scanners.desensitisation.explain import attribute, not_assessed, uniqueness
from review.scanners.desensitisation.generalise import parse_rule
from review.scanners.desensitisation.hierarchy import resolve
from review.scanners.desensitisation.missing import is_missing
from review.scanners.desensitisation.risk import Diversity, Flagged, RiskReport
from review.scanners.desensitisation.table import Table

TREATED = frozenset({"drop", "mask", "hash", "pseudonymise", "generalise", "suppress"})


@dataclass(frozen=True)
class ResidualHit:
    """A PII detector hit in the masked file. ``value`` stays in memory, never output."""

    index: int
    column: str
    entity_type: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Issue:
    """One problem a check saw in one column (or the whole dataset), aggregated over rows."""

    rule: str
    severity: Severity
    count: int
    title: Text
    message: Text
    remediation: Text
    row: int | None = None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    identifying: bool = False


@dataclass(frozen=True)
class Outcome:
    """The result of one check on one column (``column`` None: the whole dataset)."""

    check: str
    column: str | None
    issues: tuple[Issue, ...] = ()
    facts: Mapping[str, JsonValue] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "fail" if self.issues else "pass"


@dataclass(frozen=True)
class DatasetInput:
    """Everything the checks may look at for one dataset."""

    masked: Table
    policy: Mapping[str, ColumnPolicy]
    thresholds: Thresholds
    raw: Table | None = None
    aligned: Sequence[int] | None = None
    entities: Mapping[str, str] = field(default_factory=dict)
    residual: Sequence[ResidualHit] = ()
    risk: RiskReport | None = None
    linkage_rate: float | None = None
    linkage_columns: tuple[str, ...] = ()
    analyzer: Analyzer | None = None  # the PII detector, to recognise decoded identifiers
    attack_seconds: float = 10.0  # time budget of the attacks on each token column
    hints: tuple[str, ...] = ()  # the file's own names, words a salt may have been taken from
    regions: tuple[str, ...] = ()  # region codes of resident IDs seen in the file

    def policy_of(self, column: str) -> ColumnPolicy | None:
        return self.policy.get(column)

    def direct_raw_columns(self) -> list[str]:
        """Raw columns holding direct identifiers: by policy, else by detected entity."""
        if self.raw is None:
            return []
        out = []
        for name in self.raw.columns:
            policy = self.policy_of(name)
            if (policy is not None and policy.role == "direct") or (
                policy is None and name in self.entities
            ):
                out.append(name)
        return out


def _ref_row(inp: DatasetInput, indices: Sequence[int]) -> int | None:
    return inp.masked.row_numbers[indices[0]] if indices else None


# --- masking conformance -------------------------------------------------------------

_ID_BIRTH_DATE = frozenset(range(6, 14))


def _over_reveals(value: str, entity: str | None) -> str | None:
    """Why a masked value shows too much for its entity type, or None."""
    if entity is None:
        return None
    shown = visible_positions(value)
    if entity == "CN_RESIDENT_ID" and len(value) == 18 and shown >= _ID_BIRTH_DATE:
        return "birth_date"
    rule = MASK_RULES.get(entity)
    limit = rule.most_visible if rule is not None else None
    if limit is not None and len(shown) > limit:
        return "too_many"
    if entity == "PERSON" and len(value) > 1 and len(shown) >= len(value):
        return "too_many"
    return None


def check_masking(inp: DatasetInput) -> list[Outcome]:
    """Masked columns have the declared shape; generalised ones the rule's output."""
    outcomes = []
    table = inp.masked
    for name in sorted(inp.policy):
        policy = inp.policy[name]
        if name not in table.data:
            continue
        values = table.column(name)
        if policy.action == "mask" and policy.shape is not None:
            outcomes.append(
                Outcome(
                    "masking_conformance",
                    name,
                    tuple(_mask_issues(inp, name, policy, MaskShape.parse(policy.shape), values)),
                )
            )
        elif policy.action == "generalise":
            conforms = (
                parse_rule(policy.rule).conforms
                if policy.rule is not None
                else resolve(policy.hierarchy or "suppress").conforms
            )
            # Missing cells stay missing and '*' is a suppressed cell: both are apply's output.
            bad = [
                i
                for i, v in enumerate(values)
                if not is_missing(v) and v.strip() != MASK_CHAR and not conforms(v)
            ]
            shown_rule = policy.rule or f"hierarchy {policy.hierarchy}"
            issues: tuple[Issue, ...] = ()
            if bad:
                issues = (
                    Issue(
                        rule="not_generalised",
                        severity=Severity.HIGH if policy.role == "direct" else Severity.MEDIUM,
                        count=len(bad),
                        row=_ref_row(inp, bad),
                        evidence=mask(values[bad[0]], inp.entities.get(name)),
                        title=Text(
                            en=f"Column '{name}' is not generalised as declared",
                            zh=f"列“{name}”未按声明泛化",
                        ),
                        message=Text(
                            en=f"{len(bad)} of {len(values)} values do not look like the "
                            f"output of {shown_rule}.",
                            zh=f"{len(values)} 个值中有 {len(bad)} 个"
                            f"不符合“{shown_rule}”的泛化输出。",
                        ),
                        remediation=Text(
                            en=f"Generalise every value with {shown_rule} before release.",
                            zh=f"发布前请对全部值按“{shown_rule}”进行泛化。",
                        ),
                    ),
                )
            outcomes.append(Outcome("masking_conformance", name, issues))
        elif policy.action in ("drop", "suppress"):
            outcomes.append(Outcome("masking_conformance", name, _removal_issues(inp, name)))
    return outcomes


def _removal_issues(inp: DatasetInput, name: str) -> tuple[Issue, ...]:
    policy = inp.policy[name]
    values = inp.masked.column(name)
    # A suppressed cell is empty or only mask characters; a dropped column has no values.
    left = [i for i, v in enumerate(values) if v.strip() and set(v.strip()) != {"*"}]
    if not left:
        return ()
    what = "dropped" if policy.action == "drop" else "suppressed"
    what_zh = "删除" if policy.action == "drop" else "屏蔽"
    return (
        Issue(
            rule=f"not_{what}",
            severity=Severity.HIGH if policy.role == "direct" else Severity.MEDIUM,
            count=len(left),
            row=_ref_row(inp, left),
            evidence=mask(values[left[0]], inp.entities.get(name)),
            title=Text(en=f"Column '{name}' is not {what}", zh=f"列“{name}”未{what_zh}"),
            message=Text(
                en=f"The policy says '{policy.action}', but {len(left)} values are still there.",
                zh=f"策略要求“{policy.action}”，但仍有 {len(left)} 个值。",
            ),
            remediation=Text(
                en=f"Remove the values of '{name}' from the released file.",
                zh=f"请从发布文件中去除列“{name}”的值。",
            ),
            identifying=policy.role == "direct",
        ),
    )


def _mask_issues(
    inp: DatasetInput, name: str, policy: ColumnPolicy, shape: MaskShape, values: list[str]
) -> Iterable[Issue]:
    entity = inp.entities.get(name)
    by_kind: dict[Conformance, list[int]] = defaultdict(list)
    birth_date: list[int] = []
    for i, value in enumerate(values):
        if not value.strip():
            continue
        result = shape.check(value)
        reveal = _over_reveals(value, entity) if result != Conformance.UNMASKED else None
        if reveal == "birth_date":
            birth_date.append(i)
        if reveal is not None and result == Conformance.OK:
            result = Conformance.OVER_REVEALING
        if result != Conformance.OK:
            by_kind[result].append(i)
    direct = policy.role == "direct"
    unmasked = by_kind.get(Conformance.UNMASKED, [])
    if unmasked:
        yield Issue(
            rule="unmasked",
            severity=Severity.HIGH if direct else Severity.MEDIUM,
            count=len(unmasked),
            row=_ref_row(inp, unmasked),
            evidence=mask(values[unmasked[0]], entity),
            title=Text(en=f"Column '{name}' is left unmasked", zh=f"列“{name}”未脱敏"),
            message=Text(
                en=f"The policy says mask to '{shape}', but {len(unmasked)} of {len(values)} "
                "values carry no mask at all.",
                zh=f"策略要求按“{shape}”掩码，"
                f"但 {len(values)} 个值中有 {len(unmasked)} 个完全未掩码。",
            ),
            remediation=Text(
                en=f"Mask every value of '{name}' to the shape '{shape}'.",
                zh=f"请将列“{name}”的全部值按“{shape}”掩码。",
            ),
            identifying=direct,
        )
    over = by_kind.get(Conformance.OVER_REVEALING, [])
    if over:
        extra_en = extra_zh = ""
        if birth_date:
            extra_en = f" {len(birth_date)} of them keep the birth date of a resident ID."
            extra_zh = f"其中 {len(birth_date)} 个保留了身份证号中的出生日期。"
        yield Issue(
            rule="over_revealing_mask",
            severity=Severity.HIGH,
            count=len(over),
            row=_ref_row(inp, over),
            evidence=mask(values[over[0]], entity),
            title=Text(
                en=f"Mask of column '{name}' reveals too much", zh=f"列“{name}”的掩码暴露过多"
            ),
            message=Text(
                en=f"{len(over)} values show more characters than the shape '{shape}' "
                f"allows.{extra_en}",
                zh=f"{len(over)} 个值暴露的字符多于掩码形状“{shape}”的允许范围。{extra_zh}",
            ),
            remediation=Text(
                en=f"Re-mask '{name}' to '{shape}'; for resident IDs keep at most the first 6 "
                "and last 4 characters.",
                zh=f"请按“{shape}”重新掩码；身份证号最多保留前 6 位和后 4 位。",
            ),
            identifying=bool(birth_date) and direct,
        )
    mismatch = by_kind.get(Conformance.MISMATCH, [])
    if mismatch:
        yield Issue(
            rule="mask_shape",
            severity=Severity.MEDIUM,
            count=len(mismatch),
            row=_ref_row(inp, mismatch),
            evidence=mask(values[mismatch[0]], entity),
            title=Text(
                en=f"Mask of column '{name}' has the wrong shape",
                zh=f"列“{name}”的掩码形状不符",
            ),
            message=Text(
                en=f"{len(mismatch)} values are masked, but not to the declared shape '{shape}'.",
                zh=f"{len(mismatch)} 个值已掩码，但不符合声明的形状“{shape}”。",
            ),
            remediation=Text(
                en=f"Mask '{name}' consistently to '{shape}', or declare the shape in use.",
                zh=f"请统一按“{shape}”掩码列“{name}”，或在策略中声明实际使用的形状。",
            ),
        )


# --- raw leakage -------------------------------------------------------------------

_MIN_LEAK = 4  # shorter raw values (initials, 男/女) are not identifying on their own


def _leak_index(raw: Table, columns: Iterable[str]) -> dict[str, dict[str, str]]:
    """Raw values by their first characters, each with the column it came from."""
    index: dict[str, dict[str, str]] = defaultdict(dict)
    for name in columns:
        for value in raw.column(name):
            text = value.strip()
            if len(text) >= _MIN_LEAK:
                index[text[:_MIN_LEAK]].setdefault(text, name)
    return index


def _find_leak(cell: str, index: Mapping[str, dict[str, str]]) -> tuple[int, str, str] | None:
    for start in range(len(cell) - _MIN_LEAK + 1):
        for value, column in index.get(cell[start : start + _MIN_LEAK], {}).items():
            if cell.startswith(value, start):
                return start, value, column
    return None


def check_raw_leakage(inp: DatasetInput) -> list[Outcome]:
    """No raw direct-identifier value survives verbatim anywhere in the masked file."""
    if inp.raw is None:
        return []
    raw_columns = inp.direct_raw_columns()
    if not raw_columns:
        return []
    index = _leak_index(inp.raw, sorted(raw_columns))
    outcomes = []
    for name in inp.masked.columns:
        leaks: list[tuple[int, int, str, str]] = []
        for i, cell in enumerate(inp.masked.column(name)):
            found = _find_leak(cell, index)
            if found is not None:
                leaks.append((i, *found))
        issues: tuple[Issue, ...] = ()
        if leaks:
            i, start, value, source = leaks[0]
            issues = (
                Issue(
                    rule="raw_leak",
                    severity=Severity.HIGH,
                    count=len(leaks),
                    row=inp.masked.row_numbers[i],
                    start=start,
                    end=start + len(value),
                    evidence=mask(value, inp.entities.get(source)),
                    title=Text(
                        en=f"Raw identifiers survive in column '{name}'",
                        zh=f"列“{name}”中残留原始标识符",
                    ),
                    message=Text(
                        en=f"{len(leaks)} cells contain a direct-identifier value of the raw "
                        "file verbatim.",
                        zh=f"{len(leaks)} 个单元格原样包含原始文件中的直接标识符。",
                    ),
                    remediation=Text(
                        en=f"Remove or mask the identifiers in '{name}' before release.",
                        zh=f"发布前请删除或掩码列“{name}”中的标识符。",
                    ),
                    identifying=True,
                ),
            )
        outcomes.append(Outcome("raw_leakage", name, issues))
    return outcomes


# --- residual identifiers ------------------------------------------------------------


def check_residual(inp: DatasetInput) -> list[Outcome]:
    """PII still found in columns that must be treated, or in free text."""
    by_column: dict[str, list[ResidualHit]] = defaultdict(list)
    shapes = {
        name: MaskShape.parse(p.shape)
        for name, p in inp.policy.items()
        if p.action == "mask" and p.shape is not None
    }
    for hit in inp.residual:
        shape = shapes.get(hit.column)
        value = inp.masked.column(hit.column)[hit.index] if shape is not None else ""
        # What a conforming mask leaves visible is allowed by the policy: a detector hit
        # on those characters alone (an ID's region code) is not a residual identifier.
        if shape is not None and shape.check(value) is Conformance.OK:
            continue
        by_column[hit.column].append(hit)
    outcomes = []
    for name in inp.masked.columns:
        policy = inp.policy_of(name)
        if policy is not None and policy.role in ("quasi", "sensitive"):
            continue  # measured by the quasi-identifier risk check instead
        hits = by_column.get(name, [])
        issues: tuple[Issue, ...] = ()
        if hits:
            rows = sorted({h.index for h in hits})
            first = min(hits, key=lambda h: (h.index, h.start))
            types = sorted({h.entity_type for h in hits})
            treated = policy is not None and policy.action in TREATED
            # A column declared 'keep' is released as it is on purpose (a join key, a
            # code): a PII hit there is a question for the owner, not a proven leak.
            kept = policy is not None and policy.action == "keep" and policy.role != "direct"
            where_en = "a column the policy says is treated" if treated else "free text"
            where_zh = "策略要求处理的列" if treated else "自由文本"
            if kept:
                where_en = "a column declared 'keep' (confirm it holds no personal data)"
                where_zh = "声明为 keep 的列（请确认其中不含个人信息）"
            issues = (
                Issue(
                    rule="residual_identifier",
                    severity=Severity.MEDIUM if kept else Severity.HIGH,
                    count=len(rows),
                    row=inp.masked.row_numbers[first.index],
                    start=first.start,
                    end=first.end,
                    evidence=mask(first.value, first.entity_type),
                    title=Text(
                        en=f"Personal data remains in column '{name}'",
                        zh=f"列“{name}”中仍有个人信息",
                    ),
                    message=Text(
                        en=f"The PII scan finds {', '.join(types)} in {len(rows)} rows of "
                        f"{where_en}.",
                        zh=f"个人信息扫描在{where_zh}的 {len(rows)} 行中发现 {', '.join(types)}。",
                    ),
                    remediation=Text(
                        en=f"Mask or remove the identifiers in '{name}' (review desensitise "
                        "apply masks free text too).",
                        zh=f"请掩码或删除列“{name}”中的标识符"
                        "（review desensitise apply 也会处理自由文本）。",
                    ),
                    identifying=not kept,
                ),
            )
        outcomes.append(Outcome("residual_identifiers", name, issues))
    return outcomes


# --- pseudonym quality -------------------------------------------------------------


def token_columns(inp: DatasetInput) -> list[str]:
    """Columns an attacker would try to reverse: hashed or pseudonymised, or undeclared."""
    out = []
    for name in inp.masked.columns:
        policy = inp.policy_of(name)
        if policy is None or policy.action in ("hash", "pseudonymise"):
            out.append(name)
    return out


def check_pseudonyms(inp: DatasetInput) -> list[Outcome]:
    """Token columns: consistent, collision-free, and not reversible by any attack."""
    outcomes = []
    for name in token_columns(inp):
        policy = inp.policy_of(name)
        tokens = inp.masked.column(name)
        issues: list[Issue] = []
        if policy is not None:
            issues.extend(_consistency_issues(inp, name, tokens))
        result = _attack(inp, name, tokens)
        if isinstance(result, Recovery) and result.recovered:
            issues.append(_reversal_issue(inp, name, tokens, result))
            facts: dict[str, JsonValue] = {
                "attack": result.method.en,
                "recovered": len(result.recovered),
                "attempted": result.attempted,
                "share": round(result.share, 6),
            }
        elif isinstance(result, Attempt):
            facts = {
                "attacks": list(result.attacks),
                "candidates": result.candidates,
                "recovered": 0,
            }
        else:
            facts = {}
        looked_like_tokens = isinstance(result, Attempt) and "digests" in result.attacks
        if policy is None and not issues and not looked_like_tokens:
            continue  # an undeclared column of no token shape that nothing reversed
        outcomes.append(Outcome("pseudonym_quality", name, tuple(issues), facts))
    return outcomes


def _known_values(inp: DatasetInput, name: str) -> list[str | None] | None:
    """The raw value behind each masked row of ``name`` (same column in the raw file)."""
    if inp.raw is None or inp.aligned is None or name not in inp.raw.data:
        return None
    raw = inp.raw.column(name)
    return [raw[j] for j in inp.aligned]


def _attack(inp: DatasetInput, name: str, tokens: list[str]) -> Recovery | Attempt:
    known = _known_values(inp, name)
    budget = Budget(inp.attack_seconds)
    hints = [name, *inp.hints]
    if known is not None or inp.raw is None:
        return attack(
            tokens,
            known=known,
            dictionary=_dictionary(inp, name),
            entity=inp.entities.get(name),
            regions=inp.regions,
            analyzer=inp.analyzer,
            hints=hints,
            budget=budget,
        )
    # The column was renamed: try the raw file's identifier columns as its source, the
    # cheap attacks on each, then the salt search on the likeliest one.
    sources = sorted(
        inp.direct_raw_columns(),
        key=lambda c: inp.entities.get(c) != inp.entities.get(name),
    )
    for source in sources:
        found = attack(
            tokens,
            known=_known_values(inp, source),
            dictionary=_dictionary(inp, name),
            analyzer=inp.analyzer,
            hints=[*hints, source],
            budget=budget,
            search_salt=False,
        )
        if isinstance(found, Recovery):
            return found
    if not sources:
        return Attempt((), 0, 0.0)
    return attack(
        tokens, known=_known_values(inp, sources[0]), hints=[*hints, sources[0]], budget=budget
    )


def _consistency_issues(inp: DatasetInput, name: str, tokens: list[str]) -> Iterable[Issue]:
    if inp.raw is None or inp.aligned is None or name not in inp.raw.data:
        return
    raw = inp.raw.column(name)
    token_of: dict[str, set[str]] = defaultdict(set)
    raw_of: dict[str, set[str]] = defaultdict(set)
    first_row: dict[str, int] = {}
    for i, token in enumerate(tokens):
        value = raw[inp.aligned[i]].strip()
        if not value or not token.strip():
            continue
        token_of[value].add(token)
        raw_of[token].add(value)
        first_row.setdefault(value, i)
        first_row.setdefault(token, i)
    split = sorted(v for v, ts in token_of.items() if len(ts) > 1)
    if split:
        yield Issue(
            rule="pseudonym_inconsistent",
            severity=Severity.MEDIUM,
            count=len(split),
            row=inp.masked.row_numbers[min(first_row[v] for v in split)],
            title=Text(
                en=f"Pseudonyms in column '{name}' are inconsistent",
                zh=f"列“{name}”的假名不一致",
            ),
            message=Text(
                en=f"{len(split)} raw values map to more than one token, which breaks joins "
                "and analyses over the pseudonymised data.",
                zh=f"{len(split)} 个原始值对应多个假名，破坏了假名化数据的关联与分析。",
            ),
            remediation=Text(
                en="Derive pseudonyms deterministically from the value with one secret key.",
                zh="请使用同一密钥由原值确定性地生成假名。",
            ),
        )
    collided = sorted(t for t, vs in raw_of.items() if len(vs) > 1)
    if collided:
        yield Issue(
            rule="pseudonym_collision",
            severity=Severity.MEDIUM,
            count=len(collided),
            row=inp.masked.row_numbers[min(first_row[t] for t in collided)],
            evidence=mask(collided[0]),
            title=Text(en=f"Pseudonyms in column '{name}' collide", zh=f"列“{name}”的假名存在碰撞"),
            message=Text(
                en=f"{len(collided)} tokens stand for more than one raw value.",
                zh=f"{len(collided)} 个假名对应多个不同的原始值。",
            ),
            remediation=Text(
                en="Use a longer token (e.g. a full HMAC-SHA-256) so distinct values "
                "stay distinct.",
                zh="请使用更长的假名（如完整的 HMAC-SHA-256），使不同的值保持不同。",
            ),
        )


def _dictionary(inp: DatasetInput, name: str) -> list[str]:
    """Candidate raw values an attacker could hash: the raw file and PII left in the data."""
    words: list[str] = []
    if inp.raw is not None:
        for column in sorted({name, *inp.direct_raw_columns()} & set(inp.raw.data)):
            words.extend(inp.raw.column(column))
    words.extend(hit.value for hit in inp.residual)
    return sorted({w for w in words if w.strip()})


def _token_evidence(token: str) -> str:
    # A digest's full or half hex would let a reader run the enumeration themselves.
    return mask(token.strip()[:16])


_SOURCE = {
    "raw": ("the raw file", "原始文件"),
    "dictionary": ("values left in the masked file", "脱敏文件中残留的值"),
    "decoding": ("decoding alone", "直接解码"),
    "enumeration": ("enumerating the identifier's space", "穷举标识符空间"),
}


def _reversal_issue(inp: DatasetInput, name: str, tokens: list[str], found: Recovery) -> Issue:
    source_en, source_zh = _SOURCE[found.source]
    note_en = f" ({found.note.en})" if found.note else ""
    note_zh = f"（{found.note.zh}）" if found.note else ""
    first = found.recovered[0]
    return Issue(
        rule="reversible_token",
        severity=Severity.HIGH,
        count=len(found.recovered),
        row=inp.masked.row_numbers[first],
        evidence=_token_evidence(tokens[first]),
        title=Text(
            en=f"Column '{name}' can be reversed: {found.method.en}",
            zh=f"列“{name}”可被还原：{found.method.zh}",
        ),
        message=Text(
            en=f"An attack using {source_en} recovered {len(found.recovered)} of "
            f"{found.attempted} values ({found.share:.1%}){note_en}: the tokens are "
            "{found.method.en}, which anyone can reverse without a secret key.".replace(
                "{found.method.en}", found.method.en
            ),
            zh=f"利用{source_zh}的攻击还原了 {found.attempted} 个值中的 {len(found.recovered)} 个"
            f"（{found.share:.1%}）{note_zh}：假名为{found.method.zh}，无需密钥即可还原。",
        ),
        remediation=Text(
            en="Replace with a keyed pseudonym (HMAC-SHA-256 with a secret key of at least "
            "16 random bytes kept apart from the data), e.g. review desensitise apply.",
            zh="请改用带密钥的假名（HMAC-SHA-256，密钥至少 16 字节随机值并与数据分开保管），"
            "如 review desensitise apply。",
        ),
        identifying=True,
    )


# --- quasi-identifier risk ---------------------------------------------------------


def _gate_issue(rule: str, count: int, title: Text, message: Text, remedy: Text) -> Issue:
    """A configured threshold the release does not meet: fails the gate."""
    return Issue(
        rule=rule,
        severity=Severity.HIGH,
        count=count,
        title=title,
        message=message,
        remediation=remedy,
    )


_GENERALISE = Text(
    en="Generalise the quasi-identifiers further or suppress the rare records "
    "(review desensitise apply searches the least lossy generalisation).",
    zh="请进一步泛化准标识符或屏蔽稀有记录"
    "（review desensitise apply 可搜索信息损失最小的泛化方案）。",
)


def _diversity_issues(inp: DatasetInput, div: Diversity) -> Iterable[Issue]:
    limits = inp.thresholds
    explained = attribute(div, limits)
    if div.l_distinct < limits.l:
        yield _gate_issue(
            "l_diversity",
            div.classes_below_l,
            Text(
                en=f"l-diversity of '{div.column}' is {div.l_distinct} (required {limits.l})",
                zh=f"“{div.column}”的 l-多样性为 {div.l_distinct}（要求 {limits.l}）",
            ),
            Text(
                en=f"{div.classes_below_l} groups have fewer than {limits.l} distinct "
                f"'{div.column}' values: knowing someone's group discloses it. {explained.en}",
                zh=f"{div.classes_below_l} 个等价类中“{div.column}”的不同取值少于 {limits.l} 个："
                f"一旦确定所属类即泄露该属性。{explained.zh}",
            ),
            _GENERALISE,
        )
    if limits.l_entropy is not None and div.l_entropy < limits.l_entropy:
        yield _gate_issue(
            "entropy_l_diversity",
            1,
            Text(
                en=f"Entropy l-diversity of '{div.column}' is {div.l_entropy:.2f} "
                f"(required {limits.l_entropy})",
                zh=f"“{div.column}”的熵 l-多样性为 {div.l_entropy:.2f}（要求 {limits.l_entropy}）",
            ),
            Text(
                en=f"In some group one '{div.column}' value dominates. {explained.en}",
                zh=f"某些等价类中“{div.column}”的某一取值占绝对多数。{explained.zh}",
            ),
            _GENERALISE,
        )
    if limits.c is not None and not div.c_needed < limits.c:
        yield _gate_issue(
            "recursive_cl_diversity",
            1,
            Text(
                en=f"Recursive ({limits.c:g}, {limits.l})-diversity of '{div.column}' fails",
                zh=f"“{div.column}”不满足递归 ({limits.c:g}, {limits.l})-多样性",
            ),
            Text(
                en=f"In some group the most frequent '{div.column}' value occurs "
                f"{div.c_needed:.2f} times as often as the values from the {limits.l}-th on "
                f"(must be below {limits.c:g}).",
                zh=f"某些等价类中“{div.column}”最常见取值的出现次数是第 {limits.l} 位及以后取值"
                f"合计的 {div.c_needed:.2f} 倍（须低于 {limits.c:g}）。",
            ),
            _GENERALISE,
        )
    if div.t > limits.t:
        distance_zh = label(f"des.distance.{div.distance}").zh
        yield _gate_issue(
            "t_closeness",
            div.classes_above_t,
            Text(
                en=f"t-closeness of '{div.column}' is {div.t:.3f} (allowed {limits.t})",
                zh=f"“{div.column}”的 t-接近度为 {div.t:.3f}（允许 {limits.t}）",
            ),
            Text(
                en=f"{div.classes_above_t} groups' distribution of '{div.column}' is further "
                f"than {limits.t} from the whole table's ({div.distance} distance), which "
                f"discloses the attribute by inference. {explained.en}",
                zh=f"{div.classes_above_t} 个等价类中“{div.column}”的分布与全表的距离超过 "
                f"{limits.t}（{distance_zh}），可推断该属性。{explained.zh}",
            ),
            Text(
                en="Generalise the quasi-identifiers so groups mirror the whole table.",
                zh="请泛化准标识符，使各等价类的分布接近全表。",
            ),
        )


def check_risk(inp: DatasetInput) -> list[Outcome]:
    """k, l (distinct, entropy, recursive), t, record risk and linkage against thresholds."""
    risk = inp.risk
    if risk is None:
        return [
            Outcome(
                "quasi_identifier_risk",
                None,
                (
                    Issue(
                        rule="risk_not_assessed",
                        severity=Severity.INFO,
                        count=0,
                        title=Text(
                            en="Re-identification risk not assessed",
                            zh="未评估重识别风险",
                        ),
                        message=not_assessed(),
                        remediation=not_assessed(),
                    ),
                ),
            )
        ]
    if risk.assessed == 0:
        return [Outcome("quasi_identifier_risk", None)]
    limits = inp.thresholds
    quasi = [n for n in sorted(inp.policy) if inp.policy[n].role == "quasi"]
    headline = uniqueness(risk, [n for n in quasi if n in inp.masked.data])
    issues: list[Issue] = []
    if risk.k < limits.k:
        small = risk.below_k(limits.k, inp.masked.row_numbers)
        issues.append(_k_issue(inp, risk, small, headline))
    elif risk.prosecutor.highest > limits.risk_limit:
        at_risk = risk.above_risk(limits.risk_limit, inp.masked.row_numbers)
        issue = _gate_issue(
            "reidentification_risk",
            at_risk.count,
            Text(
                en=f"Re-identification risk {risk.prosecutor.highest:.2f} exceeds "
                f"{limits.risk_limit}",
                zh=f"重识别风险 {risk.prosecutor.highest:.2f} 超过 {limits.risk_limit}",
            ),
            Text(
                en=f"{risk.prosecutor.records_at_risk:.1%} of records have a prosecutor risk "
                f"above {limits.risk_limit} although k = {risk.k} meets the threshold. "
                f"{headline.en}",
                zh=f"{risk.prosecutor.records_at_risk:.1%} 的记录的检察官风险超过 "
                f"{limits.risk_limit}（k = {risk.k} 已达阈值）。{headline.zh}",
            ),
            Text(
                en="Generalise further until every group has at least 1/max_risk records.",
                zh="请进一步泛化，使每个等价类至少有 1/max_risk 条记录。",
            ),
        )
        issues.append(_with_row(issue, at_risk.rows[0] if at_risk.rows else None))
    for div in risk.diversity:
        issues.extend(_diversity_issues(inp, div))
    if inp.linkage_rate:
        linked = round(inp.linkage_rate * risk.records)
        columns = ", ".join(inp.linkage_columns)
        issues.append(
            Issue(
                rule="linkage",
                severity=Severity.HIGH,
                count=linked,
                title=Text(
                    en=f"{inp.linkage_rate:.1%} of records re-identify by linkage",
                    zh=f"{inp.linkage_rate:.1%} 的记录可通过链接攻击重识别",
                ),
                message=Text(
                    en=f"Joining the raw file on ({columns}) singles out {linked} masked "
                    "records and links them to the right person.",
                    zh=f"按（{columns}）与原始文件关联，"
                    f"可唯一定位 {linked} 条脱敏记录并对应到本人。",
                ),
                remediation=Text(
                    en="Raise k until no record is unique on its quasi-identifiers.",
                    zh="请提高 k 值，直至没有记录在准标识符上唯一。",
                ),
            )
        )
    return [Outcome("quasi_identifier_risk", None, tuple(issues))]


def _with_row(issue: Issue, row: int | None) -> Issue:
    return replace(issue, row=row)


def _k_issue(inp: DatasetInput, risk: RiskReport, small: Flagged, headline: Text) -> Issue:
    limits = inp.thresholds
    rows = ", ".join(str(row) for row in small.rows)
    more = " ..." if small.count > len(small.rows) else ""
    return Issue(
        rule="k_anonymity",
        severity=Severity.HIGH,
        count=small.count,
        row=small.rows[0] if small.rows else None,
        title=Text(
            en=f"k-anonymity is {risk.k} (required {limits.k})",
            zh=f"k-匿名为 {risk.k}（要求 {limits.k}）",
        ),
        message=Text(
            en=f"{small.count} records sit in groups smaller than {limits.k} "
            f"(rows {rows}{more}). {headline.en}",
            zh=f"{small.count} 条记录所在等价类小于 {limits.k}（行 {rows}{more}）。{headline.zh}",
        ),
        remediation=_GENERALISE,
    )


Check = Callable[[DatasetInput], list[Outcome]]

# The closed registry of checks, in report order.
CHECKS: dict[str, Check] = {
    "residual_identifiers": check_residual,
    "masking_conformance": check_masking,
    "raw_leakage": check_raw_leakage,
    "pseudonym_quality": check_pseudonyms,
    "quasi_identifier_risk": check_risk,
}

"""The ``pii`` stage: scans the configured sample data and reports findings per column.

review.json gets one finding per (file, column, entity) with the count, the hit ratio
and the first rows, not one per cell: a million-row file would otherwise bury the
report. Cell-level findings are what ``review pii scan --format json`` prints.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import ClassVar

from review.core.clock import now
from review.core.errors import ConfigError
from review.core.i18n import LABELS, label
from review.core.models import (
    Attestation,
    Claim,
    Finding,
    InputRead,
    Location,
    Reference,
    Severity,
    Text,
)
from review.core.stage import Stage, StageContext
from review.scanners.datafiles.spark import registered_inputs
from review.scanners.pii.categories import (
    ENTITY_CATEGORY,
    GDPR_SPECIAL,
    entity_severity,
)
from review.scanners.pii.config import PiiConfig
from review.scanners.pii.details import PiiDetails, PiiResult
from review.scanners.pii.engine import NER_ENTITIES
from review.scanners.pii.ignore import UNREADABLE_RULE, IgnoreRules, entity_rule_id
from review.scanners.pii.recognizers import ENTITY_TYPES
from review.scanners.pii.results import ColumnResult, FileResult, ScanReport
from review.scanners.pii.scan import (
    EMPTY_FOLDER,
    UNKNOWN_FORMAT,
    Scanner,
    collect_data_files,
)
from review.scanners.pii.spark import scan_sources

_PIPL_SENSITIVE: tuple[Reference, ...] = (
    Reference(framework="PIPL", article="28"),
    Reference(framework="PIPL", article="29"),
)
_GDPR_SPECIAL: tuple[Reference, ...] = (Reference(framework="GDPR", article="9"),)
_PERSONAL: tuple[Reference, ...] = (
    Reference(framework="PIPL", article="4"),
    Reference(framework="GDPR", article="4(1)"),
)
# Identity and financial data are recognised from the values themselves; a header alone
# (e.g. 身份证号 over properly masked values) is no finding for them.
_VALUE_CATEGORIES = frozenset({"identity_document", "financial_account"})


def _names(entity: str) -> tuple[str, str]:
    """An entity type as plural nouns; a type a NER model adds is shown as it is named."""
    text = LABELS.get(f"entity.{entity}", Text(en=entity, zh=entity))
    return text.en, text.zh


def _rows(rows: tuple[int, ...]) -> str:
    return ", ".join(str(r) for r in rows)


def _references(category: str | None) -> tuple[Reference, ...]:
    if category is None:
        return _PERSONAL
    refs = _PIPL_SENSITIVE
    if category in GDPR_SPECIAL:
        refs += _GDPR_SPECIAL
    return refs


def _remediation(sensitive: bool) -> Text:
    if sensitive:
        return Text(
            en="Remove or desensitise this column before the data is shared or used for "
            "testing; sensitive personal information needs a specific purpose, separate "
            "consent and a PIA (PIPL Art. 28-29, 55).",
            zh="在共享或用于测试前删除或脱敏该列；敏感个人信息须具有特定目的、取得单独同意并"
            "开展个人信息保护影响评估（《个人信息保护法》第二十八、二十九、五十五条）。",
        )
    return Text(
        en="Mask, pseudonymise or drop this column in sample data unless it is needed.",
        zh="除非确有必要，请在样例数据中对该列进行掩码、假名化或删除处理。",
    )


def column_findings(column: ColumnResult) -> list[Finding]:
    """One finding per entity seen in the column, plus one for a sensitive header."""
    findings = []
    for entity, count in column.counts.items():
        en, zh = _names(entity)
        category = ENTITY_CATEGORY.get(entity)
        category_zh = label(f"category.{category}").zh if category else None
        severity = entity_severity(entity)
        rows = column.first_rows.get(entity, ())
        ratio = count / column.rows_scanned if column.rows_scanned else 0.0
        findings.append(
            Finding(
                rule_id=entity_rule_id(entity),
                stage="pii",
                severity=severity,
                title=Text(
                    en=f"{en.capitalize()} in column '{column.column}'",
                    zh=f"列「{column.column}」含{zh}",
                ),
                message=Text(
                    en=f"{count} of {column.rows_scanned} values ({ratio:.0%}) hold {en}; "
                    f"first rows: {_rows(rows)}."
                    + (f" PIPL sensitive personal information ({category})." if category else ""),
                    zh=f"{column.rows_scanned} 个值中有 {count} 个（{ratio:.0%}）含{zh}；"
                    f"首次出现的行：{_rows(rows)}。"
                    + (f"属于敏感个人信息（{category_zh}）。" if category else ""),
                ),
                location=Location(
                    path=column.path, column=column.column, row=rows[0] if rows else None
                ),
                evidence=column.evidence.get(entity),
                remediation=_remediation(category is not None),
                references=_references(category),
            )
        )
    header = column.header_category
    if header is not None and header not in _VALUE_CATEGORIES:
        en, zh = label(f"category.{header}").en, label(f"category.{header}").zh
        gdpr = header in GDPR_SPECIAL
        findings.append(
            Finding(
                rule_id=f"pii.sensitive.{header}",
                stage="pii",
                severity=Severity.HIGH,
                title=Text(
                    en=f"Column '{column.column}' holds {en}",
                    zh=f"列「{column.column}」含{zh}",
                ),
                message=Text(
                    en=f"The header names {en}: sensitive personal information under PIPL "
                    "Art. 28"
                    + (
                        " and a special category under GDPR Art. 9."
                        if header in GDPR_SPECIAL
                        else "."
                    )
                    + f" {column.rows_scanned} non-empty values.",
                    zh=f"列名表明其为{zh}，属于《个人信息保护法》第二十八条规定的敏感个人信息"
                    + ("，亦属 GDPR 第 9 条特殊类别数据" if gdpr else "")
                    + f"。共 {column.rows_scanned} 个非空值。",
                ),
                location=Location(path=column.path, column=column.column),
                remediation=_remediation(True),
                references=_references(header),
            )
        )
    if column.minors:
        en = label("category.minor").en
        findings.append(
            Finding(
                rule_id="pii.sensitive.minor",
                stage="pii",
                severity=Severity.HIGH,
                title=Text(
                    en=f"Records of children under 14 in column '{column.column}'",
                    zh=f"列「{column.column}」含不满十四周岁未成年人的记录",
                ),
                message=Text(
                    en=f"{column.minors} value(s) show an age under 14: {en} are sensitive "
                    "personal information (PIPL Art. 28, 31: guardian consent required).",
                    zh=f"{column.minors} 个值显示年龄不满十四周岁：属于敏感个人信息，"
                    "须取得监护人同意（《个人信息保护法》第二十八、三十一条）。",
                ),
                location=Location(path=column.path, column=column.column),
                remediation=_remediation(True),
                references=(Reference(framework="PIPL", article="31"), *_PIPL_SENSITIVE),
            )
        )
    return findings


def unread_finding(path: str, problem: str, rows: int) -> Finding:
    """A file the stage was told to scan and could not read in full."""
    read = (
        Text(en=f"the {rows} row(s) before it were scanned", zh=f"此前的 {rows} 行已扫描")
        if rows
        else Text(en="nothing of it was scanned", zh="该文件未被扫描")
    )
    return Finding(
        rule_id=UNREADABLE_RULE,
        stage="pii",
        severity=Severity.HIGH,
        title=Text(en="Sample-data file could not be scanned", zh="样例数据文件无法扫描"),
        message=Text(
            en=f"{problem}; {read.en}, and personal data in the rest, if any, was not checked.",
            zh=f"{problem}；{read.zh}，其余部分可能存在的个人信息未被检查。",
        ),
        location=Location(path=path),
        remediation=Text(
            en="Fix or re-export the file (UTF-8 or GB18030 CSV, JSON, Parquet, xlsx), "
            "or exclude it from [pii] paths if it is not sample data.",
            zh="请修复或重新导出该文件（UTF-8 或 GB18030 编码的 CSV、JSON、Parquet、xlsx），"
            "如非样例数据，请在 [pii] 的 exclude 中排除。",
        ),
    )


NAMES_SHOWN = 3


def name_findings(result: FileResult) -> list[Finding]:
    """Personal data in the file's name, or in its column names, keys or sheet names."""
    findings = []
    for found in result.names:
        en, zh = _names(found.entity_type)
        shown = ", ".join(found.names[:NAMES_SHOWN]) + (
            ", …" if len(found.names) > NAMES_SHOWN else ""
        )
        if found.kind == "file":
            title = Text(en=f"{en.capitalize()} in a file name", zh=f"文件名中含{zh}")
            message = Text(
                en=f"The file name holds {en}: file names are copied into logs, reports "
                "and archives, and are personal data there too.",
                zh=f"文件名中含{zh}：文件名会被复制到日志、报告与归档中，在那里同样是个人信息。",
            )
        else:
            title = Text(
                en=f"{en.capitalize()} in {len(found.names)} column name(s) or key(s)",
                zh=f"{len(found.names)} 个列名或键中含{zh}",
            )
            message = Text(
                en=f"Names read from the file hold {en} (shown masked: {shown}): a header row "
                "that is data, or JSON keyed by personal data.",
                zh=f"文件中的名称含{zh}（已掩码显示：{shown}）："
                "表头行实为数据，或 JSON 以个人信息为键。",
            )
        findings.append(
            Finding(
                rule_id=f"pii.name.{found.entity_type.lower()}",
                stage="pii",
                severity=entity_severity(found.entity_type),
                title=title,
                message=message,
                location=Location(
                    path=result.path, column=found.names[0] if found.kind == "column" else None
                ),
                evidence=found.names[0],
                remediation=_remediation(ENTITY_CATEGORY.get(found.entity_type) is not None),
                references=_references(ENTITY_CATEGORY.get(found.entity_type)),
            )
        )
    return findings


def file_findings(result: FileResult) -> list[Finding]:
    """Findings for one file: per column (tables), per entity (text), names, and the
    error that stopped reading it (what was read before it is reported too)."""
    findings = name_findings(result)
    if result.error is not None:
        findings.append(unread_finding(result.path, result.error, result.rows_scanned))
    findings += [f for column in result.columns for f in column_findings(column)]
    for text in result.text_entities:
        en, zh = _names(text.entity_type)
        category = ENTITY_CATEGORY.get(text.entity_type)
        findings.append(
            Finding(
                rule_id=entity_rule_id(text.entity_type),
                stage="pii",
                severity=entity_severity(text.entity_type),
                title=Text(en=f"{en.capitalize()} in text", zh=f"文本中含{zh}"),
                message=Text(
                    en=f"{text.count} occurrence(s); first lines: {_rows(text.first_lines)}.",
                    zh=f"共 {text.count} 处；首次出现的行：{_rows(text.first_lines)}。",
                ),
                location=Location(path=text.path, row=text.first_lines[0]),
                evidence=text.evidence,
                remediation=_remediation(category is not None),
                references=_references(category),
            )
        )
    return findings


def _categories_zh(categories: Sequence[str]) -> str:
    """Sensitive categories as a Chinese text names them (the English keeps the ids)."""
    return "、".join(label(f"category.{c}").zh for c in categories)


def attestations(report: ScanReport) -> tuple[Attestation, ...]:
    """What the scan tells the checklist: sensitive PI identified, and which categories."""
    categories = tuple(report.sensitive_categories)
    special = tuple(c for c in categories if c in GDPR_SPECIAL)
    count = len(report.files)
    if categories:
        identified = Text(
            en=f"PII scan of {count} file(s) identified sensitive PI: {', '.join(categories)}",
            zh=f"个人信息扫描（{count} 个文件）识别出敏感个人信息：{_categories_zh(categories)}",
        )
    else:
        identified = Text(
            en=f"PII scan of {count} file(s) found no sensitive PI category",
            zh=f"个人信息扫描（{count} 个文件）未发现敏感个人信息类别",
        )

    def seen(claim: Claim, found: tuple[str, ...], en: str, zh: str) -> Attestation:
        return Attestation(
            claim=claim,
            holds="yes" if found else "no",
            justification=Text(
                en=f"the PII scan found {en}: {', '.join(found) or 'none'}",
                zh=f"个人信息扫描发现{zh}：{_categories_zh(found) or '无'}",
            ),
            categories=found,
        )

    return (
        Attestation(claim=Claim.SENSITIVE_PI_IDENTIFIED, holds="yes", justification=identified),
        seen(Claim.SENSITIVE_PI, categories, "sensitive PI", "敏感个人信息"),
        seen(Claim.SPECIAL_CATEGORY, special, "GDPR special categories", "GDPR 特殊类别数据"),
    )


def scan_result(
    report: ScanReport,
    inputs: tuple[str, ...],
    unread: Sequence[InputRead] = (),
    rules: IgnoreRules | None = None,
) -> PiiResult:
    """The stage's result for a scan: findings (those ``rules`` match accepted), summary,
    statements, details, and what was read of every input (``unread``: inputs found but
    not read, such as files of unknown format in a folder)."""
    findings = [f for result in report.files for f in file_findings(result)]
    findings += [unread_finding(r.path, r.problem or "not read", 0) for r in unread]
    if rules is not None:
        findings = rules.accept(findings)
    findings.sort(
        key=lambda f: (
            f.location.path if f.location else "",
            -f.severity.rank,
            f.location.column or "" if f.location else "",
            f.rule_id,
        )
    )
    columns = sum(1 for c in report.columns if c.entity_type)
    # Entity types and categories by their labels: a Chinese summary holds no English id.
    missed = [label(f"entity.{e}") for e in report.not_covered]
    names = label("entity.PERSON")
    ner = (
        Text(en=f"NER model {report.ner_model}.", zh=f"NER 模型 {report.ner_model}。")
        if report.ner_model
        else Text(
            en=f"No NER model: {', '.join(m.en for m in missed)} not covered; "
            f"{names.en} only by Chinese-name and cue patterns.",
            zh=f"未配置 NER 模型：未覆盖{'、'.join(m.zh for m in missed)}；"
            f"{names.zh}仅由中文姓名与提示词模式识别。",
        )
    )
    accepted = sum(f.accepted for f in findings)
    lapsed = sum(f.acceptance is not None and f.acceptance.expired for f in findings)
    sensitive = [label(f"category.{c}") for c in report.sensitive_categories]
    summary = Text(
        en=f"{len(report.files)} file(s), {columns} column(s) with personal data, "
        f"sensitive: {', '.join(c.en for c in sensitive) or 'none'}. {ner.en}"
        + (f" {accepted} finding(s) accepted by [[pii.ignore]] rules." if accepted else "")
        + (f" {lapsed} finding(s) of expired [[pii.ignore]] rules." if lapsed else ""),
        zh=f"{len(report.files)} 个文件，{columns} 列含个人信息，敏感类别："
        f"{'、'.join(c.zh for c in sensitive) or '无'}。{ner.zh}"
        + (f"{accepted} 项发现经忽略规则接受。" if accepted else "")
        + (f"{lapsed} 项发现所属的忽略规则已过期。" if lapsed else ""),
    )
    return PiiResult(
        summary=summary,
        findings=tuple(findings),
        inputs=inputs,
        attestations=attestations(report),
        details=PiiDetails.of(report, rules.uses() if rules is not None else ()),
        reads=tuple(
            InputRead(path=f.path, rows=f.rows_scanned, problem=f.error) for f in report.files
        )
        + tuple(unread),
    )


def ignore_rules(
    section: PiiConfig, *, config_dir: Path, shown_from: Path, source: str | Path
) -> IgnoreRules:
    """The section's ``[[pii.ignore]]`` rules, checked, as of today (SOURCE_DATE_EPOCH)."""
    return IgnoreRules(
        section.ignore,
        base=config_dir,
        shown_from=shown_from,
        today=now().date(),
        known_entities=(*ENTITY_TYPES, *NER_ENTITIES),
        source=source,
    )


def check_entities(entities: Collection[str] | None, source: str | Path) -> None:
    """Unknown entity names in the config are an error naming the config file."""
    unknown = sorted(set(entities or ()) - set(ENTITY_TYPES))
    if unknown:
        raise ConfigError(source, f"pii.entities: unknown entity {', '.join(unknown)}")


class PiiStage(Stage[PiiConfig, PiiResult]):
    """Finds personal information in the project's sample data."""

    name: ClassVar[str] = "pii"
    title: ClassVar[Text] = Text(en="PII in sample data", zh="样例数据中的个人信息")

    def skip_reason(self, section: PiiConfig) -> Text | None:
        if not section.enabled:
            return Text(en="[pii] enabled = false", zh="[pii] enabled = false（已关闭）")
        if not section.paths and not section.sources:
            return Text(
                en="no sample data: [pii] paths is empty", zh="未配置样例数据：[pii] paths 为空"
            )
        return None

    def run(self, section: PiiConfig, context: StageContext) -> PiiResult:
        check_entities(section.entities, context.error_source)
        config_dir = context.config_source.parent if context.config_source else None
        rules = ignore_rules(
            section,
            config_dir=config_dir or context.project_dir,
            shown_from=context.project_dir,
            source=context.error_source,
        )
        if section.engine == "spark":
            report, read = scan_sources(
                [*map(str, section.paths), *section.sources],
                context.spark,
                base=context.project_dir,
                entities=section.entities,
                nlp_model=section.nlp_model,
                progress=context.progress.enabled,
                strict=False,
            )
            return scan_result(report, registered_inputs(context, read), rules=rules)
        found = collect_data_files(section.paths, section.include, section.exclude)
        scanner = Scanner(
            entities=section.entities,
            nlp_model=section.nlp_model,
            progress=context.progress,
            base=context.project_dir,
            limits=context.limits,
        )
        report = scanner.scan(found.files, strict=False)
        unread = [
            InputRead(path=scanner.shown(p), problem=UNKNOWN_FORMAT) for p in found.unknown
        ] + [InputRead(path=scanner.shown(p), rows=0, problem=EMPTY_FOLDER) for p in found.empty]
        inputs = []
        for path in found.files:
            shown = scanner.shown(path)
            context.register(shown, path)
            inputs.append(shown)
        return scan_result(report, tuple(inputs), unread, rules)

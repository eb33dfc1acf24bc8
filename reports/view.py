"""What the report shows, computed from the Review alone: verdict, charts, matrix."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from review.checklists.details import ChecklistDetails, ChecklistResult
from review.core.i18n import LABELS, cite_zh
from review.core.models import Decision, Finding, Severity, StageResult, Text
from review.record import AnyStageResult, Review
from review.reports.charts import Bar, Series, hbar_chart
from review.scanners.licenses.details import LicensesDetails
from review.scanners.licenses.models import PackageReport
from review.scanners.pii.details import PiiDetails

Lang = Literal["en", "zh", "bilingual"]
OverallStatus = Literal["pass", "fail", "pending"]

SEVERITY_COLORS = {
    Severity.INFO: "#8fa3b8",
    Severity.LOW: "#4c9be8",
    Severity.MEDIUM: "#f0b429",
    Severity.HIGH: "#e8590c",
    Severity.CRITICAL: "#b00020",
}
# Stages the report has a dedicated section for, in report order; any other stage that
# appears in a review still gets a generic findings section.
KNOWN_STAGES = ("pii", "desensitisation", "licenses", "checklist")
CHART_ROWS = 20


@dataclass(frozen=True)
class Overall:
    """The verdict on the cover: pending until every required reviewer has decided."""

    status: OverallStatus
    pending: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()


def overall_verdict(review: Review) -> Overall:
    """Combine the gate verdict with the recorded sign-offs."""
    decided = {s.reviewer: s for s in review.signoffs}
    pending = tuple(r.name for r in review.reviewers if r.required and r.name not in decided)
    rejected = tuple(s.reviewer for s in review.signoffs if s.decision == Decision.REJECT)
    conditions = tuple(
        s.reviewer for s in review.signoffs if s.decision == Decision.APPROVE_WITH_CONDITIONS
    )
    if pending:
        status: OverallStatus = "pending"
    elif rejected or review.gate.verdict == "fail":
        status = "fail"
    else:
        status = "pass"
    return Overall(status, pending, rejected, conditions)


def plain(text: Text, lang: Lang) -> str:
    """A text as one plain string (SVG labels, PDF metadata)."""
    return text.get(lang)


def label_text(key: str, **fmt: object) -> Text:
    """A fixed report text with ``{name}`` fields filled in; a field given as a Text is
    filled in each language with that language's side."""
    text = LABELS[key]
    en = {k: v.en if isinstance(v, Text) else v for k, v in fmt.items()}
    zh = {k: v.zh if isinstance(v, Text) else v for k, v in fmt.items()}
    return Text(en=text.en.format(**en), zh=text.zh.format(**zh))


def label(key: str, lang: Lang, **fmt: object) -> str:
    """A fixed report text as one plain string, with ``{name}`` fields filled in."""
    return label_text(key, **fmt).get(lang)


def _font_stack(cjk_family: str) -> str:
    return f"'{cjk_family}', 'DejaVu Sans', sans-serif"


def findings_chart(review: Review, lang: Lang, font: str) -> str:
    """Findings per stage, stacked by severity."""
    series = [Series(label(f"severity.{s.value}", lang), SEVERITY_COLORS[s]) for s in Severity]
    bars = []
    for stage in review.stages:
        counts = Counter(f.severity for f in stage.findings)
        values = tuple(float(counts.get(s, 0)) for s in Severity)
        bars.append(Bar(stage_title(stage.stage, lang), values, str(len(stage.findings))))
    return hbar_chart(bars, series, font=_font_stack(font), title=label("chart.findings", lang))


def _single(
    rows: Sequence[tuple[str, float, str]], lang: Lang, font: str, title: str, color: str
) -> str:
    shown = rows[:CHART_ROWS]
    more = label("chart.more", lang, n=len(rows) - len(shown)) if len(rows) > len(shown) else ""
    bars = [Bar(name, (value,), note) for name, value, note in shown]
    return hbar_chart(
        bars,
        [Series(title, color)],
        font=_font_stack(font),
        title=title,
        more_note=more,
        scale_max=max((v for _, v, _ in rows), default=1.0) or 1.0,
    )


def license_chart(details: LicensesDetails, lang: Lang, font: str) -> str | None:
    if not details.categories:
        return None
    rows = sorted(
        (
            (term("lic.category", name, lang), float(n), str(n))
            for name, n in details.categories.items()
        ),
        key=lambda r: (-r[1], r[0]),
    )
    return _single(rows, lang, font, label("chart.licenses", lang), "#5c7cfa")


def pii_chart(details: PiiDetails, lang: Lang, font: str) -> str | None:
    if not details.columns:
        return None
    rows = [
        (
            f"{c.path}: {c.column}",
            c.hit_ratio,
            f"{term('entity', c.entity_type, lang) if c.entity_type else ''} {c.hit_ratio:.0%}",
        )
        for c in details.columns
    ]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return _single(rows, lang, font, label("chart.pii", lang), "#12b886")


def checklist_chart(details: ChecklistDetails, lang: Lang, font: str) -> str | None:
    if not details.checklists:
        return None
    bars = []
    for item in details.checklists:
        share = item.answered / item.total if item.total else 0.0
        bars.append(
            Bar(
                item.title.get(lang),
                (share, max(0.0, 1.0 - share)),
                f"{item.answered}/{item.total}",
            )
        )
    series = [
        Series(label("col.answered", lang), "#2f9e44"),
        Series(label("coverage.status.open", lang), "#dee2e6"),
    ]
    return hbar_chart(
        bars,
        series,
        font=_font_stack(font),
        title=label("chart.checklists", lang),
        scale_max=1.0,
    )


def stage_title(name: str, lang: Lang) -> str:
    key = f"stage.{name}"
    return label(key, lang) if key in LABELS else label("stage.other", lang, name=name)


@dataclass(frozen=True)
class Regulation:
    """A regulation column of the coverage matrix: the framework spellings it gathers."""

    key: str
    pattern: str

    @property
    def title(self) -> Text:
        """A group of several frameworks has its own title; one framework its own name."""
        return LABELS.get(f"framework_group.{self.key}") or LABELS[f"framework.{self.key}"]


# The regulations the matrix always names.
REGULATIONS = (
    Regulation("PIPL", r"^pipl$"),
    Regulation("GDPR", r"^gdpr$"),
    Regulation("EU-AI-Act", r"^euaiact$|^aiact$"),
    Regulation("GenAI", r"genai|generative|aigc|45654|生成式"),
)


# Other frameworks the checklists cite: named properly when present, omitted otherwise.
OTHER_REGULATIONS = (
    Regulation("CSL", r"^csl$"),
    Regulation("DSL", r"^dsl$"),
    Regulation("CN-Algorithm-Provisions", r"algorithm"),
)


def _normalise(framework: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", framework.lower())


def framework_title(framework: str) -> Text:
    """A framework's name as the report shows it (its own spelling when not a known one)."""
    return LABELS.get(f"framework.{framework}") or Text(en=framework, zh=framework)


def regulation_of(framework: str) -> str:
    """The matrix row group a framework name belongs to (itself when not a named one)."""
    norm = _normalise(framework)
    for reg in (*REGULATIONS, *OTHER_REGULATIONS):
        if re.search(reg.pattern, norm):
            return reg.key
    return framework


@dataclass
class CoverageRow:
    """One article of the coverage matrix."""

    framework: str
    article: str
    items: list[str] = field(default_factory=list)
    findings: int = 0
    status: str = "open"


@dataclass
class CoverageGroup:
    """All articles of one regulation."""

    key: str
    title: Text
    rows: list[CoverageRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(r.status for r in self.rows)
        return {s: tally.get(s, 0) for s in ("covered", "partial", "open")}


def _article_key(article: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", article) if p)


# Regulations that apply only under a product fact: out of scope when it is false.
SCOPE_CONDITIONS = {
    "GDPR": "eu_data_subjects",
    "EU-AI-Act": "eu_data_subjects",
    "GenAI": "generative_ai",
}


def out_of_scope(review: Review) -> set[str]:
    """Regulation groups the product context rules out (e.g. GDPR when no one in the EU
    is concerned), unless a selected checklist assesses them anyway."""
    checklist = review.result(ChecklistResult)
    if checklist is None:
        return set()
    context = checklist.details.context
    assessed = {regulation_of(framework) for framework in checklist.details.coverage}
    return {
        key
        for key, condition in SCOPE_CONDITIONS.items()
        if key not in assessed and condition in context and context[condition].value is False
    }


def coverage_matrix(review: Review) -> list[CoverageGroup]:
    """Articles from the checklist's coverage, plus articles findings point at; only the
    regulations in scope (a regulation ruled out by the product context is left out)."""
    skip = out_of_scope(review)
    groups: dict[str, CoverageGroup] = {
        r.key: CoverageGroup(r.key, r.title) for r in REGULATIONS if r.key not in skip
    }
    rows: dict[tuple[str, str], CoverageRow] = {}
    checklist = review.result(ChecklistResult)
    coverage = checklist.details.coverage if checklist else {}
    for framework, articles in coverage.items():
        for entry in articles:
            rows[(framework, entry.article)] = CoverageRow(
                framework=framework,
                article=entry.article,
                items=list(entry.items),
                status=entry.status,
            )
    for finding in review.findings():
        for ref in finding.references:
            if regulation_of(ref.framework) in skip:
                continue
            row = rows.setdefault(
                (ref.framework, ref.article), CoverageRow(ref.framework, ref.article)
            )
            row.findings += 1
    others = {r.key: r for r in OTHER_REGULATIONS}
    for (framework, _), row in sorted(rows.items(), key=lambda kv: _article_key(kv[0][1])):
        key = regulation_of(framework)
        if key not in groups:
            known = others.get(key)
            title = known.title if known else Text(en=framework, zh=framework)
            groups[key] = CoverageGroup(key, title)
        groups[key].rows.append(row)
    return list(groups.values())


def location_text(finding: Finding, lang: Lang) -> str:
    """Where a finding is, in one short line (Chinese only in a Chinese report)."""
    return finding.location.describe("zh" if lang == "zh" else "en") if finding.location else ""


def stage_sections(review: Review) -> list[AnyStageResult]:
    """Stages in report order: the known ones first, any others after them."""
    known = [s for name in KNOWN_STAGES for s in review.stages if s.stage == name]
    return known + [s for s in review.stages if s.stage not in KNOWN_STAGES]


def severity_counts(review: Review) -> list[tuple[Severity, int, int]]:
    """Open and accepted findings per severity, most severe first: the gate's own counts."""
    gate = review.gate
    return [(s, gate.counts.get(s, 0), gate.accepted.get(s, 0)) for s in reversed(Severity)]


def sorted_findings(stage: StageResult) -> list[Finding]:
    """Open before accepted, most severe first; otherwise the stage's own stable order."""
    return sorted(stage.findings, key=lambda f: (f.accepted, -f.severity.rank))


def remediations(findings: Sequence[Finding]) -> list[tuple[str, Text]]:
    """One remediation per rule: findings of a rule share it, so it is printed once."""
    seen: dict[str, Text] = {}
    for finding in findings:
        if finding.remediation is not None and finding.rule_id not in seen:
            seen[finding.rule_id] = finding.remediation
    return sorted(seen.items())


def packages_by_source(details: LicensesDetails) -> list[tuple[str, list[PackageReport]]]:
    """License rows grouped by the lock file or SBOM they came from."""
    groups: dict[str, list[PackageReport]] = {}
    for row in details.packages:
        groups.setdefault(row.source or "—", []).append(row)
    return sorted(groups.items())


def via(package: PackageReport, lang: Lang) -> str:
    """The dependency path between the project and the package: 'direct' when none."""
    if len(package.path) <= 2:
        return label("lic.direct", lang)
    return " › ".join(package.path[1:-1])


def term(prefix: str, value: object, lang: Lang) -> str:
    """A fixed value (entity type, category, verdict, ...) by its catalogue label; the
    value itself when the catalogue has none (an identifier such as a column name)."""
    key = f"{prefix}.{value}"
    return label(key, lang) if key in LABELS else str(value)


def reference_text(reference: object, lang: Lang) -> str:
    """'PIPL Art. 55' as a Chinese report writes it ('PIPL 第 55 条')."""
    text = str(reference)
    return cite_zh(text) if lang == "zh" else text


# Phrases of PackageReport.evidence (English, made by the license resolver), longest first.
_EVIDENCE_PHRASES = (
    ("license text in License field", "lic.evidence.license-field"),
    ("license file", "lic.evidence.license-file"),
    ("License field", "lic.evidence.license-field"),
    ("license field", "lic.evidence.license-field"),
    ("license name", "lic.evidence.name"),
    ("license ids", "lic.evidence.expression"),
    ("expression", "lic.evidence.expression"),
    ("classifiers", "lic.evidence.classifier"),
    ("classifier", "lic.evidence.classifier"),
    ("text match", "lic.evidence.text"),
    ("several", "lic.evidence.several"),
    (" over ", "lic.evidence.over"),
)


def evidence_text(evidence: str, lang: Lang) -> str:
    """Where a license was read from, in the report's language (file names kept)."""
    if lang != "zh":
        return evidence
    if evidence == "none":
        return label("lic.evidence.none", lang)
    for phrase, key in _EVIDENCE_PHRASES:
        evidence = evidence.replace(
            phrase, f" {label(key, lang)} " if phrase == " over " else label(key, lang)
        )
    return evidence

"""Review -> HTML (Jinja2) -> PDF/A-3b (WeasyPrint) with review.json attached."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from review.checklists.details import ChecklistResult
from review.core.clock import now
from review.core.i18n import LABELS, unit_label
from review.core.models import Decision, Reviewer, SignOff, Text
from review.record import Review
from review.reports import view
from review.reports.fields import (
    SIGNATURE_REGION,
    STATUS_REGIONS,
    Placement,
    placements,
    signature_field,
)
from review.reports.fonts import CjkFont, find_cjk_font
from review.reports.view import Lang
from review.scanners.licenses.details import LicensesResult
from review.scanners.pii.details import PiiResult

# The marker `review verify` looks for: a PDF without it is not one of our reports.
REPORT_SCHEMA = "review.report/1"
ATTACHMENT_NAME = "review.json"
# WeasyPrint's PDF metadata keys keep only alphanumerics of the <meta> names.
META_SCHEMA_KEY = "/reviewreport"
META_HASH_KEY = "/reviewjsonsha256"
META_LANG_KEY = "/reviewlang"


@dataclass(frozen=True)
class SignatureCell:
    """A reviewer's decision as the report shows it: from their PDF signature (with the
    certificate's name and fingerprint), or only recorded in review.json."""

    reviewer: str
    role: str
    decision: str
    comment: str
    signed: dt.datetime | None
    subject: str = ""
    sha256: str = ""

    @property
    def signed_at(self) -> str:
        return self.signed.strftime("%Y-%m-%d %H:%M UTC") if self.signed else ""


@dataclass(frozen=True)
class RenderedReport:
    """The rendered report in both forms, and where its live regions are in the PDF."""

    html: str
    pdf: bytes
    placements: dict[str, Placement]
    status: dict[str, tuple[str, bytes]]
    signatures: dict[str, bytes]


def _bi(text: Text, lang: Lang) -> Markup:
    if lang == "en":
        return escape(text.en)
    if lang == "zh":
        return escape(text.zh)
    # Chinese first, English on its own line below: read as a pair, and cheap to lay out.
    return Markup('{}<br><span class="en">{}</span>').format(text.zh, text.en)


SIGNATURE_COMMENT_SHOWN = 90
"""Characters of a sign-off comment a signature cell shows; its signed reason has all."""


def _environment(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("review.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )

    def t(key: str, **fmt: object) -> Markup:
        return _bi(view.label_text(key, **fmt), lang)

    def tx(text: Text) -> Markup:
        return _bi(text, lang)

    def loc(text: Text | str) -> Markup:
        # User text given in both languages shows as the report's language; a single
        # string is shown as written.
        return _bi(text, lang) if isinstance(text, Text) else escape(text)

    def pct(value: object) -> str:
        return f"{value:.1%}" if isinstance(value, int | float) else "—"

    def num(value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "—"
        return str(value) if isinstance(value, int) else f"{value:.3g}"

    env.globals.update(
        COMMENT_SHOWN=SIGNATURE_COMMENT_SHOWN,
        t=t,
        tx=tx,
        loc=loc,
        pct=pct,
        num=num,
        plain=lambda key, **fmt: view.label(key, lang, **fmt),
        # a unit stays short: Chinese in a Chinese report, English in the others
        unit=lambda name: unit_label(name).zh if lang == "zh" else unit_label(name).en,
        stage_title=lambda name: view.stage_title(name, lang),
        css_str=_css_string,
        labels=LABELS,
        location_text=lambda finding: view.location_text(finding, lang),
        remediations=view.remediations,
        packages_by_source=view.packages_by_source,
        via=lambda package: view.via(package, lang),
        sorted_findings=view.sorted_findings,
        decision_class=_decision_class,
        term=lambda prefix, value: view.term(prefix, value, lang),
        terms=lambda prefix, values: ", ".join(view.term(prefix, v, lang) for v in values),
        refs=lambda values: "; ".join(view.reference_text(v, lang) for v in values),
        evidence_text=lambda value: view.evidence_text(value, lang),
        framework_title=view.framework_title,
    )
    return env


def _decision_class(decision: str) -> str:
    return {"reject": "fail", "approve-with-conditions": "partial"}.get(decision, "pass")


def recorded_cells(review: Review) -> dict[str, SignatureCell]:
    """Decisions recorded in review.json itself (not signed in the PDF)."""
    return {
        s.reviewer: SignatureCell(
            s.reviewer,
            s.role,
            s.decision.value,
            s.comment,
            dt.datetime.combine(s.date, dt.time(), tzinfo=dt.UTC),
        )
        for s in review.signoffs
    }


def with_decisions(review: Review, cells: dict[str, SignatureCell]) -> Review:
    """The review as it stands once the reviewers in ``cells`` have decided."""
    order = {r.name: i for i, r in enumerate(review.reviewers)}
    signoffs = tuple(
        SignOff(
            reviewer=c.reviewer,
            role=c.role,
            decision=Decision(c.decision),
            date=(c.signed or review.metadata.finished).date(),
            comment=c.comment,
        )
        for c in sorted(cells.values(), key=lambda c: order.get(c.reviewer, len(order)))
    )
    return review.model_copy(update={"signoffs": signoffs})


def status_value(review: Review, cells: dict[str, SignatureCell]) -> str:
    """What the status fields say, as plain text: verify compares it with the signatures."""
    overall = view.overall_verdict(with_decisions(review, cells))
    parts = [f"verdict={overall.status}"]
    for r in review.reviewers:
        cell = cells.get(r.name)
        parts.append(f"{r.name}={cell.decision if cell else 'pending'}")
    return "; ".join(parts)


def _signoff_rows(
    review: Review, cells: dict[str, SignatureCell]
) -> list[tuple[Any, SignatureCell | None]]:
    return [(r, cells.get(r.name)) for r in review.reviewers]


def _live_pdf(html: str) -> bytes:
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html, base_url=".").write_pdf()
    return pdf


def _live_html(
    review: Review,
    review_json: bytes,
    lang: Lang,
    font: CjkFont,
    size: tuple[float, float],
    **context: Any,
) -> str:
    first = font.family if lang != "en" else "DejaVu Sans"
    second = "DejaVu Sans" if lang != "en" else font.family
    return (
        _environment(lang)
        .get_template("live_region.html.j2")
        .render(
            review=review,
            html_lang="en" if lang == "en" else "zh-Hans",
            font_stack=Markup(f"'{_family(first)}', '{_family(second)}', sans-serif"),
            review_json_sha256=hashlib.sha256(review_json).hexdigest(),
            width_mm=size[0],
            height_mm=size[1],
            **context,
        )
    )


def render_status(
    review: Review,
    review_json: bytes,
    cells: dict[str, SignatureCell],
    *,
    lang: Lang,
    font: CjkFont | None = None,
) -> dict[str, tuple[str, bytes]]:
    """Each status region's value and appearance (a one-page PDF of the region's size)."""
    font = font or find_cjk_font()
    current = with_decisions(review, cells)
    overall = view.overall_verdict(current)
    rows = _signoff_rows(review, cells)
    value = status_value(review, cells)
    out = {}
    for name, size in STATUS_REGIONS.items():
        html = _live_html(
            review, review_json, lang, font, size, kind="status", overall=overall, rows=rows
        )
        out[name] = (value, _live_pdf(html))
    return out


def render_signature_cell(
    review: Review,
    review_json: bytes,
    reviewer: Reviewer,
    cell: SignatureCell | None,
    *,
    lang: Lang,
    font: CjkFont | None = None,
) -> bytes:
    """The appearance of a reviewer's signature cell: awaiting their decision, or the
    decision with when it was signed, by which certificate (name and fingerprint)."""
    html = _live_html(
        review,
        review_json,
        lang,
        font or find_cjk_font(),
        SIGNATURE_REGION,
        kind="signature",
        reviewer=reviewer,
        cell=cell,
    )
    return _live_pdf(html)


def _charts(review: Review, lang: Lang, family: str) -> list[tuple[str, Markup]]:
    charts: list[tuple[str, Markup]] = []
    if review.stages:
        charts.append(("chart.findings", Markup(view.findings_chart(review, lang, family))))
    optional: list[tuple[str, str | None]] = []
    if licenses := review.result(LicensesResult):
        optional.append(("chart.licenses", view.license_chart(licenses.details, lang, family)))
    if pii := review.result(PiiResult):
        optional.append(("chart.pii", view.pii_chart(pii.details, lang, family)))
    if checklist := review.result(ChecklistResult):
        optional.append(("chart.checklists", view.checklist_chart(checklist.details, lang, family)))
    charts.extend((key, Markup(svg)) for key, svg in optional if svg is not None)
    return charts


def _css_string(text: str) -> Markup:
    """A CSS string literal (for page headers); nothing in it can end the <style>."""
    body = "".join(
        ch if ch.isalnum() or ch in " -_/.()·" or ord(ch) > 127 else f"\\{ord(ch):x} "
        for ch in text
    )
    return Markup(f'"{body}"')


def _family(name: str) -> str:
    return re.sub(r"[^\w .-]", "", name)


def renderer_versions() -> dict[str, str]:
    """Versions of the libraries that draw and sign the report (for the methodology)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"Python": platform.python_version()}
    for package in ("Jinja2", "WeasyPrint", "pyHanko"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def render_html(
    review: Review,
    review_json: bytes,
    *,
    lang: Lang,
    font: CjkFont,
    rendered: dt.datetime | None = None,
    versions: dict[str, str] | None = None,
) -> str:
    """The report as one self-contained HTML document."""
    when = rendered or now()
    overall = view.overall_verdict(review)
    reviewer_names = {r.name for r in review.reviewers}
    first = font.family if lang != "en" else "DejaVu Sans"
    second = "DejaVu Sans" if lang != "en" else font.family
    context: dict[str, Any] = {
        "review": review,
        "html_lang": "en" if lang == "en" else "zh-Hans",
        "doc_title": f"{view.label('report.title', lang)} — {review.metadata.project}",
        "report_schema": REPORT_SCHEMA,
        "rendered_iso": when.isoformat(),
        "rendered_text": when.strftime("%Y-%m-%d %H:%M UTC"),
        # Inside <style> entities are not decoded, so the stack is marked safe; family
        # names come from fontconfig and are reduced to harmless characters first.
        "font_stack": Markup(f"'{_family(first)}', '{_family(second)}', sans-serif"),
        "overall": overall,
        "severity_counts": view.severity_counts(review),
        "charts": _charts(review, lang, font.family),
        "stages": view.stage_sections(review),
        "coverage": view.coverage_matrix(review),
        "signoffs": {s.reviewer: s for s in review.signoffs},
        "signoff_rows": _signoff_rows(review, recorded_cells(review)),
        "signature_fields": [signature_field(i + 1) for i in range(len(review.reviewers))],
        "sizes": {**STATUS_REGIONS, "signature": SIGNATURE_REGION},
        "report_lang": lang,
        "extra_signoffs": [s for s in review.signoffs if s.reviewer not in reviewer_names],
        "review_json_sha256": hashlib.sha256(review_json).hexdigest(),
        "review_json_size": len(review_json),
        "versions": versions if versions is not None else renderer_versions(),
        "font_family": font.family,
    }
    return _environment(lang).get_template("report.html.j2").render(context)


def live_region_names(review: Review) -> list[str]:
    """Every live region of this review's report: status boxes and signature fields."""
    return [*STATUS_REGIONS, *(signature_field(i + 1) for i in range(len(review.reviewers)))]


def render_pdf(
    html: str, review_json: bytes, *, created: dt.datetime, live: Sequence[str] = ()
) -> tuple[bytes, dict[str, Placement]]:
    """PDF/A-3b with review.json attached as the report's source data, and where its live
    regions were laid out (their content is left to the fields drawn over them)."""
    # Imported here: WeasyPrint loads Pango at import time, which commands that never
    # render (verify, signoff) should not pay for.
    import weasyprint

    # WeasyPrint logs every CSS property it ignores; the report's CSS is ours and fixed.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    attachment = weasyprint.Attachment(
        file_obj=io.BytesIO(review_json),
        name=ATTACHMENT_NAME,
        description="Machine-readable review record (schema review/2)",
        created=created,
        modified=created,
        relationship="Source",
    )
    # The live regions' text is drawn by their form fields; in the page they stay empty.
    hide_live = weasyprint.CSS(string=".live > * { visibility: hidden; }")
    document = weasyprint.HTML(string=html, base_url=".").render(
        custom_metadata=True, stylesheets=[hide_live]
    )
    pdf: bytes = document.write_pdf(
        pdf_variant="pdf/a-3b",
        attachments=[attachment],
        custom_metadata=True,
        pdf_identifier=hashlib.sha256(review_json).digest()[:16],
    )
    return pdf, placements(document, live)


def render_report(
    review: Review,
    review_json: bytes,
    *,
    lang: Lang,
    rendered: dt.datetime | None = None,
) -> RenderedReport:
    """HTML and PDF of the report; fails with install advice when no CJK font exists."""
    font = find_cjk_font()
    when = rendered or now()
    html = render_html(review, review_json, lang=lang, font=font, rendered=when)
    pdf, where = render_pdf(html, review_json, created=when, live=live_region_names(review))
    cells = recorded_cells(review)
    status = render_status(review, review_json, cells, lang=lang, font=font)
    signatures = {
        signature_field(i + 1): render_signature_cell(
            review, review_json, r, cells.get(r.name), lang=lang, font=font
        )
        for i, r in enumerate(review.reviewers)
    }
    return RenderedReport(html, pdf, where, status, signatures)

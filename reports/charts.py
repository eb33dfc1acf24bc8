"""Small inline SVG charts drawn by our own code (no plotting library, no scripts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
LABEL_W = 230
ROW_H = 18
BAR_H = 12
LEGEND_ROW = 16
# Average advance of one display column at font-size 10 (a CJK character is two).
COLUMN_PX = 5.6


@dataclass(frozen=True)
class Series:
    """One coloured part of a stacked bar."""

    label: str
    color: str


@dataclass(frozen=True)
class Bar:
    """One row: a label, one value per series, and the text shown after the bar."""

    label: str
    values: tuple[float, ...]
    note: str


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` columns (CJK characters count two), marking the cut."""
    if _display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = _display_width(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


def hbar_chart(
    bars: Sequence[Bar],
    series: Sequence[Series],
    *,
    font: str,
    title: str,
    more_note: str = "",
    scale_max: float | None = None,
) -> str:
    """A horizontal (optionally stacked) bar chart as an SVG element."""
    legend: list[tuple[float, int, Series]] = []
    if len(series) > 1:
        x, line = float(LABEL_W), 0
        for item in series:
            width = 20 + COLUMN_PX * _display_width(item.label)
            if x + width > WIDTH and x > LABEL_W:
                x, line = float(LABEL_W), line + 1
            legend.append((x, line, item))
            x += width
    top = (legend[-1][1] + 1) * LEGEND_ROW + 6 if legend else 4
    rows = len(bars) + (1 if more_note else 0)
    height = top + rows * ROW_H + 6
    note_w = 12 + COLUMN_PX * max((_display_width(b.note) for b in bars), default=0)
    area = WIDTH - LABEL_W - note_w
    label_columns = int((LABEL_W - 10) / COLUMN_PX)
    biggest = scale_max or max((sum(b.values) for b in bars), default=0.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label={quoteattr(title)} font-family={quoteattr(font)} font-size="10">',
        f"<title>{escape(title)}</title>",
    ]
    for x, line, item in legend:
        y = 4 + line * LEGEND_ROW
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{item.color}"/>'
            f'<text x="{x + 14:.1f}" y="{y + 9}">{escape(item.label)}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * ROW_H
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 2}" text-anchor="end">'
            f"{escape(shorten(bar.label, label_columns))}</text>"
        )
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{area}" height="{BAR_H}" fill="#f1f3f5"/>'
        )
        x = float(LABEL_W)
        for value, item in zip(bar.values, series, strict=True):
            if value <= 0:
                continue
            width = area * value / biggest
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_H}" '
                f'fill="{item.color}"/>'
            )
            x += width
        parts.append(
            f'<text x="{WIDTH - note_w + 6:.1f}" y="{y + BAR_H - 2}">{escape(bar.note)}</text>'
        )
    if more_note:
        y = top + len(bars) * ROW_H
        parts.append(
            f'<text x="{LABEL_W}" y="{y + BAR_H - 2}" fill="#555">{escape(more_note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

"""The PDF itself: real CJK glyphs, PDF/A-3b with review.json attached, no raw PII."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from review.reports.fonts import find_cjk_font
from tests.report.conftest import Rendered, pdf_text
from tests.report.pdfcheck import cjk, undrawn_cjk, write_latin_only_fontconfig

REPO = Path(__file__).resolve().parents[2]


def _pdffonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table, split by the widths of its dashed header rule."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    spans, start = [], 0
    for dashes in lines[1].split(" "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 1
    names = [lines[0][a:b].strip() for a, b in spans]
    return [
        {n: line[a:b].strip() for n, (a, b) in zip(names, spans, strict=True)} for line in lines[2:]
    ]


def test_cjk_font_is_embedded(rendered: Rendered) -> None:
    fonts = _pdffonts(rendered.pdf)
    family = find_cjk_font().family.replace(" ", "")
    assert any(family in f["name"].replace("-", "") for f in fonts), fonts
    assert all(f["emb"] == "yes" for f in fonts), fonts
    # Type 3 would be bitmaps or a stand-in, not the font itself.
    assert not any(f["type"].startswith("Type 3") for f in fonts), fonts


def test_every_chinese_character_is_drawn_with_a_real_glyph(rendered: Rendered) -> None:
    text = pdf_text(rendered.pdf)
    assert len(cjk(text)) > 100  # the bilingual report really holds Chinese
    assert undrawn_cjk(rendered.pdf, text) == set()


def test_glyph_check_catches_tofu(tmp_path: Path) -> None:
    """The same check fails on a report drawn where fontconfig has no Chinese font."""
    conf = write_latin_only_fontconfig(tmp_path)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from pathlib import Path\n"
        "from review.reports.fonts import CjkFont\n"
        "from review.reports.render import render_html, render_pdf\n"
        "from tests.report.sample import build_sample\n"
        "review = build_sample(stages=('licenses',)).review\n"
        "raw = review.to_json().encode()\n"
        "html = render_html(review, raw, lang='zh', font=CjkFont('DejaVu Sans', '', 0))\n"
        "pdf, _ = render_pdf(html, raw, created=review.metadata.finished)\n"
        "Path(sys.argv[2]).write_bytes(pdf)\n"
    )
    tofu = tmp_path / "tofu.pdf"
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    subprocess.run([sys.executable, "-c", script, str(REPO), str(tofu)], env=env, check=True)
    text = pdf_text(tofu)
    assert "合规与伦理审查报告" in text  # pdftotext alone would not notice the boxes
    assert "合" in undrawn_cjk(tofu, text)


def test_rendered_page_has_ink_where_the_chinese_title_is(
    rendered: Rendered, tmp_path: Path
) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(rendered.pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    from PIL import Image

    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = page.size
    # The title sits in the dark cover band: count light (glyph) pixels in its top left.
    band = page.crop((int(width * 0.05), int(height * 0.06), int(width * 0.5), int(height * 0.1)))
    light = sum(band.histogram()[181:])
    assert light > 150


def _attachment(pdf: Path) -> tuple[bytes, str]:
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert str(names[0]) == "review.json"
    spec = names[1].get_object()
    return spec["/EF"]["/F"].get_object().data, str(spec["/AFRelationship"])


def test_pdfa3b_with_review_json_attached_round_trip(rendered: Rendered) -> None:
    data, relationship = _attachment(rendered.pdf)
    assert data == rendered.review_json.read_bytes()
    assert relationship == "/Source"
    reader = PdfFileReader(io.BytesIO(rendered.pdf.read_bytes()), strict=False)
    # WeasyPrint lists the one file specification twice in /AF; it is still the only one.
    assert {str(ref.get_object()["/F"]) for ref in reader.root["/AF"]} == {"review.json"}
    xmp = reader.root["/Metadata"].get_object().data.decode("utf-8")
    # Signing rewrites the XMP packet (attribute form) but must keep the PDF/A identity.
    assert re.search(r'pdfaid:part(="|>)3', xmp), xmp
    assert re.search(r'pdfaid:conformance(="|>)B', xmp), xmp
    # PDF/A-3 is built on PDF 1.7: the signature must not raise the document to PDF 2.0.
    assert rendered.pdf.read_bytes().startswith(b"%PDF-1.7")
    assert str(reader.root.get("/Version", "/1.7")) == "/1.7"


def test_no_raw_personal_data_in_pdf_html_or_attachment(rendered: Rendered) -> None:
    seeded = rendered.sample.raw_values
    assert len(seeded) >= 7
    outputs = {
        "pdf text": pdf_text(rendered.pdf),
        "html": rendered.html.read_text(encoding="utf-8"),
        "attachment": _attachment(rendered.pdf)[0].decode("utf-8"),
    }
    for where, text in outputs.items():
        for value in seeded:
            assert value not in text, f"raw value leaked into the {where}"
    # the masked forms are there, so the evidence is shown at all
    assert "***@" in outputs["pdf text"]

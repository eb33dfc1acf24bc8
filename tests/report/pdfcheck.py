"""What a PDF really draws: each character's glyph in the embedded font program.

``pdftotext`` extracts characters even when they are drawn as boxes (tofu), so the
check goes through the embedded fonts: a character is drawn for real when some font
maps it (ToUnicode) to a glyph other than .notdef that has an outline.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in _BFRANGE.findall(block):
            first = int(start, 16)
            for offset, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[cid] = chr(first + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for cid, uni in _BFCHAR.findall(block):
            mapping[int(cid, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    return mapping


def _resource_fonts(resources: Any, found: dict[int, Any], depth: int = 0) -> None:
    """Fonts of a resource dictionary and of the form XObjects it draws (nested)."""
    if resources is None or depth > 8:
        return
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            font = ref.get_object()
            found[id(font)] = font
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            _resource_fonts(xobject.get("/Resources"), found, depth + 1)


def _fonts(reader: Any) -> dict[int, Any]:
    """Every font the pages draw with: their own, and those of the form fields'
    appearances (the report's sign-off status and signature cells)."""
    found: dict[int, Any] = {}
    for page in reader.root["/Pages"]["/Kids"]:
        page = page.get_object()
        _resource_fonts(page.get("/Resources"), found)
        for annot in page.get("/Annots", []):
            appearance = annot.get_object().get("/AP")
            if appearance is not None and "/N" in appearance:
                normal = appearance["/N"].get_object()
                _resource_fonts(normal.get("/Resources"), found)
    return found


def drawn_characters(pdf: Path) -> dict[str, str]:
    """Character -> name of an embedded font that draws it with a real glyph."""
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
    drawn: dict[str, str] = {}
    for font in _fonts(reader).values():
        if "/ToUnicode" not in font or "/DescendantFonts" not in font:
            continue
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"]
        # TrueType outlines (FontFile2) or OpenType/CFF ones (FontFile3, e.g. Noto CJK).
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        if program is None:
            continue
        tt = TTFont(io.BytesIO(program.get_object().data))
        glyphs = tt.getGlyphSet()
        order = tt.getGlyphOrder()
        for cid, char in _to_unicode(font["/ToUnicode"].get_object().data).items():
            # WeasyPrint keeps glyph ids (Identity CIDToGIDMap): the CID is the glyph id.
            if cid == 0 or cid >= len(order):
                continue
            pen = BoundsPen(glyphs)
            glyphs[order[cid]].draw(pen)
            if pen.bounds is not None:
                drawn.setdefault(char, str(font["/BaseFont"]))
    return drawn


def cjk(text: str) -> set[str]:
    """The CJK ideographs and CJK punctuation in ``text``."""
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"}


def undrawn_cjk(pdf: Path, text: str) -> set[str]:
    """CJK characters of ``text`` that no embedded font draws with a real glyph."""
    return cjk(text) - set(drawn_characters(pdf))


def write_latin_only_fontconfig(folder: Path) -> Path:
    """A fontconfig setup that sees only the DejaVu fonts: Chinese would be tofu."""
    fonts = folder / "fonts"
    fonts.mkdir()
    latin = sorted(Path("/usr/share/fonts/truetype/dejavu").glob("DejaVuSans*.ttf"))
    if not latin:
        pytest.skip("DejaVu fonts not installed: no Latin-only font to draw tofu with")
    for source in latin:
        (fonts / source.name).symlink_to(source)
    conf = folder / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return conf

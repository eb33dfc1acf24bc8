"""The report's live regions: what changes as reviewers sign off, as PDF form fields.

A signed PDF cannot be re-rendered without invalidating its signatures, and WeasyPrint
renders only whole documents. The parts of the report that show the sign-off state (the
verdict box on the cover, in the summary and on the sign-off page, and each reviewer's
signature cell) are therefore drawn not into the page but as the appearance of a form
field placed over an empty box: read-only text fields for the status boxes, one
signature field per reviewer. Their appearances are small pages rendered by WeasyPrint
with the report's own stylesheet and fonts, imported as form XObjects.

A reviewer's sign-off is then one incremental update that fills the status fields and
signs the reviewer's field, which PDF allows under the report's certification (form
filling and signing), so every earlier signature stays valid. ``review verify`` checks
that the status fields' values agree with the signatures (``status_value``).
"""

from __future__ import annotations

import binascii
import io
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from review.core.errors import InputError

# Live regions, in millimetres (width, height). The report template reserves boxes of
# exactly these sizes; the field appearances are rendered at the same sizes.
STATUS_REGIONS: dict[str, tuple[float, float]] = {
    "cover-status": (180.0, 52.0),
    "summary-status": (180.0, 44.0),
    "signoff-status": (180.0, 44.0),
}
SIGNATURE_REGION: tuple[float, float] = (100.0, 28.0)
SIGNATURE_FIELD_PREFIX = "SignOff"
MM = 72 / 25.4
CSS_PX = 0.75  # points per CSS pixel


def signature_field(index: int) -> str:
    """The signature field of the ``index``-th (1-based) reviewer of the review."""
    return f"{SIGNATURE_FIELD_PREFIX}-{index}"


def region_id(name: str) -> str:
    """The HTML id of a live region's box (a WeasyPrint anchor gives its position)."""
    return f"live-{name}"


@dataclass(frozen=True)
class Placement:
    """Where a live region ended up: page index and rectangle in PDF points."""

    page: int
    rect: tuple[float, float, float, float]


def placements(document: Any, names: Sequence[str]) -> dict[str, Placement]:
    """Find each live region in a rendered WeasyPrint document (by its anchor)."""
    found: dict[str, Placement] = {}
    for index, page in enumerate(document.pages):
        height_pt = page.height * CSS_PX
        for name in names:
            anchor = page.anchors.get(region_id(name))
            if anchor is None or name in found:
                continue
            width_mm, box_height_mm = region_size(name)
            x = anchor[0] * CSS_PX
            top = height_pt - anchor[1] * CSS_PX
            found[name] = Placement(index, (x, top - box_height_mm * MM, x + width_mm * MM, top))
    missing = [name for name in names if name not in found]
    if missing:
        raise InputError("report template", f"live region(s) not laid out: {', '.join(missing)}")
    return found


def region_size(name: str) -> tuple[float, float]:
    """Width and height (mm) of a live region."""
    return STATUS_REGIONS.get(name, SIGNATURE_REGION)


def _imported_page(pdf: bytes) -> Any:
    """A one-page PDF (bytes) as pyHanko content, drawn as a form XObject (for stamps)."""
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader

    class ImportedPage(PdfContent):
        def render(self) -> bytes:
            xobj = self._ensure_writer.import_page_as_xobject(
                PdfFileReader(io.BytesIO(pdf), strict=False)
            )
            name = "/Live" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
            self.resources.xobject[name] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name.encode("ascii") + b" Do"

    return ImportedPage()


def stamp_style(appearance_pdf: bytes) -> Any:
    """A pyHanko stamp style drawing exactly ``appearance_pdf`` (a signature cell)."""
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(background=_imported_page(appearance_pdf), border_width=0)


def _generic() -> Any:
    """pyHanko's PDF object module, untyped (its constructors carry no annotations)."""
    from pyhanko.pdf_utils import generic

    return generic


def _appearance(writer: Any, pdf: bytes) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return writer.import_page_as_xobject(PdfFileReader(io.BytesIO(pdf), strict=False))


def add_fields(
    writer: Any,
    where: Mapping[str, Placement],
    status: Mapping[str, tuple[str, bytes]],
    signatures: Mapping[str, bytes],
) -> None:
    """Create the live fields in ``writer`` (before the report is certified): read-only
    text fields with their first appearance, and one empty signature field per reviewer
    showing that their decision is awaited."""
    from pyhanko.sign import fields

    generic = _generic()
    for name, pdf in signatures.items():
        place = where[name]
        # pyHanko takes whole points; half a point either way does not show.
        box = (
            round(place.rect[0]),
            round(place.rect[1]),
            round(place.rect[2]),
            round(place.rect[3]),
        )
        fields.append_signature_field(
            writer, fields.SigFieldSpec(name, on_page=place.page, box=box)
        )
        widget_ref = _field_refs(writer.root)[name]
        widget = widget_ref.get_object()
        widget[generic.pdf_name("/AP")] = generic.DictionaryObject(
            {generic.pdf_name("/N"): _appearance(writer, pdf)}
        )
        writer.mark_update(widget_ref)
    if "/AcroForm" not in writer.root:  # a review without reviewers has no signature field
        form_ref = writer.add_object(
            generic.DictionaryObject({generic.pdf_name("/Fields"): generic.ArrayObject()})
        )
        writer.root[generic.pdf_name("/AcroForm")] = form_ref
        writer.update_root()
    form = writer.root["/AcroForm"]
    field_list = form["/Fields"]
    for name, (value, pdf) in status.items():
        place = where[name]
        page_ref = writer.find_page_for_modification(place.page)[0]
        widget = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
                generic.pdf_name("/FT"): generic.pdf_name("/Tx"),
                generic.pdf_name("/T"): generic.pdf_string(name),
                generic.pdf_name("/V"): generic.pdf_string(value),
                generic.pdf_name("/Ff"): generic.NumberObject(1),  # read-only
                generic.pdf_name("/F"): generic.NumberObject(4),  # print
                generic.pdf_name("/Rect"): generic.ArrayObject(
                    generic.FloatObject(v) for v in place.rect
                ),
                generic.pdf_name("/P"): page_ref,
                generic.pdf_name("/AP"): generic.DictionaryObject(
                    {generic.pdf_name("/N"): _appearance(writer, pdf)}
                ),
            }
        )
        ref = writer.add_object(widget)
        page = page_ref.get_object()
        annots = page.get("/Annots")
        if annots is None:
            page[generic.pdf_name("/Annots")] = generic.ArrayObject([ref])
        else:
            annots.get_object().append(ref)
            if isinstance(page.raw_get("/Annots"), generic.IndirectObject):
                writer.mark_update(page.raw_get("/Annots"))
        writer.update_container(page)
        field_list.append(ref)
    writer.update_container(field_list)


def _field_refs(root: Any) -> dict[str, Any]:
    form = root.get("/AcroForm")
    if form is None:
        return {}
    out: dict[str, Any] = {}
    for ref in form.get_object().get("/Fields", []):
        name = ref.get_object().get("/T")
        if name is not None:
            out[str(name)] = ref
    return out


def field_names(root: Any) -> set[str]:
    """Names of the form fields of a PDF (the report's live regions and signatures)."""
    return set(_field_refs(root))


def status_values(root: Any) -> dict[str, str]:
    """The values the status fields show now (what verify compares with the signatures)."""
    refs = _field_refs(root)
    return {
        name: str(refs[name].get_object().get("/V", "")) for name in STATUS_REGIONS if name in refs
    }


def update_status(writer: Any, status: Mapping[str, tuple[str, bytes]]) -> None:
    """Fill the status fields with a new value and appearance (form filling)."""
    generic = _generic()
    refs = _field_refs(writer.root)
    for name, (value, pdf) in status.items():
        ref = refs.get(name)
        if ref is None:
            raise InputError(None, f"the report has no '{name}' field (render it again)")
        widget = ref.get_object()
        widget[generic.pdf_name("/V")] = generic.pdf_string(value)
        widget[generic.pdf_name("/AP")] = generic.DictionaryObject(
            {generic.pdf_name("/N"): _appearance(writer, pdf)}
        )
        writer.mark_update(ref)

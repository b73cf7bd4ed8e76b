"""DOCX (Word) in the official layout, through pandoc: see :mod:`pipeline.docx`.

The first page carries the masthead, the session block, title and numbered paragraphs, and
a footer with the job number, a Code 39 barcode and a QR code of the undocs.org address;
later pages carry the symbol as running head and the folio "n/N", mirrored on odd and even
pages. The annex starts on a new page with the programme table. The same sources give the
same bytes: dates come from the document's issue date, or from SOURCE_DATE_EPOCH when set.
"""

from __future__ import annotations

import json

from pipeline import formatting as fmt
from pipeline.barcode import code39_png, job_barcode_text
from pipeline.docx.ast import document_ast
from pipeline.docx.package import EMU_PER_INCH, Fill, Image, finish
from pipeline.docx.pandoc import start_pandoc
from pipeline.docx.reference import reference_docx_path
from pipeline.inline import plain_text
from pipeline.lang import wording_for
from pipeline.model import Document, undocs_url
from pipeline.qrcode import qr_modules, qr_png
from pipeline.render.common import output_timestamp

NAME = "docx"
SUFFIX = ".docx"
DESCRIPTION = "Word document in the official layout (pandoc)"

BARCODE_NARROW_EMU = 6858
"""Narrow bar of the Code 39 barcode: 0.0075 in (0.19 mm)."""

BARCODE_HEIGHT_EMU = EMU_PER_INCH // 4
"""Height of the barcode: 0.25 in."""

BARCODE_NARROW_PX = 3
"""Pixels per narrow bar in the barcode image (sharp when printed at 400 dpi)."""

QR_SIDE_EMU = EMU_PER_INCH * 6 // 10
"""Side of the QR code, quiet zone included: 0.6 in."""

QR_MODULE_PX = 8
"""Pixels per module in the QR code image."""




def barcode_image(job_number: str) -> Image:
    """The Code 39 barcode of the job digits, at its explicit printed size."""
    text = job_barcode_text(job_number)
    height_px = round(BARCODE_HEIGHT_EMU / BARCODE_NARROW_EMU * BARCODE_NARROW_PX)
    png = code39_png(text, height_px=height_px, narrow_px=BARCODE_NARROW_PX)
    width_px = int.from_bytes(png[16:20], "big")  # the IHDR width
    width_emu = width_px * BARCODE_NARROW_EMU // BARCODE_NARROW_PX
    return Image("job-barcode.png", png, width_emu, BARCODE_HEIGHT_EMU, text)


def qr_image(url: str) -> Image:
    """The QR code of the document's address, at its explicit printed size."""
    assert qr_modules(url) > 0
    return Image("undocs-qr.png", qr_png(url, scale=QR_MODULE_PX), QR_SIDE_EMU, QR_SIDE_EMU, url)


def fill_for(document: Document) -> Fill:
    """What the package pass writes for ``document``."""
    w = wording_for(document.language)
    m = document.masthead
    return Fill(
        texts={
            "symbol": m.symbol,
            "job_number": m.job_number,
            "job_line": fmt.job_number_line(document, w),
            "date_code": fmt.job_date_code(m.issued),
            "barcode_text": job_barcode_text(m.job_number),
            "please_recycle": w.please_recycle,
        },
        images={
            "barcode": barcode_image(m.job_number),
            "qr": qr_image(undocs_url(m.symbol, document.language)),
        },
        core_properties={
            "title": plain_text(document.title),
            "subject": m.symbol,
            "creator": w.united_nations,
            "language": document.language,
        },
        timestamp=output_timestamp(document),
    )


def render(document: Document) -> bytes:
    """The document as DOCX bytes."""
    ast = json.dumps(document_ast(document), ensure_ascii=False, sort_keys=True).encode("utf-8")
    # pandoc converts in its own process while the images and texts of the pass are made
    converted = start_pandoc(ast, reference_docx_path(), epoch=int(output_timestamp(document).timestamp()))
    fill = fill_for(document)
    return finish(converted(), fill)

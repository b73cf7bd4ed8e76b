"""DOCX (Word) in the official layout, through pandoc: see :mod:`pipeline.docx`.

The first page carries the masthead, the session block, title and numbered paragraphs, and
a footer with the job number, a Code 39 barcode and a QR code of the undocs.org address;
later pages carry the symbol as running head and the folio "n/N", mirrored on odd and even
pages. The annex starts on a new page with the programme table. The same sources give the
same bytes: dates come from the document's issue date, or from SOURCE_DATE_EPOCH when set.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pipeline import formatting as fmt
from pipeline.barcode import code39_png, job_barcode_text
from pipeline.docx.ast import document_ast
from pipeline.docx.package import (
    DOCUMENT_BREAK_XML,
    EMU_PER_INCH,
    Fill,
    Image,
    PackageError,
    finish,
    finish_parts,
    split_documents,
)
from pipeline.docx.pandoc import PandocError, start_pandoc
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


def _epoch(document: Document) -> int:
    return int(output_timestamp(document).timestamp())


def _ast_json(ast: dict[str, Any]) -> bytes:
    return json.dumps(ast, ensure_ascii=False, sort_keys=True).encode("utf-8")


def render(document: Document) -> bytes:
    """The document as DOCX bytes."""
    ast = _ast_json(document_ast(document))
    # pandoc converts in its own process while the images and texts of the pass are made
    converted = start_pandoc(ast, reference_docx_path(), epoch=_epoch(document))
    fill = fill_for(document)
    return finish(converted(), fill)


def render_many(documents: Sequence[Document]) -> list[bytes | Exception]:
    """Each document as DOCX bytes (or the exception that stopped it): the bytes of :func:`render`.

    pandoc's DOCX writer spends most of a small document's time setting itself up, so
    neighbouring documents with the same metadata (their language) are converted in one
    run, their blocks separated by :data:`~pipeline.docx.package.DOCUMENT_BREAK_XML`, and
    the package is cut into one per document. When pandoc or the cut fails, each document
    of the run is converted alone, so that only a faulty document fails.
    """
    results: list[bytes | Exception] = []
    group: list[tuple[Document, dict[str, Any]]] = []
    for document in documents:
        try:
            ast = document_ast(document)
        except Exception as exc:  # reported for this document only
            results += _render_together(group)
            results.append(exc)
            group = []
            continue
        if group and ast["meta"] != group[0][1]["meta"]:
            results += _render_together(group)
            group = []
        group.append((document, ast))
    return results + _render_together(group)


def _render_together(group: Sequence[tuple[Document, dict[str, Any]]]) -> list[bytes | Exception]:
    """Documents with the same metadata converted by one pandoc run; alone when that fails."""
    if len(group) <= 1:
        return [_render_alone(d) for d, _ in group]
    blocks: list[Any] = []
    for index, (_, ast) in enumerate(group):
        if index:
            blocks.append({"t": "RawBlock", "c": ["openxml", DOCUMENT_BREAK_XML]})
        blocks += ast["blocks"]
    joined = {**group[0][1], "blocks": blocks}
    # the dates pandoc writes are replaced by the pass: any document's epoch will do
    converted = start_pandoc(_ast_json(joined), reference_docx_path(), epoch=_epoch(group[0][0]))
    fills: list[Fill | Exception] = []
    for document, _ in group:
        try:
            fills.append(fill_for(document))
        except Exception as exc:  # reported for this document only
            fills.append(exc)
    try:
        packages = split_documents(converted(), len(group))
    except (PandocError, PackageError):
        return [_render_alone(d) for d, _ in group]
    results: list[bytes | Exception] = []
    for parts, fill in zip(packages, fills, strict=True):
        if isinstance(fill, Exception):
            results.append(fill)
            continue
        try:
            results.append(finish_parts(parts, fill))
        except Exception as exc:  # reported for this document only
            results.append(exc)
    return results


def _render_alone(document: Document) -> bytes | Exception:
    try:
        return render(document)
    except Exception as exc:  # reported for this document only
        return exc

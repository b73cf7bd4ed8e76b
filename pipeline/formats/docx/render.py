"""DOCX (Word) in the official layout, through pandoc: see :mod:`pipeline.formats.docx`.

The first page carries the masthead (the genre's variant), the session block and its front
lines, the title and the body, and a footer with the job number, a Code 39 barcode and a QR
code of the undocs.org address (none for a genre without job footer, a conference room
paper); later pages carry the symbol as running head and the folio "n/N", mirrored on odd
and even pages. Each annex starts on a new page. The same sources give the same bytes:
dates come from the document's issue date, or from SOURCE_DATE_EPOCH when set.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.formats.common import output_timestamp, paper
from pipeline.formats.docx.ast import STYLE_MASTHEAD_ORGAN, document_ast, region_tag
from pipeline.formats.docx.converter import start_pandoc
from pipeline.formats.docx.package import (
    DOCUMENT_BREAK_XML,
    EMU_PER_INCH,
    Fill,
    Image,
    PackageError,
    PlacedImage,
    ScriptFace,
    finish,
    finish_parts,
    split_documents,
)
from pipeline.formats.docx.pandoc import PANDOC_API_VERSION, PandocError
from pipeline.formats.docx.reference import reference_docx_path
from pipeline.genres import genre
from pipeline.i18n import direction, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.layout import emu, justification, layout
from pipeline.marks.barcode import code39_png, job_barcode_text
from pipeline.marks.emblem import EMBLEM_GAP_PT, Emblem
from pipeline.marks.qrcode import qr_png
from pipeline.marks.recycling import recycling_png
from pipeline.model.inline import plain_text
from pipeline.model.tree import Document, undocs_url
from pipeline.resources import ARABIC_FAMILY, CHINESE_FAMILY, WORD_NAMES, faces_for

NAME = "docx"
SUFFIX = ".docx"
DESCRIPTION = "Word document in the official layout (pandoc)"

BARCODE_NARROW_EMU = emu(layout().points("un", "barcode_narrow"))
"""Narrow bar of the Code 39 barcode, as in the HTML and PDF."""

BARCODE_HEIGHT_EMU = emu(layout().points("un", "barcode_height"))
"""Height of the barcode."""

BARCODE_NARROW_PX = 3
"""Pixels per narrow bar in the barcode image (sharp when printed at 400 dpi)."""

QR_SIDE_EMU = emu(layout().points("un", "qr_size"))
"""Side of the QR code, quiet zone included."""

QR_MODULE_PX = 8
"""Pixels per module in the QR code image."""

RECYCLING_SIDE_EMU = emu(layout().points("un", "recycling_mark_size"))
"""Side of the recycling mark, as in the HTML and PDF."""

EMU_PER_POINT = EMU_PER_INCH // 72

RECYCLING_SIDE_PX = 100
"""Pixels a side of the recycling mark's image (sharp when printed at 600 dpi)."""




SCRIPT_FACES: dict[str, tuple[str, str, str]] = {
    ARABIC_FAMILY: ("cs", "ar-SA", "B2"),
    CHINESE_FAMILY: ("eastAsia", "zh-CN", "86"),
}
"""Bundled family of a script -> its ``w:rFonts`` slot, Word's tag of its language, its character set."""


def script_faces(language: str) -> tuple[ScriptFace, ...]:
    """The faces the DOCX of a document in ``language`` names besides Times New Roman."""
    return tuple(ScriptFace(slot, WORD_NAMES[family], family, tag, charset)
                 for family in faces_for(language) if family in SCRIPT_FACES
                 for slot, tag, charset in (SCRIPT_FACES[family],))


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
    return Image("undocs-qr.png", qr_png(url, scale=QR_MODULE_PX), QR_SIDE_EMU, QR_SIDE_EMU, url)


def recycling_image(description: str) -> Image:
    """The recycling mark beside "Please recycle", at its printed size, ``description`` its
    alternative text."""
    return Image("recycling-mark.png", recycling_png(RECYCLING_SIDE_PX), RECYCLING_SIDE_EMU, RECYCLING_SIDE_EMU,
                 description)


def emblem_image(emblem: Emblem, description: str) -> PlacedImage:
    """The configured emblem (:mod:`pipeline.marks.emblem`) at the left margin, its foot on the
    foot of the organ's line, the organ's name after it; ``description`` is its alternative text."""
    return PlacedImage(f"emblem{emblem.suffix}", emblem.data, round(emblem.width_pt * EMU_PER_POINT),
                       round(emblem.height_pt * EMU_PER_POINT), description,
                       STYLE_MASTHEAD_ORGAN.replace(" ", ""), round((emblem.width_pt + EMBLEM_GAP_PT) * 20))


def fill_for(document: Document) -> Fill:
    """What the package pass writes for ``document``.

    A genre without the job footer (a conference room paper), or a document without a job
    number, has an empty first-page footer and no job number in the later footers.
    """
    w = wording_for(document.language)
    m = document.masthead
    job_footer = genre(document.doc_type).job_footer and bool(m.job_number)
    texts = {"symbol": m.symbol, "job_number": m.job_number if job_footer else ""}
    images: dict[str, Image] = {}
    if job_footer:
        texts |= {
            "job_line": fmt.job_number_line(document, w),
            "date_code": fmt.job_date_code(m.issued),
            "barcode_text": job_barcode_text(m.job_number),
            "please_recycle": w.please_recycle,
        }
        images = {
            "barcode": barcode_image(m.job_number),
            "recycling": recycling_image(w.recycling_description),
            "qr": qr_image(undocs_url(m.symbol, document.language)),
        }
    return Fill(
        texts=texts,
        images=images,
        job_footer=job_footer,
        bullet=w.bullet,
        right_to_left=direction(document.language) == "rtl",
        paper=paper(document),
        justify=justification(document.language),
        script_faces=script_faces(document.language),
        emblem=emblem_image(m.emblem, w.emblem_description) if m.emblem is not None else None,
        core_properties={
            "title": f"{m.symbol}: {plain_text(document.title)}",
            "subject": m.symbol,
            "creator": w.united_nations,
            "language": region_tag(document.language),
            "category": document.doc_type,
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


PANDOC_RUN = 4
"""Most documents converted by one pandoc run. pandoc's DOCX writer spends about 15 ms
setting itself up, paid once for them; few enough that the package pass of one run is done
while pandoc converts the next, rather than after."""


@dataclass
class _Run:
    """Neighbouring documents with the same metadata, converted by one pandoc run."""

    positions: list[int]
    documents: list[Document]
    fills: list[Fill | Exception]
    receive: Callable[[], bytes] | None = None


def render_many(documents: Sequence[Document]) -> list[bytes | Exception]:
    """Each document as DOCX bytes (or the exception that stopped it): the bytes of :func:`render`.

    pandoc's DOCX writer spends most of a small document's time setting itself up, so up to
    :data:`PANDOC_RUN` neighbouring documents with the same metadata (their language) are
    converted in one run, their blocks separated by
    :data:`~pipeline.formats.docx.package.DOCUMENT_BREAK_XML`, and the package is cut into one per
    document. The runs overlap: while pandoc converts one, this process makes the next
    one's AST and finishes the packages of the one before. When pandoc or the cut fails,
    each document of the run is converted alone, so that only a faulty document fails.
    """
    results: list[bytes | Exception | None] = [None] * len(documents)
    alone: list[int] = []
    converting: _Run | None = None
    start = 0
    while start < len(documents) or converting is not None:
        run, payload, start = _next_run(documents, start, results)
        docx: bytes | Exception | None = None
        if converting is not None:
            assert converting.receive is not None
            try:
                docx = converting.receive()
            except PandocError as exc:
                docx = exc
        if run is not None:
            # the dates pandoc writes are replaced by the pass: any document's epoch will do
            run.receive = start_pandoc(payload, reference_docx_path(), epoch=_epoch(run.documents[0]))
        if converting is not None:
            alone += _finish_run(converting, docx, results)
        converting = run
    for position in alone:  # no conversion is under way any more
        results[position] = _render_alone(documents[position])
    return [r if r is not None else RuntimeError("not rendered") for r in results]


def _next_run(documents: Sequence[Document], start: int,
              results: list[bytes | Exception | None]) -> tuple[_Run | None, bytes, int]:
    """The run starting at ``start`` (None at the end), its pandoc input, and where the next starts."""
    run: _Run | None = None
    meta: Any = None
    blocks: list[Any] = []
    while start < len(documents) and (run is None or len(run.documents) < PANDOC_RUN):
        document = documents[start]
        try:
            ast = document_ast(document)
        except Exception as exc:  # reported for this document only
            results[start] = exc
            start += 1
            continue
        if run is None:
            run, meta = _Run([], [], []), ast["meta"]
        elif ast["meta"] != meta:
            break
        if blocks:
            blocks.append({"t": "RawBlock", "c": ["openxml", DOCUMENT_BREAK_XML]})
        blocks += ast["blocks"]
        run.positions.append(start)
        run.documents.append(document)
        try:
            run.fills.append(fill_for(document))
        except Exception as exc:  # reported for this document only
            run.fills.append(exc)
        start += 1
    if run is None:
        return None, b"", start
    return run, _ast_json({"pandoc-api-version": list(PANDOC_API_VERSION), "meta": meta, "blocks": blocks}), start


def _finish_run(run: _Run, docx: bytes | Exception | None, results: list[bytes | Exception | None]) -> list[int]:
    """Cut and finish a converted run into ``results``; the positions to convert alone instead."""
    try:
        if not isinstance(docx, bytes):
            raise PackageError("pandoc did not convert the run")
        packages = split_documents(docx, len(run.documents))
    except PackageError:
        return [p for p, fill in zip(run.positions, run.fills, strict=True) if not _failed(results, p, fill)]
    for position, parts, fill in zip(run.positions, packages, run.fills, strict=True):
        if _failed(results, position, fill):
            continue
        assert not isinstance(fill, Exception)
        try:
            results[position] = finish_parts(parts, fill)
        except Exception as exc:  # reported for this document only
            results[position] = exc
    return []


def _failed(results: list[bytes | Exception | None], position: int, fill: Fill | Exception) -> bool:
    """Record a document whose fill failed; True when it did."""
    if isinstance(fill, Exception):
        results[position] = fill
        return True
    return False


def _render_alone(document: Document) -> bytes | Exception:
    try:
        return render(document)
    except Exception as exc:  # reported for this document only
        return exc

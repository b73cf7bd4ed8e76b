"""One layout for every format: a document of a venue on A4 paper is on A4 in the DOCX's
section and the PDF's pages, with the same margins; what the formats print alike (agenda
items as issued) is alike."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pdfplumber
import pikepdf
import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.formats import html as html_renderer
from pipeline.formats import pdf as pdf_renderer
from pipeline.formats.docx import pages
from pipeline.formats.docx import render as docx_renderer
from pipeline.formats.text import render_text
from pipeline.layout import layout, twips
from pipeline.model.inline import plain_text
from pipeline.model.tree import AgendaList, Document
from pipeline.project.venues import PAPER_SIZES

SOURCES = Path(__file__).resolve().parent.parent / "sources"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STEM = "oewg-ict-s4-programme-of-work"
POINT_TOLERANCE = 0.01


@pytest.fixture(scope="module")
def geneva(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of a build of the programme of work moved to Geneva (A4 by its venue)."""
    folder = tmp_path_factory.mktemp("geneva")
    shutil.copytree(SOURCES / "shared", folder / "sources" / "shared")
    text = (SOURCES / f"{STEM}.xml").read_text(encoding="utf-8")
    assert "<place>New York</place>" in text
    (folder / "sources" / f"{STEM}.xml").write_text(text.replace("<place>New York</place>", "<place>Geneva</place>"),
                                                   encoding="utf-8")
    out = folder / "out"
    assert main(["build", "--jobs", "1", "--format", "docx,pdf", "--out", str(out),
                 str(folder / "sources" / f"{STEM}.xml")]) == 0
    return out


def _section(docx: Path) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    sections = list(document.iter(f"{W}sectPr"))
    assert len(sections) == 1
    return sections[0]


def test_the_docx_section_is_on_a4_with_the_layouts_margins(geneva: Path) -> None:
    spec = layout()
    a4 = spec.papers["a4"]
    section = _section(geneva / f"{STEM}.docx")
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert size is not None and margins is not None
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == (str(twips(a4["width"])), str(twips(a4["height"])))
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # Word's own A4
    expected = {"left": "margin_side", "right": "margin_side", "top": "first_margin_top",
                "bottom": "margin_bottom", "header": "header_top", "footer": "footer_bottom"}
    assert {side: margins.get(f"{W}{side}") for side in expected} == \
        {side: str(twips(spec.points("page", name))) for side, name in expected.items()}


def test_the_pdf_pages_are_a4(geneva: Path) -> None:
    a4 = layout().papers["a4"]
    with pikepdf.open(geneva / f"{STEM}.pdf") as pdf:
        boxes = [[float(v) for v in page.mediabox] for page in pdf.pages]
    assert boxes
    for box in boxes:
        assert box[:2] == [0, 0]
        assert box[2] == pytest.approx(a4["width"], abs=POINT_TOLERANCE)
        assert box[3] == pytest.approx(a4["height"], abs=POINT_TOLERANCE)


def test_the_docx_measure_is_that_of_a4(geneva: Path) -> None:
    """The lines that run to the right margin stop there on A4 too: the masthead's tab and the
    first-page footer's table are as wide as the page's measure, not that of US Letter."""
    measure = str(twips(layout().measure("a4")))
    with zipfile.ZipFile(io.BytesIO((geneva / f"{STEM}.docx").read_bytes())) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        footers = [etree.fromstring(archive.read(n)) for n in archive.namelist() if n.startswith("word/footer")]
    top = styles.find(f"{W}style[@{W}styleId='UNMastheadTop']/{W}pPr/{W}tabs/{W}tab")
    assert top is not None and top.get(f"{W}pos") == measure
    widths = {t.get(f"{W}w") for f in footers for t in f.iter(f"{W}tblW")}
    assert widths == {measure}


AGENDA = "oewg-ict-provisional-agenda-2021"


def test_agenda_items_print_alike_in_every_format(documents: dict[str, Document]) -> None:
    """The register words items for use inside a sentence ("opening of the session"); the
    agenda prints each as a sentence ("Opening of the session."), in each format as issued.
    (JSON and Akoma Ntoso keep the register's wording: it reads back into the model.)"""
    document = documents[AGENDA]
    agenda = next(block for block in document.body if isinstance(block, AgendaList))
    register = [plain_text(item.wording) for item in agenda.items]
    assert all(wording[:1].islower() for wording in register)  # worded for use inside a sentence
    # the agenda, before the annotations headed by the same numbers and wordings
    printed_text = [line for line in render_text(document).splitlines() if re.match(r"\d+\. ", line)][:len(register)]
    assert printed_text == [f"{item.number}. {wording[:1].upper()}{wording[1:]}."
                            for item, wording in zip(agenda.items, register, strict=True)]

    html = lxml.html.fromstring(html_renderer.render(document))
    printed_html = [" ".join(li.text_content().split()) for li in html.xpath("//ol[@class='agenda-list']/li")]

    with zipfile.ZipFile(io.BytesIO(docx_renderer.render(document))) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    printed_docx = []
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "UNAgendaItem":
            printed_docx.append("".join(" " if node.tag == f"{W}tab" else node.text or ""
                                        for node in paragraph.iter(f"{W}t", f"{W}tab")))

    assert printed_html == printed_text
    assert printed_docx == printed_text


ARABIC = "oewg-ict-s4-programme-of-work.ar"
BLOCK_LINES = ("Distr.: General", "4 March 2023", "Arabic", "Original: English")
MEASURE_TOLERANCE = 1.5
"""Points two renderings of one line may differ by (LibreOffice and WeasyPrint round apart)."""


def _block_lines(pdf: Path) -> dict[str, float]:
    """The first page's right-hand block lines by text: their left edge."""
    with pdfplumber.open(pdf) as document:
        words = document.pages[0].extract_words(keep_blank_chars=True, use_text_flow=False)
    found = {w["text"].strip(): float(w["x0"]) for w in words if w["text"].strip() in BLOCK_LINES}
    assert set(found) == set(BLOCK_LINES), sorted(found)
    return found


@pytest.mark.slow
def test_the_mirrored_masthead_block_is_alike_in_pdf_and_docx(documents: dict[str, Document],
                                                              tmp_path: Path) -> None:
    """On a right-to-left page the right-hand block stands at the left margin, its English
    lines starting there, under the symbol: so in the PDF, and so in the DOCX as a word
    processor lays it out."""
    if pages.soffice_binary() is None:
        pytest.skip("LibreOffice is not installed")
    document = documents[ARABIC]
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(pdf_renderer.render(document))
    docx = tmp_path / f"{ARABIC}.docx"
    docx.write_bytes(docx_renderer.render(document))
    (converted,) = pages.to_pdf([docx], tmp_path / "docx")
    margin = layout().points("page", "margin_side")
    for found in (_block_lines(pdf), _block_lines(converted)):
        assert found == {line: pytest.approx(margin, abs=MEASURE_TOLERANCE) for line in BLOCK_LINES}


def test_every_venue_paper_has_a_page_in_the_layout() -> None:
    assert set(PAPER_SIZES) <= set(layout().papers)
    assert layout().measure("letter") == layout().points("un", "text_width")
    assert layout().measure("a4") < layout().measure("letter")

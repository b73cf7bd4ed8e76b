"""Pagination as issued, read back from the printed pages of every format.

A programme's day heading never ends a page and stays with its first slot; the fourth
session's page 3 begins with "Wednesday, 8 March", as the issued document's does. Checked on
the PDF (WeasyPrint), on the DOCX as LibreOffice lays it out, and on the HTML as headless
Chromium prints it; the Chromium print also carries the running head, the folio and the job
number on later pages, and ends its first page with the footer block. Page text comes from
``pdftotext``, one page at a time.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from pipeline.formats import html as html_renderer
from pipeline.formats import pdf as pdf_renderer
from pipeline.formats.docx import pages as docx_pages_tool
from pipeline.formats.docx.render import render as render_docx
from pipeline.model.tree import Document
from tests.conftest import ALL_STEMS, in_ci
from tests.visual import require

S4 = "oewg-ict-s4-programme-of-work"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class DayHeading:
    """A day heading of a programme and the time of its first slot, as the page prints them."""

    heading: str
    first_slot: str


def day_headings(document: Document) -> list[DayHeading]:
    """The day headings of ``document``'s programmes (none for a document without one)."""
    root = lxml.html.document_fromstring(html_renderer.render_html(document))
    found = []
    for row in root.xpath('//tr[@class="day-row"]'):
        slot = row.xpath('following-sibling::tr[@class="slot"][1]/th')
        found.append(DayHeading(" ".join(row.text_content().split()),
                                " ".join(slot[0].text_content().split()) if slot else ""))
    return found


BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F])
"""The directional marks pdftotext puts around right-to-left text, removed before comparing."""


def page_lines(pdf: Path) -> list[list[str]]:
    """The non-blank lines of each page of ``pdf``, white space collapsed."""
    pdfinfo = require("pdfinfo")
    pdftotext = require("pdftotext")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run([pdftotext, "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        text = text.translate(BIDI_CONTROLS)
        pages.append([" ".join(line.split()) for line in text.splitlines() if line.strip()])
    return pages


def same_line(line: str, text: str) -> bool:
    """``line`` reads ``text``; right to left, pdftotext gives mixed runs in visual order, so the
    characters are compared as a whole rather than in sequence."""
    return line == text or sorted(line.replace(" ", "")) == sorted(text.replace(" ", ""))


def stranded_days(pages: list[list[str]], days: list[DayHeading]) -> list[str]:
    """Day headings that end a page or are not followed, on their page, by their first slot."""
    problems = []
    for day in days:
        for number, lines in enumerate(pages, start=1):
            at = [i for i, line in enumerate(lines) if same_line(line, day.heading)]
            for i in at:
                following = lines[i + 1] if i + 1 < len(lines) else ""
                # the time opens the line, or closes it when the page is set right to left
                if not (following.startswith(day.first_slot) or following.endswith(day.first_slot)):
                    problems.append(f"page {number}: {day.heading!r} is followed by {following!r}, "
                                    f"not its first slot {day.first_slot!r}")
    return problems


def first_body_line(lines: list[str], symbol: str) -> str:
    """The first line of a later page under its running head and the table's repeated head."""
    rest = [line for line in lines if line != symbol and not line.startswith("Date/time")]
    return rest[0] if rest else ""


PROGRAMME_STEMS = ALL_STEMS


@pytest.fixture(scope="module")
def pdf_pages(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    """Page lines of the PDF of every source with a programme."""
    folder = tmp_path_factory.mktemp("pagination-pdf")
    pages = {}
    for stem in PROGRAMME_STEMS:
        if day_headings(documents[stem]):
            path = folder / f"{stem}.pdf"
            path.write_bytes(pdf_renderer.render_pdf(documents[stem]))
            pages[stem] = page_lines(path)
    return pages


def test_some_sources_have_programmes(pdf_pages: dict[str, list[list[str]]]) -> None:
    assert S4 in pdf_pages and len(pdf_pages) >= 2


def test_pdf_page_3_of_the_fourth_session_begins_with_the_day(pdf_pages: dict[str, list[list[str]]],
                                                              documents: dict[str, Document]) -> None:
    pages = pdf_pages[S4]
    assert len(pages) >= 3
    assert first_body_line(pages[2], documents[S4].masthead.symbol).startswith("Wednesday, 8 March"), pages[2][:4]


def test_pdf_day_headings_stay_with_their_first_slot(pdf_pages: dict[str, list[list[str]]],
                                                     documents: dict[str, Document]) -> None:
    for stem, pages in pdf_pages.items():
        days = day_headings(documents[stem])
        assert sum(same_line(line, d.heading) for d in days for p in pages for line in p) == len(days), stem
        assert stranded_days(pages, days) == [], stem


@pytest.mark.slow
def test_docx_day_headings_stay_with_their_first_slot(documents: dict[str, Document], tmp_path: Path) -> None:
    if docx_pages_tool.soffice_binary() is None:
        if in_ci():
            pytest.fail("LibreOffice not found; CI is set, so this fails instead of skipping")
        pytest.skip("LibreOffice not found")
    stems = [stem for stem in PROGRAMME_STEMS if day_headings(documents[stem])]
    files = []
    for stem in stems:
        path = tmp_path / f"{stem}.docx"
        path.write_bytes(render_docx(documents[stem]))
        files.append(path)
    for stem, pdf in zip(stems, docx_pages_tool.to_pdf(files, tmp_path / "pdf"), strict=True):
        pages = page_lines(pdf)
        assert stranded_days(pages, day_headings(documents[stem])) == [], stem
        if stem == S4:
            assert first_body_line(pages[2], documents[S4].masthead.symbol).startswith("Wednesday, 8 March")


def chromium_print(html: Path, pdf: Path) -> None:
    """Print ``html`` to ``pdf`` with headless Chromium, without the browser's own header and footer."""
    if not os.access(CHROMIUM, os.X_OK):
        if in_ci():
            pytest.fail(f"{CHROMIUM} not found; CI is set, so this fails instead of skipping")
        pytest.skip(f"{CHROMIUM} not found")
    with tempfile.TemporaryDirectory(prefix="undoc-chromium-") as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                        html.as_uri()], capture_output=True, timeout=180, check=True)


@pytest.fixture(scope="module")
def chromium_pages(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """Page lines of the fourth session's HTML as Chromium prints it."""
    folder = tmp_path_factory.mktemp("pagination-chromium")
    html = folder / f"{S4}.html"
    html.write_text(html_renderer.render_html(documents[S4]), encoding="utf-8")
    chromium_print(html, folder / f"{S4}.pdf")
    return page_lines(folder / f"{S4}.pdf")


@pytest.mark.slow
def test_chromium_print_has_running_heads_and_folios(chromium_pages: list[list[str]],
                                                     documents: dict[str, Document]) -> None:
    m = documents[S4].masthead
    count = len(chromium_pages)
    assert count >= 2
    assert m.symbol in chromium_pages[0][0]  # the masthead, not a running head
    assert not any(line.endswith(f"1/{count}") for line in chromium_pages[0])
    for number, lines in enumerate(chromium_pages[1:], start=2):
        assert lines[0] == m.symbol, (number, lines[:2])
        folio, job = f"{number}/{count}", m.job_number
        # the folio on the outer side: left on even pages, right on odd ones
        assert lines[-1] == (f"{folio} {job}" if number % 2 == 0 else f"{job} {folio}"), (number, lines[-1])


@pytest.mark.slow
def test_chromium_print_ends_page_1_with_the_footer(chromium_pages: list[list[str]],
                                                    documents: dict[str, Document]) -> None:
    root = lxml.html.document_fromstring(html_renderer.render_html(documents[S4]))
    job_line = " ".join(root.xpath('string(//p[@class="job-number"])').split())
    barcode_text = root.xpath('string(//p[@class="barcode-text"])').strip()
    recycle = root.xpath('string(//p[@class="please-recycle"])').strip()
    last = chromium_pages[0][-2:]  # the barcode's text and "Please recycle" share a line, at either side
    assert last == [job_line, f"{barcode_text} {recycle}"], last
    assert all(recycle not in line for page in chromium_pages[1:] for line in page)


@pytest.mark.slow
def test_chromium_print_keeps_day_headings_with_their_slots(chromium_pages: list[list[str]],
                                                            documents: dict[str, Document]) -> None:
    assert stranded_days(chromium_pages, day_headings(documents[S4])) == []


def test_recycling_mark_png_is_the_drawing() -> None:
    """The DOCX's image of the mark: a square greyscale PNG, dark where the arrows are, the
    centre of the triangle light, the same bytes each time."""
    import zlib

    from pipeline.marks.recycling import recycling_png

    data = recycling_png(60)
    assert data == recycling_png(60) and data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == int.from_bytes(data[20:24], "big") == 60
    start = data.index(b"IDAT") + 4
    raw = zlib.decompress(data[start:start + int.from_bytes(data[start - 8:start - 4], "big")])
    rows = [raw[r * 61 + 1:(r + 1) * 61] for r in range(60)]
    dark = sum(value < 128 for row in rows for value in row) / 3600
    assert 0.15 < dark < 0.5
    assert rows[30][30] > 200  # the middle of the triangle is empty

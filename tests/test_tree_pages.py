"""The general tree in plain text, HTML and PDF: every block where a reader expects it, genre by genre."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from pipeline.formats import html, pdf, text
from pipeline.model.tree import Document
from tests.conftest import in_ci
from tests.tree import every_block_model


@pytest.fixture(scope="module")
def document() -> Document:
    return every_block_model()


@pytest.fixture(scope="module")
def page(document: Document) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html.render_html(document))


def _as(document: Document, doc_type: str, symbol: str, job_number: str = "") -> Document:
    masthead = dataclasses.replace(document.masthead, symbol=symbol, job_number=job_number)
    return dataclasses.replace(document, doc_type=doc_type, masthead=masthead)


def _pdftotext(data: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        if in_ci():
            pytest.fail("pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) is missing")
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def test_a_contents_line_gives_the_heading_without_its_note_call_or_links(tmp_path: Path) -> None:
    from pipeline.build.render import model_of
    from pipeline.model.tree import Contents, Text
    from pipeline.validate.check import validate_sources
    from tests.conftest import SOURCES

    shutil.copytree(SOURCES / "shared", tmp_path / "shared")
    source = (SOURCES / "oewg-ict-apr-2022-report.xml").read_text(encoding="utf-8")
    heading = "<heading>Organizational matters</heading>"
    assert source.count(heading) == 1
    source = source.replace(heading, '<heading>Organizational matters<footnote-ref ref="oewg-report"/> under '
                                     "<doc-ref>A/75/816</doc-ref><br/>and after</heading>")
    (tmp_path / "report.xml").write_text(source, encoding="utf-8")
    (checked,), _ = validate_sources([tmp_path / "report.xml"])
    document = model_of(checked)
    contents = next(b for b in document.body if isinstance(b, Contents))
    entry = next(e for e in contents.entries if e.number == 2 and e.level == 1)
    assert entry.heading == (Text("Organizational matters", entry.heading[0].source),
                             Text(" under ", entry.heading[0].source), Text("A/75/816", entry.heading[0].source),
                             Text(" ", entry.heading[0].source), Text("and after", entry.heading[0].source))
    page = lxml.html.document_fromstring(html.render_html(document))
    assert not page.xpath("//a//a")
    assert len(page.xpath("//*[@id='fnref2']")) == 1 and not page.xpath("//nav//sup")


# ---------------------------------------------------------------- plain text


def test_text_prints_the_ladder_the_subparagraphs_and_the_letter(document: Document) -> None:
    lines = text.render_text(document).splitlines()
    for expected in ("I. Introduction", "II. Organizational matters", "A. Opening and duration of the session",
                     "B. Attendance", "Documentation", "III. Recommendations"):
        assert expected in lines, expected
    # paragraphs numbered straight through the headings, again from 1 in the annex
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"^(\d+)\. [A-Z]", line))]
    assert numbers[:7] == [1, 2, 3, 4, 5, 6, 7]
    assert "1. Numbering starts again in an annex." in lines
    # subparagraphs by degree, indented by nesting
    for expected in ("(a) existing and potential threats;", "    (i) their implementation;",
                     "        a. norms on critical infrastructure;", "            i. in the health sector;",
                     "– Member States", "    – intergovernmental organizations"):
        assert expected in lines, expected
    assert "(Signed) Burhan Gafoor" in lines and "Chair of the working group" in lines
    assert "For 25 to 29 June 2022 read 25 to 29 July 2022" in lines
    assert "3. Organization of work." in lines  # an agenda line is a sentence
    assert "A/AC.292/2022/1 | Provisional agendaᵃ" in lines and "ᵃ Issued in all official languages." in lines


def test_text_contents_lists_chapters_sections_and_the_annex(document: Document) -> None:
    body = text.render_text(document)
    contents = body[body.index("Contents\n"):].split("\n\n")[0].splitlines()
    assert contents == ["Contents", "I. Introduction", "II. Organizational matters",
                        "    A. Opening and duration of the session", "    B. Attendance", "III. Recommendations",
                        "Annex. Chair’s summary"]


def test_text_of_a_ga_report_names_the_assembly_session_not_the_working_group(document: Document) -> None:
    body = text.render_text(document)
    assert "Seventy-seventh session\n\nItem 94 of the provisional agenda*" in body
    assert "Third substantive session" not in body


def test_text_of_a_conference_room_paper(document: Document) -> None:
    body = text.render_text(_as(document, "conference-room-paper", "A/AC.292/2022/CRP.1"))
    assert "Conference room paper\n8 August 2022\n\nEnglish only" in body
    assert "Distr." not in body and "(E)" not in body  # no distribution line, no job number line


# ---------------------------------------------------------------- HTML


def test_html_headings_follow_the_ladder_and_nest(page: lxml.html.HtmlElement) -> None:
    headings = [(h.tag, h.get("class"), h.text_content()) for h in page.xpath("//main//*[contains(@class,'heading ')]")]
    assert headings[:5] == [
        ("h2", "heading level-1", "I. Introduction"),
        ("h2", "heading level-1", "II. Organizational matters"),
        ("h3", "heading level-2", "A. Opening and duration of the session"),
        ("h3", "heading level-2", "B. Attendance"),
        ("h4", "heading level-3", "Documentation"),
    ]
    annex_heading = page.xpath("//section[@class='annex']//*[contains(@class,'heading ')]")[0]
    assert annex_heading.tag == "h4"  # under the annex's own h2 and h3
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "every id once"


def test_html_subparagraph_labels_by_degree(page: lxml.html.HtmlElement) -> None:
    for degree, first in ((1, "(a)"), (2, "(i)"), (3, "a."), (4, "i.")):
        lists = page.xpath(f"//ol[@class='subparagraphs degree-{degree}']")
        assert lists, degree
        assert lists[0].xpath("./li/span[@class='item-label']")[0].text == first


def test_html_links_resolve_inside_the_page(page: lxml.html.HtmlElement) -> None:
    ids = set(page.xpath("//@id"))
    targets = [href[1:] for href in page.xpath("//a/@href") if href.startswith("#")]
    assert targets and all(t in ids for t in targets), [t for t in targets if t not in ids]
    contents = page.xpath("//nav[@class='contents']//a")
    assert [a.text_content() for a in contents][-1] == "Annex Chair’s summary"


def test_html_table_caption_heads_and_lettered_notes(page: lxml.html.HtmlElement) -> None:
    [table] = page.xpath("//table[contains(@class, 'data-table')]")
    assert table.get('class') == 'data-table fixed-widths'  # the source gives the columns' widths
    assert table.find("caption").text_content() == "Documents before the working group"
    assert [th.get("scope") for th in table.xpath("thead/tr/th")] == ["col", "col"]
    assert table.xpath("tbody/tr/td[@colspan='2']")
    calls = table.xpath(".//sup[@class='table-note-call']/a")
    assert [a.text for a in calls] == ["a", "b"]
    notes = page.xpath("//p[@class='table-note']")
    assert [n.get("id") for n in notes] == [a.get("href")[1:] for a in calls]


def test_html_letter_parts_signature_correction(page: lxml.html.HtmlElement) -> None:
    assert page.xpath("//p[@class='letter-salutation']")[0].text_content().startswith("I have the honour")
    signature = page.xpath("//div[@class='signature']")[0]
    assert signature.xpath("p[@class='signatory']/i")[0].text == "(Signed)"
    correction = page.xpath("//div[@class='correction']/p[@class='correction-text']")[0]
    assert [i.text for i in correction.findall("i")] == ["For", "read"]


def test_html_star_footnote_and_front_lines(page: lxml.html.HtmlElement) -> None:
    assert [p.text_content() for p in page.xpath("//p[@class='front-line']")] == [
        "Seventy-seventh session", "Item 94 of the provisional agenda*"]
    assert not page.xpath("//p[@class='body-name']"), "a GA report prints the Assembly's session instead"
    star = page.xpath("//p[@class='footnote']")[0]
    assert star.get("id") == "fn-star" and star.xpath("span[@class='note-number']")[0].text_content() == "*"


def test_html_of_a_conference_room_paper_has_no_job_footer(document: Document) -> None:
    root = lxml.html.document_fromstring(html.render_html(_as(document, "conference-room-paper",
                                                              "A/AC.292/2022/CRP.1")))
    assert [p.text_content() for p in root.xpath("//div[@class='distribution']/p")] == [
        "Conference room paper", "8 August 2022", "English only"]
    assert not root.xpath("//footer") and root.find("body").get("data-job-number") is None


def test_html_of_a_corrigendum_carries_its_label(document: Document) -> None:
    root = lxml.html.document_fromstring(html.render_html(_as(document, "corrigendum", "A/77/275/Corr.1",
                                                              "22-12346")))
    labels = root.xpath("//hgroup/p[@class='genre-label']")
    assert [p.text for p in labels] == ["Corrigendum"]
    assert root.xpath("//hgroup/*")[-1] is labels[0]  # under the whole title block


# ---------------------------------------------------------------- PDF


def test_pdf_contents_gives_each_heading_its_page(document: Document, tmp_path: Path) -> None:
    pages = _pdftotext(pdf.render_pdf(document), tmp_path)
    contents = [line for line in pages[0].splitlines() if re.search(r"\.{5,}\s+\d+$", line)]
    assert len(contents) == 6
    annex_page = int(contents[-1].split()[-1])
    assert "Chair’s summary" in contents[-1] and "Annex" in pages[annex_page - 1]
    assert "Numbering starts again in an annex." in pages[annex_page - 1]


def test_pdf_of_a_conference_room_paper_has_no_job_footer(document: Document, tmp_path: Path) -> None:
    pages = _pdftotext(pdf.render_pdf(_as(document, "conference-room-paper", "A/AC.292/2022/CRP.1")), tmp_path)
    assert "Conference room paper" in pages[0] and "English only" in pages[0]
    assert "Please recycle" not in pages[0] and "*2212345*" not in pages[0]


def test_every_genre_of_the_schema_has_its_module_and_back() -> None:
    from lxml import etree

    from pipeline.genres import GENRES, genre
    from pipeline.resources import schemas_dir

    xsd = etree.parse(str(schemas_dir() / "undoc-1.0.xsd"))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    types = xsd.xpath("//xs:element[@name='document']//xs:attribute[@name='type']//xs:enumeration/@value",
                      namespaces=ns)
    assert sorted(types) == sorted(GENRES)
    assert all(genre(name).name == name for name in GENRES)

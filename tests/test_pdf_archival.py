"""The PDF as an archival, accessible file: PDF/UA-1 and PDF/A-3b, its structure tree read back.

Every source's PDF passes the machine checks of :mod:`tests.pdfcheck` and carries its source;
the programme of work and the report are read back element by element: footnotes, tables,
labels, running heads and folios.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pikepdf
import pytest

from pipeline.formats import pdf as pdf_renderer
from pipeline.model.tree import Document
from tests import pdfcheck
from tests.conftest import ALL_STEMS

S3 = "oewg-ict-s3-programme-of-work"
S4 = "oewg-ict-s4-programme-of-work"
REPORT = "oewg-ict-apr-2022-report"
READ_BACK = (S4, REPORT)


@pytest.fixture(scope="module")
def readbacks(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, pdfcheck.Readback]:
    """Each source's PDF, written and read back."""
    folder = tmp_path_factory.mktemp("archival")
    found = {}
    for stem in ALL_STEMS:
        path = folder / f"{stem}.pdf"
        path.write_bytes(pdf_renderer.render(documents[stem]))
        found[stem] = pdfcheck.read(path)
    return found


def print_html(document: Document) -> lxml.html.HtmlElement:
    """The page WeasyPrint lays out."""
    return lxml.html.document_fromstring(pdf_renderer.print_page(document).html)


def classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_passes_the_pdfua_and_pdfa_checks(stem: str, readbacks: dict[str, pdfcheck.Readback]) -> None:
    assert pdfcheck.problems(readbacks[stem]) == []


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_carries_its_source(stem: str, readbacks: dict[str, pdfcheck.Readback], documents: dict[str, Document]) -> None:
    assert pdfcheck.embedded_source(readbacks[stem]) == Path(documents[stem].source.path).read_bytes()


def test_the_checks_find_a_broken_file(readbacks: dict[str, pdfcheck.Readback], tmp_path: Path) -> None:
    """The checks fail a file whose identification, tree and source were taken away."""
    path = tmp_path / "broken.pdf"
    with pikepdf.open(readbacks[S4].path) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["pdfuaid:part"]
        del pdf.Root.AF
        document = pdf.Root.StructTreeRoot.K[0]
        document.K = pikepdf.Array(list(document.K)[1:])  # the masthead leaves the tree, its text untagged
        pdf.save(path)
    found = "\n".join(pdfcheck.problems(pdfcheck.read(path)))
    assert "pdfuaid:part" in found
    assert "associated XML source" in found
    assert "in the pages but not in the tree" in found


def test_xmp_declares_pdfua1_and_pdfa3b_and_the_title_with_the_symbol(
        readbacks: dict[str, pdfcheck.Readback], documents: dict[str, Document]) -> None:
    titles = {}
    for stem in (S3, S4):
        xmp = readbacks[stem].xmp
        assert pdfcheck.xmp_value(xmp, "//pdfuaid:part") == "1"
        assert pdfcheck.xmp_value(xmp, "//pdfaid:part") == "3"
        assert pdfcheck.xmp_value(xmp, "//pdfaid:conformance") == "B"
        assert pdfcheck.xmp_value(xmp, "//dc:language/rdf:Bag/rdf:li") == documents[stem].language
        titles[stem] = pdfcheck.xmp_value(xmp, "//dc:title/rdf:Alt/rdf:li")
        assert titles[stem] == f"{documents[stem].symbol}: Provisional programme of work"
        assert str(readbacks[stem].pdf.docinfo.Title) == titles[stem]
    assert titles[S3] != titles[S4]


@pytest.mark.parametrize("stem", READ_BACK)
def test_each_note_follows_its_call(stem: str, readbacks: dict[str, pdfcheck.Readback],
                                    documents: dict[str, Document]) -> None:
    root = readbacks[stem].root
    notes = root.find("Note")
    calls = print_html(documents[stem]).xpath('//span[contains(@class, "print-footnote")]')
    assert notes and len(notes) == len(calls)
    for note in notes:
        assert note.parent is not None
        siblings = note.parent.elements()
        before = siblings[siblings.index(note) - 1]
        assert before.kind == "Reference", f"a Note after a {before.kind}"
        assert before.content() and note.content()
        assert note.elements()[0].kind == "Lbl"  # the note's number
        # read on the page of its call, right after it: never between two parts of a table
        assert note.content()[0][0] == before.content()[-1][0]
        assert note.parent.kind not in pdfcheck.ALLOWED_KIDS


@pytest.mark.parametrize("stem", READ_BACK)
def test_one_table_per_table_with_its_head_once(stem: str, readbacks: dict[str, pdfcheck.Readback],
                                                documents: dict[str, Document]) -> None:
    root = readbacks[stem].root
    html_tables = print_html(documents[stem]).xpath("//table")
    tables = root.find("Table")
    assert len(tables) == len(html_tables)
    for table, html_table in zip(tables, html_tables, strict=True):
        assert len(table.find("TR")) == len(html_table.xpath(".//tr"))
        heads = table.find("THead")
        assert len(heads) == len(html_table.xpath("thead"))
        for head, html_head in zip(heads, html_table.xpath("thead"), strict=True):
            assert len(head.find("TH")) == len(html_head.xpath(".//th"))
            assert {page for page, _ in head.content()} == {table.content()[0][0]}


def test_the_programme_spans_pages_in_one_table_and_its_cells_name_their_headers(
        readbacks: dict[str, pdfcheck.Readback]) -> None:
    (table,) = readbacks[S4].root.find("Table")
    assert len({page for page, _ in table.content()}) >= 2
    heads = {str(th.obj.ID) for th in table.find("TH")}
    for cell in table.find("TD"):
        headers = {str(h) for h in cell.obj.A.Headers}
        assert len(headers) == 3 and headers <= heads  # the column, the time and the day


@pytest.mark.parametrize("stem", READ_BACK)
def test_labels_of_lists_and_numbered_paragraphs(stem: str, readbacks: dict[str, pdfcheck.Readback],
                                                 documents: dict[str, Document]) -> None:
    root = readbacks[stem].root
    page = print_html(documents[stem])
    labelled_items = [li for li in page.xpath("//li") if any(classes(s) & {"item-label", "bullet"} for s in li)]
    items = [li for li in root.find("LI") if li.elements()[0].kind == "Lbl"]
    assert labelled_items and len(items) == len(labelled_items)
    for item in root.find("LI"):
        assert [kid.kind for kid in item.elements()] in (["Lbl", "LBody"], ["LBody"])
        assert "Lbl" not in [kid.kind for kid in item.elements()[-1].elements()]  # the label stays out of the body
    labelled_paragraphs = [p for p in page.xpath("//p") if any(classes(s) & {"para-number", "label"} for s in p)]
    paragraphs = [p for p in root.find("P") if p.elements() and p.kids[0] is p.elements()[0]
                  and p.elements()[0].kind == "Lbl"]
    assert len(paragraphs) == len(labelled_paragraphs)
    assert not [p for p in root.find("P") if p.find("P")[1:]], "a P inside a P"


@pytest.mark.parametrize("stem", READ_BACK)
def test_running_heads_and_folios_are_artifacts(stem: str, readbacks: dict[str, pdfcheck.Readback]) -> None:
    marked = readbacks[stem].marked
    assert len(marked) >= 3
    for page_number, sequences in enumerate(marked[1:], start=2):
        shown = [(y, m) for m in sequences for y in m.text_y]
        top = min(y for y, _ in shown)
        bottom = max(y for y, _ in shown)
        running = [m for y, m in shown if y in (top, bottom)]
        assert running and all(m.tag == "Artifact" for m in running), f"page {page_number}"
        tagged = [y for y, m in shown if m.mcid is not None]
        assert tagged and top < min(tagged) and max(tagged) < bottom, f"page {page_number}"


def test_the_repeated_table_head_is_an_artifact(readbacks: dict[str, pdfcheck.Readback]) -> None:
    back = readbacks[S4]
    (table,) = back.root.find("Table")
    pages = sorted({page for page, _ in table.content()})
    later = pages[-1]
    shown = [(y, m) for m in back.marked[later] for y in m.text_y]
    top, bottom = min(y for y, _ in shown), max(y for y, _ in shown)
    inside = [m for y, m in shown if top < y < bottom]
    assert any(m.tag == "Artifact" for m in inside)  # the head, drawn again, not read again
    assert all(page == pages[0] for page, _ in table.find("THead")[0].content())

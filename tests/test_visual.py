"""Visual regression of the printed pages: PDF (WeasyPrint) and DOCX (as LibreOffice lays it out).

Every page is drawn at 50 pixels per inch in grey and compared with its golden image in
``tests/golden/pages/<stem>/`` (PDF) or ``tests/golden/pages/<stem>.docx/`` (DOCX), with the
tolerance of :mod:`tests.visual`. A mismatch writes an HTML report with the expected page,
the actual page and the difference, and names the command that accepts the new pages.
The last tests show that the comparison sees a table rule moved by one point.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.formats import pdf as pdf_renderer
from pipeline.model.tree import Document
from tests.conftest import ALL_STEMS, UPDATE_COMMAND, Golden, in_ci
from tests.visual import check_pages, compare_pages, rasterise, require, write_report

S3 = "oewg-ict-s3-programme-of-work"
S4 = "oewg-ict-s4-programme-of-work"
STEMS = ALL_STEMS  # every real source has page goldens of its PDF and its DOCX

LINE_SVG = ("url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'"
            " preserveAspectRatio='none'%3E%3Crect width='1' height='1'/%3E%3C/svg%3E\")")


def rule_drawn_at(offset_pt: float) -> str:
    """A stylesheet that draws the rule above the table heads ``offset_pt`` below its place.

    The border itself is made transparent, so that nothing else on the page moves; the rule
    is drawn as a background of the same thickness.
    """
    return (".programme thead th { border-top-color: transparent;"
            f" background-image: {LINE_SVG}; background-repeat: no-repeat;"
            f" background-position: 0 {offset_pt}pt; background-size: 100% var(--un-rule-table); }}")


@pytest.fixture(scope="module")
def pdf_pages(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The page images of each real source's PDF."""
    folder = tmp_path_factory.mktemp("pdf-pages")
    pages = {}
    for stem in STEMS:
        path = folder / f"{stem}.pdf"
        path.write_bytes(pdf_renderer.render(documents[stem]))
        pages[stem] = rasterise(path, folder / stem)
    return pages


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_pages_match_golden(stem: str, pdf_pages: dict[str, list[Path]], golden: Golden,
                                tmp_path_factory: pytest.TempPathFactory) -> None:
    report = tmp_path_factory.getbasetemp() / "visual-report" / stem
    check_pages(stem, pdf_pages[stem], update=golden.update, report_dir=report)


@pytest.fixture(scope="module")
def docx_pages(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The page images of each real source's DOCX, laid out by LibreOffice."""
    if importlib.util.find_spec("pipeline.formats.docx.render") is None:
        pytest.skip("no DOCX renderer")
    from pipeline.formats.docx import pages as docx_pages_tool
    from pipeline.formats.docx import render as docx_renderer

    if docx_pages_tool.soffice_binary() is None:
        require("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("docx-pages")
    files = []
    for stem in STEMS:
        files.append(folder / f"{stem}.docx")
        files[-1].write_bytes(docx_renderer.render(documents[stem]))
    pdfs = docx_pages_tool.to_pdf(files, folder / "pdf")
    return {pdf.stem: rasterise(pdf, folder / pdf.stem) for pdf in pdfs}


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_docx_pages_match_golden(stem: str, docx_pages: dict[str, list[Path]], golden: Golden,
                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    report = tmp_path_factory.getbasetemp() / "visual-report" / f"{stem}.docx"
    check_pages(f"{stem}.docx", docx_pages[stem], update=golden.update, report_dir=report)


# ---------------------------------------------------------------- the check sees small changes


def test_a_rule_moved_by_one_point_is_a_difference(documents: dict[str, Document], tmp_path: Path) -> None:
    """The rule above the table heads, drawn in place and then 1 pt lower: the pages differ,
    only in the rows of that rule, on every page that has the table, and the report shows it."""
    pages = {}
    for offset in (0.0, 1.0):
        path = tmp_path / f"rule-{offset}.pdf"
        path.write_bytes(pdf_renderer.render_pdf(documents[S4], extra_css=rule_drawn_at(offset)))
        pages[offset] = rasterise(path, tmp_path / f"rule-{offset}")
    diffs = compare_pages(pages[0.0], pages[1.0])
    assert [d.matches for d in diffs] == [True, False, False]
    for d in diffs[1:]:
        assert d.box is not None
        left, top, right, bottom = d.box
        assert bottom - top <= 3  # one rule, a pixel or two high at 50 px per inch
        assert right - left > 200  # across the table
    index = write_report("rule moved by 1 pt", diffs, tmp_path / "report")
    report = index.read_text(encoding="utf-8")
    for name in ("page-2-expected.png", "page-2-actual.png", "page-2-difference.png"):
        assert (tmp_path / "report" / name).is_file()
        assert f'src="{name}"' in report
    assert "page-1-" not in report


def test_page_comparison_fails_on_a_moved_table_head(documents: dict[str, Document], tmp_path: Path) -> None:
    """The table head moved down by 1 pt fails against the golden pages, with a report and the
    command that accepts new pages in the message."""
    if not (Path(__file__).parent / "golden" / "pages" / S4).is_dir():
        if in_ci():
            pytest.fail("golden pages missing", pytrace=False)
        pytest.skip("golden pages not generated yet")
    path = tmp_path / "moved.pdf"
    path.write_bytes(pdf_renderer.render_pdf(documents[S4], extra_css=".programme thead tr { position: relative;"
                                                                          " top: 1pt; }"))
    pages = rasterise(path, tmp_path / "moved")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_pages(S4, pages, update=False, report_dir=tmp_path / "report")
    message = str(failure.value)
    assert "page 2:" in message and "page 3:" in message and "page 1:" not in message
    assert UPDATE_COMMAND in message
    assert str(tmp_path / "report" / "index.html") in message
    assert (tmp_path / "report" / "page-2-difference.png").is_file()

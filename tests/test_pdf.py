"""The PDF renderer, checked with poppler's own tools and WeasyPrint's page boxes.

Page size, embedded fonts, link annotations, metadata and tags come from ``pdfinfo`` and
``pdffonts``; page content and placement (running heads, folios, footnotes, repeated table
heads, unbroken symbols) from ``pdftotext``, cropped to regions of the page where position
matters; rows kept whole from the laid-out boxes. The page images are compared with their
golden images in ``test_visual.py``.
"""

from __future__ import annotations

import ctypes.util
import dataclasses
import hashlib
import html
import logging
import os
import re
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from pipeline.formats import format_names, renderer
from pipeline.formats import html as html_renderer
from pipeline.formats import pdf as pdf_renderer
from pipeline.marks.barcode import job_barcode_text
from pipeline.model.tree import Document, undocs_url
from pipeline.project.venues import BUILT_IN
from tests.conftest import ROOT, SEED_OF
from tests.seeds import coverage
from tests.visual import require

S3 = "oewg-ict-s3-programme-of-work"
S4 = "oewg-ict-s4-programme-of-work"
STEMS = (S3, S4)
LETTER = "612 x 792 pts"
FONT_NAME = re.compile(r"^[A-Z]{6}\+Liberation-Serif(-Bold|-Italic|-Bold-Italic)?$")
HEAD_BAND_PT = 60
"""Height of the top margin band read for running heads (the text area starts at 0.9 in)."""
FOOT_BAND_PT = 60
"""Height of the bottom margin band read for folios."""


def run(*command: str) -> str:
    """The standard output of a poppler tool (which must be installed, or the test skips/fails)."""
    require(command[0])
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def page_count(path: Path) -> int:
    """Pages of a PDF, by pdfinfo."""
    return int(re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", str(path)), re.M).group(1))


def text(path: Path, page: int | None = None, *, box: tuple[float, float, float, float] | None = None) -> str:
    """pdftotext of one page (or all), optionally of a box (x, y, width, height) in points."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if box is not None:
        x, y, w, h = box
        args += ["-r", "72", "-x", str(round(x)), "-y", str(round(y)), "-W", str(round(w)), "-H", str(round(h))]
    return run(*args, str(path), "-")


def layout_lines(path: Path, page: int, box: tuple[float, float, float, float]) -> list[str]:
    """The non-empty lines of a box of one page, as ``pdftotext -layout`` sets them, stripped."""
    x, y, w, h = box
    out = run("pdftotext", "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page), "-r", "72",
              "-x", str(round(x)), "-y", str(round(y)), "-W", str(round(w)), "-H", str(round(h)), str(path), "-")
    return [line.strip() for line in out.replace("\f", "").splitlines() if line.strip()]


def word_boxes(path: Path, page: int) -> list[tuple[str, float, float]]:
    """The words of one page with their top-left corner in points, top to bottom, left to right."""
    out = run("pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(path), "-")
    found = [(html.unescape(w), float(x), float(y))
             for x, y, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>', out)]
    return sorted(found, key=lambda item: (round(item[2]), item[1]))


def words(s: str) -> str:
    """White space collapsed."""
    return " ".join(s.split())


@pytest.fixture(scope="module")
def pdfs(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The PDF of each real source, written to a temporary folder."""
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for stem in STEMS:
        paths[stem] = folder / f"{stem}.pdf"
        paths[stem].write_bytes(pdf_renderer.render(documents[stem]))
    return paths


@pytest.fixture(scope="module")
def html_pages(documents: dict[str, Document]) -> dict[str, lxml.html.HtmlElement]:
    """The HTML page of each real source, which the PDF must say the same as."""
    return {stem: lxml.html.document_fromstring(html_renderer.render(documents[stem])) for stem in STEMS}


# ---------------------------------------------------------------- registry, determinism


def test_renders_without_a_warning(documents: dict[str, Document], caplog: pytest.LogCaptureFixture) -> None:
    """No CSS WeasyPrint ignores, no glyph missing from the bundled fonts, no broken anchor."""
    pdf_renderer._styles.cache_clear()  # the stylesheets are parsed again, under the capture
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for stem in STEMS:
            pdf_renderer.render(documents[stem])
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_registered_after_docx() -> None:
    names = format_names()
    assert names.index("pdf") > names.index("html")
    if "docx" in names:
        assert names.index("pdf") == names.index("docx") + 1
    r = renderer("pdf")
    assert (r.name, r.suffix) == ("pdf", ".pdf")


@pytest.mark.parametrize("stem", STEMS)
def test_same_bytes_twice(stem: str, documents: dict[str, Document], pdfs: dict[str, Path]) -> None:
    assert pdf_renderer.render(documents[stem]) == pdfs[stem].read_bytes()


def test_same_bytes_in_a_fresh_process_whatever_the_installed_fonts(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """Another interpreter, another hash seed, and a font setup that maps Times New Roman and
    serif to DejaVu Serif: the same bytes, since the renderer sees only the bundled fonts."""
    hostile = tmp_path / "fonts.conf"
    hostile.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        "  <match><test name=\"family\"><string>Times New Roman</string></test>"
        "<edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>DejaVu Serif</string></edit></match>\n"
        "  <match><test name=\"family\"><string>serif</string></test>"
        "<edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>DejaVu Serif</string></edit></match>\n"
        "</fontconfig>\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.build.render import model_of\n"
        "from pipeline.validate.check import validate_sources\n"
        "from pipeline.formats.pdf import render\n"
        f"checked, _ = validate_sources([Path('sources/{S4}.xml')])\n"
        "sys.stdout.buffer.write(render(model_of(checked[0])))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="4321", FONTCONFIG_FILE=str(hostile))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True,
                          timeout=120)
    assert done.stdout == pdfs[S4].read_bytes()


SUBSETTING_SCRIPT = """
import hashlib, sys, warnings
if sys.argv[1] == "without":  # a machine without the HarfBuzz subsetting library
    import cffi
    load = cffi.FFI.dlopen
    def dlopen(self, name, *args, **kwargs):
        if name and "harfbuzz-subset" in str(name):
            raise OSError(f"cannot load library {name}")
        return load(self, name, *args, **kwargs)
    cffi.FFI.dlopen = dlopen
warnings.simplefilter("ignore")
from pathlib import Path
from weasyprint.pdf import fonts
from weasyprint.text import ffi
weasyprint_choice = fonts.Font.subset
from pipeline.build.render import model_of
from pipeline.formats.pdf import render_pdf
from pipeline.validate.check import validate_sources
checked, _ = validate_sources([Path(sys.argv[2])])
document = model_of(checked[0])
pinned = render_pdf(document)
fonts.Font.subset = weasyprint_choice  # the pin is made once per process; undo it
unpinned = render_pdf(document)
print(ffi.harfbuzz_subset is not None, hashlib.sha256(pinned).hexdigest(), hashlib.sha256(unpinned).hexdigest())
"""


def test_same_bytes_with_and_without_the_harfbuzz_subsetting_library(pdfs: dict[str, Path]) -> None:
    """Once the PDF's embedded fonts differed between a machine with libharfbuzz-subset and
    one without (WeasyPrint chooses by what it finds); the subsetting path is now pinned."""
    if ctypes.util.find_library("harfbuzz-subset") is None:
        pytest.skip("libharfbuzz-subset is not installed: only one of the two paths can be tried")
    runs = {}
    for machine in ("with", "without"):
        done = subprocess.run([sys.executable, "-c", SUBSETTING_SCRIPT, machine, f"sources/{S4}.xml"], cwd=ROOT,
                              capture_output=True, text=True, check=True, timeout=180)
        found, pinned, unpinned = done.stdout.split()
        runs[machine] = (found == "True", pinned, unpinned)
    assert runs["with"][0] and not runs["without"][0], "each machine is what it says"
    assert runs["with"][1] == runs["without"][1] == hashlib.sha256(pdfs[S4].read_bytes()).hexdigest()
    assert runs["with"][2] != runs["without"][2], "WeasyPrint's own choice gives other bytes on each machine"


# ---------------------------------------------------------------- pdfinfo, pdffonts


@pytest.mark.parametrize("stem", STEMS)
def test_every_page_is_us_letter(stem: str, pdfs: dict[str, Path]) -> None:
    count = page_count(pdfs[stem])
    sizes = re.findall(r"^Page\s+\d+ size:\s+(.*?)(?: \(\w+\))?$",
                       run("pdfinfo", "-f", "1", "-l", str(count), str(pdfs[stem])), re.M)
    assert sizes == [LETTER] * count
    assert f"Page size:       {LETTER} (letter)" in run("pdfinfo", str(pdfs[stem]))


def test_geneva_documents_are_a4(documents: dict[str, Document], tmp_path: Path) -> None:
    document = documents[S4]
    moved = dataclasses.replace(document, session=dataclasses.replace(document.session, place="Geneva",
                                                                      venue=BUILT_IN["Geneva"]))
    path = tmp_path / "geneva.pdf"
    path.write_bytes(pdf_renderer.render(moved))
    assert re.search(r"^Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)$", run("pdfinfo", str(path)), re.M)
    assert pdf_renderer.page_size(document) == "letter"


@pytest.mark.parametrize("stem", STEMS)
def test_metadata(stem: str, pdfs: dict[str, Path], documents: dict[str, Document]) -> None:
    info = dict(re.findall(r"^(\w[\w ]*?):\s+(.*)$", run("pdfinfo", str(pdfs[stem])), re.M))
    document = documents[stem]
    assert info["Title"] == f"{document.symbol}: Provisional programme of work"
    assert info["Subject"] == document.symbol
    assert info["Author"] == "United Nations"
    assert info["Tagged"] == "yes"
    issued = document.masthead.issued
    assert info["CreationDate"] == f"{issued:%a %b} {issued.day:2d} 00:00:00 {issued.year} UTC"
    assert info["ModDate"] == info["CreationDate"]
    assert "Keywords" not in info and "Creator" not in info
    assert b"/Lang (en)" in b"".join(streams(pdfs[stem]))


def streams(path: Path) -> list[bytes]:
    """The file's bytes and every stream inflated (the catalog may sit in a compressed object stream)."""
    raw = path.read_bytes()
    found = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return found


def test_source_date_epoch_fixes_the_dates(documents: dict[str, Document], monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    path = tmp_path / "epoch.pdf"
    path.write_bytes(pdf_renderer.render(documents[S4]))
    assert re.search(r"^CreationDate:\s+Tue Nov 14 22:13:20 2023 UTC$", run("pdfinfo", str(path)), re.M)


@pytest.mark.parametrize("stem", STEMS)
def test_only_bundled_fonts_all_embedded(stem: str, pdfs: dict[str, Path]) -> None:
    rows = run("pdffonts", str(pdfs[stem])).splitlines()[2:]
    assert len(rows) >= 3  # regular, bold, italic at least
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert FONT_NAME.match(name), row
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


@pytest.mark.parametrize("stem", STEMS)
def test_every_link_is_an_annotation(stem: str, pdfs: dict[str, Path], html_pages: dict[str, lxml.html.HtmlElement]
                                     ) -> None:
    """Every external link of the page (symbols and resolutions to undocs.org, addresses) is live."""
    annotations = Counter(line.split()[-1] for line in run("pdfinfo", "-url", str(pdfs[stem])).splitlines()[1:])
    hrefs = Counter(html_pages[stem].xpath("//body//a[starts-with(@href, 'http')]/@href"))
    assert set(annotations) == set(hrefs)
    assert all(annotations[h] >= n for h, n in hrefs.items())
    assert "https://undocs.org/en/A/RES/75/240" in annotations
    assert "https://undocs.org/en/A/AC.292/2021/1" in annotations
    if stem == S4:
        assert "https://undocs.org/en/A/77/275" in annotations


# ---------------------------------------------------------------- text and placement


@pytest.mark.parametrize("stem", STEMS)
def test_seedcheck(stem: str, pdfs: dict[str, Path]) -> None:
    share, missing = coverage(SEED_OF[stem], pdfs[stem])
    assert share >= 0.985, missing


@pytest.mark.parametrize("stem", STEMS)
def test_symbols_never_broken(stem: str, pdfs: dict[str, Path], html_pages: dict[str, lxml.html.HtmlElement]
                              ) -> None:
    """Each symbol and resolution number appears whole as often as the page prints it."""
    printed = Counter(a.text_content() for a in html_pages[stem].xpath("//a[@class='doc-ref']"))
    assert printed
    whole = text(pdfs[stem])
    for symbol, times in printed.items():
        assert whole.count(symbol) >= times, symbol
    assert not re.search(r"(^|\s)(A|A/AC\.292|75)/\s*$", whole, re.M)


@pytest.mark.parametrize("stem", STEMS)
def test_first_page_masthead_and_footer(stem: str, pdfs: dict[str, Path], documents: dict[str, Document]) -> None:
    document = documents[stem]
    m = document.masthead
    first = words(text(pdfs[stem], 1))
    for expected in ("United Nations", document.symbol, "General Assembly", "Distr.: General", "Original: English",
                     "Provisional programme of work", "Note by the Secretariat"):
        assert expected in first, expected
    footer = layout_lines(pdfs[stem], 1, (0, 792 - 110, 612, 110))
    assert re.fullmatch(rf"{m.job_number} \(E\)\s+{m.issued:%d%m%y}", footer[0]), footer
    assert any(line.split()[0] == job_barcode_text(m.job_number) for line in footer[1:]), footer
    assert any(line.endswith("Please recycle") for line in footer), footer
    assert "Annex" not in first.split("Note by the Secretariat")[1]


@pytest.mark.parametrize("stem", STEMS)
def test_first_page_codes_scan(stem: str, pdfs: dict[str, Path], documents: dict[str, Document],
                               tmp_path: Path) -> None:
    """The QR code and the barcode, drawn from their SVG images, read back as the address and the job digits."""
    zbarimg = require("zbarimg", "zbar-tools")
    run("pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", str(pdfs[stem]), str(tmp_path / "page"))
    (image,) = tmp_path.glob("page-*.png")
    result = subprocess.run([zbarimg, "-q", str(image)], capture_output=True, text=True, check=False, timeout=60)
    document = documents[stem]
    assert set(result.stdout.split()) == {
        f"QR-Code:{undocs_url(document.symbol)}",
        f"CODE-39:{job_barcode_text(document.masthead.job_number).strip('*')}",
    }


@pytest.mark.parametrize("stem", STEMS)
def test_later_pages_mirrored_heads_and_folios(stem: str, pdfs: dict[str, Path], documents: dict[str, Document]
                                               ) -> None:
    """Symbol and folio on the outer side (left on even pages, right on odd), job number inside."""
    document = documents[stem]
    count = page_count(pdfs[stem])
    assert count >= 3
    for page in range(2, count + 1):
        outer_x, inner_x = (0, 306) if page % 2 == 0 else (306, 0)
        head_outer = words(text(pdfs[stem], page, box=(outer_x, 0, 306, HEAD_BAND_PT)))
        head_inner = words(text(pdfs[stem], page, box=(inner_x, 0, 306, HEAD_BAND_PT)))
        foot_outer = words(text(pdfs[stem], page, box=(outer_x, 792 - FOOT_BAND_PT, 306, FOOT_BAND_PT)))
        foot_inner = words(text(pdfs[stem], page, box=(inner_x, 792 - FOOT_BAND_PT, 306, FOOT_BAND_PT)))
        assert head_outer == document.symbol, (page, head_outer)
        assert head_inner == ""
        assert foot_outer == f"{page}/{count}", (page, foot_outer)
        assert foot_inner == document.masthead.job_number, (page, foot_inner)
        assert "Please recycle" not in text(pdfs[stem], page)


@pytest.mark.parametrize("stem", STEMS)
def test_annex_on_a_new_page_with_heads_on_every_page(stem: str, pdfs: dict[str, Path]) -> None:
    count = page_count(pdfs[stem])
    band = (0, HEAD_BAND_PT, 612, 792 - HEAD_BAND_PT - FOOT_BAND_PT)
    body = [layout_lines(pdfs[stem], page, band) for page in range(1, count + 1)]
    heads = re.compile(r"Date/time\s+Agenda item/programme")
    assert not any(heads.fullmatch(line) for line in body[0])
    assert body[1][:2] == ["Annex", "Provisional programme of work"]
    assert heads.fullmatch(body[1][2])
    for later in body[2:]:
        assert heads.fullmatch(later[0]), later[:2]
        assert sum(bool(heads.fullmatch(line)) for line in later) == 1


def test_footnote_at_the_foot_of_the_calling_page(pdfs: dict[str, Path], documents: dict[str, Document]) -> None:
    """The note is the last text of the page that calls it, above the folio, marker first."""
    path = pdfs[S4]
    note = words("".join(n.text for n in documents[S4].footnotes[0].content if hasattr(n, "text"))).split()
    call_page = next(p for p in range(1, page_count(path) + 1) if "Monday, 6 March" in text(path, p))
    page_words = [w for w, _x, y in word_boxes(path, call_page) if HEAD_BAND_PT < y < 792 - FOOT_BAND_PT]
    assert page_words[-len(note) - 1:] == ["1", *note]
    assert text(path).count("States are strongly encouraged") == 1


def _boxes(box: object) -> list[object]:
    found = [box]
    for child in getattr(box, "children", None) or []:
        found.extend(_boxes(child))
    return found


@pytest.mark.parametrize("stem", STEMS)
def test_table_rows_kept_whole(stem: str, documents: dict[str, Document]) -> None:
    """No body row of the programme is laid out on two pages; the head row is on every table page."""
    laid_out = pdf_renderer.layout(documents[stem])
    seen: Counter[int] = Counter()
    head_pages = 0
    table_pages = 0
    for page in laid_out.pages:
        rows = {id(b.element): b.element for b in _boxes(page._page_box) if type(b).__name__ == "TableRowBox"}
        body_rows = [e for e in rows.values() if e.get("class") in ("day-row", "slot")]
        head_pages += any(e.find("th[@class='col-time']") is not None for e in rows.values())
        table_pages += bool(body_rows)
        seen.update(id(e) for e in body_rows)
    assert table_pages >= 2
    assert head_pages == table_pages
    assert seen and max(seen.values()) == 1


def test_a_font_parsed_once_subsets_to_the_same_bytes_as_the_file() -> None:
    """Each subset starts from a copy of the font parsed once per process: the same bytes as a subset
    cut from the file, and a subset leaves the next one whole."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    content = (Path(pdf_renderer.__file__).parents[1] / "data" / "fonts" / "NotoSerifCJKsc-Regular.ttf").read_bytes()

    def subset_of(ttfont: TTFont, gids: list[int]) -> bytes:
        options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=gids)
        subsetter.subset(ttfont)
        output = io.BytesIO()
        ttfont.save(output)
        return output.getvalue()

    for gids in ([1, 2, 3, 500], [1, 4000, 7000]):
        from_file = subset_of(TTFont(io.BytesIO(pdf_renderer._without_layout(content, 0)), recalcTimestamp=False), gids)
        assert subset_of(pdf_renderer._parsed_font(content, 0), gids) == from_file



@pytest.mark.parametrize("file", ["LiberationSerif-Regular.ttf", "NotoSerifCJKsc-Bold.ttf"])
def test_the_subsets_bounds_are_those_fonttools_computes_from_the_outlines(file: str) -> None:
    """The subset's glyphs are copied undecoded, and its bounding box and extents read from each
    glyph's own: the same values as fontTools decoding every outline again (composite glyphs
    of Liberation Serif among them)."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    content = (Path(pdf_renderer.__file__).parents[1] / "data" / "fonts" / file).read_bytes()
    face = TTFont(io.BytesIO(content))
    composites = [gid for gid, name in enumerate(face.getGlyphOrder()) if face["glyf"][name].isComposite()][:5]
    gids = [3, 40, 300, 1500, 2000, *composites]

    def fields(recalculated: bool) -> dict[str, int]:
        ttfont = TTFont(io.BytesIO(content), recalcBBoxes=recalculated, recalcTimestamp=False)
        subsetter = subset.Subsetter(subset.Options(ignore_missing_glyphs=True, hinting=False))
        subsetter.populate(gids=gids)
        subsetter.subset(ttfont)
        if not recalculated:
            pdf_renderer._fit_bounds(ttfont)
        output = io.BytesIO()
        ttfont.save(output)
        saved = TTFont(output)
        return {f"{tag}.{name}": getattr(saved[tag], name) for tag, names in (
            ("head", ("xMin", "yMin", "xMax", "yMax")),
            ("hhea", ("advanceWidthMax", "minLeftSideBearing", "minRightSideBearing", "xMaxExtent")))
            for name in names}

    assert not file.startswith("Liberation") or composites
    assert fields(recalculated=False) == fields(recalculated=True)



def test_the_collector_paused_while_subsetting_runs_again_after(documents: dict[str, Document],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Subsetting holds Python's garbage collector back, and gives it back as it found it:
    running after a render, and still off when the caller had turned it off."""
    import gc

    seen = []
    parsed_font = pdf_renderer._parsed_font

    def watched(content: bytes, index: int) -> Any:
        seen.append(gc.isenabled())
        return parsed_font(content, index)

    monkeypatch.setattr(pdf_renderer, "_parsed_font", watched)
    assert gc.isenabled()
    try:
        pdf_renderer.render(documents[S4])
        assert seen and not any(seen)
        assert gc.isenabled()
        gc.disable()
        pdf_renderer.render(documents[S4])
        assert not gc.isenabled()
    finally:
        gc.enable()

# ---------------------------------------------------------------- embedded subsets

SCRIPT_STEMS = tuple(p.stem for p in sorted((ROOT / "sources").glob("*.xml")) if p.stem.endswith((".zh", ".ar")))
"""Every Chinese and Arabic source: their faces are the large ones the subsets cut down most."""


_STYLE_NAMES = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bolditalic": "-Bold-Italic"}


def _outline(ttfont: Any, name: str) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """A glyph's points, contour ends and on-curve flags (its hinting left out)."""
    coordinates, ends, flags = ttfont["glyf"][name].getCoordinates(ttfont["glyf"])
    return list(coordinates), list(ends), [flag & 1 for flag in flags]


def _embedded_glyphs(data: bytes) -> dict[str, dict[str, int]]:
    """Per embedded font (its name without the subset tag): each character of its text layer ->
    the glyph number in the embedded subset that draws it, checked against the bundled face.

    The page names glyphs by CID, their numbers in the whole face; the font's ``CIDToGIDMap``
    (a stream, or ``/Identity``) turns a CID into the subset's glyph number, and ``ToUnicode``
    says which text the CID is. The subset's glyph must have the outline of the face's glyph
    of that CID.
    """
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    from pipeline.resources import face_files, families

    faces = {f"{family.replace(' ', '-')}{_STYLE_NAMES[style]}": path
             for family in families() for style, path in face_files(family).items()}
    fonts: dict[str, dict[str, int]] = {}
    with pikepdf.open(io.BytesIO(data)) as document:
        for font in document.objects:
            if not (isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/Type0"):
                continue
            cid_font = font.DescendantFonts[0]
            subset = TTFont(io.BytesIO(cid_font.FontDescriptor.FontFile2.read_bytes()))
            name = str(font.BaseFont).split("+", 1)[1]
            face = TTFont(io.BytesIO(faces[name].read_bytes()), lazy=True)
            to_gid = cid_font.CIDToGIDMap
            table = None if isinstance(to_gid, pikepdf.Name) else to_gid.read_bytes()
            glyphs = fonts.setdefault(name, {})
            unicode_map = font.ToUnicode.read_bytes().decode("ascii")
            for cid_hex, text_hex in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", unicode_map):
                cid, text = int(cid_hex, 16), bytes.fromhex(text_hex).decode("utf-16-be")
                if cid == 0 and text == "\uffff":
                    continue  # .notdef itself, listed by WeasyPrint as no character
                gid = cid if table is None else int.from_bytes(table[2 * cid:2 * cid + 2], "big")
                assert 0 < gid < len(subset.getGlyphOrder()), f"CID {cid} of {name} has no glyph of its own"
                assert _outline(subset, subset.getGlyphName(gid)) == _outline(face, face.getGlyphName(cid)), (
                    f"CID {cid} of {name} drawn with another glyph than the face's")
                glyphs[text] = gid
    return fonts


@pytest.mark.parametrize("stem", SCRIPT_STEMS)
def test_every_character_of_a_script_source_is_drawn_from_its_own_glyph(stem: str, documents: dict[str, Document],
                                                                          tmp_path: Path) -> None:
    """The subsets renumber their glyphs: each CID of the page still reaches the glyph the face
    has for it (never .notdef), and every letter of the script that the text layer gives back
    is drawn from the PDF's embedded face of that script."""
    from pipeline.resources import ARABIC_FAMILY, CHINESE_FAMILY

    data = pdf_renderer.render(documents[stem])
    embedded = _embedded_glyphs(data)
    face = (CHINESE_FAMILY if stem.endswith(".zh") else ARABIC_FAMILY).replace(" ", "-")
    script = {name: glyphs for name, glyphs in embedded.items() if name.startswith(face)}
    assert script, f"no {face} face embedded"
    path = Path(tmp_path, f"{stem}.pdf")
    path.write_bytes(data)
    letters = {ch for ch in text(path) if ch.isalpha() and (ord(ch) >= 0x2E80 or 0x0600 <= ord(ch) <= 0x06FF)}
    drawn = {ch for glyphs in script.values() for chars in glyphs for ch in chars}
    assert len(letters) > 20
    assert letters <= drawn, sorted(letters - drawn)[:20]

"""Every character reaches the page, or the source is refused where it stands; what validates builds.

Each test starts from ``tests/fixtures/rules/valid.xml`` with one change that once went
wrong: characters the bundled fonts lack were drawn as blanks in the PDF (while its text
layer kept them), a paragraph separator after a space stopped the PDF with WeasyPrint's
AssertionError, a place of one no-break space broke three data formats, a right-to-left
override silently reordered the printed text, and long words ran past the edge of the page.
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline import resources
from pipeline.build.engine import build
from pipeline.build.render import model_of
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.formats import format_names, renderer
from pipeline.formats.pdf import render_pdf
from pipeline.i18n import languages, wording_for
from pipeline.model.inline import plain_text
from pipeline.model.tree import RenderFailure
from pipeline.validate.check import Checked, validate_sources
from pipeline.validate.rules import characters
from tests.conftest import SOURCES
from tests.visual import require

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
VALID = (FIXTURES / "valid.xml").read_text(encoding="utf-8")
LINE = "          <segment>Opening of the session</segment>"
"""Line 29 of the base document: its text starts at column 20."""
LINE_NUMBER = VALID.split("\n").index(LINE) + 1


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    shutil.copyfile(SOURCES / "shared" / "oewg-ict-2021.xml", tmp_path / "shared" / "oewg-ict-2021.xml")
    return tmp_path


def checked_source(folder: Path, text: str, name: str = "doc.xml") -> tuple[Path, Checked]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    [checked], register_problems = validate_sources([path])
    assert register_problems == []
    return path, checked


def codes(checked: Checked) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in checked.diagnostics]


def with_segment(words: str) -> str:
    """The base document with the first programme segment's words replaced."""
    return VALID.replace(LINE, LINE.replace("Opening of the session", words), 1)


# ---------------------------------------------------------------- glyphs


@pytest.mark.parametrize(("character", "name"), [
    ("ب", "U+0628 ARABIC LETTER BEH"),
    ("क", "U+0915 DEVANAGARI LETTER KA"),
    ("中", "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D"),
    ("😀", "U+1F600 GRINNING FACE"),
    ("𝔸", "U+1D538 MATHEMATICAL DOUBLE-STRUCK CAPITAL A"),
    ("\ue000", "U+E000 a private-use character"),
], ids=["arabic", "devanagari", "cjk", "emoji", "astral", "private-use"])
def test_a_character_no_font_has_is_an_error_where_it_stands(folder: Path, character: str, name: str) -> None:
    _, checked = checked_source(folder, with_segment(f"Opening of the {character} session"))
    assert codes(checked) == [("glyph-missing", LINE_NUMBER, 35)]
    message = checked.diagnostics[0].message
    assert name in message and character in message and "Liberation Serif" in message
    assert not checked.ok


def test_each_missing_character_is_reported_once_with_how_often_it_recurs(folder: Path) -> None:
    _, checked = checked_source(folder, with_segment("中文 and 中 again")
                                .replace("Concluding remarks by the Chair", "Remarks 中"))
    found = [(d.line, d.column, d.message) for d in checked.diagnostics if d.code == "glyph-missing"]
    assert [(line, column) for line, column, _ in found] == [(LINE_NUMBER, 20), (LINE_NUMBER, 21)]
    assert "appears 2 more times" in found[0][2] and "CJK UNIFIED IDEOGRAPH-6587" in found[1][2]


def test_a_link_printed_as_its_address_is_checked_at_the_attribute(folder: Path) -> None:
    text = VALID.replace('<link href="https://meetings.unoda.org/"/>', '<link href="https://例え.jp/"/>')
    _, checked = checked_source(folder, text)
    line = next(i for i, s in enumerate(text.split("\n"), 1) if "例え" in s)
    assert [(c, ln) for c, ln, _ in codes(checked)] == [("glyph-missing", line), ("glyph-missing", line)]
    assert checked.diagnostics[0].column == text.split("\n")[line - 1].index("href=") + 1


DRAWN = ("Café, naïve, Œuvre, São Tomé, Ærø, Straße, “quoted” – ‘single’ — № 5 … €10, ½ ° ± × ÷ § ¶ ‑"
         " \u2003 \u202f ü\u0301")
"""Characters the fonts draw, or the shaper draws in their place (the no-break hyphen U+2011 as
a hyphen, every space as a space of its width), or that are drawn as nothing."""


def test_characters_the_fonts_draw_validate_and_print(folder: Path) -> None:
    _, checked = checked_source(folder, with_segment(DRAWN))
    assert [d.code for d in checked.diagnostics if d.severity is Severity.ERROR] == []
    render_pdf(model_of(checked))  # the safety net below does not fire: nothing is drawn blank


def test_the_fonts_of_a_language_are_data(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A language lists its families in order: the check follows the table, nothing else."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("DejaVu Sans is not installed")
    text = with_segment("Opening of the ب session")
    assert [c for c, _, _ in codes(checked_source(folder, text)[1])] == ["glyph-missing"]
    monkeypatch.setitem(resources._FACE_FILES, "DejaVu Sans", {"regular": str(dejavu)})
    monkeypatch.setitem(resources.FACES_BY_LANGUAGE, "en", ("Liberation Serif", "DejaVu Sans"))
    assert codes(checked_source(folder, text)[1]) == []
    monkeypatch.setitem(resources.FACES_BY_LANGUAGE, "en", ("DejaVu Sans",))
    _, checked = checked_source(folder, with_segment("Opening of the 中 session"))
    assert "tried DejaVu Sans" in checked.diagnostics[0].message


def test_the_pdf_fails_at_the_text_rather_than_draw_a_blank(folder: Path) -> None:
    """Should a character get past validation all the same, the PDF is not written with a blank."""
    _, checked = checked_source(folder, (FIXTURES / "glyph-missing.xml").read_text(encoding="utf-8"))
    assert [c for c, _, _ in codes(checked)] == ["glyph-missing"]
    document = model_of(checked)
    with pytest.raises(RenderFailure) as failure:
        render_pdf(document)
    assert "U+1F310" in str(failure.value)
    line = next(i for i, s in enumerate(VALID.split("\n"), 1) if "can be found at" in s)
    assert (failure.value.source.line, failure.value.source.column) == (line, 5)


def test_coverage_is_read_once_per_process() -> None:
    resources.family_coverage.cache_clear()
    first = resources.family_coverage(resources.FONT_FAMILY)
    assert resources.family_coverage(resources.FONT_FAMILY) is first
    assert resources.family_coverage.cache_info().misses == 1
    assert ord("é") in first and ord("中") not in first


# ---------------------------------------------------------------- what validates builds


def build_all(path: Path, out: Path) -> tuple[int, list[Diagnostic]]:
    report = build([path], out, format_names(), strict=False)
    return report.exit_status(), list(report.diagnostics)


def test_a_paragraph_separator_after_a_space_reads_as_a_space_and_builds(folder: Path) -> None:
    """Once: validate --strict passed, then the PDF stopped with WeasyPrint's AssertionError at 1:0."""
    text = VALID.replace("first annual progress report, contained in",
                         "first annual progress report, \u2029contained in")
    line = next(i for i, s in enumerate(text.split("\n"), 1) if "\u2029" in s)
    path, checked = checked_source(folder, text)
    assert codes(checked) == [("text-separator", line, text.split("\n")[line - 1].index("\u2029") + 1)]
    assert checked.diagnostics[0].severity is Severity.WARNING
    assert "report, contained in" in plain_text(model_of(checked).footnotes[0].content)
    status, diagnostics = build_all(path, folder / "out")
    assert status == 0 and [d.code for d in diagnostics] == ["text-separator"]
    assert len(list((folder / "out").iterdir())) == len(format_names())


def test_a_line_separator_beside_a_long_word_and_a_soft_hyphen_builds(folder: Path) -> None:
    text = with_segment("Opening of the\u2028" + "x" * 60 + "\u00ad" + "y" * 60 + " session")
    path, checked = checked_source(folder, text)
    assert sorted(c for c, _, _ in codes(checked)) == ["text-invisible", "text-separator"]
    status, diagnostics = build_all(path, folder / "out")
    assert status == 0, [d.format() for d in diagnostics]


@pytest.mark.parametrize("blank", ["&#xA0;", "\u2003", "\u202f\u00a0"], ids=["nbsp", "em-space", "narrow"])
def test_a_place_of_white_space_is_refused_at_its_line(folder: Path, blank: str) -> None:
    """Once: a warning, then the JSON, Akoma Ntoso and calendar renderers failed, at 1:0."""
    text = VALID.replace("<place>New York</place>", f"<place>{blank}</place>")
    path, checked = checked_source(folder, text)
    line = next(i for i, s in enumerate(text.split("\n"), 1) if "<place>" in s)
    assert ("empty-content", line, 5) in codes(checked)
    assert not checked.ok
    status, diagnostics = build_all(path, folder / "out")
    assert status == 1 and "render-failed" not in {d.code for d in diagnostics}


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202b", "\u2066", "\u2069"])
def test_a_directional_override_is_refused(folder: Path, control: str) -> None:
    """Once: no warning, and the PDF printed the text after a U+202E backwards."""
    _, checked = checked_source(folder, with_segment(f"Opening {control}of the session"))
    assert codes(checked) == [("text-bidi", LINE_NUMBER, 28)]
    assert f"U+{ord(control):04X}" in checked.diagnostics[0].message


def test_direction_marks_stay_warnings(folder: Path) -> None:
    _, checked = checked_source(folder, with_segment("Opening \u200fof the session"))
    assert [(d.code, d.severity) for d in checked.diagnostics] == [("text-invisible", Severity.WARNING)]


@pytest.mark.parametrize("control", ["\u0085", "\u0092", "\u0080", "\ufdd0", "\U0001fffe"])
def test_a_control_character_or_noncharacter_is_refused(folder: Path, control: str) -> None:
    _, checked = checked_source(folder, with_segment(f"Opening {control}of the session"))
    assert codes(checked) == [("text-control", LINE_NUMBER, 28)]


# ---------------------------------------------------------------- long words on the page


LONG_WORD = "Supercalifragilistic" * 6
LONG_ADDRESS = "https://example.org/" + "a-very-long-path-segment/" * 5


def outside_the_page(pdf: Path) -> list[str]:
    """Every word ``pdftotext -bbox`` places (even partly) outside its page."""
    require("pdftotext", "poppler-utils")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    assert pages
    outside = []
    for number, (width, height, body) in enumerate(pages, 1):
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', body):
            if float(x0) < 0 or float(y0) < 0 or float(x1) > float(width) or float(y1) > float(height):
                outside.append(f"page {number}: {html.unescape(word)[:30]}… at x {x0}–{x1} of {width}")
    return outside


def long_strings_document() -> str:
    return (VALID.replace("Interactive exchange", "Interactive " + LONG_WORD)
            .replace("Concluding remarks by the Chair", f"{LONG_WORD}/{LONG_WORD}")
            .replace("will be held at Headquarters", "will be held at " + LONG_WORD)
            .replace("Note by the Secretariat", "Note " + LONG_WORD)
            .replace('<link href="https://meetings.unoda.org/"/>', f'<link href="{LONG_ADDRESS}"/>')
            .replace("first annual progress report", "first " + LONG_WORD)
            .replace("<doc-ref>A/77/275</doc-ref>", f'<doc-ref symbol="A/77/275">{LONG_WORD}</doc-ref>'))


def test_long_unbreakable_strings_stay_inside_the_page(folder: Path) -> None:
    """Once: a word of ~110 characters pushed the annex table past the edge of the page."""
    _, checked = checked_source(folder, long_strings_document())
    assert checked.passes(strict=True), [d.format() for d in checked.diagnostics]
    pdf = folder / "long.pdf"
    pdf.write_bytes(render_pdf(model_of(checked)))
    assert outside_the_page(pdf) == []
    printed = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                     text=True, check=True, timeout=60).stdout.split())
    assert printed.count(LONG_WORD) >= 6
    assert LONG_ADDRESS.replace("-", "") in printed.replace("-", "")  # pdftotext joins a line-end hyphen


def test_the_page_box_check_sees_text_past_the_edge(folder: Path) -> None:
    """The check above can fail: without the breaks, the same document runs past the edge."""
    _, checked = checked_source(folder, long_strings_document())
    pdf = folder / "unbroken.pdf"
    pdf.write_bytes(render_pdf(model_of(checked), extra_css="html { overflow-wrap: normal; }"
                                                            " .programme { table-layout: auto; }"))
    assert outside_the_page(pdf)


def test_long_unbreakable_strings_stay_inside_the_page_in_docx(folder: Path) -> None:
    """The DOCX as LibreOffice lays it out: the same long words and addresses stay inside the page."""
    soffice = require("soffice", "libreoffice-writer-nogui")
    _, checked = checked_source(folder, long_strings_document())
    docx = folder / "long.docx"
    docx.write_bytes(renderer("docx").render(model_of(checked)))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   capture_output=True, check=True, timeout=300)
    assert outside_the_page(folder / "long.pdf") == []


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.items() for s in _strings(item)]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings(item)]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    return []


@pytest.mark.parametrize("language", languages())
def test_the_fixed_wording_of_every_language_is_in_its_fonts(language: str) -> None:
    """What the layout prints of its own ("Distr.:", month names, "(continued)") is drawn
    with the fonts of the language too: adding a language means adding its fonts."""
    families = resources.faces_for(language)
    texts = _strings(wording_for(language))
    assert len(texts) > 50
    missing = sorted({ch for text in texts for ch in text if not characters.drawable(ch, families)})
    assert missing == [], [characters.describe(ch) for ch in missing]


@pytest.mark.parametrize("after", [
    '<link href="https://meetings.unoda.org/"/>.' + "a" * 100,
    "<em>meetings</em>" + "b" * 120,
], ids=["address", "emphasis"])
def test_a_long_word_running_on_out_of_an_inline_element_stays_inside_the_page(folder: Path, after: str) -> None:
    """Found by the property test: WeasyPrint could not break a word that starts inside a link
    (or any inline element) and runs on after it, and drew it past the edge of the page."""
    text = VALID.replace('<link href="https://meetings.unoda.org/"/>.', after)
    _, checked = checked_source(folder, text)
    assert checked.passes(strict=True), [d.format() for d in checked.diagnostics]
    pdf = folder / "run-on.pdf"
    pdf.write_bytes(render_pdf(model_of(checked)))
    assert outside_the_page(pdf) == []

"""Scripts and directions: an Arabic, a Chinese and a Russian report in every printed format.

The fixtures ``tests/fixtures/scripts/report-{ar,zh,ru}.xml`` are one short report with a
symbol, a resolution number and figures inside the text, subparagraphs, a two-column table
and a footnote. The Arabic one reads right to left: the HTML says so (``dir="rtl"``), the PDF
and the DOCX are mirrored; each PDF embeds the bundled face of its script and gives its text
back in logical order; the DOCX names the faces Word users have, with the bundled ones as
alternatives, and LibreOffice lays it out with the bundled faces. Page images of the Arabic
and Chinese PDF and DOCX are compared with golden pages.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from pipeline.formats import html, pdf
from pipeline.formats.docx import pages as docx_pages
from pipeline.formats.docx import render as docx
from pipeline.model.tree import Document
from pipeline.resources import ARABIC_FAMILY, CHINESE_FAMILY, FONT_FAMILY, WORD_NAMES, faces_for
from pipeline.validate.check import validate_sources
from tests.conftest import Golden, in_ci
from tests.visual import check_pages, rasterise

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scripts"
LANGUAGES = ("ar", "zh", "ru")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SYMBOL = "A/AC.292/2023/1"
"""A symbol inside the text of the first paragraph of every fixture."""

WORDS = {
    "ar": ("تقرير مرحلي", "الفجوة الرقمية", "مذكرة من الأمانة العامة"),
    "zh": ("进度报告", "工作组强调", "临时工作方案"),
    "ru": ("Доклад о ходе работы", "Рабочая группа подчеркнула", "Предварительная программа работы"),
}
"""Text of each fixture that its outputs must give back, in logical order."""

EMBEDDED = {
    "ar": {"Liberation-Serif", "Noto-Naskh-Arabic"},
    "zh": {"Liberation-Serif", "Noto-Serif-CJK-SC"},
    "ru": {"Liberation-Serif"},
}
"""The families each PDF embeds (regular faces; bold and italic as the text has them)."""

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _require(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        if in_ci():
            pytest.fail(f"{tool} ({package}) is missing")
        pytest.skip(f"{tool} ({package}) is missing")


def _pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name without subset tag, embedded) for each font ``pdffonts`` lists."""
    _require("pdffonts", "poppler-utils")
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        name = line.split()[0].split("+", 1)[-1]
        embedded = line[line.index(" yes ") if " yes " in line else len(line):].startswith(" yes")
        fonts.append((name, embedded))
    return fonts


def _pdf_text(path: Path) -> str:
    """The text layer of ``path`` (pdftotext, raw order), directional marks removed and white
    space collapsed (a widely justified line comes back a word a line)."""
    _require("pdftotext", "poppler-utils")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(_BIDI_CONTROLS.sub("", out.decode("utf-8")).split())


@pytest.fixture(scope="module")
def models() -> dict[str, Document]:
    """The model of each fixture, validated like any source (schema and every rule)."""
    from pipeline.build.render import model_of

    paths = [FIXTURES / f"report-{language}.xml" for language in LANGUAGES]
    checked, problems = validate_sources(paths)
    assert not problems
    for each in checked:
        assert each.ok, each.diagnostics
        assert not each.diagnostics, each.diagnostics
    return {language: model_of(each) for language, each in zip(LANGUAGES, checked, strict=True)}


@pytest.fixture(scope="module")
def pdfs(models: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("script-pdfs")
    paths = {}
    for language, document in models.items():
        paths[language] = folder / f"report-{language}.pdf"
        paths[language].write_bytes(pdf.render(document))
    return paths


@pytest.fixture(scope="module")
def docx_files(models: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("script-docx")
    paths = {}
    for language, document in models.items():
        paths[language] = folder / f"report-{language}.docx"
        paths[language].write_bytes(docx.render(document))
    return paths


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


# ---------------------------------------------------------------- fonts


def test_each_script_has_a_bundled_face_and_the_word_name_it_stands_for() -> None:
    assert faces_for("ar") == (FONT_FAMILY, ARABIC_FAMILY)
    assert faces_for("zh") == (FONT_FAMILY, CHINESE_FAMILY)
    assert faces_for("zh-Hans") == faces_for("zh")
    assert faces_for("ru") == (FONT_FAMILY,)
    assert WORD_NAMES == {FONT_FAMILY: "Times New Roman", ARABIC_FAMILY: "Simplified Arabic",
                          CHINESE_FAMILY: "SimSun"}


def test_the_pdf_renderer_aliases_every_word_name_to_its_bundled_face() -> None:
    config = etree.parse(str(pdf.FONT_CONFIG_FILE))
    aliases = {a.findtext("family"): a.findtext("prefer/family") for a in config.iter("alias")}
    for family, word_name in WORD_NAMES.items():
        assert aliases[word_name] == family


def test_the_stylesheet_names_each_script_face_after_times_new_roman() -> None:
    stack = re.search(r"--un-font: ([^;]+);", str(html.stylesheet()))
    assert stack is not None
    names = [n.strip().strip('"') for n in stack.group(1).split(",")]
    for family in (ARABIC_FAMILY, CHINESE_FAMILY):
        assert names.index("Times New Roman") < names.index(WORD_NAMES[family]) < names.index(family)


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_says_the_direction_and_sets_symbols_apart(models: dict[str, Document], language: str) -> None:
    page = lxml.html.document_fromstring(html.render_html(models[language]))
    root = page.getroottree().getroot()
    assert root.get("lang") == language
    refs = page.xpath('//a[@class="doc-ref"]')
    assert SYMBOL in [r.text_content() for r in refs]
    block = page.find_class("distribution")[0]
    assert block.get("lang") == "en"  # the right-hand block of these versions is in English
    if language == "ar":
        assert root.get("dir") == "rtl"
        assert {r.get("dir") for r in refs} == {"ltr"}
        assert block.get("dir") == "ltr"
        assert page.find_class("symbol")[0].get("dir") == "ltr"
    else:
        assert root.get("dir") is None
        assert {r.get("dir") for r in refs} == {None}
        assert block.get("dir") is None
    text = page.text_content()
    for words in WORDS[language]:
        assert words in text


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_embeds_the_face_of_its_script(pdfs: dict[str, Path], language: str) -> None:
    fonts = _pdf_fonts(pdfs[language])
    assert fonts and all(embedded for _, embedded in fonts), fonts
    families = {re.sub(r"-(Bold|Italic|BoldItalic)$", "", name) for name, _ in fonts}
    assert families == EMBEDDED[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_text_comes_back_in_logical_order(pdfs: dict[str, Path], language: str) -> None:
    text = _pdf_text(pdfs[language])
    for words in WORDS[language]:
        assert words in text, words
    assert SYMBOL in text


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("zh", "工作组", None),
    ("zh", "\u9fcf", "U+9FCF"),  # an ideograph outside GB 2312: not in the bundled subset
    ("ar", "\u0628\u0646\u0627\u0621", None),
    ("ru", "\u0628", "U+0628"),  # an Arabic letter in a Russian document
])
def test_glyph_missing_knows_the_faces_of_each_language(tmp_path: Path, language: str, text: str,
                                                         expected: str | None) -> None:
    shutil.copytree(FIXTURES / "shared", tmp_path / "shared")
    source = (FIXTURES / f"report-{language}.xml").read_text(encoding="utf-8")
    title = re.search(r"<title>([^<]*)</title>", source)
    assert title is not None
    path = tmp_path / f"report-{language}.xml"
    path.write_text(source.replace(title.group(0), f"<title>{title.group(1)} {text}</title>"), encoding="utf-8")
    (checked,), _ = validate_sources([path])
    found = [d for d in checked.diagnostics if d.code == "glyph-missing"]
    if expected is None:
        assert not found, found
    else:
        assert len(found) == 1 and expected in found[0].message, found
        assert found[0].line == title.string.count("\n", 0, title.start()) + 1


def test_arabic_pdf_is_mirrored(pdfs: dict[str, Path]) -> None:
    """The numbers of paragraphs hang at the right of their text, the symbol of the masthead
    stands at the left, "United Nations" at the right."""
    _require("pdftotext", "poppler-utils")
    out = subprocess.run(["pdftotext", "-bbox", str(pdfs["ar"]), "-"], capture_output=True, text=True,
                         check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    boxes = [(float(m.group(1)), float(m.group(3)), _BIDI_CONTROLS.sub("", m.group(4))) for m in word.finditer(out)]
    tops = [float(m.group(2)) for m in word.finditer(out)]
    width = 612.0  # US Letter

    def seen(word: str, *targets: str) -> bool:  # -bbox gives the letters of Arabic words in visual order
        return any(word in (target, target[::-1]) for target in targets)

    symbol = next(x for x, _, word in boxes if word == "A")
    united = [x_min for x_min, _, word in boxes[:8] if seen(word, "الأمم", "المتحدة")]  # the masthead's top line
    assert len(united) == 2
    assert symbol < width / 2 < min(united)
    # "1 -": the number, then the dash at its left, on the same line
    dashes = [(x_max, top) for (_, x_max, word), top in zip(boxes, tops, strict=True) if word == "-"]
    numbers = [x_min for (x_min, _, word), top in zip(boxes, tops, strict=True) if re.fullmatch(r"[1-4]", word)
               and any(abs(top - dash_top) < 3 and 0 <= x_min - dash_x < 6 for dash_x, dash_top in dashes)]
    assert len(numbers) >= 4
    body = [x_max for _, x_max, word in boxes if seen(word, "أنشئ", "وشدد")]
    assert len(body) == 2
    assert min(numbers) > max(body)  # each number hangs at the right of its paragraph's first word


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_lines_of_a_paragraph_are_the_leading_apart(pdfs: dict[str, Path], language: str) -> None:
    """A line of Arabic or Chinese is as tall as a line of Latin text: the leading exactly, as a
    word processor sets it (the scripts' faces stand higher or lower than Times New Roman)."""
    from pipeline.layout import layout
    from tests.geometry import read_pages

    spec = layout()
    leading, size, gap = (spec.points("un", name) for name in ("leading", "size_body", "space_after"))
    gaps = []
    for page in read_pages(pdfs[language]):
        body = [line for line in page.lines if abs(line.height - size) < 0.1]
        gaps += [round(lower.y1 - upper.y1, 2) for upper, lower in itertools.pairwise(body)
                 if lower.y1 - upper.y1 < leading + gap / 2]
    assert len(gaps) >= 3, gaps
    assert all(abs(found - leading) < 0.05 for found in gaps), gaps


def test_arabic_and_chinese_pdfs_are_the_same_bytes_twice(models: dict[str, Document]) -> None:
    for language in ("ar", "zh"):
        assert pdf.render(models[language]) == pdf.render(models[language])


@pytest.mark.parametrize("language", ("ar", "zh"))
def test_pdf_pages_of_scripts_match_golden(pdfs: dict[str, Path], language: str, golden: Golden,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp(f"script-pages-{language}")
    report = tmp_path_factory.getbasetemp() / "visual-report" / f"script-report-{language}"
    check_pages(f"script-report-{language}", rasterise(pdfs[language], folder), update=golden.update,
                report_dir=report)


# ---------------------------------------------------------------- DOCX


def test_arabic_docx_reads_right_to_left(docx_files: dict[str, Path]) -> None:
    document = _part(docx_files["ar"], "word/document.xml")
    paragraphs = list(document.iter(f"{W}p"))
    assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    assert all(s.find(f"{W}bidi") is not None for s in document.iter(f"{W}sectPr"))
    assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in document.iter(f"{W}tbl"))
    runs = {"".join(r.itertext()): r.find(f"{W}rPr/{W}rtl") is not None for r in document.iter(f"{W}r")}
    assert runs["تقرير مرحلي"] is True
    assert runs[SYMBOL] is False  # a symbol keeps its order and its Latin face
    for name in ("word/footer3.xml", "word/header1.xml"):
        part = _part(docx_files["ar"], name)
        assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in part.iter(f"{W}p")), name


@pytest.mark.parametrize("language", ("zh", "ru"))
def test_other_docx_read_left_to_right(docx_files: dict[str, Path], language: str) -> None:
    document = _part(docx_files[language], "word/document.xml")
    assert document.find(f".//{W}bidi") is None and document.find(f".//{W}rtl") is None
    text = "".join(document.itertext())
    for words in WORDS[language]:
        assert words in text


@pytest.mark.parametrize(("language", "slot", "family", "tag"), [
    ("ar", "cs", ARABIC_FAMILY, ("bidi", "ar-SA")),
    ("zh", "eastAsia", CHINESE_FAMILY, ("eastAsia", "zh-CN")),
])
def test_docx_names_the_word_face_with_the_bundled_one_as_alternative(
        docx_files: dict[str, Path], language: str, slot: str, family: str, tag: tuple[str, str]) -> None:
    styles = _part(docx_files[language], "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults is not None
    assert defaults.find(f"{W}rFonts").get(f"{W}{slot}") == WORD_NAMES[family]
    assert defaults.find(f"{W}rFonts").get(f"{W}ascii") == "Times New Roman"
    assert defaults.find(f"{W}lang").get(f"{W}{tag[0]}") == tag[1]
    table = _part(docx_files[language], "word/fontTable.xml")
    alternatives = {f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val") for f in table.iter(f"{W}font")}
    assert alternatives[WORD_NAMES[family]] == family


def test_russian_docx_names_no_other_face(docx_files: dict[str, Path]) -> None:
    table = _part(docx_files["ru"], "word/fontTable.xml")
    assert [f.get(f"{W}name") for f in table.iter(f"{W}font")] == ["Times New Roman"]
    styles = _part(docx_files["ru"], "word/styles.xml")
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == "ru-RU"


@pytest.fixture(scope="module")
def docx_as_pdf(docx_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each DOCX as LibreOffice lays it out, with the bundled faces."""
    if docx_pages.soffice_binary() is None:
        _require("soffice", "libreoffice-writer-nogui")
    pdfs = docx_pages.to_pdf(list(docx_files.values()), tmp_path_factory.mktemp("script-docx-pdf"))
    return {path.stem.removeprefix("report-"): path for path in pdfs}


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_libreoffice_sets_the_docx_in_the_bundled_faces(docx_as_pdf: dict[str, Path], language: str) -> None:
    # LibreOffice names the fonts by their PostScript names ("NotoNaskhArabic-Bold")
    fonts = {name.replace("-", "").lower() for name, _ in _pdf_fonts(docx_as_pdf[language])}
    expected = {name.replace("-", "").lower() for name in EMBEDDED[language]}
    assert {family for family in expected for font in fonts if font.startswith(family)} == expected
    assert all(any(font.startswith(family) for family in expected) for font in fonts), fonts
    text = _pdf_text(docx_as_pdf[language])
    for words in WORDS[language]:
        assert words in re.sub(r"\s+", " ", text), words


@pytest.mark.slow
@pytest.mark.parametrize("language", ("ar", "zh"))
def test_docx_pages_of_scripts_match_golden(docx_as_pdf: dict[str, Path], language: str, golden: Golden,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp(f"script-docx-pages-{language}")
    report = tmp_path_factory.getbasetemp() / "visual-report" / f"script-report-{language}.docx"
    check_pages(f"script-report-{language}.docx", rasterise(docx_as_pdf[language], folder),
                update=golden.update, report_dir=report)

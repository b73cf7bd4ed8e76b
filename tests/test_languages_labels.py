"""Labels by language: the numbers of paragraphs, headings, subparagraphs and annexes as each
language version prints them, from its catalogue.

The Arabic version numbers paragraphs "1 -", chapters "أولا -", sections "ألف -",
subparagraphs "(أ)" in the abjad order and annexes "المرفق الأول", in every format; the other
languages keep "1.", "I.", "A.", "(a)" and "Annex I". Rules that compare versions count numbers,
not labels, so they hold across the scripts.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from pipeline.formats import pdf, text
from pipeline.formats.docx import render as docx
from pipeline.formats.docx.ast import list_style
from pipeline.i18n import formatting as fmt
from pipeline.i18n import wording_for
from pipeline.model.numbering import counter_value, format_label, letter_index, letter_number
from pipeline.model.tree import Document, ItemList, Source
from pipeline.validate.check import validate_sources
from pipeline.validate.versions import CODE
from tests.conftest import SOURCES

REPORT = "oewg-ict-apr-2022-report"
AR = wording_for("ar")
EN = wording_for("en")
NOWHERE = Source("", 0)


@pytest.mark.parametrize(("number", "label"), [(1, "(أ)"), (2, "(ب)"), (3, "(ج)"), (4, "(د)"), (5, "(هـ)"),
                                               (6, "(و)"), (10, "(ي)"), (15, "(س)"), (28, "(غ)")])
def test_arabic_subparagraphs_are_lettered_in_the_abjad_order(number: int, label: str) -> None:
    assert fmt.item_label("lettered", 1, number, AR) == label


def test_arabic_labels_of_paragraphs_headings_and_annexes() -> None:
    assert fmt.paragraph_label(12, AR) == "12 -"
    assert fmt.item_label("lettered", 2, 3, AR) == "’3‘"
    assert [fmt.section_label(1, n, AR) for n in (1, 2, 3, 11, 18)] == [
        "أولا -", "ثانيا -", "ثالثا -", "حادي عشر -", "ثامن عشر -"]
    assert [fmt.section_label(2, n, AR) for n in (1, 2, 3, 4)] == ["ألف -", "باء -", "جيم -", "دال -"]
    assert fmt.section_label(3, 2, AR) == "2 -"
    assert fmt.section_label(4, 2, AR) == "(ب)"
    assert fmt.annex_heading(0, 1, AR) == "المرفق"
    assert [fmt.annex_heading(i, 3, AR) for i in range(3)] == ["المرفق الأول", "المرفق الثاني", "المرفق الثالث"]
    assert fmt.sub_topic_label("d", AR) == "(د)"


def test_beyond_a_counter_the_number_is_printed_in_digits() -> None:
    assert fmt.section_label(1, 21, AR) == "21 -"
    assert counter_value(("أولا",), 1) == "أولا"
    assert counter_value(("أولا",), 2) == "2"


@pytest.mark.parametrize(("language", "labels"), [
    ("en", ["III.", "C.", "3.", "(c)", "(iii)", "c."]),
    ("fr", ["III.", "C.", "3.", "(c)", "(iii)", "c."]),
    ("zh", ["III.", "C.", "3.", "(c)", "(iii)", "c."]),
])
def test_other_languages_keep_the_latin_labels(language: str, labels: list[str]) -> None:
    w = wording_for(language)
    assert [fmt.section_label(level, 3, w) for level in range(1, 7)] == labels
    assert fmt.paragraph_label(3, w) == "3."
    assert fmt.annex_heading(1, 2, w).endswith(" II") or fmt.annex_heading(1, 2, w).endswith("II")
    assert fmt.sub_topic_label("b", w) in ("(b)", "b)")


def test_english_item_labels_by_degree() -> None:
    assert [fmt.item_label("lettered", degree, 2, EN) for degree in (1, 2, 3, 4)] == ["(b)", "(ii)", "b.", "ii."]
    assert fmt.annex_heading(3, 4, EN) == "Annex IV"


@pytest.mark.parametrize("number", range(1, 80))
def test_a_letter_label_gives_back_its_number(number: int) -> None:
    assert letter_index(letter_number(number)) == number


def test_a_counter_named_letter_takes_the_place_of_the_latin_letters() -> None:
    assert format_label("({letter})", 2) == "(b)"
    assert format_label("({letter})", 2, {"letter": ("أ", "ب")}) == "(ب)"
    assert format_label("{Letter}. {Roman}", 4) == "D. IV"


def test_word_numbering_is_used_only_where_it_prints_the_language_labels() -> None:
    lettered = ItemList(style="lettered", degree=1, items=(), source=NOWHERE)
    assert list_style(lettered, EN) == ("LowerAlpha", "TwoParens")
    assert list_style(lettered, AR) is None  # Word has no abjad numbering: the labels are text
    assert list_style(ItemList(style="lettered", degree=2, items=(), source=NOWHERE), AR) is None


# ---------------------------------------------------------------- the Arabic report


@pytest.fixture(scope="module")
def arabic_report() -> Document:
    from pipeline.build.render import model_of

    checked, problems = validate_sources([SOURCES / f"{REPORT}.ar.xml"])
    assert not problems and checked[0].ok, checked[0].diagnostics
    return model_of(checked[0])


LATIN_LABEL = re.compile(r"^\s*(\d+\.|\([a-z]{1,4}\)|[IVX]+\.|[A-H]\.) ", re.M)


def test_the_arabic_text_prints_arabic_labels(arabic_report: Document) -> None:
    out = text.render_text(arabic_report)
    for line in ("أولا - مقدمة", "ثانيا - المسائل التنظيمية", "ألف - افتتاح الدورات ومدتها",
                 "1 - قررت الجمعية العامة", "2 - ويتضمن هذا التقرير ما يلي:",
                 "(أ) عرض للمسائل التنظيمية", "(ب) التقرير المرحلي السنوي الأول",
                 "    ’1‘ التهديدات القائمة والمحتملة؛", "    ’4‘ الحوار المؤسسي المنتظم."):
        assert re.search(f"^{re.escape(line)}", out, re.M), line
    assert not LATIN_LABEL.findall(out)


def test_the_arabic_docx_writes_the_labels_as_text(arabic_report: Document) -> None:
    with zipfile.ZipFile(io.BytesIO(docx.render(arabic_report))) as package:
        body = package.read("word/document.xml").decode("utf-8")
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body)
    for label in ("أولا -", "ألف -", "1 -", "(أ)", "(ب)", "’1‘"):
        assert label in texts, label
    assert "<w:numPr>" not in body.split("’1‘")[0].rsplit("(أ)", 1)[-1]  # no Word numbering on the subparagraphs


def _space_width(chars: list[dict[str, float | str]]) -> float:
    return min(float(c["x1"]) - float(c["x0"]) for c in chars if c["text"] == " ")


@pytest.fixture(scope="module")
def arabic_pdf(arabic_report: Document) -> bytes:
    return pdf.render(arabic_report)


def test_the_arabic_pdf_keeps_the_space_after_a_reference(arabic_pdf: bytes) -> None:
    """"في قرارها 75/240 المؤرخ": on the page, right to left, a space's width stands between the
    reference and the Arabic word after it (to its left), and the space glyph lies there."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(arabic_pdf)) as document:
        chars = document.pages[0].chars
        drawn = "".join(str(c["text"]) for c in chars)
        # the reference of paragraph 1; the one of the note before it ends a sentence
        found = [m.start() for m in re.finditer("75/240", drawn) if drawn[m.end():m.end() + 1] != "."]
        assert found, "paragraph 1's reference to resolution 75/240"
        seven = chars[found[0]]
        line_chars = sorted((c for c in chars if abs(float(c["bottom"]) - float(seven["bottom"])) < 6),
                            key=lambda c: float(c["x0"]))
        width = _space_width(line_chars)
        word = max((c for c in line_chars if unicodedata.bidirectional(str(c["text"])) == "AL"
                    and float(c["x0"]) < float(seven["x0"])), key=lambda c: float(c["x1"]))
        spaces = [c for c in line_chars if c["text"] == " " and float(word["x0"]) < float(c["x0"]) < float(seven["x1"])]
        assert len(spaces) == 1
        space = spaces[0]
        assert float(word["x1"]) <= float(space["x0"]) + 0.1  # the space does not overlap the word
        assert float(space["x1"]) <= float(seven["x0"]) + 0.1  # nor the reference
        assert float(seven["x0"]) - float(word["x1"]) >= 0.9 * width


def test_what_is_set_apart_left_to_right_keeps_the_latin_face(arabic_pdf: bytes, arabic_report: Document) -> None:
    """The symbol, the right-hand block's English, the job number and the folio are set in the
    Latin face (their figures too), as a word processor sets a left-to-right run; the figures
    of the Arabic text are the script's face's."""
    import pdfplumber

    def faces(chars: list[dict[str, object]], text: str) -> set[str]:
        line = "".join(str(c["text"]) for c in chars)
        start = line.index(text)
        return {str(c["fontname"]).split("+")[-1] for c in chars[start:start + len(text)]}

    with pdfplumber.open(io.BytesIO(arabic_pdf)) as document:
        first, second = document.pages[0].chars, document.pages[1].chars
        second_lines = document.pages[1].extract_text()
    assert faces(first, arabic_report.masthead.symbol) == {"Liberation-Serif"}
    assert faces(first, "Distr.: General") == {"Liberation-Serif"}
    assert faces(first, arabic_report.masthead.job_number) == {"Liberation-Serif"}
    folio = re.search(r"\b(\d+)/(\d+)\s*$", second_lines)
    assert folio is not None and faces(second, folio.group(0).strip()) == {"Liberation-Serif"}
    in_text = [c for c in first if str(c["text"]).isdigit() and 200 < float(c["top"]) < 600]
    assert in_text and {str(c["fontname"]).split("+")[-1] for c in in_text} >= {"Noto-Naskh-Arabic"}


def test_a_wide_heading_label_stays_on_one_line_in_the_pdf(arabic_pdf: bytes) -> None:
    """"خامسا -": the dash on the line of the word, the heading's words after both."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(arabic_pdf)) as document:
        words = [w for page in document.pages for w in page.extract_words(use_text_flow=False)]
    fifth = [w for w in words if str(w["text"]) in ("خامسا", "اسماخ")]
    assert len(fifth) == 1
    def middle(word: dict[str, object]) -> float:  # the faces differ in height: compare the middles
        return (float(str(word["top"])) + float(str(word["bottom"]))) / 2

    dashes = [w for w in words if w["text"] == "-" and abs(middle(w) - middle(fifth[0])) < 6
              and float(w["x1"]) <= float(fifth[0]["x0"]) + 0.5]
    assert dashes, "the dash of the fifth chapter's label beside its word"


def test_only_right_to_left_pages_carry_the_right_to_left_rules() -> None:
    from pipeline.formats.html import RIGHT_TO_LEFT_STYLESHEET, page_stylesheet, stylesheet

    own = str(stylesheet(RIGHT_TO_LEFT_STYLESHEET))
    assert '[dir="rtl"] .heading .heading-number' in own
    assert page_stylesheet("ltr") == stylesheet()
    assert page_stylesheet("rtl").endswith(own)


def test_a_subparagraph_missing_from_the_arabic_version_is_named_in_both_files(tmp_path: Path) -> None:
    from tests.test_versions import versions_with_a_passage_removed

    item = r"\n\s*<item>التهديدات القائمة والمحتملة؛</item>"
    diagnostics = versions_with_a_passage_removed(tmp_path, REPORT, "ar", item)
    found = {name: [d for d in found if d.code == CODE] for name, found in diagnostics.items()}
    assert found[f"{REPORT}.xml"] and found[f"{REPORT}.ar.xml"]
    assert all("subparagraph" in d.message for d in found[f"{REPORT}.xml"] + found[f"{REPORT}.ar.xml"])


def _nodes(text: str) -> list[dict[str, str]]:
    nodes: list[dict[str, str]] = []
    for word in text.split(" "):
        nodes += [{"t": "Str", "c": word}, {"t": "Space"}]
    return nodes[:-1]


@pytest.mark.parametrize(("text", "number", "rest"), [
    ("أولا - مقدمة", 1, "مقدمة"), ("حادي عشر - الخاتمة", 11, "الخاتمة"), ("جيم - الوثائق", 3, "الوثائق"),
    ("12 - قررت", 12, "قررت"), ("(هـ) عرض", 5, "عرض"), ("’2‘ قواعد", 2, "قواعد"),
])
def test_the_importer_reads_the_arabic_labels_back(text: str, number: int, rest: str) -> None:
    from pipeline.importer.labels import split_language_label

    found = split_language_label(_nodes(text), "ar")
    assert found is not None
    assert found[1] == number and [n["c"] for n in found[2] if n["t"] == "Str"] == [rest]
    assert split_language_label(_nodes(rest + " أولا"), "ar") is None


def test_the_importer_tells_the_degree_of_an_arabic_subparagraph_by_its_label() -> None:
    from pipeline.importer.labels import split_item_label

    assert split_item_label(_nodes("(ب) التقرير"), "ar") == (1, [{"t": "Str", "c": "التقرير"}])
    assert split_item_label(_nodes("’3‘ القانون"), "ar") == (2, [{"t": "Str", "c": "القانون"}])
    assert split_item_label(_nodes("عرض للمسائل"), "ar") is None


def test_right_to_left_only_runs_from_another_face_are_set_apart(arabic_report: Document) -> None:
    """Right to left, the script's face sets each line's strut, so only a run holding a
    character of another face (Latin letters, a slash, a parenthesis) needs a span of no line
    height; the others are left as they are (fewer elements to lay out)."""
    import lxml.html

    from pipeline.resources import family_coverage

    covered = family_coverage("Noto Naskh Arabic")
    page = lxml.html.document_fromstring(pdf.print_page(arabic_report).html)
    runs = [span.text or "" for span in page.xpath('//span[@class="run"]')]
    assert runs and all(any(ord(ch) not in covered and not ch.isspace() for ch in run) for run in runs)
    main_text = page.xpath("string(//main)")
    assert any(ord(ch) in covered and ch.isalpha() for ch in main_text)  # Arabic text left unwrapped
    unwrapped = [t for t in page.xpath("//main//text()[not(parent::span[@class='run'])]") if t.strip()]
    assert unwrapped and all(not any(ord(ch) not in covered and not ch.isspace() for ch in t)
                             for t in unwrapped if t.getparent().tag not in ("script", "style", "svg", "math"))

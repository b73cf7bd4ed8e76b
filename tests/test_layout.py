"""The layout specification is the one place of every measure: the stylesheets and the DOCX
reference parts name its values, and both receive the same numbers from it."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

import pipeline
from pipeline.formats.docx.reference import REFERENCE_DIR, reference_parts
from pipeline.formats.html import stylesheet
from pipeline.layout import css_custom_properties, docx_context, eighths, half_points, layout, twips
from pipeline.resources import templates_dir

STYLESHEETS = ("un.css", "print.css", "html-print.css", "rtl.css")
LENGTH = re.compile(r"(?<![\w.-])-?\d+(?:\.\d+)?(?:pt|in|cm|mm|pc)\b")
OOXML_MEASURE = re.compile(r'w:(?:sz|szCs|left|right|hanging|firstLine|before|after|pos|line|top|bottom|header|footer)'
                           r'="([1-9][0-9]*)"')
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_stylesheets_write_no_length_of_their_own() -> None:
    for name in STYLESHEETS:
        text = (templates_dir() / name).read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        assert LENGTH.findall(code) == [], name


def test_every_property_the_stylesheets_use_is_specified_and_every_value_used() -> None:
    defined = set(re.findall(r"(--[a-z0-9-]+):", css_custom_properties()))
    used: set[str] = set()
    for name in STYLESHEETS:
        text = (templates_dir() / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"var\((--[a-z0-9-]+)\)", text))
        # a property a stylesheet sets itself hands a value down (a line's size to its note's call)
        defined |= {p for p in re.findall(r"(--[a-z0-9-]+):", text) if not p.startswith(("--un-", "--page-"))}
        # the browser's print stylesheet names values in place: {{ un.size_folio }}
        used |= {f"--{g}-{n.replace('_', '-')}" for g, n in re.findall(r"\{\{ (\w+)\.(\w+) \}\}", text)}
    assert used <= defined, sorted(used - defined)
    parts = "".join(path.read_text(encoding="utf-8") for path in sorted(REFERENCE_DIR.rglob("*.xml")))
    python = "".join(path.read_text(encoding="utf-8") for path in sorted(Path(pipeline.__file__).parent.rglob("*.py")))
    assert "def layout(" in python
    spec = layout()
    for group, values in spec.groups.items():
        for name in values:
            css = f"--{group}-{name.replace('_', '-')}"
            assert css in used or f"{group}.{name}" in parts or f'"{name}"' in python, f"{group}.{name} is unused"


def test_docx_parts_write_no_measure_of_their_own() -> None:
    allowed = {"word/document.xml": {"720"},  # w:cols w:space: the gap of columns the layout has none of
               "word/footnotes.xml": {"240"},  # w:line with lineRule auto: single spacing, a ratio
               "word/styles.xml": {"240", "108"}}  # single spacing; Word's default table's cell margins
    for path in sorted(REFERENCE_DIR.rglob("*.xml")):
        name = path.relative_to(REFERENCE_DIR).as_posix()
        found = set(OOXML_MEASURE.findall(path.read_text(encoding="utf-8")))
        assert found <= allowed.get(name, set()), (name, sorted(found - allowed.get(name, set())))


def test_both_renderings_receive_the_same_values() -> None:
    spec = layout()
    css = stylesheet()
    assert f"--un-size-body: {spec.value('un', 'size_body')}pt;" in css
    styles = etree.fromstring(reference_parts()["word/styles.xml"])
    default_size = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    assert default_size is not None
    assert default_size.get(f"{W}val") == str(half_points(spec.points("un", "size_body")))

    def style(style_id: str) -> etree._Element:
        found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        assert found is not None, style_id
        return found

    indent = style("UNParagraph").find(f"{W}pPr/{W}ind")
    assert indent is not None
    assert indent.get(f"{W}left") == str(twips(spec.points("un", "para_indent")))
    assert indent.get(f"{W}hanging") == str(twips(spec.points("un", "para_indent") - spec.points("un", "para_number")))
    rule = style("UNMastheadOrgan").find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule is not None and rule.get(f"{W}sz") == str(eighths(spec.points("un", "rule_thick")))
    section = etree.fromstring(reference_parts()["word/document.xml"]).find(f"{W}body/{W}sectPr/{W}pgSz")
    assert section is not None
    assert section.get(f"{W}w") == str(twips(docx_context()["paper"]["width"]))


def test_the_generated_properties_are_made_once_and_alike() -> None:
    assert css_custom_properties() is css_custom_properties()
    assert reference_parts() == reference_parts()


def test_each_language_is_aligned_alike_in_print_and_in_the_docx() -> None:
    """Paragraphs are justified, but in a language the layout sets otherwise (Chinese flush to
    the start): the DOCX's paragraph styles and the print stylesheet take the same value."""
    from pipeline.layout import ALIGNMENTS, justification, justification_css

    assert justification("en") == layout().value("un", "justify") == "justify"
    assert justification("zh") == justification("zh-Hans") == "start"
    assert ":root:lang(zh) { --un-justify: start; }" in justification_css()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for language in ("en", "fr", "ar", "zh"):
        styles = etree.fromstring(reference_parts(justify=justification(language))["word/styles.xml"])
        paragraph = styles.find(f"{w}style[@{w}styleId='UNParagraph']/{w}pPr/{w}jc")
        assert paragraph is not None and paragraph.get(f"{w}val") == ALIGNMENTS[justification(language)], language

"""A document with several annexes numbers them, "Annex I", "Annex II", in every format."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from pipeline.build.render import model_of
from pipeline.formats import html, text
from pipeline.formats import json as json_renderer
from pipeline.formats.akn import render as akn
from pipeline.formats.docx.ast import document_ast
from pipeline.i18n import formatting as fmt
from pipeline.i18n import wording_for
from pipeline.model.numbering import roman
from pipeline.model.tree import Document
from pipeline.validate.check import validate_sources
from tests.conftest import ROOT

NS = "{urn:undoc:1.0}"


@pytest.fixture(scope="module")
def two_annexes(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The third-session programme with a second annex: its own annex again, under another title."""
    folder = tmp_path_factory.mktemp("annexes")
    shutil.copytree(ROOT / "sources" / "shared", folder / "shared")
    tree = etree.parse(str(ROOT / "sources" / "oewg-ict-s3-programme-of-work.xml"))
    first = tree.getroot().find(f"{NS}annex")
    assert first is not None and not list(first.iter(f"{NS}footnote-ref"))
    second = etree.fromstring(etree.tostring(first))
    title = second.find(f"{NS}title")
    assert title is not None
    for child in list(title):
        title.remove(child)
    title.text = "Programme of informal meetings"
    first.addnext(second)
    path = folder / "two-annexes.xml"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    checked, problems = validate_sources([path])
    assert problems == [] and checked[0].ok, [d.format() for d in checked[0].diagnostics]
    return model_of(checked[0])


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14, 40, 1994)] == ["I", "II", "III", "IV", "IX", "XIV", "XL",
                                                                     "MCMXCIV"]
    with pytest.raises(ValueError):
        roman(0)


def test_one_annex_is_just_annex_and_several_are_numbered() -> None:
    w = wording_for("en")
    assert fmt.annex_heading(0, 1, w) == "Annex"
    assert [fmt.annex_heading(i, 3, w) for i in range(3)] == ["Annex I", "Annex II", "Annex III"]


def test_every_format_numbers_the_annexes(two_annexes: Document) -> None:
    headings = ["Annex I", "Annex II"]
    lines = text.render(two_annexes).decode("utf-8").splitlines()
    assert [line for line in lines if line.startswith("Annex")] == headings
    assert "\nAnnex\n" not in text.render(two_annexes).decode("utf-8")
    data = json.loads(json_renderer.render(two_annexes))
    assert [a["heading"] for a in data["annexes"]] == headings
    page = etree.fromstring(html.render(two_annexes), etree.HTMLParser())
    shown = [" ".join(e.itertext()).strip() for e in page.iter("h2") if " ".join(e.itertext()).strip()
             .startswith("Annex")]
    assert shown == headings
    root = etree.fromstring(akn.render(two_annexes))
    assert [e.text for e in root.iter("{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}docType")
            if (e.text or "").startswith("Annex")] == headings
    ast = document_ast(two_annexes)
    bookmarked = [b["c"][1][0]["c"][0] for b in ast["blocks"]  # the heading's words in a bookmark
                  if b["t"] == "Div" and ["custom-style", "UN Annex Heading"] in b["c"][0][2]]
    assert [span["c"][0][0] for span in bookmarked] == ["annex-1", "annex-2"]
    docx_headings = [span["c"][1][0]["c"] for span in bookmarked]
    assert docx_headings == headings


def test_an_annex_in_another_language_only_is_marked_in_that_language(tmp_path) -> None:
    """Its text is checked as that language and marked so (HTML lang, DOCX w:lang); its heading and
    its language line stay in the document's."""
    shutil.copytree(ROOT / "sources" / "shared", tmp_path / "shared")
    tree = etree.parse(str(ROOT / "sources" / "oewg-ict-apr-2022-report.fr.xml"))
    annex = tree.getroot().find(f"{NS}annex")
    assert annex is not None
    annex.set("original-language", "en")
    title = annex.find(f"{NS}title")
    assert title is not None
    title.text = "First “annual” progress report"  # English quotes: a warning in French text
    path = tmp_path / "report.fr.xml"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    checked, _ = validate_sources([path])
    assert [d.code for d in checked[0].diagnostics if d.code == "language-typography"] == []
    document = model_of(checked[0])
    page = etree.fromstring(html.render_html(document).encode(), etree.HTMLParser())
    [section] = page.xpath("//section[@class='annex']")
    assert section.get("lang") == "en"
    assert section.xpath("h2[@class='annex-heading']/@lang") == ["fr"]
    assert section.xpath("p[@class='annex-language']/@lang") == ["fr"]
    divs = [b for b in document_ast(document)["blocks"] if b["t"] == "Div" and ["lang", "en"] in b["c"][0][2]]
    assert len(divs) == 1

"""The DOCX renderer on the general tree: every block and inline node, and the genres' first pages.

The fixture ``tests/fixtures/tree/every-block.xml`` holds every block and inline element; a
conference room paper and a corrigendum are made from it in a temporary folder by changing
its type, symbol and job number. Assertions read the package's XML with XPath and compare
with the model, so a change of wording or numbering in the fixture moves both sides.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from pipeline.formats.docx import package, pages
from pipeline.formats.docx import render as docx_renderer
from pipeline.formats.docx.pandoc import pandoc_binary
from pipeline.genres import GENRES, genre
from pipeline.i18n import formatting as fmt
from pipeline.i18n import wording_for
from pipeline.model.inline import plain_text
from pipeline.model.tree import (
    Block,
    Correction,
    Document,
    DocumentRef,
    ItemList,
    Paragraph,
    Section,
    Signature,
    Table,
    undocs_url,
)
from tests.conftest import in_ci

W = package.W
R = package.R
NS = {"w": W, "r": R, "wp": package.WP}
TREE = Path(__file__).resolve().parent / "fixtures" / "tree"
EVERY_BLOCK = TREE / "every-block.xml"
EN = wording_for("en")


def model(path: Path) -> Document:
    from pipeline.build.render import model_of
    from pipeline.validate.check import validate_sources

    checked, problems = validate_sources([path])
    assert not problems
    assert checked[0].ok, checked[0].diagnostics
    return model_of(checked[0])


def variant(folder: Path, name: str, doc_type: str, symbol: str, *, job_number: bool = True) -> Path:
    """The every-block fixture as another genre, in ``folder`` beside a copy of its register."""
    if not (folder / "shared").exists():
        shutil.copytree(TREE / "shared", folder / "shared")
    text = EVERY_BLOCK.read_text(encoding="utf-8")
    text = text.replace('type="report"', f'type="{doc_type}"', 1)
    text = re.sub(r"(<symbol[^>]*>)[^<]+(</symbol>)", rf"\g<1>{symbol}\g<2>", text, count=1)
    if not job_number:
        text = re.sub(r"\s*<job-number[^>]*>[^<]*</job-number>", "", text, count=1)
    path = folder / f"{name}.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("genres")
    return {
        "report": model(EVERY_BLOCK),
        "crp": model(variant(folder, "crp", "conference-room-paper", "A/AC.292/2022/CRP.1", job_number=False)),
        "corrigendum": model(variant(folder, "corrigendum", "corrigendum", "A/77/275/Corr.1")),
    }


@pytest.fixture(scope="module")
def rendered(documents: dict[str, Document]) -> dict[str, bytes]:
    return {name: docx_renderer.render(document) for name, document in documents.items()}


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts_of(data)[name])


def texts(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def style_of(paragraph: etree._Element) -> str:
    found = paragraph.find("w:pPr/w:pStyle", NS)
    return found.get(f"{{{W}}}val") if found is not None else ""


def body_paragraphs(data: bytes) -> list[etree._Element]:
    return xml(data, "word/document.xml").findall(".//w:body//w:p", NS)


def styled(data: bytes, style: str) -> list[etree._Element]:
    return [p for p in body_paragraphs(data) if style_of(p) == style]


def style_element(data: bytes, style_id: str) -> etree._Element:
    found = xml(data, "word/styles.xml").find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.blocks)


def every_block(document: Document) -> Iterator[Block]:
    yield from walk(document.body)
    for annex in document.annexes:
        yield from walk(annex.blocks)


def val(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(f"{{{W}}}val")


# ---------------------------------------------------------------- headings


LADDER = {  # Heading n: size in half-points, bold, italic (the Editorial Manual's ladder)
    1: (40, True, False), 2: (28, True, False), 3: (24, True, False), 4: (20, True, False),
    5: (20, True, False), 6: (20, False, True), 7: (20, False, False),
}


def test_heading_styles_follow_the_ladder_with_outline_levels(rendered: dict[str, bytes]) -> None:
    # a DOCX keeps only the styles it uses: every heading level the report uses
    used = {style_of(p) for p in body_paragraphs(rendered["report"])}
    levels = {number: rung for number, rung in LADDER.items() if f"Heading{number}" in used}
    assert len(levels) >= 3, sorted(used)
    for number, (size, bold, italic) in levels.items():
        style = style_element(rendered["report"], f"Heading{number}")
        assert val(style.find("w:name", NS)) == f"heading {number}"
        assert val(style.find("w:pPr/w:outlineLvl", NS)) == str(number - 1)
        assert val(style.find("w:rPr/w:sz", NS)) == str(size)
        b, i = style.find("w:rPr/w:b", NS), style.find("w:rPr/w:i", NS)
        assert (b is not None and val(b) != "0") == bold
        assert (i is not None and val(i) != "0") == italic


def test_sections_are_headings_with_their_labels(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    document = documents["report"]
    expected = [(f"Heading{s.level + 1}", fmt.section_label(s.level, s.number, EN) + plain_text(s.heading),
                 s.section_id)
                for s in every_block(document) if isinstance(s, Section)]
    headings = [p for p in body_paragraphs(rendered["report"]) if re.fullmatch(r"Heading\d", style_of(p))]
    found = [(style_of(p), texts(p), p.find("w:bookmarkStart", NS).get(f"{{{W}}}name")) for p in headings]
    assert found == expected
    assert ("Heading4", "Documentation", "sec-2-2-1") in found  # an unnumbered heading: no label
    for paragraph in headings:  # the label hangs: label, tab, words (a tab alone when unnumbered)
        runs = paragraph.findall(".//w:r", NS)
        assert any(r.find("w:tab", NS) is not None for r in runs[:2])


def test_contents_lists_the_headings_and_links_to_them(documents: dict[str, Document],
                                                       rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    assert [texts(p) for p in styled(data, "UNContentsHeading")] == [EN.contents]
    entries = styled(data, "UNContentsEntry") + styled(data, "UNContentsSubentry")
    assert len(entries) == 6
    bookmarks = {b.get(f"{{{W}}}name") for b in xml(data, "word/document.xml").iter(f"{{{W}}}bookmarkStart")}
    anchors = [link.get(f"{{{W}}}anchor") for p in entries for link in p.iter(f"{{{W}}}hyperlink")]
    assert len(anchors) == 6 and set(anchors) <= bookmarks
    assert "annex-1" in anchors
    subentries = [texts(p) for p in styled(data, "UNContentsSubentry")]
    assert subentries == ["A.Opening and duration of the session", "B.Attendance"]
    for entry, anchor in zip(entries, anchors, strict=True):  # then a tab, and the page of the same bookmark
        instructions = [i.text for i in entry.iter(f"{{{W}}}instrText")]
        assert instructions == [f" PAGEREF {anchor} \\h "]
        assert entry.xpath("w:hyperlink/following-sibling::w:r[w:tab]", namespaces=NS)
    leaders = [t for t in style_element(data, "UNContentsEntry").iter(f"{{{W}}}tab") if t.get(f"{{{W}}}leader")]
    assert [(t.get(f"{{{W}}}val"), t.get(f"{{{W}}}leader")) for t in leaders] == [("right", "dot")]


# ---------------------------------------------------------------- paragraphs and lists


def test_paragraph_numbers_run_through_the_headings_and_restart_in_the_annex(
        documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    numbers = [texts(p).split(".")[0] for p in styled(rendered["report"], "UNParagraph")]
    document = documents["report"]
    expected = [str(b.number) for b in every_block(document) if isinstance(b, Paragraph) and b.number is not None]
    assert numbers == expected
    assert numbers[-1] == "1" and numbers[:3] == ["1", "2", "3"]
    unnumbered = styled(rendered["report"], "UNParagraphUnnumbered")
    assert texts(unnumbered[0]).startswith("The Secretary-General has the honour")


def _levels(data: bytes) -> dict[tuple[str, str], etree._Element]:
    numbering = xml(data, "word/numbering.xml")
    abstract = {a.get(f"{{{W}}}abstractNumId"): a for a in numbering.findall("w:abstractNum", NS)}
    levels = {}
    for num in numbering.findall("w:num", NS):
        definition = abstract[val(num.find("w:abstractNumId", NS))]
        for level in definition.findall("w:lvl", NS):
            levels[(num.get(f"{{{W}}}numId"), level.get(f"{{{W}}}ilvl"))] = level
    return levels


def test_subparagraphs_and_bullets_are_word_numbering(documents: dict[str, Document],
                                                      rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    levels = _levels(data)
    labels = []
    for paragraph in styled(data, "UNSubparagraph") + styled(data, "UNBullet"):
        number = paragraph.find("w:pPr/w:numPr", NS)
        assert number is not None, texts(paragraph)
        level = levels[(val(number.find("w:numId", NS)), val(number.find("w:ilvl", NS)))]
        depth = int(val(number.find("w:ilvl", NS)) or 0)
        indent = level.find("w:pPr/w:ind", NS)
        assert (indent.get(f"{{{W}}}left"), indent.get(f"{{{W}}}hanging")) == (
            str(package.LIST_TEXT_START + (depth + 1) * package.LIST_STEP), str(package.LIST_STEP))
        labels.append((style_of(paragraph), depth, val(level.find("w:numFmt", NS)), val(level.find("w:lvlText", NS))))
        if val(level.find("w:numFmt", NS)) == "bullet":
            assert level.find("w:rPr", NS) is None  # the dash in the paragraph's face
    lettered = {(d, f, t) for s, d, f, t in labels if s == "UNSubparagraph"}
    assert lettered == {(0, "lowerLetter", "(%1)"), (1, "lowerRoman", "(%2)"), (2, "lowerLetter", "%3."),
                        (3, "lowerRoman", "%4.")}
    assert {(d, f, t) for s, d, f, t in labels if s == "UNBullet"} == {(0, "bullet", EN.bullet),
                                                                        (1, "bullet", EN.bullet)}

    def count(item_list: ItemList) -> int:
        return sum(1 + (count(i.sublist) if i.sublist else 0) for i in item_list.items)

    lists = [b for b in every_block(documents["report"]) if isinstance(b, ItemList)]
    assert sum(count(i) for i in lists) == len(labels)  # a numbered paragraph per item, nested ones included


# ---------------------------------------------------------------- tables


def test_table_caption_heads_rules_span_and_notes(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    table = next(b for b in every_block(documents["report"]) if isinstance(b, Table))
    root = xml(data, "word/document.xml")
    tables = root.findall(".//w:tbl", NS)
    assert len(tables) == 1
    tbl = tables[0]
    caption = tbl.getprevious()
    assert style_of(caption) == "TableCaption" and texts(caption) == plain_text(table.caption)
    rows = tbl.findall("w:tr", NS)
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True] + [False] * len(table.body)
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert [texts(c) for c in rows[0].findall("w:tc", NS)] == ["Symbol", "Title"]
    assert {style_of(p) for p in rows[0].iter(f"{{{W}}}p")} == {"UNTableHead"}
    grid = [int(c.get(f"{{{W}}}w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(grid) == 7920 and round(grid[0] / sum(grid), 2) == 0.30
    assert val(rows[-1].find("w:tc/w:tcPr/w:gridSpan", NS)) == "2"
    assert rows[-1].find(".//w:br", NS) is not None  # the line break in the spanning cell
    rules = sorted((index, etree.QName(b).localname) for index, r in enumerate(rows)
                   for b in r.findall("w:tc/w:tcPr/w:tcBorders/*", NS))
    assert rules == sorted([(0, "top")] * 2 + [(0, "bottom")] * 2 + [(len(rows) - 1, "bottom")])
    assert {val(b) for b in tbl.findall("w:tblPr/w:tblBorders/*", NS)} == {"nil"}
    calls = [texts(r) for r in tbl.iter(f"{{{W}}}r") if val(r.find("w:rPr/w:vertAlign", NS)) == "superscript"]
    assert calls == [n.letter for n in table.notes]
    notes = [p for p in body_paragraphs(data) if style_of(p).startswith("UNTableNote")]
    assert [texts(p) for p in notes] == [n.letter + plain_text(n.content) for n in table.notes]
    for paragraph in notes:
        first = paragraph.find("w:r", NS)
        assert val(first.find("w:rPr/w:vertAlign", NS)) == "superscript"


# ---------------------------------------------------------------- other blocks and inline content


def test_quote_letter_parts_signature_and_agenda(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    assert [texts(p) for p in styled(data, "UNQuote")] == [
        "“States should not conduct or knowingly support ICT activity contrary to their obligations.”"]
    quote_indent = int(style_element(data, "UNQuote").find("w:pPr/w:ind", NS).get(f"{{{W}}}left"))
    text_indent = int(style_element(data, "UNParagraphUnnumbered").find("w:pPr/w:ind", NS).get(f"{{{W}}}left"))
    assert quote_indent > text_indent
    for style, text in (("UNAddressee", "Excellency,"), ("UNSalutation", "I have the honour"),
                        ("UNClosing", "Please accept")):
        found = styled(data, style)
        assert len(found) == 1 and texts(found[0]).startswith(text)
    signature = next(b for b in every_block(documents["report"]) if isinstance(b, Signature))
    signed = styled(data, "UNSignature")
    assert [texts(p) for p in signed] == [f"{EN.signed} {plain_text(signature.name)}"]
    first = signed[0].find("w:r", NS)
    assert texts(first) == EN.signed and first.find("w:rPr/w:i", NS) is not None
    assert [texts(p) for p in styled(data, "UNSignatureFunction")] == [plain_text(f) for f in signature.functions]
    for style in ("UNSignature", "UNSignatureFunction"):
        alignment = style_element(data, style).find("w:pPr/w:jc", NS)
        if alignment is None:  # inherited
            alignment = style_element(data, "UNSignature").find("w:pPr/w:jc", NS)
        assert val(alignment) == "right"
    agenda = [texts(p) for p in styled(data, "UNAgendaItem")]
    # the register's wording, for use inside a sentence, printed as a sentence of the agenda
    assert agenda == ["3.Organization of work.", "4.General exchange of views.",
                      "5.Discussions on substantive issues contained in paragraph 1 of General Assembly "
                      "resolution 75/240."]


def test_correction_for_and_read_in_italic(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    correction = next(b for b in every_block(documents["report"]) if isinstance(b, Correction))
    assert [texts(p) for p in styled(data, "UNCorrectionPlace")] == [plain_text(correction.where)]
    (line,) = styled(data, "UNCorrection")
    assert texts(line) == (f"{EN.correction_for} {plain_text(correction.wrong)} "
                           f"{EN.correction_read} {plain_text(correction.right)}")
    italic = [texts(r) for r in line.findall("w:r", NS) if r.find("w:rPr/w:i", NS) is not None]
    assert italic == [EN.correction_for, EN.correction_read]


def test_inline_strong_superscript_language_and_links(documents: dict[str, Document],
                                                      rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    root = xml(data, "word/document.xml")
    runs = list(root.iter(f"{{{W}}}r"))
    bold = [texts(r) for r in runs if r.find("w:rPr/w:b", NS) is not None]
    assert "The working group recommends that States continue to exchange views." in bold
    raised = [texts(r) for r in runs if val(r.find("w:rPr/w:vertAlign", NS)) == "superscript"]
    assert "st" in raised
    french = [r for r in runs if val(r.find("w:rPr/w:lang", NS)) == "fr"]
    assert [texts(r) for r in french] == ["cyberespace"] and french[0].find("w:rPr/w:i", NS) is not None
    relationships = {r.get("Id"): r.get("Target") for r in xml(data, "word/_rels/document.xml.rels")}
    targets = {relationships[link.get(f"{{{R}}}id")] for link in root.iter(f"{{{W}}}hyperlink")
               if link.get(f"{{{R}}}id")}
    decision = next(n for b in every_block(documents["report"]) if isinstance(b, Paragraph)
                    for n in b.content if isinstance(n, DocumentRef) and n.text == "76/552")
    assert undocs_url(decision.symbol) in targets
    assert undocs_url("A/RES/75/240") in targets


def test_star_footnote_prints_its_mark_and_numbered_ones_count_from_one(documents: dict[str, Document],
                                                                       rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    document = documents["report"]
    assert [f.call for f in document.footnotes] == ["*", "1", "2"]
    calls = xml(data, "word/document.xml").findall(".//w:footnoteReference", NS)
    assert [c.get(f"{{{W}}}customMarkFollows") for c in calls] == ["1", None, None]
    star_run = calls[0].getparent()
    assert texts(star_run.getnext()) == "*"
    assert val(star_run.getnext().find("w:rPr/w:rStyle", NS)) == "FootnoteReference"
    notes = {n.get(f"{{{W}}}id"): n for n in xml(data, "word/footnotes.xml").findall("w:footnote", NS)
             if n.get(f"{{{W}}}type") is None}
    star = notes[calls[0].get(f"{{{W}}}id")]
    assert star.find(".//w:footnoteRef", NS) is None and texts(star).startswith("*")
    assert not list(star.iter(etree.Comment))
    for call in calls[1:]:
        assert notes[call.get(f"{{{W}}}id")].find(".//w:footnoteRef", NS) is not None
    assert [c.get(f"{{{W}}}id") for c in calls] == ["1", "2", "3"]


def test_a_tables_last_row_keeps_with_its_notes(rendered: dict[str, bytes]) -> None:
    body = xml(rendered["report"], "word/document.xml").find("w:body", NS)
    noted = 0
    for table in body.iter(f"{{{W}}}tbl"):
        following = table.getnext()
        style = val(following.find("w:pPr/w:pStyle", NS))
        has_notes = style in package.TABLE_NOTE_STYLES and following.find("w:r", NS) is not None
        rows = table.findall("w:tr", NS)
        kept = [p.find("w:pPr/w:keepNext", NS) is not None for p in rows[-1].iter(f"{{{W}}}p")]
        assert kept and all(kept) == has_notes and any(kept) == has_notes
        noted += has_notes
    assert noted >= 1


def test_a_mark_of_two_characters_is_one_run_per_character(tmp_path: Path) -> None:
    """LibreOffice takes a custom mark of one character only (a longer one gets a number of its
    own before it and shifts every later number); Word prints the runs one after another."""
    shutil.copytree(TREE / "shared", tmp_path / "shared")
    text = EVERY_BLOCK.read_text(encoding="utf-8")
    assert text.count('mark="*"') == 1
    (tmp_path / "report.xml").write_text(text.replace('mark="*"', 'mark="**"'), encoding="utf-8")
    data = docx_renderer.render(model(tmp_path / "report.xml"))
    call = xml(data, "word/document.xml").findall(".//w:footnoteReference", NS)[0]
    assert call.get(f"{{{W}}}customMarkFollows") == "1"
    first = call.getparent().getnext()
    second = first.getnext()
    assert [texts(first), texts(second)] == ["*", "*"]
    assert val(second.find("w:rPr/w:rStyle", NS)) == "FootnoteReference"
    note = next(n for n in xml(data, "word/footnotes.xml").findall("w:footnote", NS)
                if n.get(f"{{{W}}}id") == call.get(f"{{{W}}}id"))
    marks = [texts(r) for r in note.iter(f"{{{W}}}r")][:2]
    assert marks == ["*", "*"]


# ---------------------------------------------------------------- first pages of the genres


def test_a_ga_report_names_the_assembly_session_instead_of_the_session_block(
        documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    data = rendered["report"]
    styles = [style_of(p) for p in body_paragraphs(data)]
    assert styles[4:6] == ["UNFrontLine", "UNFrontLineLast"]
    assert "UNSessionBody" not in styles and "UNSessionLine" not in styles
    assert texts(body_paragraphs(data)[4]) == "Seventy-seventh session"
    assert texts(body_paragraphs(data)[5]).startswith("Item 94 of the provisional agenda")


def test_conference_room_paper_masthead_and_no_job_footer(documents: dict[str, Document],
                                                          rendered: dict[str, bytes]) -> None:
    data = rendered["crp"]
    first = [texts(p) for p in body_paragraphs(data)[:4]]
    # the right-hand block: its first line, the date, and its last line beside the organ
    assert first[1] == EN.conference_room_paper
    assert first[3] == f"General Assembly{EN.language_only.format(language='English')}"
    assert "Distr." not in "".join(first) and "Original" not in "".join(first)
    document = xml(data, "word/document.xml")
    rels = xml(data, "word/_rels/document.xml.rels")
    name = package.first_footer(document, rels)
    footer = xml(data, name)
    assert texts(footer) == "" and footer.find(".//w:drawing", NS) is None
    assert not [n for n in parts_of(data) if n.startswith("word/media/")]
    for kind in ("default", "even"):
        reference = document.find(f".//w:sectPr/w:footerReference[@w:type='{kind}']", NS)
        target = {r.get("Id"): r.get("Target") for r in rels}[reference.get(f"{{{R}}}id")]
        # the folio only: its fields keep no stored figures
        assert re.sub(r"\d*/\d*", "", texts(xml(data, f"word/{target}"))) == ""
    # the report keeps its job footer
    report = rendered["report"]
    report_footer = xml(report, package.first_footer(xml(report, "word/document.xml"),
                                                     xml(report, "word/_rels/document.xml.rels")))
    assert "22-12345 (E)" in texts(report_footer) and len(report_footer.findall(".//w:drawing", NS)) == 3


def test_corrigendum_label_under_the_title(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    paragraphs = body_paragraphs(rendered["corrigendum"])
    styles = [style_of(p) for p in paragraphs]
    label = styles.index("UNGenreLabel")
    assert styles[label - 2:label] == ["UNTitle", "UNSubtitle"]
    assert texts(paragraphs[label]) == "Corrigendum"
    assert styled(rendered["report"], "UNGenreLabel") == []
    assert styled(rendered["corrigendum"], "UNParagraph") == []  # a corrigendum's paragraphs are not numbered


# ---------------------------------------------------------------- readers, batches, determinism


@pytest.mark.parametrize("name", ["report", "crp", "corrigendum"])
def test_pandoc_reads_it_without_warnings(name: str, rendered: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(rendered[name])
    result = subprocess.run([pandoc_binary(), "--from=docx", "--to=plain", "--fail-if-warnings", str(path)],
                            capture_output=True, check=False)
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    text = result.stdout.decode("utf-8")
    for expected in ("Contents", "Opening and duration of the session", "Documents before the working group",
                     "(Signed)", "Numbering starts again in an annex."):
        assert expected in text


@pytest.mark.parametrize("name", ["report", "crp"])
def test_python_docx_reads_it_without_warnings(name: str, documents: dict[str, Document],
                                               rendered: dict[str, bytes]) -> None:
    import docx

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opened = docx.Document(io.BytesIO(rendered[name]))
        headings = [p.text for p in opened.paragraphs
                    if p.style is not None and p.style.name.lower().startswith("heading")]
        cells = [c.text for t in opened.tables for r in t.rows for c in r.cells]
    assert caught == []
    assert headings[:2] == ["I.\tIntroduction", "II.\tOrganizational matters"]
    assert "Symbol" in cells


def test_a_run_of_genres_gives_each_its_own_package(documents: dict[str, Document],
                                                    rendered: dict[str, bytes]) -> None:
    from tests.conftest import source_paths

    programme = model(source_paths()[-1])
    order = [documents["report"], programme, documents["crp"], documents["corrigendum"], documents["report"]]
    together = docx_renderer.render_many(order)
    assert together[0] == together[4] == rendered["report"]
    assert together[1] == docx_renderer.render(programme)
    assert together[2] == rendered["crp"]
    assert together[3] == rendered["corrigendum"]


def test_two_renders_are_byte_identical(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    assert docx_renderer.render(documents["report"]) == rendered["report"]


# ---------------------------------------------------------------- LibreOffice


@pytest.mark.slow
def test_libreoffice_lays_out_every_block(rendered: dict[str, bytes], tmp_path: Path) -> None:
    if pages.soffice_binary() is None:
        reason = "LibreOffice not found (apt-get install libreoffice-writer-nogui)"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    files = []
    for name in ("report", "crp"):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(rendered[name])
        files.append(path)
    report, crp = pages.to_pdf(files, tmp_path / "pdf")
    report_pages = pages.page_texts(report)
    first = report_pages[0]
    for expected in ("Seventy-seventh session", "Contents", "Introduction", "Please recycle", "22-12345 (E)"):
        assert expected in first, expected
    assert re.search(r"^\s*\*\s+A/77/150\.", first, re.MULTILINE)  # the star note at the foot of page 1
    assert re.search(r"^\s*1\s+See A/75/816\.", first, re.MULTILINE)
    whole = "\n".join(report_pages)
    for expected in ("(a)", "(i)", "a.", "i.", "–", "(Signed) Burhan Gafoor", "For 25 to 29 June 2022 read"):
        assert expected in whole, expected
    contents = re.findall(r"^\s*(?:[IVX]+\.|[A-Z]\.|Annex)?\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", first, re.MULTILINE)
    assert len(contents) == 6, first  # each entry with its page, after a dotted leader
    for heading, page in contents:  # the page LibreOffice gives is the heading's page
        assert re.search(rf"^\s*\S*\s*{re.escape(heading)}\s*$", report_pages[int(page) - 1], re.MULTILINE), heading
    crp_first = pages.page_texts(crp)[0]
    assert "Conference room paper" in crp_first and "English only" in crp_first
    assert "Please recycle" not in crp_first and "22-12345" not in crp_first



# ---------------------------------------------------------------- the AST of what the fixture lacks


def _strings(nodes: list) -> str:
    out = []
    for node in nodes:
        if node.get("t") == "Str":
            out.append(node["c"])
        elif node.get("t") == "LineBreak":
            out.append("\n")
        elif node.get("t") == "RawInline":
            out.append("\t")
        elif node.get("t") == "Span":
            out.append(_strings(node["c"][1]))
    return "".join(out)


def test_a_part_heading_is_heading_1_with_its_name_over_its_words(documents: dict[str, Document]) -> None:
    from pipeline.formats.docx.ast import Blocks, Inlines
    from pipeline.model.tree import Source, Text

    document = documents["report"]
    here = Source("memory", 1)
    part = Section(0, 2, (Text("General provisions", here),), (), "sec-9", here)
    (header,) = Blocks(document, EN, Inlines(document)).visit(part)
    level, _, content = header["c"]
    assert (header["t"], level) == ("Header", 1)
    assert _strings(content) == "Part two\nGeneral provisions"
    assert content[0]["c"][0][0] == "sec-9"  # the bookmark of the contents' link


def test_labels_word_cannot_number_are_written_as_text(documents: dict[str, Document]) -> None:
    import dataclasses

    from pipeline.formats.docx.ast import STYLE_SUBPARAGRAPH, Blocks, Inlines, list_style

    document = documents["report"]
    lists = [b for b in every_block(document) if isinstance(b, ItemList) and b.style == "lettered"]
    assert [list_style(b, EN) for b in lists] == [("LowerAlpha", "TwoParens")]
    french = dataclasses.replace(EN, item_labels=("{letter})", "{roman})", "{letter}.", "{roman}."))
    assert list_style(lists[0], french) == ("LowerAlpha", "OneParen")
    odd = dataclasses.replace(EN, item_labels=("[{letter}]", "({roman})", "{letter}.", "{roman}."))
    assert list_style(lists[0], odd) is None
    blocks = Blocks(document, odd, Inlines(document)).visit(lists[0])
    first = blocks[0]
    assert first["t"] == "Div" and first["c"][0][2] == [["custom-style", STYLE_SUBPARAGRAPH]]
    assert _strings(first["c"][1][0]["c"]).startswith("[a]\texisting and potential threats")
    assert blocks[1]["t"] == "Div" and blocks[2]["t"] == "OrderedList"  # the next degree is still numbered


@pytest.mark.parametrize("doc_type", sorted(GENRES))
def test_every_genre_renders_and_reads_back(doc_type: str, documents: dict[str, Document], tmp_path: Path) -> None:
    import dataclasses

    document = dataclasses.replace(documents["report"], doc_type=doc_type)
    kind = genre(doc_type)
    data = docx_renderer.render(document)
    path = tmp_path / f"{doc_type}.docx"
    path.write_bytes(data)
    result = subprocess.run([pandoc_binary(), "--from=docx", "--to=plain", "--fail-if-warnings", str(path)],
                            capture_output=True, check=False)
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    masthead = [texts(p) for p in body_paragraphs(data)[:4]]
    assert (masthead[1].endswith(EN.conference_room_paper)) == (kind.masthead == "crp")
    footer = xml(data, package.first_footer(xml(data, "word/document.xml"), xml(data, "word/_rels/document.xml.rels")))
    assert (len(footer.findall(".//w:drawing", NS)) == 3) == kind.job_footer
    labels = [texts(p) for p in styled(data, "UNGenreLabel")]
    assert labels == ([EN.genre_labels[kind.label]] if kind.label else [])


def test_a_table_without_notes_is_followed_by_a_line_of_space(documents: dict[str, Document]) -> None:
    import dataclasses

    from pipeline.formats.docx.ast import STYLE_TABLE_NOTE_LAST, Blocks, Inlines

    document = documents["report"]
    table = next(b for b in every_block(document) if isinstance(b, Table))
    blocks = Blocks(document, EN, Inlines(document))
    with_notes = blocks.visit(table)
    assert [b["t"] for b in with_notes] == ["Table"] + ["Div"] * len(table.notes)
    without = blocks.visit(dataclasses.replace(table, notes=()))
    assert [b["t"] for b in without] == ["Table", "Div"]
    assert without[1]["c"][0][2] == [["custom-style", STYLE_TABLE_NOTE_LAST]]
    assert without[1]["c"][1][0]["c"] == []


def test_a_document_without_job_number_has_no_job_footer(documents: dict[str, Document]) -> None:
    import dataclasses

    report = documents["report"]
    document = dataclasses.replace(report, masthead=dataclasses.replace(report.masthead, job_number=""))
    data = docx_renderer.render(document)
    footer = xml(data, package.first_footer(xml(data, "word/document.xml"), xml(data, "word/_rels/document.xml.rels")))
    assert texts(footer) == "" and footer.find(".//w:drawing", NS) is None

"""The DOCX renderer: golden parts, the layout's elements, readers, seeds, determinism, LibreOffice.

Goldens hold each XML part of a DOCX after C14N 2.0 canonicalisation (a line per start tag,
so a change reads as a diff), never the zip bytes; binary parts are listed by hash in a manifest.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.formats import format_names, renderer
from pipeline.formats.common import output_timestamp
from pipeline.formats.docx import package, pages
from pipeline.formats.docx import render as docx_renderer
from pipeline.formats.docx.ast import REGION_TAGS
from pipeline.formats.docx.pandoc import PANDOC_VERSION, PandocError, check_pandoc_version, pandoc_binary
from pipeline.formats.docx.reference import REFERENCE_DIR, reference_docx_bytes, reference_parts
from pipeline.formats.text import render_text
from pipeline.i18n import formatting as fmt
from pipeline.i18n import wording_for
from pipeline.marks.barcode import code39_png, job_barcode_text
from pipeline.marks.recycling import recycling_png
from pipeline.model.tree import Document, undocs_url
from tests.conftest import ALL_STEMS, SEED_OF, SEEDS, SHARED, in_ci

W = package.W
R = package.R
NS = {"w": W, "r": R, "wp": package.WP, "a": package.A, "rel": package.PKG_REL}
STEMS = sorted(SEED_OF)
SEEDCHECK = SHARED / "tools" / "seedcheck.py"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True, load_dtd=False)


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def rendered(documents: dict[str, Document]) -> dict[str, bytes]:
    """Each real source rendered once as DOCX."""
    return {stem: docx_renderer.render(documents[stem]) for stem in ALL_STEMS}


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts_of(data)[name], _PARSER)


def canonical(part: bytes) -> str:
    """A part in C14N 2.0 (comments and blank text between tags dropped), a line per start tag."""
    text = etree.canonicalize(etree.fromstring(part, _PARSER), with_comments=False)
    return re.sub(r">(?=<[^/])", ">\n", text) + "\n"


def golden_name(stem: str, part: str) -> str:
    return f"docx/{stem}/{part if part.endswith('.xml') else part + '.xml'}"


def texts(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def related_part(data: bytes, kind: str) -> str:
    """The header or footer part the section refers to for ``kind`` (default/even/first)."""
    root = xml(data, "word/document.xml")
    rels = xml(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    header_or_footer = "header" if kind.startswith("h") else "footer"
    found = root.findall(f".//w:sectPr/w:{header_or_footer}Reference[@w:type='{kind[1:]}']", NS)
    assert len(found) == 1
    return f"word/{targets[found[0].get(f'{{{R}}}id')]}"


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    return [t.casefold() for t in re.findall(r"[^\W_]+", text)]


def require_tool(name: str, package_name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    reason = f"{name} not found (apt-get install {package_name})"
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- registry and goldens


def test_docx_is_registered_after_html() -> None:
    names = format_names()
    assert "docx" in names
    if "html" in names:
        assert names.index("docx") == names.index("html") + 1
    r = renderer("docx")
    assert (r.name, r.suffix) == ("docx", ".docx")


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_docx_golden_parts(stem: str, rendered: dict[str, bytes], golden) -> None:
    parts = parts_of(rendered[stem])
    manifest = []
    for name in parts:
        data = parts[name]
        kind = "xml" if name.endswith((".xml", ".rels")) else hashlib.sha256(data).hexdigest()
        manifest.append(f"{name}  {kind}")
    failures = []
    checks = [(f"docx/{stem}/manifest.txt", "\n".join(manifest) + "\n")]
    checks += [(golden_name(stem, n), canonical(parts[n])) for n in parts if n.endswith((".xml", ".rels"))]
    for name, text in checks:
        try:
            golden.check(name, text)
        except pytest.fail.Exception as failure:
            failures.append(str(failure))
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


# ---------------------------------------------------------------- package and determinism


@pytest.mark.parametrize("stem", STEMS)
def test_two_renders_are_byte_identical(stem: str, documents: dict[str, Document],
                                        rendered: dict[str, bytes]) -> None:
    assert docx_renderer.render(documents[stem]) == rendered[stem]


@pytest.mark.parametrize("stem", STEMS)
def test_zip_members_sorted_with_the_issue_date(stem: str, documents: dict[str, Document],
                                               rendered: dict[str, bytes]) -> None:
    issued = documents[stem].masthead.issued
    with zipfile.ZipFile(io.BytesIO(rendered[stem])) as archive:
        infos = archive.infolist()
        assert archive.testzip() is None
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert names[0] == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(issued.year, issued.month, issued.day, 0, 0, 0)}


def test_source_date_epoch_sets_every_date(documents: dict[str, Document],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    data = docx_renderer.render(documents[STEMS[-1]])
    core = xml(data, "docProps/core.xml")
    dates = {e.text for e in core if etree.QName(e).localname in {"created", "modified"}}
    assert dates == {"2023-11-14T22:13:20Z"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.parametrize("stem", STEMS)
def test_core_properties(stem: str, documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    document = documents[stem]
    core = xml(rendered[stem], "docProps/core.xml")
    values = {etree.QName(e).localname: e.text for e in core}
    issued = document.masthead.issued.isoformat()
    assert values == {
        "title": f"{document.symbol}: Provisional programme of work",
        "subject": document.symbol,
        "creator": "United Nations",
        "lastModifiedBy": "United Nations",
        "language": "en-GB",
        "category": "programme-of-work",
        "created": f"{issued}T00:00:00Z",
        "modified": f"{issued}T00:00:00Z",
    }


def test_every_xml_part_is_parsed(rendered: dict[str, bytes]) -> None:
    parts = parts_of(rendered[STEMS[0]])
    package.check_parts(parts)
    parts["word/webSettings.xml"] = b"<w:webSettings xmlns:w='x'><w:p></w:webSettings>"
    with pytest.raises(package.PackageError, match=r"word/webSettings\.xml: not well-formed"):
        package.check_parts(parts)


def test_a_marker_without_a_value_fails(rendered: dict[str, bytes]) -> None:
    parts = parts_of(rendered[STEMS[0]])
    parts["word/header9.xml"] = (f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{{nothing}}</w:t></w:r></w:p></w:hdr>').encode()
    fill = package.Fill({}, {}, {}, output_timestamp(_any_document()))
    with pytest.raises(package.PackageError, match=r"no value for the marker \{nothing\}"):
        package.fill_header_footer(parts, "word/header9.xml", fill, 1)


def _any_document() -> Document:
    from pipeline.build.render import model_of
    from pipeline.validate.check import validate_sources
    from tests.conftest import source_paths

    checked, _ = validate_sources(source_paths()[:1])
    return model_of(checked[0])


# ---------------------------------------------------------------- reference document and pandoc


def test_reference_parts_are_well_formed_and_zip_deterministically() -> None:
    parts = reference_parts()
    assert {"word/styles.xml", "word/settings.xml", "word/document.xml", "word/footer3.xml"} <= set(parts)
    assert reference_docx_bytes() == reference_docx_bytes()


def test_a_broken_reference_part_is_named(tmp_path: Path) -> None:
    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    (tmp_path / "reference" / "word" / "settings.xml").write_text("<w:settings>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"settings\.xml: not well-formed"):
        reference_parts(tmp_path / "reference")


def test_pinned_pandoc() -> None:
    import pypandoc

    assert str(pypandoc.get_pandoc_version()) == PANDOC_VERSION
    assert Path(pandoc_binary()).is_file()
    check_pandoc_version(PANDOC_VERSION)
    with pytest.raises(PandocError, match=r"needs pandoc 3\.9 .* found pandoc 2\.17"):
        check_pandoc_version("2.17")


# ---------------------------------------------------------------- the layout's elements


@pytest.mark.parametrize("stem", STEMS)
def test_styles_name_times_new_roman(stem: str, rendered: dict[str, bytes]) -> None:
    styles = xml(rendered[stem], "word/styles.xml")
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts is not None
    assert {fonts.get(f"{{{W}}}{k}") for k in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    size = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
    assert size is not None and size.get(f"{{{W}}}val") == "20"  # 10 pt
    table = xml(rendered[stem], "word/fontTable.xml")
    assert "Times New Roman" in {f.get(f"{{{W}}}name") for f in table}


@pytest.mark.parametrize("stem", STEMS)
def test_page_setup_mirrors_heads_and_gives_page_one_its_own(stem: str, rendered: dict[str, bytes]) -> None:
    root = xml(rendered[stem], "word/document.xml")
    section = root.find("w:body/w:sectPr", NS)
    assert section is not None and section.find("w:titlePg", NS) is not None
    size = section.find("w:pgSz", NS)
    assert size is not None and (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("12240", "15840")
    settings = xml(rendered[stem], "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None


@pytest.mark.parametrize("stem", STEMS)
def test_running_heads_hold_the_symbol(stem: str, documents: dict[str, Document],
                                       rendered: dict[str, bytes]) -> None:
    data, symbol = rendered[stem], documents[stem].symbol
    odd, even, first = (xml(data, related_part(data, k)) for k in ("hdefault", "heven", "hfirst"))
    assert texts(odd) == texts(even) == symbol
    assert texts(first) == ""
    styles = [h.find(".//w:pStyle", NS).get(f"{{{W}}}val") for h in (odd, even)]
    assert styles == ["UNHeaderOdd", "UNHeaderEven"]
    style_table = xml(data, "word/styles.xml")

    def style(style_id: str) -> etree._Element:
        return style_table.find(f"w:style[@w:styleId='{style_id}']", NS)

    assert style("UNHeaderOdd").find("w:pPr/w:jc", NS).get(f"{{{W}}}val") == "right"
    assert style("UNHeaderEven").find("w:pPr/w:jc", NS).get(f"{{{W}}}val") == "left"
    assert style("UNHeaderOdd").find("w:pPr/w:pBdr/w:bottom", NS) is not None


@pytest.mark.parametrize("stem", STEMS)
def test_later_footers_hold_job_number_and_folio_fields(stem: str, documents: dict[str, Document],
                                                        rendered: dict[str, bytes]) -> None:
    data, job = rendered[stem], documents[stem].masthead.job_number
    for kind, outer_first in (("fdefault", False), ("feven", True)):
        footer = xml(data, related_part(data, kind))
        instructions = [i.text.strip() for i in footer.iter(f"{{{W}}}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]
        text = texts(footer)
        assert job in text and "(E)" not in text
        # the folio is "PAGE/NUMPAGES" with no stored values: a reader computes them
        assert text.startswith("/") == outer_first and text.endswith("/") != outer_first


@pytest.mark.parametrize("stem", STEMS)
def test_first_footer_has_job_line_barcode_qr_and_recycle(stem: str, documents: dict[str, Document],
                                                          rendered: dict[str, bytes]) -> None:
    document, data = documents[stem], rendered[stem]
    w = wording_for("en")
    name = related_part(data, "ffirst")
    footer = xml(data, name)
    text = texts(footer)
    m = document.masthead
    for expected in (f"{m.job_number} (E)", fmt.job_date_code(m.issued), job_barcode_text(m.job_number),
                     w.please_recycle):
        assert expected in text
    assert "{" not in text
    parts = parts_of(data)
    rels = etree.fromstring(parts[name.replace("word/", "word/_rels/") + ".rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    drawings = footer.findall(".//w:drawing/wp:inline", NS)
    assert len(drawings) == 3
    images = {}
    for inline in drawings:
        extent = inline.find("wp:extent", NS)
        assert int(extent.get("cx")) > 0 and int(extent.get("cy")) > 0
        blip = inline.find(".//a:blip", NS)
        images[inline.find("wp:docPr", NS).get("descr")] = (parts["word/" + targets[blip.get(f"{{{R}}}embed")]],
                                                            int(extent.get("cx")), int(extent.get("cy")))
    url = undocs_url(document.symbol)
    barcode, width, height = images[job_barcode_text(m.job_number)]
    r = docx_renderer
    height_px = round(r.BARCODE_HEIGHT_EMU / r.BARCODE_NARROW_EMU * r.BARCODE_NARROW_PX)
    assert barcode == code39_png(job_barcode_text(m.job_number), height_px=height_px,
                                 narrow_px=docx_renderer.BARCODE_NARROW_PX)
    # nine Code 39 characters at the layout's narrow bar (0.75 pt) are about 1.7 in
    assert 0.9 < width / 914400 < 1.8 and height == docx_renderer.BARCODE_HEIGHT_EMU
    qr, width, height = images[url]
    assert qr.startswith(b"\x89PNG") and width == height == docx_renderer.QR_SIDE_EMU
    mark, width, height = images["Recycling symbol"]  # beside "Please recycle", 12 pt a side
    assert mark == recycling_png(100) and width == height == docx_renderer.RECYCLING_SIDE_EMU
    content_types = etree.fromstring(parts["[Content_Types].xml"])
    assert "png" in {d.get("Extension") for d in content_types}


@pytest.mark.parametrize("stem", STEMS)
def test_masthead_and_first_page(stem: str, documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    document = documents[stem]
    body = xml(rendered[stem], "word/document.xml").find("w:body", NS)
    paragraphs = [(p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val"), texts(p)) for p in body.findall("w:p", NS)]
    assert paragraphs[:4] == [
        ("UNMastheadTop", f"United Nations{document.symbol}"),
        ("UNMastheadBlockFirst", "Distr.: General"),
        ("UNMastheadBlock", fmt.full_date(document.masthead.issued, wording_for("en"))),
        ("UNMastheadOrgan", "General AssemblyOriginal: English"),  # on the block's last line
    ]
    top = body.find("w:p", NS)
    organ_letter = top.xpath("w:r[w:rPr/w:rStyle/@w:val='UNOrganLetter']", namespaces=NS)
    assert [texts(r) for r in organ_letter] == [document.symbol.split("/")[0]]
    numbered = [t for s, t in paragraphs if s == "UNParagraph"]
    assert [t.split(".")[0] for t in numbered] == [str(p.number) for p in document.body]
    annex = [i for i, (s, _) in enumerate(paragraphs) if s == "UNAnnexHeading"]
    assert len(annex) == 1 and paragraphs[annex[0]][1] == "Annex"
    styles = xml(rendered[stem], "word/styles.xml")
    heading = styles.find("w:style[@w:styleId='UNAnnexHeading']", NS)
    assert heading.find("w:pPr/w:pageBreakBefore", NS) is not None


@pytest.mark.parametrize("stem", STEMS)
def test_programme_table(stem: str, documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    document = documents[stem]
    root = xml(rendered[stem], "word/document.xml")
    tables = root.findall(".//w:tbl", NS)
    assert len(tables) == 1
    table = tables[0]
    width = table.find("w:tblPr/w:tblW", NS)
    assert (width.get(f"{{{W}}}w"), width.get(f"{{{W}}}type")) == ("7920", "dxa")  # 6.5 in less 2 × 0.5 in
    assert sum(int(c.get(f"{{{W}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)) == 7920
    rows = table.findall("w:tr", NS)
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows[:2]] == [True, False]
    assert [texts(c) for c in rows[0].findall("w:tc", NS)] == ["Date/time", "Agenda item/programme"]
    # The three rules: above and under the heads, at the bottom; nothing else.
    rules = []
    for index, row in enumerate(rows):
        for cell in row.findall("w:tc", NS):
            for border in cell.findall("w:tcPr/w:tcBorders/*", NS):
                rules.append((index, etree.QName(border).localname, border.get(f"{{{W}}}val")))
    columns = len(rows[0].findall("w:tc", NS))
    last_cells = len(rows[-1].findall("w:tc", NS))
    assert sorted(rules) == sorted([(0, "top", "single")] * columns + [(0, "bottom", "single")] * columns
                                   + [(len(rows) - 1, "bottom", "single")] * last_cells)
    assert {b.get(f"{{{W}}}val") for b in table.findall("w:tblPr/w:tblBorders/*", NS)} == {"nil"}
    # Day rows span the table, in the bold day style.
    days = [r for r in rows if r.find("w:tc/w:tcPr/w:gridSpan[@w:val='2']", NS) is not None]
    assert [texts(r) for r in days] == [fmt.day_heading(d.date, wording_for("en"))
                                        for a in document.annexes for d in a.programme.days]
    assert {r.find(".//w:pStyle", NS).get(f"{{{W}}}val") for r in days} == {"UNTableDay"}
    # Agenda items bold; "(continued)": the word italic, the parentheses roman.
    agenda = [r for r in root.iter(f"{{{W}}}r") if re.match(r"Agenda item \d", texts(r))]
    assert agenda and all(r.find("w:rPr/w:b", NS) is not None for r in agenda)
    continued = [r for r in root.iter(f"{{{W}}}r") if texts(r) == "continued"]
    assert continued
    for run in continued:
        assert run.find("w:rPr/w:i", NS) is not None
        before, after = run.getprevious(), run.getnext()
        assert texts(before).endswith("(") and before.find("w:rPr/w:i", NS) is None
        assert texts(after).startswith(")") and after.find("w:rPr/w:i", NS) is None
    # Sub-items and bullets hang: label, tab, text.
    for paragraph in root.iter(f"{{{W}}}p"):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(f"{{{W}}}val") in {"UNTableSubItem", "UNTableBullet", "UNTableBulletLast"}:
            runs = paragraph.findall("w:r", NS)
            assert runs[1].find("w:tab", NS) is not None
            assert re.fullmatch(r"\([a-z]\)|–", texts(runs[0]))


def test_footnote_is_a_real_word_footnote(documents: dict[str, Document], rendered: dict[str, bytes]) -> None:
    stem = "oewg-ict-s4-programme-of-work"
    data = rendered[stem]
    notes = xml(data, "word/footnotes.xml")
    real = [n for n in notes.findall("w:footnote", NS) if n.get(f"{{{W}}}type") is None]
    assert len(real) == len(documents[stem].footnotes) == 1
    assert texts(real[0]).startswith("States are strongly encouraged")
    number_run = real[0].xpath(".//w:r[w:footnoteRef]", namespaces=NS)[0]
    assert number_run.getnext().find("w:tab", NS) is not None
    calls = xml(data, "word/document.xml").findall(".//w:footnoteReference", NS)
    assert [c.get(f"{{{W}}}id") for c in calls] == [real[0].get(f"{{{W}}}id")]


def test_hyperlinks_go_to_undocs(rendered: dict[str, bytes]) -> None:
    data = rendered["oewg-ict-s4-programme-of-work"]

    def links(part: str, rels: str) -> set[str]:
        relationships = {r.get("Id"): r for r in xml(data, rels)}
        found = set()
        for link in xml(data, part).iter(f"{{{W}}}hyperlink"):
            relationship = relationships[link.get(f"{{{R}}}id")]
            assert relationship.get("TargetMode") == "External"
            found.add(relationship.get("Target"))
        return found

    assert links("word/document.xml", "word/_rels/document.xml.rels") == {
        "https://undocs.org/en/A/RES/75/240",
        "https://undocs.org/en/A/AC.292/2021/1",
        "https://meetings.unoda.org/open-ended-working-group-on-information-and-communication-technologies-2021",
    }
    assert links("word/footnotes.xml", "word/_rels/footnotes.xml.rels") == {
        "https://undocs.org/en/A/RES/75/240", "https://undocs.org/en/A/77/275"}


# ---------------------------------------------------------------- readers and content


def write(tmp_path: Path, stem: str, data: bytes) -> Path:
    path = tmp_path / f"{stem}.docx"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("stem", STEMS)
def test_pandoc_reads_it_without_warnings(stem: str, rendered: dict[str, bytes], tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    import pypandoc

    path = write(tmp_path, stem, rendered[stem])
    with caplog.at_level(logging.DEBUG, logger="pypandoc"):
        text = pypandoc.convert_file(str(path), "plain", format="docx")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []
    direct = subprocess.run([pandoc_binary(), "--from=docx", "--to=plain", "--fail-if-warnings", str(path)],
                            capture_output=True, check=False)
    assert direct.returncode == 0 and direct.stderr == b""
    for expected in ("General Assembly", "Provisional programme of work", "Annex", "Date/time"):
        assert expected in text


@pytest.mark.parametrize("stem", STEMS)
def test_python_docx_reads_it_without_warnings(stem: str, documents: dict[str, Document],
                                               rendered: dict[str, bytes]) -> None:
    import docx

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opened = docx.Document(io.BytesIO(rendered[stem]))
        section = opened.sections[0]
        heads = (section.header.paragraphs[0].text, section.even_page_header.paragraphs[0].text)
        first_footer = section.first_page_footer.tables[0].rows[0].cells[0].text
        body = [p.text for p in opened.paragraphs]
        cells = [c.text for t in opened.tables for r in t.rows for c in r.cells]
    assert caught == []
    assert section.different_first_page_header_footer
    assert opened.settings.odd_and_even_pages_header_footer
    assert heads == (documents[stem].symbol, documents[stem].symbol)
    assert documents[stem].masthead.job_number in first_footer
    assert body[0] == f"United Nations\t{documents[stem].symbol}"
    assert "Agenda item/programme" in cells
    assert opened.core_properties.subject == documents[stem].symbol


def docx_body_words(data: bytes) -> list[str]:
    """The words of the body in reading order (python-docx), table cells once each."""
    import docx
    from docx.table import Table

    opened = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for block in opened.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell comes back once per column
                        seen.add(id(cell._tc))
                        out += words(cell.text)
        else:
            out += words(block.text)
    return out


@pytest.mark.parametrize("stem", STEMS)
def test_same_words_as_the_text_rendering(stem: str, documents: dict[str, Document],
                                          rendered: dict[str, bytes]) -> None:
    document = documents[stem]
    w = wording_for(document.language)
    text = render_text(document)
    text = text.split("\n\n__________\n\n")[0]  # footnotes go to the foot of the page in DOCX
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", text)  # footnote calls are marks, not text, in DOCX
    expected = words(text)
    body = docx_body_words(rendered[stem])
    heads = words(" ".join(w.column_heads))
    start = body.index(heads[0])
    assert body[start:start + len(heads)] == heads
    del body[start:start + len(heads)]
    job = words(f"{fmt.job_number_line(document, w)} {fmt.job_date_code(document.masthead.issued)}")
    if expected[-len(job):] == job:
        del expected[-len(job):]
    organ = words(w.organs[document.masthead.organ])  # the organ's name stands on the block's last line
    for found in (body, expected):
        start = next(i for i in range(len(found)) if found[i:i + len(organ)] == organ)
        del found[start:start + len(organ)]
    assert body == expected


@pytest.mark.parametrize("stem", STEMS)
def test_seedcheck(stem: str, rendered: dict[str, bytes], tmp_path: Path) -> None:
    if not SEEDCHECK.is_file():
        if in_ci():
            pytest.fail(f"{SEEDCHECK} is missing", pytrace=False)
        pytest.skip(f"{SEEDCHECK} not found (shared/ beside the project)")
    path = write(tmp_path, stem, rendered[stem])
    result = subprocess.run([sys.executable, str(SEEDCHECK), str(SEEDS / SEED_OF[stem]), str(path),
                             "--min", "0.985"], capture_output=True, text=True, check=False)
    coverage = float(re.search(r"coverage (\d\.\d+)", result.stdout).group(1))
    assert result.returncode == 0, result.stdout
    assert coverage >= 0.985


# ---------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def libreoffice_pdfs(rendered: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both documents converted to PDF by LibreOffice in one call."""
    if pages.soffice_binary() is None:
        require_tool("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("libreoffice")
    files = [write(folder, stem, rendered[stem]) for stem in STEMS]
    return dict(zip(STEMS, pages.to_pdf(files, folder / "pdf"), strict=True))


@pytest.mark.slow
def test_libreoffice_lays_out_the_pages(libreoffice_pdfs: dict[str, Path], documents: dict[str, Document]) -> None:
    require_tool("pdftotext", "poppler-utils")
    expected_pages = {"oewg-ict-s3-programme-of-work": 4, "oewg-ict-s4-programme-of-work": 3}
    for stem, pdf in libreoffice_pdfs.items():
        document = documents[stem]
        texts_by_page = pages.page_texts(pdf)
        assert len(texts_by_page) == expected_pages[stem]
        first, second = texts_by_page[0], texts_by_page[1]
        for expected in ("United Nations", document.symbol, "General Assembly", "Distr.: General",
                         "Original: English", "Provisional programme of work", "Please recycle",
                         f"{document.masthead.job_number} (E)", job_barcode_text(document.masthead.job_number)):
            assert expected in first, expected
        assert "Annex" not in first
        assert second.lstrip().startswith(document.symbol)  # the running head
        assert "Annex" in second and "Date/time" in second
        assert re.search(rf"2/{expected_pages[stem]}\b", second)
        assert re.search(rf"{expected_pages[stem]}/{expected_pages[stem]}\b", texts_by_page[-1])
        assert "Date/time" in texts_by_page[-1]  # the heads repeat on each page of the table


@pytest.mark.slow
def test_first_page_codes_scan(libreoffice_pdfs: dict[str, Path], documents: dict[str, Document],
                               tmp_path: Path) -> None:
    require_tool("pdftoppm", "poppler-utils")
    zbarimg = require_tool("zbarimg", "zbar-tools")
    for stem, pdf in libreoffice_pdfs.items():
        subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", str(pdf), str(tmp_path / stem)],
                       check=True)
        image = next(tmp_path.glob(f"{stem}-*.png"))
        result = subprocess.run([zbarimg, "-q", str(image)], capture_output=True, text=True, check=False)
        document = documents[stem]
        assert set(result.stdout.split()) == {
            f"QR-Code:{undocs_url(document.symbol)}",
            f"CODE-39:{job_barcode_text(document.masthead.job_number).strip('*')}",
        }


# ---------------------------------------------------------------- a tidy package


def test_every_style_is_used(rendered: dict[str, bytes]) -> None:
    for stem, data in rendered.items():
        parts = parts_of(data)
        styles = xml(data, "word/styles.xml")
        defined = {s.get(f"{{{W}}}styleId"): s for s in styles.iterfind("w:style", NS)}
        used = {s for s, e in defined.items() if e.get(f"{{{W}}}default") == "1"}
        for name, part in parts.items():
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
                root = etree.fromstring(part, _PARSER)
                used |= {e.get(f"{{{W}}}val") for tag in ("pStyle", "rStyle", "tblStyle")
                         for e in root.iter(f"{{{W}}}{tag}")}
        while True:  # a used style keeps what it is based on, its next and its linked style
            more = {e.get(f"{{{W}}}val") for style_id in used & set(defined)
                    for tag in ("basedOn", "next", "link") for e in defined[style_id].iterfind(f"w:{tag}", NS)}
            if more <= used:
                break
            used |= more
        assert "SourceCode" not in defined and "VerbatimChar" not in defined, stem
        assert set(defined) <= used, f"{stem}: unused styles {sorted(set(defined) - used)}"
        for style in defined.values():  # no style is built on one the package lacks
            for based in style.iterfind("w:basedOn", NS):
                assert based.get(f"{{{W}}}val") in defined, stem


def test_folio_fields_store_no_stale_values(rendered: dict[str, bytes]) -> None:
    for stem, data in rendered.items():
        for name in ("word/footer1.xml", "word/footer2.xml"):
            root = xml(data, name)
            runs = list(root.iter(f"{{{W}}}r"))
            inside = False
            for run in runs:
                char = run.find("w:fldChar", NS)
                if char is not None:
                    inside = char.get(f"{{{W}}}fldCharType") == "separate"
                    continue
                assert not (inside and run.find("w:t", NS) is not None), f"{stem} {name}: a stored field value"


def test_language_has_its_region_and_title_its_symbol(documents: dict[str, Document],
                                                      rendered: dict[str, bytes]) -> None:
    for stem, data in rendered.items():
        document = documents[stem]
        core = xml(data, "docProps/core.xml")
        region = REGION_TAGS[document.language]
        assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == region
        title = core.findtext("{http://purl.org/dc/elements/1.1/}title") or ""
        assert title.startswith(document.symbol + ": "), title
        # the version's language in the slot of its script: Latin and Cyrillic w:val,
        # Arabic w:bidi (complex script), Chinese w:eastAsia
        slot = {"ar": "bidi", "zh": "eastAsia"}.get(document.language, "val")
        langs = {e.get(f"{{{W}}}{slot}") for e in xml(data, "word/styles.xml").iter(f"{{{W}}}lang")}
        assert langs == {region}, (stem, langs)


@pytest.mark.parametrize("part", ["word/footer1.xml", "word/footer2.xml"])
def test_the_arabic_folio_reads_left_to_right(part: str, rendered: dict[str, bytes]) -> None:
    # a right-to-left line would set the PAGE field at the right of NUMPAGES ("3/2"); the line
    # is held left to right, its job number and folio swapped so that each keeps its side
    english, arabic = (xml(rendered[f"oewg-ict-s4-programme-of-work{suffix}"], part) for suffix in ("", ".ar"))
    paragraph = arabic.find(f"{{{package.W}}}p")
    # left to right against the styles' right-to-left default
    assert paragraph is not None
    assert [b.get(f"{{{package.W}}}val") for b in paragraph.iter(f"{{{package.W}}}bidi")] == ["0"]
    runs = [texts(run) or run.find(f".//{{{package.W}}}tab") is not None for run in paragraph.iter(f"{{{package.W}}}r")]
    english_runs = [texts(run) or run.find(f".//{{{package.W}}}tab") is not None
                    for run in english.iter(f"{{{package.W}}}r")]
    job = next(text for text in english_runs if isinstance(text, str) and "-" in text)
    job_at = next(i for i, text in enumerate(runs) if isinstance(text, str) and job in text)
    assert (job_at == 0) == (english_runs.index(job) != 0)


def test_arabic_runs_set_apart_left_to_right_keep_the_latin_face(rendered: dict[str, bytes]) -> None:
    # LibreOffice would set their figures in the Arabic face, as it does the script's own runs
    body = xml(rendered["oewg-ict-apr-2022-report.ar"], "word/document.xml")
    faces = {}
    for run in body.iter(f"{{{W}}}r"):
        fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
        faces[texts(run)] = None if fonts is None else fonts.get(f"{{{W}}}cs")
    assert faces["75/240"] == package.LATIN_FACE
    arabic = [text for text in faces if any(unicodedata.bidirectional(ch) == "AL" for ch in text)]
    assert arabic and all(faces[text] is None for text in arabic)

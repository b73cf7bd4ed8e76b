"""Tests for the Akoma Ntoso export: OASIS schema, profile, round trip, goldens."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

import pytest
from lxml import etree

from pipeline.formats.akn.names import AKN_NS, PIPELINE_NS
from pipeline.formats.akn.profile import profile_problems
from pipeline.formats.akn.reader import ImportProblem, import_akn
from pipeline.formats.akn.render import identity, render, tree
from pipeline.genres import GENRES, genre
from pipeline.model.tree import (
    Contents,
    Document,
    FootnoteRef,
    Table,
)
from pipeline.resources import schemas_dir
from tests.conftest import ALL_STEMS, source_paths
from tests.tree import every_block_model, every_level_model

S3 = "oewg-ict-s3-programme-of-work"
S4 = "oewg-ict-s4-programme-of-work"
AKN_XSD = schemas_dir() / "akomantoso30" / "akomantoso30.xsd"
NS = {"a": AKN_NS, "u": PIPELINE_NS}
WORK = "/akn/un/doc/programmeOfWork/2023-03-04/A-AC.292-2023-2"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@pytest.fixture(scope="session")
def akn_schema() -> etree.XMLSchema:
    """The official OASIS Akoma Ntoso 3.0 schema, unchanged, in ``schemas/akomantoso30/``."""
    return etree.XMLSchema(etree.parse(str(AKN_XSD), _parser()))


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _parser())


SOURCES = [p.stem for p in source_paths()]


@pytest.mark.parametrize("stem", SOURCES)
def test_output_validates_against_the_oasis_schema(documents: dict[str, Document], akn_schema: etree.XMLSchema,
                                                   stem: str) -> None:
    root = _parse(render(documents[stem]))
    valid = akn_schema.validate(root)
    assert valid, "\n".join(str(e) for e in akn_schema.error_log)


def test_the_oasis_schema_rejects_a_broken_output(documents: dict[str, Document],
                                                  akn_schema: etree.XMLSchema) -> None:
    root = _parse(render(documents[S4]))
    root.find(".//a:identification", NS).remove(root.find(".//a:FRBRWork", NS))
    assert not akn_schema.validate(root)


@pytest.mark.parametrize("stem", SOURCES)
def test_output_keeps_the_profile(documents: dict[str, Document], stem: str) -> None:
    assert profile_problems(_parse(render(documents[stem]))) == []


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_akn_golden(documents: dict[str, Document], golden: Any, stem: str) -> None:
    golden.check(f"akn/{stem}.akn.xml", render(documents[stem]))


@pytest.mark.parametrize("stem", SOURCES)
def test_round_trip_gives_the_same_model(documents: dict[str, Document], stem: str) -> None:
    document = documents[stem]
    back = import_akn(render(document))
    assert back == document
    assert render(back) == render(document)


def test_round_trip_notices_lost_metadata(documents: dict[str, Document]) -> None:
    """The comparison is real: drop what only the proprietary block carries, and it differs."""
    root = _parse(render(documents[S3]))
    proprietary = root.find(".//a:proprietary", NS)
    stated = proprietary.findall("u:continuedStated", NS)
    assert stated
    for element in stated:
        proprietary.remove(element)
    back = import_akn(etree.tostring(root))
    assert back != documents[S3]
    friday = back.annexes[0].programme.days[4].slots[0].entries[1]
    assert friday.continued.shown and not friday.continued.explicit


def test_frbr_identification_of_the_fourth_session(documents: dict[str, Document]) -> None:
    root = _parse(render(documents[S4]))
    ident = root.find("a:doc/a:meta/a:identification", NS)

    def value(path: str, attribute: str = "value") -> str:
        return str(ident.find(path, NS).get(attribute))

    assert value("a:FRBRWork/a:FRBRthis") == f"{WORK}/!main"
    assert value("a:FRBRWork/a:FRBRuri") == WORK
    assert value("a:FRBRWork/a:FRBRdate", "date") == "2023-03-04"
    assert value("a:FRBRWork/a:FRBRcountry") == "un"
    assert value("a:FRBRWork/a:FRBRnumber") == "A-AC.292-2023-2"
    assert value("a:FRBRWork/a:FRBRnumber", "showAs") == "A/AC.292/2023/2"
    assert value("a:FRBRExpression/a:FRBRthis") == f"{WORK}/eng@/!main"
    assert value("a:FRBRExpression/a:FRBRuri") == f"{WORK}/eng@"
    assert value("a:FRBRExpression/a:FRBRlanguage", "language") == "eng"
    assert value("a:FRBRManifestation/a:FRBRthis") == f"{WORK}/eng@/!main.xml"
    assert value("a:FRBRManifestation/a:FRBRuri") == f"{WORK}/eng@.akn"
    author = value("a:FRBRWork/a:FRBRauthor", "href")
    assert root.find(f".//a:TLCOrganization[@eId='{author[1:]}']", NS).get("showAs") == "General Assembly"
    annex_this = root.find("a:doc/a:attachments/a:attachment/a:doc/a:meta/a:identification/"
                           "a:FRBRExpression/a:FRBRthis", NS).get("value")
    assert annex_this == f"{WORK}/eng@/!annex_1"
    assert identity(documents[S4]).expression == f"{WORK}/eng@"


def test_masthead_session_and_programme_markup(documents: dict[str, Document]) -> None:
    root = _parse(render(documents[S4]))
    cover = root.find("a:doc/a:coverPage", NS)
    assert cover.findtext(".//a:docNumber", namespaces=NS) == "A/AC.292/2023/2"
    assert cover.find(".//a:docDate", NS).get("date") == "2023-03-04"
    assert "".join(cover.find(".//a:docStatus/..", NS).itertext()) == "Distr.: General"
    assert "".join(cover.find(".//a:inline[@name='originalLanguage']/..", NS).itertext()) == "Original: English"
    session = root.find("a:doc/a:preface//a:session", NS)
    assert (session.get("value"), session.text) == ("4", "Fourth substantive session")
    dates = root.find("a:doc/a:preface//a:location/..", NS)
    assert "".join(dates.itertext()) == "New York, 6–10 March 2023"
    assert [d.get("date") for d in dates.findall("a:date", NS)] == ["2023-03-06", "2023-03-10"]
    days = root.findall(".//a:attachment/a:doc/a:mainBody/a:hcontainer[@name='programme']/a:hcontainer[@name='day']",
                        NS)
    assert len(days) == 5
    slots = root.findall(".//a:hcontainer[@name='slot']", NS)
    assert len(slots) == 10
    assert [t.get("time") for t in slots[1].findall("a:heading/a:time", NS)] == [
        "2023-03-06T15:00:00", "2023-03-06T18:00:00"]
    assert "".join(slots[1].find("a:heading", NS).itertext()) == "3–6 p.m."
    references = [r.get("href") for r in root.iter(f"{{{AKN_NS}}}ref")]
    assert "https://undocs.org/en/A/RES/75/240" in references
    assert "https://undocs.org/en/A/77/275" in references


def test_footnote_is_an_authorial_note_at_its_call(documents: dict[str, Document]) -> None:
    root = _parse(render(documents[S4]))
    notes = root.findall(".//a:authorialNote", NS)
    assert len(notes) == 1
    note = notes[0]
    assert (note.get("marker"), note.get("placement")) == ("1", "bottom")
    block = note.getparent()
    assert (block.get("name"), block.get("refersTo")) == ("agendaItem", "#agendaItem5")
    assert block.getparent().getparent().get("eId") == "att_1__programme_1__day_1__slot_1"
    assert "A/77/275" in "".join(note.itertext())


def test_a_second_call_of_a_footnote_is_a_note_ref(documents: dict[str, Document]) -> None:
    document = documents[S4]
    note = document.footnotes[0]
    paragraph = document.body[0]
    call = FootnoteRef(note.note_id, note.number, paragraph.source)
    called = dataclasses.replace(paragraph, content=(*paragraph.content, call))
    document = dataclasses.replace(document, body=(called, *document.body[1:]))
    root = _parse(render(document))
    assert len(root.findall(".//a:authorialNote", NS)) == 1
    (ref,) = root.findall(".//a:noteRef", NS)
    assert ref.get("href") == "#" + root.find(".//a:authorialNote", NS).get("eId")
    assert import_akn(render(document)) == document


def _break(documents: dict[str, Document], how: Any) -> list[str]:
    root = copy.deepcopy(tree(documents[S4]))
    how(root)
    return profile_problems(root)


def test_profile_catches_a_duplicate_eid(documents: dict[str, Document]) -> None:
    def duplicate(root: etree._Element) -> None:
        blocks = root.findall(".//a:block", NS)
        blocks[1].set("eId", blocks[0].get("eId"))

    problems = _break(documents, duplicate)
    assert any("is used twice" in p for p in problems), problems


def test_profile_catches_a_dangling_reference(documents: dict[str, Document]) -> None:
    def dangle(root: etree._Element) -> None:
        root.find(".//a:block[@name='agendaItem']", NS).set("refersTo", "#agendaItem99")

    problems = _break(documents, dangle)
    assert any("'#agendaItem99'" in p and "names no eId" in p for p in problems), problems


def test_profile_catches_an_frbrthis_mismatch(documents: dict[str, Document]) -> None:
    def mismatch(root: etree._Element) -> None:
        root.find("a:doc/a:meta/a:identification/a:FRBRExpression/a:FRBRthis", NS).set(
            "value", f"{WORK}/fra@/!main")

    problems = _break(documents, mismatch)
    assert any("Expression FRBRthis" in p for p in problems), problems


def test_profile_catches_a_show_as_that_differs_from_the_printed_symbol(documents: dict[str, Document]) -> None:
    def differ(root: etree._Element) -> None:
        root.find(".//a:coverPage//a:docNumber", NS).text = "A/AC.292/2023/3"

    problems = _break(documents, differ)
    assert any("differs from <docNumber>" in p for p in problems), problems


def test_profile_catches_an_eid_against_the_naming_convention(documents: dict[str, Document]) -> None:
    def rename(root: etree._Element) -> None:
        root.find(".//a:hcontainer[@name='slot']", NS).set("eId", "att_1__programme_1__day_1__session_1")

    problems = _break(documents, rename)
    assert any("should be 'att_1__programme_1__day_1__slot_1'" in p for p in problems), problems


def test_profile_catches_an_attachment_of_another_work(documents: dict[str, Document]) -> None:
    def elsewhere(root: etree._Element) -> None:
        uri = root.find(".//a:attachment/a:doc/a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS)
        uri.set("value", uri.get("value").replace("2023-2", "2023-3"))

    problems = _break(documents, elsewhere)
    assert any("is not the main doc's" in p for p in problems), problems


def test_profile_catches_a_metadata_eid_that_is_not_a_plain_name(documents: dict[str, Document]) -> None:
    def rename(root: etree._Element) -> None:
        root.find(".//a:references/*", NS).set("eId", "9lives")

    assert any("metadata eId '9lives'" in p and "is not a plain name" in p for p in _break(documents, rename))


def test_profile_catches_an_eid_that_is_not_made_of_name_number_parts(documents: dict[str, Document]) -> None:
    def rename(root: etree._Element) -> None:
        root.find(".//a:hcontainer[@name='day']", NS).set("eId", "att_1___day_1")

    problems = _break(documents, rename)
    assert any("eId 'att_1___day_1'" in p and "name_number parts" in p for p in problems), problems


def test_profile_checks_each_reference_a_refers_to_holds(documents: dict[str, Document]) -> None:
    refers_to = tree(documents[S4]).find(".//a:block[@name='agendaItem']", NS).get("refersTo")

    value = f"/akn/ontology/elsewhere {refers_to} #nowhere"

    def dangle(root: etree._Element) -> None:
        root.find(".//a:block[@name='agendaItem']", NS).set("refersTo", value)

    assert [p.split(">")[0] for p in _break(documents, dangle)] == [f"<block refersTo={value!r}"]


@pytest.mark.parametrize("attribute", ["href", "source", "as", "placementBase"])
def test_profile_checks_every_local_reference_attribute(documents: dict[str, Document], attribute: str) -> None:
    def dangle(root: etree._Element) -> None:
        root.find(".//a:FRBRManifestation/a:FRBRauthor", NS).set(attribute, "#nobody")

    assert [p.split(">")[0] for p in _break(documents, dangle)] == [f"<FRBRauthor {attribute}='#nobody'"]


def test_profile_ignores_comments_and_names_lines_of_a_parsed_file(documents: dict[str, Document]) -> None:
    data = render(documents[S4])
    root = _parse(data)
    root.find(".//a:mainBody", NS).insert(0, etree.Comment("a note for editors"))
    assert profile_problems(root) == []
    blocks = root.findall(".//a:block", NS)
    blocks[1].set("eId", blocks[0].get("eId"))
    first, second = blocks[0].sourceline, blocks[1].sourceline
    assert first is not None and second is not None and first < second
    twice = f"eId {blocks[0].get('eId')!r} (line {second}) is used twice (first on line {first})"
    assert twice in profile_problems(root)


# ---------------------------------------------------------------- the general tree


def _valid(schema: etree._Element, data: bytes) -> etree._Element:
    root = _parse(data)
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    assert profile_problems(root) == []
    return root


@pytest.mark.parametrize("doc_type", sorted(GENRES))
def test_every_block_in_every_genre_validates_and_reads_back(akn_schema: etree.XMLSchema, doc_type: str) -> None:
    document = dataclasses.replace(every_block_model(), doc_type=doc_type)
    data = render(document)
    root = _valid(akn_schema, data)
    name = genre(doc_type).akn_name
    assert root.find("a:doc", NS).get("name") == name
    work = root.find("a:doc/a:meta/a:identification/a:FRBRWork", NS)
    assert work.find("a:FRBRsubtype", NS).get("value") == name
    assert work.find("a:FRBRuri", NS).get("value").startswith(f"/akn/un/doc/{name}/2022-08-08/A-77-275")
    back = import_akn(data)
    assert back == document
    assert render(back) == data


def test_genres_have_distinct_document_names() -> None:
    names = [genre(name).akn_name for name in GENRES]
    assert len(set(names)) == len(names) and "annex" not in names


def test_sections_are_chapters_and_sections_with_num_and_heading(akn_schema: etree.XMLSchema) -> None:
    root = _valid(akn_schema, render(every_block_model()))
    body = root.find("a:doc/a:mainBody", NS)
    chapters = body.findall("a:chapter", NS)
    assert [(c.get("eId"), c.findtext("a:num", namespaces=NS), c.findtext("a:heading", namespaces=NS))
            for c in chapters] == [("chp_1", "I.", "Introduction"), ("chp_2", "II.", "Organizational matters"),
                                   ("chp_3", "III.", "Recommendations")]
    sections = chapters[1].findall("a:section", NS)
    assert [s.findtext("a:num", namespaces=NS) for s in sections] == ["A.", "B."]
    unnumbered = sections[1].find("a:subsection", NS)
    assert unnumbered.find("a:num", NS) is None
    assert unnumbered.findtext("a:heading", namespaces=NS) == "Documentation"
    paragraphs = [p.findtext("a:num", namespaces=NS) for p in body.iter(f"{{{AKN_NS}}}paragraph")]
    assert paragraphs == [f"{n}." for n in range(1, 8)]
    first = body.find("a:p", NS)
    assert first.text.startswith("The Secretary-General has the honour")
    ids = {e.get("href")[1:]: e.get("id") for e in root.iterfind(".//u:section", NS)}
    assert ids["chp_2__sec_2__subsec_1"] == "sec-2-2-1"
    annex_section = root.find(".//a:attachment/a:doc/a:mainBody/a:chapter", NS)
    assert ids[annex_section.get("eId")] == "annex-1-sec-1"
    assert annex_section.find("a:paragraph/a:num", NS).text == "1."


def test_subparagraphs_are_block_lists_in_their_paragraph(akn_schema: etree.XMLSchema) -> None:
    root = _valid(akn_schema, render(every_block_model()))
    paragraph = root.find(".//a:section[@eId='chp_2__sec_1']/a:paragraph", NS)
    content = paragraph.find("a:content", NS)
    assert [etree.QName(c).localname for c in content] == ["p", "blockList"]
    labels = []
    level = content.find("a:blockList", NS)
    while level is not None:
        assert level.get("class") == "lettered"
        labels.append([i.findtext("a:num", namespaces=NS) for i in level.findall("a:item", NS)])
        level = level.find("a:item/a:blockList", NS)
    assert labels == [["(a)", "(b)"], ["(i)", "(ii)"], ["a.", "b."], ["i.", "ii."]]
    bullets = root.find(".//a:blockList[@class='bullets']", NS)
    assert [i.findtext("a:num", namespaces=NS) for i in bullets.findall("a:item", NS)] == ["–", "–"]


def test_table_is_a_titled_block_with_its_lettered_notes(akn_schema: etree.XMLSchema) -> None:
    root = _valid(akn_schema, render(every_block_model()))
    block = root.find(".//a:tblock", NS)
    table = block.find("a:table", NS)
    assert table.findtext("a:caption", namespaces=NS) == "Documents before the working group"
    rows = table.findall("a:tr", NS)
    assert [etree.QName(c).localname for c in rows[0]] == ["th", "th"]
    assert rows[3].find("a:td", NS).get("colspan") == "2"
    assert rows[3].find("a:td/a:p/a:br", NS) is not None
    notes = block.findall("a:blockList[@class='tableNotes']/a:item", NS)
    assert [n.findtext("a:num", namespaces=NS) for n in notes] == ["a", "b"]
    call = rows[1].find(".//a:noteRef", NS)
    assert (call.get("marker"), call.get("href")) == ("a", "#" + notes[0].get("eId"))
    shape = root.find(".//u:table", NS)
    assert (shape.get("href"), shape.get("widths"), shape.get("headRows")) == (
        "#" + table.get("eId"), "30 70", "1")


def test_letter_parts_signature_correction_agenda_and_quote(akn_schema: etree.XMLSchema) -> None:
    root = _valid(akn_schema, render(every_block_model()))
    body = root.find("a:doc/a:mainBody", NS)
    assert [b.get("name") for b in body.findall("a:block", NS)] == [
        "addressee", "salutation", "closing", "signature", "correction"]
    signature = body.find("a:block[@name='signature']/a:signature", NS)
    assert signature.findtext("a:inline[@name='signed']", namespaces=NS) == "(Signed)"
    person = signature.find("a:person", NS)
    assert person.text == "Burhan Gafoor"
    assert root.find(f".//a:TLCPerson[@eId='{person.get('refersTo')[1:]}']", NS).get("showAs") == "Burhan Gafoor"
    assert signature.findtext("a:role", namespaces=NS) == "Chair of the working group"
    correction = body.find("a:block[@name='correction']", NS)
    assert correction.findtext("a:del", namespaces=NS) == "25 to 29 June 2022"
    assert correction.findtext("a:ins", namespaces=NS) == "25 to 29 July 2022"
    assert "".join(correction.itertext()).startswith("Paragraph 5, second sentence For 25 to 29 June 2022 read")
    agenda = body.find("a:blockList[@class='agenda']", NS)
    assert [(i.findtext("a:num", namespaces=NS), i.get("refersTo")) for i in agenda.findall("a:item", NS)] == [
        ("3.", "#agendaItem3"), ("4.", "#agendaItem4"), ("5.", "#agendaItem5")]
    quote = root.find(".//a:paragraph[@eId='chp_3__para_1']/a:content/a:p/a:embeddedStructure", NS)
    assert quote.findtext("a:p", namespaces=NS).startswith("“States should not")
    inline = root.find(".//a:paragraph[@eId='chp_3__para_2']/a:content/a:p", NS)
    assert inline.find("a:span", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert inline.findtext("a:sup", namespaces=NS) == "st"
    assert root.find(".//a:paragraph[@eId='chp_3__para_1']/a:content/a:p/a:b", NS) is not None


def test_contents_is_a_toc_pointing_at_sections_and_annexes(akn_schema: etree.XMLSchema) -> None:
    root = _valid(akn_schema, render(every_block_model()))
    items = root.findall(".//a:toc/a:tocItem", NS)
    assert [(i.get("href"), i.get("level")) for i in items] == [
        ("#chp_1", "1"), ("#chp_2", "1"), ("#chp_2__sec_1", "2"), ("#chp_2__sec_2", "2"), ("#chp_3", "1"),
        ("#att_1", "-1")]
    assert "".join(items[2].itertext()) == "A. Opening and duration of the session"
    assert "".join(items[-1].itertext()) == "Annex Chair’s summary"


def test_marked_footnote_is_an_authorial_note_of_the_front_matter(akn_schema: etree.XMLSchema) -> None:
    root = _valid(akn_schema, render(every_block_model()))
    line = root.find("a:doc/a:preface/a:p/a:inline[@name='agendaLine']", NS)
    note = line.find("a:authorialNote", NS)
    assert (note.get("marker"), note.findtext("a:p", namespaces=NS)) == ("*", "A/77/150.")
    assert root.findtext("a:doc/a:preface/a:p/a:inline[@name='gaSession']", namespaces=NS) == "Seventy-seventh session"
    markers = [n.get("marker") for n in root.iter(f"{{{AKN_NS}}}authorialNote")]
    assert markers == ["*", "1", "2"]


def test_blocks_around_subdivisions_and_every_level_read_back(akn_schema: etree.XMLSchema) -> None:
    """Blocks before, between and after subdivisions of a section; parts and the deepest levels."""
    document = every_level_model()
    data = render(document)
    root = _valid(akn_schema, data)
    element = root.find(".//a:part/a:chapter/a:section/a:subsection", NS)
    assert [etree.QName(c).localname + (f"[{c.get('name')}]" if c.get("name") else "") for c in element] == [
        "num", "heading", "intro", "hcontainer[level4]", "hcontainer[blocks]", "hcontainer[level4]", "wrapUp"]
    assert element.find("a:intro/a:tblock", NS) is not None
    assert element.find("a:hcontainer[@name='level4']/a:hcontainer[@name='level5']/"
                        "a:hcontainer[@name='level6']/a:paragraph", NS) is not None
    assert element.findtext("a:wrapUp/a:p", namespaces=NS) == "Closing words."
    only = root.find(".//a:part/a:chapter/a:section/a:subsection[2]", NS)
    assert [etree.QName(c).localname for c in only] == ["heading", "content"]
    back = import_akn(data)
    assert back == document
    assert back.body[-1].blocks[0].blocks[0].blocks[0].blocks[2].items[0].sublist.degree == 1


def _break_tree(how: Any) -> list[str]:
    root = copy.deepcopy(tree(every_block_model()))
    assert profile_problems(root) == []
    how(root)
    return profile_problems(root)


def test_profile_catches_a_note_call_whose_marker_is_not_its_notes() -> None:
    def remark(root: etree._Element) -> None:
        root.find(".//a:table//a:noteRef", NS).set("marker", "b")

    problems = _break_tree(remark)
    assert any("has the marker 'b', its note 'a'" in p for p in problems), problems


def test_profile_catches_a_note_call_that_names_no_note() -> None:
    def misdirect(root: etree._Element) -> None:
        root.find(".//a:table//a:noteRef", NS).set("href", "#chp_1")

    problems = _break_tree(misdirect)
    assert any("names a <chapter>, not a note" in p for p in problems), problems


def test_profile_catches_a_contents_line_that_names_no_subdivision() -> None:
    def misdirect(root: etree._Element) -> None:
        root.find(".//a:tocItem", NS).set("href", "#toc_1")

    problems = _break_tree(misdirect)
    assert any("<tocItem href='#toc_1'>" in p and "not a subdivision or an attachment" in p for p in problems), problems


@pytest.mark.parametrize(("kind", "wrong"), [("footnote", "#chp_1"), ("section", "#toc_1"),
                                             ("table", "#chp_1"), ("tableNote", "#chp_1")])
def test_profile_catches_metadata_about_the_wrong_element(kind: str, wrong: str) -> None:
    def misdirect(root: etree._Element) -> None:
        root.find(f".//u:{kind}", NS).set("href", wrong)

    problems = _break_tree(misdirect)
    assert any(p.startswith(f"<{kind} href={wrong!r}>") and "names a <" in p for p in problems), problems


def test_reader_takes_widths_and_header_rows_from_the_metadata() -> None:
    """The table's shape is read, not assumed: change it in the metadata and the model follows."""
    root = tree(every_block_model())
    root.find(".//u:table", NS).set("headRows", "2")
    back = import_akn(etree.tostring(root))
    table = back.body[3].blocks[1].blocks[2].blocks[1]
    assert isinstance(table, Table)
    assert len(table.head) == 2 and len(table.body) == 2
    assert back != every_block_model()


def test_front_matter_without_job_number_and_empty_parts_read_back(akn_schema: etree.XMLSchema) -> None:
    """A reissued conference room paper without a job number; an empty contents list and annex."""
    document = every_block_model()
    document = dataclasses.replace(
        document, doc_type="conference-room-paper",
        masthead=dataclasses.replace(document.masthead, job_number="", job_number_is_placeholder=False),
        front=dataclasses.replace(document.front, reissued=dt.date(2022, 8, 10)),
        body=(Contents((), document.source),),
        annexes=(dataclasses.replace(document.annexes[0], blocks=()),),
        footnotes=document.footnotes[:1])
    document = dataclasses.replace(document, front=dataclasses.replace(
        document.front, agenda_lines=document.front.agenda_lines[:1]))
    data = render(document)
    root = _valid(akn_schema, data)
    assert root.find(".//a:FRBRalias", NS) is None
    assert root.find(".//a:inline[@name='jobNumber']", NS) is None
    assert root.findtext("a:doc/a:coverPage/a:p/a:docType", namespaces=NS) == "Conference room paper"
    reissued = root.find("a:doc/a:preface/a:p/a:inline[@name='reissued']", NS)
    assert "".join(reissued.itertext()) == "Reissued for technical reasons on 10 August 2022."
    assert reissued.find("a:date", NS).get("date") == "2022-08-10"
    assert import_akn(data) == document


def test_genre_label_under_the_title() -> None:
    document = dataclasses.replace(every_block_model(), doc_type="corrigendum")
    root = _parse(render(document))
    assert root.findtext("a:doc/a:preface/a:p/a:docType", namespaces=NS) == "Corrigendum"


def test_reader_refuses_a_block_it_did_not_write() -> None:
    root = tree(every_block_model())
    body = root.find("a:doc/a:mainBody", NS)
    body.insert(2, etree.Element(f"{{{AKN_NS}}}blockContainer"))
    with pytest.raises(ImportProblem, match="unexpected <blockContainer>"):
        import_akn(etree.tostring(root))

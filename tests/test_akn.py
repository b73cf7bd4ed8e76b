"""Tests for the Akoma Ntoso export: OASIS schema, profile, round trip, goldens."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from lxml import etree

from pipeline.formats.akn.names import AKN_NS, PIPELINE_NS
from pipeline.formats.akn.profile import profile_problems
from pipeline.formats.akn.reader import import_akn
from pipeline.formats.akn.render import identity, render, tree
from pipeline.model.tree import Document, FootnoteRef
from pipeline.resources import schemas_dir

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


@pytest.mark.parametrize("stem", [S3, S4])
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


@pytest.mark.parametrize("stem", [S3, S4])
def test_output_keeps_the_profile(documents: dict[str, Document], stem: str) -> None:
    assert profile_problems(_parse(render(documents[stem]))) == []


@pytest.mark.parametrize("stem", [S3, S4])
def test_akn_golden(documents: dict[str, Document], golden: Any, stem: str) -> None:
    golden.check(f"akn/{stem}.akn.xml", render(documents[stem]))


@pytest.mark.parametrize("stem", [S3, S4])
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
    days = root.findall(".//a:attachment/a:doc/a:mainBody/a:hcontainer[@name='day']", NS)
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
    assert block.getparent().getparent().get("eId") == "att_1__day_1__slot_1"
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
        root.find(".//a:hcontainer[@name='slot']", NS).set("eId", "att_1__day_1__session_1")

    problems = _break(documents, rename)
    assert any("should be 'att_1__day_1__slot_1'" in p for p in problems), problems


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

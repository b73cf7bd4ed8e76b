"""Tests for the JSON export and its published JSON Schema."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from pipeline.build.engine import build
from pipeline.formats import format_names, renderer
from pipeline.formats.json import (
    SCHEMA_FILE,
    SCHEMA_ID,
    SchemaMismatch,
    render,
    schema,
    schema_errors,
    to_data,
)
from pipeline.model.tree import Document
from tests.conftest import ALL_STEMS, source_paths
from tests.tree import every_block_model, every_level_model

S3 = "oewg-ict-s3-programme-of-work"
S4 = "oewg-ict-s4-programme-of-work"


def test_schema_is_valid_against_the_draft_2020_12_metaschema() -> None:
    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(raw)
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert raw["$id"] == SCHEMA_ID
    assert raw["title"] and raw["description"]


def test_schema_documents_every_definition_and_property() -> None:
    raw = schema()
    missing = [f"#/$defs/{name}" for name, d in raw["$defs"].items() if "description" not in d]
    objects = [("#", raw)] + [(f"#/$defs/{name}", d) for name, d in raw["$defs"].items()]
    for path, obj in objects:
        for name, prop in obj.get("properties", {}).items():
            if not {"description", "$ref", "const"} & prop.keys():
                missing.append(f"{path}/properties/{name}")
    assert not missing, f"undocumented parts of the schema: {missing}"


@pytest.mark.parametrize("stem", [p.stem for p in source_paths()])
def test_every_output_validates(documents: dict[str, Document], stem: str) -> None:
    data = json.loads(render(documents[stem]))
    Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["$schema"] == SCHEMA_ID
    assert data["schemaVersion"] == "2.0"


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_json_golden(documents: dict[str, Document], golden: Any, stem: str) -> None:
    golden.check(f"json/{stem}.json", render(documents[stem]))


@pytest.mark.parametrize("stem", [S3, S4])
def test_output_is_deterministic_utf8_with_final_newline(documents: dict[str, Document], stem: str) -> None:
    first, second = render(documents[stem]), render(documents[stem])
    assert first == second
    text = first.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "\\u" not in text, "non-ASCII must be written as UTF-8, not escaped"
    assert "2021–2025" in text
    assert list(json.loads(text))[:4] == ["$schema", "schemaVersion", "documentType", "url"]


BREAKAGES = [
    ("missing symbol", lambda d: d["masthead"].pop("symbol"), "'symbol' is a required property"),
    ("unknown key", lambda d: d.update(extra=1), "Additional properties"),
    ("impossible date", lambda d: d["masthead"].update(issued="2023-02-30"), "is not a 'date'"),
    ("bad time", lambda d: d["annexes"][0]["blocks"][0]["days"][0]["slots"][0].update(start="25:00"),
     "does not match"),
    ("continued as text", lambda d: d["annexes"][0]["blocks"][0]["days"][0]["slots"][0]["entries"][0]
     ["continued"].update(shown="yes"), "is not of type 'boolean'"),
    ("numbered footnote numbered 0", lambda d: d["footnotes"][0].update(number=0), "less than the minimum of 1"),
    ("marked footnote with a number", lambda d: d["footnotes"][0].update(mark="*", call="*"), "0 was expected"),
    ("unknown block type", lambda d: d["body"].append({"type": "aside"}), "'aside' is not one of"),
    ("paragraph number as text", lambda d: d["body"][0].update(number="1"), "is not of type 'integer', 'null'"),
    ("unknown inline type", lambda d: d["title"].append({"type": "bold", "text": "x"}), "'bold' is not one of"),
    ("wrong schema version", lambda d: d.update(schemaVersion="1.0"), "'2.0' was expected"),
]


@pytest.mark.parametrize(("name", "breaks", "message"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_a_broken_instance_fails_validation(documents: dict[str, Document], name: str,
                                            breaks: Any, message: str) -> None:
    data = copy.deepcopy(to_data(documents[S4]))
    assert schema_errors(data) == []
    breaks(data)
    problems = schema_errors(data)
    assert problems, name
    assert any(message in p for p in problems), problems


def test_a_model_that_breaks_the_schema_is_a_render_error(documents: dict[str, Document]) -> None:
    document = documents[S4]
    document = dataclasses.replace(document, session=dataclasses.replace(document.session, ordinal=0))
    with pytest.raises(SchemaMismatch, match=r"\$\.session\.ordinal: 0 is less than the minimum of 1"):
        render(document)


def test_programme_content_of_the_fourth_session(documents: dict[str, Document]) -> None:
    data = json.loads(render(documents[S4]))
    days = data["annexes"][0]["blocks"][0]["days"]
    assert [d["date"] for d in days] == [f"2023-03-{n:02d}" for n in range(6, 11)]
    assert days[0]["heading"] == "Monday, 6 March"
    slots = [s for d in days for s in d["slots"]]
    assert len(slots) == 10
    assert (slots[0]["start"], slots[0]["end"], slots[0]["time"]) == ("10:00", "13:00", "10 a.m.–1 p.m.")
    assert slots[1]["time"] == "3–6 p.m."
    monday = slots[0]["entries"]
    assert [e["kind"] for e in monday] == ["segment", "segment", "list", "agenda-item", "agenda-item", "topic"]
    item5 = monday[4]
    assert item5["number"] == "5" and item5["label"] == "Agenda item 5: "
    assert item5["notes"] == [{"type": "footnote-ref", "id": "note-item-5", "number": 1, "mark": "", "call": "1"}]
    assert {"type": "docref", "symbol": "A/RES/75/240", "text": "75/240",
            "href": "https://undocs.org/en/A/RES/75/240"} in item5["wording"]
    assert item5["printed"].endswith("75/240¹")
    assert monday[5]["letter"] == "d" and monday[5]["label"] == "(d)"
    assert slots[1]["entries"][0]["continued"] == {"shown": True, "explicit": False}
    assert data["footnotes"][0]["id"] == "note-item-5"
    assert data["masthead"]["symbolIsPlaceholder"] is True
    assert data["session"]["placeAndDates"] == "New York, 6–10 March 2023"


def test_continued_and_minutes_of_the_third_session(documents: dict[str, Document]) -> None:
    data = json.loads(render(documents[S3]))
    days = data["annexes"][0]["blocks"][0]["days"]
    friday_line = days[4]["slots"][0]["entries"][1]
    assert friday_line["kind"] == "line"
    assert friday_line["continued"] == {"shown": True, "explicit": True}
    thursday_topics = days[3]["slots"][0]["entries"][2]["items"]
    assert [t["continued"] for t in thursday_topics] == [{"shown": False, "explicit": True}] * 2
    assert [t["label"] for t in thursday_topics] == ["", ""]
    capacity = days[2]["slots"][0]["entries"][2]["items"]
    assert [i["minutes"] for i in capacity] == [30, 90, 60]
    assert capacity[0]["duration"] == "(30 minutes)"


def test_registered_after_the_other_formats() -> None:
    names = format_names()
    assert names.index("json") < names.index("akn") < names.index("ics")
    assert names.index("txt") < names.index("json")
    assert renderer("json").suffix == ".json"


def test_build_writes_the_open_data_exports(tmp_path: Path) -> None:
    report = build(source_paths(), tmp_path, ["json", "akn", "ics"])
    assert not report.failed, report.diagnostics
    written = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted(f"{p.stem}{suffix}" for p in source_paths() for suffix in (".json", ".akn.xml"))
    calendars = sorted(f"{p.stem}.ics" for p in source_paths() if "<programme>" in p.read_text(encoding="utf-8"))
    assert calendars, "the programmes of work have calendars"
    assert written == sorted([*expected, *calendars])  # no empty calendar for a document without a programme


@pytest.fixture(scope="module")
def every_block() -> Document:
    """The model of the fixture that holds every block and inline element of the tree."""
    return every_block_model()


def _walk(value: Any) -> Any:
    """Every object in ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_every_block_validates_and_holds_every_type(every_block: Document, documents: dict[str, Document]) -> None:
    data = json.loads(render(every_block))
    Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    outputs = [data, *(json.loads(render(d)) for d in documents.values())]
    declared = schema()["$defs"]["block"]["properties"]["type"]["enum"]
    blocks = [block for out in outputs for block in out["body"]]
    blocks += [block for out in outputs for obj in _walk(out) for block in obj.get("blocks", [])]
    block_types = {block["type"] for block in blocks}
    assert sorted(block_types) == sorted(declared)
    run_types = {obj["type"] for out in outputs for obj in _walk(out) if "type" in obj and obj["type"] not in declared}
    assert sorted(run_types) == sorted(schema()["$defs"]["inline"]["properties"]["type"]["enum"])


def test_every_block_body(every_block: Document) -> None:
    data = json.loads(render(every_block))
    assert data["documentType"] == "report"
    assert data["genre"] == {"masthead": "standard", "jobFooter": True, "numberedParagraphs": True, "label": ""}
    assert data["front"]["gaSession"] == [{"type": "text", "text": "Seventy-seventh session"}]
    star = data["front"]["agendaLines"][0][-1]
    assert star == {"type": "footnote-ref", "id": "star", "number": 0, "mark": "*", "call": "*"}
    body = data["body"]
    assert [b["type"] for b in body] == ["paragraph", "contents", "section", "section", "section", "letter-part",
                                         "letter-part", "letter-part", "signature", "correction", "agenda-list"]
    assert body[0]["number"] is None
    intro, matters, recommendations = body[2:5]
    assert (intro["id"], intro["level"], intro["number"], intro["label"]) == ("sec-1", 1, 1, "I.")
    assert [p["number"] for p in intro["blocks"]] == [1, 2]
    decision = next(r for r in intro["blocks"][0]["content"] if r.get("text") == "76/552")
    assert decision["href"] == "https://undocs.org/en/A/DEC/76/552"
    opening, attendance = matters["blocks"]
    assert (opening["level"], opening["label"], opening["id"]) == (2, "A.", "sec-2-1")
    subparagraphs = opening["blocks"][1]
    labels = []
    level = subparagraphs
    while level is not None:
        labels.append([i["label"] for i in level["items"]])
        level = next((i["sublist"] for i in level["items"] if i["sublist"]), None)
    assert labels == [["(a)", "(b)"], ["(i)", "(ii)"], ["a.", "b."], ["i.", "ii."]]
    bullets = attendance["blocks"][1]
    assert (bullets["style"], [i["label"] for i in bullets["items"]]) == ("bullets", ["–", "–"])
    documentation = attendance["blocks"][2]
    assert (documentation["number"], documentation["label"], documentation["level"]) == (None, "", 3)
    table = documentation["blocks"][1]
    assert table["widths"] == [30, 70] and table["columns"] == 2
    assert [c["header"] for c in table["head"][0]] == [True, True]
    assert table["body"][2][0]["colspan"] == 2
    assert {"type": "line-break"} in table["body"][2][0]["content"]
    assert table["body"][0][1]["content"][-1] == {"type": "table-note-ref", "id": "ta", "letter": "a"}
    assert [(n["id"], n["letter"]) for n in table["notes"]] == [("ta", "a"), ("tb", "b")]
    strong, quote, foreign = recommendations["blocks"]
    assert strong["content"][0]["type"] == "strong"
    assert quote["type"] == "quote" and quote["blocks"][0]["number"] is None
    assert strong["number"] == 6 and foreign["number"] == 7
    span = next(r for r in foreign["content"] if r["type"] == "foreign")
    assert span["lang"] == "fr" and span["content"][0]["type"] == "emphasis"
    assert {"type": "superscript", "content": [{"type": "text", "text": "st"}]} in foreign["content"]
    assert [b["role"] for b in body[5:8]] == ["addressee", "salutation", "closing"]
    assert body[8]["signedLine"] == "(Signed)" and len(body[8]["functions"]) == 1
    assert body[9]["for"] == [{"type": "text", "text": "25 to 29 June 2022"}]
    assert [(i["number"], i["label"]) for i in body[10]["items"]] == [("3", "3."), ("4", "4."), ("5", "5.")]
    assert data["annexes"][0]["blocks"][0]["id"] == "annex-1-sec-1"
    assert data["annexes"][0]["blocks"][0]["blocks"][0]["number"] == 1


def test_contents_entries_name_sections_and_annexes_of_the_document(every_block: Document) -> None:
    data = json.loads(render(every_block))
    ids = {o["id"] for o in _walk(data) if o.get("type") == "section"} | {a["id"] for a in data["annexes"]}
    entries = data["body"][1]["entries"]
    assert entries and {e["target"] for e in entries} <= ids
    assert [(e["label"], e["level"]) for e in entries][:3] == [("I.", 1), ("II.", 1), ("A.", 2)]
    assert (entries[-1]["label"], entries[-1]["level"], entries[-1]["target"]) == ("Annex", -1, "annex-1")


def test_parts_and_the_deepest_headings_are_labelled_by_level() -> None:
    data = json.loads(render(every_level_model()))
    part = data["body"][-1]
    assert (part["type"], part["level"], part["label"]) == ("section", 0, "Part one")
    chapter = part["blocks"][0]
    section = chapter["blocks"][0]
    mixed = section["blocks"][0]
    assert [(s["level"], s["label"]) for s in (chapter, section, mixed)] == [(1, "I."), (2, "A."), (3, "1.")]
    deep = mixed["blocks"][1]
    deeper = deep["blocks"][0]
    deepest = deeper["blocks"][0]
    assert [(s["level"], s["label"]) for s in (deep, deeper, deepest)] == [(4, "(a)"), (5, "(i)"), (6, "")]
    bullets = mixed["blocks"][2]
    assert (bullets["style"], bullets["items"][0]["sublist"]["degree"]) == ("bullets", 1)
    assert bullets["items"][0]["sublist"]["items"][0]["label"] == "(a)"
    assert [b["type"] for b in mixed["blocks"]] == ["table", "section", "list", "section", "paragraph"]


def test_the_schema_names_every_genre() -> None:
    from pipeline.genres import GENRES

    assert schema()["properties"]["documentType"]["enum"] == list(GENRES)

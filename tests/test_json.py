"""Tests for the JSON export and its published JSON Schema."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from pipeline.build.engine import build
from pipeline.formats import format_names, renderer
from pipeline.formats.json import (
    SCHEMA_FILE,
    SCHEMA_ID,
    SchemaMismatch,
    dumps,
    render,
    schema,
    schema_errors,
    to_data,
)
from pipeline.model.tree import Document
from tests.conftest import source_paths

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


@pytest.mark.parametrize("stem", [S3, S4])
def test_every_output_validates(documents: dict[str, Document], stem: str) -> None:
    data = json.loads(render(documents[stem]))
    Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["$schema"] == SCHEMA_ID
    assert data["schemaVersion"] == "1.0"


@pytest.mark.parametrize("stem", [S3, S4])
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


def _library_dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.mark.parametrize("stem", [S3, S4])
def test_dumps_writes_what_json_dumps_writes(documents: dict[str, Document], stem: str) -> None:
    data = to_data(documents[stem])
    assert dumps(data) == _library_dumps(data)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]))
"""Any text that is UTF-8, control characters, quotes, backslashes and line separators included."""

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT | st.floats(),
    lambda inner: (st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(TEXT, inner, max_size=4)
                   | st.dictionaries(st.integers() | st.none() | st.booleans(), inner, min_size=1, max_size=2)),
    max_leaves=40,
)
"""Values json.dumps writes: the kinds the export holds, and floats and keys that are not text."""


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
@example({"minutes": float("nan"), "between": [float("-inf"), 0.1, float("inf")]})
@example({"kinds": [{2: "two", None: "none", True: "yes"}]})
def test_dumps_writes_what_json_dumps_writes_for_any_value(value: Any) -> None:
    assert dumps(value) == _library_dumps(value)


BREAKAGES = [
    ("missing symbol", lambda d: d["masthead"].pop("symbol"), "'symbol' is a required property"),
    ("unknown key", lambda d: d.update(extra=1), "Additional properties"),
    ("impossible date", lambda d: d["masthead"].update(issued="2023-02-30"), "is not a 'date'"),
    ("bad time", lambda d: d["annexes"][0]["programme"]["days"][0]["slots"][0].update(start="25:00"),
     "does not match"),
    ("continued as text", lambda d: d["annexes"][0]["programme"]["days"][0]["slots"][0]["entries"][0]
     ["continued"].update(shown="yes"), "is not of type 'boolean'"),
    ("unknown inline type", lambda d: d["title"].append({"type": "bold", "text": "x"}), "'bold' is not one of"),
    ("wrong schema version", lambda d: d.update(schemaVersion="2.0"), "'1.0' was expected"),
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
    document = dataclasses.replace(documents[S4], doc_type="memorandum")
    with pytest.raises(SchemaMismatch, match=r"\$\.documentType: 'memorandum' is not one of"):
        render(document)


def test_programme_content_of_the_fourth_session(documents: dict[str, Document]) -> None:
    data = json.loads(render(documents[S4]))
    days = data["annexes"][0]["programme"]["days"]
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
    assert item5["notes"] == [{"type": "footnote-ref", "id": "note-item-5", "number": 1}]
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
    days = data["annexes"][0]["programme"]["days"]
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
    expected = sorted(f"{p.stem}{suffix}" for p in source_paths() for suffix in (".json", ".akn.xml", ".ics"))
    assert written == expected

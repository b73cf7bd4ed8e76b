"""Tests for the iCalendar export, read back with the icalendar library."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from pipeline.formats.ics import description, render
from pipeline.formats.text import render_text
from pipeline.i18n import wording_for
from pipeline.model.tree import (
    Continuation,
    Document,
    Footnote,
    FootnoteRef,
    ProgrammeLine,
    Slot,
    Source,
    Strong,
    Superscript,
    Text,
)
from pipeline.project.venues import BUILT_IN

S3 = "oewg-ict-s3-programme-of-work"
S4 = "oewg-ict-s4-programme-of-work"
NEW_YORK = ZoneInfo("America/New_York")


def _events(document: Document) -> list[Event]:
    return list(Calendar.from_ical(render(document)).walk("VEVENT"))


def test_fourth_session_has_ten_meetings_monday_to_friday_in_new_york(documents: dict[str, Document]) -> None:
    events = _events(documents[S4])
    assert len(events) == 10
    first, last = events[0], events[-1]
    assert first.decoded("dtstart") == dt.datetime(2023, 3, 6, 10, 0, tzinfo=NEW_YORK)
    assert last.decoded("dtend") == dt.datetime(2023, 3, 10, 18, 0, tzinfo=NEW_YORK)
    assert first.decoded("dtstart").utcoffset() == dt.timedelta(hours=-5)
    for event in events:
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        assert event["DTEND"].params["TZID"] == "America/New_York"
        assert str(event["LOCATION"]) == "New York"
    starts = [e.decoded("dtstart") for e in events]
    assert starts == sorted(starts)
    assert [s.hour for s in starts] == [10, 15] * 5


def test_summer_session_is_in_daylight_saving_time(documents: dict[str, Document]) -> None:
    events = _events(documents[S3])
    assert len(events) == 10
    start = events[0].decoded("dtstart")
    assert start == dt.datetime(2022, 7, 25, 10, 0, tzinfo=NEW_YORK)
    assert start.utcoffset() == dt.timedelta(hours=-4)


@pytest.mark.parametrize("stem", [S3, S4])
def test_uids_are_unique_and_stable(documents: dict[str, Document], stem: str) -> None:
    uids = [str(e["UID"]) for e in _events(documents[stem])]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["UID"]) for e in _events(documents[stem])]


def test_uid_is_derived_from_symbol_and_slot(documents: dict[str, Document]) -> None:
    uids = [str(e["UID"]) for e in _events(documents[S4])]
    assert uids[0] == "A-AC.292-2023-2-20230306T1000@undocs.org"
    assert uids[-1] == "A-AC.292-2023-2-20230310T1500@undocs.org"


@pytest.mark.parametrize("stem", [S3, S4])
def test_bytes_are_deterministic_crlf_and_folded(documents: dict[str, Document], stem: str) -> None:
    data = render(documents[stem])
    assert data == render(documents[stem])
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n"), "every line ends with CRLF"
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    assert b"DTSTAMP:" in data and b"VTIMEZONE" in data


def test_dtstamp_is_the_issue_date(documents: dict[str, Document]) -> None:
    for event in _events(documents[S4]):
        assert event.decoded("dtstamp") == dt.datetime(2023, 3, 4, 0, 0, tzinfo=dt.UTC)


def test_timezone_is_generated_for_the_years_of_the_programme(documents: dict[str, Document]) -> None:
    calendar = Calendar.from_ical(render(documents[S4]))
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "America/New_York"
    transitions = sorted(str(c["DTSTART"].to_ical().decode()) for c in timezone.walk() if c.name in
                         ("STANDARD", "DAYLIGHT"))
    assert transitions[0].startswith("2023") and transitions[-1].startswith("2023")


def test_summary_and_description_print_as_the_text_rendering(documents: dict[str, Document]) -> None:
    document = documents[S4]
    text = render_text(document)
    events = _events(document)
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[0] == "Opening of the session"
    assert summaries[1] == ("Agenda item 5: discussions on substantive issues contained in paragraph 1 of "
                            f"General Assembly resolution 75/240 ({wording_for('en').continued})")
    assert summaries[7] == "Informal, dedicated stakeholder segment"
    assert summaries[9] == "Agenda item 6: other matters"
    for event in events:
        for line in str(event["DESCRIPTION"]).split("\n"):
            if line != "__________":
                assert line in text, line
    monday = str(events[0]["DESCRIPTION"])
    assert "75/240¹" in monday
    assert monday.endswith("__________\n¹ States are strongly encouraged to use their interventions under each "
                           "sub-item under agenda item 5, “Discussions on substantive issues contained in "
                           "paragraph 1 of General Assembly resolution 75/240”, to focus on the specific topics "
                           "and discussion points identified for follow-up in the working group’s first annual "
                           "progress report, as contained in document A/77/275.")
    assert "– Under-Secretary-General and High Representative for Disarmament Affairs" in monday


def test_calendar_names_the_body_and_the_session(documents: dict[str, Document]) -> None:
    calendar = Calendar.from_ical(render(documents[S4]))
    assert str(calendar["NAME"]).startswith("Open-ended working group")
    assert str(calendar["DESCRIPTION"]) == "Fourth substantive session\nNew York, 6–10 March 2023"
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_a_place_without_a_known_time_zone_is_an_error(documents: dict[str, Document]) -> None:
    document = documents[S4]
    elsewhere = dataclasses.replace(document, session=dataclasses.replace(document.session, place="Atlantis",
                                                                          venue=None))
    with pytest.raises(KeyError, match="no venue is known for the place 'Atlantis'"):
        render(elsewhere)


VERSIONS = [f"{S4}.{language}" for language in ("fr", "es", "ru", "ar", "zh")]
"""The language versions of the fourth session's programme."""


@pytest.mark.parametrize("stem", [S3, S4, *VERSIONS])
def test_ics_golden(documents: dict[str, Document], golden: Any, stem: str) -> None:
    golden.check(f"ics/{stem}.ics", render(documents[stem]))


# ---------------------------------------------------------------- text and zones, read back


def _text(value: object) -> str:
    """A TEXT value as RFC 5545 3.3.11 reads it: the library reads NAME as unknown, left escaped."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(value))


def test_long_text_with_escapes_and_wide_characters_reads_back(documents: dict[str, Document]) -> None:
    document = documents[S4]
    source = Source("test", 1)
    wide = "Groupe de travail à composition non limitée; « sécurité », 安全, 🔒 \\ ^ " + "éü–字🔒\\^;," * 40
    note = dataclasses.replace(document.footnotes[0], content=(Text(wide + " " + wide, source),))
    changed = dataclasses.replace(
        document, footnotes=(note, *document.footnotes[1:]),
        session=dataclasses.replace(document.session, body_name=(Text(wide, source),)))
    data = render(changed)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")
    parsed = Calendar.from_ical(data)
    assert _text(parsed["NAME"]) == _text(parsed["X-WR-CALNAME"]) == wide
    assert str(parsed.walk("VEVENT")[0]["DESCRIPTION"]).endswith(f"{wide} {wide}")


def test_a_line_break_in_the_calendar_name_is_escaped(documents: dict[str, Document]) -> None:
    document = documents[S4]
    broken = dataclasses.replace(document, session=dataclasses.replace(
        document.session, body_name=(Text("Working group\non security", Source("test", 1)),)))
    data = render(broken)
    assert b"NAME:Working group\\non security\r\n" in data
    assert _text(Calendar.from_ical(data)["NAME"]) == "Working group\non security"


@pytest.mark.parametrize("stem", [S3, S4])
@pytest.mark.parametrize("place", sorted(BUILT_IN))
def test_the_time_zone_component_gives_the_offsets_of_the_venue(documents: dict[str, Document], place: str,
                                                                stem: str) -> None:
    """Read through its VTIMEZONE alone, each meeting starts at the offset its venue's zone has then."""
    document = documents[stem]
    venue = BUILT_IN[place]
    there = dataclasses.replace(document, session=dataclasses.replace(document.session, place=place, venue=venue))
    parsed = Calendar.from_ical(render(there))
    (timezone,) = parsed.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == venue.time_zone
    described, zone = timezone.to_tz(), ZoneInfo(venue.time_zone)
    for event in parsed.walk("VEVENT"):
        local = event.decoded("dtstart").replace(tzinfo=None)
        assert local.replace(tzinfo=described).utcoffset() == local.replace(tzinfo=zone).utcoffset(), local


def test_the_language_versions_of_a_programme_have_ids_of_their_own(documents: dict[str, Document]) -> None:
    ids = {stem: {str(e["UID"]) for e in Calendar.from_ical(render(documents[stem])).walk("VEVENT")}
           for stem in (S4, *VERSIONS)}
    assert all(len(found) == len(ids[S4]) == 10 for found in ids.values())
    for stem in VERSIONS:
        assert not ids[stem] & ids[S4], stem
        assert all(uid.endswith(f"-{stem.rsplit('.', 1)[1]}@undocs.org") for uid in ids[stem])


def test_description_prints_notes_called_inside_strong_or_superscript_and_their_marks(
        documents: dict[str, Document]) -> None:
    document = documents[S4]
    source = Source("test", 1)
    marked = Footnote("star", 0, (Text("A note on the line, marked.", source),), source, mark="*")
    numbered = Footnote("deep", 7, (Text("A note called inside a superscript.", source),), source)
    line = ProgrammeLine(
        (Strong((Text("Opening", source), FootnoteRef("star", 0, source, mark="*")), source),
         Text(" of the meeting", source),
         Superscript((FootnoteRef("deep", 7, source),), source)),
        strong=False, minutes=None, continued=Continuation(False, explicit=False), source=source)
    slot = Slot(dt.time(10), dt.time(13), (line,), source)
    changed = dataclasses.replace(document, footnotes=(*document.footnotes, marked, numbered))
    notes = description(changed, slot, wording_for("en")).split("__________\n")[1].split("\n")
    assert notes == ["* A note on the line, marked.", "⁷ A note called inside a superscript."]

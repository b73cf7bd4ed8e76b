"""Tests for the iCalendar export, read back with the icalendar library."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, Timezone, vText
from icalendar.parser import Contentline

from pipeline.formats.ics import _time_zone, calendar, escape_text, fold, render
from pipeline.formats.text import render_text
from pipeline.i18n import wording_for
from pipeline.model.tree import Document, Source, Text
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


@pytest.mark.parametrize("stem", [S3, S4])
def test_ics_golden(documents: dict[str, Document], golden: Any, stem: str) -> None:
    golden.check(f"ics/{stem}.ics", render(documents[stem]))


# ---------------------------------------------------------------- the calendar is written as icalendar writes it


@pytest.mark.parametrize("stem", [S3, S4])
def test_render_writes_the_bytes_icalendar_writes(documents: dict[str, Document], stem: str) -> None:
    assert render(documents[stem]) == calendar(documents[stem]).to_ical()


def test_long_text_with_escapes_and_wide_characters_is_written_as_icalendar_writes_it(
        documents: dict[str, Document]) -> None:
    document = documents[S4]
    source = Source("test", 1)
    wide = "Groupe de travail à composition non limitée; « sécurité », 安全, 🔒 \\ ^ \\N " + "éü–字🔒\\^;," * 40
    note = dataclasses.replace(document.footnotes[0], content=(Text(wide + "\r\n\r" + wide, source),))
    changed = dataclasses.replace(
        document, footnotes=(note, *document.footnotes[1:]),
        session=dataclasses.replace(document.session, body_name=(Text(wide, source),)))
    data = render(changed)
    assert data == calendar(changed).to_ical()
    parsed = Calendar.from_ical(data)
    assert "🔒" in str(parsed["NAME"])
    assert "éü–字🔒\\^;," * 40 in str(parsed.walk("VEVENT")[0]["DESCRIPTION"])


def test_a_line_break_in_the_calendar_name_is_an_error_as_in_icalendar(documents: dict[str, Document]) -> None:
    document = documents[S4]
    broken = dataclasses.replace(document, session=dataclasses.replace(
        document.session, body_name=(Text("Working group\non security", Source("test", 1)),)))
    with pytest.raises(AssertionError, match="unescaped new line"):
        calendar(broken).to_ical()
    with pytest.raises(ValueError, match="unescaped new line"):
        render(broken)


FOLD_ALPHABET = ["a", " ", "é", "–", "字", "🔒", "\\", "^", ";", ","]


@pytest.mark.parametrize("wide", ["é", "–", "字", "🔒", "\\", "^"])
def test_fold_matches_icalendar_around_every_break(wide: str) -> None:
    for before in range(60, 160):
        line = "a" * before + wide * 3 + "b" * 90
        assert fold(line) == Contentline(line).to_ical(), before


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FOLD_ALPHABET), max_size=400).map("".join))
def test_fold_matches_icalendar(line: str) -> None:
    assert fold(line) == Contentline(line).to_ical()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "\\", "N", "n", ";", ",", "\r", "\n", "é", "🔒"]), max_size=40).map("".join))
def test_escape_text_matches_icalendar(value: str) -> None:
    assert escape_text(value) == vText(value).to_ical().decode("utf-8")


def _same_time_zone_as_icalendar(tzid: str, first: int, last: int) -> bool:
    made = Timezone.from_tzid(tzid, first_date=dt.date(first, 1, 1), last_date=dt.date(last, 1, 1))
    return bool(_time_zone.__wrapped__(tzid, first, last).to_ical() == made.to_ical())


@pytest.mark.parametrize("tzid", sorted({*(v.time_zone for v in BUILT_IN.values()), "Australia/Lord_Howe"}))
def test_time_zone_is_the_one_icalendar_makes(tzid: str) -> None:
    for first, last in ((2022, 2023), (2023, 2025), (2030, 2031)):
        assert _same_time_zone_as_icalendar(tzid, first, last), (first, last)


def test_time_zone_with_changes_close_together_is_the_one_icalendar_makes() -> None:
    """Casablanca leaves its summer time for Ramadan: two changes weeks apart, around the turn
    of the year in the early 2030s, which a walk stopped too soon after the last date misses."""
    for first in range(2026, 2035):
        for last in (first + 1, first + 2):
            assert _same_time_zone_as_icalendar("Africa/Casablanca", first, last), (first, last)

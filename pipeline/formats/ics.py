"""iCalendar (RFC 5545): one event per time slot of every programme of work.

Times are local at the venue (:mod:`pipeline.project.venues` names its zone) and written with a
TZID and a VTIMEZONE generated from zoneinfo for the years the programme spans. The
summary of an event is its first agenda item or segment, printed as the text renderer prints
it; the description lists every entry, then the footnotes the slot calls. UIDs are derived
from the symbol and the slot's start, and DTSTAMP from the issue date, so the same document
gives the same bytes. Lines end in CRLF and are folded at 75 octets.

:func:`calendar` builds the calendar as an icalendar ``Calendar``; :func:`render` writes the
same content lines itself, byte for byte what the library writes (its property order, its
escaping of TEXT values and not of the NAME it does not know, its folding), because the
library's serialization, folding character by character above all, took most of a
calendar's time. Only the VTIMEZONE, the same for every document of one place and year, is
still serialized by the library, once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDatetime

from pipeline.formats.common import entry_parts, output_timestamp
from pipeline.formats.text import call, entry_blocks, inline_text, parts_text
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.tree import (
    AgendaItemEntry,
    BulletList,
    Document,
    Emphasis,
    Entry,
    FootnoteRef,
    Inline,
    Link,
    ProgrammeLine,
    Slot,
    TopicEntry,
    undocs_url,
)
from pipeline.project.venues import UnknownVenue

NAME = "ics"
SUFFIX = ".ics"
DESCRIPTION = "iCalendar: one event per meeting of the programme of work"

PRODID = "-//undoc-pipeline//programme of work//EN"
"""The product identifier every calendar carries (RFC 5545 3.7.3)."""

UID_DOMAIN = "undocs.org"
"""The right-hand side of every UID: the domain that publishes the documents."""


def uid(document: Document, day: dt.date, start: dt.time, annex_index: int = 0) -> str:
    """A stable, unique event id: ``A-AC.292-2023-2-20230306T1000@undocs.org``.

    A second or later annex with a programme adds ``-annex2``…, so two annexes of one
    document never share an id.
    """
    annex = f"-annex{annex_index + 1}" if annex_index else ""
    return f"{document.symbol.replace('/', '-')}{annex}-{day:%Y%m%d}T{start:%H%M}@{UID_DOMAIN}"


Headline = tuple[AgendaItemEntry | ProgrammeLine | TopicEntry, bool]
"""An entry that names a meeting, and whether it is a bullet (printed without a letter)."""


def _headline(slot: Slot) -> Headline | None:
    """The first agenda item or segment of the slot, else its first entry."""
    for entry in slot.entries:
        if isinstance(entry, AgendaItemEntry) or (isinstance(entry, ProgrammeLine) and entry.strong):
            return entry, False
    for entry in slot.entries:
        if not isinstance(entry, BulletList):
            return entry, False
        if entry.items:
            return entry.items[0], True
    return None


def summary(slot: Slot, w: Wording) -> str:
    """The event's summary, printed as in the text rendering."""
    headline = _headline(slot)
    if headline is None:
        return ""
    entry, in_list = headline
    return parts_text(entry_parts(entry, w, in_list=in_list), w)


def _calls(nodes: tuple[Inline, ...]) -> Iterator[FootnoteRef]:
    for node in nodes:
        if isinstance(node, FootnoteRef):
            yield node
        elif isinstance(node, Emphasis | Link):
            yield from _calls(node.children)


def _entry_calls(entry: Entry) -> Iterator[FootnoteRef]:
    if isinstance(entry, BulletList):
        for item in entry.items:
            yield from _entry_calls(item)
    elif isinstance(entry, ProgrammeLine):
        yield from _calls(entry.content)
    else:
        yield from _calls(entry.wording)
        yield from entry.notes


def description(document: Document, slot: Slot, w: Wording) -> str:
    """Every entry of the slot, one block each, then the footnotes it calls."""
    blocks = [block for entry in slot.entries for block in entry_blocks(entry, w)]
    called = {ref.number for entry in slot.entries for ref in _entry_calls(entry)}
    notes = [f"{call(f.number)} {inline_text(f.content)}" for f in document.footnotes if f.number in called]
    if notes:
        blocks += ["__________", *notes]
    return "\n".join(blocks)


HORIZON = dt.timedelta(days=366)
"""How far past a VTIMEZONE's last date its zone is read (see :class:`_ZoneUpTo`)."""


class _ZoneUpTo(dt.tzinfo):
    """A zone that gives no offset past a horizon: there it raises OverflowError.

    ``Timezone.from_tzinfo`` finds the periods of one offset by walking forward from each
    change until the offset changes again or the date overflows. After the last change
    before the calendar's last date it walks on to the next change, and in a zone without
    daylight saving time that is the end of year 9999: tens of thousands of steps, most of
    the calendar's time. Every step past the last date only ends the walk, so a horizon more
    than the walk's longest step (64 days) past it ends it at once and changes nothing.
    """

    def __init__(self, zone: dt.tzinfo, horizon: dt.datetime) -> None:
        self.zone = zone
        self.horizon = horizon

    def utcoffset(self, value: dt.datetime | None) -> dt.timedelta | None:
        if value is not None:
            local = value.replace(tzinfo=None)
            if local > self.horizon:
                raise OverflowError(f"{local} is past the horizon {self.horizon}")
        return self.zone.utcoffset(value)

    def dst(self, value: dt.datetime | None) -> dt.timedelta | None:
        return self.zone.dst(value)

    def tzname(self, value: dt.datetime | None) -> str | None:
        return self.zone.tzname(value)


@functools.lru_cache(maxsize=64)
def _time_zone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of ``tzid`` over those years: what ``Timezone.from_tzid`` gives.

    Working it out from the zone's rules takes milliseconds, and documents of one place and
    year share it, so a process keeps the last ones made; the component is only ever read
    after that.
    """
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 1, 1)
    horizon = dt.datetime(last.year, last.month, last.day) + HORIZON
    return Timezone.from_tzinfo(_ZoneUpTo(ZoneInfo(tzid), horizon), tzid, first_date=first, last_date=last)


@functools.lru_cache(maxsize=64)
def _time_zone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    """The content lines of :func:`_time_zone`, as the library writes them inside a calendar."""
    return bytes(_time_zone(tzid, first_year, last_year).to_ical())


@dataclass(frozen=True)
class Meeting:
    """What one event of the calendar says: a time slot of a programme."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str


@dataclass(frozen=True)
class CalendarContent:
    """Everything the calendar of a document says, before it is written in one form or the other."""

    name: str
    about: str
    tzid: str
    years: tuple[int, int] | None
    """First and last year (exclusive) of the VTIMEZONE; None when the programme has no day."""
    stamp: dt.datetime
    place: str
    url: str
    meetings: tuple[Meeting, ...]


def content(document: Document) -> CalendarContent:
    """The calendar of ``document``: its name, zone and one meeting per time slot."""
    w = wording_for(document.language)
    venue = document.session.venue
    if venue is None:
        raise UnknownVenue(document.session.place)
    tzid = venue.time_zone
    zone = ZoneInfo(tzid)
    days = [day.date for annex in document.annexes if annex.programme for day in annex.programme.days]
    meetings = tuple(
        Meeting(
            uid=uid(document, day.date, slot.start, index),
            start=dt.datetime.combine(day.date, slot.start, tzinfo=zone),
            end=dt.datetime.combine(day.date, slot.end, tzinfo=zone),
            summary=summary(slot, w),
            description=description(document, slot, w),
        )
        for index, annex in enumerate(document.annexes)
        if annex.programme is not None
        for day in annex.programme.days
        for slot in day.slots
    )
    return CalendarContent(
        name=inline_text(document.session.body_name),
        about=f"{fmt.session_line(document.session, w)}\n{fmt.place_and_dates(document.session, w)}",
        tzid=tzid,
        years=(min(days).year, max(days).year + 1) if days else None,
        stamp=output_timestamp(document),
        place=document.session.place,
        url=undocs_url(document.symbol, document.language),
        meetings=meetings,
    )


def calendar(document: Document) -> Calendar:
    """The document's programme as an icalendar ``Calendar``."""
    data = content(document)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", data.name)
    cal.add("x-wr-calname", data.name)
    cal.add("description", data.about)
    if data.years:
        cal.add_component(_time_zone(data.tzid, *data.years))
    for meeting in data.meetings:
        event = Event()
        event.add("uid", meeting.uid)
        event.add("dtstamp", data.stamp)
        event.add("dtstart", meeting.start)
        event.add("dtend", meeting.end)
        event.add("summary", meeting.summary)
        event.add("description", meeting.description)
        event.add("location", data.place)
        event.add("url", data.url)
        cal.add_component(event)
    return cal


# ---------------------------------------------------------------- writing

FOLD_OCTETS = 74
"""Octets of a content line before the library folds it: the break falls before the 75th."""

_ESCAPE_PREFIXES = frozenset(b"\\^")
"""Bytes that start an escape (TEXT ``\\``, RFC 6868 ``^``): the library never leaves one at the end of a line."""


def escape_text(value: str) -> str:
    """A TEXT value escaped as in RFC 5545 3.3.11, with the library's replacements in its order."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded as the icalendar library folds it.

    Each physical line is the longest run of whole characters of at most 74 octets (75 with
    the leading space of a continuation), except that a line never ends in the "\\" or "^"
    that starts an escape: that character moves to the next line.
    """
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return data
    pieces: list[bytes] = []
    start, size = 0, len(data)
    while size - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: not a character boundary
            end -= 1
        if data[end - 1] in _ESCAPE_PREFIXES:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


@functools.lru_cache(maxsize=64)
def _local_time_form(tzid: str) -> tuple[str, str]:
    """The parameters (";TZID=…", or "") and suffix ("Z" or "") of a date-time in ``tzid``.

    The library decides both (quoting, UTC); they depend on the zone only.
    """
    value = vDatetime(dt.datetime(2000, 1, 1, tzinfo=ZoneInfo(tzid)))
    parameters = bytes(value.params.to_ical()).decode("utf-8")
    return (f";{parameters}" if parameters else ""), ("Z" if value.is_utc() else "")


def _date_time(value: dt.datetime) -> str:
    return (f"{value.year:04}{value.month:02}{value.day:02}"
            f"T{value.hour:02}{value.minute:02}{value.second:02}")


def _write(data: CalendarContent) -> bytes:
    """The calendar's bytes, in the library's property order (canonical first, then by name)."""
    def text(name: str, value: str) -> bytes:
        return fold(f"{name}:{escape_text(value)}")

    def verbatim(name: str, value: str) -> bytes:
        # The library knows neither property, so it writes the value as it is (RFC 7265
        # UNKNOWN): no escaping, and a line break is an error.
        if "\n" in value:
            raise ValueError("Content line can not contain unescaped new line characters.")
        return fold(f"{name}:{value}")

    lines = [
        b"BEGIN:VCALENDAR",
        text("VERSION", "2.0"),
        text("PRODID", PRODID),
        text("CALSCALE", "GREGORIAN"),
        text("METHOD", "PUBLISH"),
        text("DESCRIPTION", data.about),
        verbatim("NAME", data.name),
        verbatim("X-WR-CALNAME", data.name),
    ]
    head = b"\r\n".join(lines) + b"\r\n"
    zone = _time_zone_ical(data.tzid, *data.years) if data.years else b""
    parameters, suffix = _local_time_form(data.tzid)
    stamp = fold(f"DTSTAMP:{_date_time(data.stamp.astimezone(dt.UTC))}Z")
    location = text("LOCATION", data.place)
    url = fold(f"URL:{data.url}")
    events: list[bytes] = []
    for meeting in data.meetings:
        events += [
            b"BEGIN:VEVENT",
            text("SUMMARY", meeting.summary),
            fold(f"DTSTART{parameters}:{_date_time(meeting.start)}{suffix}"),
            fold(f"DTEND{parameters}:{_date_time(meeting.end)}{suffix}"),
            stamp,
            text("UID", meeting.uid),
            text("DESCRIPTION", meeting.description),
            location,
            url,
            b"END:VEVENT",
        ]
    events.append(b"END:VCALENDAR")
    return head + zone + b"\r\n".join(events) + b"\r\n"


def applies(document: Document) -> bool:
    """Only a document with a programme of work has a calendar (no empty calendar is written)."""
    return any(annex.programme is not None for annex in document.annexes)


def render(document: Document) -> bytes:
    """The document's programme as iCalendar bytes (UTF-8, CRLF, folded lines)."""
    return _write(content(document))

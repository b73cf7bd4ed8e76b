"""iCalendar (RFC 5545): one event per time slot of every programme of work.

Times are local at the venue (:mod:`pipeline.venues` names its zone) and written with a
TZID and a VTIMEZONE generated from zoneinfo for the years the programme spans. The
summary of an event is its first agenda item or segment, printed as the text renderer prints
it; the description lists every entry, then the footnotes the slot calls. UIDs are derived
from the symbol and the slot's start, and DTSTAMP from the issue date, so the same document
gives the same bytes. Lines end in CRLF and are folded at 75 octets by the icalendar library.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from pipeline import formatting as fmt
from pipeline.lang import Wording, wording_for
from pipeline.model import (
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
from pipeline.render.common import entry_parts, output_timestamp
from pipeline.render.text import call, entry_blocks, inline_text, parts_text
from pipeline.venues import time_zone_of

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


@functools.lru_cache(maxsize=64)
def _time_zone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of ``tzid`` over those years.

    Working it out from the zone's rules takes milliseconds (a third of a calendar's time),
    and documents of one place and year share it, so a process keeps the last ones made;
    the component is only ever read after that.
    """
    return Timezone.from_tzid(tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1))


def calendar(document: Document) -> Calendar:
    """The document's programme as a calendar."""
    w = wording_for(document.language)
    tzid = time_zone_of(document.session.place)
    zone = ZoneInfo(tzid)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = inline_text(document.session.body_name)
    about = f"{fmt.session_line(document.session, w)}\n{fmt.place_and_dates(document.session, w)}"
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", about)
    days = [day.date for annex in document.annexes for day in annex.programme.days]
    if days:
        cal.add_component(_time_zone(tzid, min(days).year, max(days).year + 1))
    stamp = output_timestamp(document)
    url = undocs_url(document.symbol, document.language)
    for index, annex in enumerate(document.annexes):
        for day in annex.programme.days:
            for slot in day.slots:
                event = Event()
                event.add("uid", uid(document, day.date, slot.start, index))
                event.add("dtstamp", stamp)
                event.add("dtstart", dt.datetime.combine(day.date, slot.start, tzinfo=zone))
                event.add("dtend", dt.datetime.combine(day.date, slot.end, tzinfo=zone))
                event.add("summary", summary(slot, w))
                event.add("description", description(document, slot, w))
                event.add("location", document.session.place)
                event.add("url", url)
                cal.add_component(event)
    return cal


def render(document: Document) -> bytes:
    """The document's programme as iCalendar bytes (UTF-8, CRLF, folded lines)."""
    return bytes(calendar(document).to_ical())

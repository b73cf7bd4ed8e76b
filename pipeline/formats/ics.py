"""iCalendar (RFC 5545): one event per time slot of every programme of work.

Times are local at the venue (:mod:`pipeline.project.venues` names its zone) and written with a
TZID and a VTIMEZONE that the icalendar library works out from zoneinfo for the years the
programme spans. The summary of an event is its first agenda item or segment, printed as the
text renderer prints it; the description lists every entry, then the footnotes the slot calls.
UIDs are derived from the symbol and the slot's start, and DTSTAMP from the issue date, so the
same document gives the same bytes. The calendar is built as icalendar components and written
by the library: its property order, escaping, CRLF line ends and folding at 75 octets.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vText

from pipeline.formats.common import entry_parts, output_timestamp
from pipeline.formats.text import call, entry_blocks, inline_text, parts_text
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.tree import (
    AgendaItemEntry,
    BulletList,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    FootnoteRef,
    ForeignSpan,
    Inline,
    LineBreak,
    Link,
    ProgrammeLine,
    Slot,
    Strong,
    Superscript,
    TableNoteRef,
    Text,
    TopicEntry,
    undocs_url,
)
from pipeline.model.visit import InlineVisitor
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
    document never share an id. A language version other than the English one adds its
    language (``…T1000-fr@undocs.org``): the versions of one document share the symbol, not the ids.
    """
    annex = f"-annex{annex_index + 1}" if annex_index else ""
    language = "" if document.language == "en" else f"-{document.language}"
    return f"{document.symbol.replace('/', '-')}{annex}-{day:%Y%m%d}T{start:%H%M}{language}@{UID_DOMAIN}"


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


class _NoteCalls(InlineVisitor[list[FootnoteRef]]):
    """The footnote calls of inline content, at any depth (in emphasis, strong, superscript, …)."""

    def _inside(self, node: Emphasis | Strong | Superscript | ForeignSpan | Link) -> list[FootnoteRef]:
        return [ref for found in self.visit_all(node.children) for ref in found]

    visit_emphasis = visit_strong = visit_superscript = visit_foreign = visit_link = _inside

    def _none(self, node: Text | LineBreak | DocumentRef | TableNoteRef) -> list[FootnoteRef]:
        return []

    visit_text = visit_line_break = visit_document_ref = visit_table_note_ref = _none

    def visit_footnote_ref(self, node: FootnoteRef) -> list[FootnoteRef]:
        return [node]


def _calls(nodes: tuple[Inline, ...]) -> Iterator[FootnoteRef]:
    for found in _NoteCalls().visit_all(nodes):
        yield from found


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
    called = {ref.note_id for entry in slot.entries for ref in _entry_calls(entry)}
    notes = [f"{call(f.call)} {inline_text(f.content)}" for f in document.footnotes if f.note_id in called]
    if notes:
        blocks += ["__________", *notes]
    return "\n".join(blocks)


@functools.lru_cache(maxsize=64)
def _time_zone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of ``tzid`` from the first day of ``first_year`` to that of ``last_year``.

    The library works it out from the zone's rules, which takes up to tens of milliseconds
    (a zone without daylight saving time is walked to its end); documents of one place and
    year share it, so a process keeps the last ones made. Nothing changes a component once
    made: a calendar only reads it.
    """
    return Timezone.from_tzid(tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1))


def calendar(document: Document) -> Calendar:
    """The document's programme as an icalendar ``Calendar``."""
    w = wording_for(document.language)
    venue = document.session.venue
    if venue is None:
        raise UnknownVenue(document.session.place)
    tzid = venue.time_zone
    zone = ZoneInfo(tzid)
    name = vText(inline_text(document.session.body_name))  # RFC 7986: NAME is TEXT, so escaped
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", f"{fmt.session_line(document.session, w)}\n{fmt.place_and_dates(document.session, w)}")
    days = [day.date for annex in document.annexes if annex.programme for day in annex.programme.days]
    if days:
        cal.add_component(_time_zone(tzid, min(days).year, max(days).year + 1))
    stamp = output_timestamp(document)
    url = undocs_url(document.symbol, document.language)
    for index, annex in enumerate(document.annexes):
        if annex.programme is None:
            continue
        for day in annex.programme.days:
            for slot in day.slots:
                cal.add_component(Event.new(
                    uid=uid(document, day.date, slot.start, index),
                    stamp=stamp,
                    start=dt.datetime.combine(day.date, slot.start, tzinfo=zone),
                    end=dt.datetime.combine(day.date, slot.end, tzinfo=zone),
                    summary=summary(slot, w),
                    description=description(document, slot, w),
                    location=document.session.place,
                    url=url,
                ))
    return cal


def applies(document: Document) -> bool:
    """Only a document with a programme of work has a calendar (no empty calendar is written)."""
    return any(annex.programme is not None for annex in document.annexes)


def render(document: Document) -> bytes:
    """The document's programme as iCalendar bytes (UTF-8, CRLF, folded lines)."""
    return bytes(calendar(document).to_ical())

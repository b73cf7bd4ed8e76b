"""Dates, days and time slots of the session and its programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.i18n import languages, place_aliases, wording_for
from pipeline.model.inline import collapse
from pipeline.project.config import config_for_source
from pipeline.sources.load import q
from pipeline.validate.rules.base import WEEKDAYS, Finding, RuleContext, _date_fields, parse_date, parse_time, rule


@rule("date-invalid", "Every date is a real calendar date (no 30 February).")
def _date_invalid(ctx: RuleContext) -> Iterator[Finding]:
    """The schema checks the form YYYY-MM-DD; this rule checks that the day exists."""
    for element, what, value in _date_fields(ctx.root):
        if parse_date(value) is None:
            yield element, f"{what} {value!r} is not a real date; write an existing day as YYYY-MM-DD"


@rule("session-dates", "The session's first day is not after its last day.")
def _session_dates(ctx: RuleContext) -> Iterator[Finding]:
    """A session given as ``<dates start=… end=…>`` runs forwards."""
    for dates in ctx.root.iter(q("dates")):
        start, end = parse_date(dates.get("start")), parse_date(dates.get("end"))
        if start and end and start > end:
            yield dates, f"the session starts on {start} but ends earlier, on {end}"


@rule("place-unknown", "The session's place is a venue whose time zone and paper are known.")
def _place_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """Programme times are local at the venue and the paper is the venue's: both come from the
    built-in venues and those of the documents repository's configuration. A built-in venue may be
    written as any language's catalogue names it ("Nueva York", "Нью-Йорк")."""
    config = config_for_source(Path(ctx.path))
    venues = config.venues
    for place in ctx.root.iter(q("place")):
        name = collapse(place.text or "").strip()  # as the model reads it
        if name and config.venue(name) is None:
            yield place, (f"no venue is known for the place {name!r}, so neither its time zone nor its paper; "
                          f"check the spelling (known: {', '.join(sorted(venues))}) or add the venue to the "
                          f"documents repository's undoc.toml: [venues.\"{name}\"] time-zone = \"Area/City\", "
                          f"paper = \"a4\" or \"letter\"")


@rule("place-language", "A built-in venue is written as the version's language names it (Nueva York, Genève).",
      Severity.WARNING)
def _place_language(ctx: RuleContext) -> Iterator[Finding]:
    """``<place>`` is printed as written, in the session lines of every version. A built-in
    venue written in another language than the version's ("New York" in the Spanish version)
    prints in that other language; write it as the version's catalogue names it (the Spanish
    version: "Nueva York"). Venues of the repository's configuration are printed as written."""
    if ctx.language not in languages():
        return
    places = wording_for(ctx.language).places
    aliases = place_aliases()
    for place in ctx.root.iter(q("place")):
        name = collapse(place.text or "").strip()
        venue = aliases.get(name, name)
        if venue not in aliases.values():
            continue  # not a built-in venue
        local = places.get(venue, venue)
        if name != local:
            yield place, f"this version's language names the venue {local!r}; write <place>{local}</place>"


@rule("day-weekday", "The weekday printed for a day is the weekday of its date.")
def _day_weekday(ctx: RuleContext) -> Iterator[Finding]:
    """A day row prints its weekday from ``@weekday``; it must be the weekday of ``@date``."""
    for day in ctx.root.iter(q("day")):
        date = parse_date(day.get("date"))
        stated = day.get("weekday", "")
        if date is not None and stated and WEEKDAYS[date.weekday()] != stated:
            yield day, (f'"{stated.capitalize()}" is not the weekday of {date}: it is a '
                        f"{WEEKDAYS[date.weekday()].capitalize()}")


def _session_span(ctx: RuleContext) -> tuple[etree._Element, dt.date, dt.date] | None:
    dates = ctx.root.find(f"{q('session')}/{q('dates')}")
    if dates is None:
        return None
    start, end = parse_date(dates.get("start")), parse_date(dates.get("end"))
    if start is None or end is None or start > end:
        return None
    return dates, start, end


@rule("day-outside-session", "Every day of the programme falls within the session's dates.")
def _day_outside_session(ctx: RuleContext) -> Iterator[Finding]:
    """A programme day before the session's first day or after its last day is a mistake in
    either the day or the session's dates."""
    span = _session_span(ctx)
    if span is None:
        return
    _, start, end = span
    for day in ctx.root.iter(q("day")):
        date = parse_date(day.get("date"))
        if date is not None and not start <= date <= end:
            yield day, (f"{date} is outside the session, which runs from {start} to {end}; "
                        f"correct the day or the session's dates")


@rule("session-day-missing", "No weekday of the session is missing between two days of the programme.",
      Severity.WARNING)
def _session_day_missing(ctx: RuleContext) -> Iterator[Finding]:
    """Sessions meet Monday to Friday: a weekday of the session that has no day in the
    programme while days before and after it do is almost always a forgotten day. A
    programme may cover only part of a session (its first week, say), so days missing at
    either end are not reported; Saturdays and Sundays are not expected."""
    span = _session_span(ctx)
    if span is None:
        return
    _, start, end = span
    for programme in ctx.root.iter(q("programme")):
        present = sorted(d for d in (parse_date(day.get("date")) for day in programme.iterchildren(q("day")))
                         if d is not None and start <= d <= end)
        if not present:
            continue
        date = present[0]
        while date < present[-1]:
            if date.weekday() < 5 and date not in present:
                yield programme, (f"the programme has days before and after {WEEKDAYS[date.weekday()].capitalize()} "
                                  f"{date} but none for it, although the session meets from {start} to "
                                  f"{end}; add the day or correct the dates")
            date += dt.timedelta(days=1)


@rule("day-order", "Days of a programme run in date order, each date once.")
def _day_order(ctx: RuleContext) -> Iterator[Finding]:
    """The programme is read day by day; a day out of order or repeated is a copy-paste slip."""
    for programme in ctx.root.iter(q("programme")):
        previous: dt.date | None = None
        for day in programme.iterchildren(q("day")):
            date = parse_date(day.get("date"))
            if date is None:
                continue
            if previous is not None and date <= previous:
                word = "repeats" if date == previous else "comes before"
                yield day, f"{date} {word} the day above it ({previous}); put the days in date order"
            previous = date


@rule("slot-times", "A time slot ends after it starts, on the same day.")
def _slot_times(ctx: RuleContext) -> Iterator[Finding]:
    """Times are 24-hour HH:MM local time; a slot cannot end before it starts or run past
    midnight."""
    for slot in ctx.root.iter(q("slot")):
        start, end = parse_time(slot.get("start")), parse_time(slot.get("end"))
        if start and end and end <= start:
            yield slot, (f"the slot ends at {end:%H:%M}, not after its start at {start:%H:%M}; "
                         f"a slot lies within one day")


@rule("slot-order", "Slots of a day are in time order and do not overlap.")
def _slot_order(ctx: RuleContext) -> Iterator[Finding]:
    """Each slot starts when or after the slot above it ends."""
    for day in ctx.root.iter(q("day")):
        previous: tuple[dt.time, dt.time] | None = None
        for slot in day.iterchildren(q("slot")):
            start, end = parse_time(slot.get("start")), parse_time(slot.get("end"))
            if start is None or end is None:
                continue
            if previous is not None:
                p_start, p_end = previous
                if start < p_end:
                    kind = "starts before" if start < p_start else "overlaps"
                    yield slot, (f"the slot {start:%H:%M}–{end:%H:%M} {kind} the slot "
                                 f"{p_start:%H:%M}–{p_end:%H:%M} above it on {day.get('date')}")
            previous = (start, end)


@rule("slot-minutes", "The planned durations in a slot fit in the slot.", Severity.WARNING)
def _slot_minutes(ctx: RuleContext) -> Iterator[Finding]:
    """The ``minutes`` of the lines of one slot add up to no more than the slot lasts."""
    for slot in ctx.root.iter(q("slot")):
        start, end = parse_time(slot.get("start")), parse_time(slot.get("end"))
        if start is None or end is None or end <= start:
            continue
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        planned = sum(int(e.get("minutes", "0")) for e in slot.iter(q("line"), q("segment"))
                      if e.get("minutes", "").isdigit())
        if planned > length:
            yield slot, (f"the planned durations add up to {planned} minutes but the slot "
                         f"{start:%H:%M}–{end:%H:%M} lasts {length}; shorten them or the programme")


# ---------------------------------------------------------------- references

"""The rule catalogue: business rules that the structural schema cannot express.

Each rule is a plain function that yields ``(element, message)`` for every problem it
finds; :func:`rule` binds it to a stable code, a one-line summary and a severity in the
explicit table :data:`RULES`. Rules run on the lxml tree of a schema-valid document (they
need source lines) together with the register it refers to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load import q
from pipeline.register import Register

Finding = tuple[etree._Element, str]
"""An element and what is wrong with it."""


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the document's tree, its register and its source text."""

    path: str
    root: etree._Element
    register: Register | None
    source_lines: tuple[str, ...]

    def position(self, element: etree._Element) -> tuple[int, int]:
        """1-based line and column of the element's start tag."""
        line = element.sourceline or 0
        column = 0
        if 0 < line <= len(self.source_lines) and isinstance(element.tag, str):
            local = etree.QName(element).localname
            found = re.search(rf"<(?:[\w.-]+:)?{re.escape(local)}\b", self.source_lines[line - 1])
            column = found.start() + 1 if found else 0
        return line, column


@dataclass(frozen=True)
class Rule:
    """A business rule with its stable code."""

    code: str
    summary: str
    severity: Severity
    check: Callable[[RuleContext], Iterable[Finding]]

    def run(self, context: RuleContext) -> Iterator[Diagnostic]:
        """Diagnostics for every finding of this rule in ``context``."""
        for element, message in self.check(context):
            line, column = context.position(element)
            yield Diagnostic(context.path, line, column, self.severity, self.code, message)


RULES: list[Rule] = []
"""Every rule, in the order they run and are documented."""


def rule(code: str, summary: str, severity: Severity = Severity.ERROR
         ) -> Callable[[Callable[[RuleContext], Iterable[Finding]]], Callable[[RuleContext], Iterable[Finding]]]:
    """Register a rule function under ``code``."""

    def bind(check: Callable[[RuleContext], Iterable[Finding]]) -> Callable[[RuleContext], Iterable[Finding]]:
        if any(r.code == code for r in RULES):
            raise ValueError(f"rule code {code} used twice")
        RULES.append(Rule(code, summary, severity, check))
        return check

    return bind


def run_rules(context: RuleContext) -> list[Diagnostic]:
    """All diagnostics of all rules for one document."""
    return [d for r in RULES for d in r.run(context)]


# ---------------------------------------------------------------- helpers

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_date(value: str | None) -> dt.date | None:
    """The date of ``YYYY-MM-DD``, or None when no such day exists."""
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def parse_time(value: str | None) -> dt.time | None:
    """The time of ``HH:MM``, or None."""
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        return None


def _date_fields(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """Every date in a document: element, what it is, its text."""
    for el in root.iter(q("date")):
        yield el, "the issue date", (el.text or "").strip()
    for el in root.iter(q("dates")):
        yield el, "the session's first day", el.get("start", "")
        yield el, "the session's last day", el.get("end", "")
    for el in root.iter(q("day")):
        yield el, "the day", el.get("date", "")


# ---------------------------------------------------------------- dates and days


@rule("date-invalid", "Every date is a real calendar date (no 30 February).")
def _date_invalid(ctx: RuleContext) -> Iterator[Finding]:
    for element, what, value in _date_fields(ctx.root):
        if parse_date(value) is None:
            yield element, f"{what} {value!r} is not a real date; write an existing day as YYYY-MM-DD"


@rule("session-dates", "The session's first day is not after its last day.")
def _session_dates(ctx: RuleContext) -> Iterator[Finding]:
    for dates in ctx.root.iter(q("dates")):
        start, end = parse_date(dates.get("start")), parse_date(dates.get("end"))
        if start and end and start > end:
            yield dates, f"the session starts on {start} but ends earlier, on {end}"


@rule("day-weekday", "The weekday printed for a day is the weekday of its date.")
def _day_weekday(ctx: RuleContext) -> Iterator[Finding]:
    for day in ctx.root.iter(q("day")):
        date = parse_date(day.get("date"))
        stated = day.get("weekday", "")
        if date is not None and stated and WEEKDAYS[date.weekday()] != stated:
            yield day, (f'"{stated.capitalize()}" is not the weekday of {date}: it is a '
                        f"{WEEKDAYS[date.weekday()].capitalize()}")


@rule("day-outside-session", "Every day of the programme falls within the session's dates.")
def _day_outside_session(ctx: RuleContext) -> Iterator[Finding]:
    dates = ctx.root.find(f"{q('session')}/{q('dates')}")
    if dates is None:
        return
    start, end = parse_date(dates.get("start")), parse_date(dates.get("end"))
    if start is None or end is None:
        return
    for day in ctx.root.iter(q("day")):
        date = parse_date(day.get("date"))
        if date is not None and not start <= date <= end:
            yield day, f"{date} is outside the session, which runs from {start} to {end}"


@rule("day-order", "Days of a programme run in date order, each date once.")
def _day_order(ctx: RuleContext) -> Iterator[Finding]:
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


@rule("slot-times", "A time slot ends after it starts.")
def _slot_times(ctx: RuleContext) -> Iterator[Finding]:
    for slot in ctx.root.iter(q("slot")):
        start, end = parse_time(slot.get("start")), parse_time(slot.get("end"))
        if start and end and end <= start:
            yield slot, f"the slot ends at {end:%H:%M}, not after its start at {start:%H:%M}"


@rule("slot-order", "Slots of a day are in time order and do not overlap.")
def _slot_order(ctx: RuleContext) -> Iterator[Finding]:
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


# ---------------------------------------------------------------- references


@rule("agenda-item-unknown", "Every agenda item referred to is on the register's agenda.")
def _agenda_item_unknown(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.register is None:
        return
    known = ", ".join(sorted(ctx.register.agenda, key=_natural))
    for item in ctx.root.iter(q("agenda-item")):
        ref = item.get("ref", "")
        if ref not in ctx.register.agenda:
            yield item, f"agenda item {ref} is not on the agenda of {ctx.register.path} (it has {known})"


@rule("topic-unknown", "Every sub-topic referred to is in the register.")
def _topic_unknown(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.register is None:
        return
    known = ", ".join(f"({k})" for k in sorted(ctx.register.topics))
    for topic in ctx.root.iter(q("topic")):
        ref = topic.get("ref", "")
        if ref not in ctx.register.topics:
            yield topic, f"sub-topic ({ref}) is not in {ctx.register.path} (it has {known})"


@rule("wording-language", "The register words every referred item in the document's language.")
def _wording_language(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.register is None:
        return
    language = (ctx.root.findtext(f"{q('masthead')}/{q('language')}") or "").strip()
    session = ctx.root.find(q("session"))
    if session is not None and language not in ctx.register.body_name:
        yield session, f"{ctx.register.path} has no body name in language {language!r}"
    for tag, table, label in (("agenda-item", ctx.register.agenda, "agenda item"),
                              ("topic", ctx.register.topics, "sub-topic")):
        for element in ctx.root.iter(q(tag)):
            wordings = table.get(element.get("ref", ""))
            if wordings is not None and language not in wordings and element.find(q("wording")) is None:
                yield element, (f"{label} {element.get('ref')} has no wording in language "
                                f"{language!r} in {ctx.register.path}; add one there or word it here")


@rule("footnote-unknown", "Every footnote call names a footnote of the document.")
def _footnote_unknown(ctx: RuleContext) -> Iterator[Finding]:
    defined = {f.get("id") for f in ctx.root.iter(q("footnote"))}
    for ref in ctx.root.iter(q("footnote-ref")):
        if ref.get("ref") not in defined:
            yield ref, f"footnote {ref.get('ref')!r} is called here but not defined under <footnotes>"


@rule("footnote-unused", "Every footnote is called exactly once.")
def _footnote_unused(ctx: RuleContext) -> Iterator[Finding]:
    calls: dict[str, int] = {}
    for ref in ctx.root.iter(q("footnote-ref")):
        calls[ref.get("ref", "")] = calls.get(ref.get("ref", ""), 0) + 1
    for note in ctx.root.iter(q("footnote")):
        count = calls.get(note.get("id", ""), 0)
        if count == 0:
            yield note, f"footnote {note.get('id')!r} is never called; call it or remove it"
        elif count > 1:
            yield note, f"footnote {note.get('id')!r} is called {count} times; a footnote is called once"


# ---------------------------------------------------------------- symbol

SYMBOL_GRAMMAR = re.compile(
    r"""
    (?P<organ>[A-Z]{1,8})                                   # A, S, E, ST ...
    (?P<bodies>(?:/[A-Z]{1,8}\.\d+)*)                       # /AC.292, /C.1, /CONF.234
    (?:
        /RES/\d+(?:/\d+)?                                   # /RES/75/240
      | (?:/(?:\d{4}|\d{1,3}))?                             # year or session: /2021, /77
        /(?:INF/\d+|(?:CRP|L|R|WP|PV|SR)\.\d+|\d+)          # number or series component
    )
    (?P<suffixes>(?:/(?:Add|Corr|Rev|Amend)\.\d+|/Summary)*) # /Add.1, /Rev.2 ...
    \*?                                                      # reissue
    """,
    re.VERBOSE,
)
"""The UN document symbol grammar (UN Editorial Manual; see docs)."""


def symbol_problem(symbol: str) -> str | None:
    """Why ``symbol`` is not a UN document symbol, or None when it is one."""
    if not symbol:
        return "the symbol is empty"
    if re.search(r"\s", symbol):
        return f"the symbol {symbol!r} contains a space; symbols are written without spaces"
    if SYMBOL_GRAMMAR.fullmatch(symbol) is None:
        return (f"{symbol!r} does not follow the symbol grammar organ/body/year/number "
                f"(e.g. A/AC.292/2023/1, A/77/275, A/RES/75/240, A/AC.292/2025/CRP.1)")
    return None


@rule("symbol-grammar", "Document symbols (masthead and references) follow the UN symbol grammar.")
def _symbol_grammar(ctx: RuleContext) -> Iterator[Finding]:
    for element in ctx.root.iter(q("symbol")):
        problem = symbol_problem((element.text or "").strip())
        if problem:
            yield element, problem
    for element in ctx.root.iter(q("doc-ref")):
        symbol = element.get("symbol") or (element.text or "").strip()
        problem = symbol_problem(symbol)
        if problem:
            yield element, problem
    for element in ctx.root.iter(q("resolution-ref")):
        number = (element.text or "").strip()
        if not re.fullmatch(r"\d+/\d+|\d+ \([IVXLC]+\)", number):
            yield element, f"resolution number {number!r} is not of the form 75/240"


def _natural(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", value))

"""The rule catalogue: business rules that the structural schema cannot express.

Each rule is a plain function that yields ``(element, message)`` for every problem it
finds (or ``(element, message, (line, column))`` when the problem sits inside the text
of the element rather than on its start tag); :func:`rule` binds it to a stable code, a
one-line summary and a severity in the explicit table :data:`RULES`. Rules run on the
lxml tree of a schema-valid document (they need source lines) together with the register
it refers to; rules marked for registers also run on each register, once per run.

The checks made before the rules (reading, parsing, the schema, the register reference)
are listed in :data:`STAGE_CHECKS`, so that :func:`catalogue` names every code a
diagnostic can carry. ``python -m pipeline rules --markdown`` prints ``docs/rules.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.inline import collapse
from pipeline.lang import languages as layout_languages
from pipeline.load import q, tag_column
from pipeline.modelbuild import continuation_key, programme_entries
from pipeline.register import Register
from pipeline.venues import TIME_ZONES

Position = tuple[int, int]
"""A 1-based line and column."""

Finding = tuple[etree._Element, str] | tuple[etree._Element, str, Position]
"""An element and what is wrong with it; optionally the exact place in its text."""

DOCUMENT = "document"
REGISTER = "register"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the tree of a document (with its register) or of a register."""

    path: str
    root: etree._Element
    register: Register | None
    source_lines: tuple[str, ...]

    @property
    def kind(self) -> str:
        """``"document"`` or ``"register"``: the root element's name."""
        return str(etree.QName(self.root).localname)

    @property
    def language(self) -> str:
        """The language of a document version ("" for a register)."""
        return (self.root.findtext(f"{q('masthead')}/{q('language')}") or "").strip()

    def position(self, element: etree._Element) -> Position:
        """1-based line and column of the element's start tag."""
        line = element.sourceline or 0
        return line, tag_column(self.source_lines, line, element)

    @functools.cached_property
    def runs(self) -> tuple[TextRun, ...]:
        """Every run of printed text (see :func:`text_runs`), computed once."""
        return tuple(text_runs(self.root))


@dataclass(frozen=True)
class Rule:
    """A business rule with its stable code."""

    code: str
    summary: str
    severity: Severity
    check: Callable[[RuleContext], Iterable[Finding]]
    applies_to: tuple[str, ...] = (DOCUMENT,)

    @property
    def description(self) -> str:
        """The longer explanation: the rule function's docstring."""
        return " ".join((self.check.__doc__ or "").split())

    def run(self, context: RuleContext) -> Iterator[Diagnostic]:
        """Diagnostics for every finding of this rule in ``context``."""
        if context.kind not in self.applies_to:
            return
        for finding in self.check(context):
            if len(finding) == 3:
                element, message, (line, column) = finding
            else:
                element, message = finding
                line, column = context.position(element)
            yield Diagnostic(context.path, line, column, self.severity, self.code, message)


RULES: list[Rule] = []
"""Every rule, in the order they run and are documented."""

RuleFunction = Callable[[RuleContext], Iterable[Finding]]


def rule(code: str, summary: str, severity: Severity = Severity.ERROR,
         applies_to: tuple[str, ...] = (DOCUMENT,)) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under ``code``."""

    def bind(check: RuleFunction) -> RuleFunction:
        if any(r.code == code for r in RULES) or any(c.code == code for c in STAGE_CHECKS):
            raise ValueError(f"rule code {code} used twice")
        RULES.append(Rule(code, summary, severity, check, applies_to))
        return check

    return bind


def run_rules(context: RuleContext) -> list[Diagnostic]:
    """All diagnostics of all rules for one document or register."""
    return [d for r in RULES for d in r.run(context)]


@dataclass(frozen=True)
class Check:
    """A check made before the rules, by the loader, the schema or the driver."""

    code: str
    summary: str
    severity: Severity
    stage: str


STAGE_CHECKS: tuple[Check, ...] = (
    Check("file-unreadable", "The source is a regular file that can be read.", Severity.ERROR, "read"),
    Check("xml-too-large", "The source stays within the size limits (8 MiB, 200 000 elements).",
          Severity.ERROR, "read"),
    Check("xml-empty", "The source is not empty.", Severity.ERROR, "read"),
    Check("xml-not-xml", "The source is XML text, not an image, an archive (DOCX) or other binary data.",
          Severity.ERROR, "read"),
    Check("xml-encoding", "The source is UTF-8 and says so (or says nothing).", Severity.ERROR, "read"),
    Check("xml-doctype", "The source has no DOCTYPE: no entity declarations, no external DTD.",
          Severity.ERROR, "parse"),
    Check("xml-entity", "The source uses no entity references other than XML's own five.",
          Severity.ERROR, "parse"),
    Check("xml-external", "The source asks for no external resource.", Severity.ERROR, "parse"),
    Check("xml-syntax", "The source is well-formed XML (not truncated, tags closed).",
          Severity.ERROR, "parse"),
    Check("xml-too-deep", "Elements are nested at most 64 levels deep.", Severity.ERROR, "parse"),
    Check("xml-xinclude", "The source uses no XInclude.", Severity.ERROR, "parse"),
    Check("source-outside", "A source file (or the file a symbolic link points to) lies inside "
          "its sources folder.", Severity.ERROR, "read"),
    Check("not-undoc", "The root element is in the urn:undoc:1.0 namespace.", Severity.ERROR, "schema"),
    Check("wrong-root", "A document source holds a <document>, a register a <register>.",
          Severity.ERROR, "schema"),
    Check("schema", "The source is valid against schemas/undoc-1.0.xsd.", Severity.ERROR, "schema"),
    Check("register-outside", "The register a document refers to lies inside the sources folder.",
          Severity.ERROR, "register"),
    Check("register-missing", "The register a document refers to exists.", Severity.ERROR, "register"),
    Check("register-invalid", "The register a document refers to has no errors.",
          Severity.ERROR, "register"),
    Check("model-failed", "The document model is built from the validated source (a failure is a "
          "bug of the pipeline).", Severity.ERROR, "build"),
    Check("render-failed", "Every renderer produced its output.", Severity.ERROR, "build"),
    Check("write-failed", "Every output could be written.", Severity.ERROR, "build"),
)
"""Checks made before (and after) the rules, with the codes their diagnostics carry."""


def catalogue() -> list[Check | Rule]:
    """Every code a diagnostic can carry: the stage checks, then the rules."""
    return [*STAGE_CHECKS, *RULES]


def severity_of(code: str) -> Severity | None:
    """The default severity of ``code``, or None when no check has that code."""
    for entry in catalogue():
        if entry.code == code:
            return entry.severity
    return None


# ---------------------------------------------------------------- helpers

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

OFFICIAL_LANGUAGES = {"ar": "Arabic", "zh": "Chinese", "en": "English",
                      "fr": "French", "ru": "Russian", "es": "Spanish"}
"""The six official languages of the United Nations, by ISO 639-1 code."""

PROSE = frozenset(q(t) for t in (
    "title", "subtitle", "p", "line", "segment", "wording", "footnote", "em", "link",
    "place", "body-name"))
"""Elements whose text is printed as running text."""


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


def _issue_date(ctx: RuleContext) -> tuple[etree._Element, dt.date] | None:
    element = ctx.root.find(f"{q('masthead')}/{q('date')}")
    if element is None:
        return None
    date = parse_date((element.text or "").strip())
    return (element, date) if date else None


def _date_fields(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """Every date in a document: element, what it is, its text."""
    for el in root.iter(q("date")):
        yield el, "the issue date", (el.text or "").strip()
    for el in root.iter(q("dates")):
        yield el, "the session's first day", el.get("start", "")
        yield el, "the session's last day", el.get("end", "")
    for el in root.iter(q("day")):
        yield el, "the day", el.get("date", "")


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class TextRun:
    """One text node of running text: an element's text or a child's tail.

    ``first`` and ``last`` say whether it opens or closes its element's content;
    :meth:`position` turns an offset in ``text`` into a line and column of the source.
    """

    owner: etree._Element
    text: str
    start_line: int
    follower: etree._Element | None
    first: bool
    last: bool

    def line_at(self, offset: int) -> int:
        """The source line of character ``offset``."""
        if self.follower is not None and self.follower.sourceline:
            return int(self.follower.sourceline) - self.text.count("\n", offset)
        return self.start_line + self.text.count("\n", 0, offset)

    def position(self, offset: int, lines: Sequence[str]) -> Position:
        """Line and column of character ``offset`` (column 0 when it cannot be found)."""
        line = self.line_at(offset)
        if not 0 < line <= len(lines):
            return line, 0
        before = self.text[self.text.rfind("\n", 0, offset) + 1: offset]
        after = self.text[offset: offset + 12].split("\n")[0]
        source = lines[line - 1]
        for probe, shift in ((before + after, len(before)), (after, 0)):
            if probe:
                found = source.find(probe)
                if found >= 0:
                    return line, found + shift + 1
        return line, 0


def _end_line(element: etree._Element) -> int:
    """The line where ``element`` ends (exact unless one of its tags spans several lines)."""
    return (element.sourceline or 0) + sum(t.count("\n") for t in _texts_inside(element))


def _texts_inside(element: etree._Element) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        yield from _texts_inside(child)
        if child.tail:
            yield child.tail


def text_runs(root: etree._Element) -> Iterator[TextRun]:
    """Every run of printed text under ``root``, each text node once."""
    for element in root.iter(*PROSE):
        children = list(element)
        if element.text:
            yield TextRun(element, element.text, element.sourceline or 0,
                          children[0] if children else None, True, not children)
        for index, child in enumerate(children):
            if child.tail:
                follower = children[index + 1] if index + 1 < len(children) else None
                yield TextRun(element, child.tail, _end_line(child), follower, False, follower is None)


def _finding(ctx: RuleContext, run: TextRun, offset: int, message: str) -> Finding:
    return run.owner, message, run.position(offset, ctx.source_lines)


# ---------------------------------------------------------------- dates and days


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


@rule("place-unknown", "The session's place is a venue whose time zone the pipeline knows.")
def _place_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """Programme times are local at the venue; the calendar needs its zone, from one table."""
    for place in ctx.root.iter(q("place")):
        name = collapse(place.text or "").strip()  # as the model reads it
        if name and name not in TIME_ZONES:
            yield place, (f"no time zone is known for the place {name!r}, so the calendar cannot be made; "
                          f"check the spelling (known: {', '.join(sorted(TIME_ZONES))}) or add the venue "
                          f"to pipeline/venues.py")


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


@rule("agenda-item-unknown", "Every agenda item referred to is on the register's agenda.")
def _agenda_item_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """``<agenda-item ref="5">`` names an item of the register's ``<agenda>``."""
    if ctx.register is None:
        return
    known = ", ".join(sorted(ctx.register.agenda, key=_natural))
    for item in ctx.root.iter(q("agenda-item")):
        ref = item.get("ref", "")
        if ref not in ctx.register.agenda:
            yield item, f"agenda item {ref} is not on the agenda of {ctx.register.path} (it has {known})"


@rule("topic-unknown", "Every sub-topic referred to is in the register.")
def _topic_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """``<topic ref="d">`` names a lettered sub-topic of the register's ``<topics>``."""
    if ctx.register is None:
        return
    known = ", ".join(f"({k})" for k in sorted(ctx.register.topics))
    for topic in ctx.root.iter(q("topic")):
        ref = topic.get("ref", "")
        if ref not in ctx.register.topics:
            yield topic, f"sub-topic ({ref}) is not in {ctx.register.path} (it has {known})"


@rule("wording-language", "The register words every referred item in the document's language.")
def _wording_language(ctx: RuleContext) -> Iterator[Finding]:
    """The body's name, and each agenda item and sub-topic the document refers to without a
    ``<wording>`` of its own, need a wording in the document's language in the register.
    Checked for languages the pipeline can publish (see language-layout)."""
    if ctx.register is None:
        return
    language = ctx.language
    if language not in layout_languages():
        return
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
    """``<footnote-ref ref="x">`` needs a ``<footnote id="x">`` under ``<footnotes>``."""
    defined = {f.get("id") for f in ctx.root.iter(q("footnote"))}
    for ref in ctx.root.iter(q("footnote-ref")):
        if ref.get("ref") not in defined:
            yield ref, f"footnote {ref.get('ref')!r} is called here but not defined under <footnotes>"


def _footnote_calls(ctx: RuleContext) -> dict[str, list[etree._Element]]:
    calls: dict[str, list[etree._Element]] = {}
    for ref in ctx.root.iter(q("footnote-ref")):
        calls.setdefault(ref.get("ref", ""), []).append(ref)
    return calls


@rule("footnote-unused", "Every footnote is called.")
def _footnote_unused(ctx: RuleContext) -> Iterator[Finding]:
    """A footnote that no ``<footnote-ref>`` calls would never be printed."""
    calls = _footnote_calls(ctx)
    for note in ctx.root.iter(q("footnote")):
        if not calls.get(note.get("id", "")):
            yield note, f"footnote {note.get('id')!r} is never called; call it or remove it"


@rule("footnote-repeated", "Every footnote is called once only.")
def _footnote_repeated(ctx: RuleContext) -> Iterator[Finding]:
    """A footnote is printed once, at its call; a second call would point readers to a
    number that follows a different place. Repeat the note or refer to it in words."""
    for note_id, refs in _footnote_calls(ctx).items():
        for ref in refs[1:]:
            yield ref, (f"footnote {note_id!r} is already called at line {refs[0].sourceline}; "
                        f"a footnote is called once")


@rule("duplicate-id", "Identifiers are unique: footnote ids, agenda item numbers, sub-topic letters.",
      applies_to=(DOCUMENT, REGISTER))
def _duplicate_id(ctx: RuleContext) -> Iterator[Finding]:
    """References by id must be unambiguous: two footnotes with one id, or two register
    entries with one agenda item number or sub-topic letter, make them so."""
    groups = (
        (ctx.root.iter(q("footnote")), "id", "footnote id"),
        (ctx.root.iterfind(f"{q('agenda')}/{q('item')}"), "number", "agenda item number"),
        (ctx.root.iterfind(f"{q('topics')}/{q('topic')}"), "letter", "sub-topic letter"),
    )
    for elements, attribute, label in groups:
        first: dict[str, etree._Element] = {}
        for element in elements:
            value = element.get(attribute, "")
            if value in first:
                yield element, (f"{label} {value!r} is already used at line "
                                f"{first[value].sourceline}; make it unique")
            else:
                first[value] = element


# ---------------------------------------------------------------- languages


@rule("language-code", "Language codes name an official UN language (ar, zh, en, fr, ru, es).",
      applies_to=(DOCUMENT, REGISTER))
def _language_code(ctx: RuleContext) -> Iterator[Finding]:
    """``<language>``, ``<original-language>``, ``annex/@original-language`` and ``xml:lang``
    hold the ISO 639-1 code of one of the six official languages."""
    official = ", ".join(f"{code} ({name})" for code, name in OFFICIAL_LANGUAGES.items())
    candidates: list[tuple[etree._Element, str, str]] = []
    for tag in ("language", "original-language"):
        for element in ctx.root.iter(q(tag)):
            candidates.append((element, f"<{tag}>", (element.text or "").strip()))
    for annex in ctx.root.iter(q("annex")):
        if annex.get("original-language") is not None:
            candidates.append((annex, "the annex's original-language", annex.get("original-language", "")))
    for element in ctx.root.iter():
        if isinstance(element.tag, str) and element.get(XML_LANG) is not None:
            candidates.append((element, "xml:lang", element.get(XML_LANG, "")))
    for element, what, code in candidates:
        if code not in OFFICIAL_LANGUAGES:
            yield element, (f"{what} {code!r} is not an official language of the United Nations; "
                            f"write one of {official}")


@rule("language-layout", "The pipeline has the layout wording for the document's language.")
def _language_layout(ctx: RuleContext) -> Iterator[Finding]:
    """Every fixed string of the layout ("Distr.:", "Annex", weekday names) comes from a
    wording table in ``pipeline/lang/``; a document in a language without one cannot be
    published yet."""
    language = ctx.language
    if language in OFFICIAL_LANGUAGES and language not in layout_languages():
        element = ctx.root.find(f"{q('masthead')}/{q('language')}")
        if element is not None:
            yield element, (f"the pipeline has no layout wording for {OFFICIAL_LANGUAGES[language]} "
                            f"({language!r}; it has {', '.join(layout_languages())}); add "
                            f"pipeline/lang/{language}.py before publishing in this language")


# ---------------------------------------------------------------- symbols and numbers

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

ORGAN_PREFIX = {
    "general-assembly": "A",
    "security-council": "S",
    "economic-and-social-council": "E",
    "secretariat": "ST",
}
"""The first component of the symbols of each organ's documents."""


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


def _masthead_symbol(ctx: RuleContext) -> tuple[etree._Element, str] | None:
    element = ctx.root.find(f"{q('masthead')}/{q('symbol')}")
    if element is None:
        return None
    symbol = (element.text or "").strip()
    return (element, symbol) if SYMBOL_GRAMMAR.fullmatch(symbol) else None


@rule("symbol-grammar", "Document symbols (masthead, references, register) follow the UN symbol grammar.",
      applies_to=(DOCUMENT, REGISTER))
def _symbol_grammar(ctx: RuleContext) -> Iterator[Finding]:
    """Organ, subsidiary bodies, optional year or session, number or series component
    (/L.n, /R.n, /CRP.n, /INF/n …), optional suffixes (/Add.n, /Corr.n, /Rev.n) and a
    trailing * for a reissue: A/AC.292/2023/2, A/77/275, A/RES/75/240."""
    for element in ctx.root.iter(q("symbol")):
        problem = symbol_problem((element.text or "").strip())
        if problem:
            yield element, problem
    for element in ctx.root.iter(q("doc-ref")):
        symbol = element.get("symbol") or (element.text or "").strip()
        problem = symbol_problem(symbol)
        if problem:
            yield element, f"the document reference: {problem}"
    for tag, attribute in (("agenda", "symbol"), ("established-by", "symbol"), ("topics", "source")):
        for element in ctx.root.iter(q(tag)):
            value = element.get(attribute)
            if value is not None:
                problem = symbol_problem(value)
                if problem:
                    yield element, f"{tag}/@{attribute}: {problem}"


@rule("symbol-organ", "The symbol begins with the organ's letter (A/ for the General Assembly).")
def _symbol_organ(ctx: RuleContext) -> Iterator[Finding]:
    """The masthead's ``<organ>`` and the first component of its symbol agree: A/ General
    Assembly, S/ Security Council, E/ Economic and Social Council, ST/ Secretariat."""
    found = _masthead_symbol(ctx)
    organ = (ctx.root.findtext(f"{q('masthead')}/{q('organ')}") or "").strip()
    if found is None or organ not in ORGAN_PREFIX:
        return
    element, symbol = found
    expected = ORGAN_PREFIX[organ]
    if symbol.split("/")[0] != expected:
        yield element, (f"{symbol} is not a symbol of the {organ.replace('-', ' ')}, whose symbols "
                        f"begin with {expected}/; correct the symbol or the organ")


@rule("symbol-distribution", "An L. document is limited, an R. document restricted.")
def _symbol_distribution(ctx: RuleContext) -> Iterator[Finding]:
    """The series component of the symbol fixes the distribution: /L.n documents (drafts)
    are issued for limited distribution, /R.n documents for restricted distribution."""
    found = _masthead_symbol(ctx)
    distribution_element = ctx.root.find(f"{q('masthead')}/{q('distribution')}")
    if found is None or distribution_element is None:
        return
    _, symbol = found
    distribution = (distribution_element.text or "").strip()
    for series, required in (("L", "limited"), ("R", "restricted")):
        if re.search(rf"/{series}\.\d+", symbol) and distribution != required:
            yield distribution_element, (
                f"{symbol} is an {series}. document, so its distribution is {required}, not "
                f"{distribution}; write <distribution>{required}</distribution> or correct the symbol")


@rule("symbol-year", "A year in the symbol is the year of issue.")
def _symbol_year(ctx: RuleContext) -> Iterator[Finding]:
    """When the symbol carries a year (A/AC.292/2023/2), it is the year of the issue date."""
    found, issued = _masthead_symbol(ctx), _issue_date(ctx)
    if found is None or issued is None:
        return
    element, symbol = found
    _, date = issued
    years = [int(part) for part in symbol.split("/")[1:] if re.fullmatch(r"(19|20)\d\d", part)]
    if years and years[0] != date.year:
        yield element, (f"the symbol {symbol} carries the year {years[0]} but the document is issued "
                        f"on {date}; use the symbol of {date.year} or correct the issue date")


@rule("resolution-number", "Resolution references are numbers of the form 75/240.")
def _resolution_number(ctx: RuleContext) -> Iterator[Finding]:
    """``<resolution-ref>`` holds the number as printed: session/number (75/240) or a
    number with a session in roman numerals (1514 (XV))."""
    for element in ctx.root.iter(q("resolution-ref")):
        number = (element.text or "").strip()
        if not re.fullmatch(r"\d+/\d+|\d+ \([IVXLC]+\)", number):
            yield element, f"resolution number {number!r} is not of the form 75/240"


@rule("link-scheme", "Links are web (https:, http:) or mail (mailto:) addresses.")
def _link_scheme(ctx: RuleContext) -> Iterator[Finding]:
    """A published document links to public addresses only: no file:, javascript: or data:
    addresses, no relative paths, no spaces."""
    for link in ctx.root.iter(q("link")):
        href = link.get("href", "")
        if re.search(r"\s", href):
            yield link, f"the link address {href!r} contains white space; write it without"
        elif not re.match(r"(https?://[^/\s]+|mailto:[^\s@]+@[^\s@]+)", href):
            yield link, (f"the link address {href!r} is not a web or mail address; write "
                         f"https://…, http://… or mailto:…")


@rule("job-number-form", "The job number has the form YY-NNNNN (e.g. 23-04216).")
def _job_number_form(ctx: RuleContext) -> Iterator[Finding]:
    """Two digits of the year, a hyphen, five digits; the language letter "(E)" is not part of
    the source: it follows from the document's language."""
    for element in ctx.root.iter(q("job-number")):
        value = (element.text or "").strip()
        if re.fullmatch(r"\d{2}-\d{5}", value):
            continue
        if re.fullmatch(r"\d{2}-\d{5}\s*\(?[A-Z]\)?", value):
            yield element, (f"the job number {value!r} carries a language letter; write only "
                            f"{value[:8]}: the letter follows from the document's language")
        else:
            yield element, f"the job number {value!r} is not of the form YY-NNNNN (e.g. 23-04216)"


@rule("job-number-year", "The job number's year (YY) is the year of the issue date.")
def _job_number_year(ctx: RuleContext) -> Iterator[Finding]:
    """Job numbers are assigned in the year of issue: 23-04216 is a number of 2023."""
    issued = _issue_date(ctx)
    if issued is None:
        return
    _, date = issued
    for element in ctx.root.iter(q("job-number")):
        value = (element.text or "").strip()
        if re.fullmatch(r"\d{2}-\d{5}", value) and int(value[:2]) != date.year % 100:
            yield element, (f"the job number {value} is a number of 20{value[:2]} but the document is "
                            f"issued on {date}; a job number is assigned in the year of issue: use a "
                            f"{date.year % 100:02d}-NNNNN number, or correct the issue date")


# ---------------------------------------------------------------- "(continued)"


def _entry_label(element: etree._Element) -> str:
    local = etree.QName(element).localname
    if local == "agenda-item":
        return f"agenda item {element.get('ref')}"
    if local == "topic":
        return f"sub-topic ({element.get('ref')})"
    return f"the {local} “{_shorten(''.join(element.itertext()), 50)}”"


def _continuations(ctx: RuleContext) -> Iterator[tuple[etree._Element, str, bool, etree._Element | None]]:
    """For each entry with an explicit ``continued``: element, stated value, what inference
    gives, and the earlier occurrence that inference relies on."""
    for programme in ctx.root.iter(q("programme")):
        seen: dict[tuple[str, str], etree._Element] = {}
        for element in programme_entries(programme):
            key = continuation_key(element)
            earlier = seen.get(key) if key is not None else None
            yield element, element.get("continued", "auto"), earlier is not None, earlier
            if key is not None and key not in seen:
                seen[key] = element


def _day_of(element: etree._Element) -> str:
    for ancestor in element.iterancestors(q("day")):
        return str(ancestor.get("date", ""))
    return ""


@rule("continued-override", "An explicit continued= that contradicts inference gives its reason.",
      Severity.WARNING)
def _continued_override(ctx: RuleContext) -> Iterator[Finding]:
    """The pipeline prints "(continued)" after an agenda item, sub-topic or programme line
    already taken up earlier in the session. ``continued="yes"`` or ``"no"`` overrides that;
    where the override contradicts the inference, confirm it is deliberate by saying why in
    ``continued-reason="…"`` on the same element (the reason is not printed)."""
    for element, stated, inferred, earlier in _continuations(ctx):
        if stated not in ("yes", "no") or (stated == "yes") == inferred or element.get("continued-reason"):
            continue
        what = _entry_label(element)
        if inferred:
            assert earlier is not None
            because = (f"{what} was already taken up on {_day_of(earlier)} (line {earlier.sourceline}), "
                       f"so inference would print “(continued)”")
        else:
            because = f"{what} is not taken up earlier in the session, so inference would print none"
        yield element, (f'continued="{stated}" overrides the inference: {because}; if the override '
                        f'is deliberate, say why in continued-reason="…", otherwise remove continued=')


@rule("continued-reason-unneeded", "A continued-reason= confirms an override that needs one.",
      Severity.WARNING)
def _continued_reason_unneeded(ctx: RuleContext) -> Iterator[Finding]:
    """``continued-reason`` explains an explicit ``continued=`` that contradicts the inference;
    on an entry without one, or where the stated value is what inference gives anyway, it
    is stale."""
    for element, stated, inferred, _ in _continuations(ctx):
        if not element.get("continued-reason"):
            continue
        if stated not in ("yes", "no"):
            yield element, ('continued-reason= is given but continued= is not "yes" or "no"; '
                            "remove the reason or state the override")
        elif (stated == "yes") == inferred:
            yield element, (f'continued="{stated}" is what inference gives anyway; remove '
                            f"continued= and continued-reason=")


# ---------------------------------------------------------------- content and typography


@rule("empty-content", "Paragraphs, lines, wordings, footnotes and titles have words in them.",
      applies_to=(DOCUMENT, REGISTER))
def _empty_content(ctx: RuleContext) -> Iterator[Finding]:
    """An element of running text that holds only white space (or nothing) prints as a blank
    paragraph, line or note."""
    for element in ctx.root.iter(q("title"), q("subtitle"), q("p"), q("line"), q("segment"),
                                 q("wording"), q("footnote"), q("body-name")):
        words = "".join(t for t in element.itertext() if isinstance(t, str))
        if not _visible(words):
            yield element, (f"<{etree.QName(element).localname}> has no text; write its words "
                            f"or remove it")


_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _visible(text: str) -> bool:
    return any(not ch.isspace() and ch not in _INVISIBLE for ch in text)


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_HYPHEN = re.compile(" ?[-‐‑] ?")
_RANGE_START = re.compile(rf"(?:(?<![\w/.-])\d+|\b(?:{_MONTHS}|{_WEEKDAY_NAMES})|\b[ap]\.m\.)$")
_RANGE_END = re.compile(rf"\d+|(?:{_MONTHS}|{_WEEKDAY_NAMES})\b")


def hyphen_ranges(text: str) -> Iterator[tuple[int, str, str]]:
    """Ranges written with a hyphen: offset of the hyphen, the range, and how to write it."""
    for hyphen in _HYPHEN.finditer(text):
        end = _RANGE_END.match(text, hyphen.end())
        if end is None:
            continue
        start = _RANGE_START.search(text, max(0, hyphen.start() - 12), hyphen.start())
        if start is None:
            continue
        written = text[start.start():end.end()]
        yield hyphen.start(), written, f"{start.group(0)}–{end.group(0)}"


@rule("dash-range", "Ranges of numbers, days and months take an en dash (25–29 July).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _dash_range(ctx: RuleContext) -> Iterator[Finding]:
    """A hyphen between two numbers, months or weekdays ("25-29 July", "July-August",
    "2021-2025", "10 a.m.-1 p.m.") is a range and takes an en dash, without spaces."""
    for run in ctx.runs:
        for offset, written, fixed in hyphen_ranges(run.text):
            yield _finding(ctx, run, offset,
                           f"“{written}” is a range: write “{fixed}”, with an en dash and no spaces")


_WHITESPACE_RUN = re.compile(r"[ \t\r\n]+")


@rule("text-tab", "Running text has no tab characters.", Severity.WARNING,
      applies_to=(DOCUMENT, REGISTER))
def _text_tab(ctx: RuleContext) -> Iterator[Finding]:
    """A tab inside a line of text (not the indentation of the source) usually comes from a
    word processor; the layout does its own spacing."""
    for run in ctx.runs:
        for match in _WHITESPACE_RUN.finditer(run.text):
            if "\t" in match.group(0) and "\n" not in match.group(0):
                yield _finding(ctx, run, match.start() + match.group(0).index("\t"),
                               "a tab in running text; write a single space")


@rule("text-double-space", "Running text has single spaces between words.", Severity.WARNING,
      applies_to=(DOCUMENT, REGISTER))
def _text_double_space(ctx: RuleContext) -> Iterator[Finding]:
    """Two or more spaces in a line of text (line breaks and the indentation of the source
    do not count)."""
    for run in ctx.runs:
        for match in _WHITESPACE_RUN.finditer(run.text):
            value = match.group(0)
            if "\n" not in value and "\t" not in value and len(value) > 1:
                yield _finding(ctx, run, match.start(), f"{len(value)} spaces in a row; write one")


_SPACES = " \t\r\n\u00a0\u202f"
_NBSP = re.compile("[\u00a0\u202f]")


@rule("text-nbsp", "No-break spaces stand only between words.", Severity.WARNING,
      applies_to=(DOCUMENT, REGISTER))
def _text_nbsp(ctx: RuleContext) -> Iterator[Finding]:
    """A no-break space belongs between two words that must stay on one line ("resolution
    75/240", "10 a.m."). One at the start or end of a text, next to another space, or (in
    English) before punctuation is left over from a word processor."""
    english = ctx.language in ("en", "")
    for run in ctx.runs:
        text = run.text
        for found in _NBSP.finditer(text):
            index = found.start()
            before = text[index - 1] if index > 0 else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if (before and before in _SPACES) or (after and after in _SPACES):
                why = "next to another space"
            elif (run.first and not text[:index].strip(_SPACES)) or (
                    run.last and not text[index + 1:].strip(_SPACES)):
                why = "at the edge of the text"
            elif english and after and after in ",.;:!?)":
                why = f"before “{after}”"
            else:
                continue
            yield _finding(ctx, run, index, f"a no-break space {why}; remove it or write a plain space")


_QUOTE_PROBLEMS = (
    (re.compile(r'"'), "a straight double quote; write “ and ” (typographic quotes)"),
    (re.compile(r"(?<=\w)'(?=\w)"), "a straight apostrophe; write ’"),
    (re.compile(r"'"), "a straight single quote; write ‘ and ’"),
    (re.compile(r"(?<=\w)‘(?=\w)"), "a left quote used as an apostrophe; write ’"),
    (re.compile(r"(?<=\w)“|“(?=[\s.,;:!?)]|$)"), "an opening quote “ where a closing ” belongs"),
    (re.compile(r"(?:^|(?<=[\s(]))”(?=\w)"), "a closing quote ” where an opening “ belongs"),
)


_QUOTE_CHARACTERS = frozenset("\"'‘“”")


@rule("text-quotes", "Quotes and apostrophes are typographic and the right way round.",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_quotes(ctx: RuleContext) -> Iterator[Finding]:
    """The layout uses typographic quotes (“…”, ‘…’) and apostrophes (’). A straight quote,
    an opening quote at the end of a word or a closing quote at the start of one is a
    slip of autocorrection or of a paste."""
    for run in ctx.runs:
        if not _QUOTE_CHARACTERS.intersection(run.text):
            continue
        taken: set[int] = set()
        for pattern, message in _QUOTE_PROBLEMS:
            for match in pattern.finditer(run.text):
                if match.start() not in taken:
                    taken.add(match.start())
                    yield _finding(ctx, run, match.start(), message)


_INVISIBLE_NAMES = {
    "\u00ad": "a soft hyphen (U+00AD)",
    "\u200b": "a zero-width space (U+200B)",
    "\u200c": "a zero-width non-joiner (U+200C)",
    "\u200d": "a zero-width joiner (U+200D)",
    "\u2060": "a word joiner (U+2060)",
    "\ufeff": "a zero-width no-break space (U+FEFF)",
    "\u200e": "a left-to-right mark (U+200E)",
    "\u200f": "a right-to-left mark (U+200F)",
}


_INVISIBLE_CHARACTER = re.compile("[" + "".join(_INVISIBLE_NAMES) + "]")


@rule("text-invisible", "Running text has no invisible characters (soft hyphens, zero-width spaces).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_invisible(ctx: RuleContext) -> Iterator[Finding]:
    """Soft hyphens, zero-width spaces and joiners, word joiners and direction marks are
    invisible in an editor but change how words break, search and copy. Arabic text may
    need joiners and direction marks; they are allowed there."""
    allowed = "\u200c\u200d\u200e\u200f" if ctx.language == "ar" else ""
    for run in ctx.runs:
        for found in _INVISIBLE_CHARACTER.finditer(run.text):
            ch = found.group(0)
            if ch not in allowed:
                yield _finding(ctx, run, found.start(), f"{_INVISIBLE_NAMES[ch]} in running text; remove it")


_MOJIBAKE = re.compile(r"\ufffd|[\u0080-\u009f]|â€[\u0080-\u00bf\u2018-\u203a™œž“”]|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")


@rule("text-mojibake", "Running text has no signs of a wrong encoding (â€™, Ã©, �).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_mojibake(ctx: RuleContext) -> Iterator[Finding]:
    """Text that was saved in one encoding and read in another shows tell-tale sequences
    ("â€™" for ’, "Ã©" for é) or the replacement character �; retype the characters."""
    for run in ctx.runs:
        for match in _MOJIBAKE.finditer(run.text):
            shown = match.group(0).encode("unicode_escape").decode("ascii") if unicodedata.category(
                match.group(0)[0]) == "Cc" else match.group(0)
            yield _finding(ctx, run, match.start(),
                           f"“{shown}” looks like text decoded with the wrong encoding; retype it")


def _natural(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", value))


# ---------------------------------------------------------------- the catalogue as a page


def markdown() -> str:
    """``docs/rules.md``: the catalogue as a page, generated from this module."""
    out = [
        "# Validation rules",
        "",
        "<!-- Generated by `python -m pipeline rules --markdown > docs/rules.md`; do not edit. -->",
        "",
        "`python -m pipeline validate` checks each source in three stages: it reads and parses the",
        "file safely, validates it against `schemas/undoc-1.0.xsd`, then runs the rules below.",
        "Every diagnostic names its file, line and column, a severity and a stable code:",
        "",
        "    sources/x.xml:42:7: error [day-weekday] \"Monday\" is not the weekday of 2023-03-07: it is a Tuesday",
        "",
        "An **error** stops the document: it is not built and its previous outputs are left as they",
        "were. A **warning** is shown and the document is built. With `--strict` (as in CI) warnings",
        "fail the run too, in `validate` and in `build` alike. Rules marked *register* also run on",
        "each register, once per run.",
        "",
        "Each rule has a document with exactly one mistake that triggers it, under",
        "`tests/fixtures/rules/<code>.xml`.",
        "",
        "## Confirming a deliberate “(continued)”",
        "",
        "The pipeline prints “(continued)” after an agenda item, sub-topic or programme line that",
        "was already taken up earlier in the session. `continued=\"yes\"` or `continued=\"no\"` on the",
        "entry overrides that. When the override contradicts what inference gives, the rule",
        "`continued-override` warns, naming both; an editor who means it says why in",
        "`continued-reason=\"…\"` on the same element, which silences the warning (the reason is",
        "not printed):",
        "",
        "    <topic ref=\"d\" continued=\"no\" continued-reason=\"The second reading opens each sub-topic afresh.\"/>",
        "",
        "## Rules",
        "",
        "| Code | Severity | Applies to | Rule |",
        "|---|---|---|---|",
    ]
    for r in RULES:
        out.append(f"| [`{r.code}`](#{r.code}) | {r.severity.label} | {', '.join(r.applies_to)} | {r.summary} |")
    out.append("")
    for r in RULES:
        out += [f"### {r.code}", "", f"*{r.severity.label}* — {r.summary}", ""]
        if r.description:
            out += [r.description, ""]
        out += [f"Example: [`tests/fixtures/rules/{r.code}.xml`](../tests/fixtures/rules/{r.code}.xml)", ""]
    out += [
        "## Checks before the rules",
        "",
        "These come from reading, parsing and the schema, and from the build itself. A source that",
        "fails one of them is not checked further.",
        "",
        "| Code | Stage | Check |",
        "|---|---|---|",
    ]
    for c in STAGE_CHECKS:
        out.append(f"| `{c.code}` | {c.stage} | {c.summary} |")
    out.append("")
    return "\n".join(out)

"""Build the document model from a validated tree, once.

Runs after the schema and the rules have passed, so it may assume a well-formed, resolved
document; the only inference made here is "(continued)" (see :func:`_continuations`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pipeline.model.inline import collapse, inlines
from pipeline.model.register import Register
from pipeline.model.tree import (
    AgendaItemEntry,
    Annex,
    BulletList,
    Continuation,
    Day,
    Document,
    Entry,
    Footnote,
    FootnoteRef,
    Inline,
    ListItem,
    Masthead,
    Paragraph,
    Programme,
    ProgrammeLine,
    Session,
    Slot,
    Source,
    TopicEntry,
)
from pipeline.project.config import config_for_source
from pipeline.sources.load import q


def footnote_numbers(root: etree._Element) -> dict[str, int]:
    """Footnotes numbered 1, 2, ... in the order of their first call in the document."""
    numbers: dict[str, int] = {}
    for ref in root.iter(q("footnote-ref")):
        numbers.setdefault(ref.get("ref", ""), len(numbers) + 1)
    return numbers


def continuation_key(element: etree._Element) -> tuple[str, str] | None:
    """What makes two programme entries "the same item" for "(continued)"."""
    if element.tag == q("agenda-item"):
        return ("agenda-item", element.get("ref", ""))
    if element.tag == q("topic"):
        return ("topic", element.get("ref", ""))
    if element.tag in (q("line"), q("segment")):
        return ("line", collapse("".join(element.itertext())).strip().casefold())
    return None


def programme_entries(programme: etree._Element) -> Iterator[etree._Element]:
    """Agenda items, topics, lines and segments of a programme, in reading order."""
    yield from programme.iter(q("agenda-item"), q("topic"), q("line"), q("segment"))


def infer_continuations(programme: etree._Element) -> dict[etree._Element, Continuation]:
    """"(continued)" for every entry: explicit where the source says so, else inferred.

    An entry is inferred to continue when the same agenda item, sub-topic or programme line
    (same words) was already taken up earlier in the session's programme.
    """
    seen: set[tuple[str, str]] = set()
    result: dict[etree._Element, Continuation] = {}
    for element in programme_entries(programme):
        key = continuation_key(element)
        stated = element.get("continued", "auto")
        inferred = key in seen
        if stated == "auto":
            result[element] = Continuation(inferred, explicit=False)
        else:
            result[element] = Continuation(stated == "yes", explicit=True)
        if key is not None:
            seen.add(key)
    return result


class _Builder:
    def __init__(self, root: etree._Element, path: str, register: Register, language: str):
        self.path = path
        self.register = register
        self.language = language
        self.notes = footnote_numbers(root)

    def src(self, element: etree._Element) -> Source:
        return Source(self.path, element.sourceline or 0)

    def inline(self, element: etree._Element | None) -> tuple[Inline, ...]:
        return () if element is None else inlines(element, self.path, self.notes)

    def note_refs(self, element: etree._Element) -> tuple[FootnoteRef, ...]:
        return tuple(
            FootnoteRef(ref.get("ref", ""), self.notes[ref.get("ref", "")], self.src(ref))
            for ref in element.iterchildren(q("footnote-ref"))
        )

    def wording(self, element: etree._Element, table: dict[str, dict[str, tuple[Inline, ...]]]) -> tuple[Inline, ...]:
        override = element.find(q("wording"))
        if override is not None:
            return self.inline(override)
        return table[element.get("ref", "")][self.language]

    def entry(self, element: etree._Element, continued: dict[etree._Element, Continuation]) -> Entry:
        if element.tag == q("list"):
            items: list[ListItem] = []
            for child in element:
                if isinstance(child.tag, str):
                    item = self.entry(child, continued)
                    assert isinstance(item, ProgrammeLine | TopicEntry)
                    items.append(item)
            return BulletList(tuple(items), self.src(element))
        if element.tag == q("agenda-item"):
            return AgendaItemEntry(
                element.get("ref", ""), self.wording(element, self.register.agenda),
                self.note_refs(element), continued[element], self.src(element),
            )
        if element.tag == q("topic"):
            return TopicEntry(
                element.get("ref", ""), self.wording(element, self.register.topics),
                self.note_refs(element), continued[element], self.src(element),
            )
        minutes = element.get("minutes")
        return ProgrammeLine(
            self.inline(element), element.tag == q("segment"),
            int(minutes) if minutes else None, continued[element], self.src(element),
        )

    def programme(self, element: etree._Element) -> Programme:
        continued = infer_continuations(element)
        days = []
        for day in element.iterchildren(q("day")):
            slots = tuple(
                Slot(
                    _time(slot.get("start", "")), _time(slot.get("end", "")),
                    tuple(self.entry(e, continued) for e in slot if isinstance(e.tag, str)),
                    self.src(slot),
                )
                for slot in day.iterchildren(q("slot"))
            )
            days.append(Day(dt.date.fromisoformat(day.get("date", "")), slots, self.src(day)))
        return Programme(tuple(days), self.src(element))


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def build_document(tree: etree._ElementTree, path: str, register: Register) -> Document:
    """The model of a schema-valid, rule-clean ``<document>`` tree."""
    root = tree.getroot()
    m = root.find(q("masthead"))
    s = root.find(q("session"))
    assert m is not None and s is not None  # guaranteed by the schema
    language = m.findtext(q("language"), "").strip()
    b = _Builder(root, path, register, language)
    symbol = m.find(q("symbol"))
    job = m.find(q("job-number"))
    assert symbol is not None and job is not None
    masthead = Masthead(
        organ=m.findtext(q("organ"), "").strip(),
        symbol=collapse(symbol.text or "").strip(),
        symbol_is_placeholder=symbol.get("placeholder") in ("true", "1"),
        distribution=m.findtext(q("distribution"), "").strip(),
        issued=dt.date.fromisoformat(m.findtext(q("date"), "").strip()),
        original_language=m.findtext(q("original-language"), "").strip(),
        language=language,
        job_number=collapse(job.text or "").strip(),
        job_number_is_placeholder=job.get("placeholder") in ("true", "1"),
        source=b.src(m),
    )
    dates = s.find(q("dates"))
    assert dates is not None
    written_place = collapse(s.findtext(q("place"), "")).strip()
    venue = config_for_source(Path(path)).venue(written_place)
    place = venue.name if venue is not None and venue.name else written_place
    session = Session(
        body_name=register.body_name[language],
        register_id=register.register_id,
        ordinal=int(s.get("ordinal", "0")),
        kind=s.get("kind", ""),
        place=place,
        start=dt.date.fromisoformat(dates.get("start", "")),
        end=dt.date.fromisoformat(dates.get("end", "")),
        source=b.src(s),
        venue=venue,
    )
    paragraphs_el = root.find(q("paragraphs"))
    paragraphs = tuple(
        Paragraph(n, b.inline(p), b.src(p))
        for n, p in enumerate(paragraphs_el.iterchildren(q("p")) if paragraphs_el is not None else (), 1)
    )
    annexes = []
    for annex in root.iterchildren(q("annex")):
        programme = annex.find(q("programme"))
        assert programme is not None
        annex_language = annex.get("original-language")
        annexes.append(Annex(
            b.inline(annex.find(q("title"))), b.programme(programme),
            annex_language if annex_language and annex_language != masthead.original_language else None,
            b.src(annex),
        ))
    footnotes_el = root.find(q("footnotes"))
    footnotes = sorted(
        (
            Footnote(f.get("id", ""), b.notes[f.get("id", "")], b.inline(f), b.src(f))
            for f in (footnotes_el.iterchildren(q("footnote")) if footnotes_el is not None else ())
            if f.get("id", "") in b.notes
        ),
        key=lambda f: f.number,
    )
    return Document(
        doc_type=root.get("type", ""),
        masthead=masthead,
        session=session,
        title=b.inline(root.find(q("title"))),
        subtitle=b.inline(root.find(q("subtitle"))),
        paragraphs=paragraphs,
        annexes=tuple(annexes),
        footnotes=tuple(footnotes),
        source=b.src(root),
    )

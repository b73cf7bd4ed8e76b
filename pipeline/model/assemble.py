"""Build the document model from a validated tree, once.

Runs after the schema and the rules have passed, so it may assume a well-formed, resolved
document; the only inference made here is "(continued)" (see :func:`_continuations`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path

from lxml import etree

from pipeline.genres import Genre, genre
from pipeline.model.inline import collapse, inlines
from pipeline.model.numbering import letter_number
from pipeline.model.register import Register
from pipeline.model.tree import (
    AgendaItemEntry,
    AgendaList,
    AgendaListItem,
    Annex,
    Block,
    BulletList,
    Cell,
    Contents,
    ContentsEntry,
    Continuation,
    Correction,
    Day,
    Document,
    DocumentRef,
    Entry,
    Footnote,
    FootnoteRef,
    FrontMatter,
    Inline,
    Item,
    ItemList,
    Letterhead,
    LetterPart,
    LineBreak,
    Link,
    ListItem,
    Masthead,
    Paragraph,
    Programme,
    ProgrammeLine,
    Quote,
    Row,
    Section,
    Session,
    Signature,
    Slot,
    Source,
    Table,
    TableNote,
    TableNoteRef,
    Text,
    TopicEntry,
)
from pipeline.project.config import config_for_source
from pipeline.sources.load import q, tag_position


def footnote_marks(root: etree._Element) -> dict[str, str]:
    """The footnotes marked "*", "**" (notes on the first page's symbol, title or agenda line)."""
    footnotes = root.find(q("footnotes"))
    if footnotes is None:
        return {}
    return {f.get("id", ""): f.get("mark", "") for f in footnotes.iterchildren(q("footnote")) if f.get("mark")}


def footnote_numbers(root: etree._Element, marked: Mapping[str, str] | None = None) -> dict[str, int]:
    """Footnotes numbered 1, 2, ... in the order of their first call in the document.

    Footnotes with a mark ("*"; ``marked``, found in ``root`` when not given) are not
    numbered: their number is 0.
    """
    marked = footnote_marks(root) if marked is None else marked
    numbers: dict[str, int] = {}
    count = 0
    for ref in root.iter(q("footnote-ref")):
        note_id = ref.get("ref", "")
        if note_id in numbers:
            continue
        if note_id not in marked:
            count += 1
        numbers[note_id] = 0 if note_id in marked else count
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
    def __init__(self, root: etree._Element, path: str, register: Register, language: str, genre: Genre,
                 lines: tuple[str, ...] = ()):
        self.path = path
        self.lines = lines
        self.register = register
        self.language = language
        self.genre = genre
        self.marks = footnote_marks(root)
        self.notes = footnote_numbers(root, self.marks)
        self.table_notes: dict[str, str] = {}
        self.paragraph_number = 0

    def src(self, element: etree._Element) -> Source:
        return Source(self.path, *tag_position(self.lines, element))

    def inline(self, element: etree._Element | None) -> tuple[Inline, ...]:
        if element is None:
            return ()
        return inlines(element, self.path, self.notes, marks=self.marks, table_notes=self.table_notes,
                       lines=self.lines)

    def note_refs(self, element: etree._Element) -> tuple[FootnoteRef, ...]:
        return tuple(
            FootnoteRef(ref.get("ref", ""), self.notes[ref.get("ref", "")], self.src(ref),
                        self.marks.get(ref.get("ref", ""), ""))
            for ref in element.iterchildren(q("footnote-ref"))
        )

    # ------------------------------------------------------------ the general tree

    def blocks(self, parent: etree._Element, depth: int, prefix: str = "sec") -> tuple[Block, ...]:
        """The blocks among ``parent``'s children; ``depth`` is the heading level of a section there.

        Sections get ids from their position: "sec-2" for the second of the body, "sec-2-1" for
        the first inside it ("annex-1-sec-2" in an annex), so that an id changes only when the
        structure does.
        """
        found: list[Block] = []
        counts = {"part": 0, "section": 0}
        position = 0
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            if child.tag in (q("part"), q("section")):
                position += 1
                found.append(self.division(child, depth, counts, child.get("id") or f"{prefix}-{position}"))
                continue
            block = self.block(child)
            if block is not None:
                found.append(block)
        return tuple(found)

    def division(self, element: etree._Element, depth: int, counts: dict[str, int], section_id: str) -> Section:
        """A part (level 0, counted among parts) or a section of the ladder (counted among sections)."""
        kind = "part" if element.tag == q("part") else "section"
        numbered = kind == "part" or element.get("numbered", "yes") != "no"
        if numbered:
            counts[kind] += 1
        level, inner = (0, 1) if kind == "part" else (depth, depth + 1)
        return Section(level, counts[kind] if numbered else None, self.inline(element.find(q("heading"))),
                       self.blocks(element, inner, section_id), section_id, self.src(element))

    def block(self, element: etree._Element) -> Block | None:
        """Any other block of the tree."""
        tag = element.tag
        if tag == q("p"):
            return self.paragraph(element)
        if tag in (q("subparagraphs"), q("bullets")):
            return self.item_list(element, 1)
        if tag == q("table"):
            return self.table(element)
        if tag == q("quote"):
            return Quote(tuple(Paragraph(None, self.inline(p), self.src(p)) for p in element.iterchildren(q("p"))),
                         self.src(element))
        if tag in (q("addressee"), q("salutation"), q("closing")):
            return LetterPart(etree.QName(element).localname, self.inline(element), self.src(element))
        if tag == q("signature"):
            return Signature(element.get("signed", "true") in ("true", "1"), self.inline(element.find(q("name"))),
                             tuple(self.inline(f) for f in element.iterchildren(q("function"))), self.src(element))
        if tag == q("contents"):
            return Contents((), self.src(element))  # filled in once the whole tree is built
        if tag == q("correction"):
            return Correction(self.inline(element.find(q("where"))), self.inline(element.find(q("for"))),
                              self.inline(element.find(q("read"))), self.src(element))
        if tag == q("agenda-list"):
            return AgendaList(tuple(
                AgendaListItem(e.get("ref", ""), self.wording(e, self.register.agenda), self.note_refs(e), self.src(e))
                for e in element.iterchildren(q("agenda-entry"))), self.src(element))
        if tag == q("programme"):
            return self.programme(element)
        return None  # the schema admits nothing else

    def paragraph(self, element: etree._Element) -> Paragraph:
        numbered = self.genre.numbers(element.get("numbered", "auto"))
        if numbered:
            self.paragraph_number += 1
        return Paragraph(self.paragraph_number if numbered else None, self.inline(element), self.src(element))

    def item_list(self, element: etree._Element, degree: int) -> ItemList:
        style = "lettered" if element.tag == q("subparagraphs") else "bullets"
        items = []
        for number, item in enumerate(element.iterchildren(q("item")), 1):
            nested = next((c for c in item.iterchildren(q("subparagraphs"), q("bullets"))), None)
            deeper = degree + 1 if style == "lettered" and nested is not None and nested.tag == q("subparagraphs") \
                else degree
            sublist = self.item_list(nested, deeper if nested.tag == q("subparagraphs") else 1) \
                if nested is not None else None
            items.append(Item(number, inlines(item, self.path, self.notes, marks=self.marks,
                                              table_notes=self.table_notes, stop_at=(q("subparagraphs"), q("bullets")),
                                              lines=self.lines),
                              sublist, self.src(item)))
        return ItemList(style, degree, tuple(items), self.src(element))

    def table(self, element: etree._Element) -> Table:
        notes_el = element.find(q("table-notes"))
        notes = list(notes_el.iterchildren(q("table-note"))) if notes_el is not None else []
        self.table_notes = {n.get("id", ""): letter_number(i) for i, n in enumerate(notes, 1)}
        try:
            def rows(container: etree._Element | None) -> tuple[Row, ...]:
                if container is None:
                    return ()
                return tuple(Row(tuple(Cell(self.inline(c), c.tag == q("th"), int(c.get("colspan", "1")),
                                            self.src(c)) for c in tr if isinstance(c.tag, str)), self.src(tr))
                             for tr in container.iterchildren(q("tr")))

            return Table(
                self.inline(element.find(q("caption"))),
                tuple(int(c.get("width", "0")) for c in element.iterchildren(q("col"))),
                rows(element.find(q("thead"))), rows(element.find(q("tbody"))),
                tuple(TableNote(n.get("id", ""), self.table_notes[n.get("id", "")], self.inline(n), self.src(n))
                      for n in notes),
                self.src(element))
        finally:
            self.table_notes = {}

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


def build_document(tree: etree._ElementTree, path: str, register: Register,
                   lines: tuple[str, ...] = ()) -> Document:
    """The model of a schema-valid, rule-clean ``<document>`` tree; ``lines``, the source's
    text, gives each node the column of its start tag."""
    root = tree.getroot()
    m = root.find(q("masthead"))
    s = root.find(q("session"))
    assert m is not None and s is not None  # guaranteed by the schema
    language = m.findtext(q("language"), "").strip()
    kind = genre(root.get("type", ""))
    b = _Builder(root, path, register, language, kind, lines)
    symbol = m.find(q("symbol"))
    job = m.find(q("job-number"))
    issued = m.find(q("date"))
    config = config_for_source(Path(path))
    head = m.find(q("letterhead"))
    letterhead = None if head is None else Letterhead(
        tuple(collapse(line.text or "").strip() for line in head.iterfind(q("line"))),
        collapse(head.findtext(q("place"), "")).strip(), b.src(head))
    masthead = Masthead(
        organ=m.findtext(q("organ"), "").strip(),
        symbol=collapse(symbol.text or "").strip() if symbol is not None else "",
        symbol_is_placeholder=symbol is not None and symbol.get("placeholder") in ("true", "1"),
        distribution=m.findtext(q("distribution"), "").strip(),
        issued=dt.date.fromisoformat((issued.text or "").strip() if issued is not None else ""),
        issued_is_placeholder=issued is not None and issued.get("placeholder") in ("true", "1"),
        original_language=m.findtext(q("original-language"), "").strip(),
        language=language,
        job_number=collapse(job.text or "").strip() if job is not None else "",
        job_number_is_placeholder=job is not None and job.get("placeholder") in ("true", "1"),
        source=b.src(m),
        emblem=config.emblem,
        letterhead=letterhead,
    )
    dates = s.find(q("dates"))
    assert dates is not None
    written_place = collapse(s.findtext(q("place"), "")).strip()
    venue = config.venue(written_place)
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
    front = _front(root.find(q("front")), b)
    paragraphs_el = root.find(q("paragraphs"))
    body: tuple[Block, ...]
    if paragraphs_el is not None:  # numbered paragraphs only: the short form of a body
        body = tuple(
            Paragraph(n, b.inline(p), b.src(p)) for n, p in enumerate(paragraphs_el.iterchildren(q("p")), 1))
    else:
        body_el = root.find(q("body"))
        assert body_el is not None  # the schema requires one or the other
        body = b.blocks(body_el, 1)
    annexes: list[Annex] = []
    for annex in root.iterchildren(q("annex")):
        b.paragraph_number = 0  # paragraph numbers start again in each annex
        annex_language = annex.get("original-language")
        annexes.append(Annex(
            b.inline(annex.find(q("title"))),
            b.blocks(annex, 1, f"annex-{len(annexes) + 1}-sec"),
            annex_language if annex_language and annex_language != masthead.language else None,
            b.src(annex),
        ))
    footnotes_el = root.find(q("footnotes"))
    footnotes = sorted(
        (
            Footnote(f.get("id", ""), b.notes[f.get("id", "")], b.inline(f), b.src(f), f.get("mark", ""))
            for f in (footnotes_el.iterchildren(q("footnote")) if footnotes_el is not None else ())
            if f.get("id", "") in b.notes
        ),
        key=lambda f: (f.number, len(f.mark)),
    )
    contents = _contents_entries(body, annexes)
    return Document(
        doc_type=root.get("type", ""),
        masthead=masthead,
        session=session,
        title=b.inline(root.find(q("title"))),
        subtitle=b.inline(root.find(q("subtitle"))),
        body=_fill_contents(body, contents),
        annexes=tuple(annexes),
        footnotes=tuple(footnotes),
        source=b.src(root),
        front=front,
    )


def _front(element: etree._Element | None, b: _Builder) -> FrontMatter:
    if element is None:
        return FrontMatter()
    reissued = element.find(q("reissued"))
    return FrontMatter(
        ga_session=b.inline(element.find(q("ga-session"))),
        agenda_lines=tuple(b.inline(line) for line in element.iterchildren(q("agenda-line"))),
        reissued=dt.date.fromisoformat(reissued.get("date", "")) if reissued is not None else None,
    )


CONTENTS_DEPTH = 2
"""The contents list names parts, chapters and their sections ("A."), not deeper headings."""


def _contents_entries(body: tuple[Block, ...], annexes: list[Annex]) -> tuple[ContentsEntry, ...]:
    entries: list[ContentsEntry] = []

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Section) and block.level <= CONTENTS_DEPTH:
                entries.append(ContentsEntry(block.level, block.number, _entry_words(block.heading), block.section_id))
                walk(block.blocks)

    walk(body)
    for number, annex in enumerate(annexes, 1):
        entries.append(ContentsEntry(-1, number, _entry_words(annex.title), f"annex-{number}"))
    return tuple(entries)


def _entry_words(heading: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A heading as its line of the contents list gives it: without its calls of notes (the note
    is called once, from the heading), a reference or a link as its words (the line is itself a
    link to the heading), a line break as a space."""
    words: list[Inline] = []
    for node in heading:
        if isinstance(node, (FootnoteRef, TableNoteRef)):
            continue
        if isinstance(node, LineBreak):
            words.append(Text(" ", node.source))
        elif isinstance(node, DocumentRef):
            words.append(Text(node.text, node.source))
        elif isinstance(node, Link):
            words.extend(_entry_words(node.children) or (Text(node.href, node.source),))
        elif isinstance(node, Text):
            words.append(node)
        else:
            words.append(dataclasses.replace(node, children=_entry_words(node.children)))
    return tuple(words)


def _fill_contents(blocks: tuple[Block, ...], entries: tuple[ContentsEntry, ...]) -> tuple[Block, ...]:
    filled: list[Block] = []
    for block in blocks:
        if isinstance(block, Contents):
            filled.append(Contents(entries, block.source))
        elif isinstance(block, Section):
            filled.append(dataclasses.replace(block, blocks=_fill_contents(block.blocks, entries)))
        else:
            filled.append(block)
    return tuple(filled)

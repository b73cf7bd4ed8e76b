"""Read an Akoma Ntoso output of :mod:`pipeline.formats.akn.render` back into the document model.

The inverse of the renderer: every model value is taken from the Akoma Ntoso construct that
carries it (the symbol from ``<docNumber>``, the organ from FRBRauthor's TLC, dates from
``@date``, times from ``<time @time>``, agenda item numbers and sub-topic letters from the
TLCs their blocks refer to, footnotes from ``<authorialNote>``, sections from ``<chapter>``,
``<section>``… and their ``<num>``, subparagraphs from ``<blockList>``, tables from
``<tblock>``) and, where Akoma Ntoso has no construct, from the pipeline's ``<proprietary>``
metadata. What the model derives from the structure is derived again the same way: section
numbers count the numbered sections of a level under one parent, item numbers count the
items of a list, and a lettered list inside an item of another goes one degree deeper.
Rendering a model and importing the result gives an equal model (source positions are not
compared).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from lxml import etree

from pipeline.formats.akn.names import (
    AKN_NS,
    BLOCKS_CONTAINER,
    DEEP_SECTION,
    DOC_TYPES,
    PROGRAMME_CONTAINER,
    SECTION_ELEMENTS,
    akn,
    local_name,
    own,
)
from pipeline.i18n import languages, wording_for
from pipeline.model.inline import XML_LANG
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
    Emphasis,
    Entry,
    Footnote,
    FootnoteRef,
    ForeignSpan,
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
    Strong,
    Superscript,
    Table,
    TableNote,
    TableNoteRef,
    Text,
    TopicEntry,
)

_UNDOCS = re.compile(r"https://undocs\.org/[a-z]{2}/(?P<symbol>.+)")
_MINUTES = re.compile(r"PT(?P<minutes>[1-9][0-9]*)M")
_SECTION_LEVELS = {akn(local): level for level, local in SECTION_ELEMENTS.items()}
_DEEP_SECTION = re.compile(DEEP_SECTION.format(level=r"(?P<level>[0-9]+)"))
_LABELS = (akn("num"), akn("heading"))
"""The number and heading of a subdivision: not blocks."""
_LETTER_PARTS = ("addressee", "salutation", "closing")


class ImportProblem(ValueError):
    """The tree is not an Akoma Ntoso document this pipeline wrote."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_blank_text=False, huge_tree=False)


def _require(element: etree._Element | None, what: str) -> etree._Element:
    if element is None:
        raise ImportProblem(f"no {what}")
    return element


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


class _Reader:
    def __init__(self, root: etree._Element, path: str):
        self.root = root
        self.path = path
        self.doc = _require(root.find(akn("doc")), "<doc> under <akomaNtoso>")
        self.by_eid = {e.get("eId", ""): e for e in root.iter() if isinstance(e.tag, str) and e.get("eId")}
        proprietary = self.doc.find(f"{akn('meta')}/{akn('proprietary')}")
        self.own = proprietary if proprietary is not None else etree.Element(akn("proprietary"))
        self.note_ids = {self._target(e): e.get("id", "") for e in self.own.iter(own("footnote"))}
        self.stated = {self._target(e) for e in self.own.iter(own("continuedStated"))}
        self.bare = {self._target(e) for e in self.own.iter(own("bareLink"))}
        self.section_ids = {self._target(e): e.get("id", "") for e in self.own.iter(own("section"))}
        self.table_shapes = {self._target(e): e for e in self.own.iter(own("table"))}
        self.table_note_ids = {self._target(e): e.get("id", "") for e in self.own.iter(own("tableNote"))}
        self.footnotes: dict[str, Footnote] = {}
        self.sections: dict[str, Section] = {}
        """eId -> the section read from it (contents entries name them)."""

    # ---- helpers

    def src(self, element: etree._Element) -> Source:
        return Source(self.path, element.sourceline or 0)

    @staticmethod
    def _target(element: etree._Element) -> str:
        return str(element.get("href", "")).removeprefix("#")

    def code(self, reference: str | None) -> str:
        """The code a TLC reference stands for: the last segment of the TLC's href."""
        tlc = self.by_eid.get((reference or "").removeprefix("#"))
        if tlc is None:
            raise ImportProblem(f"reference {reference!r} names no TLC")
        return str(tlc.get("href", "")).rsplit("/", 1)[-1]

    def find(self, parent: etree._Element, path: str) -> etree._Element:
        return _require(parent.find(path, {"a": AKN_NS}), path.replace("a:", ""))

    # ---- inline content

    def inlines(self, element: etree._Element | None) -> tuple[Inline, ...]:
        if element is None:
            return ()
        nodes: list[Inline] = []

        def text(value: str | None, where: etree._Element) -> None:
            if value:
                if nodes and isinstance(nodes[-1], Text):
                    nodes[-1] = Text(nodes[-1].text + value, nodes[-1].source)
                else:
                    nodes.append(Text(value, self.src(where)))

        text(element.text, element)
        for child in element:
            if isinstance(child.tag, str):
                node = self.inline(child)
                if node is not None:
                    nodes.append(node)
            text(child.tail, child)
        return tuple(nodes)

    def inline(self, element: etree._Element) -> Inline | None:
        local = local_name(element)
        if local == "i":
            return Emphasis(self.inlines(element), self.src(element))
        if local == "b":
            return Strong(self.inlines(element), self.src(element))
        if local == "sup":
            return Superscript(self.inlines(element), self.src(element))
        if local == "br":
            return LineBreak(self.src(element))
        if local == "span":
            return ForeignSpan(element.get(XML_LANG, ""), self.inlines(element), self.src(element))
        if local == "ref":
            found = _UNDOCS.fullmatch(element.get("href", ""))
            if found is None:
                raise ImportProblem(f"<ref href={element.get('href')!r}> is not an undocs.org address")
            return DocumentRef(found["symbol"], "".join(element.itertext()), self.src(element))
        if local == "a":
            children = () if element.get("eId") in self.bare else self.inlines(element)
            return Link(element.get("href", ""), children, self.src(element))
        if local == "noteRef" and self._target(element) in self.table_note_ids:
            return TableNoteRef(self.table_note_ids[self._target(element)], element.get("marker", ""),
                                self.src(element))
        if local in ("authorialNote", "noteRef"):
            return self.note_call(element)
        raise ImportProblem(f"unexpected inline element <{local}> on line {element.sourceline}")

    def note_call(self, element: etree._Element) -> FootnoteRef:
        if local_name(element) == "noteRef":
            note = _require(self.by_eid.get(self._target(element)), f"footnote {element.get('href')}")
        else:
            note = element
        note_id = self.note_ids.get(note.get("eId", ""), "")
        marker = note.get("marker", "0")
        number, mark = (int(marker), "") if marker.isdigit() else (0, marker)
        if note_id not in self.footnotes:
            self.footnotes[note_id] = Footnote(note_id, number, self.inlines(note.find(akn("p"))),
                                               self.src(note), mark)
        return FootnoteRef(note_id, number, self.src(element), mark)

    # ---- document parts

    def masthead(self) -> Masthead:
        cover = self.find(self.doc, "a:coverPage")
        ident = self.find(self.doc, "a:meta/a:identification")
        language3 = self.find(ident, "a:FRBRExpression/a:FRBRlanguage").get("language", "")
        language = next((c for c in languages() if wording_for(c).iso639_2 == language3), None)
        if language is None:
            raise ImportProblem(f"no wording table for the language {language3!r}")
        placeholders = self.own.find(own("placeholders"))
        flags = placeholders if placeholders is not None else etree.Element("none")
        number = cover.find(".//a:docNumber", {"a": AKN_NS})
        lines = cover.findall(".//a:inline[@name='letterhead']", {"a": AKN_NS})
        letterhead = Letterhead(tuple("".join(line.itertext()) for line in lines),
                                "".join(self.find(cover, ".//a:inline[@name='letterheadPlace']").itertext()),
                                self.src(cover)) if lines else None
        return Masthead(
            organ=self.code(self.find(ident, "a:FRBRWork/a:FRBRauthor").get("href")),
            symbol="".join(number.itertext()) if number is not None else "",
            symbol_is_placeholder=flags.get("symbol") == "true",
            distribution=self.code(self.find(cover, ".//a:docStatus").get("refersTo")),
            issued=dt.date.fromisoformat(self.find(cover, ".//a:docDate").get("date", "")),
            issued_is_placeholder=flags.get("issued") == "true",
            original_language=self.code(
                self.find(cover, ".//a:inline[@name='originalLanguage']").get("refersTo")),
            language=language,
            job_number=_job_number(ident),
            job_number_is_placeholder=flags.get("jobNumber") == "true",
            source=self.src(cover),
            letterhead=letterhead,
        )

    def session(self) -> Session:
        preface = self.find(self.doc, "a:preface")
        body = self.find(preface, ".//a:docCommittee")
        session = self.find(preface, ".//a:session")
        location = self.find(preface, ".//a:location")
        dates = _require(location.getparent(), "the place and dates").findall(akn("date"))
        if not dates:
            raise ImportProblem("no session dates beside the place")
        return Session(
            body_name=self.inlines(body),
            register_id=self.code(body.get("refersTo")),
            ordinal=int(session.get("value", "0")),
            kind=self.code(session.get("refersTo")),
            place="".join(location.itertext()),
            start=dt.date.fromisoformat(dates[0].get("date", "")),
            end=dt.date.fromisoformat(dates[-1].get("date", "")),
            source=self.src(preface),
        )

    def front(self) -> FrontMatter:
        preface = self.find(self.doc, "a:preface")
        ga_session = preface.find("a:p/a:inline[@name='gaSession']", {"a": AKN_NS})
        reissued = preface.find("a:p/a:inline[@name='reissued']/a:date", {"a": AKN_NS})
        return FrontMatter(
            ga_session=self.inlines(ga_session),
            agenda_lines=tuple(self.inlines(line) for line in
                               preface.iterfind("a:p/a:inline[@name='agendaLine']", {"a": AKN_NS})),
            reissued=None if reissued is None else dt.date.fromisoformat(reissued.get("date", "")),
        )

    # ---- blocks

    def body(self, body: etree._Element) -> tuple[Block, ...]:
        """The blocks of a ``<mainBody>`` (an empty ``<p/>`` alone stands for no block)."""
        children = _elements(body)
        if len(children) == 1 and children[0].tag == akn("p") and not len(children[0]) and not children[0].text:
            return ()
        return self.blocks(body)

    def blocks(self, parent: etree._Element) -> tuple[Block, ...]:
        """The blocks among ``parent``'s children, in order; section numbers count from 1 here."""
        found: list[Block] = []
        numbers: dict[int, int] = {}
        for child in _elements(parent):
            if child.tag not in _LABELS:
                found.extend(self.block(child, numbers))
        return tuple(found)

    def block(self, element: etree._Element, numbers: dict[int, int]) -> list[Block]:
        tag, name = element.tag, element.get("name", "")
        level = self.section_level(element)
        if level is not None:
            return [self.section(element, level, numbers)]
        if tag == akn("paragraph"):
            content = self.find(element, "a:content")
            first, *rest = _elements(content)
            num = element.findtext(akn("num"))
            digits = re.search(r"\d+", num or "")  # the number as the language prints it: "1.", "1 -"
            number = int(digits.group()) if digits else None
            paragraph = Paragraph(number, self.inlines(first), self.src(element))
            return [paragraph, *(b for child in rest for b in self.block(child, numbers))]
        if tag == akn("p"):
            children = _elements(element)
            if len(children) == 1 and children[0].tag == akn("embeddedStructure") and not (element.text or "").strip():
                return [Quote(self.blocks(children[0]), self.src(element))]
            return [Paragraph(None, self.inlines(element), self.src(element))]
        if tag in (akn("content"), akn("intro"), akn("wrapUp")):
            return list(self.blocks(element))
        if tag == akn("hcontainer") and name == BLOCKS_CONTAINER:
            return list(self.blocks(self.find(element, "a:content")))
        if tag == akn("hcontainer") and name == PROGRAMME_CONTAINER:
            days = tuple(self.day(d) for d in element.iterchildren(akn("hcontainer")) if d.get("name") == "day")
            return [Programme(days, self.src(element))]
        if tag == akn("blockList") and element.get("class") == "agenda":
            return [self.agenda_list(element)]
        if tag == akn("blockList"):
            return [self.item_list(element, 1)]
        if tag == akn("tblock"):
            return [self.table(element)]
        if tag == akn("toc"):
            return [Contents(tuple(self.contents_entry(i) for i in element.iterchildren(akn("tocItem"))),
                             self.src(element))]
        if tag == akn("block") and name in _LETTER_PARTS:
            return [LetterPart(name, self.inlines(element), self.src(element))]
        if tag == akn("block") and name == "signature":
            return [self.signature(element)]
        if tag == akn("block") and name == "correction":
            return [Correction(self.inlines(self.find(element, "a:inline[@name='where']")),
                               self.inlines(self.find(element, "a:del")), self.inlines(self.find(element, "a:ins")),
                               self.src(element))]
        if tag == akn("block") and name == "contents":
            return [Contents((), self.src(element))]
        raise ImportProblem(f"unexpected <{local_name(element)}> on line {element.sourceline}")

    @staticmethod
    def section_level(element: etree._Element) -> int | None:
        if element.tag in _SECTION_LEVELS:
            return _SECTION_LEVELS[element.tag]
        deep = _DEEP_SECTION.fullmatch(element.get("name", "")) if element.tag == akn("hcontainer") else None
        return None if deep is None else int(deep["level"])

    def section(self, element: etree._Element, level: int, numbers: dict[int, int]) -> Section:
        number = None
        if element.find(akn("num")) is not None:
            numbers[level] = number = numbers.get(level, 0) + 1
        eid = element.get("eId", "")
        blocks = self.blocks(element)
        section = Section(level, number, self.inlines(element.find(akn("heading"))),
                          blocks, self.section_ids.get(eid, ""), self.src(element))
        self.sections[eid] = section
        return section

    def item_list(self, element: etree._Element, degree: int) -> ItemList:
        style = element.get("class", "")
        items = []
        for number, item in enumerate(element.iterchildren(akn("item")), 1):
            nested = item.find(akn("blockList"))
            sublist = None
            if nested is not None:
                lettered = nested.get("class") == "lettered"
                sublist = self.item_list(nested, (degree + 1 if style == "lettered" else degree) if lettered else 1)
            items.append(Item(number, self.inlines(item.find(akn("p"))), sublist, self.src(item)))
        return ItemList(style, degree, tuple(items), self.src(element))

    def table(self, element: etree._Element) -> Table:
        table = self.find(element, "a:table")
        shape = _require(self.table_shapes.get(table.get("eId", "")), f"the shape of table {table.get('eId')}")
        widths = tuple(int(w) for w in shape.get("widths", "").split())
        head_rows = int(shape.get("headRows", "0"))
        rows = tuple(
            Row(tuple(Cell(self.inlines(cell.find(akn("p"))), cell.tag == akn("th"), int(cell.get("colspan", "1")),
                           self.src(cell)) for cell in _elements(tr)), self.src(tr))
            for tr in table.iterchildren(akn("tr")))
        notes = element.find(f"{akn('blockList')}[@class='tableNotes']")
        return Table(
            self.inlines(table.find(akn("caption"))), widths, rows[:head_rows], rows[head_rows:],
            tuple(TableNote(self.table_note_ids.get(item.get("eId", ""), ""), item.findtext(akn("num"), ""),
                            self.inlines(item.find(akn("p"))), self.src(item))
                  for item in (notes.iterchildren(akn("item")) if notes is not None else ())),
            self.src(element))

    def signature(self, element: etree._Element) -> Signature:
        signature = self.find(element, "a:signature")
        return Signature(signature.find(f"{akn('inline')}[@name='signed']") is not None,
                         self.inlines(self.find(signature, "a:person")),
                         tuple(self.inlines(role) for role in signature.iterchildren(akn("role"))),
                         self.src(element))

    def contents_entry(self, item: etree._Element) -> ContentsEntry:
        """A contents line as written; its number and target are read with the section it names."""
        return ContentsEntry(int(item.get("level", "0")), None,
                             self.inlines(self.find(item, "a:inline[@name='heading']")),
                             self._target(item))

    def agenda_list(self, element: etree._Element) -> AgendaList:
        items = []
        for item in element.iterchildren(akn("item")):
            p = self.find(item, "a:p")
            items.append(AgendaListItem(
                self.code(item.get("refersTo")), self.inlines(self.find(p, "a:inline[@name='wording']")),
                tuple(self.note_call(n) for n in p if n.tag in (akn("authorialNote"), akn("noteRef"))),
                self.src(item)))
        return AgendaList(tuple(items), self.src(element))

    def resolve(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """``blocks`` with each contents line given the number and id of the section or annex it names."""
        resolved: list[Block] = []
        for block in blocks:
            if isinstance(block, Contents):
                block = dataclasses.replace(block, entries=tuple(self.entry_target(e) for e in block.entries))
            elif isinstance(block, Section):
                block = dataclasses.replace(block, blocks=self.resolve(block.blocks))
            resolved.append(block)
        return tuple(resolved)

    def entry_target(self, entry: ContentsEntry) -> ContentsEntry:
        if entry.target.startswith("att_"):
            number = int(entry.target.removeprefix("att_"))
            return dataclasses.replace(entry, number=number, target=f"annex-{number}")
        section = self.sections.get(entry.target)
        if section is None:
            raise ImportProblem(f"the contents line to #{entry.target} names no section")
        return dataclasses.replace(entry, number=section.number, target=section.section_id)

    def annex(self, doc: etree._Element) -> Annex:
        preface = self.find(doc, "a:preface")
        language = preface.find(".//a:inline[@name='originalLanguage']", {"a": AKN_NS})
        return Annex(
            self.inlines(self.find(preface, ".//a:docTitle")),
            self.body(self.find(doc, "a:mainBody")),
            None if language is None else self.code(language.get("refersTo")),
            self.src(doc),
        )

    def day(self, element: etree._Element) -> Day:
        date = dt.date.fromisoformat(self.find(element, "a:heading/a:date").get("date", ""))
        slots = tuple(self.slot(s) for s in element.iterchildren(akn("hcontainer")) if s.get("name") == "slot")
        return Day(date, slots, self.src(element))

    def slot(self, element: etree._Element) -> Slot:
        times = self.find(element, "a:heading").findall(akn("time"))
        if len(times) != 2:
            raise ImportProblem(f"slot {element.get('eId')} has {len(times)} times, not 2")
        start, end = (dt.datetime.fromisoformat(t.get("time", "")).time() for t in times)
        content = self.find(element, "a:content")
        entries = tuple(self.entry(e) for e in content if isinstance(e.tag, str) and e.tag != akn("p"))
        return Slot(start, end, entries, self.src(element))

    def entry(self, element: etree._Element) -> Entry:
        if element.tag == akn("blockList"):
            items: list[ListItem] = []
            for item in element.iterchildren(akn("item")):
                entry = self.entry(self.find(item, "a:block"))
                if not isinstance(entry, ProgrammeLine | TopicEntry):
                    raise ImportProblem(f"list item {item.get('eId')} holds a {type(entry).__name__}")
                items.append(entry)
            return BulletList(tuple(items), self.src(element))
        if element.tag != akn("block"):
            raise ImportProblem(f"unexpected <{etree.QName(element).localname}> in a slot")
        name = element.get("name")
        wording = self.inlines(self.find(element, "a:inline[@name='wording']"))
        notes = tuple(self.note_call(n) for n in element
                      if n.tag in (akn("authorialNote"), akn("noteRef")))
        shown = element.find("a:inline[@name='continued']", {"a": AKN_NS}) is not None
        continued = Continuation(shown, element.get("eId") in self.stated)
        if name == "agendaItem":
            return AgendaItemEntry(self.code(element.get("refersTo")), wording, notes, continued,
                                   self.src(element))
        if name == "topic":
            return TopicEntry(self.code(element.get("refersTo")), wording, notes, continued, self.src(element))
        if name in ("segment", "line"):
            quantity = element.find(akn("quantity"))
            minutes = None
            if quantity is not None:
                found = _MINUTES.fullmatch(quantity.get("normalized", ""))
                if found is None:
                    raise ImportProblem(f"duration {quantity.get('normalized')!r} is not PTnM")
                minutes = int(found["minutes"])
            return ProgrammeLine(wording, name == "segment", minutes, continued, self.src(element))
        raise ImportProblem(f"unknown entry block {name!r}")

    def document(self) -> Document:
        doc_name = self.doc.get("name", "")
        if doc_name not in DOC_TYPES:
            raise ImportProblem(f"unknown document name {doc_name!r}")
        masthead = self.masthead()
        session = self.session()
        preface = self.find(self.doc, "a:preface")
        title = self.inlines(self.find(preface, ".//a:docTitle"))
        subtitle = self.inlines(preface.find(".//a:inline[@name='subtitle']", {"a": AKN_NS}))
        front = self.front()
        body = self.body(self.find(self.doc, "a:mainBody"))
        annexes = tuple(self.annex(a.find(akn("doc")))
                        for a in self.doc.iterfind(f"{akn('attachments')}/{akn('attachment')}"))
        # Contents lines come before the sections they name: their targets are read last.
        return Document(
            doc_type=DOC_TYPES[doc_name],
            masthead=masthead,
            session=session,
            title=title,
            subtitle=subtitle,
            body=self.resolve(body),
            annexes=tuple(dataclasses.replace(a, blocks=self.resolve(a.blocks)) for a in annexes),
            footnotes=tuple(sorted(self.footnotes.values(), key=lambda f: (f.number, len(f.mark)))),
            source=self.src(self.doc),
            front=front,
        )


def _job_number(identification: etree._Element) -> str:
    alias = identification.find(f"{akn('FRBRExpression')}/{akn('FRBRalias')}[@name='jobNumber']")
    return "" if alias is None else str(alias.get("value", ""))


def document_from_tree(root: etree._Element, path: str = "<akn>") -> Document:
    """The model of an Akoma Ntoso tree written by :mod:`pipeline.formats.akn.render`."""
    if root.tag != akn("akomaNtoso"):
        raise ImportProblem(f"the root element is {root.tag}, not akomaNtoso")
    return _Reader(root, path).document()


def import_akn(data: bytes, path: str = "<akn>") -> Document:
    """The model of Akoma Ntoso bytes, parsed safely (no DTD, no entities, no network)."""
    return document_from_tree(etree.fromstring(data, _parser()), path)


def import_file(path: Path) -> Document:
    """The model of an Akoma Ntoso file."""
    return import_akn(path.read_bytes(), str(path))

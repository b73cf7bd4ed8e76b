"""Akoma Ntoso 3.0 (OASIS LegalDocML), following the AKN4UN guidelines as far as they go.

Every genre is a ``<doc>`` named as its genre says (``pipeline.genres``: ``programmeOfWork``,
``report``, ``agenda``, ``letter``, ``corrigendum``…) and identified by FRBR IRIs built from
its symbol (``/akn/un/doc/report/2022-08-08/A-77-275/eng@/!main``). The masthead is in
``<coverPage>``; the body, session, front matter (General Assembly session, agenda lines,
reissue) and title in ``<preface>``; the blocks of the body in ``<mainBody>``, and each annex
is an attached ``<doc name="annex">`` with its own ``<mainBody>``.

Blocks map to Akoma Ntoso as follows. Sections of the heading ladder are ``<part>``,
``<chapter>``, ``<section>``, ``<subsection>`` and below that ``<hcontainer name="level4">``…,
each with ``<num>`` and ``<heading>``; a numbered paragraph is a ``<paragraph>`` with ``<num>``,
and the subparagraphs, table or quotation that follow it sit in its ``<content>``; an
unnumbered paragraph is a ``<p>``. Inside a subdivision, other blocks go in ``<content>`` (no
subdivisions), ``<intro>`` (before the first), ``<wrapUp>`` (after the last) or an
``<hcontainer name="blocks">`` (between two). Lists are ``<blockList class="lettered|bullets">``
of ``<item>`` with ``<num>``; a table is a ``<tblock>`` holding the ``<table>`` (caption,
``<th>``/``<td>``) and its notes as ``<blockList class="tableNotes">``, called by ``<noteRef>``;
a quotation is an ``<embeddedStructure>``; letter parts, the signature (``<signature>`` with
``<person>`` and ``<role>``) and corrections (``<del>``, ``<ins>``) are named ``<block>``s;
the contents list is a ``<toc>``; a provisional agenda is ``<blockList class="agenda">`` whose
items refer to the agenda's TLCs; a programme of work is an ``<hcontainer name="programme">``,
a tree of ``<hcontainer name="day">`` / ``<hcontainer name="slot">`` with ``<date>`` and
``<time>`` headings and one named ``<block>`` per entry. Footnotes are ``<authorialNote>`` at
their first call (``<noteRef>`` at later ones), their marker the number or "*". Agenda items,
sub-topics, organs, bodies, signatories and codes are TLCs in ``<references>``; what the model
needs and Akoma Ntoso has no element for (placeholder flags, footnote and table-note ids,
section ids, column widths and header rows, which "(continued)" the source stated) is in
``<proprietary source="#pipeline">``. eIds follow the naming convention: the nearest
identified ancestor's eId, ``__``, the element's short name (the ``name`` of a generic
element), ``_`` and its ordinal.

:mod:`pipeline.formats.akn.profile` checks what the XSD cannot (IRIs agree, references resolve
to elements of the right kind, eIds are unique and well formed) on every output;
:mod:`pipeline.formats.akn.reader` reads an output back into the model.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from pipeline.formats.akn.names import (
    AKN_NS,
    BLOCKS_CONTAINER,
    COUNTRY,
    DEEP_SECTION,
    DOC_NAMES,
    MANIFESTATION_FORMAT,
    PIPELINE_NS,
    PROGRAMME_CONTAINER,
    SECTION_ELEMENTS,
    SOURCE,
    STRUCTURAL,
    UNNUMBERED,
    akn,
    eid_prefix,
    local_name,
    own,
)
from pipeline.formats.akn.profile import profile_problems
from pipeline.genres import genre
from pipeline.i18n import Wording, place_aliases, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.inline import XML_LANG, plain_text
from pipeline.model.tree import (
    AgendaItemEntry,
    AgendaList,
    Block,
    BulletList,
    Contents,
    Correction,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    FootnoteRef,
    ForeignSpan,
    Inline,
    ItemList,
    LetterPart,
    LineBreak,
    Link,
    ListItem,
    Paragraph,
    Programme,
    ProgrammeLine,
    Quote,
    Row,
    Section,
    Signature,
    Slot,
    Strong,
    Superscript,
    Table,
    TableNoteRef,
    Text,
    TopicEntry,
    undocs_url,
)
from pipeline.model.visit import BlockVisitor, InlineVisitor

NAME = "akn"
SUFFIX = ".akn.xml"
DESCRIPTION = "Akoma Ntoso 3.0 XML (AKN4UN), for legal-information systems"

# ---------------------------------------------------------------- identity


@dataclass(frozen=True)
class Identity:
    """The FRBR IRIs of one component (``main``, ``annex_1``…) of a document."""

    work: str
    expression: str
    component: str

    @property
    def work_this(self) -> str:
        """FRBRthis of the Work: the Work IRI and the component."""
        return f"{self.work}/!{self.component}"

    @property
    def expression_this(self) -> str:
        """FRBRthis of the Expression."""
        return f"{self.expression}/!{self.component}"

    @property
    def manifestation(self) -> str:
        """FRBRuri of the Manifestation: the Expression IRI and the format."""
        return f"{self.expression}.akn"

    @property
    def manifestation_this(self) -> str:
        """FRBRthis of the Manifestation: the component's XML file."""
        return f"{self.expression_this}.xml"


def frbr_number(symbol: str) -> str:
    """The symbol as an IRI segment: ``A/AC.292/2023/2`` -> ``A-AC.292-2023-2``."""
    return symbol.replace("/", "-")


def identity(document: Document, component: str = "main") -> Identity:
    """The FRBR identity of ``document`` (or of one of its annexes)."""
    work = (f"/akn/{COUNTRY}/doc/{DOC_NAMES[document.doc_type]}/"
            f"{document.masthead.issued.isoformat()}/{frbr_number(document.symbol) or UNNUMBERED}")
    language = wording_for(document.language).iso639_2
    return Identity(work, f"{work}/{language}@", component)


# ---------------------------------------------------------------- TLC references


@functools.lru_cache(maxsize=1024)
def camel(*words: str) -> str:
    """lowerCamelCase of the words in ``words``: ("general-assembly",) -> "generalAssembly"."""
    parts = [p for w in words for p in re.split(r"[^A-Za-z0-9.]+", w) if p]
    joined = "".join(p[:1].upper() + p[1:] for p in parts)
    return (joined[:1].lower() + joined[1:]).replace(".", "-")


@dataclass(frozen=True)
class Tlc:
    """A Top Level Class reference: ``<TLCConcept eId href showAs>``."""

    kind: str
    eid: str
    href: str
    show_as: str


ONTOLOGY = f"/akn/ontology/{{kind}}/{COUNTRY}"


def _onto(kind: str, *path: str) -> str:
    return "/".join([ONTOLOGY.format(kind=kind), *path])


# ---------------------------------------------------------------- building


def _append_text(parent: etree._Element, text: str) -> None:
    """Add ``text`` at the end of ``parent``'s content."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _sub(parent: etree._Element, local: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, akn(local), attributes)
    if text:
        element.text = text
    return element


def _ranged(parent: etree._Element, parts: tuple[str, str, str], local: str, attribute: str, start: str,
            end: str) -> None:
    """A range in its three parts (("6", "–", "10 March 2023"), ("3", "–", "6 p.m.")) as two elements
    around the words that join them."""
    first, joiner, last = parts
    _sub(parent, local, first, **{attribute: start})
    _append_text(parent, joiner)
    _sub(parent, local, last, **{attribute: end})


def _fill(parent: etree._Element, template: str, fields: dict[str, Callable[[etree._Element], None]]) -> None:
    """Write a wording template into ``parent``, each ``{field}`` by its function."""
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        _append_text(parent, literal)
        if field is not None:
            fields[field](parent)


ABSORBED = (ItemList, Table, Quote)
"""Blocks that follow a numbered paragraph inside its ``<content>``: its subparagraphs, a table
or a quotation it introduces."""


def _is_hierarchical(block: Block) -> bool:
    """Whether ``block`` is an Akoma Ntoso hierarchical element (the others are blocks)."""
    return isinstance(block, Section | Programme) or (isinstance(block, Paragraph) and block.number is not None)


@dataclass
class _Group:
    """A hierarchical block and the blocks its ``<content>`` takes in, or a run of blocks."""

    head: Block | None
    blocks: list[Block]


def _groups(blocks: tuple[Block, ...]) -> list[_Group]:
    groups: list[_Group] = []
    for block in blocks:
        if _is_hierarchical(block):
            groups.append(_Group(block, []))
        elif groups and (groups[-1].head is None
                         or (isinstance(block, ABSORBED) and isinstance(groups[-1].head, Paragraph))):
            groups[-1].blocks.append(block)
        else:
            groups.append(_Group(None, [block]))
    return groups


class _Inlines(InlineVisitor[None]):
    """Writes inline nodes at the end of ``parent``'s content."""

    def __init__(self, builder: _Builder, parent: etree._Element, parent_eid: str):
        self.builder, self.parent, self.parent_eid = builder, parent, parent_eid

    def into(self, parent: etree._Element, nodes: tuple[Inline, ...]) -> None:
        _Inlines(self.builder, parent, self.parent_eid).visit_all(nodes)

    def visit_text(self, node: Text) -> None:
        _append_text(self.parent, node.text)

    def visit_emphasis(self, node: Emphasis) -> None:
        self.into(_sub(self.parent, "i"), node.children)

    def visit_strong(self, node: Strong) -> None:
        self.into(_sub(self.parent, "b"), node.children)

    def visit_superscript(self, node: Superscript) -> None:
        self.into(_sub(self.parent, "sup"), node.children)

    def visit_line_break(self, node: LineBreak) -> None:
        _sub(self.parent, "br")

    def visit_foreign(self, node: ForeignSpan) -> None:
        self.into(_sub(self.parent, "span", **{XML_LANG: node.language}), node.children)

    def visit_document_ref(self, node: DocumentRef) -> None:
        _sub(self.parent, "ref", node.text, href=undocs_url(node.symbol, self.builder.language))

    def visit_link(self, node: Link) -> None:
        a = _sub(self.parent, "a", href=node.href)
        eid = self.builder.eid(a, self.parent_eid)
        if node.children:
            self.into(a, node.children)
        else:
            a.text = node.href
            self.builder.bare_links.append(eid)

    def visit_footnote_ref(self, node: FootnoteRef) -> None:
        self.builder.note(self.parent, node, self.parent_eid)

    def visit_table_note_ref(self, node: TableNoteRef) -> None:
        target = self.builder.table_notes.get(node.note_id)
        if target is None:
            raise ValueError(f"note {node.note_id!r} is called but not under its table")
        _sub(self.parent, "noteRef", href=f"#{target}", marker=node.letter, placement="bottom")


class _Blocks(BlockVisitor[None]):
    """Writes each block into ``parent``; a numbered paragraph takes ``absorbed`` into its ``<content>``."""

    def __init__(self, builder: _Builder, parent: etree._Element, parent_eid: str, absorbed: list[Block]):
        self.builder, self.parent, self.parent_eid, self.absorbed = builder, parent, parent_eid, absorbed

    def visit_section(self, section: Section) -> None:
        self.builder.section(self.parent, self.parent_eid, section)

    def visit_paragraph(self, paragraph: Paragraph) -> None:
        self.builder.paragraph(self.parent, self.parent_eid, paragraph, self.absorbed)

    def visit_item_list(self, item_list: ItemList) -> None:
        self.builder.item_list(self.parent, self.parent_eid, item_list)

    def visit_table(self, table: Table) -> None:
        self.builder.table(self.parent, self.parent_eid, table)

    def visit_quote(self, quote: Quote) -> None:
        self.builder.quote(self.parent, self.parent_eid, quote)

    def visit_letter_part(self, part: LetterPart) -> None:
        self.builder.letter_part(self.parent, self.parent_eid, part)

    def visit_signature(self, signature: Signature) -> None:
        self.builder.signature(self.parent, self.parent_eid, signature)

    def visit_contents(self, contents: Contents) -> None:
        self.builder.table_of_contents(self.parent, self.parent_eid, contents)

    def visit_correction(self, correction: Correction) -> None:
        self.builder.correction(self.parent, self.parent_eid, correction)

    def visit_agenda_list(self, agenda: AgendaList) -> None:
        self.builder.agenda_list(self.parent, self.parent_eid, agenda)

    def visit_programme(self, programme: Programme) -> None:
        self.builder.programme(self.parent, self.parent_eid, programme)


class _Builder:
    def __init__(self, document: Document):
        self.document = document
        self.w: Wording = wording_for(document.language)
        self.language = document.language
        self.tlcs: dict[str, Tlc] = {}
        self.counters: dict[tuple[str, str], int] = {}
        self.placed: dict[str, str] = {}
        """Footnote id -> eId of its authorialNote."""
        self.stated: list[str] = []
        """eIds of entries whose "(continued)" the source stated."""
        self.bare_links: list[str] = []
        """eIds of links printed as their own address."""
        self.sections: dict[str, str] = {}
        """Section id -> eId of its element (contents entries point at it)."""
        self.tables: list[tuple[str, Table]] = []
        """eId of each ``<table>`` and the table (column widths and header rows go in the metadata)."""
        self.table_notes: dict[str, str] = {}
        """Table note id -> eId of the item that holds it."""
        self.contents: list[tuple[etree._Element, str]] = []
        """Each ``<tocItem>`` and the section or annex id it points at, resolved once the whole body is built."""
        self.register = document.session.register_id
        self.footnotes = {f.note_id: f for f in document.footnotes}

    # ---- identifiers

    def eid(self, element: etree._Element, parent_eid: str) -> str:
        prefix = eid_prefix(element)
        key = (parent_eid, prefix)
        self.counters[key] = self.counters.get(key, 0) + 1
        value = f"{parent_eid}__{prefix}_{self.counters[key]}" if parent_eid else f"{prefix}_{self.counters[key]}"
        element.set("eId", value)
        return value

    def tlc(self, kind: str, eid: str, href: str, show_as: str) -> str:
        self.tlcs.setdefault(eid, Tlc(kind, eid, href, show_as))
        return f"#{eid}"

    def organ_ref(self) -> str:
        organ = self.document.masthead.organ
        return self.tlc("TLCOrganization", camel(organ), _onto("organization", organ), self.w.organs[organ])

    def language_ref(self, code: str) -> str:
        return self.tlc("TLCConcept", camel("language", code), _onto("concept", "language", code),
                        self.w.language_names[code])

    def agenda_item_ref(self, number: str, wording: tuple[Inline, ...]) -> str:
        return self.tlc("TLCConcept", camel("agenda item", number),
                        _onto("concept", self.register, "agendaItem", number),
                        self.w.agenda_item.format(number=number) + plain_text(wording))

    # ---- inline content

    def inlines(self, parent: etree._Element, nodes: tuple[Inline, ...], parent_eid: str) -> None:
        _Inlines(self, parent, parent_eid).visit_all(nodes)

    def note(self, parent: etree._Element, ref: FootnoteRef, parent_eid: str) -> None:
        """The footnote itself at its first call; a ``<noteRef>`` to it at later ones."""
        if ref.note_id in self.placed:
            _sub(parent, "noteRef", href=f"#{self.placed[ref.note_id]}", marker=ref.call, placement="bottom")
            return
        footnote = self.footnotes.get(ref.note_id)
        if footnote is None:
            raise ValueError(f"footnote {ref.note_id!r} is called but not in the document")
        note = _sub(parent, "authorialNote", marker=footnote.call, placement="bottom")
        eid = self.eid(note, parent_eid)
        self.placed[ref.note_id] = eid
        self.inlines(_sub(note, "p"), footnote.content, eid)

    # ---- front matter

    def cover_page(self, doc: etree._Element) -> None:
        m, w = self.document.masthead, self.w
        cover = _sub(doc, "coverPage")
        if m.letterhead is not None:  # the sender's letterhead instead of "United Nations" and a symbol
            for line in m.letterhead.lines:
                _sub(_sub(cover, "p"), "inline", line, name="letterhead")
            _sub(_sub(cover, "p"), "inline", m.letterhead.place, name="letterheadPlace")
        else:
            _sub(cover, "p", w.united_nations)
        if genre(self.document.doc_type).masthead == "crp":
            _sub(_sub(cover, "p"), "docType", w.conference_room_paper)
        if m.symbol:
            _sub(_sub(cover, "p"), "docNumber", m.symbol)
        _sub(_sub(cover, "p"), "docAuthority", w.organs[m.organ], refersTo=self.organ_ref())
        b = wording_for(w.masthead_language)  # the right-hand block is worded in this language
        distribution = self.tlc(
            "TLCConcept", camel("distribution", m.distribution),
            _onto("concept", "distribution", m.distribution), b.distributions[m.distribution])
        _fill(_sub(cover, "p"), b.distribution_label, {
            "distribution": lambda p: _sub(p, "docStatus", b.distributions[m.distribution],
                                           refersTo=distribution),
        })
        _sub(_sub(cover, "p"), "docDate", fmt.full_date(m.issued, b), date=m.issued.isoformat())
        _fill(_sub(cover, "p"), b.original_label, {
            "language": lambda p: _sub(p, "inline", b.language_names[m.original_language],
                                       name="originalLanguage",
                                       refersTo=self.language_ref(m.original_language)),
        })
        if m.job_number:
            job = _sub(cover, "p")
            _sub(job, "inline", fmt.job_number_line(self.document, w), name="jobNumber")
            _append_text(job, f" {fmt.job_date_code(m.issued)}")

    def preface(self, doc: etree._Element) -> None:
        s, w, front = self.document.session, self.w, self.document.front
        preface = _sub(doc, "preface")
        body = _sub(_sub(preface, "p"), "docCommittee", refersTo=self.tlc(
            "TLCOrganization", camel(self.register), _onto("organization", self.register),
            plain_text(s.body_name)))
        self.inlines(body, s.body_name, "")
        kind = self.tlc("TLCConcept", camel(s.kind, "session"), _onto("concept", "sessionKind", s.kind),
                        w.session_kinds[s.kind])
        _sub(_sub(preface, "p"), "session", fmt.session_line(s, w), value=str(s.ordinal), refersTo=kind)
        # identified by the venue's own name, which every language version shares (and which is
        # written in Latin letters, as an eId must be)
        place_id = camel(place_aliases().get(s.place, s.place)) or "venue"
        place = self.tlc("TLCLocation", place_id, _onto("location", place_id), s.place)
        dates = fmt.full_date(s.start, w)
        _fill(_sub(preface, "p"), w.place_dates, {
            "place": lambda p: _sub(p, "location", s.place, refersTo=place),
            "dates": lambda p: (_sub(p, "date", dates, date=s.start.isoformat()) if s.start == s.end
                                else _ranged(p, fmt.date_range_parts(s.start, s.end, w), "date", "date",
                                             s.start.isoformat(), s.end.isoformat())),
        })
        if front.ga_session:
            self.inlines(_sub(_sub(preface, "p"), "inline", name="gaSession"), front.ga_session, "")
        for line in front.agenda_lines:
            self.inlines(_sub(_sub(preface, "p"), "inline", name="agendaLine"), line, "")
        self.inlines(_sub(_sub(preface, "p"), "docTitle"), self.document.title, "")
        if self.document.subtitle:
            self.inlines(_sub(_sub(preface, "p"), "inline", name="subtitle"), self.document.subtitle, "")
        label = fmt.genre_label(self.document, w)
        if label:
            _sub(_sub(preface, "p"), "docType", label)
        if front.reissued is not None:
            reissued = front.reissued
            _fill(_sub(_sub(preface, "p"), "inline", name="reissued"), w.reissued, {
                "date": lambda p: _sub(p, "date", fmt.full_date(reissued, w), date=reissued.isoformat()),
            })

    # ---- blocks

    def blocks(self, parent: etree._Element, parent_eid: str, blocks: tuple[Block, ...]) -> None:
        """``blocks`` in an element that takes any mix of blocks and subdivisions (mainBody, a quotation)."""
        for group in _groups(blocks):
            if group.head is not None:
                self.block(parent, parent_eid, group.head, group.blocks)
            else:
                for block in group.blocks:
                    self.block(parent, parent_eid, block)

    def subdivisions(self, parent: etree._Element, parent_eid: str, blocks: tuple[Block, ...]) -> None:
        """``blocks`` in a hierarchical element: subdivisions only, with blocks in ``<content>`` when there
        are no subdivisions, else in ``<intro>`` before the first, ``<wrapUp>`` after the last and a
        ``<hcontainer name="blocks">`` between two."""
        groups = _groups(blocks)
        if all(g.head is None for g in groups):
            if blocks:
                self.blocks(_sub(parent, "content"), parent_eid, blocks)
            return
        for index, group in enumerate(groups):
            if group.head is not None:
                self.block(parent, parent_eid, group.head, group.blocks)
                continue
            if index == 0:
                container, eid = _sub(parent, "intro"), parent_eid
            elif index == len(groups) - 1:
                container, eid = _sub(parent, "wrapUp"), parent_eid
            else:
                wrapper = _sub(parent, "hcontainer", name=BLOCKS_CONTAINER)
                eid = self.eid(wrapper, parent_eid)
                container = _sub(wrapper, "content")
            for block in group.blocks:
                self.block(container, eid, block)

    def block(self, parent: etree._Element, parent_eid: str, block: Block, absorbed: list[Block] | None = None) -> None:
        _Blocks(self, parent, parent_eid, absorbed or []).visit(block)

    def quote(self, parent: etree._Element, parent_eid: str, quote: Quote) -> None:
        element = _sub(_sub(parent, "p"), "embeddedStructure")
        self.blocks(element, self.eid(element, parent_eid), quote.blocks)

    def letter_part(self, parent: etree._Element, parent_eid: str, part: LetterPart) -> None:
        element = _sub(parent, "block", name=part.role)
        self.inlines(element, part.content, self.eid(element, parent_eid))

    def section(self, parent: etree._Element, parent_eid: str, section: Section) -> None:
        local = SECTION_ELEMENTS.get(section.level)
        element = (_sub(parent, local) if local is not None
                   else _sub(parent, "hcontainer", name=DEEP_SECTION.format(level=section.level)))
        eid = self.eid(element, parent_eid)
        self.sections[section.section_id] = eid
        if section.number is not None:
            _sub(element, "num", fmt.section_label(section.level, section.number, self.w))
        self.inlines(_sub(element, "heading"), section.heading, eid)
        self.subdivisions(element, eid, section.blocks)

    def paragraph(self, parent: etree._Element, parent_eid: str, paragraph: Paragraph, absorbed: list[Block]) -> None:
        if paragraph.number is None:
            self.inlines(_sub(parent, "p"), paragraph.content, parent_eid)
            return
        element = _sub(parent, "paragraph")
        eid = self.eid(element, parent_eid)
        _sub(element, "num", fmt.paragraph_label(paragraph.number, self.w))
        content = _sub(element, "content")
        self.inlines(_sub(content, "p"), paragraph.content, eid)
        for block in absorbed:
            self.block(content, eid, block)

    def item_list(self, parent: etree._Element, parent_eid: str, item_list: ItemList) -> None:
        element = _sub(parent, "blockList", **{"class": item_list.style})
        eid = self.eid(element, parent_eid)
        for item in item_list.items:
            item_el = _sub(element, "item")
            item_eid = self.eid(item_el, eid)
            _sub(item_el, "num", fmt.item_label(item_list.style, item_list.degree, item.number, self.w))
            self.inlines(_sub(item_el, "p"), item.content, item_eid)
            if item.sublist is not None:
                self.item_list(item_el, item_eid, item.sublist)

    def table(self, parent: etree._Element, parent_eid: str, table: Table) -> None:
        block = _sub(parent, "tblock")
        block_eid = self.eid(block, parent_eid)
        element = _sub(block, "table")
        eid = self.eid(element, block_eid)
        self.tables.append((eid, table))
        notes: list[tuple[etree._Element, str]] = []
        if table.notes:
            note_list = _sub(block, "blockList", **{"class": "tableNotes"})
            list_eid = self.eid(note_list, block_eid)
            for note in table.notes:
                item = _sub(note_list, "item")
                item_eid = self.eid(item, list_eid)
                self.table_notes[note.note_id] = item_eid
                _sub(item, "num", note.letter)
                notes.append((_sub(item, "p"), item_eid))
        if table.caption:
            self.inlines(_sub(element, "caption"), table.caption, eid)
        for row in (*table.head, *table.body):
            self.row(element, eid, row)
        for (p, item_eid), note in zip(notes, table.notes, strict=True):
            self.inlines(p, note.content, item_eid)

    def row(self, table: etree._Element, table_eid: str, row: Row) -> None:
        tr = _sub(table, "tr")
        for cell in row.cells:
            attributes = {"colspan": str(cell.colspan)} if cell.colspan != 1 else {}
            self.inlines(_sub(_sub(tr, "th" if cell.header else "td", **attributes), "p"), cell.content, table_eid)

    def signature(self, parent: etree._Element, parent_eid: str, signature: Signature) -> None:
        block = _sub(parent, "block", name="signature")
        eid = self.eid(block, parent_eid)
        element = _sub(block, "signature")
        if signature.signed:
            _sub(element, "inline", self.w.signed, name="signed")
            _append_text(element, " ")
        name = plain_text(signature.name)
        person = _sub(element, "person", refersTo=self.tlc(
            "TLCPerson", camel("person", name), _onto("person", camel(name) or "unnamed"), name))
        self.inlines(person, signature.name, eid)
        for function in signature.functions:
            _sub(element, "br")
            words = plain_text(function)
            role = _sub(element, "role", refersTo=self.tlc(
                "TLCRole", camel("role", words), _onto("role", camel(words) or "unnamed"), words))
            self.inlines(role, function, eid)

    def table_of_contents(self, parent: etree._Element, parent_eid: str, contents: Contents) -> None:
        if not contents.entries:  # a <toc> holds at least one item
            self.eid(_sub(parent, "block", name="contents"), parent_eid)
            return
        toc = _sub(parent, "toc")
        eid = self.eid(toc, parent_eid)
        count = len(self.document.annexes)
        for entry in contents.entries:
            item = _sub(toc, "tocItem", href="", level=str(entry.level))
            label = fmt.contents_label(entry, count, self.w)
            if label:
                _sub(item, "inline", label, name="label")
                _append_text(item, " ")
            self.inlines(_sub(item, "inline", name="heading"), entry.heading, eid)
            self.contents.append((item, entry.target))

    def correction(self, parent: etree._Element, parent_eid: str, correction: Correction) -> None:
        block = _sub(parent, "block", name="correction")
        eid = self.eid(block, parent_eid)
        self.inlines(_sub(block, "inline", name="where"), correction.where, eid)
        _append_text(block, " ")
        _sub(block, "i", self.w.correction_for)
        _append_text(block, " ")
        self.inlines(_sub(block, "del"), correction.wrong, eid)
        _append_text(block, " ")
        _sub(block, "i", self.w.correction_read)
        _append_text(block, " ")
        self.inlines(_sub(block, "ins"), correction.right, eid)

    def agenda_list(self, parent: etree._Element, parent_eid: str, agenda: AgendaList) -> None:
        element = _sub(parent, "blockList", **{"class": "agenda"})
        eid = self.eid(element, parent_eid)
        for entry in agenda.items:
            item = _sub(element, "item", refersTo=self.agenda_item_ref(entry.number, entry.wording))
            item_eid = self.eid(item, eid)
            _sub(item, "num", fmt.paragraph_label(entry.number, self.w))
            p = _sub(item, "p")
            self.inlines(_sub(p, "inline", name="wording"), entry.wording, item_eid)
            for ref in entry.notes:
                self.note(p, ref, item_eid)

    def resolve_contents(self) -> None:
        """Point each contents line at the eId of its section or annex, now that all are built."""
        for item, target in self.contents:
            if target.startswith("annex-"):
                eid = f"att_{target.removeprefix('annex-')}"
            elif target in self.sections:
                eid = self.sections[target]
            else:
                raise ValueError(f"the contents list names {target!r}, which is no section of the document")
            item.set("href", f"#{eid}")

    def main_body(self, doc: etree._Element) -> None:
        body = _sub(doc, "mainBody")
        self.blocks(body, "", self.document.body)
        if not len(body):
            _sub(body, "p")

    # ---- annexes and their programme

    def annex(self, attachments: etree._Element, index: int) -> None:
        annex = self.document.annexes[index]
        attachment = _sub(attachments, "attachment")
        att = self.eid(attachment, "")
        doc = _sub(attachment, "doc", name="annex")
        self.identification(_sub(doc, "meta"), f"annex_{index + 1}")
        preface = _sub(doc, "preface")
        _sub(_sub(preface, "p"), "docType", fmt.annex_heading(index, len(self.document.annexes), self.w))
        if annex.original_language:
            code = annex.original_language
            _fill(_sub(preface, "p"), self.w.only_in, {
                "language": lambda p: _sub(p, "inline", self.w.only_in_names[code],
                                           name="originalLanguage", refersTo=self.language_ref(code)),
            })
        self.inlines(_sub(_sub(preface, "p"), "docTitle"), annex.title, att)
        body = _sub(doc, "mainBody")
        self.blocks(body, att, annex.blocks)
        if not len(body):
            _sub(body, "p")

    def programme(self, parent: etree._Element, parent_eid: str, programme: Programme) -> None:
        element = _sub(parent, "hcontainer", name=PROGRAMME_CONTAINER)
        eid = self.eid(element, parent_eid)
        for day in programme.days:
            day_el = _sub(element, "hcontainer", name="day")
            day_eid = self.eid(day_el, eid)
            _sub(_sub(day_el, "heading"), "date", fmt.day_heading(day.date, self.w), date=day.date.isoformat())
            for slot in day.slots:
                self.slot(day_el, day_eid, day.date.isoformat(), slot)

    def slot(self, day_el: etree._Element, day_eid: str, date: str, slot: Slot) -> None:
        element = _sub(day_el, "hcontainer", name="slot")
        eid = self.eid(element, day_eid)
        _ranged(_sub(element, "heading"), fmt.time_range_parts(slot.start, slot.end, self.w), "time", "time",
                f"{date}T{slot.start:%H:%M:%S}", f"{date}T{slot.end:%H:%M:%S}")
        content = _sub(element, "content")
        for entry in slot.entries:
            self.entry(content, eid, entry)
        if not slot.entries:
            _sub(content, "p")

    def entry(self, parent: etree._Element, parent_eid: str, entry: Entry | ListItem, *, in_list: bool = False) -> None:
        if isinstance(entry, BulletList):
            block_list = _sub(parent, "blockList")
            list_eid = self.eid(block_list, parent_eid)
            for item in entry.items:
                item_el = _sub(block_list, "item")
                self.entry(item_el, self.eid(item_el, list_eid), item, in_list=True)
            return
        w = self.w
        if isinstance(entry, AgendaItemEntry):
            block = _sub(parent, "block", name="agendaItem", refersTo=self.agenda_item_ref(entry.number, entry.wording))
            eid = self.eid(block, parent_eid)
            _sub(block, "inline", w.agenda_item.format(number=entry.number), name="label")
            wording, notes = entry.wording, entry.notes
        elif isinstance(entry, TopicEntry):
            label = fmt.sub_topic_label(entry.letter, w)
            block = _sub(parent, "block", name="topic", refersTo=self.tlc(
                "TLCConcept", camel("topic", entry.letter),
                _onto("concept", self.register, "topic", entry.letter),
                f"{label} {plain_text(entry.wording)}"))
            eid = self.eid(block, parent_eid)
            if not in_list:
                _sub(block, "inline", label, name="label")
                _append_text(block, " ")
            wording, notes = entry.wording, entry.notes
        else:
            block = _sub(parent, "block", name="segment" if entry.strong else "line")
            eid = self.eid(block, parent_eid)
            wording, notes = entry.content, ()
        self.inlines(_sub(block, "inline", name="wording"), wording, eid)
        for ref in notes:
            self.note(block, ref, eid)
        if isinstance(entry, ProgrammeLine) and entry.minutes:
            _append_text(block, " ")
            _sub(block, "quantity", fmt.duration(entry.minutes, w), normalized=f"PT{entry.minutes}M",
                 refersTo=self.tlc("TLCConcept", "minute", _onto("concept", "unit", "minute"), "minute"))
        if entry.continued.shown:
            _append_text(block, " ")
            continued = _sub(block, "inline", "(", name="continued")
            _sub(continued, "i", w.continued)
            _append_text(continued, ")")
        if entry.continued.explicit:
            self.stated.append(eid)

    # ---- metadata

    def identification(self, meta: etree._Element, component: str) -> None:
        d, m = self.document, self.document.masthead
        ident = identity(d, component)
        issued = m.issued.isoformat()
        source = f"#{SOURCE}"
        identification = _sub(meta, "identification", source=source)
        work = _sub(identification, "FRBRWork")
        _sub(work, "FRBRthis", value=ident.work_this)
        _sub(work, "FRBRuri", value=ident.work)
        _sub(work, "FRBRdate", date=issued, name="issued")
        _sub(work, "FRBRauthor", href=self.organ_ref())
        _sub(work, "FRBRcountry", value=COUNTRY)
        if component == "main":
            _sub(work, "FRBRsubtype", value=DOC_NAMES[d.doc_type])
        _sub(work, "FRBRnumber", value=frbr_number(m.symbol) or UNNUMBERED, showAs=m.symbol or UNNUMBERED)
        if component == "main":
            _sub(work, "FRBRname", value=plain_text(d.title))
        expression = _sub(identification, "FRBRExpression")
        _sub(expression, "FRBRthis", value=ident.expression_this)
        _sub(expression, "FRBRuri", value=ident.expression)
        if component == "main" and m.job_number:
            _sub(expression, "FRBRalias", value=m.job_number, name="jobNumber")
        _sub(expression, "FRBRdate", date=issued, name="issued")
        _sub(expression, "FRBRauthor", href=self.organ_ref())
        _sub(expression, "FRBRlanguage", language=wording_for(d.language).iso639_2)
        manifestation = _sub(identification, "FRBRManifestation")
        _sub(manifestation, "FRBRthis", value=ident.manifestation_this)
        _sub(manifestation, "FRBRuri", value=ident.manifestation)
        _sub(manifestation, "FRBRdate", date=issued, name="generation")
        _sub(manifestation, "FRBRauthor", href=source)
        _sub(manifestation, "FRBRformat", value=MANIFESTATION_FORMAT)

    def meta(self, doc: etree._Element) -> None:
        meta = etree.Element(akn("meta"))
        doc.insert(0, meta)
        self.identification(meta, "main")
        self.tlc("TLCOrganization", SOURCE, _onto("organization", "undoc-pipeline"), "undoc-pipeline")
        references = _sub(meta, "references", source=f"#{SOURCE}")
        for tlc in sorted(self.tlcs.values(), key=lambda t: (t.kind, t.eid)):
            _sub(references, tlc.kind, eId=tlc.eid, href=tlc.href, showAs=tlc.show_as)
        proprietary = _sub(meta, "proprietary", source=f"#{SOURCE}")
        m = self.document.masthead
        etree.SubElement(proprietary, own("placeholders"), symbol=_bool(m.symbol_is_placeholder),
                         issued=_bool(m.issued_is_placeholder), jobNumber=_bool(m.job_number_is_placeholder))
        for note_id, eid in self.placed.items():
            etree.SubElement(proprietary, own("footnote"), href=f"#{eid}", id=note_id)
        for eid in self.stated:
            etree.SubElement(proprietary, own("continuedStated"), href=f"#{eid}")
        for eid in self.bare_links:
            etree.SubElement(proprietary, own("bareLink"), href=f"#{eid}")
        for section_id, eid in self.sections.items():
            etree.SubElement(proprietary, own("section"), href=f"#{eid}", id=section_id)
        for eid, table in self.tables:
            etree.SubElement(proprietary, own("table"), href=f"#{eid}", widths=" ".join(map(str, table.widths)),
                             headRows=str(len(table.head)))
        for note_id, eid in self.table_notes.items():
            etree.SubElement(proprietary, own("tableNote"), href=f"#{eid}", id=note_id)

    def build(self) -> etree._Element:
        root = etree.Element(akn("akomaNtoso"), nsmap={None: AKN_NS, "undoc": PIPELINE_NS})
        doc = _sub(root, "doc", name=DOC_NAMES[self.document.doc_type])
        self.cover_page(doc)
        self.preface(doc)
        self.main_body(doc)
        if self.document.annexes:
            attachments = _sub(doc, "attachments")
            for index in range(len(self.document.annexes)):
                self.annex(attachments, index)
        self.resolve_contents()
        # TLCs are collected while the content is built, so the metadata comes last.
        self.meta(doc)
        return root


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _indent(element: etree._Element, level: int = 0) -> None:
    """Indent element-only content; mixed content keeps its text exactly."""
    if not len(element) or local_name(element) not in STRUCTURAL:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        child.tail = inner
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level


def tree(document: Document) -> etree._Element:
    """The Akoma Ntoso tree of ``document``."""
    root = _Builder(document).build()
    _indent(root)
    return root


def serialize(root: etree._Element) -> bytes:
    """UTF-8 bytes with an XML declaration and a final newline."""
    return XML_DECLARATION + bytes(etree.tostring(root, encoding="UTF-8")) + b"\n"


def render(document: Document) -> bytes:
    """The document as Akoma Ntoso XML; ValueError when it would break the profile."""
    root = tree(document)
    problems = profile_problems(root)
    if problems:
        raise ValueError("the Akoma Ntoso output breaks the profile: " + "; ".join(problems[:5]))
    return serialize(root)

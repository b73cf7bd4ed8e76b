"""Akoma Ntoso 3.0 (OASIS LegalDocML), following the AKN4UN guidelines as far as they go.

The document is a ``<doc name="programmeOfWork">`` identified by FRBR IRIs built from its
symbol (``/akn/un/doc/programmeOfWork/2023-03-04/A-AC.292-2023-2/eng@/!main``). The
masthead is in ``<coverPage>``, the body, session and title in ``<preface>``, the numbered
paragraphs in ``<mainBody>``, and each annex is an attached ``<doc name="annex">`` whose
programme is a tree of ``<hcontainer name="day">`` / ``<hcontainer name="slot">`` with
``<date>`` and ``<time>`` headings and one named ``<block>`` per entry. Footnotes are
``<authorialNote>`` at their first call (``<noteRef>`` at later ones). Agenda items,
sub-topics, organs, bodies and codes are TLCs in ``<references>``; what the model needs and
Akoma Ntoso has no element for (placeholder flags, footnote ids, which "(continued)" the
source stated) is in ``<proprietary source="#pipeline">``. eIds follow the naming
convention: the nearest identified ancestor's eId, ``__``, the element's short name (the
``name`` of a generic element), ``_`` and its ordinal.

:mod:`pipeline.formats.akn.profile` checks what the XSD cannot (IRIs agree, references resolve,
eIds are unique and well formed) on every output; :mod:`pipeline.formats.akn.reader` reads an
output back into the model.
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
    COUNTRY,
    DOC_NAMES,
    MANIFESTATION_FORMAT,
    PIPELINE_NS,
    SOURCE,
    STRUCTURAL,
    akn,
    eid_prefix,
    local_name,
    own,
)
from pipeline.formats.akn.profile import profile_problems
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.inline import plain_text
from pipeline.model.tree import (
    AgendaItemEntry,
    BulletList,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    FootnoteRef,
    Inline,
    Link,
    ListItem,
    Paragraph,
    ProgrammeLine,
    Slot,
    Text,
    TopicEntry,
    undocs_url,
)

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
            f"{document.masthead.issued.isoformat()}/{frbr_number(document.symbol)}")
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


def _ranged(parent: etree._Element, text: str, local: str, attribute: str, start: str, end: str) -> None:
    """``text`` ("6–10 March 2023", "3–6 p.m.") as two elements around the en dash."""
    halves = text.split(fmt.EN_DASH)
    if len(halves) != 2:
        raise ValueError(f"cannot mark up {text!r} as a range: expected one {fmt.EN_DASH!r}")
    _sub(parent, local, halves[0], **{attribute: start})
    _append_text(parent, fmt.EN_DASH)
    _sub(parent, local, halves[1], **{attribute: end})


def _fill(parent: etree._Element, template: str, fields: dict[str, Callable[[etree._Element], None]]) -> None:
    """Write a wording template into ``parent``, each ``{field}`` by its function."""
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        _append_text(parent, literal)
        if field is not None:
            fields[field](parent)


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

    # ---- inline content

    def inlines(self, parent: etree._Element, nodes: tuple[Inline, ...], parent_eid: str) -> None:
        for node in nodes:
            if isinstance(node, Text):
                _append_text(parent, node.text)
            elif isinstance(node, Emphasis):
                self.inlines(_sub(parent, "i"), node.children, parent_eid)
            elif isinstance(node, DocumentRef):
                _sub(parent, "ref", node.text, href=undocs_url(node.symbol, self.language))
            elif isinstance(node, Link):
                a = _sub(parent, "a", href=node.href)
                eid = self.eid(a, parent_eid)
                if node.children:
                    self.inlines(a, node.children, parent_eid)
                else:
                    a.text = node.href
                    self.bare_links.append(eid)
            elif isinstance(node, FootnoteRef):
                self.note(parent, node, parent_eid)

    def note(self, parent: etree._Element, ref: FootnoteRef, parent_eid: str) -> None:
        """The footnote itself at its first call; a ``<noteRef>`` to it at later ones."""
        if ref.note_id in self.placed:
            _sub(parent, "noteRef", href=f"#{self.placed[ref.note_id]}", marker=str(ref.number),
                 placement="bottom")
            return
        footnote = self.footnotes.get(ref.note_id)
        if footnote is None:
            raise ValueError(f"footnote {ref.note_id!r} is called but not in the document")
        note = _sub(parent, "authorialNote", marker=str(footnote.number), placement="bottom")
        eid = self.eid(note, parent_eid)
        self.placed[ref.note_id] = eid
        self.inlines(_sub(note, "p"), footnote.content, eid)

    # ---- front matter

    def cover_page(self, doc: etree._Element) -> None:
        m, w = self.document.masthead, self.w
        cover = _sub(doc, "coverPage")
        _sub(cover, "p", w.united_nations)
        _sub(_sub(cover, "p"), "docNumber", m.symbol)
        _sub(_sub(cover, "p"), "docAuthority", w.organs[m.organ], refersTo=self.organ_ref())
        distribution = self.tlc(
            "TLCConcept", camel("distribution", m.distribution),
            _onto("concept", "distribution", m.distribution), w.distributions[m.distribution])
        _fill(_sub(cover, "p"), w.distribution_label, {
            "distribution": lambda p: _sub(p, "docStatus", w.distributions[m.distribution],
                                           refersTo=distribution),
        })
        _sub(_sub(cover, "p"), "docDate", fmt.full_date(m.issued, w), date=m.issued.isoformat())
        _fill(_sub(cover, "p"), w.original_label, {
            "language": lambda p: _sub(p, "inline", w.language_names[m.original_language],
                                       name="originalLanguage",
                                       refersTo=self.language_ref(m.original_language)),
        })
        job = _sub(cover, "p")
        _sub(job, "inline", fmt.job_number_line(self.document, w), name="jobNumber")
        _append_text(job, f" {fmt.job_date_code(m.issued)}")

    def preface(self, doc: etree._Element) -> None:
        s, w = self.document.session, self.w
        preface = _sub(doc, "preface")
        body = _sub(_sub(preface, "p"), "docCommittee", refersTo=self.tlc(
            "TLCOrganization", camel(self.register), _onto("organization", self.register),
            plain_text(s.body_name)))
        self.inlines(body, s.body_name, "")
        kind = self.tlc("TLCConcept", camel(s.kind, "session"), _onto("concept", "sessionKind", s.kind),
                        w.session_kinds[s.kind])
        _sub(_sub(preface, "p"), "session", fmt.session_line(s, w), value=str(s.ordinal), refersTo=kind)
        place = self.tlc("TLCLocation", camel(s.place), _onto("location", camel(s.place)), s.place)
        dates = fmt.date_range(s.start, s.end, w)
        _fill(_sub(preface, "p"), w.place_dates, {
            "place": lambda p: _sub(p, "location", s.place, refersTo=place),
            "dates": lambda p: (_sub(p, "date", dates, date=s.start.isoformat()) if s.start == s.end
                                else _ranged(p, dates, "date", "date", s.start.isoformat(), s.end.isoformat())),
        })
        self.inlines(_sub(_sub(preface, "p"), "docTitle"), self.document.title, "")
        if self.document.subtitle:
            self.inlines(_sub(_sub(preface, "p"), "inline", name="subtitle"), self.document.subtitle, "")

    def main_body(self, doc: etree._Element) -> None:
        body = _sub(doc, "mainBody")
        paragraphs = [b for b in self.document.body if isinstance(b, Paragraph) and b.number is not None]
        for paragraph in paragraphs:
            element = _sub(body, "paragraph")
            eid = self.eid(element, "")
            _sub(element, "num", f"{paragraph.number}.")
            self.inlines(_sub(_sub(element, "content"), "p"), paragraph.content, eid)
        if not paragraphs:
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
                "language": lambda p: _sub(p, "inline", self.w.language_names[code],
                                           name="originalLanguage", refersTo=self.language_ref(code)),
            })
        self.inlines(_sub(_sub(preface, "p"), "docTitle"), annex.title, att)
        body = _sub(doc, "mainBody")
        days = annex.programme.days if annex.programme is not None else ()
        for day in days:
            day_el = _sub(body, "hcontainer", name="day")
            day_eid = self.eid(day_el, att)
            _sub(_sub(day_el, "heading"), "date", fmt.day_heading(day.date, self.w), date=day.date.isoformat())
            for slot in day.slots:
                self.slot(day_el, day_eid, day.date.isoformat(), slot)
        if not days:
            _sub(body, "p")

    def slot(self, day_el: etree._Element, day_eid: str, date: str, slot: Slot) -> None:
        element = _sub(day_el, "hcontainer", name="slot")
        eid = self.eid(element, day_eid)
        _ranged(_sub(element, "heading"), fmt.time_range(slot.start, slot.end, self.w), "time", "time",
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
            block = _sub(parent, "block", name="agendaItem", refersTo=self.tlc(
                "TLCConcept", camel("agenda item", entry.number),
                _onto("concept", self.register, "agendaItem", entry.number),
                w.agenda_item.format(number=entry.number) + plain_text(entry.wording)))
            eid = self.eid(block, parent_eid)
            _sub(block, "inline", w.agenda_item.format(number=entry.number), name="label")
            wording, notes = entry.wording, entry.notes
        elif isinstance(entry, TopicEntry):
            label = w.sub_item_label.format(letter=entry.letter)
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
        _sub(work, "FRBRnumber", value=frbr_number(m.symbol), showAs=m.symbol)
        if component == "main":
            _sub(work, "FRBRname", value=plain_text(d.title))
        expression = _sub(identification, "FRBRExpression")
        _sub(expression, "FRBRthis", value=ident.expression_this)
        _sub(expression, "FRBRuri", value=ident.expression)
        if component == "main":
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
                         jobNumber=_bool(m.job_number_is_placeholder))
        for note_id, eid in self.placed.items():
            etree.SubElement(proprietary, own("footnote"), href=f"#{eid}", id=note_id)
        for eid in self.stated:
            etree.SubElement(proprietary, own("continuedStated"), href=f"#{eid}")
        for eid in self.bare_links:
            etree.SubElement(proprietary, own("bareLink"), href=f"#{eid}")

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

"""Read an Akoma Ntoso output of :mod:`pipeline.formats.akn.render` back into the document model.

The inverse of the renderer: every model value is taken from the Akoma Ntoso construct that
carries it (the symbol from ``<docNumber>``, the organ from FRBRauthor's TLC, dates from
``@date``, times from ``<time @time>``, agenda item numbers and sub-topic letters from the
TLCs their blocks refer to, footnotes from ``<authorialNote>``) and, where Akoma Ntoso has no
construct, from the pipeline's ``<proprietary>`` metadata. Rendering a model and importing
the result gives an equal model (source positions are not compared).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lxml import etree

from pipeline.formats.akn.names import AKN_NS, DOC_NAMES, akn, own
from pipeline.i18n import languages, wording_for
from pipeline.model.tree import (
    AgendaItemEntry,
    Annex,
    BulletList,
    Continuation,
    Day,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    Footnote,
    FootnoteRef,
    Inline,
    Link,
    ListItem,
    Masthead,
    Paragraph,
    Programme,
    ProgrammeLine,
    Session,
    Slot,
    Source,
    Text,
    TopicEntry,
)

_UNDOCS = re.compile(r"https://undocs\.org/[a-z]{2}/(?P<symbol>.+)")
_MINUTES = re.compile(r"PT(?P<minutes>[1-9][0-9]*)M")


class ImportProblem(ValueError):
    """The tree is not an Akoma Ntoso document this pipeline wrote."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_blank_text=False, huge_tree=False)


def _require(element: etree._Element | None, what: str) -> etree._Element:
    if element is None:
        raise ImportProblem(f"no {what}")
    return element


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
        self.footnotes: dict[str, Footnote] = {}

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
        local = etree.QName(element).localname
        if local == "i":
            return Emphasis(self.inlines(element), self.src(element))
        if local == "ref":
            found = _UNDOCS.fullmatch(element.get("href", ""))
            if found is None:
                raise ImportProblem(f"<ref href={element.get('href')!r}> is not an undocs.org address")
            return DocumentRef(found["symbol"], "".join(element.itertext()), self.src(element))
        if local == "a":
            children = () if element.get("eId") in self.bare else self.inlines(element)
            return Link(element.get("href", ""), children, self.src(element))
        if local in ("authorialNote", "noteRef"):
            return self.note_call(element)
        raise ImportProblem(f"unexpected inline element <{local}> on line {element.sourceline}")

    def note_call(self, element: etree._Element) -> FootnoteRef:
        if etree.QName(element).localname == "noteRef":
            note = _require(self.by_eid.get(self._target(element)), f"footnote {element.get('href')}")
        else:
            note = element
        note_id = self.note_ids.get(note.get("eId", ""), "")
        number = int(note.get("marker", "0"))
        if note_id not in self.footnotes:
            self.footnotes[note_id] = Footnote(note_id, number, self.inlines(note.find(akn("p"))),
                                               self.src(note))
        return FootnoteRef(note_id, number, self.src(element))

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
        return Masthead(
            organ=self.code(self.find(ident, "a:FRBRWork/a:FRBRauthor").get("href")),
            symbol="".join(self.find(cover, ".//a:docNumber").itertext()),
            symbol_is_placeholder=flags.get("symbol") == "true",
            distribution=self.code(self.find(cover, ".//a:docStatus").get("refersTo")),
            issued=dt.date.fromisoformat(self.find(cover, ".//a:docDate").get("date", "")),
            original_language=self.code(
                self.find(cover, ".//a:inline[@name='originalLanguage']").get("refersTo")),
            language=language,
            job_number=self.find(ident, "a:FRBRExpression/a:FRBRalias[@name='jobNumber']").get("value", ""),
            job_number_is_placeholder=flags.get("jobNumber") == "true",
            source=self.src(cover),
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

    def paragraphs(self) -> tuple[Paragraph, ...]:
        body = self.find(self.doc, "a:mainBody")
        return tuple(
            Paragraph(int("".join(self.find(p, "a:num").itertext()).rstrip(".")),
                      self.inlines(self.find(p, "a:content/a:p")), self.src(p))
            for p in body.iterchildren(akn("paragraph"))
        )

    def annex(self, doc: etree._Element) -> Annex:
        preface = self.find(doc, "a:preface")
        language = preface.find(".//a:inline[@name='originalLanguage']", {"a": AKN_NS})
        body = self.find(doc, "a:mainBody")
        days = tuple(self.day(d) for d in body.iterchildren(akn("hcontainer")) if d.get("name") == "day")
        return Annex(
            self.inlines(self.find(preface, ".//a:docTitle")),
            (Programme(days, self.src(body)),),
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
        names = {v: k for k, v in DOC_NAMES.items()}
        doc_name = self.doc.get("name", "")
        if doc_name not in names:
            raise ImportProblem(f"unknown document name {doc_name!r}")
        # Reading order matters: footnotes are collected at their calls, in document order.
        masthead = self.masthead()
        session = self.session()
        preface = self.find(self.doc, "a:preface")
        title = self.inlines(self.find(preface, ".//a:docTitle"))
        subtitle_el = preface.find(".//a:inline[@name='subtitle']", {"a": AKN_NS})
        subtitle = self.inlines(subtitle_el)
        paragraphs = self.paragraphs()
        annexes = tuple(self.annex(a.find(akn("doc")))
                        for a in self.doc.iterfind(f"{akn('attachments')}/{akn('attachment')}"))
        return Document(
            doc_type=names[doc_name],
            masthead=masthead,
            session=session,
            title=title,
            subtitle=subtitle,
            body=paragraphs,
            annexes=annexes,
            footnotes=tuple(sorted(self.footnotes.values(), key=lambda f: f.number)),
            source=self.src(self.doc),
        )


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

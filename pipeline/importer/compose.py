"""The source being written: its first-page facts, the section ladder, lists, footnotes.

Both readers (the project's own DOCX and a hand-typed draft) feed a :class:`Composer`, which
keeps the containers open at the current place (section, list) and writes the tree in the
element order of the schema.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import Diagnostic, warning
from pipeline.i18n import Wording

from .inline import Builder, Notes, q
from .read import Node
from .wording import read_date, read_date_range

XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass
class Facts:
    """What the first page says: masthead, session, front lines, title."""

    organ: str = "general-assembly"
    symbol: str = ""
    symbol_placeholder: bool = False
    distribution: str = "general"
    issued: dt.date | None = None
    issued_placeholder: bool = False
    original_language: str = "en"
    language: str = "en"
    job_number: str = ""
    job_number_placeholder: bool = False
    register: str = ""
    ordinal: int = 0
    kind: str = "substantive"
    place: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    ga_session: list[Node] = field(default_factory=list)
    agenda_lines: list[list[Node]] = field(default_factory=list)
    reissued: dt.date | None = None
    title: list[Node] = field(default_factory=list)
    subtitle: list[Node] = field(default_factory=list)
    letterhead: list[str] = field(default_factory=list)
    """The sender's letterhead lines of a letter on letterhead (then there is no masthead)."""
    letterhead_place: str = ""


def parse_date(text: str, w: Wording) -> dt.date | None:
    """"4 March 2023" (or "March 4, 2023"), or a date as ``w``'s catalogue writes it; None when none."""
    if w.code != "en":
        return read_date(text, w)
    months = {m.lower(): i for i, m in enumerate(w.months, 1)}
    found = re.search(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if found and found.group(2).lower() in months:
        day, month, year = int(found.group(1)), months[found.group(2).lower()], int(found.group(3))
    else:
        found = re.search(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", text)
        if not found or found.group(1).lower() not in months:
            return None
        day, month, year = int(found.group(2)), months[found.group(1).lower()], int(found.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_range(text: str, w: Wording) -> tuple[dt.date, dt.date] | None:
    """"6–10 March 2023", "28 March–1 April 2022", "1 June 2021" (or a range as ``w``'s catalogue
    writes it) as a start and an end."""
    if w.code != "en":
        return read_date_range(text, w)
    months = "|".join(w.months)
    full = rf"(\d{{1,2}})\s+({months})\s+(\d{{4}})"
    one = re.search(full, text)
    patterns: tuple[tuple[str, Callable[[re.Match[str]], tuple[str, str]]], ...] = (
        (rf"(\d{{1,2}})\s*[–-]\s*(\d{{1,2}})\s+({months})\s+(\d{{4}})", lambda m: (
            f"{m[1]} {m[3]} {m[4]}", f"{m[2]} {m[3]} {m[4]}")),
        (rf"(\d{{1,2}})\s+({months})\s*[–-]\s*(\d{{1,2}})\s+({months})\s+(\d{{4}})", lambda m: (
            f"{m[1]} {m[2]} {m[5]}", f"{m[3]} {m[4]} {m[5]}")),
        (rf"{full}\s*[–-]\s*{full}", lambda m: (f"{m[1]} {m[2]} {m[3]}", f"{m[4]} {m[5]} {m[6]}")),
    )
    for pattern, parts in patterns:
        found = re.search(pattern, text)
        if found:
            first, last = parts(found)
            start, end = parse_date(first, w), parse_date(last, w)
            if start and end:
                return start, end
    if one:
        date = parse_date(one.group(0), w)
        if date:
            return date, date
    return None


class Composer:
    """Writes the source: first-page facts, then blocks into the open containers."""

    def __init__(self, path: str, doc_type: str, pages: list[int] | None = None):
        self.path = path
        self.pages = pages or []
        """The page of each paragraph of the draft (index - 1), 0 where not known."""
        self.doc_type = doc_type
        self.facts = Facts()
        self.notes = Notes()
        self.diagnostics: list[Diagnostic] = []
        self.body = etree.Element(q("body"))
        self.annexes: list[etree._Element] = []
        self.sections: list[tuple[int, etree._Element]] = []
        self.lists: list[tuple[str, etree._Element]] = []
        """Open lists, outermost first: kind ("subparagraphs", "bullets") and element."""

    # ------------------------------------------------------------ diagnostics

    def warn(self, index: int, code: str, message: str) -> None:
        """A warning at paragraph ``index`` of the draft."""
        page = self.pages[index - 1] if 0 < index <= len(self.pages) else 0
        where = f"paragraph {index} (page {page})" if page else f"paragraph {index}"
        self.diagnostics.append(warning(self.path, index, code, f"{where}: {message}"))

    # ------------------------------------------------------------ containers

    @property
    def container(self) -> etree._Element:
        """Where the next block goes: the innermost open section, else the body or the last annex."""
        if self.sections:
            return self.sections[-1][1]
        return self.annexes[-1] if self.annexes else self.body

    def builder(self, table_notes: dict[str, str] | None = None) -> Builder:
        """An inline builder sharing this source's footnotes."""
        return Builder(self.notes, table_notes=table_notes)

    def inline(self, tag: str, nodes: list[Node], parent: etree._Element | None = None,
               table_notes: dict[str, str] | None = None) -> etree._Element:
        """A new element ``tag`` with inline content (under ``parent`` when given)."""
        element = etree.Element(q(tag)) if parent is None else etree.SubElement(parent, q(tag))
        return self.builder(table_notes).fill(element, nodes)

    def block(self, element: etree._Element) -> etree._Element:
        """Add a block to the current container (closing any open list)."""
        self.lists.clear()
        self.container.append(element)
        return element

    def paragraph(self, nodes: list[Node], numbered: bool | None = None) -> etree._Element:
        """A paragraph; ``numbered`` False writes numbered="no"."""
        p = self.inline("p", nodes)
        if numbered is False:
            p.set("numbered", "no")
        return self.block(p)

    def section(self, level: int, heading: list[Node], numbered: bool) -> etree._Element:
        """Open a section of ladder ``level`` (0 a part, 1 a chapter, …) under the nearest shallower one."""
        while self.sections and self.sections[-1][0] >= level:
            self.sections.pop()
        element = self.block(etree.Element(q("part" if level == 0 else "section")))
        if not numbered:
            element.set("numbered", "no")
        self.inline("heading", heading, element)
        self.sections.append((level, element))
        return element

    def close_sections(self) -> None:
        """Back to the top of the body or annex."""
        self.sections.clear()
        self.lists.clear()

    def annex(self, original_language: str = "") -> etree._Element:
        """Open a new annex."""
        self.close_sections()
        annex = etree.Element(q("annex"))
        if original_language:
            annex.set("original-language", original_language)
        self.annexes.append(annex)
        return annex

    def list_item(self, kind: str, depth: int, nodes: list[Node]) -> etree._Element:
        """An item of a list of ``kind`` ("subparagraphs" or "bullets") at ``depth`` (1: under a paragraph)."""
        depth = max(1, min(depth, len(self.lists) + 1))
        del self.lists[depth:]
        if len(self.lists) == depth and self.lists[-1][0] != kind:
            del self.lists[depth - 1:]
        if len(self.lists) < depth:
            if depth == 1:
                parent = self.container
            else:
                items = self.lists[-1][1].findall(q("item"))
                parent = items[-1] if items else self.lists[-1][1]
            element = etree.SubElement(parent, q(kind))
            self.lists.append((kind, element))
        item = self.inline("item", nodes, self.lists[-1][1])
        return item

    # ------------------------------------------------------------ the whole tree

    def tree(self, version: str = "1.1") -> etree._Element:
        """The document element, children in the schema's order."""
        f = self.facts
        nsmap = {None: q("")[1:-1], "xsi": XSI}
        root = etree.Element(q("document"), nsmap=nsmap)
        root.set(f"{{{XSI}}}schemaLocation", "urn:undoc:1.0 ../schemas/undoc-1.0.xsd")
        root.set("version", version)
        root.set("type", self.doc_type)
        masthead = etree.SubElement(root, q("masthead"))
        for tag, value in (("organ", f.organ), ("symbol", f.symbol), ("distribution", f.distribution),
                           ("date", f.issued.isoformat() if f.issued else ""),
                           ("original-language", f.original_language), ("language", f.language),
                           ("job-number", f.job_number)):
            if tag in ("job-number", "symbol") and not value and (tag == "job-number" or f.letterhead):
                continue
            element = etree.SubElement(masthead, q(tag))
            element.text = value
            if (tag, True) in (("symbol", f.symbol_placeholder), ("job-number", f.job_number_placeholder),
                               ("date", f.issued_placeholder)):
                element.set("placeholder", "true")
        if f.letterhead:
            letterhead = etree.SubElement(masthead, q("letterhead"))
            for sender in f.letterhead:
                etree.SubElement(letterhead, q("line")).text = sender
            etree.SubElement(letterhead, q("place")).text = f.letterhead_place
        session = etree.SubElement(root, q("session"), register=f.register, ordinal=str(f.ordinal), kind=f.kind)
        etree.SubElement(session, q("place")).text = f.place
        etree.SubElement(session, q("dates"), start=f.start.isoformat() if f.start else "",
                         end=f.end.isoformat() if f.end else "")
        if f.ga_session or f.agenda_lines or f.reissued:
            front = etree.SubElement(root, q("front"))
            if f.ga_session:
                self.inline("ga-session", f.ga_session, front)
            for line in f.agenda_lines:
                self.inline("agenda-line", line, front)
            if f.reissued:
                etree.SubElement(front, q("reissued"), date=f.reissued.isoformat())
        self.inline("title", f.title, root)
        if f.subtitle:
            self.inline("subtitle", f.subtitle, root)
        body = self.body
        if len(body) and all(c.tag == q("p") and c.get("numbered") is None for c in body) and self.numbered_genre:
            body.tag = q("paragraphs")
        root.append(body)
        for annex in self.annexes:
            root.append(annex)
        if self.notes.notes:
            # named and listed in the order of their first call in the document (front lines first)
            order: dict[str, str] = {}
            for call in root.iter(q("footnote-ref")):
                order.setdefault(call.get("ref", ""), f"note-{len(order) + 1}")
            for call in root.iter(q("footnote-ref")):
                call.set("ref", order[call.get("ref", "")])
            found = {note_id: (content, mark) for note_id, content, mark in self.notes.notes}
            notes = etree.SubElement(root, q("footnotes"))
            for old, new in order.items():
                content, mark = found[old]
                content.set("id", new)
                if mark:
                    content.set("mark", mark)
                notes.append(content)
        return root

    @property
    def numbered_genre(self) -> bool:
        """Whether the genre numbers its paragraphs (then a body of paragraphs only is <paragraphs>)."""
        return self.doc_type == "programme-of-work"


def relative_register(register: Path, output: Path) -> str:
    """The register's path as the source names it: relative to the source's folder, with slashes."""
    return Path(os.path.relpath(register.resolve(), output.resolve().parent)).as_posix()

"""pandoc inline nodes as the inline elements of a source, with references recognised.

A link to ``https://undocs.org/…`` becomes a document, resolution or decision reference; in
running text, document symbols ("A/AC.292/2023/1") and "resolution 75/240", "decision
77/512" are recognised and marked as references too. Footnotes are collected in order of
their first call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from pipeline.model.tree import UNDOCS_BASE

from .read import Node

NS = "urn:undoc:1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def q(name: str) -> str:
    """The qualified name of an element of the source vocabulary."""
    return f"{{{NS}}}{name}"


SYMBOL = re.compile(r"\b(?:A|S|E|ST|DP|UNEP)(?:/(?:[A-Z][A-Za-z]*\.?\d*|\d+))+(?<=\d)")
"""A UN document symbol in running text: A/77/275, A/AC.292/2023/1, A/AC.292/2022/CRP.1."""

NUMBERED = re.compile(r"\b(resolutions?|decisions?)((?:\s+(?:\d+/\d+)(?:,|\s+and)?)+)", re.IGNORECASE)
""""resolution 75/240", "resolutions 70/237 and 76/19": the numbers are references."""

RESOLUTION_URL = re.compile(r"^(?:A)/RES/(\d+/\d+)$")
DECISION_URL = re.compile(r"^(?:A)/DEC/(\d+/\d+)$")


@dataclass
class Notes:
    """The footnotes met so far: id, content element and mark ("*"), in order of first call."""

    notes: list[tuple[str, etree._Element, str]] = field(default_factory=list)

    def add(self, content: etree._Element, mark: str) -> str:
        note_id = f"note-{len(self.notes) + 1}"
        self.notes.append((note_id, content, mark))
        return note_id

    def numbered(self, number: int) -> str | None:
        """The id of the numbered note ``number`` (a later call printed as a superscript)."""
        numbered = [n for n in self.notes if not n[2]]
        return numbered[number - 1][0] if 0 < number <= len(numbered) else None


class Builder:
    """Appends pandoc inline content to an element of the source."""

    def __init__(self, notes: Notes, *, table_notes: dict[str, str] | None = None):
        self.notes = notes
        self.table_notes = table_notes if table_notes is not None else {}
        """Letter -> id of the notes to the table being built (a superscript letter is a call)."""

    def fill(self, parent: etree._Element, nodes: list[Node]) -> etree._Element:
        """``parent`` with ``nodes`` appended, outer white space stripped."""
        self.append(parent, merge_text(nodes))
        strip_outer(parent)
        return parent

    def append(self, parent: etree._Element, nodes: list[Node]) -> None:
        index = 0
        while index < len(nodes):
            node = nodes[index]
            kind: str = node["t"]
            content: Any = node.get("c")
            if kind == "Str":
                self.text(parent, content)
            elif kind in ("Space", "SoftBreak"):
                add_text(parent, " ")
            elif kind == "LineBreak":
                etree.SubElement(parent, q("br"))
            elif kind == "Emph":
                self.wrap(parent, "em", content)
            elif kind == "Strong":
                self.wrap(parent, "strong", content)
            elif kind == "Superscript":
                self.superscript(parent, content)
            elif kind == "Link":
                self.link(parent, content)
            elif kind == "Note":
                mark = ""
                following = nodes[index + 1] if index + 1 < len(nodes) else None
                if following is not None and is_mark(following):
                    mark = plain([following]).strip()
                    index += 1
                self.note(parent, content, mark)
            elif kind == "Span":
                attr, inner = content
                attributes = dict(attr[2])
                if is_footnote_style(attributes.get("custom-style", "")):
                    pass  # the mark of a note read with the note itself
                elif "lang" in attributes:
                    span = etree.SubElement(parent, q("span"), {XML_LANG: attributes["lang"]})
                    self.append(span, inner)
                else:
                    self.append(parent, inner)
            elif kind == "Quoted":
                opening, closing = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
                add_text(parent, opening)
                self.append(parent, content[1])
                add_text(parent, closing)
            elif kind in ("Underline", "SmallCaps", "Strikeout", "Subscript"):
                self.append(parent, content)
            elif kind == "Cite":
                self.append(parent, content[1])
            elif kind == "Code":
                self.text(parent, content[1])
            index += 1

    def wrap(self, parent: etree._Element, tag: str, content: list[Node]) -> None:
        child = etree.SubElement(parent, q(tag))
        self.append(child, content)

    def superscript(self, parent: etree._Element, content: list[Node]) -> None:
        text = plain(content).strip()
        if text in self.table_notes:
            etree.SubElement(parent, q("table-note-ref"), ref=self.table_notes[text])
            return
        if text.isdigit() and self.notes.numbered(int(text)):
            etree.SubElement(parent, q("footnote-ref"), ref=self.notes.numbered(int(text)) or "")
            return
        if text and set(text) == {"*"}:
            found = [n for n in self.notes.notes if n[2] == text]
            if found:
                etree.SubElement(parent, q("footnote-ref"), ref=found[0][0])
                return
        self.wrap(parent, "sup", content)

    def link(self, parent: etree._Element, content: list[Any]) -> None:
        _, inner, (url, _) = content
        inner, notes = pull_notes(inner)  # a note whose call sits inside the link (as a word processor saves it)
        self.link_words(parent, inner, url)
        self.append(parent, notes)

    def link_words(self, parent: etree._Element, inner: list[Node], url: str) -> None:
        text = plain(inner)
        if url.startswith(UNDOCS_BASE):
            symbol = url[len(UNDOCS_BASE):].partition("/")[2]
            for pattern, tag in ((RESOLUTION_URL, "resolution-ref"), (DECISION_URL, "decision-ref")):
                found = pattern.match(symbol)
                if found and found.group(1) == text:
                    etree.SubElement(parent, q(tag)).text = text
                    return
            ref = etree.SubElement(parent, q("doc-ref"))
            if symbol != text:
                ref.set("symbol", symbol)
            ref.text = text
            return
        if url.startswith("#"):  # an internal link: its words only
            self.append(parent, inner)
            return
        element = etree.SubElement(parent, q("link"), href=url)
        if text != url:
            self.append(element, inner)

    def note(self, parent: etree._Element, blocks: list[Node], mark: str) -> None:
        content = etree.Element(q("footnote"))
        inlines: list[Node] = []
        for block in blocks:
            inner = block
            while inner["t"] == "Div":
                inner = inner["c"][1][0] if inner["c"][1] else {"t": "Plain", "c": []}
            if inner["t"] in ("Para", "Plain"):
                if inlines:
                    inlines.append({"t": "Space"})
                inlines += inner["c"]
        # the mark (or number) a word processor prints at the start of the note is not its text; a
        # mark of its own ("*") may be printed only there (LibreOffice keeps it so)
        printed = [n for n in inlines if is_footnote_style(style_of(n))]
        if not mark and printed and is_mark(printed[0]):
            mark = plain([printed[0]]).strip()
        inlines = [n for n in inlines if not is_footnote_style(style_of(n))]
        self.fill(content, inlines)
        note_id = self.notes.add(content, mark)
        etree.SubElement(parent, q("footnote-ref"), ref=note_id)

    def text(self, parent: etree._Element, text: str) -> None:
        add_text(parent, text)


def recognise_references(element: etree._Element) -> None:
    """Mark document symbols and resolution and decision numbers in the text of ``element`` and below.

    Text already inside a reference or a link is left alone.
    """
    for node in [element, *element.iterdescendants()]:
        if node.tag in (q("doc-ref"), q("resolution-ref"), q("decision-ref"), q("link")):
            continue
        _mark_text(node, "text")
        for child in list(node):
            if node.tag not in (q("doc-ref"), q("resolution-ref"), q("decision-ref"), q("link")):
                _mark_text(child, "tail")


def _spans(text: str) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    for match in NUMBERED.finditer(text):
        tag = "resolution-ref" if match.group(1).lower().startswith("resolution") else "decision-ref"
        base = match.start(2)
        for number in re.finditer(r"\d+/\d+", match.group(2)):
            found.append((base + number.start(), base + number.end(), tag, number.group(0)))
    for match in SYMBOL.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e, _, _ in found):
            symbol = match.group(0).rstrip(".")
            found.append((match.start(), match.start() + len(symbol), "doc-ref", symbol))
    return sorted(found)


def _mark_text(node: etree._Element, which: str) -> None:
    text = getattr(node, which)
    if not text:
        return
    spans = _spans(text)
    if not spans:
        return
    setattr(node, which, text[:spans[0][0]])
    parent = node if which == "text" else node.getparent()
    assert parent is not None
    position = 0 if which == "text" else parent.index(node) + 1
    for number, (_, end, tag, value) in enumerate(spans):
        ref = etree.Element(q(tag))
        ref.text = value
        following = spans[number + 1][0] if number + 1 < len(spans) else len(text)
        ref.tail = text[end:following]
        parent.insert(position, ref)
        position += 1


def add_text(parent: etree._Element, text: str) -> None:
    """Append text after the last child of ``parent`` (or to its text)."""
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def strip_outer(element: etree._Element) -> None:
    """Remove white space at the start and end of ``element``'s content."""
    if element.text:
        element.text = element.text.lstrip() or None
    if len(element):
        last = element[-1]
        if last.tail:
            last.tail = last.tail.rstrip() or None
    elif element.text:
        element.text = element.text.rstrip() or None


def merge_text(nodes: list[Node]) -> list[Node]:
    """Collapse runs of spaces (a tab read as a space, two spaces typed)."""
    out: list[Node] = []
    for node in nodes:
        if node["t"] in ("Space", "SoftBreak") and out and out[-1]["t"] in ("Space", "SoftBreak"):
            continue
        out.append(node)
    return out


def is_footnote_style(style: str) -> bool:
    """Whether a character style is the one of a footnote's mark ("footnote reference", "Footnote Characters")."""
    return style.lower().startswith(("footnote reference", "footnote characters", "footnote anchor"))


def is_mark(node: Node) -> bool:
    """Whether ``node``, right after a note, is the note's own mark ("*") rather than text."""
    text = plain([node]).strip()
    return bool(text) and set(text) == {"*"} and (node["t"] == "Str" or is_footnote_style(style_of(node)))


def pull_notes(nodes: list[Node]) -> tuple[list[Node], list[Node]]:
    """``nodes`` without the notes nested anywhere in them, and those notes (each with its mark after it)."""
    kept: list[Node] = []
    notes: list[Node] = []
    after_note = False
    for node in nodes:
        if node["t"] == "Note" or (after_note and is_mark(node)):
            notes.append(node)
        elif node["t"] in ("Span", "Link"):
            inner, found = pull_notes(node["c"][1])
            kept.append({"t": node["t"], "c": [node["c"][0], inner, *node["c"][2:]]})
            notes += found
        elif node["t"] in ("Strong", "Emph", "Superscript", "Underline"):
            inner, found = pull_notes(node["c"])
            kept.append({"t": node["t"], "c": inner})
            notes += found
        else:
            kept.append(node)
        after_note = node["t"] == "Note"
    return kept, notes


def style_of(node: Node) -> str:
    """The custom style of a ``Span`` or ``Div`` node, else ""."""
    if node["t"] in ("Span", "Div"):
        return str(dict(node["c"][0][2]).get("custom-style", ""))
    return ""


def plain(nodes: list[Node]) -> str:
    """The text of inline nodes (a space for a space, a line break or a tab)."""
    parts: list[str] = []
    for node in nodes:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Emph", "Strong", "Superscript", "Subscript", "Underline", "SmallCaps", "Strikeout"):
            parts.append(plain(content))
        elif kind in ("Span", "Link") or kind == "Quoted":
            parts.append(plain(content[1]))
    return "".join(parts)


def text_of(element: etree._Element) -> str:
    """The text of an element of the source, white space collapsed."""
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()

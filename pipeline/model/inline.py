"""Turn mixed content of the vocabulary into the model's inline nodes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lxml import etree

from pipeline.model.tree import (
    DocumentRef,
    Emphasis,
    FootnoteRef,
    ForeignSpan,
    Inline,
    LineBreak,
    Link,
    Source,
    Strong,
    Superscript,
    TableNoteRef,
    Text,
)
from pipeline.sources.load import q, tag_position

_SPACE = re.compile("[ \t\r\n\u2028\u2029]+")


def collapse(text: str) -> str:
    """XML white space, line and paragraph separators (U+2028, U+2029; rule text-separator)
    collapsed to single spaces; no-break spaces are kept."""
    return _SPACE.sub(" ", text)


def resolution_symbol(number: str, organ: str = "A") -> str:
    """``75/240`` -> ``A/RES/75/240``; ``2341 (2017)`` of the Security Council ->
    ``S/RES/2341(2017)``, ``1514 (XV)`` -> ``A/RES/1514(XV)`` (a symbol has no spaces)."""
    return f"{organ}/RES/{number.replace(' ', '').replace(chr(0xA0), '')}"


def decision_symbol(number: str, organ: str = "A") -> str:
    """``77/512`` -> ``A/DEC/77/512``."""
    return f"{organ}/DEC/{number}"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def inlines(
    element: etree._Element, path: str, note_numbers: Mapping[str, int], *, strip: bool = True,
    marks: Mapping[str, str] | None = None, table_notes: Mapping[str, str] | None = None,
    stop_at: tuple[str, ...] = (), lines: tuple[str, ...] = (),
) -> tuple[Inline, ...]:
    """The inline content of ``element``; ``note_numbers`` numbers the footnote calls.

    ``marks`` gives the footnotes printed with a mark ("*") instead of a number;
    ``table_notes`` letters the notes of the table being built; children named in
    ``stop_at`` (a list nested in a list item) end the inline content. ``lines``, the
    source's text, gives each node the column of the start tag it follows.
    """
    context = _Context(path, note_numbers, marks or {}, table_notes or {}, lines)
    return _inlines(element, context, strip=strip, stop_at=stop_at)


def _inlines(element: etree._Element, context: _Context, *, strip: bool,
             stop_at: tuple[str, ...] = ()) -> tuple[Inline, ...]:
    nodes: list[Inline] = []

    def text(value: str | None, after: etree._Element) -> None:
        if value:
            nodes.append(Text(collapse(value), context.source(after)))

    text(element.text, element)
    for child in element:
        if isinstance(child.tag, str):
            if child.tag in stop_at:
                break
            nodes.append(_inline_child(child, context))
        text(child.tail, child)
    return _trim(nodes) if strip else tuple(_merge(nodes))


class _Context:
    def __init__(self, path: str, numbers: Mapping[str, int], marks: Mapping[str, str],
                 table_notes: Mapping[str, str], lines: tuple[str, ...]) -> None:
        self.path, self.numbers, self.marks, self.table_notes = path, numbers, marks, table_notes
        self.lines = lines
        self._sources: dict[etree._Element, Source] = {}

    def children(self, element: etree._Element, *, strip: bool = False) -> tuple[Inline, ...]:
        return _inlines(element, self, strip=strip)

    def source(self, element: etree._Element) -> Source:
        """Where ``element`` starts (its own text, its tail and the node made of it all ask)."""
        found = self._sources.get(element)
        if found is None:
            found = self._sources[element] = Source(self.path, *tag_position(self.lines, element))
        return found


def _inline_child(child: etree._Element, context: _Context) -> Inline:
    src = context.source(child)
    value = collapse(child.text or "").strip()
    tag = child.tag
    if tag == q("resolution-ref"):
        return DocumentRef(resolution_symbol(value, child.get("organ", "A")), value, src)
    if tag == q("decision-ref"):
        return DocumentRef(decision_symbol(value, child.get("organ", "A")), value, src)
    if tag == q("doc-ref"):
        return DocumentRef(child.get("symbol") or value, value, src)
    if tag == q("link"):
        return Link(child.get("href", ""), context.children(child, strip=True), src)
    if tag == q("footnote-ref"):
        note_id = child.get("ref", "")
        return FootnoteRef(note_id, context.numbers.get(note_id, 0), src, context.marks.get(note_id, ""))
    if tag == q("table-note-ref"):
        note_id = child.get("ref", "")
        return TableNoteRef(note_id, context.table_notes.get(note_id, "?"), src)
    if tag == q("em"):
        return Emphasis(context.children(child), src)
    if tag == q("strong"):
        return Strong(context.children(child), src)
    if tag == q("sup"):
        return Superscript(context.children(child), src)
    if tag == q("br"):
        return LineBreak(src)
    if tag == q("span"):
        return ForeignSpan(child.get(XML_LANG, ""), context.children(child), src)
    raise ValueError(f"unexpected inline element {tag}")  # the schema admits no other


def _merge(nodes: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(collapse(merged[-1].text + node.text), merged[-1].source)
        else:
            merged.append(node)
    return merged


def _trim(nodes: list[Inline]) -> tuple[Inline, ...]:
    merged = _merge(nodes)
    if merged and isinstance(merged[0], Text):
        merged[0] = Text(merged[0].text.lstrip(" "), merged[0].source)
    if merged and isinstance(merged[-1], Text):
        merged[-1] = Text(merged[-1].text.rstrip(" "), merged[-1].source)
    return tuple(n for n in merged if not (isinstance(n, Text) and not n.text))


def plain_text(nodes: tuple[Inline, ...], note_call: Callable[[str], str] | None = None,
               line_break: str = " ", addresses: bool = False) -> str:
    """The words of inline content without markup.

    Footnote calls (their mark or number) and table-note letters print through ``note_call``
    when given; a line break prints as ``line_break``; a link prints its words, or its address
    when it has none; with ``addresses``, a link's words are followed by its address in angle
    brackets, as plain text gives it ("the portal <https://…>").
    """
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text | DocumentRef):
            parts.append(node.text)
        elif isinstance(node, Emphasis | Strong | Superscript | ForeignSpan):
            parts.append(plain_text(node.children, note_call, line_break, addresses))
        elif isinstance(node, Link):
            words = plain_text(node.children, note_call, line_break, addresses)
            parts.append(f"{words} <{node.href}>" if words and addresses and words != node.href
                         else words or node.href)
        elif isinstance(node, LineBreak):
            parts.append(line_break)
        elif isinstance(node, FootnoteRef) and note_call is not None:
            parts.append(note_call(node.call))
        elif isinstance(node, TableNoteRef) and note_call is not None:
            parts.append(note_call(node.letter))
    return "".join(parts)

"""Turn mixed content of the vocabulary into the model's inline nodes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lxml import etree

from pipeline.model.tree import DocumentRef, Emphasis, FootnoteRef, Inline, Link, Source, Text
from pipeline.sources.load import q

_SPACE = re.compile(r"[ \t\r\n]+")


def collapse(text: str) -> str:
    """XML white space (not no-break spaces) collapsed to single spaces."""
    return _SPACE.sub(" ", text)


def resolution_symbol(number: str, organ: str = "A") -> str:
    """``75/240`` -> ``A/RES/75/240``."""
    return f"{organ}/RES/{number}"


def inlines(
    element: etree._Element, path: str, note_numbers: Mapping[str, int], *, strip: bool = True
) -> tuple[Inline, ...]:
    """The inline content of ``element``; ``note_numbers`` numbers the footnote calls."""
    nodes: list[Inline] = []

    def text(value: str | None, line: int) -> None:
        if value:
            nodes.append(Text(collapse(value), Source(path, line)))

    text(element.text, element.sourceline or 0)
    for child in element:
        if isinstance(child.tag, str):
            nodes.append(_inline_child(child, path, note_numbers))
        text(child.tail, child.sourceline or 0)
    return _trim(nodes) if strip else tuple(_merge(nodes))


def _inline_child(child: etree._Element, path: str, note_numbers: Mapping[str, int]) -> Inline:
    src = Source(path, child.sourceline or 0)
    value = collapse(child.text or "").strip()
    if child.tag == q("resolution-ref"):
        return DocumentRef(resolution_symbol(value, child.get("organ", "A")), value, src)
    if child.tag == q("doc-ref"):
        return DocumentRef(child.get("symbol") or value, value, src)
    if child.tag == q("link"):
        return Link(child.get("href", ""), inlines(child, path, note_numbers), src)
    if child.tag == q("footnote-ref"):
        note_id = child.get("ref", "")
        return FootnoteRef(note_id, note_numbers.get(note_id, 0), src)
    if child.tag == q("em"):
        return Emphasis(inlines(child, path, note_numbers, strip=False), src)
    raise ValueError(f"unexpected inline element {child.tag}")  # the schema admits no other


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


def plain_text(nodes: tuple[Inline, ...], note_call: Callable[[int], str] | None = None) -> str:
    """The words of inline content without markup; footnote calls print through ``note_call`` when given."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text | DocumentRef):
            parts.append(node.text)
        elif isinstance(node, Emphasis):
            parts.append(plain_text(node.children, note_call))
        elif isinstance(node, Link):
            parts.append(plain_text(node.children, note_call) or node.href)
        elif isinstance(node, FootnoteRef) and note_call is not None:
            parts.append(note_call(node.number))
    return "".join(parts)

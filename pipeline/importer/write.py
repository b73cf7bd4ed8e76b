"""The imported source as text: indented blocks, inline content on one line, always the same bytes."""

from __future__ import annotations

import re

from lxml import etree

from .inline import q

CONTAINERS = frozenset(q(t) for t in (
    "document", "masthead", "session", "front", "body", "paragraphs", "annex", "section", "part",
    "subparagraphs", "bullets", "table", "thead", "tbody", "tr", "table-notes", "quote", "signature",
    "correction", "agenda-list", "programme", "day", "slot", "list", "footnotes"))
"""Elements that hold only elements: each child on its own line."""

MIXED_ITEMS = frozenset(q(t) for t in ("item",))
"""Elements of inline content that may end with a nested list (set on lines of their own)."""


def indent(element: etree._Element, level: int = 0) -> None:
    """Indent the block structure under ``element`` by two spaces a level; inline content is kept."""
    pad = "\n" + "  " * (level + 1)
    children = list(element)
    if element.tag in CONTAINERS and children:
        element.text = pad
        for child in children:
            child.tail = pad
            indent(child, level + 1)
        children[-1].tail = "\n" + "  " * level
    elif element.tag in MIXED_ITEMS:
        lists = [c for c in children if c.tag in (q("subparagraphs"), q("bullets"))]
        for nested in lists:
            previous = nested.getprevious()
            if previous is None:
                element.text = (element.text or "").rstrip() + pad
            else:
                previous.tail = (previous.tail or "").rstrip() + pad
            nested.tail = "\n" + "  " * level
            indent(nested, level + 1)


def aligned_root_tag(text: str) -> str:
    """The root's namespaces and schema location each on a line, aligned, as the sources are written."""
    end = text.index(">")
    tag = text[:end]
    parts = re.findall(r'\S+="[^"]*"', tag)
    name = tag.split(" ", 1)[0]
    names = [p for p in parts if p.startswith(("xmlns", "xsi:"))]
    rest = " ".join(p for p in parts if p not in names)
    pad = "\n" + " " * (len(name) + 1)
    return f"{name} {pad.join([*names, rest] if rest else names)}{text[end:]}"


def serialize(root: etree._Element, comment: str = "") -> str:
    """The source text of ``root``: an XML declaration, an optional comment, the indented tree."""
    indent(root)
    text = aligned_root_tag(str(etree.tostring(root, encoding="unicode")))
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if comment:
        head += f"<!-- {comment} -->\n"
    return head + text + "\n"

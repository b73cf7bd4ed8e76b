"""Load XML sources safely: one parser configuration for the whole project.

No DTD is loaded, no entity is expanded, nothing is fetched from the network, XInclude is
never processed, and whitespace is kept (UN prose is mixed content: stripping "blank" text
would lose real spaces). Problems come back as diagnostics, never as exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import Diagnostic, error

NAMESPACE = "urn:undoc:1.0"
"""The namespace of the canonical vocabulary, version 1."""

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Largest source accepted; a programme of work is a few tens of kilobytes."""

MAX_DEPTH = 64
"""Deepest element nesting accepted; the vocabulary needs fewer than ten levels."""


def q(local: str) -> str:
    """The Clark name ``{urn:undoc:1.0}local`` of a vocabulary element."""
    return f"{{{NAMESPACE}}}{local}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=False,
    )


@dataclass(frozen=True)
class Loaded:
    """A parsed source: its path as reported, and its tree (None when it could not be read)."""

    path: str
    tree: etree._ElementTree | None


def display_path(path: Path) -> str:
    """The path as diagnostics print it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(path: Path) -> tuple[Loaded, list[Diagnostic]]:
    """Parse one source file; return the tree and any problems found on the way."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Loaded(shown, None), [
                error(shown, 1, "xml-too-large",
                      f"the file is {size} bytes; sources are limited to {MAX_FILE_BYTES} bytes")
            ]
        data = path.read_bytes()
    except OSError as exc:
        return Loaded(shown, None), [error(shown, 0, "file-unreadable", f"cannot read the file: {exc.strerror}")]
    return parse_bytes(data, shown)


def parse_bytes(data: bytes, shown: str) -> tuple[Loaded, list[Diagnostic]]:
    """Parse the bytes of a source named ``shown`` in diagnostics."""
    if not data.strip():
        return Loaded(shown, None), [error(shown, 1, "xml-empty", "the file is empty; a source must hold one XML document")]
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 0, 0)
        message = exc.msg or "not well-formed XML"
        return Loaded(shown, None), [
            error(shown, line, "xml-syntax", f"{message}; fix the XML at this position", column)
        ]
    problems = _unsafe_constructs(tree, shown)
    if problems:
        return Loaded(shown, None), problems
    return Loaded(shown, tree), []


def _unsafe_constructs(tree: etree._ElementTree, shown: str) -> list[Diagnostic]:
    """Refuse what the parser tolerates but a source must not contain."""
    problems: list[Diagnostic] = []
    docinfo = tree.docinfo
    if docinfo.doctype:
        problems.append(error(shown, 1, "xml-doctype",
                              "a DOCTYPE declaration is not allowed in a source; remove it "
                              "(entities and external DTDs are never loaded)"))
    depth_exceeded = False
    for element in tree.iter():
        if isinstance(element, etree._Entity):
            problems.append(error(shown, element.sourceline, "xml-entity",
                                  f"entity reference &{element.name}; is not allowed; write the character itself"))
            continue
        if not isinstance(element.tag, str):
            continue
        if element.tag.startswith("{http://www.w3.org/2001/XInclude}"):
            problems.append(error(shown, element.sourceline, "xml-xinclude",
                                  "XInclude is not allowed in a source; shared content lives in a register"))
        if not depth_exceeded and _depth(element) > MAX_DEPTH:
            depth_exceeded = True
            problems.append(error(shown, element.sourceline, "xml-too-deep",
                                  f"elements are nested more than {MAX_DEPTH} levels deep"))
    return problems


def _depth(element: etree._Element) -> int:
    depth = 0
    node: etree._Element | None = element
    while node is not None:
        depth += 1
        node = node.getparent()
    return depth

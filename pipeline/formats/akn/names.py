"""Names of the Akoma Ntoso output: namespaces, document names, element names, eId prefixes."""

from __future__ import annotations

from lxml import etree

from pipeline.genres import GENRES, genre

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
"""The Akoma Ntoso 3.0 namespace."""

PIPELINE_NS = "urn:undoc:akn:1.0"
"""Namespace of the pipeline's own metadata inside ``<proprietary>``."""

COUNTRY = "un"
"""The FRBRcountry of United Nations documents (AKN4UN)."""

SOURCE = "pipeline"
"""eId of the TLC that every ``source`` attribute names: this pipeline."""

MANIFESTATION_FORMAT = "application/akn+xml"

DOC_NAMES: dict[str, str] = {name: genre(name).akn_name for name in GENRES}
"""Document type (genre) of the vocabulary -> ``<doc name>`` and FRBR subtype (AKN4UN)."""

DOC_TYPES: dict[str, str] = {akn_name: name for name, akn_name in DOC_NAMES.items()}
"""``<doc name>`` -> the document type it stands for."""

SECTION_ELEMENTS: dict[int, str] = {0: "part", 1: "chapter", 2: "section", 3: "subsection"}
"""Level of a section of the heading ladder -> its Akoma Ntoso element; deeper levels are
``<hcontainer name="level4">`` and so on (:data:`DEEP_SECTION`)."""

DEEP_SECTION = "level{level}"
"""The ``name`` of the ``<hcontainer>`` of a section below level 3 ("(a)", "(i)", "a." headings)."""

BLOCKS_CONTAINER = "blocks"
"""The ``name`` of the ``<hcontainer>`` that holds blocks met between two subdivisions of a section."""

PROGRAMME_CONTAINER = "programme"
"""The ``name`` of the ``<hcontainer>`` of a programme of work."""

ABBREVIATIONS: dict[str, str] = {
    "alinea": "al", "article": "art", "attachment": "att", "blockList": "list",
    "chapter": "chp", "citation": "cit", "clause": "cl", "division": "dvs",
    "documentRef": "dref", "listIntroduction": "intro", "listWrapUp": "wrap",
    "paragraph": "para", "recital": "rec", "section": "sec", "subchapter": "subchp",
    "subclause": "subcl", "subdivision": "subdvs", "subparagraph": "subpara",
    "subsection": "subsec",
}
"""Short names the Akoma Ntoso naming convention gives elements in eIds."""

GENERIC = frozenset({"hcontainer", "container", "block", "inline", "marker", "subFlow"})
"""Generic elements: their ``name`` attribute stands for the element name in an eId."""

STRUCTURAL = frozenset({
    "akomaNtoso", "doc", "meta", "identification", "FRBRWork", "FRBRExpression",
    "FRBRManifestation", "references", "proprietary", "coverPage", "preface", "mainBody",
    "paragraph", "content", "attachments", "attachment", "hcontainer", "blockList", "item",
    "part", "chapter", "section", "subsection", "intro", "wrapUp", "tblock", "table", "tr", "th", "td", "toc",
})
"""Elements with element-only content, indented on output; all others keep their text as is."""


def akn(local: str) -> str:
    """The Clark name of an Akoma Ntoso element."""
    return f"{{{AKN_NS}}}{local}"


def own(local: str) -> str:
    """The Clark name of an element of the pipeline's proprietary metadata."""
    return f"{{{PIPELINE_NS}}}{local}"


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace (``etree.QName(element).localname``, without the parsing)."""
    return str(element.tag).rpartition("}")[2]


def eid_prefix(element: etree._Element) -> str:
    """The short name an element contributes to eIds (naming convention)."""
    local = local_name(element)
    if local in GENERIC:
        return str(element.get("name", local))
    return ABBREVIATIONS.get(local, local)


UNNUMBERED = "nn"
"""The FRBR number of a document without a symbol (a letter on letterhead), which has no <docNumber>."""

"""Names of the Akoma Ntoso output: namespaces, document names, element names, eId prefixes."""

from __future__ import annotations

from lxml import etree

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
"""The Akoma Ntoso 3.0 namespace."""

PIPELINE_NS = "urn:undoc:akn:1.0"
"""Namespace of the pipeline's own metadata inside ``<proprietary>``."""

COUNTRY = "un"
"""The FRBRcountry of United Nations documents (AKN4UN)."""

SOURCE = "pipeline"
"""eId of the TLC that every ``source`` attribute names: this pipeline."""

MANIFESTATION_FORMAT = "application/akn+xml"

DOC_NAMES: dict[str, str] = {
    "programme-of-work": "programmeOfWork",
    "note": "note",
}
"""Document type of the vocabulary -> ``<doc name>`` and FRBR subtype."""

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

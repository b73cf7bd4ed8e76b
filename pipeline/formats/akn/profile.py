"""The project's Akoma Ntoso profile: what the OASIS schema cannot check.

The XSD checks structure. These checks add the naming convention and internal consistency:

- the FRBR IRIs of every ``<doc>`` agree with each other (Work, Expression, Manifestation,
  component), with FRBRcountry, FRBRdate, FRBRsubtype, FRBRnumber and FRBRlanguage, and an
  attached doc belongs to the same Work and Expression as the main one;
- FRBRnumber's ``showAs`` is the printed ``<docNumber>`` and its value that symbol with
  "/" written "-";
- every local reference (``refersTo``, ``href``, ``source``, ``as`` starting with "#") names
  an eId of the document;
- eIds are unique; in the content, each is its nearest identified ancestor's eId, "__", the
  element's short name and its ordinal among like siblings; in the metadata, a plain name;
- references name the kind of element they stand for: a ``<noteRef>`` a note (an
  ``<authorialNote>`` or an item of a table's notes) with the same marker, a ``<tocItem>`` a
  subdivision or an attachment, and the pipeline's metadata a footnote, a subdivision, a
  table or a table note as it says.

Each check yields messages; :func:`profile_problems` gathers them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml import etree

from pipeline.formats.akn.names import (
    AKN_NS,
    PIPELINE_NS,
    SECTION_ELEMENTS,
    UNNUMBERED,
    akn,
    eid_prefix,
    local_name,
)

Check = Callable[[etree._Element], Iterator[str]]

_META_EID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_CONTENT_EID_PART = r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+"
_CONTENT_EID = re.compile(rf"{_CONTENT_EID_PART}(?:__{_CONTENT_EID_PART})*")
"""name_number parts joined by "__" (a part holds no "__", so the parts are what "__" splits)."""
_COMPONENT = re.compile(r"main|[a-z][A-Za-z]*_[1-9][0-9]*")
_LOCAL_REFERENCES = ("refersTo", "href", "source", "as", "placementBase")
_REFERRING = etree.XPath("descendant-or-self::*[" + " or ".join(f"@{a}" for a in _LOCAL_REFERENCES) + "]")
"""Elements with an attribute that may be a local reference, in document order."""
_REFERS_TO = etree.XPath("descendant-or-self::*/@refersTo", smart_strings=False)
_OTHER_REFERENCES = etree.XPath(" | ".join(f"descendant-or-self::*/@{a}" for a in _LOCAL_REFERENCES[1:]),
                                smart_strings=False)
_IDENTIFIED = etree.XPath("descendant-or-self::*[@eId]")
"""Elements with an eId, in document order."""
_EIDS = etree.XPath("descendant-or-self::*/@eId", smart_strings=False)


def _value(parent: etree._Element | None, path: str, attribute: str = "value") -> str:
    if parent is None:
        return ""
    found = parent.find(path, {"a": AKN_NS})
    return "" if found is None else found.get(attribute, "")


def _own_identification(doc: etree._Element) -> etree._Element | None:
    meta = doc.find(akn("meta"))
    return None if meta is None else meta.find(akn("identification"))


def check_frbr(root: etree._Element) -> Iterator[str]:
    """FRBRthis and FRBRuri agree at every level, and with the rest of the identification."""
    docs = list(root.iter(akn("doc")))
    if not docs:
        yield "no <doc> element"
        return
    main_work = main_expression = ""
    for index, doc in enumerate(docs):
        where = "main doc" if index == 0 else f"attached doc {index}"
        ident = _own_identification(doc)
        if ident is None:
            yield f"{where}: no <identification>"
            continue
        work, expression, manifestation = (ident.find(akn(level)) for level in
                                           ("FRBRWork", "FRBRExpression", "FRBRManifestation"))
        work_uri = _value(work, "a:FRBRuri")
        work_this = _value(work, "a:FRBRthis")
        expr_uri = _value(expression, "a:FRBRuri")
        expr_this = _value(expression, "a:FRBRthis")
        man_uri = _value(manifestation, "a:FRBRuri")
        man_this = _value(manifestation, "a:FRBRthis")
        language = _value(expression, "a:FRBRlanguage", "language")
        component = work_this.removeprefix(work_uri + "/!") if work_this.startswith(work_uri + "/!") else ""
        if not component or not _COMPONENT.fullmatch(component):
            yield f"{where}: Work FRBRthis {work_this!r} is not FRBRuri {work_uri!r} + '/!component'"
        if index == 0 and component != "main":
            yield f"{where}: the main doc's component is {component!r}, not 'main'"
        if expr_uri != f"{work_uri}/{language}@" and not re.fullmatch(
                re.escape(f"{work_uri}/{language}@") + r"\d{4}-\d{2}-\d{2}", expr_uri):
            yield (f"{where}: Expression FRBRuri {expr_uri!r} is not the Work IRI + "
                   f"'/{language}@' (FRBRlanguage {language!r})")
        if expr_this != f"{expr_uri}/!{component}":
            yield f"{where}: Expression FRBRthis {expr_this!r} is not {expr_uri + '/!' + component!r}"
        if not man_uri.startswith(expr_uri + ".") or "/" in man_uri.removeprefix(expr_uri):
            yield f"{where}: Manifestation FRBRuri {man_uri!r} is not the Expression IRI + '.format'"
        if not man_this.startswith(expr_this + ".") or "/" in man_this.removeprefix(expr_this):
            yield f"{where}: Manifestation FRBRthis {man_this!r} is not {expr_this!r} + '.format'"
        parts = work_uri.split("/")
        # /akn/<country>/<type>/<subtype>/<date>/<number>: the first part is empty.
        if len(parts) != 7 or parts[1] != "akn":
            yield f"{where}: Work IRI {work_uri!r} is not /akn/country/type/subtype/date/number"
        else:
            _, _, country, doc_type, subtype, date, number = parts
            if country != _value(work, "a:FRBRcountry"):
                yield f"{where}: Work IRI country {country!r} differs from FRBRcountry"
            if date != _value(work, "a:FRBRdate", "date"):
                yield f"{where}: Work IRI date {date!r} differs from the Work's FRBRdate"
            if number != _value(work, "a:FRBRnumber"):
                yield f"{where}: Work IRI number {number!r} differs from FRBRnumber"
            if index == 0:
                if doc_type != etree.QName(doc).localname or subtype != doc.get("name"):
                    yield (f"{where}: Work IRI type/subtype {doc_type}/{subtype} differ from "
                           f"<doc name={doc.get('name')!r}>")
                declared = _value(work, "a:FRBRsubtype")
                if declared and declared != subtype:
                    yield f"{where}: FRBRsubtype {declared!r} differs from the Work IRI's {subtype!r}"
        if index == 0:
            main_work, main_expression = work_uri, expr_uri
        else:
            if work_uri != main_work:
                yield f"{where}: Work FRBRuri {work_uri!r} is not the main doc's {main_work!r}"
            if expr_uri != main_expression:
                yield f"{where}: Expression FRBRuri {expr_uri!r} is not the main doc's {main_expression!r}"


def check_number(root: etree._Element) -> Iterator[str]:
    """FRBRnumber's showAs is the printed docNumber, and its value that symbol with "/" -> "-"."""
    doc = root.find(akn("doc"))
    ident = None if doc is None else _own_identification(doc)
    number = None if ident is None else ident.find(f"{akn('FRBRWork')}/{akn('FRBRnumber')}")
    if doc is None or number is None:
        yield "the main doc has no FRBRnumber"
        return
    printed = doc.find(f"{akn('coverPage')}//{akn('docNumber')}")
    shown = number.get("showAs")
    if printed is None:
        if number.get("value") != UNNUMBERED:  # only a document without a symbol goes without
            yield "the cover page has no <docNumber>"
    elif shown != "".join(printed.itertext()):
        yield f"FRBRnumber showAs {shown!r} differs from <docNumber> {''.join(printed.itertext())!r}"
    if shown is not None and number.get("value") != shown.replace("/", "-"):
        yield f"FRBRnumber value {number.get('value')!r} is not showAs {shown!r} with '/' written '-'"


def _dangling(values: list[str], eids: set[str], *, split: bool) -> bool:
    return any(token.startswith("#") and token[1:] not in eids
               for value in values for token in (value.split() if split else [value]))


def check_references(root: etree._Element) -> Iterator[str]:
    """Every local reference names an existing eId."""
    eids = set(_EIDS(root))
    eids.discard("")
    # Reading the values alone settles the usual case (every reference resolves); only a
    # document with a dangling reference is walked element by element to name where.
    if not (_dangling(_REFERS_TO(root), eids, split=True) or _dangling(_OTHER_REFERENCES(root), eids, split=False)):
        return
    for element in _REFERRING(root):
        for attribute in _LOCAL_REFERENCES:
            value = element.get(attribute)
            if not value:
                continue
            for token in value.split() if attribute == "refersTo" else [value]:
                if token.startswith("#") and token[1:] not in eids:
                    yield (f"<{etree.QName(element).localname} {attribute}={value!r}> "
                           f"(line {element.sourceline}) names no eId of the document")


def _is_meta(element: etree._Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and (tag == "meta" or tag.endswith("}meta"))


def check_eids(root: etree._Element) -> Iterator[str]:
    """eIds are unique and built by the naming convention."""
    seen: dict[str, int] = {}
    ordinals: dict[tuple[str, str], int] = {}
    # What an element passes to its descendants: the nearest eId (its own or an ancestor's),
    # and whether it is or is inside <meta>. Elements with an eId come in document order, so
    # only the ancestors not met before are climbed, instead of all ancestors of every element.
    inherited: dict[etree._Element, tuple[str, bool]] = {}
    for element in _IDENTIFIED(root):
        path: list[etree._Element] = []
        ancestor = element.getparent()
        while ancestor is not None and ancestor not in inherited:
            path.append(ancestor)
            ancestor = ancestor.getparent()
        parent, in_meta = ("", False) if ancestor is None else inherited[ancestor]
        for ancestor in reversed(path):
            in_meta = in_meta or _is_meta(ancestor)
            inherited[ancestor] = (parent, in_meta)
        eid = element.get("eId", "")
        inherited[element] = (eid or parent, in_meta or _is_meta(element))
        line = element.sourceline
        if eid in seen:
            yield f"eId {eid!r} (line {line}) is used twice (first on line {seen[eid]})"
        seen.setdefault(eid, line or 0)
        if in_meta:
            if not _META_EID.fullmatch(eid):
                yield f"metadata eId {eid!r} (line {line}) is not a plain name"
            continue
        prefix = eid_prefix(element)
        ordinals[(parent, prefix)] = ordinals.get((parent, prefix), 0) + 1
        expected = f"{parent}__" if parent else ""
        expected += f"{prefix}_{ordinals[(parent, prefix)]}"
        if not _CONTENT_EID.fullmatch(eid):
            yield f"eId {eid!r} (line {line}) is not name_number parts joined by '__'"
        elif eid != expected:
            yield f"eId {eid!r} (line {line}) should be {expected!r} by the naming convention"


SUBDIVISIONS = frozenset({*SECTION_ELEMENTS.values(), "hcontainer", "paragraph"})
"""Elements a contents line or the pipeline's section metadata may name."""

_TARGETS = (f"{{{PIPELINE_NS}}}footnote", f"{{{PIPELINE_NS}}}section", f"{{{PIPELINE_NS}}}table",
            f"{{{PIPELINE_NS}}}tableNote")


def _is_table_note(element: etree._Element) -> bool:
    parent = element.getparent()
    return local_name(element) == "item" and parent is not None and parent.get("class") == "tableNotes"


_KINDS: dict[str, tuple[str, Callable[[etree._Element], bool]]] = {
    "footnote": ("an <authorialNote>", lambda e: local_name(e) == "authorialNote"),
    "section": ("a subdivision", lambda e: local_name(e) in SUBDIVISIONS),
    "table": ("a <table>", lambda e: local_name(e) == "table"),
    "tableNote": ("an item of a table's notes", _is_table_note),
    "tocItem": ("a subdivision or an attachment", lambda e: local_name(e) in SUBDIVISIONS | {"attachment"}),
}


def check_targets(root: etree._Element) -> Iterator[str]:
    """Note calls, contents lines and the pipeline's metadata name elements of the right kind."""
    calls = list(root.iter(akn("noteRef"), akn("tocItem"), *_TARGETS))
    if not calls:
        return
    by_eid = {e.get("eId"): e for e in _IDENTIFIED(root)}
    for element in calls:
        href = element.get("href", "")
        target = by_eid.get(href[1:]) if href.startswith("#") else None
        if target is None:
            continue  # check_references names a reference that resolves to nothing
        local = local_name(element)
        where = f"<{etree.QName(element).localname} href={href!r}> (line {element.sourceline})"
        if local == "noteRef":
            if local_name(target) == "authorialNote":
                marker = target.get("marker")
            elif _is_table_note(target):
                marker = target.findtext(akn("num"))
            else:
                yield f"{where} names a <{local_name(target)}>, not a note"
                continue
            if element.get("marker") != marker:
                yield f"{where} has the marker {element.get('marker')!r}, its note {marker!r}"
            continue
        kind, fits = _KINDS[local]
        if not fits(target):
            yield f"{where} names a <{local_name(target)}>, not {kind}"


CHECKS: tuple[Check, ...] = (check_frbr, check_number, check_references, check_eids, check_targets)
"""The profile, in the order problems are reported."""


def profile_problems(root: etree._Element | etree._ElementTree) -> list[str]:
    """Every way the tree breaks the profile; empty when it keeps it."""
    element = root.getroot() if isinstance(root, etree._ElementTree) else root
    return [problem for check in CHECKS for problem in check(element)]

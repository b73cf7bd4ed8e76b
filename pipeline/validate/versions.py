"""The language versions of one document agree in structure.

A document is issued in several languages, one source per language: ``<stem>.xml`` and
``<stem>.<language>.xml`` (``oewg-ict-s4-programme-of-work.fr.xml``). Translation changes the
words, never the structure: every version has the same symbol, numbered paragraphs,
subparagraphs, footnotes, agenda items and sub-topics, days and times. Each version is compared
with the version in the document's original language (or, without one, the first by name); a
difference is reported at both places, in both files (check ``version-structure``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from lxml import etree

from pipeline.diagnostics import Diagnostic, error, warning
from pipeline.genres import GENRES, genre
from pipeline.sources.load import q, tag_position
from pipeline.validate.rules.base import OFFICIAL_LANGUAGES

CODE = "version-structure"
"""The code of every diagnostic of this module."""


@dataclass(frozen=True)
class Version:
    """One language version of a document, as validated."""

    path: str
    root: etree._Element
    lines: tuple[str, ...]

    @property
    def language(self) -> str:
        """The version's language (ISO 639-1)."""
        return (self.root.findtext(f"{q('masthead')}/{q('language')}") or "").strip()

    @property
    def original_language(self) -> str:
        """The language the document was written in."""
        return (self.root.findtext(f"{q('masthead')}/{q('original-language')}") or "").strip()

    @property
    def name(self) -> str:
        """"the French version"."""
        return f"the {OFFICIAL_LANGUAGES.get(self.language, self.language)} version"


def document_stem(path: str) -> str:
    """The name the language versions of a document share: ``x.fr.xml`` and ``x.xml`` -> ``x``."""
    stem = PurePath(path).with_suffix("")
    if stem.suffix[1:] in OFFICIAL_LANGUAGES:
        stem = stem.with_suffix("")
    return str(stem)


@dataclass(frozen=True)
class _Part:
    key: str
    """What must be equal in every version: "5" for agenda item 5; for a paragraph the references it
    holds, so that one missing from a version is found at its place."""
    label: str
    """How a message names it: "numbered paragraph 3", "agenda item 5"."""
    element: etree._Element


_KINDS: tuple[tuple[str, str], ...] = (
    ("symbol", "symbols"),
    ("session dates", "session dates"),
    ("numbered paragraph", "numbered paragraphs"),
    ("subparagraph", "subparagraphs"),
    ("footnote", "footnotes"),
    ("agenda item", "agenda items"),
    ("sub-topic", "sub-topics"),
    ("day", "days"),
    ("time slot", "time slots"),
)


_ANCHORS = (q("doc-ref"), q("resolution-ref"), q("decision-ref"), q("footnote-ref"))


def _anchors(element: etree._Element) -> str:
    """What a paragraph holds that translation keeps: the documents it cites and the notes it calls,
    by which a paragraph missing from one version is told from its neighbours."""
    return " ".join(f"{etree.QName(e).localname}:{e.get('ref') or (e.text or '').strip()}"
                    for e in element.iter(*_ANCHORS))


_BLOCK_PARENTS = frozenset({q("body"), q("section"), q("annex")})
"""Where a ``<p>`` is a paragraph of the text (elsewhere it is part of a quotation, a cell, a note)."""


def _numbered_paragraphs(root: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs the document numbers, in document order, as the model numbers them: every
    ``<p>`` of ``<paragraphs>``; in a ``<body>`` and its annexes, those its genre numbers unless
    ``numbered="no"``, and those marked ``numbered="yes"``."""
    kind = genre(root.get("type", "")) if root.get("type") in GENRES else None
    for element in root.iter(q("p")):
        parent = element.getparent()
        if parent is None:
            continue
        stated = element.get("numbered", "auto")
        if parent.tag == q("paragraphs") or (
                parent.tag in _BLOCK_PARENTS and (kind.numbers(stated) if kind is not None else stated == "yes")):
            yield element


def _parts(root: etree._Element) -> dict[str, list[_Part]]:
    """The structure of a document by kind, in document order."""
    parts: dict[str, list[_Part]] = {kind: [] for kind, _ in _KINDS}
    symbol = root.find(f"{q('masthead')}/{q('symbol')}")
    if symbol is not None:
        text = (symbol.text or "").strip()
        parts["symbol"].append(_Part(text, f"the symbol {text}", symbol))
    dates = root.find(f"{q('session')}/{q('dates')}")
    if dates is not None:
        span = f"{dates.get('start')}/{dates.get('end')}"
        parts["session dates"].append(_Part(span, f"the session dates {span}", dates))
    for number, element in enumerate(_numbered_paragraphs(root), 1):
        parts["numbered paragraph"].append(_Part(_anchors(element), f"numbered paragraph {number}", element))
    for element in root.iter(q("item")):
        parent = element.getparent()
        if parent is not None and parent.tag == q("subparagraphs"):
            number = len(parts["subparagraph"]) + 1
            parts["subparagraph"].append(_Part(_anchors(element), f"subparagraph {number} of the document", element))
    for element in root.iter(q("footnote")):
        ident = element.get("id", "")
        parts["footnote"].append(_Part(ident, f"footnote {ident!r}", element))
    for element in root.iter(q("agenda-item"), q("agenda-entry")):
        ref = element.get("ref", "")
        parts["agenda item"].append(_Part(ref, f"agenda item {ref}", element))
    for element in root.iter(q("topic")):
        parent = element.getparent()
        if parent is not None and parent.tag == q("topics"):
            continue  # a register's own list
        ref = element.get("ref", "")
        parts["sub-topic"].append(_Part(ref, f"sub-topic ({ref})", element))
    for day in root.iter(q("day")):
        date = day.get("date", "")
        parts["day"].append(_Part(date, f"the day {date}", day))
        for slot in day.iter(q("slot")):
            span = f"{date} {slot.get('start')}–{slot.get('end')}"
            parts["time slot"].append(_Part(span, f"the time slot {span}", slot))
    return parts


def _diagnostic(version: Version, element: etree._Element, message: str) -> Diagnostic:
    line, column = tag_position(version.lines, element)
    return error(version.path, line, CODE, message, column)


def _where(version: Version, element: etree._Element) -> str:
    line, column = tag_position(version.lines, element)
    return f"{version.path}:{line}:{column}"


def compare(reference: Version, other: Version) -> Iterator[Diagnostic]:
    """The first difference of each kind between two versions, reported in both."""
    ours, theirs = _parts(reference.root), _parts(other.root)
    for kind, plural in _KINDS:
        a, b = ours[kind], theirs[kind]
        matcher = difflib.SequenceMatcher(None, [p.key for p in a], [p.key for p in b], autojunk=False)
        change = next((op for op in matcher.get_opcodes() if op[0] != "equal"), None)
        if change is None:
            continue
        tag, i, _, j, _ = change
        if tag == "replace":
            yield _diagnostic(reference, a[i].element,
                              f"{a[i].label} stands where {other.name} has {b[j].label} "
                              f"({_where(other, b[j].element)}); language versions agree in structure")
            yield _diagnostic(other, b[j].element,
                              f"{b[j].label} stands where {reference.name} has {a[i].label} "
                              f"({_where(reference, a[i].element)}); language versions agree in structure")
            continue
        longer, shorter, extra, rest, at, there = (
            (reference, other, a, b, i, j) if tag == "delete" else (other, reference, b, a, j, i))
        anchor = rest[min(there, len(rest) - 1)].element if rest else shorter.root
        yield _diagnostic(longer, extra[at].element,
                          f"{extra[at].label} has no counterpart in {shorter.name} "
                          f"({_where(shorter, anchor)}: {len(rest)} {plural} there, {len(extra)} here)")
        yield _diagnostic(shorter, anchor,
                          f"{extra[at].label} of {longer.name} ({_where(longer, extra[at].element)}) is missing "
                          f"here: {len(rest)} {plural} here, {len(extra)} there")


def version_diagnostics(versions: Iterable[Version]) -> list[Diagnostic]:
    """The differences in structure between the language versions among ``versions``."""
    groups: dict[str, list[Version]] = {}
    for version in versions:
        groups.setdefault(document_stem(version.path), []).append(version)
    found: list[Diagnostic] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        reference = _reference(group)
        for other in group:
            if other is not reference:
                found.extend(compare(reference, other))
    return found


def _reference(group: Sequence[Version]) -> Version:
    ordered = sorted(group, key=lambda v: v.path)
    return next((v for v in ordered if v.language == v.original_language), ordered[0])


DUPLICATE_CODE = "symbol-duplicate"
"""The code of a symbol that two documents (not versions of one) both bear."""


def symbol_duplicates(versions: Iterable[Version]) -> list[Diagnostic]:
    """A warning at each of two documents of different names that bear the same symbol in the same
    language (a copy whose symbol was not changed): their PDFs, links and calendar entries would
    claim to be one document. Placeholder symbols are left out; they are not yet assigned."""
    bearers: dict[tuple[str, str], list[tuple[Version, etree._Element]]] = {}
    for version in versions:
        symbol = version.root.find(f"{q('masthead')}/{q('symbol')}")
        if symbol is None or symbol.get("placeholder") in ("true", "1"):
            continue
        bearers.setdefault(((symbol.text or "").strip(), version.language), []).append((version, symbol))
    found = []
    for (symbol, _), group in bearers.items():
        if len({document_stem(v.path) for v, _ in group}) < 2:
            continue
        for version, element in group:
            others = ", ".join(_where(o, e) for o, e in group if o is not version)
            line, column = tag_position(version.lines, element)
            found.append(warning(version.path, line, DUPLICATE_CODE,
                                 f"the symbol {symbol} is also that of {others}; each document has its own "
                                 f"symbol: correct one, or mark a symbol not yet assigned placeholder=\"true\"",
                                 column))
    return found

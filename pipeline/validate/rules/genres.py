"""Genres and the general tree: the heading ladder, subparagraphs, table notes, what each genre
requires of its symbol, job number and letter parts, decisions and footnote marks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.genres import Genre, genre
from pipeline.sources.load import q
from pipeline.validate.rules.base import Finding, RuleContext, rule

MAX_SUBPARAGRAPH_DEGREE = 4
"""Subparagraphs run (a), (i), a., i.; the Editorial Manual has no fifth degree."""

SUFFIX_GENRES = {"Corr": "corrigendum", "Add": "addendum"}
"""A symbol ending in one of these suffixes is a document of that genre, whatever it says."""


def _genre(ctx: RuleContext) -> str:
    return str(ctx.root.get("type", ""))


def _facts(ctx: RuleContext) -> Genre:
    return genre(_genre(ctx))


def _symbol(ctx: RuleContext) -> tuple[etree._Element, str] | None:
    element = ctx.root.find(f"{q('masthead')}/{q('symbol')}")
    if element is None:
        return None
    return element, (element.text or "").strip().rstrip("*")


# ---------------------------------------------------------------- the heading ladder


def _divisions(parent: etree._Element) -> Iterator[etree._Element]:
    """Every element whose children may be sections or parts: the body, annexes, sections, parts."""
    for tag in ("body", "annex", "section", "part"):
        yield from parent.iter(q(tag))


def _heading_words(section: etree._Element) -> str:
    """The words of a section's (or part's) heading, on one line."""
    heading = section.find(q("heading"))
    return " ".join("".join(heading.itertext() if heading is not None else ()).split())


@rule("section-alone", "A numbered heading has a numbered sibling: no lone “A.” without a “B.”.")
def _section_alone(ctx: RuleContext) -> Iterator[Finding]:
    """A heading is numbered to tell it from the headings beside it; a chapter "I." alone in the
    body, or a section "A." alone in its chapter, divides nothing (Editorial Manual, headings and
    subheadings). Add the next heading of the same level, merge the text into the heading above,
    or make the heading unnumbered with ``numbered="no"``. Parts ("Part one") are counted the
    same way."""
    for division in _divisions(ctx.root):
        for tag, label in (("section", "section"), ("part", "part")):
            numbered = [c for c in division.iterchildren(q(tag)) if c.get("numbered", "yes") != "no"]
            if len(numbered) == 1:
                alone = numbered[0]
                yield alone, (f"the numbered {label} “{_heading_words(alone)}” has no numbered sibling: a lone "
                              f"heading divides nothing; add the next one, or write numbered=\"no\"")


_LETTER_PARTS = frozenset(q(t) for t in ("addressee", "salutation", "closing", "signature"))
_SECTIONS = frozenset(q(t) for t in ("section", "part"))


@rule("text-after-sections", "Text stands before the first heading of its level, or under a heading: never after "
      "the last one.", Severity.WARNING)
def _text_after_sections(ctx: RuleContext) -> Iterator[Finding]:
    """A paragraph, list or table that follows a section, beside it rather than inside it, prints
    right after that section's last text and reads as part of it, though it belongs to the level
    above. Move it into the section, or before the first heading of that level; a letter's
    closing and signature after its sections are in their place."""
    for division in _divisions(ctx.root):
        after: etree._Element | None = None
        for child in division.iterchildren(etree.Element):
            if child.tag in _SECTIONS:
                after = child
            elif after is not None and child.tag not in _LETTER_PARTS and child.tag != q("heading"):
                yield child, (f"<{etree.QName(child).localname}> stands after the section "
                              f"“{_heading_words(after)}” but outside it, and prints as part of it; move it "
                              f"into that section or before the first heading of its level")
                break


MAX_HEADING_LEVEL = 6
"""Sections nest as "I.", "A.", "1.", "(a)", "(i)", "a." (each catalogue's ``heading_labels``)."""


@rule("heading-depth", "Sections nest at most six levels: I., A., 1., (a), (i), a.")
def _heading_depth(ctx: RuleContext) -> Iterator[Finding]:
    """The heading ladder of the Editorial Manual has six rungs below a part; a seventh has no
    label or type size of its own. Reported once, at the outermost section too deep; make its
    heading a paragraph of the level above, or move a level of the document into an annex."""
    for element in ctx.root.iter(q("section")):
        level = 1 + sum(1 for _ in element.iterancestors(q("section")))
        if level == MAX_HEADING_LEVEL + 1:
            yield element, (f"a section at level {level}: headings nest at most {MAX_HEADING_LEVEL} levels "
                            f"(I., A., 1., (a), (i), a.); make this heading a paragraph or fold the level "
                            f"into the one above")


@rule("subparagraph-depth", "Subparagraphs nest at most four degrees: (a), (i), a., i.")
def _subparagraph_depth(ctx: RuleContext) -> Iterator[Finding]:
    """Subparagraphs are lettered (a), then (i), then a., then i.; a fifth degree has no label
    of its own in the Editorial Manual and would repeat "(a)". Bullets start the count afresh.
    Make the deepest items sentences of the degree above, or split the paragraph."""
    for element in ctx.root.iter(q("subparagraphs")):
        degree = subparagraph_degree(element)
        if degree == MAX_SUBPARAGRAPH_DEGREE + 1:
            yield element, (f"subparagraphs of the {degree}th degree; they nest at most "
                            f"{MAX_SUBPARAGRAPH_DEGREE} degrees ((a), (i), a., i.): fold them into the "
                            f"degree above or split the paragraph")


def subparagraph_degree(element: etree._Element) -> int:
    """The degree of a ``<subparagraphs>``: 1, plus one for each enclosing subparagraphs list up to
    the nearest bullets or block."""
    degree = 1
    parent = element.getparent()
    while parent is not None and parent.tag == q("item"):
        owner = parent.getparent()
        if owner is None or owner.tag != q("subparagraphs"):
            break
        degree += 1
        parent = owner.getparent()
    return degree


# ---------------------------------------------------------------- notes to a table


def _table_of(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors(q("table")):
        return ancestor
    return None


@rule("table-note-unknown", "Every call of a table note names a note of the table it stands in.")
def _table_note_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """``<table-note-ref ref="x">`` is lettered from the ``<table-note id="x">`` under the same
    table; notes of another table, and calls outside any table, have no letter."""
    for ref in ctx.root.iter(q("table-note-ref")):
        table = _table_of(ref)
        name = ref.get("ref", "")
        if table is None:
            yield ref, (f"the table note {name!r} is called outside a table; call a footnote with "
                        f"<footnote-ref> instead")
            continue
        defined = {n.get("id") for n in table.iterfind(f"{q('table-notes')}/{q('table-note')}")}
        if name not in defined:
            known = ", ".join(sorted(i for i in defined if i)) or "none"
            yield ref, (f"the table note {name!r} is not a note of this table (it has {known}); "
                        f"add it under <table-notes> or correct the call")


@rule("table-note-unused", "Every note of a table is called from the table.")
def _table_note_unused(ctx: RuleContext) -> Iterator[Finding]:
    """A note under a table is lettered a, b, … in the order of the notes and called from a cell or
    the caption; a note that nothing calls prints a letter that points nowhere."""
    for table in ctx.root.iter(q("table")):
        notes = table.find(q("table-notes"))
        if notes is None:
            continue
        called = {r.get("ref") for r in table.iter(q("table-note-ref")) if not _inside(r, notes)}
        for note in notes.iterchildren(q("table-note")):
            if note.get("id") not in called:
                yield note, (f"the table note {note.get('id')!r} is never called; call it with "
                             f"<table-note-ref ref=\"{note.get('id')}\"/> in a cell, or remove it")


@rule("table-shape", "Every row of a table spans its columns: as many as its <col> elements, else its first row.")
def _table_shape(ctx: RuleContext) -> Iterator[Finding]:
    """A table is a grid: each row's cells, a ``colspan`` counting for as many columns as it
    says, fill the table's columns exactly. The columns are those the ``<col>`` elements give,
    or, without them, those of the first row. A row short of cells or running past the last
    column has no place in a word processor's grid (and none in the Akoma Ntoso or DOCX table).
    Add an empty ``<td/>``, remove a cell, or correct the ``colspan``."""
    for table in ctx.root.iter(q("table")):
        rows = [r for part in ("thead", "tbody") for p in table.iterchildren(q(part)) for r in p.iterchildren(q("tr"))]
        if not rows:
            continue
        cols = list(table.iterchildren(q("col")))
        columns, given = (len(cols), f"{len(cols)} <col> elements") if cols else (_width(rows[0]), "its first row")
        for row in rows:
            width = _width(row)
            if width != columns:
                yield row, (f"this row spans {width} column{'s' if width != 1 else ''} where the table has "
                            f"{columns} ({given}); add an empty <td/>, remove a cell or correct a colspan")


def _width(row: etree._Element) -> int:
    """How many columns the cells of a row span."""
    return sum(int(c.get("colspan", "1")) for c in row if c.tag in (q("td"), q("th")))


def _inside(element: etree._Element, container: etree._Element) -> bool:
    return any(a is container for a in element.iterancestors())


# ---------------------------------------------------------------- what each genre requires


@rule("genre-symbol", "The symbol's suffix fits the genre (/Corr.n, /Add.n, /Rev.n, /CRP.n, /L.n).")
def _genre_symbol(ctx: RuleContext) -> Iterator[Finding]:
    """A corrigendum's symbol ends in /Corr.n, an addendum's in /Add.n, a revision's in /Rev.n; a
    conference room paper's carries /CRP.n and a Limited-distribution draft's /L.n. The part before
    the suffix names the document corrected, added to or revised. Conversely a symbol ending in
    /Corr.n or /Add.n is a corrigendum or an addendum, whatever ``type`` says."""
    found = _symbol(ctx)
    if found is None:
        return
    element, symbol = found
    name, facts = _genre(ctx), _facts(ctx)
    if facts.symbol_pattern and not re.search(facts.symbol_pattern, symbol):
        asked, _, example = facts.symbol_asks.partition(", e.g. ")
        yield element, (f"a document of type “{name}” has a symbol that must {asked} "
                        f"(e.g. {example}), not {symbol}; correct the symbol or the type")
        return
    suffix = re.search(r"/(Corr|Add)\.\d+$", symbol)
    if suffix and SUFFIX_GENRES[suffix.group(1)] != name:
        expected = SUFFIX_GENRES[suffix.group(1)]
        yield element, (f"the symbol {symbol} ends in /{suffix.group(1)}.n, the mark of a {expected}, "
                        f"but the document's type is “{genre}”; write type=\"{expected}\" or correct the symbol")


@rule("crp-job-number", "A conference room paper, or a letter on letterhead, has no job number.")
def _crp_job_number(ctx: RuleContext) -> Iterator[Finding]:
    """Conference room papers are circulated in the room, usually in English only, without being
    processed as documents, and a letter on letterhead is sent, not issued: they carry no job
    number, barcode or recycling line. Remove the ``<job-number>``, or give the document the
    genre it has been issued as."""
    if _facts(ctx).job_footer:
        return
    for element in ctx.root.iterfind(f"{q('masthead')}/{q('job-number')}"):
        yield element, (f"a document of type “{_genre(ctx)}” has no job number; remove <job-number> or give "
                        "the document the genre it was issued as")


@rule("symbol-missing", "Every document but a letter on letterhead has a symbol.")
def _symbol_missing(ctx: RuleContext) -> Iterator[Finding]:
    """The symbol heads the masthead, every later page and every export of an issued document;
    only a letter on letterhead, which is sent rather than issued, goes without. Write the
    symbol (``placeholder="true"`` while it is not assigned), or give the letter the type
    "letterhead-letter"."""
    masthead = ctx.root.find(q("masthead"))
    if masthead is None or _facts(ctx).masthead == "letterhead" or masthead.find(q("symbol")) is not None:
        return
    yield masthead, (f"a document of type “{_genre(ctx)}” has a symbol; add <symbol> after <organ> "
                     "(placeholder=\"true\" while it is not assigned)")


@rule("letterhead-masthead",
      "A letter on letterhead has a letterhead and no symbol; no other document has a letterhead.")
def _letterhead_masthead(ctx: RuleContext) -> Iterator[Finding]:
    """A letter on letterhead (type "letterhead-letter") prints its sender's letterhead, place
    and date instead of the United Nations masthead, and is not issued under a symbol; a
    document with the masthead has no letterhead. Add or remove ``<letterhead>`` and
    ``<symbol>``, or correct the type."""
    masthead = ctx.root.find(q("masthead"))
    if masthead is None:
        return
    head, symbol = masthead.find(q("letterhead")), masthead.find(q("symbol"))
    if _facts(ctx).masthead != "letterhead":
        if head is not None:
            yield head, (f"a document of type “{_genre(ctx)}” is printed under the United Nations masthead, "
                         "not a letterhead; remove <letterhead>, or write type=\"letterhead-letter\"")
        return
    if head is None:
        yield masthead, ("a letter on letterhead has its sender's letterhead; add <letterhead> with its "
                         "<line> elements and the <place> of writing at the end of the masthead")
    if symbol is not None:
        yield symbol, ("a letter on letterhead is not issued under a symbol; remove <symbol>, or give the "
                       "document the genre it was issued as")


@rule("job-number-missing", "Every document but a conference room paper has a job number.")
def _job_number_missing(ctx: RuleContext) -> Iterator[Finding]:
    """An issued document carries its job number (YY-NNNNN) at the foot of the first page, with
    its barcode; only conference room papers go without. Write the number, with
    ``placeholder="true"`` while it is not yet known."""
    masthead = ctx.root.find(q("masthead"))
    if masthead is None or not _facts(ctx).job_footer or masthead.find(q("job-number")) is not None:
        return
    yield masthead, (f"a document of type “{_genre(ctx)}” has a job number; add <job-number> at the "
                     f"end of the masthead (placeholder=\"true\" while it is not known)")


@rule("date-placeholder", "The masthead's date is the date of issue, not a placeholder.", Severity.WARNING)
def _date_placeholder(ctx: RuleContext) -> Iterator[Finding]:
    """A document made from an earlier one (``undoc new``) carries a date of issue marked
    ``placeholder="true"``: it is printed all the same, but the document is not ready to
    issue until the date is fixed and the mark removed."""
    element = ctx.root.find(f"{q('masthead')}/{q('date')}")
    if element is not None and element.get("placeholder") in ("true", "1"):
        yield element, (f"the date of issue {(element.text or '').strip()} is a placeholder: write the date "
                        f"the document is issued and remove placeholder=\"true\"")


@rule("letter-signature", "A letter carries a signature.")
def _letter_signature(ctx: RuleContext) -> Iterator[Finding]:
    """A letter circulated as a document ends with its signature block, "(Signed) Name" and the
    signatory's function; without ``<signature>`` in its body nobody has written it."""
    if not _facts(ctx).signed:
        return
    body = ctx.root.find(q("body"))
    if body is None:
        body = ctx.root.find(q("paragraphs"))
    if body is not None and body.find(f".//{q('signature')}") is None:
        yield body, ("a letter carries a signature; add <signature><name>…</name><function>…</function>"
                     "</signature> after the closing")


# ---------------------------------------------------------------- references and marks


@rule("decision-number", "Decision references are numbers of the form 77/512.")
def _decision_number(ctx: RuleContext) -> Iterator[Finding]:
    """``<decision-ref>`` holds the number as printed, session/number (77/512, 75/564), optionally
    followed by a capital letter (47/301 A); it links to A/DEC/77/512."""
    for element in ctx.root.iter(q("decision-ref")):
        number = (element.text or "").strip()
        if not re.fullmatch(r"\d+/\d+(?: [A-Z])?", number):
            yield element, f"decision number {number!r} is not of the form 77/512"


FIRST_PAGE = ("front", "title", "subtitle")
"""Where a note marked "*" is called from: the lines of the first page above the text."""


def _on_annex_title(ref: etree._Element) -> bool:
    """Whether a call stands in an annex's title ("Annex*": "Circulated in the language of submission only")."""
    title = next(ref.iterancestors(q("title")), None)
    return title is not None and title.getparent() is not None and title.getparent().tag == q("annex")


def _on_first_page(ref: etree._Element, root: etree._Element) -> bool:
    return any(a.getparent() is root and etree.QName(a).localname in FIRST_PAGE for a in ref.iterancestors())


@rule("footnote-mark-place",
      "Footnotes marked “*” are called from the first page’s title or agenda lines, or an annex's title, only.")
def _footnote_mark_place(ctx: RuleContext) -> Iterator[Finding]:
    """Notes on the first page's symbol, title or agenda-item line take the marks "*", "**", as
    may a note on an annex's title ("Circulated in the language of submission only");
    notes in the text are numbered. A marked note called from the text, or a numbered note called
    from the title or the front matter, uses the wrong kind of call."""
    marks = {f.get("id", ""): f.get("mark", "") for f in ctx.root.iter(q("footnote"))}
    for ref in ctx.root.iter(q("footnote-ref")):
        note = ref.get("ref", "")
        if note not in marks:
            continue  # footnote-unknown
        first_page = _on_first_page(ref, ctx.root)
        if marks[note] and not first_page and not _on_annex_title(ref):
            yield ref, (f"footnote {note!r} is marked “{marks[note]}”, a mark for notes on the first "
                        f"page's title or agenda lines; remove mark=\"{marks[note]}\" to number it")
        elif not marks[note] and first_page:
            yield ref, (f"footnote {note!r} is called from the first page's title or agenda lines and "
                        f"takes a mark: write mark=\"*\" on it")

"""The model as pandoc's JSON AST: plain dicts, built node by node, never parsed from markup.

Every paragraph is a ``Div`` whose ``custom-style`` names a paragraph style of the reference
document ("UN Paragraph", "UN Table Day", …); character styles come through ``Span``. Text
from a source only ever lands in ``Str`` nodes. The one piece of OOXML the AST carries is
the constant :data:`TAB` (a ``w:tab`` run), because pandoc has no tab inline.
"""

from __future__ import annotations

from typing import Any

from pipeline.formats.common import EntryParts, entry_parts
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.tree import (
    AgendaItemEntry,
    Annex,
    BulletList,
    Day,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    Footnote,
    FootnoteRef,
    Inline,
    Link,
    Paragraph,
    ProgrammeLine,
    Text,
    TopicEntry,
    undocs_url,
)

from .pandoc import PANDOC_API_VERSION

Node = dict[str, Any]
"""One pandoc AST node (``{"t": type, "c": content}``)."""

TAB: Node = {"t": "RawInline", "c": ["openxml", "<w:r><w:tab/></w:r>"]}
"""A tab: pandoc writes a literal tab character inside ``w:t``, which is not a tab stop."""

NO_ATTR: list[Any] = ["", [], []]

COLUMN_SHARES = (0.24, 0.76)
"""Relative widths of the programme table's columns (Date/time, Agenda item/programme)."""

# Paragraph and character style names of templates/docx/reference/word/styles.xml.
STYLE_MASTHEAD_TOP = "UN Masthead Top"
STYLE_ORGAN_LETTER = "UN Organ Letter"
STYLE_MASTHEAD_SYMBOL = "UN Masthead Symbol"
STYLE_MASTHEAD_ORGAN = "UN Masthead Organ"
STYLE_MASTHEAD_DISTRIBUTION = "UN Masthead Distribution"
STYLE_MASTHEAD_BLOCK = "UN Masthead Block"
STYLE_MASTHEAD_BLOCK_LAST = "UN Masthead Block Last"
STYLE_SESSION_BODY = "UN Session Body"
STYLE_SESSION_LINE = "UN Session Line"
STYLE_SESSION_PLACE = "UN Session Place"
STYLE_TITLE = "UN Title"
STYLE_SUBTITLE = "UN Subtitle"
STYLE_PARAGRAPH = "UN Paragraph"
STYLE_ANNEX_HEADING = "UN Annex Heading"
STYLE_ANNEX_LANGUAGE = "UN Annex Language"
STYLE_ANNEX_TITLE = "UN Annex Title"
STYLE_TABLE_HEAD = "UN Table Head"
STYLE_TABLE_DAY = "UN Table Day"
STYLE_TABLE_TIME = "UN Table Time"
STYLE_TABLE_ENTRY = "UN Table Entry"
STYLE_TABLE_SUB_ITEM = "UN Table Sub-item"
STYLE_TABLE_BULLET = "UN Table Bullet"


# ---------------------------------------------------------------- inline nodes


def words(text: str) -> list[Node]:
    """Text as one ``Str`` node (none for no text).

    pandoc's readers split text into ``Str`` and ``Space`` nodes, and its DOCX writer makes a
    run of each node: a run per word and per space doubled the main document, and pandoc's
    time, for the same text. One ``Str`` with its spaces becomes one run.
    """
    return [{"t": "Str", "c": text}] if text else []


def span(style: str, content: list[Node]) -> Node:
    """Inline content in a character style of the reference document."""
    return {"t": "Span", "c": [["", [], [["custom-style", style]]], content]}


def strong(content: list[Node]) -> Node:
    """Bold inline content."""
    return {"t": "Strong", "c": content}


def emph(content: list[Node]) -> Node:
    """Italic inline content."""
    return {"t": "Emph", "c": content}


def link(content: list[Node], url: str) -> Node:
    """A hyperlink."""
    return {"t": "Link", "c": [NO_ATTR, content, [url, ""]]}


class _Inlines:
    """Converts inline content; a footnote's text goes with the first call of the note.

    pandoc writes a ``Note`` as a real Word footnote at the place of the call. A note called
    a second time is not repeated: the later call prints its number as a superscript.
    """

    def __init__(self, document: Document):
        self.language = document.language
        self.notes: dict[str, Footnote] = {f.note_id: f for f in document.footnotes}
        self.placed: set[str] = set()

    def __call__(self, nodes: tuple[Inline, ...]) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            if isinstance(node, Text):
                out += words(node.text)
            elif isinstance(node, Emphasis):
                out.append(emph(self(node.children)))
            elif isinstance(node, DocumentRef):
                out.append(link(words(node.text), undocs_url(node.symbol, self.language)))
            elif isinstance(node, Link):
                out.append(link(self(node.children) or words(node.href), node.href))
            elif isinstance(node, FootnoteRef):
                out.append(self.note(node))
        return out

    def note(self, ref: FootnoteRef) -> Node:
        """The footnote for its first call; a superscript number for a later call."""
        if ref.note_id in self.placed or ref.note_id not in self.notes:
            return {"t": "Superscript", "c": [{"t": "Str", "c": str(ref.number)}]}
        self.placed.add(ref.note_id)
        return {"t": "Note", "c": [{"t": "Para", "c": self(self.notes[ref.note_id].content)}]}


# ---------------------------------------------------------------- blocks


def para(style: str, content: list[Node]) -> Node:
    """A paragraph in a paragraph style of the reference document."""
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], [{"t": "Para", "c": content}]]}


def masthead(document: Document, w: Wording) -> list[Node]:
    """The first-page masthead: top line over a thin rule, organ band over a thick rule."""
    m = document.masthead
    organ_letter, slash, rest = m.symbol.partition("/")
    return [
        para(STYLE_MASTHEAD_TOP, [
            *words(w.united_nations), TAB,
            span(STYLE_ORGAN_LETTER, words(organ_letter)),
            span(STYLE_MASTHEAD_SYMBOL, words(slash + rest)),
        ]),
        para(STYLE_MASTHEAD_ORGAN, [
            *words(w.organs[m.organ]), TAB,
            span(STYLE_MASTHEAD_DISTRIBUTION, words(fmt.distribution_line(document, w))),
        ]),
        para(STYLE_MASTHEAD_BLOCK, [TAB, *words(fmt.full_date(m.issued, w))]),
        para(STYLE_MASTHEAD_BLOCK_LAST, [TAB, *words(fmt.original_line(document, w))]),
    ]


def continued(w: Wording) -> list[Node]:
    """" (continued)": the word in italic inside roman parentheses."""
    return [{"t": "Space"}, {"t": "Str", "c": "("}, emph(words(w.continued)), {"t": "Str", "c": ")"}]


def entry_paragraph(p: EntryParts, w: Wording, inline: _Inlines, *, bullet: bool = False) -> Node:
    """One programme entry as a paragraph of the table's second column."""
    content = inline(p.content)
    if p.label and not p.hanging:
        content = words(p.label) + content
    if p.strong:
        content = [strong(content)]
    content += [inline.note(n) for n in p.notes]
    if p.duration:
        content += [{"t": "Space"}, *words(p.duration)]
    if p.continued:
        content += continued(w)
    if bullet:
        return para(STYLE_TABLE_BULLET, [*words(w.bullet), TAB, *content])
    if p.hanging:
        return para(STYLE_TABLE_SUB_ITEM, [*words(p.label), TAB, *content])
    return para(STYLE_TABLE_ENTRY, content)


def entry_blocks(entry: Entry, w: Wording, inline: _Inlines) -> list[Node]:
    """The paragraphs of one entry (a bullet list gives one paragraph per item)."""
    if isinstance(entry, BulletList):
        return [entry_paragraph(entry_parts(i, w, in_list=True), w, inline, bullet=True)
                for i in entry.items]
    assert isinstance(entry, AgendaItemEntry | TopicEntry | ProgrammeLine)
    return [entry_paragraph(entry_parts(entry, w), w, inline)]


def cell(blocks: list[Node], colspan: int = 1) -> list[Any]:
    """A table cell."""
    return [NO_ATTR, {"t": "AlignDefault"}, 1, colspan, blocks]


def row(cells: list[list[Any]]) -> list[Any]:
    """A table row."""
    return [NO_ATTR, cells]


def day_rows(day: Day, w: Wording, inline: _Inlines) -> list[list[Any]]:
    """A day row spanning the table, then one row per meeting."""
    rows = [row([cell([para(STYLE_TABLE_DAY, words(fmt.day_heading(day.date, w)))], colspan=2)])]
    for slot in day.slots:
        entries = [b for e in slot.entries for b in entry_blocks(e, w, inline)]
        rows.append(row([
            cell([para(STYLE_TABLE_TIME, words(fmt.time_range(slot.start, slot.end, w)))]),
            cell(entries),
        ]))
    return rows


def programme_table(annex: Annex, w: Wording, inline: _Inlines) -> Node:
    """The programme of work: a head row (repeated on each page) and the days."""
    head = row([cell([para(STYLE_TABLE_HEAD, words(text))]) for text in w.column_heads])
    days = annex.programme.days if annex.programme is not None else ()
    body = [r for day in days for r in day_rows(day, w, inline)]
    colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": share}] for share in COLUMN_SHARES]
    return {"t": "Table", "c": [
        NO_ATTR, [None, []], colspecs, [NO_ATTR, [head]], [[NO_ATTR, 0, [], body]], [NO_ATTR, []],
    ]}


def annex_blocks(annex: Annex, heading: str, w: Wording, inline: _Inlines) -> list[Node]:
    """An annex on a new page: its heading ("Annex"), its language line if any, its title, the table."""
    blocks = [para(STYLE_ANNEX_HEADING, words(heading))]
    if annex.original_language:
        only = w.only_in.format(language=w.language_names[annex.original_language])
        blocks.append(para(STYLE_ANNEX_LANGUAGE, words(only)))
    blocks.append(para(STYLE_ANNEX_TITLE, inline(annex.title)))
    blocks.append(programme_table(annex, w, inline))
    return blocks


def document_ast(document: Document) -> dict[str, Any]:
    """The whole document as a pandoc JSON AST (a dict ready for ``json.dumps``)."""
    w = wording_for(document.language)
    inline = _Inlines(document)
    s = document.session
    blocks = masthead(document, w)
    blocks += [
        para(STYLE_SESSION_BODY, inline(s.body_name)),
        para(STYLE_SESSION_LINE, words(fmt.session_line(s, w))),
        para(STYLE_SESSION_PLACE, words(fmt.place_and_dates(s, w))),
        para(STYLE_TITLE, inline(document.title)),
    ]
    if document.subtitle:
        blocks.append(para(STYLE_SUBTITLE, inline(document.subtitle)))
    blocks += [para(STYLE_PARAGRAPH, [*words(f"{p.number}."), TAB, *inline(p.content)])
               for p in document.body if isinstance(p, Paragraph) and p.number is not None]
    for index, annex in enumerate(document.annexes):
        blocks += annex_blocks(annex, fmt.annex_heading(index, len(document.annexes), w), w, inline)
    meta = {"lang": {"t": "MetaString", "c": document.language}}
    return {"pandoc-api-version": list(PANDOC_API_VERSION), "meta": meta, "blocks": blocks}

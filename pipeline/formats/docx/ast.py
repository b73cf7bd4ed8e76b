"""The model as pandoc's JSON AST: plain dicts, built node by node, never parsed from markup.

Every paragraph is a ``Div`` whose ``custom-style`` names a paragraph style of the reference
document ("UN Paragraph", "UN Table Day", …); character styles come through ``Span``. Text
from a source only ever lands in ``Str`` nodes. Headings of the ladder are pandoc ``Header``
blocks, written in Word's heading styles (their outline levels make the navigation pane);
subparagraphs and bullets are pandoc lists, written as Word numbering. The AST carries two
pieces of OOXML: the constant :data:`TAB` (a ``w:tab`` run), because pandoc has no tab
inline, and the comment :func:`footnote_mark_comment` the package pass turns into a
footnote's own mark ("*").

The blocks of the tree are visited by :class:`Blocks` and their inline content by
:class:`Inlines` (:mod:`pipeline.model.visit`); a genre changes only the first page, through
its data (:func:`pipeline.genres.genre`).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from pipeline.formats.common import (
    EntryParts,
    agenda_list_wording,
    annex_text_language,
    entry_parts,
    letterhead,
    right_block,
)
from pipeline.i18n import Wording, direction, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.layout import layout
from pipeline.model.tree import (
    AgendaItemEntry,
    AgendaList,
    Annex,
    Block,
    BulletList,
    Cell,
    Contents,
    Correction,
    Day,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    Footnote,
    FootnoteRef,
    ForeignSpan,
    Inline,
    ItemList,
    LetterPart,
    LineBreak,
    Link,
    Paragraph,
    Programme,
    ProgrammeLine,
    Quote,
    Row,
    Section,
    Signature,
    Strong,
    Superscript,
    Table,
    TableNoteRef,
    Text,
    TopicEntry,
    undocs_url,
)
from pipeline.model.visit import BlockVisitor, InlineVisitor

from .package import FOOTNOTE_MARK
from .pandoc import PANDOC_API_VERSION

Node = dict[str, Any]
"""One pandoc AST node (``{"t": type, "c": content}``)."""

TAB: Node = {"t": "RawInline", "c": ["openxml", "<w:r><w:tab/></w:r>"]}
"""A tab: pandoc writes a literal tab character inside ``w:t``, which is not a tab stop."""

NO_BREAK_SPACE = "\u00a0"

NO_ATTR: list[Any] = ["", [], []]

LEFT_TO_RIGHT_MARK = "\u200e"

REGION_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "zh": "zh-CN", "ar": "ar-SA"}
"""The language tag of each official language with the region whose spelling the Organization
follows (British spelling for English, the Oxford dictionary's); a word processor's spelling
checker needs the region."""


def region_tag(language: str) -> str:
    """``en`` -> ``en-GB``; a tag that has its region already is kept."""
    return REGION_TAGS.get(language, language)


_TIME_SHARE = layout().points("un", "time_column") / (
    layout().points("un", "text_width") - 2 * layout().points("un", "table_indent"))
COLUMN_SHARES = (_TIME_SHARE, 1 - _TIME_SHARE)
"""Relative widths of the programme table's columns (Date/time, Agenda item/programme)."""

# Paragraph and character style names of templates/docx/reference/word/styles.xml.
STYLE_MASTHEAD_TOP = "UN Masthead Top"
STYLE_ORGAN_LETTER = "UN Organ Letter"
STYLE_MASTHEAD_SYMBOL = "UN Masthead Symbol"
STYLE_MASTHEAD_ORGAN = "UN Masthead Organ"
STYLE_MASTHEAD_DISTRIBUTION = "UN Masthead Distribution"
STYLE_MASTHEAD_BLOCK = "UN Masthead Block"
STYLE_MASTHEAD_BLOCK_FIRST = "UN Masthead Block First"
STYLE_LETTERHEAD = "UN Letterhead"
STYLE_LETTERHEAD_LINE = "UN Letterhead Line"
STYLE_PLACE_DATE = "UN Place Date"
STYLE_SESSION_BODY = "UN Session Body"
STYLE_SESSION_LINE = "UN Session Line"
STYLE_SESSION_PLACE = "UN Session Place"
STYLE_SESSION_PLACE_SHORT = "UN Session Place Short"
STYLE_FRONT_LINE = "UN Front Line"
STYLE_FRONT_LINE_LAST = "UN Front Line Last"
STYLE_TITLE = "UN Title"
STYLE_SUBTITLE = "UN Subtitle"
STYLE_GENRE_LABEL = "UN Genre Label"
STYLE_PARAGRAPH = "UN Paragraph"
STYLE_PARAGRAPH_UNNUMBERED = "UN Paragraph Unnumbered"
STYLE_SUBPARAGRAPH = "UN Subparagraph"
STYLE_BULLET = "UN Bullet"
STYLE_QUOTE = "UN Quote"
STYLE_LETTER_PARTS = {"addressee": "UN Addressee", "salutation": "UN Salutation", "closing": "UN Closing"}
STYLE_SIGNATURE = "UN Signature"
STYLE_SIGNATURE_FUNCTION = "UN Signature Function"
STYLE_CONTENTS_HEADING = "UN Contents Heading"
STYLE_CONTENTS_PAGE = "UN Contents Page"
STYLE_CONTENTS_ENTRY = "UN Contents Entry"
STYLE_CONTENTS_SUBENTRY = "UN Contents Subentry"
STYLE_CORRECTION_PLACE = "UN Correction Place"
STYLE_CORRECTION = "UN Correction"
STYLE_AGENDA_ITEM = "UN Agenda Item"
STYLE_TABLE_CELL = "UN Table Cell"
STYLE_TABLE_NOTE = "UN Table Note"
STYLE_TABLE_NOTE_LAST = "UN Table Note Last"
STYLE_ANNEX_HEADING = "UN Annex Heading"
STYLE_ANNEX_LANGUAGE = "UN Annex Language"
STYLE_ANNEX_TITLE = "UN Annex Title"
STYLE_TABLE_HEAD = "UN Table Head"
STYLE_TABLE_DAY = "UN Table Day"
STYLE_TABLE_TIME = "UN Table Time"
STYLE_TABLE_ENTRY = "UN Table Entry"
STYLE_TABLE_SUB_ITEM = "UN Table Sub-item"
STYLE_TABLE_BULLET = "UN Table Bullet"
STYLE_TABLE_BULLET_LAST = "UN Table Bullet Last"

HEADING_LEVEL_OFFSET = 1
"""A section of ladder level ``n`` (0 a part, 1 a chapter "I.", … 6 "a.") is a pandoc header of
level ``n + 1``, written in Word's "Heading n+1" style: its size and outline level."""

CONTENTS_TOP_LEVELS = (-1, 0, 1)
"""Contents entries of annexes, parts and chapters, set at the left; deeper ones are indented."""


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


def anchor(identifier: str, content: list[Node]) -> Node:
    """Inline content inside a bookmark named ``identifier``, the target of internal links."""
    return {"t": "Span", "c": [[identifier, [], []], content]}


def strong(content: list[Node]) -> Node:
    """Bold inline content."""
    return {"t": "Strong", "c": content}


def emph(content: list[Node]) -> Node:
    """Italic inline content."""
    return {"t": "Emph", "c": content}


def superscript(content: list[Node]) -> Node:
    """Raised inline content."""
    return {"t": "Superscript", "c": content}


def left_to_right(content: list[Node], direction: str) -> list[Node]:
    """``content`` set apart left to right in a right-to-left document (a symbol, an address,
    English wording): its runs lose ``w:rtl``, so that Word keeps their order and sets them
    in the Latin face."""
    if direction != "rtl" or not content:
        return content
    return [{"t": "Span", "c": [["", [], [["dir", "ltr"]]], content]}]


PANDOC_LANGUAGES: dict[str, str] = {"zh": "zh-Hans"}
"""Language -> the tag pandoc gets where pandoc knows the language by another (its
translations of Chinese are by script: with ``zh`` or ``zh-CN`` it warns, and the conversion fails)."""


def pandoc_language(language: str) -> str:
    """The language tag pandoc gets: the language with its region, Chinese by its script."""
    return PANDOC_LANGUAGES.get(language, region_tag(language))


def page_reference(bookmark: str) -> Node:
    """The number of the page that holds ``bookmark``: a PAGEREF field, marked for updating.

    Its result is left empty: word processors lay out the page, so they compute it (LibreOffice
    on opening; Word on opening, for a field marked dirty, as pandoc marks its contents field).
    """
    runs = (f'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {escape(bookmark)} \\h </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return {"t": "RawInline", "c": ["openxml", runs]}


def link(content: list[Node], url: str) -> Node:
    """A hyperlink (``#name`` for a bookmark of the document)."""
    return {"t": "Link", "c": [NO_ATTR, content, [url, ""]]}


def footnote_mark_comment(mark: str) -> Node:
    """The comment, at the start of a footnote, that asks the package pass for ``mark`` as its mark.

    The mark is written as hexadecimal code points, so that no text of a source can end the
    comment; pandoc escapes every ``Str``, so such a comment comes only from here.
    """
    code = "-".join(f"{ord(c):x}" for c in mark)
    return {"t": "RawInline", "c": ["openxml", f"<!--{FOOTNOTE_MARK}{code}-->"]}


class Inlines(InlineVisitor[list[Node]]):
    """Converts inline content; a footnote's text goes with the first call of the note.

    pandoc writes a ``Note`` as a real Word footnote at the place of the call. A note called
    a second time is not repeated: the later call prints its mark as a superscript.
    """

    def __init__(self, document: Document):
        self.language = document.language
        self.direction = direction(document.language)
        self.notes: dict[str, Footnote] = {f.note_id: f for f in document.footnotes}
        self.placed: set[str] = set()

    def __call__(self, nodes: tuple[Inline, ...]) -> list[Node]:
        return [n for converted in self.visit_all(nodes) for n in converted]

    def visit_text(self, node: Text) -> list[Node]:
        return words(node.text)

    def visit_emphasis(self, node: Emphasis) -> list[Node]:
        return [emph(self(node.children))]

    def visit_strong(self, node: Strong) -> list[Node]:
        return [strong(self(node.children))]

    def visit_superscript(self, node: Superscript) -> list[Node]:
        return [superscript(self(node.children))]

    def visit_line_break(self, node: LineBreak) -> list[Node]:
        return [{"t": "LineBreak"}]

    def visit_foreign(self, node: ForeignSpan) -> list[Node]:
        # pandoc writes the language as w:lang on each run of the span (and drops w:rtl from
        # the runs of a left-to-right span)
        attributes = [["lang", node.language]]
        if direction(node.language) != self.direction:
            attributes.append(["dir", direction(node.language)])
        return [{"t": "Span", "c": [["", [], attributes], self(node.children)]}]

    def visit_document_ref(self, node: DocumentRef) -> list[Node]:
        return left_to_right([link(words(node.text), undocs_url(node.symbol, self.language))], self.direction)

    def visit_link(self, node: Link) -> list[Node]:
        if node.children:
            return [link(self(node.children), node.href)]
        return left_to_right([link(words(node.href), node.href)], self.direction)

    def visit_footnote_ref(self, node: FootnoteRef) -> list[Node]:
        return [self.note(node)]

    def visit_table_note_ref(self, node: TableNoteRef) -> list[Node]:
        return [superscript(words(node.letter))]

    def note(self, ref: FootnoteRef) -> Node:
        """The footnote for its first call; a superscript mark for a later call."""
        if ref.note_id in self.placed or ref.note_id not in self.notes:
            return superscript(words(ref.call))
        self.placed.add(ref.note_id)
        note = self.notes[ref.note_id]
        content = self(note.content)
        if note.mark:
            content = [footnote_mark_comment(note.mark), *content]
        return {"t": "Note", "c": [{"t": "Para", "c": content}]}


# ---------------------------------------------------------------- blocks


def para(style: str, content: list[Node], identifier: str = "") -> Node:
    """A paragraph in a paragraph style of the reference document (a bookmark when ``identifier``)."""
    if identifier:
        content = [anchor(identifier, content)]
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], [{"t": "Para", "c": content}]]}


def masthead(document: Document, w: Wording) -> list[Node]:
    """The first-page masthead: top line over a thin rule, organ band over a thick rule; the
    organ's name stands on the line of the right-hand block's last line, a line as tall as two
    (the blank line before "Original: English" [high: both issued documents]).

    The right-hand block is "Distr.: General / date / Original: English", or for a genre with
    the conference-room-paper masthead "Conference room paper / date / English only".
    """
    head = letterhead(document, w)
    if head is not None:  # a letter on letterhead: the sender's lines, then place and date
        return [*(para(STYLE_LETTERHEAD if index == 0 else STYLE_LETTERHEAD_LINE, words(line))
                  for index, line in enumerate(head.lines)),
                para(STYLE_PLACE_DATE, words(head.place_date))]
    m = document.masthead
    organ_letter, slash, rest = m.symbol.partition("/")
    right = right_block(document, w)
    (first, issued), last = right.lines, right.last
    page = direction(document.language)
    block = page if w.masthead_language == document.language else direction(w.masthead_language)

    def right_hand(content: list[Node]) -> list[Node]:
        if block == "rtl" or page == "ltr":
            return content
        # marks at both ends keep the figures of "1 March 2023" in their places
        return left_to_right([{"t": "Str", "c": LEFT_TO_RIGHT_MARK}, *content, {"t": "Str", "c": LEFT_TO_RIGHT_MARK}],
                             page)

    return [
        para(STYLE_MASTHEAD_TOP, [
            *words(w.united_nations), TAB,
            *left_to_right([span(STYLE_ORGAN_LETTER, words(organ_letter)),
                            span(STYLE_MASTHEAD_SYMBOL, words(slash + rest))], page),
        ]),
        para(STYLE_MASTHEAD_BLOCK_FIRST, [TAB, *right_hand(words(first))]),
        para(STYLE_MASTHEAD_BLOCK, [TAB, *right_hand(words(issued))]),
        *([para(STYLE_MASTHEAD_BLOCK, [TAB, *right_hand(words(right.language))])] if right.language else []),
        para(STYLE_MASTHEAD_ORGAN, [
            *words(w.organs[m.organ]), TAB,
            *right_hand([span(STYLE_MASTHEAD_DISTRIBUTION, words(last))]),
        ]),
    ]


def session_block(document: Document, w: Wording, inline: Inlines) -> list[Node]:
    """The block at left under the masthead: body, session, place and dates, then the front lines
    (a General Assembly report has its front lines alone).

    The front lines are a General Assembly report's session and agenda-item lines, a Limited
    draft's agenda item, and a reissue's "Reissued for technical reasons on …".
    """
    s, front = document.session, document.front
    if document.masthead.letterhead is not None:
        return []  # a letter on letterhead has no session block
    lines = [inline(front.ga_session)] if front.ga_session else []
    lines += [inline(line) for line in front.agenda_lines]
    if front.reissued is not None:
        lines.append(words(fmt.reissued_line(front.reissued, w)))
    blocks = [] if front.ga_session else [  # a General Assembly report names the Assembly's session instead
        para(STYLE_SESSION_BODY, inline(s.body_name)),
        para(STYLE_SESSION_LINE, words(fmt.session_line(s, w))),
        para(STYLE_SESSION_PLACE_SHORT if lines else STYLE_SESSION_PLACE, words(fmt.place_and_dates(s, w))),
    ]
    for index, line in enumerate(lines, 1):
        blocks.append(para(STYLE_FRONT_LINE_LAST if index == len(lines) else STYLE_FRONT_LINE, line))
    return blocks


def continued(w: Wording) -> list[Node]:
    """" (continued)": the word in italic inside roman parentheses."""
    return [{"t": "Space"}, {"t": "Str", "c": "("}, emph(words(w.continued)), {"t": "Str", "c": ")"}]


def entry_paragraph(p: EntryParts, w: Wording, inline: Inlines, *, bullet: bool = False, last: bool = False) -> Node:
    """One programme entry as a paragraph of the table's second column (``last``: the last item
    of a list of dashes, followed by an entry's space rather than an item's)."""
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
        return para(STYLE_TABLE_BULLET_LAST if last else STYLE_TABLE_BULLET, [*words(w.bullet), TAB, *content])
    if p.hanging:
        return para(STYLE_TABLE_SUB_ITEM, [*words(p.label), TAB, *content])
    return para(STYLE_TABLE_ENTRY, content)


def entry_blocks(entry: Entry, w: Wording, inline: Inlines) -> list[Node]:
    """The paragraphs of one entry (a bullet list gives one paragraph per item)."""
    if isinstance(entry, BulletList):
        return [entry_paragraph(entry_parts(item, w, in_list=True), w, inline, bullet=True,
                                last=index == len(entry.items))
                for index, item in enumerate(entry.items, 1)]
    assert isinstance(entry, AgendaItemEntry | TopicEntry | ProgrammeLine)
    return [entry_paragraph(entry_parts(entry, w), w, inline)]


def cell(blocks: list[Node], colspan: int = 1) -> list[Any]:
    """A table cell."""
    return [NO_ATTR, {"t": "AlignDefault"}, 1, colspan, blocks]


def row(cells: list[list[Any]]) -> list[Any]:
    """A table row."""
    return [NO_ATTR, cells]


def table_node(shares: tuple[float, ...], head: list[list[Any]], body: list[list[Any]],
               caption: list[Node] | None = None) -> Node:
    """A pandoc table: column shares of the width, head rows (repeated on each page), body rows."""
    colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": share}] for share in shares]
    blocks = [{"t": "Plain", "c": caption}] if caption else []
    return {"t": "Table", "c": [
        NO_ATTR, [None, blocks], colspecs, [NO_ATTR, head], [[NO_ATTR, 0, [], body]], [NO_ATTR, []],
    ]}


def day_rows(day: Day, w: Wording, inline: Inlines) -> list[list[Any]]:
    """A day row spanning the table, then one row per meeting."""
    rows = [row([cell([para(STYLE_TABLE_DAY, words(fmt.day_heading(day.date, w)))], colspan=2)])]
    for slot in day.slots:
        entries = [b for e in slot.entries for b in entry_blocks(e, w, inline)]
        rows.append(row([
            cell([para(STYLE_TABLE_TIME, words(fmt.time_range(slot.start, slot.end, w)))]),
            cell(entries),
        ]))
    return rows


def programme_table(programme: Programme, w: Wording, inline: Inlines) -> Node:
    """The programme of work: a head row (repeated on each page) and the days."""
    head = row([cell([para(STYLE_TABLE_HEAD, words(text))]) for text in w.column_heads])
    body = [r for day in programme.days for r in day_rows(day, w, inline)]
    return table_node(COLUMN_SHARES, [head], body)


def list_style(item_list: ItemList, w: Wording) -> tuple[str, str] | None:
    """pandoc's number style and delimiter for the labels of a lettered list of this degree.

    Read from the language's label pattern ("({letter})" is lower-alpha in two parentheses,
    "{roman}." lower-roman with a period); None for a pattern Word numbering cannot write,
    among them the language's own counters (the Arabic letters in their abjad order).
    """
    pattern = w.item_labels[(item_list.degree - 1) % len(w.item_labels)]
    for field, number_style in (("{letter}", "LowerAlpha"), ("{roman}", "LowerRoman")):
        before, found, after = pattern.partition(field)
        if not found or field[1:-1] in w.counters:
            continue
        delimiter = {("(", ")"): "TwoParens", ("", ")"): "OneParen", ("", "."): "Period"}.get((before, after))
        return (number_style, delimiter) if delimiter else None
    return None


class Blocks(BlockVisitor[list[Node]]):
    """Converts the blocks of the body or of an annex, each to a list of pandoc blocks."""

    def __init__(self, document: Document, w: Wording, inline: Inlines, *, paragraph_style: str = ""):
        self.document = document
        self.w = w
        self.inline = inline
        self.right_to_left = direction(document.language) == "rtl"
        self.paragraph_style = paragraph_style
        """The style of every paragraph, numbered or not (a quotation's); empty: by number."""

    def __call__(self, blocks: tuple[Block, ...]) -> list[Node]:
        return [n for converted in self.visit_all(blocks) for n in converted]

    def visit_section(self, section: Section) -> list[Node]:
        label = fmt.section_label(section.level, section.number, self.w)
        heading = self.inline(section.heading)
        if section.level == 0:
            content = [*words(label), {"t": "LineBreak"}, *heading] if label else heading
        elif label and self.right_to_left:
            # a label wider than its hang is followed by a space, as in the PDF (rtl.css): with
            # the space before the tab, the tab goes to the hang or, past it, to the next of the
            # heading styles' close tab stops
            content = [*words(label + NO_BREAK_SPACE), TAB, *heading]
        else:
            # the label hangs; an unnumbered heading starts where a numbered one's words do
            content = [*words(label), TAB, *heading]
        header = {"t": "Header", "c": [section.level + HEADING_LEVEL_OFFSET, NO_ATTR,
                                       [anchor(section.section_id, content)]]}
        return [header, *self(section.blocks)]

    def visit_paragraph(self, paragraph: Paragraph) -> list[Node]:
        content = self.inline(paragraph.content)
        if self.paragraph_style:
            return [para(self.paragraph_style, content)]
        if paragraph.number is None:
            return [para(STYLE_PARAGRAPH_UNNUMBERED, content)]
        return [para(STYLE_PARAGRAPH, [*words(fmt.paragraph_label(paragraph.number, self.w)), TAB, *content])]

    def visit_item_list(self, item_list: ItemList) -> list[Node]:
        """Subparagraphs and bullets as Word numbering; labels as text where Word cannot number them."""
        style = list_style(item_list, self.w) if item_list.style == "lettered" else None
        paragraph_style = STYLE_BULLET if item_list.style == "bullets" else STYLE_SUBPARAGRAPH
        items = []
        for item in item_list.items:
            content = self.inline(item.content)
            if item_list.style == "lettered" and style is None:
                label = fmt.item_label(item_list.style, item_list.degree, item.number, self.w)
                content = [*words(label), TAB, *content]
            blocks = [para(paragraph_style, content)]
            if item.sublist is not None:
                blocks += self.visit_item_list(item.sublist)
            items.append(blocks)
        if item_list.style == "bullets":
            return [{"t": "BulletList", "c": items}]
        if style is None:
            return [b for blocks in items for b in blocks]
        start = item_list.items[0].number if item_list.items else 1
        return [{"t": "OrderedList", "c": [[start, {"t": style[0]}, {"t": style[1]}], items]}]

    def visit_table(self, table: Table) -> list[Node]:
        columns = table.columns
        widths: tuple[int, ...] = (1,) * columns
        if len(table.widths) == columns and sum(table.widths) > 0:
            widths = table.widths
        shares = tuple(width / sum(widths) for width in widths)

        def rows(source: tuple[Row, ...]) -> list[list[Any]]:
            return [row([self.table_cell(c) for c in r.cells]) for r in source]

        blocks = [table_node(shares, rows(table.head), rows(table.body), self.inline(table.caption) or None)]
        for index, note in enumerate(table.notes, 1):
            style = STYLE_TABLE_NOTE_LAST if index == len(table.notes) else STYLE_TABLE_NOTE
            blocks.append(para(style, [superscript(words(note.letter)), TAB, *self.inline(note.content)]))
        if not table.notes:  # Word has no space after a table: an empty line of the notes' last style
            blocks.append(para(STYLE_TABLE_NOTE_LAST, []))
        return blocks

    def table_cell(self, source: Cell) -> list[Any]:
        """A cell of a general table: its head style or the cell style."""
        style = STYLE_TABLE_HEAD if source.header else STYLE_TABLE_CELL
        return cell([para(style, self.inline(source.content))], colspan=source.colspan)

    def visit_quote(self, quote: Quote) -> list[Node]:
        return Blocks(self.document, self.w, self.inline, paragraph_style=STYLE_QUOTE)(quote.blocks)

    def visit_letter_part(self, part: LetterPart) -> list[Node]:
        return [para(STYLE_LETTER_PARTS[part.role], self.inline(part.content))]

    def visit_signature(self, signature: Signature) -> list[Node]:
        name = self.inline(signature.name)
        if signature.signed:
            name = [emph(words(self.w.signed)), {"t": "Space"}, *name]
        return [para(STYLE_SIGNATURE, name),
                *(para(STYLE_SIGNATURE_FUNCTION, self.inline(f)) for f in signature.functions)]

    def visit_contents(self, contents: Contents) -> list[Node]:
        """"Contents", then a line per part, chapter, section and annex, each a link to its heading
        and, after a dotted leader, the number of the heading's page."""
        annexes = sum(1 for e in contents.entries if e.level < 0)
        blocks = [para(STYLE_CONTENTS_HEADING, words(self.w.contents)),
                  para(STYLE_CONTENTS_PAGE, words(self.w.contents_page))]
        for entry in contents.entries:
            label = fmt.contents_label(entry, annexes, self.w)
            style = STYLE_CONTENTS_ENTRY if entry.level in CONTENTS_TOP_LEVELS else STYLE_CONTENTS_SUBENTRY
            blocks.append(para(style, [*words(label), TAB, link(self.inline(entry.heading), f"#{entry.target}"),
                                        TAB, page_reference(entry.target)]))
        return blocks

    def visit_correction(self, correction: Correction) -> list[Node]:
        w = self.w
        return [
            para(STYLE_CORRECTION_PLACE, self.inline(correction.where)),
            para(STYLE_CORRECTION, [emph(words(w.correction_for)), {"t": "Space"}, *self.inline(correction.wrong),
                                    {"t": "Space"}, emph(words(w.correction_read)), {"t": "Space"},
                                    *self.inline(correction.right)]),
        ]

    def visit_agenda_list(self, agenda: AgendaList) -> list[Node]:
        return [para(STYLE_AGENDA_ITEM, [*words(fmt.paragraph_label(item.number, self.w)), TAB,
                                         *self.inline(agenda_list_wording(item.wording)),
                                         *(self.inline.note(n) for n in item.notes)])
                for item in agenda.items]

    def visit_programme(self, programme: Programme) -> list[Node]:
        return [programme_table(programme, self.w, self.inline)]


def annex_blocks(annex: Annex, index: int, document: Document, w: Wording, inline: Inlines) -> list[Node]:
    """An annex on a new page: its heading ("Annex", "Annex I"), its language line if any, its title, its blocks."""
    heading = fmt.annex_heading(index, len(document.annexes), w)
    blocks = [para(STYLE_ANNEX_HEADING, words(heading), identifier=f"annex-{index + 1}")]
    if annex.original_language:
        only = fmt.only_in_line(annex.original_language, w)
        blocks.append(para(STYLE_ANNEX_LANGUAGE, words(only)))
    content = [para(STYLE_ANNEX_TITLE, inline(annex.title))] if annex.title else []
    content += Blocks(document, w, inline)(annex.blocks)
    other = annex_text_language(annex, document.language)
    if other:  # an annex issued in another language only: its runs say so (w:lang), as a span's do
        return [*blocks, {"t": "Div", "c": [["", [], [["lang", other]]], content]}]
    return blocks + content


def document_ast(document: Document) -> dict[str, Any]:
    """The whole document as a pandoc JSON AST (a dict ready for ``json.dumps``)."""
    w = wording_for(document.language)
    inline = Inlines(document)
    blocks = masthead(document, w) + session_block(document, w, inline)
    blocks.append(para(STYLE_TITLE, inline(document.title)))
    if document.subtitle:
        blocks.append(para(STYLE_SUBTITLE, inline(document.subtitle)))
    label = fmt.genre_label(document, w)
    if label:
        blocks.append(para(STYLE_GENRE_LABEL, words(label)))
    blocks += Blocks(document, w, inline)(document.body)
    for index, annex in enumerate(document.annexes):
        blocks += annex_blocks(annex, index, document, w, inline)
    meta = {"lang": {"t": "MetaString", "c": pandoc_language(document.language)}}
    if direction(document.language) == "rtl":  # w:bidi on every paragraph, w:rtl on every run
        meta["dir"] = {"t": "MetaString", "c": "rtl"}
    return {"pandoc-api-version": list(PANDOC_API_VERSION), "meta": meta, "blocks": blocks}

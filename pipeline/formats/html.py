"""HTML: one self-contained, accessible page per document, in the official layout.

The page carries its stylesheet inline (``templates/un.css``) and its images as inline SVG
(the Code 39 barcode of the job number and the QR code of the document's address), so it
loads nothing. The markup is semantic: the masthead is a ``<header>``, the title an
``<h1>``, the numbered paragraphs carry their numbers as text, the programme of work is one
``<table>`` with a ``<tbody>`` per day, and footnote calls and notes link to each other.

Stable class names (``.masthead``, ``.symbol``, ``.annex``, ``.programme``, ``.footnotes``,
``.first-page-footer``, ``.job-number``, ``.barcode``, ``.qr-code``) and ``data-``
attributes on ``<body>`` (symbol, job number) are the hooks a print stylesheet uses to lay
the same page out on paper.

Python prepares a view of the document (every inline run already escaped markup, every
fixed string from the wording table); the Jinja template ``templates/document.html.j2``
only arranges it.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import assert_never

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from pipeline.formats.common import (
    EntryParts,
    LetterheadView,
    agenda_list_wording,
    annex_text_language,
    entry_parts,
    letterhead,
    page_size,
    right_block,
)
from pipeline.genres import genre
from pipeline.i18n import Wording, direction, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.layout import css_custom_properties, layout
from pipeline.layout import css_values as layout_css_values
from pipeline.marks.barcode import code39_svg, job_barcode_text
from pipeline.marks.emblem import EMBLEM_GAP_PT, Emblem
from pipeline.marks.qrcode import qr_svg
from pipeline.marks.recycling import recycling_svg
from pipeline.model.inline import plain_text
from pipeline.model.tree import (
    AgendaList,
    Annex,
    Block,
    BulletList,
    Contents,
    Correction,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    FootnoteRef,
    ForeignSpan,
    Inline,
    ItemList,
    LetterPart,
    LineBreak,
    Link,
    Paragraph,
    Programme,
    Quote,
    Row,
    Section,
    Signature,
    Strong,
    Superscript,
    Table,
    TableNoteRef,
    Text,
    undocs_url,
)
from pipeline.model.visit import BlockVisitor
from pipeline.resources import templates_dir

NAME = "html"
SUFFIX = ".html"
DESCRIPTION = "self-contained HTML page (inline stylesheet, SVG barcode and QR code)"

TEMPLATES_DIR = templates_dir()
"""The project's ``templates/`` folder."""

DOCUMENT_TEMPLATE = "document.html.j2"
"""The page template."""

STYLESHEET = "un.css"
"""The stylesheet inlined into every page."""

PRINT_STYLESHEET = "html-print.css"
"""The page's print stylesheet (``<style media="print">``): the page on paper in a browser."""

RIGHT_TO_LEFT_STYLESHEET = "rtl.css"
"""The rules of right-to-left pages only, inlined after :data:`STYLESHEET` in such a page."""

BARCODE_HEIGHT_PT = layout().points("un", "barcode_height")
"""Height of the barcode's bars as drawn; the stylesheet may scale the image."""

BARCODE_NARROW_PT = layout().points("un", "barcode_narrow")
"""Width of a narrow bar of the barcode."""


@functools.cache
def environment() -> Environment:
    """The Jinja environment over ``templates/``: autoescaping, strict undefined, made once."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def stylesheet(name: str = STYLESHEET) -> Markup:
    """The text of the stylesheet ``name`` (of ``templates/``), safe to place inside ``<style>``;
    the page's own stylesheet after the layout's custom properties, which the others use too."""
    env = environment()
    assert env.loader is not None
    text, _filename, _uptodate = env.loader.get_source(env, name)
    if name == STYLESHEET:
        text = css_custom_properties() + "\n" + text
    elif name == PRINT_STYLESHEET:  # Chromium's page context has no custom properties: values in place
        text = env.from_string(text).render(**css_values())
    if "</style" in text.lower():
        raise ValueError(f"{name} must not contain '</style'")
    return Markup(text.strip("\n"))


def page_stylesheet(page_direction: str) -> Markup:
    """The stylesheet inlined into a page: :data:`STYLESHEET`, followed on a right-to-left page
    by :data:`RIGHT_TO_LEFT_STYLESHEET`."""
    if page_direction != "rtl":
        return stylesheet()
    return Markup(stylesheet() + "\n" + stylesheet(RIGHT_TO_LEFT_STYLESHEET))


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that is also safe inside ``<style>``."""
    escaped = "".join(f"\\{ord(ch):X} " if ch in '"\\<>&' or ord(ch) < 32 else ch for ch in text)
    return f'"{escaped}"'


def print_page_rules(document: Document, paper: str, footer: FooterView | None) -> Markup:
    """The print rules that differ by document: the page size of its venue's ``paper``, the
    symbol as running head on the outer side, the job number on the inner side, and the
    first page's footer (job number and date code, barcode, "Please recycle", the recycling
    mark and the QR code) in that page's bottom margin.

    Chromium draws margin boxes, with texts and images, but has neither ``string-set`` nor
    running elements: the texts and images are written into the rules rather than taken
    from the page, whose own footer block is not printed.
    """
    un = layout_css_values()["un"]
    ruled = f"width: 100%; border-bottom: {un['rule_thin']} solid #000;"  # the running head over its rule
    symbol = css_string(document.masthead.symbol)
    job = css_string(footer.job_number if footer is not None else "")
    rules = [f"@page {{ size: {paper}; }}",
             f"@page :left {{ @top-left {{ content: {symbol}; {ruled} }} @bottom-right {{ content: {job}; }} }}",
             f"@page :right {{ @top-right {{ content: {symbol}; {ruled} text-align: right; }}"
             f" @bottom-left {{ content: {job}; }} }}"]
    if footer is not None:
        job_line = css_string(f"{footer.job_line} {footer.date_code}")
        rules.append(
            "@page :first {"
            f" @bottom-left {{ content: {job_line} \"\\A\" {_image(footer.barcode_svg)} \"\\A\""
            f" {_image(_small_text_svg(footer.barcode_text))}; }}"
            f" @bottom-right {{ content: {css_string(footer.please_recycle + ' ')}"
            f" {_image(footer.recycling_svg, un['recycling_mark_size'])} \" \""
            f" {_image(footer.qr_svg, un['qr_size'])}; }} }}")
    return Markup("\n".join(rules))


@functools.cache
def css_values() -> dict[str, dict[str, Markup]]:
    """The layout specification's CSS values (:func:`pipeline.layout.css_values`) for templates
    that cannot name custom properties (``{{ un.size_folio }}`` in the browser's print stylesheet)."""
    # Markup: a font list's quotation marks are CSS, not text to escape
    return {group: {name: Markup(value) for name, value in values.items()}
            for group, values in layout_css_values().items()}


def _small_text_svg(text: str) -> str:
    """``text`` set at the footer's small size as an SVG image: a margin box has one font size,
    and the job number line above it is larger. Browsers keep an image's text as text."""
    size = layout().points("un", "size_footer_small")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{len(text) * size:g}pt" height="{size * 1.25:g}pt">'
            f'<text x="0" y="{size:g}pt" font-family="Times New Roman, Liberation Serif, serif"'
            f' font-size="{size:g}pt">{escape(text)}</text></svg>')


def _image(svg: str, size: str | None = None) -> str:
    """An SVG image as a CSS ``url()`` of a data address, given ``size`` as width and height
    when it has none of its own."""
    svg = str(svg)  # plain text: Markup would escape what is put into it
    if size is not None:
        svg = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
    return f'url("data:image/svg+xml,{urllib.parse.quote(svg, safe=" =:/;,.-_")}")'


# ---------------------------------------------------------------- view of the document


@dataclass(frozen=True)
class EntryView:
    """One programme entry as the template prints it."""

    kind: str
    """"agenda-item", "topic", "segment" or "line" (see :class:`EntryParts`)."""
    label: str
    body: Markup
    """The content followed by its footnote calls."""
    duration: str
    continued: bool
    strong: bool
    hanging: bool


@dataclass(frozen=True)
class ListView:
    """An en-dash bullet list."""

    items: tuple[EntryView, ...]
    kind: str = "list"


@dataclass(frozen=True)
class SlotView:
    """A row of the programme: the time and the entries."""

    time: str
    entries: tuple[EntryView | ListView, ...]


@dataclass(frozen=True)
class DayView:
    """A ``<tbody>`` of the programme: the day row and its slots."""

    heading: str
    date: str
    """ISO date, for ``<time datetime>``."""
    slots: tuple[SlotView, ...]


@dataclass(frozen=True)
class ProgrammeView:
    """A programme of work: the column heads and the days."""

    ident: str
    """The id of the title that names the table."""
    column_heads: tuple[str, str]
    days: tuple[DayView, ...]


@dataclass(frozen=True)
class BlockView:
    """A block of the body or of an annex: markup made in Python, or a programme the template lays out."""

    markup: Markup | None = None
    programme: ProgrammeView | None = None


@dataclass(frozen=True)
class AnnexView:
    """An annex: heading, optional language line, title and its blocks."""

    ident: str
    heading: str
    only_in: str
    title: Markup
    blocks: tuple[BlockView, ...]
    lang: str = ""
    """The language of the annex's title and blocks where it is issued in another language only
    than the document's ("" otherwise); the heading and the language line keep the document's."""


@dataclass(frozen=True)
class FootnoteView:
    """A footnote, its printed call and the id of its first call (empty when never called)."""

    ident: str
    call: str
    content: Markup
    back: str
    back_label: str


@dataclass(frozen=True)
class FooterView:
    """The first-page footer: job number line, barcode and QR code."""

    job_line: str
    job_number: str
    date_code: str
    job_is_placeholder: bool
    barcode_svg: Markup
    barcode_text: str
    please_recycle: str
    recycling_svg: Markup
    qr_svg: Markup
    url: str


@dataclass(frozen=True)
class EmblemView:
    """The emblem before the organ's name: its image and its place in the band.

    Its size and the room after it are written on the image itself, from
    :mod:`pipeline.marks.emblem`, where the DOCX takes them too; without an emblem nothing
    is added to the page, not even a style.
    """

    src: str
    """A ``data:`` address of the configured SVG or PNG."""
    alt: str
    style: str


def emblem_view(emblem: Emblem | None, description: str) -> EmblemView | None:
    """The view of the configured emblem, if any, ``description`` its alternative text."""
    if emblem is None:
        return None
    style = (f"flex: none; width: {emblem.width_pt:g}pt; height: {emblem.height_pt:g}pt;"
             f" margin-right: {EMBLEM_GAP_PT:g}pt")
    return EmblemView(emblem.data_uri(), description, style)


@dataclass(frozen=True)
class PageView:
    """Everything the page template prints."""

    lang: str
    dir: str
    """The page's direction: "rtl" for Arabic, else "ltr"."""
    page_title: str
    description: str
    creator: str
    iso_date: str
    url: str
    stylesheet: Markup
    print_stylesheet: Markup
    """The print stylesheet and the rules of this document's pages (see :func:`print_page_rules`)."""
    united_nations: str
    symbol: str
    organ_letter: str
    symbol_rest: str
    symbol_is_placeholder: bool
    organ: str
    emblem: EmblemView | None
    distribution: str
    """The first line of the right-hand block: "Distr.: General" (or "Conference room paper")."""
    issued: str
    right_block_lang: str
    """The language of the masthead's right-hand block where it is not the page's (English in
    the Arabic, Chinese and Russian versions), else ""."""
    language_line: str
    """The version's language under the date ("Français"), or ""."""
    original: str
    """The last line of the right-hand block: "Original: English" (or "English only")."""
    genre: str
    """The document's genre, as a class of ``<body>``."""
    front: tuple[Markup, ...]
    """First-page lines at the left: a GA report's session and agenda item, a draft's agenda item, a
    reissue's "Reissued for technical reasons on …"."""
    session_block: bool
    """Whether the working group's session block is printed (not for a GA report or a letter on letterhead)."""
    letterhead: LetterheadView | None
    """The sender's letterhead printed instead of the masthead, or None."""
    body_name: Markup
    session: str
    place_dates: str
    title: Markup
    title_text: str
    genre_label: str
    subtitle: Markup
    body: tuple[BlockView, ...]
    annexes: tuple[AnnexView, ...]
    notes_heading: str
    footnotes: tuple[FootnoteView, ...]
    continued: str
    bullet: str
    footer: FooterView | None


class _Inlines:
    """Turns inline nodes into markup, giving each footnote call a unique id.

    The first call of note *n* is ``fnref<n>`` (the target of the note's back link);
    later calls of the same note are ``fnref<n>-2``, ``fnref<n>-3``. Calls must be made
    in page order, which the view builder follows.
    """

    def __init__(self, w: Wording, language: str) -> None:
        self.w = w
        self.language = language
        self.direction = direction(language)
        self.latin = ' dir="ltr"' if self.direction == "rtl" else ""
        """A symbol or an address set apart, left to right, in right-to-left text; in logical
        order wherever the line breaks."""
        self.calls: dict[str, int] = {}
        self.table = ""
        """The id of the table being made, which its note calls point into."""

    def note_call(self, ref: FootnoteRef) -> Markup:
        """``<sup><a href="#fn1" id="fnref1">1</a></sup>``; a marked note is ``fn-<id>``."""
        key = note_key(ref.note_id, ref.number, ref.mark)
        count = self.calls.get(key, 0) + 1
        self.calls[key] = count
        ident = f"fnref{key}" if count == 1 else f"fnref{key}-{count}"
        return Markup(
            '<sup class="note-call"><a href="#fn{key}" id="{ident}" role="doc-noteref"'
            ' aria-label="{label}">{n}</a></sup>'
        ).format(key=key, n=ref.call, ident=ident, label=self.w.note_call_label.format(number=ref.call))

    def markup(self, nodes: tuple[Inline, ...]) -> Markup:
        """Inline content as markup: text escaped, references linked."""
        return Markup("".join(self._pieces(nodes)))

    def _pieces(self, nodes: tuple[Inline, ...]) -> Iterator[str]:
        # Every piece is already markup (escaped text or tags), so the pieces are joined as
        # plain strings: joining Markup objects escapes each one again, a third of the view's time.
        for node in nodes:
            if isinstance(node, Text):
                yield escape(node.text)
            elif isinstance(node, Emphasis):
                yield f"<i>{self.markup(node.children)}</i>"
            elif isinstance(node, DocumentRef):
                href = undocs_url(node.symbol, self.language)
                yield f'<a class="doc-ref" href="{escape(href)}"{self.latin}>{escape(node.text)}</a>'
            elif isinstance(node, Link):
                label = self.markup(node.children) if node.children else escape(node.href)
                yield f'<a class="url" href="{escape(node.href)}"{self.latin}>{label}</a>'
            elif isinstance(node, FootnoteRef):
                yield self.note_call(node)
            elif isinstance(node, Strong):
                yield f"<b>{self.markup(node.children)}</b>"
            elif isinstance(node, Superscript):
                yield f"<sup>{self.markup(node.children)}</sup>"
            elif isinstance(node, LineBreak):
                yield "<br>"
            elif isinstance(node, ForeignSpan):
                span_direction = direction(node.language)
                marked = f' dir="{span_direction}"' if span_direction != self.direction else ""
                yield f'<span lang="{escape(node.language)}"{marked}>{self.markup(node.children)}</span>'
            elif isinstance(node, TableNoteRef):
                label = escape(self.w.table_note_label.format(letter=node.letter))
                yield (f'<sup class="table-note-call"><a href="#{self.table}-note-{escape(node.letter)}" '
                       f'aria-label="{label}">{escape(node.letter)}</a></sup>')
            else:
                assert_never(node)


def _entry_view(p: EntryParts, inl: _Inlines) -> EntryView:
    body = Markup("".join([inl.markup(p.content), *(inl.note_call(n) for n in p.notes)]))
    return EntryView(p.kind, p.label, body, p.duration, p.continued, p.strong, p.hanging)


def _entry(entry: Entry, w: Wording, inl: _Inlines) -> EntryView | ListView:
    if isinstance(entry, BulletList):
        return ListView(tuple(_entry_view(entry_parts(i, w, in_list=True), inl) for i in entry.items))
    return _entry_view(entry_parts(entry, w), inl)


def note_key(note_id: str, number: int, mark: str) -> str:
    """What a note's ids are made of: its number ("fn1"), or for a marked note its id ("fn-star")."""
    return f"-{note_id}" if mark else str(number)


class _Blocks(BlockVisitor[BlockView]):
    """Each block as markup (a programme as a view for the template), in page order."""

    def __init__(self, w: Wording, inl: _Inlines, annexes: int, heading_level: int, title_ident: str,
                 id_prefix: str = "") -> None:
        self.w = w
        self.id_prefix = id_prefix
        """Before each paragraph's id: numbers start again in each annex."""
        self.inl = inl
        self.annexes = annexes
        self.heading_level = heading_level
        """The ``<hN>`` of a section at the top of these blocks."""
        self.title_ident = title_ident
        """The id of the heading that names a programme table here."""

    def all(self, blocks: tuple[Block, ...]) -> tuple[BlockView, ...]:
        """The views of ``blocks``, in order."""
        return tuple(self.visit_all(blocks))

    def _markup(self, blocks: tuple[Block, ...]) -> str:
        return "\n".join(str(view.markup) for view in self.all(blocks) if view.markup is not None)

    def visit_section(self, section: Section) -> BlockView:
        label = fmt.section_label(section.level, section.number, self.w)
        level = min(self.heading_level, 6)
        ident = escape(section.section_id)
        number = f'<span class="heading-number">{escape(label)}</span> ' if label else ""
        heading = (f'<h{level} class="heading level-{section.level}" id="{ident}-heading">'
                   f"{number}{self.inl.markup(section.heading)}</h{level}>")
        self.heading_level += 1
        try:
            inner = self._markup(section.blocks)
        finally:
            self.heading_level -= 1
        # no accessible name: a division is not a landmark (two chapters may share a heading's words)
        body = f"{heading}\n{inner}" if inner else heading
        return BlockView(Markup(f'<section class="division level-{section.level}" id="{ident}">\n{body}\n</section>'))

    def visit_paragraph(self, paragraph: Paragraph) -> BlockView:
        content = self.inl.markup(paragraph.content)
        if paragraph.number is None:
            return BlockView(Markup(f'<p class="para unnumbered">{content}</p>'))
        n = paragraph.number
        ident = f"{self.id_prefix}para-{n}"
        label = escape(fmt.paragraph_label(n, self.w))
        return BlockView(Markup(f'<p class="para" id="{ident}"><span class="para-number">{label}</span> {content}</p>'))

    def visit_item_list(self, item_list: ItemList) -> BlockView:
        return BlockView(Markup(self._list(item_list)))

    def _list(self, item_list: ItemList) -> str:
        if item_list.style == "bullets":
            items = "".join(
                f'<li><span class="bullet" aria-hidden="true">{escape(self.w.bullet)}</span> '
                f"{self.inl.markup(item.content)}{self._sublist(item.sublist)}</li>\n" for item in item_list.items)
            return f'<ul class="dash-list">\n{items}</ul>'
        items = "".join(
            f'<li><span class="item-label">'
            f"{escape(fmt.item_label(item_list.style, item_list.degree, item.number, self.w))}</span> "
            f"{self.inl.markup(item.content)}{self._sublist(item.sublist)}</li>\n" for item in item_list.items)
        return f'<ol class="subparagraphs degree-{item_list.degree}">\n{items}</ol>'

    def _sublist(self, sublist: ItemList | None) -> str:
        return "" if sublist is None else "\n" + self._list(sublist)

    def visit_table(self, table: Table) -> BlockView:
        ident = f"table-{table.source.line}"
        self.inl.table = ident
        try:
            kind = "data-table fixed-widths" if table.widths else "data-table"
            parts = [f'<table class="{kind}" id="{ident}">']
            if table.caption:
                parts.append(f"<caption>{self.inl.markup(table.caption)}</caption>")
            if table.widths:
                total = sum(table.widths)
                parts.append("<colgroup>" + "".join(f'<col style="width: {w * 100 / total:.4g}%">'
                                                    for w in table.widths) + "</colgroup>")
            if table.head:
                parts.append("<thead>\n" + "".join(self._row(r, header=True) for r in table.head) + "</thead>")
            parts.append("<tbody>\n" + "".join(self._row(r, header=False) for r in table.body) + "</tbody>")
            parts.append("</table>")
            if table.notes:
                notes = "".join(
                    f'<p class="table-note" id="{ident}-note-{escape(n.letter)}"><span class="table-note-letter">'
                    f"{escape(n.letter)}</span> {self.inl.markup(n.content)}</p>\n" for n in table.notes)
                parts.append(f'<div class="table-notes">\n{notes}</div>')
        finally:
            self.inl.table = ""
        return BlockView(Markup("\n".join(parts)))

    def _row(self, row: Row, *, header: bool) -> str:
        cells = []
        for cell in row.cells:
            span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            tag = "th" if cell.header else "td"
            scope = ' scope="col"' if cell.header and header else ""
            cells.append(f"<{tag}{scope}{span}>{self.inl.markup(cell.content)}</{tag}>")
        return "<tr>" + "".join(cells) + "</tr>\n"

    def visit_quote(self, quote: Quote) -> BlockView:
        return BlockView(Markup(f'<blockquote class="quote">\n{self._markup(quote.blocks)}\n</blockquote>'))

    def visit_letter_part(self, part: LetterPart) -> BlockView:
        return BlockView(Markup(f'<p class="letter-{escape(part.role)}">{self.inl.markup(part.content)}</p>'))

    def visit_signature(self, signature: Signature) -> BlockView:
        signed = f"<i>{escape(self.w.signed)}</i> " if signature.signed else ""
        lines = [f'<p class="signatory">{signed}{self.inl.markup(signature.name)}</p>']
        lines += [f'<p class="function">{self.inl.markup(f)}</p>' for f in signature.functions]
        return BlockView(Markup('<div class="signature">\n' + "\n".join(lines) + "\n</div>"))

    def visit_contents(self, contents: Contents) -> BlockView:
        items = []
        for entry in contents.entries:
            label = fmt.contents_label(entry, self.annexes, self.w)
            kind = "contents-annex" if entry.level < 0 else f"level-{entry.level}"
            number = f'<span class="heading-number">{escape(label)}</span> ' if label else ""
            items.append(f'<li class="{kind}"><a href="#{escape(entry.target)}">{number}'
                         f"{self.inl.markup(entry.heading)}</a></li>")
        level = min(self.heading_level, 6)
        return BlockView(Markup(
            f'<nav class="contents" aria-labelledby="contents-heading">\n'
            f'<h{level} class="contents-heading" id="contents-heading">{escape(self.w.contents)}</h{level}>\n'
            f'<p class="contents-page" aria-hidden="true">{escape(self.w.contents_page)}</p>\n'
            f'<ol class="contents-list">\n' + "\n".join(items) + "\n</ol>\n</nav>"))

    def visit_correction(self, correction: Correction) -> BlockView:
        return BlockView(Markup(
            f'<div class="correction">\n<p class="correction-where">{self.inl.markup(correction.where)}</p>\n'
            f'<p class="correction-text"><i>{escape(self.w.correction_for)}</i> {self.inl.markup(correction.wrong)} '
            f"<i>{escape(self.w.correction_read)}</i> {self.inl.markup(correction.right)}</p>\n</div>"))

    def visit_agenda_list(self, agenda: AgendaList) -> BlockView:
        items = "".join(
            f'<li><span class="item-label">{escape(item.number)}.</span> '
            f"{self.inl.markup(agenda_list_wording(item.wording))}"
            + "".join(self.inl.note_call(n) for n in item.notes) + "</li>\n" for item in agenda.items)
        return BlockView(Markup(f'<ol class="agenda-list">\n{items}</ol>'))

    def visit_programme(self, programme: Programme) -> BlockView:
        days = tuple(
            DayView(
                fmt.day_heading(day.date, self.w),
                day.date.isoformat(),
                tuple(SlotView(fmt.time_range(s.start, s.end, self.w),
                               tuple(_entry(e, self.w, self.inl) for e in s.entries))
                      for s in day.slots),
            )
            for day in programme.days
        )
        return BlockView(programme=ProgrammeView(self.title_ident, self.w.column_heads, days))


def _annex(annex: Annex, index: int, count: int, w: Wording, inl: _Inlines) -> AnnexView:
    only_in = fmt.only_in_line(annex.original_language, w)
    ident = f"annex-{index}"
    title = inl.markup(annex.title)
    blocks = _Blocks(w, inl, count, heading_level=4, title_ident=f"{ident}-title",
                     id_prefix=f"{ident}-").all(annex.blocks)
    return AnnexView(ident, fmt.annex_heading(index - 1, count, w), only_in, title, blocks,
                     annex_text_language(annex, w.code))


def _footer(document: Document, w: Wording) -> FooterView:
    m = document.masthead
    url = undocs_url(m.symbol, document.language)
    barcode_text = job_barcode_text(m.job_number)
    return FooterView(
        job_line=fmt.job_number_line(document, w),
        job_number=m.job_number,
        date_code=fmt.job_date_code(m.issued),
        job_is_placeholder=m.job_number_is_placeholder,
        barcode_svg=Markup(code39_svg(barcode_text, height_pt=BARCODE_HEIGHT_PT,
                                      narrow_pt=BARCODE_NARROW_PT).rstrip("\n")),
        barcode_text=barcode_text,
        please_recycle=w.please_recycle,
        recycling_svg=Markup(recycling_svg(w.recycling_description)),  # sized by the stylesheet
        qr_svg=Markup(qr_svg(url)),  # sized by the stylesheet
        url=url,
    )


def page_view(document: Document) -> PageView:
    """The view of ``document`` that the page template prints."""
    w = wording_for(document.language)
    m = document.masthead
    s = document.session
    kind = genre(document.doc_type)
    inl = _Inlines(w, document.language)
    organ_letter, slash, rest = m.symbol.partition("/")
    title_text = plain_text(document.title)
    right = right_block(document, w)
    head = letterhead(document, w)
    # Inline content is turned into markup in page order, so that the first call of a
    # note on the page is the one its back link returns to.
    front = tuple(inl.markup(line) for line in (document.front.ga_session, *document.front.agenda_lines) if line)
    if document.front.reissued is not None:
        front += (escape(fmt.reissued_line(document.front.reissued, w)),)
    body_name = inl.markup(s.body_name)
    title = inl.markup(document.title)
    subtitle = inl.markup(document.subtitle)
    body = _Blocks(w, inl, len(document.annexes), heading_level=2, title_ident="").all(document.body)
    annexes = tuple(_annex(a, i, len(document.annexes), w, inl) for i, a in enumerate(document.annexes, start=1))
    footnotes = tuple(
        FootnoteView(f"fn{key}", f.call, inl.markup(f.content), f"fnref{key}" if key in inl.calls else "",
                     w.note_back_label.format(number=f.call))
        for f in document.footnotes
        for key in (note_key(f.note_id, f.number, f.mark),)
    )
    session_line = fmt.session_line(s, w)
    place_dates = fmt.place_and_dates(s, w)
    footer = _footer(document, w) if kind.job_footer and m.job_number else None
    return PageView(
        lang=document.language,
        dir=direction(document.language),
        page_title=w.page_title.format(symbol=m.symbol, title=title_text) if m.symbol else title_text,
        description=w.page_description.format(
            title=title_text, body=plain_text(s.body_name), session=session_line, place_dates=place_dates),
        creator=w.united_nations,
        iso_date=m.issued.isoformat(),
        url=undocs_url(m.symbol, document.language) if m.symbol else "",
        stylesheet=page_stylesheet(direction(document.language)),
        print_stylesheet=Markup(stylesheet(PRINT_STYLESHEET) + "\n" + print_page_rules(
            document, page_size(document), footer)),
        united_nations=w.united_nations,
        symbol=m.symbol,
        organ_letter=organ_letter,
        symbol_rest=slash + rest,
        symbol_is_placeholder=m.symbol_is_placeholder,
        organ=w.organs[m.organ],
        emblem=emblem_view(m.emblem, w.emblem_description),
        distribution=right.lines[0],
        issued=right.lines[1],
        right_block_lang=w.masthead_language if w.masthead_language != document.language else "",
        language_line=right.language,
        original=right.last,
        genre=document.doc_type,
        front=front,
        session_block=not document.front.ga_session and head is None,
        letterhead=head,
        body_name=body_name,
        session=session_line,
        place_dates=place_dates,
        title=title,
        title_text=title_text,
        genre_label=fmt.genre_label(document, w),
        subtitle=subtitle,
        body=body,
        annexes=annexes,
        notes_heading=w.notes_heading,
        footnotes=footnotes,
        continued=w.continued,
        bullet=w.bullet,
        footer=footer,
    )


def render_html(document: Document) -> str:
    """The document as one self-contained HTML page."""
    text = environment().get_template(DOCUMENT_TEMPLATE).render(page=page_view(document))
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"


def render(document: Document) -> bytes:
    """The document as a UTF-8 HTML page."""
    return render_html(document).encode("utf-8")

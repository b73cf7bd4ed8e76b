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
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from pipeline.formats.common import EntryParts, entry_parts
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.marks.barcode import code39_svg, job_barcode_text
from pipeline.marks.qrcode import qr_svg
from pipeline.model.inline import plain_text
from pipeline.model.tree import (
    Annex,
    BulletList,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    FootnoteRef,
    Inline,
    Link,
    Paragraph,
    Text,
    undocs_url,
)
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

BARCODE_HEIGHT_PT = 18.0
"""Height of the barcode's bars as drawn; the stylesheet may scale the image."""

BARCODE_NARROW_PT = 0.75
"""Width of a narrow bar of the barcode."""

QR_SIZE_PT = 42.0
"""Side of the QR code as drawn; the stylesheet may scale the image."""


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
def stylesheet() -> Markup:
    """The stylesheet's text, safe to place inside ``<style>``."""
    env = environment()
    assert env.loader is not None
    text, _filename, _uptodate = env.loader.get_source(env, STYLESHEET)
    if "</style" in text.lower():
        raise ValueError(f"{STYLESHEET} must not contain '</style'")
    return Markup(text.strip("\n"))


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
class AnnexView:
    """An annex: heading, optional language line, title and programme table."""

    ident: str
    heading: str
    only_in: str
    title: Markup
    column_heads: tuple[str, str]
    days: tuple[DayView, ...]


@dataclass(frozen=True)
class ParagraphView:
    """A numbered paragraph."""

    number: int
    content: Markup


@dataclass(frozen=True)
class FootnoteView:
    """A footnote and the id of its first call (empty when never called)."""

    number: int
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
    qr_svg: Markup
    url: str


@dataclass(frozen=True)
class PageView:
    """Everything the page template prints."""

    lang: str
    page_title: str
    description: str
    creator: str
    iso_date: str
    url: str
    stylesheet: Markup
    united_nations: str
    symbol: str
    organ_letter: str
    symbol_rest: str
    symbol_is_placeholder: bool
    organ: str
    distribution: str
    issued: str
    original: str
    body_name: Markup
    session: str
    place_dates: str
    title: Markup
    title_text: str
    subtitle: Markup
    paragraphs: tuple[ParagraphView, ...]
    annexes: tuple[AnnexView, ...]
    notes_heading: str
    footnotes: tuple[FootnoteView, ...]
    continued: str
    bullet: str
    footer: FooterView


class _Inlines:
    """Turns inline nodes into markup, giving each footnote call a unique id.

    The first call of note *n* is ``fnref<n>`` (the target of the note's back link);
    later calls of the same note are ``fnref<n>-2``, ``fnref<n>-3``. Calls must be made
    in page order, which the view builder follows.
    """

    def __init__(self, w: Wording, language: str) -> None:
        self.w = w
        self.language = language
        self.calls: dict[int, int] = {}

    def note_call(self, ref: FootnoteRef) -> Markup:
        """``<sup><a href="#fn1" id="fnref1">1</a></sup>``."""
        count = self.calls.get(ref.number, 0) + 1
        self.calls[ref.number] = count
        ident = f"fnref{ref.number}" if count == 1 else f"fnref{ref.number}-{count}"
        return Markup(
            '<sup class="note-call"><a href="#fn{n}" id="{ident}" role="doc-noteref"'
            ' aria-label="{label}">{n}</a></sup>'
        ).format(n=ref.number, ident=ident, label=self.w.note_call_label.format(number=ref.number))

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
                yield f'<a class="doc-ref" href="{escape(href)}">{escape(node.text)}</a>'
            elif isinstance(node, Link):
                label = self.markup(node.children) if node.children else escape(node.href)
                yield f'<a class="url" href="{escape(node.href)}">{label}</a>'
            elif isinstance(node, FootnoteRef):
                yield self.note_call(node)
            else:
                yield escape(plain_text((node,)))


def _entry_view(p: EntryParts, inl: _Inlines) -> EntryView:
    body = Markup("".join([inl.markup(p.content), *(inl.note_call(n) for n in p.notes)]))
    return EntryView(p.kind, p.label, body, p.duration, p.continued, p.strong, p.hanging)


def _entry(entry: Entry, w: Wording, inl: _Inlines) -> EntryView | ListView:
    if isinstance(entry, BulletList):
        return ListView(tuple(_entry_view(entry_parts(i, w, in_list=True), inl) for i in entry.items))
    return _entry_view(entry_parts(entry, w), inl)


def _annex(annex: Annex, index: int, count: int, w: Wording, inl: _Inlines) -> AnnexView:
    only_in = ""
    if annex.original_language:
        only_in = w.only_in.format(language=w.language_names[annex.original_language])
    days = tuple(
        DayView(
            fmt.day_heading(day.date, w),
            day.date.isoformat(),
            tuple(SlotView(fmt.time_range(s.start, s.end, w), tuple(_entry(e, w, inl) for e in s.entries))
                  for s in day.slots),
        )
        for day in (annex.programme.days if annex.programme is not None else ())
    )
    return AnnexView(f"annex-{index}", fmt.annex_heading(index - 1, count, w), only_in, inl.markup(annex.title),
                     w.column_heads, days)


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
        qr_svg=Markup(qr_svg(url, size_pt=QR_SIZE_PT).rstrip("\n")),
        url=url,
    )


def page_view(document: Document) -> PageView:
    """The view of ``document`` that the page template prints."""
    w = wording_for(document.language)
    m = document.masthead
    s = document.session
    inl = _Inlines(w, document.language)
    organ_letter, slash, rest = m.symbol.partition("/")
    title_text = plain_text(document.title)
    # Inline content is turned into markup in page order, so that the first call of a
    # note on the page is the one its back link returns to.
    body_name = inl.markup(s.body_name)
    title = inl.markup(document.title)
    subtitle = inl.markup(document.subtitle)
    paragraphs = tuple(ParagraphView(p.number, inl.markup(p.content)) for p in document.body
                       if isinstance(p, Paragraph) and p.number is not None)
    annexes = tuple(_annex(a, i, len(document.annexes), w, inl) for i, a in enumerate(document.annexes, start=1))
    footnotes = tuple(
        FootnoteView(
            f.number,
            inl.markup(f.content),
            f"fnref{f.number}" if f.number in inl.calls else "",
            w.note_back_label.format(number=f.number),
        )
        for f in document.footnotes
    )
    session_line = fmt.session_line(s, w)
    place_dates = fmt.place_and_dates(s, w)
    return PageView(
        lang=document.language,
        page_title=w.page_title.format(symbol=m.symbol, title=title_text),
        description=w.page_description.format(
            title=title_text, body=plain_text(s.body_name), session=session_line, place_dates=place_dates),
        creator=w.united_nations,
        iso_date=m.issued.isoformat(),
        url=undocs_url(m.symbol, document.language),
        stylesheet=stylesheet(),
        united_nations=w.united_nations,
        symbol=m.symbol,
        organ_letter=organ_letter,
        symbol_rest=slash + rest,
        symbol_is_placeholder=m.symbol_is_placeholder,
        organ=w.organs[m.organ],
        distribution=fmt.distribution_line(document, w),
        issued=fmt.full_date(m.issued, w),
        original=fmt.original_line(document, w),
        body_name=body_name,
        session=session_line,
        place_dates=place_dates,
        title=title,
        title_text=title_text,
        subtitle=subtitle,
        paragraphs=paragraphs,
        annexes=annexes,
        notes_heading=w.notes_heading,
        footnotes=footnotes,
        continued=w.continued,
        bullet=w.bullet,
        footer=_footer(document, w),
    )


def render_html(document: Document) -> str:
    """The document as one self-contained HTML page."""
    text = environment().get_template(DOCUMENT_TEMPLATE).render(page=page_view(document))
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"


def render(document: Document) -> bytes:
    """The document as a UTF-8 HTML page."""
    return render_html(document).encode("utf-8")

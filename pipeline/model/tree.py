"""The document model: frozen dataclasses built once from a validated tree.

Renderers see only these values, never lxml. Every node records where it came from
(:class:`Source`), so that later stages can point at the file and line of a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.marks.emblem import Emblem
from pipeline.project.venues import Venue


@dataclass(frozen=True)
class Source:
    """The file, line and column (of its start tag) a node was built from; 0 when not known."""

    path: str
    line: int
    column: int = 0


class RenderFailure(Exception):
    """A renderer could not render one node of the model: ``source`` says where it came from.

    A renderer raises it where it knows the node at fault; the build reports the failure
    at that place of the source instead of at the top of the file.
    """

    def __init__(self, message: str, source: Source):
        super().__init__(message)
        self.source = source


# ---------------------------------------------------------------- inline content


@dataclass(frozen=True)
class Text:
    """A run of plain text."""

    text: str
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Emphasis:
    """Italic text (titles, foreign words)."""

    children: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class DocumentRef:
    """A reference to a UN document, printed as ``text`` and linked by ``symbol``.

    Resolution references become document references to ``A/RES/75/240`` printed "75/240".
    """

    symbol: str
    text: str
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Link:
    """An external address, printed as ``children`` (or the address itself when empty)."""

    href: str
    children: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class FootnoteRef:
    """The call of footnote ``number`` (numbered in order of first call).

    ``mark`` is what is printed: the number, or "*", "**" for a note on the first page's
    symbol, title or agenda line (those are not numbered: ``number`` is 0).
    """

    note_id: str
    number: int
    source: Source = field(compare=False)
    mark: str = ""

    @property
    def call(self) -> str:
        """The printed call: the mark, else the number."""
        return self.mark or str(self.number)


@dataclass(frozen=True)
class TableNoteRef:
    """The call of a note to a table, lettered a, b, … under the table."""

    note_id: str
    letter: str
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Strong:
    """Bold, only where the General Assembly asked for it (recommendations)."""

    children: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Superscript:
    """Raised text ("1er", "m²")."""

    children: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class LineBreak:
    """A forced line break (in an address, a signature, a table cell)."""

    source: Source = field(compare=False)


@dataclass(frozen=True)
class ForeignSpan:
    """Words in another language than the document's (``language``: ISO 639-1)."""

    language: str
    children: tuple[Inline, ...]
    source: Source = field(compare=False)


Inline = (Text | Emphasis | Strong | Superscript | LineBreak | ForeignSpan | DocumentRef | Link | FootnoteRef
          | TableNoteRef)
"""Inline content: a small closed union that every renderer handles case by case
(:func:`pipeline.model.visit.walk_inline` is the one walk they share)."""


# ---------------------------------------------------------------- masthead and session


@dataclass(frozen=True)
class Letterhead:
    """The sender's letterhead of a letter sent rather than issued: its lines, and the place of writing."""

    lines: tuple[str, ...]
    place: str
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Masthead:
    """The first-page masthead: organ, symbol, distribution, date, languages, job number.

    A letter on letterhead has no symbol ("") and no job number, and its ``letterhead``
    takes the place of the United Nations masthead.
    """

    organ: str
    symbol: str
    symbol_is_placeholder: bool
    distribution: str
    issued: dt.date
    issued_is_placeholder: bool
    """The date is not the date of issue yet (a document made from another, or a draft)."""
    original_language: str
    language: str
    job_number: str
    job_number_is_placeholder: bool
    source: Source = field(compare=False)
    emblem: Emblem | None = field(default=None, compare=False, repr=False)
    """The image at the left of the organ band, from the configuration that applies to the source;
    None when it names none."""
    letterhead: Letterhead | None = None


@dataclass(frozen=True)
class Session:
    """The meeting a document belongs to: body, ordinal and kind, place and dates."""

    body_name: tuple[Inline, ...]
    register_id: str
    ordinal: int
    kind: str
    place: str
    """The place as printed: the venue's printed name where the configuration gives one."""
    start: dt.date
    end: dt.date
    source: Source = field(compare=False)
    venue: Venue | None = field(default=None, compare=False)
    """Time zone and paper of the place, from the configuration that applies to the source; None
    when no table knows the place (validation refuses such a source)."""


# ---------------------------------------------------------------- programme of work


@dataclass(frozen=True)
class Continuation:
    """Whether "(continued)" is printed, and whether the source said so or it was inferred."""

    shown: bool
    explicit: bool


@dataclass(frozen=True)
class AgendaItemEntry:
    """"Agenda item 5: wording", bold, from the register (or a verbatim override)."""

    number: str
    wording: tuple[Inline, ...]
    notes: tuple[FootnoteRef, ...]
    continued: Continuation
    source: Source = field(compare=False)


@dataclass(frozen=True)
class TopicEntry:
    """A lettered sub-topic "(d) wording"; in a bullet list it prints without its letter."""

    letter: str
    wording: tuple[Inline, ...]
    notes: tuple[FootnoteRef, ...]
    continued: Continuation
    source: Source = field(compare=False)


@dataclass(frozen=True)
class ProgrammeLine:
    """A programme line; ``strong`` for a bold segment heading. ``minutes`` prints "(30 minutes)"."""

    content: tuple[Inline, ...]
    strong: bool
    minutes: int | None
    continued: Continuation
    source: Source = field(compare=False)


ListItem = ProgrammeLine | TopicEntry
"""What an en-dash bullet list holds."""


@dataclass(frozen=True)
class BulletList:
    """En-dash bullets."""

    items: tuple[ListItem, ...]
    source: Source = field(compare=False)


Entry = AgendaItemEntry | TopicEntry | ProgrammeLine | BulletList
"""One entry of a time slot."""


@dataclass(frozen=True)
class Slot:
    """A meeting: start and end time (local) and its entries in order."""

    start: dt.time
    end: dt.time
    entries: tuple[Entry, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Day:
    """A day of the programme and its slots."""

    date: dt.date
    slots: tuple[Slot, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Programme:
    """A programme of work: days in order."""

    days: tuple[Day, ...]
    source: Source = field(compare=False)


# ---------------------------------------------------------------- general blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: numbered 1., 2., … straight through the headings (``number``), or not (None)."""

    number: int | None
    content: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Item:
    """An item of a list: its words, and a list nested under it."""

    number: int
    """1 for the first item: printed "(a)", "(i)", "a." or "i." by the list's degree (and language),
    or as a bullet (:func:`pipeline.i18n.formatting.item_label`)."""
    content: tuple[Inline, ...]
    sublist: ItemList | None
    source: Source = field(compare=False)


@dataclass(frozen=True)
class ItemList:
    """Subparagraphs (``lettered``: (a) → (i) → a. → i. by ``degree``) or en-dash ``bullets``."""

    style: str
    """"lettered" or "bullets"."""
    degree: int
    """1 for a list directly under a paragraph, 2 for a list inside an item of one, …"""
    items: tuple[Item, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Cell:
    """A table cell."""

    content: tuple[Inline, ...]
    header: bool
    colspan: int
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Row:
    """A table row."""

    cells: tuple[Cell, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class TableNote:
    """A note to a table, lettered a, b, … and printed under it."""

    note_id: str
    letter: str
    content: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Table:
    """A table: caption, relative column widths, header rows, body rows, notes under it."""

    caption: tuple[Inline, ...]
    widths: tuple[int, ...]
    """Relative widths of the columns (percentages); empty: equal columns."""
    head: tuple[Row, ...]
    body: tuple[Row, ...]
    notes: tuple[TableNote, ...]
    source: Source = field(compare=False)

    @property
    def columns(self) -> int:
        """The number of columns."""
        rows = (*self.head, *self.body)
        return max((sum(c.colspan for c in r.cells) for r in rows), default=len(self.widths))


@dataclass(frozen=True)
class Quote:
    """A block quotation (unnumbered paragraphs)."""

    blocks: tuple[Block, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class LetterPart:
    """A part of a letter: ``addressee``, ``salutation`` or ``closing``, set apart from the paragraphs."""

    role: str
    content: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Signature:
    """The signature block, at the right: "(Signed) Name" and the signatory's functions."""

    signed: bool
    name: tuple[Inline, ...]
    functions: tuple[tuple[Inline, ...], ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class ContentsEntry:
    """A line of a contents list: a heading's label and words, at its level."""

    level: int
    number: int | None
    """As :attr:`Section.number`; an annex's entry has level -1 and the annex's number."""
    heading: tuple[Inline, ...]
    target: str
    """The id of the section (or annex) it points to."""


@dataclass(frozen=True)
class Contents:
    """The contents list, made from the document's headings (chapters and sections, annexes)."""

    entries: tuple[ContentsEntry, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Correction:
    """A change a corrigendum makes: where, then "*For* … *read* …"."""

    where: tuple[Inline, ...]
    wrong: tuple[Inline, ...]
    right: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class AgendaListItem:
    """An item of a provisional agenda: "1. Opening of the session."."""

    number: str
    wording: tuple[Inline, ...]
    notes: tuple[FootnoteRef, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class AgendaList:
    """The items of a provisional agenda, numbered as in the register."""

    items: tuple[AgendaListItem, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Section:
    """A section of the heading ladder with the blocks under its heading.

    ``level``: 0 a part ("Part one"), 1 a chapter ("I."), 2 "A.", 3 "1.", 4 "(a)", 5 "(i)",
    6 "a."; ``number`` counts the numbered sections of its level under the same parent (None
    for an unnumbered heading), printed by :func:`pipeline.i18n.formatting.section_label`.
    """

    level: int
    number: int | None
    heading: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    section_id: str
    """A stable id for links and the contents list ("chapter-2", "chapter-2-section-1")."""
    source: Source = field(compare=False)


Block = (Section | Paragraph | ItemList | Table | Quote | LetterPart | Signature | Contents | Correction
         | AgendaList | Programme)
"""What the body of a document and an annex hold: a closed union that renderers visit
(:class:`pipeline.model.visit.BlockVisitor`)."""


@dataclass(frozen=True)
class Annex:
    """An annex: its title and any blocks ("Annex", "Annex I", … is printed by position).

    ``original_language`` is set only where it differs from the language of the document's
    version: the annex is issued in that language only ("[English only]" in an English-only
    annex of the French version).
    """

    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    original_language: str | None
    source: Source = field(compare=False)

    @property
    def programme(self) -> Programme | None:
        """The annex's programme of work, if it holds one."""
        return next((b for b in self.blocks if isinstance(b, Programme)), None)


# ---------------------------------------------------------------- document


@dataclass(frozen=True)
class FrontMatter:
    """First-page lines between the masthead and the title, where a genre has them."""

    ga_session: tuple[Inline, ...] = ()
    """The General Assembly session of a GA report ("Seventy-seventh session")."""
    agenda_lines: tuple[tuple[Inline, ...], ...] = ()
    """"Item 94 of the provisional agenda*", or a Limited draft's "Agenda item 7" and its title."""
    reissued: dt.date | None = None
    """The date of a reissue "for technical reasons" (the symbol then ends in "*")."""


@dataclass(frozen=True)
class Footnote:
    """A footnote, numbered in order of its first call (``mark`` "*", "**": not numbered, 0)."""

    note_id: str
    number: int
    content: tuple[Inline, ...]
    source: Source = field(compare=False)
    mark: str = ""

    @property
    def call(self) -> str:
        """The printed mark: the mark, else the number."""
        return self.mark or str(self.number)


@dataclass(frozen=True)
class Document:
    """A whole document, ready to render."""

    doc_type: str
    """The genre (:mod:`pipeline.genres`): "programme-of-work", "report", "letter", …"""
    masthead: Masthead
    session: Session
    title: tuple[Inline, ...]
    subtitle: tuple[Inline, ...]
    body: tuple[Block, ...]
    annexes: tuple[Annex, ...]
    footnotes: tuple[Footnote, ...]
    source: Source = field(compare=False)
    front: FrontMatter = field(default_factory=FrontMatter)

    @property
    def language(self) -> str:
        """The language of this version (ISO 639-1)."""
        return self.masthead.language

    @property
    def symbol(self) -> str:
        """The document symbol."""
        return self.masthead.symbol


UNDOCS_BASE = "https://undocs.org/"


def undocs_url(symbol: str, language: str = "en") -> str:
    """The public address of a document: ``https://undocs.org/en/A/RES/75/240``."""
    return f"{UNDOCS_BASE}{language}/{symbol}"

"""The document model: frozen dataclasses built once from a validated tree.

Renderers see only these values, never lxml. Every node records where it came from
(:class:`Source`), so that later stages can point at the file and line of a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.project.venues import Venue


@dataclass(frozen=True)
class Source:
    """The file and line a node was built from."""

    path: str
    line: int


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
    """The call of footnote ``number`` (numbered in order of first call)."""

    note_id: str
    number: int
    source: Source = field(compare=False)


Inline = Text | Emphasis | DocumentRef | Link | FootnoteRef
"""Inline content: a small closed union that every renderer handles case by case."""


# ---------------------------------------------------------------- masthead and session


@dataclass(frozen=True)
class Masthead:
    """The first-page masthead: organ, symbol, distribution, date, languages, job number."""

    organ: str
    symbol: str
    symbol_is_placeholder: bool
    distribution: str
    issued: dt.date
    original_language: str
    language: str
    job_number: str
    job_number_is_placeholder: bool
    source: Source = field(compare=False)


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


@dataclass(frozen=True)
class Annex:
    """An annex; ``original_language`` is set only where it differs from the document's."""

    title: tuple[Inline, ...]
    programme: Programme
    original_language: str | None
    source: Source = field(compare=False)


# ---------------------------------------------------------------- document


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph of the body."""

    number: int
    content: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Footnote:
    """A footnote, numbered in order of its first call."""

    note_id: str
    number: int
    content: tuple[Inline, ...]
    source: Source = field(compare=False)


@dataclass(frozen=True)
class Document:
    """A whole document, ready to render."""

    doc_type: str
    masthead: Masthead
    session: Session
    title: tuple[Inline, ...]
    subtitle: tuple[Inline, ...]
    paragraphs: tuple[Paragraph, ...]
    annexes: tuple[Annex, ...]
    footnotes: tuple[Footnote, ...]
    source: Source = field(compare=False)

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

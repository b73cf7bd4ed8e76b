"""What every renderer needs to say the same thing: programme entries, the masthead's right block, agenda lines.

Renderers differ in markup, not in content; this module decides the content (labels,
wording, "(continued)", durations) once, from the language's wording table.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from pipeline.genres import genre
from pipeline.i18n import Wording, direction, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.i18n.formatting import duration
from pipeline.model.tree import (
    AgendaItemEntry,
    Annex,
    Document,
    FootnoteRef,
    Inline,
    ProgrammeLine,
    Text,
    TopicEntry,
)
from pipeline.project.venues import PAPER_SIZES


@dataclass(frozen=True)
class EntryParts:
    """The printed pieces of an agenda item, sub-topic or programme line.

    Printed in this order: ``label`` (bold for agenda items: "Agenda item 5: "; "(d)" for
    lettered sub-topics, set in a hanging indent when ``hanging``), ``content``, the footnote
    calls ``notes``, ``duration`` ("(30 minutes)") and, when ``continued``, "(" + italic word + ")".
    """

    label: str
    content: tuple[Inline, ...]
    notes: tuple[FootnoteRef, ...]
    duration: str
    continued: bool
    strong: bool
    hanging: bool
    kind: str
    """"agenda-item", "topic", "segment" or "line"."""


def entry_parts(
    entry: AgendaItemEntry | TopicEntry | ProgrammeLine, w: Wording, *, in_list: bool = False
) -> EntryParts:
    """The pieces of ``entry``; in a bullet list a sub-topic loses its letter."""
    if isinstance(entry, AgendaItemEntry):
        return EntryParts(w.agenda_item.format(number=entry.number), entry.wording, entry.notes,
                          "", entry.continued.shown, True, False, "agenda-item")
    if isinstance(entry, TopicEntry):
        label = "" if in_list else fmt.sub_topic_label(entry.letter, w)
        return EntryParts(label, entry.wording, entry.notes, "", entry.continued.shown, False, bool(label), "topic")
    return EntryParts("", entry.content, (), duration(entry.minutes, w) if entry.minutes else "",
                      entry.continued.shown, entry.strong, False, "segment" if entry.strong else "line")


@dataclass(frozen=True)
class RightBlock:
    """The masthead's right-hand block: lines in a group, the version's language, then one line
    after a blank line.

    "Distr.: General" / "4 March 2023", then "Original: English"; for a conference room
    paper "Conference room paper" / the date, then "English only". A version whose catalogue
    names a ``language_line`` prints it after the date: "Distr. générale" / "4 mars 2023" /
    "Français", then "Original : anglais". The block is worded in the catalogue of the
    version's ``masthead_language`` (English in the Russian, Chinese and Arabic versions).
    """

    lines: tuple[str, ...]
    language: str
    """The version's language line, or ""."""
    last: str


def right_block(document: Document, w: Wording) -> RightBlock:
    """The right-hand block of ``document``'s masthead, as its genre words it."""
    block = wording_for(w.masthead_language)
    issued = fmt.full_date(document.masthead.issued, block)
    if genre(document.doc_type).masthead == "crp":
        language = block.only_in_names[document.language]
        return RightBlock((block.conference_room_paper, issued), "", block.language_only.format(language=language))
    return RightBlock((fmt.distribution_line(document, w), issued), w.language_line, fmt.original_line(document, w))


@dataclass(frozen=True)
class LetterheadView:
    """What a letter on letterhead prints instead of the masthead: the sender's lines, then the
    place and date of writing ("New York, 7 March 2022")."""

    lines: tuple[str, ...]
    place_date: str


def letterhead(document: Document, w: Wording) -> LetterheadView | None:
    """The letterhead of ``document``, or None where the United Nations masthead heads it."""
    head = document.masthead.letterhead
    if head is None:
        return None
    return LetterheadView(head.lines, w.place_dates.format(place=head.place,
                                                           dates=fmt.full_date(document.masthead.issued, w)))


def masthead_lines(document: Document, w: Wording) -> list[list[str]]:
    """The masthead as groups of lines, in reading order: "United Nations", the symbol, the organ,
    the right-hand block; for a letter on letterhead, the letterhead's lines, then place and date."""
    head = letterhead(document, w)
    if head is not None:
        return [list(head.lines), [head.place_date]]
    block = right_block(document, w)
    m = document.masthead
    dated = [*block.lines, block.language] if block.language else list(block.lines)
    return [[w.united_nations], [m.symbol], [w.organs[m.organ]], dated, [block.last]]


_FINAL = (".", ";", ":", "!", "?", "。", "؟")


def agenda_list_wording(wording: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """An agenda item's wording as a line of the agenda: a capital first letter, a full stop at the end.

    The register words items for use inside a sentence ("organization of work"), as the
    programme of work prints them after "Agenda item 3: "; the agenda lists them as sentences.
    """
    nodes = list(wording)
    if nodes and isinstance(nodes[0], Text) and nodes[0].text:
        first = nodes[0]
        nodes[0] = Text(first.text[:1].upper() + first.text[1:], first.source)
    if nodes and isinstance(nodes[-1], Text):
        last = nodes[-1]
        if not last.text.rstrip().endswith(_FINAL):
            nodes[-1] = Text(last.text.rstrip() + ".", last.source)
    elif nodes:
        nodes.append(Text(".", nodes[-1].source))
    return tuple(nodes)


def output_timestamp(document: Document) -> dt.datetime:
    """The one fixed date of a document's outputs: SOURCE_DATE_EPOCH when set, else the issue date (UTC midnight).

    Outputs that carry a date (DOCX properties and zip entries, PDF metadata, calendar stamps) take it
    from here, never from the clock, so the same sources give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except ValueError:
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from None
    issued = document.masthead.issued
    return dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC)


def paper(document: Document) -> str:
    """The paper of ``document``, a key of :data:`~pipeline.project.venues.PAPER_SIZES` and of
    the layout's papers: its venue's (US Letter where no venue is known)."""
    venue = document.session.venue
    return venue.paper if venue is not None else "letter"


def page_size(document: Document) -> str:
    """The CSS page size of ``document``: its venue's paper (US Letter where no venue is known)."""
    return PAPER_SIZES[paper(document)]


def annex_text_language(annex: Annex, language: str) -> str:
    """The language an annex's title and blocks are marked in where it is issued in another
    language only than the document's ``language`` and reads the same way ("" otherwise: its
    heading and language line, and a text of the other direction, keep the document's)."""
    other = annex.original_language
    return other if other and other != language and direction(other) == direction(language) else ""

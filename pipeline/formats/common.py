"""What every renderer needs to say the same thing: the pieces of each programme entry.

Renderers differ in markup, not in content; this module decides the content (labels,
wording, "(continued)", durations) once, from the language's wording table.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from pipeline.i18n import Wording
from pipeline.i18n.formatting import duration
from pipeline.model.tree import (
    AgendaItemEntry,
    Document,
    FootnoteRef,
    Inline,
    ProgrammeLine,
    TopicEntry,
)


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
        label = "" if in_list else w.sub_item_label.format(letter=entry.letter)
        return EntryParts(label, entry.wording, entry.notes, "", entry.continued.shown, False, bool(label), "topic")
    return EntryParts("", entry.content, (), duration(entry.minutes, w) if entry.minutes else "",
                      entry.continued.shown, entry.strong, False, "segment" if entry.strong else "line")


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

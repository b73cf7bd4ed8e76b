"""Plain text: the document in reading order, one block per paragraph, UTF-8, no markup.

The annex prints as day / time / entry blocks; bullets are en dashes, footnote calls are
superscript digits and the footnotes follow the text under a short rule. Lines are not
wrapped, so a symbol, a date or an address is never broken.
"""

from __future__ import annotations

from pipeline.formats.common import EntryParts, entry_parts
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.inline import plain_text
from pipeline.model.tree import BulletList, Document, Entry, Inline, Paragraph

NAME = "txt"
SUFFIX = ".txt"
DESCRIPTION = "plain text in reading order"

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def call(mark: str | int) -> str:
    """A footnote call as superscript digits: 1 -> "¹"; a mark ("*") as it is."""
    return str(mark).translate(_SUPERSCRIPT)


def inline_text(nodes: tuple[Inline, ...]) -> str:
    """Inline content as plain text, footnote calls as superscript digits."""
    return plain_text(nodes, call)


def parts_text(p: EntryParts, w: Wording) -> str:
    """An entry's pieces as one line of text."""
    label = f"{p.label} " if p.hanging else p.label
    text = label + inline_text(p.content) + "".join(call(n.number) for n in p.notes)
    if p.duration:
        text += " " + p.duration
    if p.continued:
        text += f" ({w.continued})"
    return text


def entry_blocks(entry: Entry, w: Wording) -> list[str]:
    """The text blocks of one programme entry."""
    if isinstance(entry, BulletList):
        return ["\n".join(f"{w.bullet} {parts_text(entry_parts(i, w, in_list=True), w)}" for i in entry.items)]
    return [parts_text(entry_parts(entry, w), w)]


def render_text(document: Document) -> str:
    """The document as plain text."""
    w = wording_for(document.language)
    m = document.masthead
    blocks = [
        w.united_nations,
        m.symbol,
        w.organs[m.organ],
        f"{fmt.distribution_line(document, w)}\n{fmt.full_date(m.issued, w)}",
        fmt.original_line(document, w),
        inline_text(document.session.body_name),
        fmt.session_line(document.session, w),
        fmt.place_and_dates(document.session, w),
        inline_text(document.title),
    ]
    if document.subtitle:
        blocks.append(inline_text(document.subtitle))
    blocks += [f"{p.number}. {inline_text(p.content)}" for p in document.body if isinstance(p, Paragraph)]
    for index, annex in enumerate(document.annexes):
        blocks.append(fmt.annex_heading(index, len(document.annexes), w))
        if annex.original_language:
            blocks.append(w.only_in.format(language=w.language_names[annex.original_language]))
        blocks.append(inline_text(annex.title))
        for day in (annex.programme.days if annex.programme is not None else ()):
            blocks.append(fmt.day_heading(day.date, w))
            for slot in day.slots:
                blocks.append(fmt.time_range(slot.start, slot.end, w))
                for entry in slot.entries:
                    blocks += entry_blocks(entry, w)
    if document.footnotes:
        blocks.append("__________")
        blocks += [f"{call(f.number)} {inline_text(f.content)}" for f in document.footnotes]
    blocks.append(f"{fmt.job_number_line(document, w)} {fmt.job_date_code(m.issued)}")
    return "\n\n".join(blocks) + "\n"


def render(document: Document) -> bytes:
    """The document as UTF-8 plain text."""
    return render_text(document).encode("utf-8")

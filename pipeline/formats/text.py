"""Plain text: the document in reading order, one block per paragraph, UTF-8, no markup.

Headings print with their numbers ("I. Introduction"), paragraphs with theirs, subparagraphs
and bullets one item a line, indented by nesting; a table prints a row a line, cells
separated by " | ", its notes under it. The annex's programme prints as day / time / entry
blocks. Footnote calls are superscript digits (or their mark, "*") and the footnotes follow
the text under a short rule. Lines are not wrapped, so a symbol, a date or an address is
never broken.
"""

from __future__ import annotations

from pipeline.formats.common import EntryParts, agenda_list_wording, entry_parts, masthead_lines
from pipeline.genres import genre
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.inline import plain_text
from pipeline.model.tree import (
    AgendaList,
    Block,
    BulletList,
    Contents,
    Correction,
    Document,
    Entry,
    Inline,
    ItemList,
    LetterPart,
    Paragraph,
    Programme,
    Quote,
    Section,
    Signature,
    Table,
)
from pipeline.model.visit import BlockVisitor

NAME = "txt"
SUFFIX = ".txt"
DESCRIPTION = "plain text in reading order"

INDENT = "    "
"""One step of indentation: a nested list, a quotation."""

_SUPERSCRIPT = str.maketrans("0123456789abcdefghijklmnoprstuvwxyz",
                             "⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")


def call(mark: str | int) -> str:
    """A note call as superscript: 1 -> "¹", "a" -> "ᵃ"; a mark ("*") as it is."""
    return str(mark).translate(_SUPERSCRIPT)


def inline_text(nodes: tuple[Inline, ...]) -> str:
    """Inline content as plain text, note calls as superscripts, line breaks as new lines, a
    link's address after its words."""
    return plain_text(nodes, call, line_break="\n", addresses=True)


def parts_text(p: EntryParts, w: Wording) -> str:
    """An entry's pieces as one line of text."""
    label = f"{p.label} " if p.hanging else p.label
    text = label + inline_text(p.content) + "".join(call(n.call) for n in p.notes)
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


class TextBlocks(BlockVisitor[list[str]]):
    """Each block of the tree as text blocks (to be separated by blank lines)."""

    def __init__(self, document: Document, w: Wording) -> None:
        self.w = w
        self.annexes = len(document.annexes)

    def all(self, blocks: tuple[Block, ...]) -> list[str]:
        """The text blocks of ``blocks``, in order."""
        return [text for block in self.visit_all(blocks) for text in block]

    def visit_section(self, section: Section) -> list[str]:
        label = fmt.section_label(section.level, section.number, self.w)
        heading = inline_text(section.heading)
        separator = "\n" if section.level == 0 else " "  # "Part one" stands on a line of its own
        return [f"{label}{separator}{heading}" if label else heading, *self.all(section.blocks)]

    def visit_paragraph(self, paragraph: Paragraph) -> list[str]:
        text = inline_text(paragraph.content)
        return [f"{fmt.paragraph_label(paragraph.number, self.w)} {text}" if paragraph.number is not None else text]

    def visit_item_list(self, item_list: ItemList) -> list[str]:
        return ["\n".join(self._items(item_list, 0))]

    def _items(self, item_list: ItemList, depth: int) -> list[str]:
        lines = []
        for item in item_list.items:
            label = fmt.item_label(item_list.style, item_list.degree, item.number, self.w)
            lines.append(f"{INDENT * depth}{label} {inline_text(item.content)}")
            if item.sublist is not None:
                lines += self._items(item.sublist, depth + 1)
        return lines

    def visit_table(self, table: Table) -> list[str]:
        lines = [inline_text(table.caption)] if table.caption else []
        for row in (*table.head, *table.body):
            lines.append(" | ".join(inline_text(c.content).replace("\n", " ") for c in row.cells))
        blocks = ["\n".join(lines)]
        if table.notes:
            blocks.append("\n".join(f"{call(n.letter)} {inline_text(n.content)}" for n in table.notes))
        return blocks

    def visit_quote(self, quote: Quote) -> list[str]:
        return [INDENT + text.replace("\n", "\n" + INDENT) for text in self.all(quote.blocks)]

    def visit_letter_part(self, part: LetterPart) -> list[str]:
        return [inline_text(part.content)]

    def visit_signature(self, signature: Signature) -> list[str]:
        name = inline_text(signature.name)
        lines = [f"{self.w.signed} {name}" if signature.signed else name]
        lines += [inline_text(f) for f in signature.functions]
        return ["\n".join(lines)]

    def visit_contents(self, contents: Contents) -> list[str]:
        lines = [self.w.contents]
        for entry in contents.entries:
            label = fmt.contents_label(entry, self.annexes, self.w)
            if entry.level < 0:
                lines.append(f"{label}. {inline_text(entry.heading)}")
                continue
            words = inline_text(entry.heading)
            lines.append(INDENT * max(entry.level - 1, 0) + (f"{label} {words}" if label else words))
        return ["\n".join(lines)]

    def visit_correction(self, correction: Correction) -> list[str]:
        return [inline_text(correction.where),
                f"{self.w.correction_for} {inline_text(correction.wrong)} "
                f"{self.w.correction_read} {inline_text(correction.right)}"]

    def visit_agenda_list(self, agenda: AgendaList) -> list[str]:
        return [f"{fmt.paragraph_label(item.number, self.w)} {inline_text(agenda_list_wording(item.wording))}"
                + "".join(call(n.call) for n in item.notes) for item in agenda.items]

    def visit_programme(self, programme: Programme) -> list[str]:
        blocks = []
        for day in programme.days:
            blocks.append(fmt.day_heading(day.date, self.w))
            for slot in day.slots:
                blocks.append(fmt.time_range(slot.start, slot.end, self.w))
                for entry in slot.entries:
                    blocks += entry_blocks(entry, self.w)
        return blocks


def render_text(document: Document) -> str:
    """The document as plain text."""
    w = wording_for(document.language)
    m = document.masthead
    kind = genre(document.doc_type)
    blocks = ["\n".join(lines) for lines in masthead_lines(document, w)]
    if document.front.ga_session:
        blocks.append(inline_text(document.front.ga_session))
    elif m.letterhead is None:  # a letter on letterhead has no session block
        blocks += [inline_text(document.session.body_name), fmt.session_line(document.session, w),
                   fmt.place_and_dates(document.session, w)]
    blocks += [inline_text(line) for line in document.front.agenda_lines]
    if document.front.reissued is not None:
        blocks.append(fmt.reissued_line(document.front.reissued, w))
    blocks.append(inline_text(document.title))
    if document.subtitle:
        blocks.append(inline_text(document.subtitle))
    label = fmt.genre_label(document, w)
    if label:
        blocks.append(label)
    visitor = TextBlocks(document, w)
    blocks += visitor.all(document.body)
    for index, annex in enumerate(document.annexes):
        blocks.append(fmt.annex_heading(index, len(document.annexes), w))
        if annex.original_language:
            blocks.append(fmt.only_in_line(annex.original_language, w))
        blocks.append(inline_text(annex.title))
        blocks += visitor.all(annex.blocks)
    if document.footnotes:
        blocks.append("__________")
        blocks += [f"{call(f.call)} {inline_text(f.content)}" for f in document.footnotes]
    if kind.job_footer and m.job_number:
        blocks.append(f"{fmt.job_number_line(document, w)} {fmt.job_date_code(m.issued)}")
    return "\n\n".join(blocks) + "\n"


def render(document: Document) -> bytes:
    """The document as UTF-8 plain text."""
    return render_text(document).encode("utf-8")

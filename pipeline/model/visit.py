"""Visitors of the document tree: one walk of blocks and one of inline content for every renderer.

A renderer subclasses :class:`BlockVisitor` and :class:`InlineVisitor` and writes one
method per node type (docutils' ``NodeVisitor``); :meth:`BlockVisitor.visit` and
:meth:`InlineVisitor.visit` dispatch on the node's class. A genre never needs a new walk:
it is made of these nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from pipeline.model.tree import (
    AgendaList,
    Block,
    Contents,
    Correction,
    DocumentRef,
    Emphasis,
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
    Section,
    Signature,
    Strong,
    Superscript,
    Table,
    TableNoteRef,
    Text,
)

T = TypeVar("T")

_BLOCK_METHODS: dict[type, str] = {
    Section: "visit_section",
    Paragraph: "visit_paragraph",
    ItemList: "visit_item_list",
    Table: "visit_table",
    Quote: "visit_quote",
    LetterPart: "visit_letter_part",
    Signature: "visit_signature",
    Contents: "visit_contents",
    Correction: "visit_correction",
    AgendaList: "visit_agenda_list",
    Programme: "visit_programme",
}

_INLINE_METHODS: dict[type, str] = {
    Text: "visit_text",
    Emphasis: "visit_emphasis",
    Strong: "visit_strong",
    Superscript: "visit_superscript",
    LineBreak: "visit_line_break",
    ForeignSpan: "visit_foreign",
    DocumentRef: "visit_document_ref",
    Link: "visit_link",
    FootnoteRef: "visit_footnote_ref",
    TableNoteRef: "visit_table_note_ref",
}


class BlockVisitor(Generic[T]):
    """Turns each block into a ``T``; a subclass defines every ``visit_*`` method."""

    def visit(self, block: Block) -> T:
        """The rendering of ``block``, by the method for its class."""
        method = getattr(self, _BLOCK_METHODS[type(block)])
        result: T = method(block)
        return result

    def visit_all(self, blocks: Iterable[Block]) -> list[T]:
        """The renderings of ``blocks``, in order."""
        return [self.visit(b) for b in blocks]

    def visit_section(self, section: Section) -> T:
        raise NotImplementedError

    def visit_paragraph(self, paragraph: Paragraph) -> T:
        raise NotImplementedError

    def visit_item_list(self, item_list: ItemList) -> T:
        raise NotImplementedError

    def visit_table(self, table: Table) -> T:
        raise NotImplementedError

    def visit_quote(self, quote: Quote) -> T:
        raise NotImplementedError

    def visit_letter_part(self, part: LetterPart) -> T:
        raise NotImplementedError

    def visit_signature(self, signature: Signature) -> T:
        raise NotImplementedError

    def visit_contents(self, contents: Contents) -> T:
        raise NotImplementedError

    def visit_correction(self, correction: Correction) -> T:
        raise NotImplementedError

    def visit_agenda_list(self, agenda: AgendaList) -> T:
        raise NotImplementedError

    def visit_programme(self, programme: Programme) -> T:
        raise NotImplementedError


class InlineVisitor(Generic[T]):
    """Turns each inline node into a ``T``; a subclass defines every ``visit_*`` method."""

    def visit(self, node: Inline) -> T:
        """The rendering of ``node``, by the method for its class."""
        method = getattr(self, _INLINE_METHODS[type(node)])
        result: T = method(node)
        return result

    def visit_all(self, nodes: Iterable[Inline]) -> list[T]:
        """The renderings of ``nodes``, in order."""
        return [self.visit(n) for n in nodes]

    def visit_text(self, node: Text) -> T:
        raise NotImplementedError

    def visit_emphasis(self, node: Emphasis) -> T:
        raise NotImplementedError

    def visit_strong(self, node: Strong) -> T:
        raise NotImplementedError

    def visit_superscript(self, node: Superscript) -> T:
        raise NotImplementedError

    def visit_line_break(self, node: LineBreak) -> T:
        raise NotImplementedError

    def visit_foreign(self, node: ForeignSpan) -> T:
        raise NotImplementedError

    def visit_document_ref(self, node: DocumentRef) -> T:
        raise NotImplementedError

    def visit_link(self, node: Link) -> T:
        raise NotImplementedError

    def visit_footnote_ref(self, node: FootnoteRef) -> T:
        raise NotImplementedError

    def visit_table_note_ref(self, node: TableNoteRef) -> T:
        raise NotImplementedError

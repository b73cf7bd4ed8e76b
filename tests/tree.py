"""The fixture that holds every block and inline element of the general tree, as a model."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from pipeline.model.tree import (
    Cell,
    Document,
    Inline,
    Item,
    ItemList,
    Paragraph,
    Row,
    Section,
    Source,
    Table,
    Text,
)

EVERY_BLOCK = Path(__file__).resolve().parent / "fixtures" / "tree" / "every-block.xml"
"""A report with every block and inline element, footnotes marked and numbered, and an annex."""


@cache
def every_block_model() -> Document:
    """The model of :data:`EVERY_BLOCK`, validated like any source (schema and rules)."""
    from pipeline.build.render import model_of
    from pipeline.validate.check import validate_sources

    (checked,), problems = validate_sources([EVERY_BLOCK])
    assert not problems and checked.ok, checked.diagnostics
    return model_of(checked)


def _text(words: str, source: Source) -> tuple[Inline, ...]:
    return (Text(words, source),)


@cache
def every_level_model() -> Document:
    """:func:`every_block_model` with a part at the end of its body that the vocabulary's fixture lacks.

    The part holds a chapter, a section and two subsections ("1." numbered, then unnumbered);
    the first subsection has a table before its first subdivision, a bullet list with lettered
    subparagraphs between two, and an unnumbered paragraph after the last, and subdivisions of
    the deepest levels ("(a)", "(i)", "a."); the second holds blocks only.
    """
    document = every_block_model()
    src = document.source
    lettered = ItemList("lettered", 1, (Item(1, _text("only item", src), None, src),), src)
    under_bullet = ItemList("bullets", 1, (Item(1, _text("bullet", src), lettered, src),), src)
    table = Table((), (), (), (Row((Cell(_text("cell", src), False, 1, src),), src),), (), src)
    deepest = Section(6, None, _text("a. level", src), (Paragraph(9, _text("deep", src), src),), "x-1-1-1", src)
    deep = Section(4, 1, _text("(a) level", src), (
        Section(5, 1, _text("(i) level", src), (deepest,), "x-1-1", src),), "x-1", src)
    mixed = Section(3, 1, _text("Mixed", src), (
        table, deep, under_bullet, Section(4, 2, _text("(b) level", src), (), "x-2", src),
        Paragraph(None, _text("Closing words.", src), src)), "mixed", src)
    only_blocks = Section(3, None, _text("Only blocks", src), (Paragraph(None, _text("plain", src), src), lettered),
                          "blocks", src)
    part = Section(0, 1, _text("Part", src), (
        Section(1, 1, _text("Chapter", src), (
            Section(2, 1, _text("Section", src), (mixed, only_blocks), "p-1-1", src),), "p-1", src),), "part-1", src)
    return dataclasses.replace(document, body=(*document.body, part))

"""``undoc import``: a Word document (DOCX) into a canonical XML source.

The DOCX is read through pandoc's DOCX reader (:mod:`.read`). A document this project wrote
is recognised by its paragraph styles and read back style by style (:mod:`.own`); any other
draft is read the way people type in Word (:mod:`.draft`): labels typed by hand or Word's
numbering, bold lines as headings, tables, footnotes, symbols in running text. What cannot
be mapped is kept as a plain paragraph and reported as a diagnostic whose line is the
paragraph's place in the draft (1 for its first paragraph). The source is written indented
and in the schema's order, the same bytes for the same draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.diagnostics import Diagnostic, error
from pipeline.formats.docx.ast import STYLE_MASTHEAD_BLOCK
from pipeline.genres import GENRES
from pipeline.i18n import languages, wording_for

from .compose import Composer, relative_register
from .guess import guess_genre
from .inline import recognise_references
from .own import OwnReader, is_own, plain
from .read import Draft, DraftError, read_draft
from .registers import library_for
from .wording import language_of
from .write import serialize

__all__ = ["DraftError", "ImportResult", "guess_genre", "import_docx"]


@dataclass(frozen=True)
class ImportResult:
    """The source text (empty when the draft could not be read) and what the import reported."""

    text: str
    doc_type: str
    diagnostics: tuple[Diagnostic, ...]


def import_docx(draft: Path, output: Path, doc_type: str | None = None,
                sources: Path | None = None) -> ImportResult:
    """Import ``draft`` as a source to be written at ``output`` (its register is named relative to it).

    ``doc_type`` forces the genre; otherwise it is guessed from the symbol, title and contents.
    The registers and earlier sessions are looked for beside ``output`` and, when there are none
    there, in ``sources`` (the repository's sources folder).
    A file that is not a readable DOCX gives an ``import-unreadable`` error and no text.
    """
    shown = str(draft)
    try:
        read = read_draft(draft)
    except DraftError as exc:
        return ImportResult("", doc_type or "", (error(shown, 1, "import-unreadable",
                                                       f"cannot import {draft.name}: {exc}", 1),))
    library = library_for(output.parent.resolve())
    if not library.registers and sources is not None:
        library = library_for(sources.resolve())
    paras, footers = read.paras, read.footers
    composer = Composer(shown, doc_type or "report", read.pages)
    _report_what_is_not_text(read, composer)
    if is_own(paras):
        language = language_of(read.language, [plain(p.inlines) for p in paras if p.style == STYLE_MASTHEAD_BLOCK])
        w = wording_for(language)
        composer.facts.language = language
        reader = OwnReader(composer, library, w)
        start = reader.first_page(paras, footers)
        if doc_type is None:
            # the genre undoc built it as, else as its contents suggest
            composer.doc_type = read.category if read.category in GENRES else reader.genre(paras[start:])
        reader.blocks(paras[start:])
        register = reader.register
    else:
        from .draft import DraftReader

        draft_reader = DraftReader(composer, library, wording_for("en"), doc_type)
        draft_reader.read(paras, footers)
        register = draft_reader.register
        declared = read.language
        if declared and declared != "en" and declared in languages():
            # the words are the declared language's, the first-page lines were read as English ones
            composer.facts.language = composer.facts.original_language = declared
            composer.warn(1, "import-guess", f"the draft declares the language {declared!r}: the source is "
                          f"written as that version, but a typed draft's dates, session lines, labels and "
                          f"letter parts are read in English; check them against the draft")
    if register is not None:
        composer.facts.register = relative_register(register.path, output)
    root = composer.tree()
    if not is_own(paras):
        for element in root.iter():
            if element.tag in BLOCKS_WITH_TEXT:
                recognise_references(element)
    return ImportResult(serialize(root), composer.doc_type, tuple(composer.diagnostics))


BLOCKS_WITH_TEXT = frozenset(f"{{urn:undoc:1.0}}{t}" for t in (
    "p", "item", "heading", "td", "th", "caption", "footnote", "table-note", "title", "subtitle",
    "salutation", "closing", "addressee", "line", "segment", "agenda-line"))


def _report_what_is_not_text(read: Draft, composer: Composer) -> None:
    """A warning for each image (the vocabulary has none) and each text box (its words are
    imported after the paragraph it was anchored in), at the paragraph that holds it."""
    for para in read.paras:
        cells = [p for row in para.rows for cell in row for p in cell.paras]
        for holder in [para, *cells]:
            images = sum(1 for node in _nodes(holder.inlines) if node.get("t") == "Image")
            if images:
                composer.warn(para.index, "import-unmapped",
                              f"{'an image' if images == 1 else f'{images} images'} left out: a source holds "
                              "text only; describe what it shows in words, or add it to the published files by hand")
    for words in read.boxes:
        found = next((p.index for p in read.paras if plain(p.inlines).strip().startswith(words[:40])), 1)
        composer.warn(found, "import-guess", f"the words of a text box (“{words[:40]}…”) are imported as "
                                             "paragraphs after the paragraph it stood in; check their place")


def _nodes(value: object) -> Iterator[dict[str, object]]:
    """Every node of a pandoc AST fragment, depth first."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        yield value
        yield from _nodes(value.get("c"))

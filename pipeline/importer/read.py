"""A DOCX file as a flat sequence of paragraphs, read through pandoc's DOCX reader.

pandoc (``-f docx+styles``) keeps the name of each paragraph's style as a ``custom-style``
attribute, Word's own numbering as lists and footnotes as notes. This module flattens its
JSON AST into :class:`Para` records in reading order, each with its position in the draft
(``index``: the count of paragraphs before it, from 1), and reads the footers pandoc skips.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

Node = dict[str, Any]
"""A pandoc AST node."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class DraftError(Exception):
    """The file cannot be read as a Word document (not a DOCX, damaged, or pandoc failed)."""


@dataclass
class Cell:
    """A table cell: its paragraphs and how many columns it spans."""

    paras: list[Para]
    colspan: int


@dataclass
class Para:
    """One paragraph of the draft (or a table, with ``rows``)."""

    index: int
    """Its place in the draft: 1 for the first paragraph (the line of its diagnostics)."""
    style: str
    """The paragraph style ("UN Paragraph", "Heading 2", "Normal"), or "" when not known."""
    inlines: list[Node]
    header: int = 0
    """The heading level of a pandoc header (Word's "Heading n"), else 0."""
    list_kind: str = ""
    """"ordered" or "bullet" for an item of Word's own numbering, else ""."""
    list_depth: int = 0
    """1 for an item of a top-level list, 2 for one nested in it, …"""
    list_number: int = 0
    """The item's number (1 for the first) in an ordered list."""
    list_style: str = ""
    """pandoc's number style of the ordered list ("LowerAlpha", "Decimal", …)."""
    rows: list[list[Cell]] = field(default_factory=list)
    """The rows of a table; ``head`` of them are header rows."""
    head: int = 0
    caption: list[Node] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        """True for a table."""
        return bool(self.rows)


def pandoc_ast(path: Path) -> dict[str, Any]:
    """pandoc's JSON AST of the DOCX at ``path``; DraftError when it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise DraftError("it is a zip archive but not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise DraftError("it is not a Word document (.docx): not a zip archive") from None
    except OSError as exc:
        raise DraftError(f"it cannot be read: {exc.strerror or exc}") from None
    import pypandoc

    try:
        result = subprocess.run([pypandoc.get_pandoc_path(), "-f", "docx+styles", "-t", "json", str(path)],
                                capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DraftError(f"pandoc could not read it: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DraftError(f"pandoc could not read it: {message[-1] if message else result.returncode}")
    ast: dict[str, Any] = json.loads(result.stdout)
    return ast


def footer_texts(path: Path) -> list[str]:
    """The text of each footer part, in part-name order (pandoc does not read footers)."""
    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if re.fullmatch(r"word/footer\d*\.xml", n)):
            try:
                root = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError:
                continue
            texts.append(" ".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in root.iter(f"{{{W}}}p")))
    return texts


_DC = "{http://purl.org/dc/elements/1.1/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"


def _core_properties(path: Path) -> tuple[str, str]:
    """The language the file's properties declare (``dc:language``, "fr" for "fr-FR") and their
    category (``cp:category``, where undoc writes the genre); "" for each that is not there."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")
        root = etree.fromstring(core, etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return "", ""
    language, category = root.findtext(f"{_DC}language") or "", root.findtext(f"{_CP}category") or ""
    return language.strip().split("-")[0].lower(), category.strip()


class Flattener:
    """Walks pandoc's blocks into :class:`Para` records, counting paragraphs as it goes."""

    def __init__(self) -> None:
        self.count = 0

    def blocks(self, blocks: list[Node], style: str = "", depth: int = 0) -> list[Para]:
        out: list[Para] = []
        for block in blocks:
            out += self.block(block, style, depth)
        return out

    def next_index(self) -> int:
        self.count += 1
        return self.count

    def block(self, block: Node, style: str, depth: int) -> list[Para]:
        kind: str = block["t"]
        content: Any = block.get("c")
        if kind in ("Para", "Plain"):
            return [Para(self.next_index(), style, content)]
        if kind == "Header":
            level, attr, inlines = content
            header_style = dict(attr[2]).get("custom-style", f"Heading {level}")
            return [Para(self.next_index(), header_style, inlines, header=level)]
        if kind == "Div":
            attr, inner = content
            return self.blocks(inner, dict(attr[2]).get("custom-style", style), depth)
        if kind in ("OrderedList", "BulletList"):
            if kind == "OrderedList":
                (start, number_style, _), items = content[0], content[1]
                number_style = number_style["t"]
            else:
                start, number_style, items = 1, "", content
            out: list[Para] = []
            for offset, item in enumerate(items):
                inner = self.blocks(item, style, depth + 1)
                first = next((p for p in inner if not p.list_kind and not p.is_table), None)
                if first is not None:
                    first.list_kind = "ordered" if kind == "OrderedList" else "bullet"
                    first.list_depth = depth + 1
                    first.list_number = start + offset
                    first.list_style = number_style
                out += inner
            return out
        if kind == "Table":
            return [self.table(content)]
        if kind == "BlockQuote":
            return self.blocks(content, style or "Quote", depth)
        if kind == "LineBlock":
            return [Para(self.next_index(), style, [i for line in content for i in [*line, {"t": "LineBreak"}]][:-1])]
        return []

    def blocks_quietly(self, blocks: list[Node]) -> list[Para]:
        """Paragraphs not counted as paragraphs of the draft (a table's caption)."""
        count = self.count
        found = self.blocks(blocks)
        self.count = count
        return found

    def table(self, content: list[Any]) -> Para:
        _, caption, colspecs, head, bodies, _ = content
        index = self.next_index()
        caption_inlines = [i for p in self.blocks_quietly(caption[1]) for i in p.inlines]
        widths = [spec[1].get("c", 0.0) if isinstance(spec[1], dict) else 0.0 for spec in colspecs]

        def rows(source: list[Any]) -> list[list[Cell]]:
            return [[Cell(self.blocks(cell[4]), cell[3]) for cell in row[1]] for row in source]

        head_rows = rows(head[1])
        body_rows = [r for body in bodies for r in (rows(body[2]) + rows(body[3]))]
        return Para(index, "", [], rows=head_rows + body_rows, head=len(head_rows), caption=caption_inlines,
                    widths=widths)


def meta_paragraphs(meta: dict[str, Any]) -> list[Para]:
    """The paragraphs pandoc takes into metadata: Word's "Title" and "Subtitle" styles."""
    found = []
    for key, style in (("title", "Title"), ("subtitle", "Subtitle")):
        value = meta.get(key)
        if value and value.get("t") == "MetaInlines":
            found.append(Para(0, style, value["c"]))
    return found


def word_paragraphs(path: Path) -> tuple[list[str], list[int]]:
    """The text of every paragraph of the main document in Word's order (table cells included), and
    the page each one starts on as far as the file tells (0 for all when it has no page breaks).

    A page starts at a hard page break, a paragraph set to start a page, or where Word last laid
    out a new page (``w:lastRenderedPageBreak``, written by Word when it saves).
    """
    with zipfile.ZipFile(path) as archive:
        try:
            root = etree.fromstring(archive.read("word/document.xml"),
                                    etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
        except (etree.XMLSyntaxError, KeyError):
            return [], []
    texts, pages = [], []
    page, breaks = 1, False
    for p in root.iter(f"{{{W}}}p"):
        before = p.find(f"{{{W}}}pPr/{{{W}}}pageBreakBefore")
        if before is not None and before.get(f"{{{W}}}val", "true") not in ("0", "false"):
            page, breaks = page + 1, True
        rendered = p.find(f".//{{{W}}}lastRenderedPageBreak")
        if rendered is not None:
            page, breaks = page + 1, True
        texts.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
        pages.append(page)
        if any(b.get(f"{{{W}}}type") == "page" for b in p.iter(f"{{{W}}}br")):
            page, breaks = page + 1, True
    return texts, pages if breaks else [0] * len(pages)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def number_as_word(paras: list[Para], texts: list[str]) -> None:
    """Give each paragraph its number in Word's count (empty paragraphs included), where its text is found."""
    from .inline import plain

    words = [_squeezed(t) for t in texts]
    position = 0

    def walk(items: list[Para]) -> None:
        nonlocal position
        for para in items:
            if para.is_table:
                para.index = position + 1
                for row in para.rows:
                    for cell in row:
                        walk(cell.paras)
                continue
            wanted = _squeezed(plain([n for n in para.inlines if n["t"] != "Note"]))
            para.index = max(position, 1)  # where it is not found: after the last paragraph found
            if not wanted:
                continue
            for index in range(position, len(words)):
                if words[index] == wanted or (len(wanted) > 8 and words[index].endswith(wanted)):
                    para.index = index + 1
                    position = index + 1
                    break

    walk(paras)


DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
"""Left-to-right, right-to-left and Arabic letter marks: they order the text, they are not words of it."""


def _direction_only(node: Any) -> bool:
    if not (isinstance(node, dict) and node.get("t") == "Span"):
        return False
    identifier, classes, attributes = node["c"][0]
    return not identifier and not classes and all(key == "dir" for key, _ in attributes)


def without_direction(value: Any) -> Any:
    """pandoc's AST without what only sets the direction of the text: spans of a ``dir`` alone
    (their words kept in their place, adjacent words joined again) and direction marks."""
    if isinstance(value, list):
        unwrapped = any(_direction_only(v) for v in value)
        items: list[Any] = []
        for item in value:
            for node in (item["c"][1] if _direction_only(item) else [item]):
                node = without_direction(node)
                if unwrapped and items and isinstance(node, dict) and node.get("t") == "Str" \
                        and isinstance(items[-1], dict) and items[-1].get("t") == "Str":
                    items[-1] = {"t": "Str", "c": items[-1]["c"] + node["c"]}
                else:
                    items.append(node)
        return items
    if isinstance(value, dict):
        if value.get("t") == "Str" and isinstance(value.get("c"), str):
            return {"t": "Str", "c": value["c"].translate(DIRECTION_MARKS)}
        return {key: without_direction(inner) for key, inner in value.items()}
    return value


@dataclass(frozen=True)
class Draft:
    """What :func:`read_draft` reads of a DOCX."""

    paras: list[Para]
    """The paragraphs, the title first (pandoc reads it into metadata), each numbered as Word
    counts paragraphs."""
    footers: list[str]
    """The text of each footer part."""
    pages: list[int]
    """The page of each paragraph by its number (0 when the file does not tell)."""
    boxes: list[str]
    """The words of each text box, moved out of its paragraph to stand after it."""
    language: str = ""
    """The language the file's properties declare ("fr" for "fr-FR"), or ""."""
    category: str = ""
    """The category the file's properties declare (undoc writes the genre there), or ""."""


def read_draft(path: Path) -> Draft:
    """The paragraphs, footers, pages, text boxes and declared properties of the DOCX at ``path``.

    pandoc keeps only the words of a text box and drops those of the paragraph it is anchored
    in; each box's paragraphs are therefore moved out first, to follow that paragraph.
    """
    with _boxes_moved_out(path) as (readable, boxes):
        ast = without_direction(pandoc_ast(readable))
        texts, pages = word_paragraphs(readable)
    paras = Flattener().blocks(ast.get("blocks", []))
    title = meta_paragraphs(ast.get("meta", {}))
    number_as_word(title + paras, texts)
    for para in title:
        if para.index == 0:
            para.index = 1
    return Draft(sorted(title + paras, key=lambda p: p.index), footer_texts(path), pages, boxes,
                 *_core_properties(path))


_TEXT_BOX = f"{{{W}}}txbxContent"


@contextmanager
def _boxes_moved_out(path: Path) -> Iterator[tuple[Path, list[str]]]:
    """``path`` itself when its document has no text box; else a copy of it in which the
    paragraphs of each text box follow the paragraph the box was anchored in (a box drawn two
    ways, DrawingML and VML, is taken once), and the words of each box."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("word/document.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        yield path, []
        return
    if b"txbxContent" not in data:
        yield path, []
        return
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError:
        yield path, []
        return
    boxes: list[str] = []
    runs = [r for r in root.iter(f"{{{W}}}r")
            if next(r.iter(_TEXT_BOX), None) is not None and next(r.iterancestors(_TEXT_BOX), None) is None]
    for run in runs:
        anchor = next(run.iterancestors(f"{{{W}}}p"), None)
        box = next(run.iter(_TEXT_BOX))
        moved = [deepcopy(p) for p in box.iterchildren(f"{{{W}}}p")]
        boxes.append(" ".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in moved).strip())
        run.getparent().remove(run)
        if anchor is not None:
            for paragraph in reversed(moved):
                anchor.addnext(paragraph)
    with tempfile.TemporaryDirectory(prefix="undoc-import-") as folder:
        copy = Path(folder) / "draft.docx"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                target.writestr(item, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                                if item.filename == "word/document.xml" else source.read(item.filename))
        yield copy, boxes

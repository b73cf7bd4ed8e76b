"""Load XML sources safely: one parser configuration for the whole project.

A source is refused, with a diagnostic that says why and where, before the XML parser
sees it when it is not UTF-8 text, is another kind of file (an image, a DOCX), is too large,
or carries a DOCTYPE (the door to entity expansion and external DTDs). The parser itself
loads no DTD, expands no entity, fetches nothing (every resolver request is refused and
reported), never processes XInclude, and keeps whitespace (UN prose is mixed content:
stripping "blank" text would lose real spaces). Problems come back as diagnostics, never
as exceptions.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.diagnostics import Diagnostic, error

NAMESPACE = "urn:undoc:1.0"
"""The namespace of the canonical vocabulary, version 1."""

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Largest source accepted; a programme of work is a few tens of kilobytes."""

MAX_DEPTH = 64
"""Deepest element nesting accepted; the vocabulary needs fewer than ten levels."""

MAX_ELEMENTS = 200_000
"""Most elements accepted in one source; a three-week conference needs a few thousand."""

XINCLUDE_NAMESPACE = "http://www.w3.org/2001/XInclude"

_PARSER_DEPTH_LIMIT = 256
"""Where libxml2 itself stops (without its "huge" option, which is never set)."""


def q(local: str) -> str:
    """The Clark name ``{urn:undoc:1.0}local`` of a vocabulary element."""
    return f"{{{NAMESPACE}}}{local}"


class _RefusingResolver(etree.Resolver):  # type: ignore[misc]
    """Answers every request for an external resource with nothing, and remembers it.

    libxml2 asks for an external DTD even when DTD loading is off; a resolver is the one
    place where every such request passes, so none of them reaches the file system or
    the network.
    """

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        self.requests.append(system_url or public_id or "?")
        return self.resolve_string("", context)


def _parser() -> tuple[etree.XMLParser, _RefusingResolver]:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=False,
    )
    resolver = _RefusingResolver()
    parser.resolvers.add(resolver)
    return parser, resolver


@dataclass(frozen=True)
class Loaded:
    """A parsed source: its path as reported, its tree (None when it could not be read)
    and its text, line by line (for the columns of diagnostics)."""

    path: str
    tree: etree._ElementTree | None
    lines: tuple[str, ...] = field(default=(), compare=False)


def display_path(path: Path) -> str:
    """The path as diagnostics print it: relative to the working folder when inside it.

    Symbolic links are not followed: a link is named as the link, not as what it points to.
    """
    try:
        return os.path.relpath(os.path.abspath(path)) if _under_cwd(path) else str(path)
    except (ValueError, OSError):
        return str(path)


def _under_cwd(path: Path) -> bool:
    here = os.getcwd()
    return os.path.commonpath([os.path.abspath(path), here]) == here


def read_limited(path: Path, shown: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a regular file no larger than :data:`MAX_FILE_BYTES`, or why not.

    Only regular files are read (a FIFO or a device would block or never end), and never
    more than the limit, whatever the file system says its size is.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, [error(shown, 1, "file-unreadable",
                                "this is not a regular file (a folder, a device or a pipe); "
                                "name an XML file", 1)]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(shown, info.st_size)]
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return None, [error(shown, 1, "file-unreadable", f"cannot read the file: {reason}", 1)]
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(shown, len(data))]
    return data, []


def _too_large(shown: str, size: int) -> Diagnostic:
    return error(shown, 1, "xml-too-large",
                 f"the file is {size} bytes; sources are limited to {MAX_FILE_BYTES} bytes "
                 f"({MAX_FILE_BYTES // (1024 * 1024)} MiB); split it or remove what does not belong", 1)


def load(path: Path) -> tuple[Loaded, list[Diagnostic]]:
    """Parse one source file; return the tree and any problems found on the way."""
    shown = display_path(path)
    data, problems = read_limited(path, shown)
    if data is None:
        return Loaded(shown, None), problems
    return parse_bytes(data, shown)


# ---------------------------------------------------------------- before parsing

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a DOCX, XLSX or ODT file is one)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

_DECLARED_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")

_PROLOG_DOCTYPE = re.compile(
    # each alternative matches one way only, so a failing match cannot backtrack exponentially
    r"\A\ufeff?(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->)*<!DOCTYPE\b")

_ENTITY_DECLARATION = re.compile(
    r"""<!ENTITY\s+(%\s+)?([^\s>]+)\s+(?:(SYSTEM|PUBLIC)\s+(?:"[^"]*"\s+|'[^']*'\s+)?("[^"]*"|'[^']*'))?""")

_EXTERNAL_DTD = re.compile(r"""<!DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s*("[^"]*"|'[^']*')""")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _not_xml(data: bytes, shown: str) -> Diagnostic | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return error(shown, 1, "xml-not-xml",
                         f"this is {kind}, not XML; a source is a UTF-8 XML text file "
                         f"(<document> or <register>)", 1)
    if b"\x00" in data[:4096] and not any(data.startswith(b) for b, _ in _BOMS):
        return error(shown, 1, "xml-not-xml",
                     "this is binary data (it contains NUL bytes), not XML text", 1)
    return None


def _encoding_problem(data: bytes, shown: str) -> tuple[str | None, Diagnostic | None]:
    """The text of ``data`` when it is UTF-8 as a source must be, else the problem."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return None, error(shown, 1, "xml-encoding",
                               f"the file is encoded in {name} (it starts with a {name} byte order "
                               f"mark); save it as UTF-8", 1)
    declared = _DECLARED_ENCODING.match(data)
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        if name.strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
            return None, error(shown, 1, "xml-encoding",
                               f'the XML declaration says encoding="{name}"; sources are UTF-8: '
                               f'save the file as UTF-8 and write encoding="UTF-8"',
                               declared.start(1) + 1)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        start = 3 if data.startswith(codecs.BOM_UTF8) else 0
        good = data[start:exc.start].decode("utf-8")
        line, column = _line_col(good, len(good))
        byte = data[exc.start]
        hint = (" (it looks like Windows-1252 or Latin-1)" if 0x80 <= byte <= 0xFF else "")
        return None, error(shown, line, "xml-encoding",
                           f"byte 0x{byte:02X} at line {line}, column {column} is not valid UTF-8"
                           f"{hint}; save the file as UTF-8", column)


def _doctype_problem(text: str, shown: str) -> Diagnostic | None:
    found = _PROLOG_DOCTYPE.match(text)
    if found is None:
        return None
    start = found.end() - len("<!DOCTYPE")
    line, column = _line_col(text, start)
    end = text.find("]>", start)
    declaration = text[start:end if end >= 0 else start + 4096]
    details: list[str] = []
    internal, external, parameter = [], [], []
    for match in _ENTITY_DECLARATION.finditer(declaration):
        name = match.group(2)
        if match.group(3):
            name = f"{name} ({match.group(4)[1:-1]})"
        if match.group(1):
            parameter.append(name)
        elif match.group(3):
            external.append(name)
        else:
            internal.append(name)
    if internal:
        details.append(f"declares {len(internal)} internal entit{'y' if len(internal) == 1 else 'ies'} "
                       f"({_few(internal)})")
    if external:
        details.append(f"declares the external entit{'y' if len(external) == 1 else 'ies'} {_few(external)}")
    if parameter:
        details.append(f"declares the parameter entit{'y' if len(parameter) == 1 else 'ies'} {_few(parameter)}")
    dtd = _EXTERNAL_DTD.match(declaration)
    if dtd:
        details.append(f"refers to the external DTD {dtd.group(1)[1:-1]}")
    what = f" (this one {'; '.join(details)})" if details else ""
    return error(shown, line, "xml-doctype",
                 f"a DOCTYPE declaration is not allowed in a source{what}; nothing was loaded "
                 f"or expanded: remove the DOCTYPE and write characters themselves", column)


def _few(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# ---------------------------------------------------------------- parsing


def parse_bytes(data: bytes, shown: str) -> tuple[Loaded, list[Diagnostic]]:
    """Parse the bytes of a source named ``shown`` in diagnostics."""
    if len(data) > MAX_FILE_BYTES:
        return Loaded(shown, None), [_too_large(shown, len(data))]
    if not data.strip():
        return Loaded(shown, None), [error(shown, 1, "xml-empty",
                                           "the file is empty; a source must hold one XML document", 1)]
    refused = _not_xml(data, shown)
    if refused:
        return Loaded(shown, None), [refused]
    text, problem = _encoding_problem(data, shown)
    if text is None:
        assert problem is not None
        return Loaded(shown, None), [problem]
    doctype = _doctype_problem(text, shown)
    if doctype:
        return Loaded(shown, None), [doctype]
    lines = source_lines(text)
    parser, resolver = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return Loaded(shown, None, lines), [_syntax_diagnostic(exc, shown, lines)]
    tree = etree.ElementTree(root)
    problems = _unsafe_constructs(tree, shown, lines)
    problems.extend(error(shown, 1, "xml-external",
                          f"the source asks for the external resource {url!r}; it was not loaded: "
                          f"sources may not refer to files or addresses", 1)
                    for url in resolver.requests)
    if problems:
        return Loaded(shown, None, lines), problems
    return Loaded(shown, tree, lines), []


_XML_ENTITIES = "&amp; &lt; &gt; &quot; &apos;"


def _syntax_diagnostic(exc: etree.XMLSyntaxError, shown: str, lines: tuple[str, ...]) -> Diagnostic:
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    raw = (exc.msg or "not well-formed XML")
    message = re.sub(r", line \d+, column \d+$", "", raw)
    code = "xml-syntax"
    undefined = re.match(r"Entity '([^']*)' not defined", message)
    if undefined:
        code = "xml-entity"
        message = (f"the entity &{undefined.group(1)}; is not defined (XML knows only "
                   f"{_XML_ENTITIES}); write the character itself")
    elif message.startswith("Excessive depth in document"):
        code = "xml-too-deep"
        message = (f"elements are nested more than {_PARSER_DEPTH_LIMIT} levels deep; sources are "
                   f"limited to {MAX_DEPTH} levels (the vocabulary needs fewer than ten)")
    elif "amplification" in message or "entity reference loop" in message:
        code = "xml-entity"
        message = f"entity expansion refused ({message}); write the text itself"
    elif mismatch := re.match(r"Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)", message):
        opened, at, closing = mismatch.group(1), int(mismatch.group(2)), mismatch.group(3)
        message = (f"<{opened}> is not closed: </{closing}> at line {line} comes first; write </{opened}> "
                   f"where it ends")
        if 0 < at <= len(lines):  # reported where the element opens, the place to look
            found = re.search(rf"<{re.escape(opened)}(?=[\s/>]|$)", lines[at - 1])
            line, column = at, found.start() + 1 if found else 1
    elif message.startswith("Start tag expected") and (line, column) <= (1, 1):
        code = "xml-not-xml"
        message = "this is not XML: a source begins with <?xml …?> or an element such as <document>"
    elif _at_end(line, column, lines) or message.startswith("Premature end of data"):
        open_tag = re.search(r"in tag (\S+) line (\d+)", message)
        where = (f": <{open_tag.group(1)}> opened at line {open_tag.group(2)} is never closed"
                 if open_tag else "")
        message = f"the file ends too early{where}; is it truncated? ({message})"
    else:
        message = f"{message}; fix the XML at this position"
    if line > len(lines) and lines:
        line, column = len(lines), len(lines[-1]) + 1
    return error(shown, line or 1, code, message, column or 1)


def _at_end(line: int, column: int, lines: tuple[str, ...]) -> bool:
    """True when a parser error points at the end of the input (a cut-off file)."""
    if not lines or line > len(lines):
        return True
    last = len(lines)
    while last > 1 and not lines[last - 1].strip():
        last -= 1
    return line > last or (line == last and column >= len(lines[last - 1].rstrip()))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> tuple[str, ...]:
    """The lines of a source as the XML parser counts them: broken at CR, LF and CR LF only.

    (``str.splitlines`` also breaks at U+0085, U+2028 and U+2029, which XML keeps as text:
    every later line number would be off.)
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


@functools.lru_cache(maxsize=256)
def _start_tag(local: str) -> re.Pattern[str]:
    """The start tag of an element named ``local``, with any prefix."""
    return re.compile(rf"<(?:[\w.-]+:)?{re.escape(local)}(?=[\s/>]|$)")


def tag_column(lines: tuple[str, ...], line: int, element: etree._Element) -> int:
    """1-based column of ``element``'s start tag on ``line``, or 0 when it cannot be found.

    When several elements of that name start on the line, the column is that of the one
    ``element`` is (counted in document order).
    """
    if not (0 < line <= len(lines)) or not isinstance(element.tag, str):
        return 0
    pattern = _start_tag(etree.QName(element).localname)
    text = lines[line - 1]
    first = pattern.search(text)
    if first is None:
        return 0
    if pattern.search(text, first.end()) is None:
        return first.start() + 1  # the only one on its line: no need to count those before it
    earlier = _earlier_on_line(element, line)
    if earlier:
        for index, match in enumerate(pattern.finditer(text, first.end())):
            if index + 1 == earlier:
                return match.start() + 1
    return first.start() + 1


_WALK_LIMIT = 1000
"""How far back :func:`_earlier_on_line` looks; a line is seldom this crowded."""


def _earlier_on_line(element: etree._Element, line: int) -> int:
    """How many elements named like ``element`` start before it on ``line`` (0 when more
    than :data:`_WALK_LIMIT` nodes would have to be looked at to know)."""
    count = 0
    node: etree._Element | None = element
    for _ in range(_WALK_LIMIT):
        assert node is not None
        previous = node.getprevious()
        if previous is not None:
            while len(previous):
                previous = previous[-1]
            node = previous
        else:
            node = node.getparent()
        if node is None or (node.sourceline or 0) < line:
            return count
        if node.tag == element.tag and node.sourceline == line:
            count += 1
    return 0


def attribute_column(lines: tuple[str, ...], line: int, element: etree._Element, name: str) -> int:
    """1-based column of attribute ``name`` in ``element``'s start tag on ``line``; the
    column of the tag when the attribute is not on that line, 0 when neither is found."""
    start = tag_column(lines, line, element)
    if start == 0:
        return 0
    local = name.rsplit("}", 1)[-1]
    tag_end = lines[line - 1].find(">", start)
    found = re.compile(rf"(?<=[\s])(?:[\w.-]+:)?{re.escape(local)}\s*=").search(
        lines[line - 1], start, tag_end if tag_end >= 0 else len(lines[line - 1]))
    return found.start() + 1 if found else start


_TAG_SPAN = 50
"""How many lines back :func:`tag_position` looks for a start tag whose attributes run over several."""


def tag_position(lines: tuple[str, ...], element: etree._Element) -> tuple[int, int]:
    """1-based line and column where ``element``'s start tag begins (column 0 when not found).

    libxml2 numbers an element by the line its start tag ends on, so a tag whose attributes
    run over several lines is looked for on the lines before too.
    """
    line = element.sourceline or 0
    column = tag_column(lines, line, element)
    if column or not isinstance(element.tag, str) or not 0 < line <= len(lines):
        return line, column
    pattern = _start_tag(etree.QName(element).localname)
    for earlier in range(line - 1, max(0, line - _TAG_SPAN), -1):
        found = [match.start() for match in pattern.finditer(lines[earlier - 1])]
        if found:
            return earlier, found[-1] + 1
    return line, 0


def attribute_position(lines: tuple[str, ...], element: etree._Element, name: str) -> tuple[int, int]:
    """1-based line and column of attribute ``name`` in ``element``'s start tag, whichever of
    the tag's lines it is on; those of the tag when the attribute is not found."""
    line, column = tag_position(lines, element)
    if not column:
        return line, column
    local = name.rsplit("}", 1)[-1]
    pattern = re.compile(rf"(?:^|(?<=\s))(?:[\w.-]+:)?{re.escape(local)}\s*=")
    for number in range(line, min(max(element.sourceline or line, line), len(lines)) + 1):
        text = lines[number - 1]
        start = column if number == line else 0
        end = text.find(">", start)
        found = pattern.search(text, start, end if end >= 0 else len(text))
        if found:
            return number, found.start() + 1
        if end >= 0:
            break
    return line, column


def _unsafe_constructs(tree: etree._ElementTree, shown: str, lines: tuple[str, ...]) -> list[Diagnostic]:
    """Refuse what the parser tolerates but a source must not contain."""
    problems: list[Diagnostic] = []
    depth = 0
    count = 0
    depth_reported = False
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        count += 1
        if count > MAX_ELEMENTS:
            line, column = tag_position(lines, element)
            problems.append(error(shown, line, "xml-too-large",
                                  f"the file holds more than {MAX_ELEMENTS} elements, the limit "
                                  f"for one source; split it", column or 1))
            break
        if depth > MAX_DEPTH and not depth_reported:
            depth_reported = True
            line, column = tag_position(lines, element)
            problems.append(error(shown, line, "xml-too-deep",
                                  f"elements are nested more than {MAX_DEPTH} levels deep here; "
                                  f"the vocabulary needs fewer than ten", column or 1))
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{XINCLUDE_NAMESPACE}}}"):
            href = element.get("href")
            line, column = tag_position(lines, element)
            problems.append(error(shown, line, "xml-xinclude",
                                  f"XInclude{f' of {href!r}' if href else ''} is not allowed in a source "
                                  f"(nothing was included); shared content lives in a register", column or 1))
    for node in tree.iter(etree.Entity):
        line = node.sourceline or 0
        found = lines[line - 1].find(f"&{node.name};") if 0 < line <= len(lines) else -1
        problems.append(error(shown, line, "xml-entity",
                              f"entity reference &{node.name}; is not allowed; write the character itself",
                              found + 1 if found >= 0 else 1))
    return problems

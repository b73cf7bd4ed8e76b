"""The rule framework: the context a rule sees, the registry, the checks before the rules, helpers."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.model.register import Register
from pipeline.sources.load import q, tag_position

Position = tuple[int, int]
"""A 1-based line and column."""

Finding = tuple[etree._Element, str] | tuple[etree._Element, str, Position]
"""An element and what is wrong with it; optionally the exact place in its text."""

DOCUMENT = "document"
REGISTER = "register"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the tree of a document (with its register) or of a register."""

    path: str
    root: etree._Element
    register: Register | None
    source_lines: tuple[str, ...]

    @property
    def kind(self) -> str:
        """``"document"`` or ``"register"``: the root element's name."""
        return str(etree.QName(self.root).localname)

    @functools.cached_property
    def language(self) -> str:
        """The language of a document version ("" for a register), read once."""
        return (self.root.findtext(f"{q('masthead')}/{q('language')}") or "").strip()

    def position(self, element: etree._Element) -> Position:
        """1-based line and column of the element's start tag."""
        return tag_position(self.source_lines, element)

    @functools.cached_property
    def runs(self) -> tuple[TextRun, ...]:
        """Every run of printed text (see :func:`text_runs`), computed once."""
        return tuple(text_runs(self.root))

    @functools.cached_property
    def all_runs(self) -> tuple[TextRun, ...]:
        """Every text node of the source, printed or not (comments are not text), computed once."""
        return tuple(text_runs(self.root, None))


@dataclass(frozen=True)
class Rule:
    """A business rule with its stable code."""

    code: str
    summary: str
    severity: Severity
    check: Callable[[RuleContext], Iterable[Finding]]
    applies_to: tuple[str, ...] = (DOCUMENT,)

    @property
    def description(self) -> str:
        """The longer explanation: the rule function's docstring."""
        return " ".join((self.check.__doc__ or "").split())

    def run(self, context: RuleContext) -> Iterator[Diagnostic]:
        """Diagnostics for every finding of this rule in ``context``."""
        if context.kind not in self.applies_to:
            return
        for finding in self.check(context):
            if len(finding) == 3:
                element, message, (line, column) = finding
            else:
                element, message = finding
                line, column = context.position(element)
            yield Diagnostic(context.path, line, column, self.severity, self.code, message)


RULES: list[Rule] = []
"""Every rule, in the order they run and are documented."""

RuleFunction = Callable[[RuleContext], Iterable[Finding]]


def rule(code: str, summary: str, severity: Severity = Severity.ERROR,
         applies_to: tuple[str, ...] = (DOCUMENT,)) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under ``code``."""

    def bind(check: RuleFunction) -> RuleFunction:
        if any(r.code == code for r in RULES) or any(c.code == code for c in STAGE_CHECKS):
            raise ValueError(f"rule code {code} used twice")
        RULES.append(Rule(code, summary, severity, check, applies_to))
        return check

    return bind


def run_rules(context: RuleContext) -> list[Diagnostic]:
    """All diagnostics of all rules for one document or register."""
    return [d for r in RULES for d in r.run(context)]


@dataclass(frozen=True)
class Check:
    """A check made before the rules, by the loader, the schema or the driver."""

    code: str
    summary: str
    severity: Severity
    stage: str


STAGE_CHECKS: tuple[Check, ...] = (
    Check("config-invalid", "The configuration (undoc.toml or [tool.undoc]) can be read and is valid TOML.",
          Severity.ERROR, "config"),
    Check("config-key", "The configuration has only known keys.", Severity.ERROR, "config"),
    Check("config-value", "Configuration values have their form: folders, formats, time zones, paper, emblem.",
          Severity.ERROR, "config"),
    Check("file-unreadable", "The source is a regular file that can be read.", Severity.ERROR, "read"),
    Check("xml-too-large", "The source stays within the size limits (8 MiB, 200 000 elements).",
          Severity.ERROR, "read"),
    Check("xml-empty", "The source is not empty.", Severity.ERROR, "read"),
    Check("xml-not-xml", "The source is XML text, not an image, an archive (DOCX) or other binary data.",
          Severity.ERROR, "read"),
    Check("xml-encoding", "The source is UTF-8 and says so (or says nothing).", Severity.ERROR, "read"),
    Check("xml-doctype", "The source has no DOCTYPE: no entity declarations, no external DTD.",
          Severity.ERROR, "parse"),
    Check("xml-entity", "The source uses no entity references other than XML's own five.",
          Severity.ERROR, "parse"),
    Check("xml-external", "The source asks for no external resource.", Severity.ERROR, "parse"),
    Check("xml-syntax", "The source is well-formed XML (not truncated, tags closed).",
          Severity.ERROR, "parse"),
    Check("xml-too-deep", "Elements are nested at most 64 levels deep.", Severity.ERROR, "parse"),
    Check("xml-xinclude", "The source uses no XInclude.", Severity.ERROR, "parse"),
    Check("source-outside", "A source file (or the file a symbolic link points to) lies inside "
          "its sources folder.", Severity.ERROR, "read"),
    Check("not-undoc", "The root element is in the urn:undoc:1.0 namespace.", Severity.ERROR, "schema"),
    Check("wrong-root", "A document source holds a <document>, a register a <register>.",
          Severity.ERROR, "schema"),
    Check("schema", "The source is valid against schemas/undoc-1.0.xsd.", Severity.ERROR, "schema"),
    Check("register-outside", "The register a document refers to lies inside the sources folder.",
          Severity.ERROR, "register"),
    Check("register-missing", "The register a document refers to exists.", Severity.ERROR, "register"),
    Check("register-invalid", "The register a document refers to has no errors.",
          Severity.ERROR, "register"),
    Check("version-structure", "Language versions of one document (x.xml, x.fr.xml) agree in structure: "
          "paragraphs, notes, items, times.", Severity.ERROR, "versions"),
    Check("symbol-duplicate", "No two documents (other than language versions of one) bear the same symbol.",
          Severity.WARNING, "versions"),
    Check("model-failed", "The document model is built from the validated source (a failure is a "
          "bug of the pipeline).", Severity.ERROR, "build"),
    Check("render-failed", "Every renderer produced its output.", Severity.ERROR, "build"),
    Check("write-failed", "Every output could be written.", Severity.ERROR, "build"),
    Check("output-clash", "No two sources write the same output files (sources of one name in "
          "different folders).", Severity.ERROR, "build"),
    Check("import-unreadable", "A file given to `undoc import` is a Word document (DOCX) that can be read.",
          Severity.ERROR, "import"),
    Check("import-guess", "What `undoc import` guessed from a draft is reported at its paragraph, to be checked.",
          Severity.WARNING, "import"),
    Check("import-unmapped", "What `undoc import` could not map is kept as a plain paragraph, and reported.",
          Severity.WARNING, "import"),
    Check("manifest-damaged", "The build manifest can be read (what cannot is built again).",
          Severity.WARNING, "build"),
)
"""Checks made before (and after) the rules, with the codes their diagnostics carry."""


def catalogue() -> list[Check | Rule]:
    """Every code a diagnostic can carry: the stage checks, then the rules."""
    return [*STAGE_CHECKS, *RULES]


def severity_of(code: str) -> Severity | None:
    """The default severity of ``code``, or None when no check has that code."""
    for entry in catalogue():
        if entry.code == code:
            return entry.severity
    return None


# ---------------------------------------------------------------- helpers

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

OFFICIAL_LANGUAGES = {"ar": "Arabic", "zh": "Chinese", "en": "English",
                      "fr": "French", "ru": "Russian", "es": "Spanish"}
"""The six official languages of the United Nations, by ISO 639-1 code."""

PROSE = frozenset(q(t) for t in (
    "title", "subtitle", "ga-session", "agenda-line", "heading", "p", "item", "caption", "th", "td",
    "table-note", "addressee", "salutation", "closing", "name", "function", "where", "for", "read",
    "line", "segment", "wording", "footnote", "em", "strong", "sup", "span", "link", "place",
    "body-name"))
"""Elements whose text is printed as running text: every element of mixed content of the
vocabulary, and the lines and names of the masthead and the programme."""


_ANNEX = q("annex")


def text_language(element: etree._Element, default: str) -> str:
    """The language of the text of ``element``: its nearest ``xml:lang``, else the
    ``original-language`` of the annex it stands in (an annex issued in that language only),
    else ``default`` (the document's)."""
    for node in (element, *element.iterancestors()):
        value = node.get(XML_LANG) or (node.get("original-language") if node.tag == _ANNEX else None)
        if value and value.strip():
            return str(value).strip()
    return default


def parse_date(value: str | None) -> dt.date | None:
    """The date of ``YYYY-MM-DD``, or None when no such day exists."""
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def parse_time(value: str | None) -> dt.time | None:
    """The time of ``HH:MM``, or None."""
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        return None


def _issue_date(ctx: RuleContext) -> tuple[etree._Element, dt.date] | None:
    element = ctx.root.find(f"{q('masthead')}/{q('date')}")
    if element is None:
        return None
    date = parse_date((element.text or "").strip())
    return (element, date) if date else None


def _date_fields(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """Every date in a document: element, what it is, its text."""
    for el in root.iter(q("date")):
        yield el, "the issue date", (el.text or "").strip()
    for el in root.iter(q("dates")):
        yield el, "the session's first day", el.get("start", "")
        yield el, "the session's last day", el.get("end", "")
    for el in root.iter(q("day")):
        yield el, "the day", el.get("date", "")


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class TextRun:
    """One text node of running text: an element's text or a child's tail.

    ``first`` and ``last`` say whether it opens or closes its element's content;
    :meth:`position` turns an offset in ``text`` into a line and column of the source.
    """

    owner: etree._Element
    text: str
    start_line: int
    follower: etree._Element | None
    first: bool
    last: bool

    def line_at(self, offset: int) -> int:
        """The source line of character ``offset``."""
        if self.follower is not None and self.follower.sourceline:
            return int(self.follower.sourceline) - self.text.count("\n", offset)
        return self.start_line + self.text.count("\n", 0, offset)

    def position(self, offset: int, lines: Sequence[str]) -> Position:
        """Line and column of character ``offset`` (column 0 when it cannot be found).

        Characters written as references (``&#x202E;``, ``&amp;``) are found too: the column
        is that of the reference.
        """
        line = self.line_at(offset)
        if not 0 < line <= len(lines):
            return line, 0
        before = self.text[self.text.rfind("\n", 0, offset) + 1: offset]
        after = self.text[offset: offset + 12].split("\n")[0]
        source, columns = decoded_line(lines[line - 1])
        for probe, shift in ((before + after, len(before)), (after, 0)):
            if probe:
                found = source.find(probe)
                if found >= 0:
                    return line, columns[found + shift] + 1
        return line, 0


_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def decoded_line(line: str) -> tuple[str, list[int]]:
    """``line`` with its character references replaced by the characters, and for each
    character of the result (and one past its end) the 0-based column it was written at."""
    if "&" not in line:
        return line, list(range(len(line) + 1))
    out: list[str] = []
    columns: list[int] = []
    done = 0
    for match in _REFERENCE.finditer(line):
        out.append(line[done:match.start()])
        columns.extend(range(done, match.start()))
        hexadecimal, decimal, name = match.groups()
        try:
            out.append(_NAMED[name] if name else chr(int(hexadecimal, 16) if hexadecimal else int(decimal)))
        except (ValueError, OverflowError):
            out.append(match.group(0)[0])
        columns.append(match.start())
        done = match.end()
    out.append(line[done:])
    columns.extend(range(done, len(line) + 1))
    return "".join(out), columns


def _end_line(element: etree._Element) -> int:
    """The line where ``element`` ends (exact unless one of its tags spans several lines)."""
    return (element.sourceline or 0) + sum(t.count("\n") for t in _texts_inside(element))


def _texts_inside(element: etree._Element) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        yield from _texts_inside(child)
        if child.tail:
            yield child.tail


def text_runs(root: etree._Element, tags: Iterable[str] | None = PROSE) -> Iterator[TextRun]:
    """Every run of printed text under ``root``, each text node once.

    ``tags`` names the elements whose text is taken (running text by default); None takes
    the text of every element (comments and processing instructions are never text).
    """
    elements = root.iter(*tags) if tags is not None else root.iter(etree.Element)
    for element in elements:
        children = list(element)
        if element.text:
            yield TextRun(element, element.text, element.sourceline or 0,
                          children[0] if children else None, True, not children)
        for index, child in enumerate(children):
            if child.tail:
                follower = children[index + 1] if index + 1 < len(children) else None
                yield TextRun(element, child.tail, _end_line(child), follower, False, follower is None)


def _finding(ctx: RuleContext, run: TextRun, offset: int, message: str) -> Finding:
    line, column = run.position(offset, ctx.source_lines)
    return run.owner, message, (line, column or 1)


# ---------------------------------------------------------------- dates and days


def natural_order(value: str) -> tuple[int, ...]:
    """A sort key that orders "2" before "10"."""
    return tuple(int(p) for p in re.findall(r"\d+", value))

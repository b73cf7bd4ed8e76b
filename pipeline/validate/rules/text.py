"""Running text: dashes, spaces, quotes, invisible characters, wrong encodings."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.i18n import Typography, languages, wording_for
from pipeline.sources.load import q
from pipeline.validate.rules.base import (
    DOCUMENT,
    REGISTER,
    Finding,
    RuleContext,
    TextRun,
    _finding,
    rule,
    text_language,
)


@rule("empty-content",
      "Paragraphs, headings, list items, lines, wordings, notes, titles and places have words in them.",
      applies_to=(DOCUMENT, REGISTER))
def _empty_content(ctx: RuleContext) -> Iterator[Finding]:
    """An element of running text that holds only white space (or nothing) prints as a blank
    paragraph, heading, list item, line or note: titles, paragraphs, headings of sections and
    parts, subparagraphs and bullets (an item's own words, before the list nested in it),
    captions and notes of tables, letter parts and signatures,
    the parts of a correction, the first page's session and agenda lines, programme lines,
    wordings and footnotes. A place or a document reference that holds only white space the
    schema does not count as such (a no-break space, an em space) would print a blank and break
    the data exports (JSON, Akoma Ntoso, iCalendar): it is refused too."""
    for element in ctx.root.iter(*_WORDED):
        if element.tag == _ITEM and element.getparent() is not None and element.getparent().tag not in _LISTS:
            continue  # an item of a register's agenda holds wordings, checked themselves
        words = _own_words(element) if element.tag == _ITEM else "".join(element.itertext())
        if not _visible(words):
            yield element, (f"<{etree.QName(element).localname}> has no text; write its words "
                            f"or remove it")


_WORDED = tuple(q(t) for t in (
    "title", "subtitle", "p", "line", "segment", "wording", "footnote", "body-name", "heading",
    "item", "caption", "table-note", "addressee", "salutation", "closing", "name", "function",
    "where", "for", "read", "ga-session", "agenda-line", "place", "doc-ref", "resolution-ref",
    "decision-ref"))
_ITEM = q("item")
_LISTS = (q("subparagraphs"), q("bullets"))


def _own_words(item: etree._Element) -> str:
    """The words of a list item without those of the list nested in it: an item that only holds
    a list prints its label alone on a line ("(a)" and nothing after it)."""
    words = [item.text or ""]
    for child in item:
        if child.tag not in _LISTS and isinstance(child.tag, str):
            words.append("".join(child.itertext()))
        words.append(child.tail or "")
    return "".join(words)


_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _visible(text: str) -> bool:
    return any(not ch.isspace() and ch not in _INVISIBLE for ch in text)


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_HYPHEN = re.compile(" ?[-‐‑] ?")
_RANGE_START = re.compile(rf"(?:(?<![\w/.-])\d+|\b(?:{_MONTHS}|{_WEEKDAY_NAMES})|\b[ap]\.m\.)$")
_RANGE_END = re.compile(rf"\d+|(?:{_MONTHS}|{_WEEKDAY_NAMES})\b")


def hyphen_ranges(text: str) -> Iterator[tuple[int, str, str]]:
    """Ranges written with a hyphen: offset of the hyphen, the range, and how to write it."""
    for hyphen in _HYPHEN.finditer(text):
        end = _RANGE_END.match(text, hyphen.end())
        if end is None:
            continue
        start = _RANGE_START.search(text, max(0, hyphen.start() - 12), hyphen.start())
        if start is None:
            continue
        written = text[start.start():end.end()]
        yield hyphen.start(), written, f"{start.group(0)}–{end.group(0)}"


def run_language(ctx: RuleContext, run: TextRun) -> str:
    """The language of a run of text (:func:`text_language` of the element that holds it)."""
    return text_language(run.owner, ctx.language)


def typography_of(language: str) -> Typography | None:
    """The typography of ``language`` from its catalogue, or None when it has none."""
    return wording_for(language).typography if language in languages() else None


@rule("dash-range", "Ranges of numbers, days and months take the language's range mark (25–29 July).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _dash_range(ctx: RuleContext) -> Iterator[Finding]:
    """A hyphen between two numbers, months or weekdays ("25-29 July", "July-August",
    "2021-2025", "10 a.m.-1 p.m.") is a range and takes an en dash, without spaces. Languages
    whose catalogue counts the hyphen among its range marks (French and Spanish "2021-2025")
    may write it."""
    for run in ctx.runs:
        typography = typography_of(run_language(ctx, run))
        if typography is not None and "-" in typography.range_marks:
            continue
        for offset, written, fixed in hyphen_ranges(run.text):
            yield _finding(ctx, run, offset,
                           f"“{written}” is a range: write “{fixed}”, with an en dash and no spaces")


_TAB_IN_LINE = re.compile(r"(?<![ \t\r\n])[ \r]*\t[ \t\r]*(?![ \t\r\n])")
"""A stretch of white space holding a tab and no line break (the source's indentation has one)."""

_SPACES_IN_LINE = re.compile(r"(?<![ \t\r\n])[ \r]{2,}(?![ \t\r\n])")
"""A stretch of two spaces or more, with no tab and no line break."""


@rule("text-tab", "Running text has no tab characters.", Severity.WARNING,
      applies_to=(DOCUMENT, REGISTER))
def _text_tab(ctx: RuleContext) -> Iterator[Finding]:
    """A tab inside a line of text (not the indentation of the source) usually comes from a
    word processor; the layout does its own spacing."""
    for run in ctx.runs:
        for match in _TAB_IN_LINE.finditer(run.text):
            yield _finding(ctx, run, match.start() + match.group(0).index("\t"),
                           "a tab in running text; write a single space")


@rule("text-double-space", "Running text has single spaces between words.", Severity.WARNING,
      applies_to=(DOCUMENT, REGISTER))
def _text_double_space(ctx: RuleContext) -> Iterator[Finding]:
    """Two or more spaces in a line of text (line breaks and the indentation of the source
    do not count)."""
    for run in ctx.runs:
        for match in _SPACES_IN_LINE.finditer(run.text):
            yield _finding(ctx, run, match.start(), f"{len(match.group(0))} spaces in a row; write one")


_SPACES = " \t\r\n\u00a0\u202f"
_NBSP = re.compile("[\u00a0\u202f]")


@rule("text-nbsp", "No-break spaces stand only between words.", Severity.WARNING,
      applies_to=(DOCUMENT, REGISTER))
def _text_nbsp(ctx: RuleContext) -> Iterator[Finding]:
    """A no-break space belongs between two words that must stay on one line ("resolution
    75/240", "10 a.m."). One at the start or end of a text, next to another space, or (in
    English) before punctuation is left over from a word processor."""
    english = ctx.language in ("en", "")
    for run in ctx.runs:
        text = run.text
        for found in _NBSP.finditer(text):
            index = found.start()
            before = text[index - 1] if index > 0 else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if (before and before in _SPACES) or (after and after in _SPACES):
                why = "next to another space"
            elif (run.first and not text[:index].strip(_SPACES)) or (
                    run.last and not text[index + 1:].strip(_SPACES)):
                why = "at the edge of the text"
            elif english and after and after in ",.;:!?)":
                why = f"before “{after}”"
            else:
                continue
            yield _finding(ctx, run, index, f"a no-break space {why}; remove it or write a plain space")


_QUOTE_PROBLEMS = (
    (re.compile(r'"'), "a straight double quote; write {outer} (typographic quotes)"),
    (re.compile(r"(?<=\w)'(?=\w)"), "a straight apostrophe; write ’"),
    (re.compile(r"'"), "a straight single quote; write {inner}"),
    (re.compile(r"(?<=\w)‘(?=\w)"), "a left quote used as an apostrophe; write ’"),
    (re.compile(r"(?<=\w)“|“(?=[\s.,;:!?)]|$)"), "an opening quote “ where a closing ” belongs"),
    (re.compile(r"(?:^|(?<=[\s(]))”(?=\w)"), "a closing quote ” where an opening “ belongs"),
)


_QUOTE_CHARACTERS = frozenset("\"'‘“”")


@rule("text-quotes", "Quotes and apostrophes are typographic and the right way round.",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_quotes(ctx: RuleContext) -> Iterator[Finding]:
    """The layout uses typographic quotes and apostrophes (’): “…” and ‘…’ in English, the
    language's own elsewhere («…» in French, Spanish and Russian), which the message names. A
    straight quote, an opening quote at the end of a word or a closing quote at the start of
    one is a slip of autocorrection or of a paste (except in Chinese, where quotes touch the
    words on both sides)."""
    for run in ctx.runs:
        if not _QUOTE_CHARACTERS.intersection(run.text):
            continue
        typography = typography_of(run_language(ctx, run))
        # Chinese sets quotes without spaces, so that a quote touches a word on both sides
        problems = _QUOTE_PROBLEMS[:3] if typography is not None and typography.full_width else _QUOTE_PROBLEMS
        quotes = [q.strip() for q in typography.quotes] if typography is not None else list("“”‘’")
        marks = {"outer": f"{quotes[0]} and {quotes[1]}", "inner": f"{quotes[2]} and {quotes[3]}"}
        taken: set[int] = set()
        for pattern, message in problems:
            for match in pattern.finditer(run.text):
                if match.start() not in taken:
                    taken.add(match.start())
                    yield _finding(ctx, run, match.start(), message.format(**marks))


_INVISIBLE_NAMES = {
    "\u00ad": "a soft hyphen (U+00AD)",
    "\u200b": "a zero-width space (U+200B)",
    "\u200c": "a zero-width non-joiner (U+200C)",
    "\u200d": "a zero-width joiner (U+200D)",
    "\u2060": "a word joiner (U+2060)",
    "\ufeff": "a zero-width no-break space (U+FEFF)",
    "\u200e": "a left-to-right mark (U+200E)",
    "\u200f": "a right-to-left mark (U+200F)",
}


_INVISIBLE_CHARACTER = re.compile("[" + "".join(_INVISIBLE_NAMES) + "]")


@rule("text-invisible", "Running text has no invisible characters (soft hyphens, zero-width spaces).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_invisible(ctx: RuleContext) -> Iterator[Finding]:
    """Soft hyphens, zero-width spaces and joiners, word joiners and direction marks are
    invisible in an editor but change how words break, search and copy. Arabic text may
    need joiners and direction marks; they are allowed there."""
    allowed = "\u200c\u200d\u200e\u200f" if ctx.language == "ar" else ""
    for run in ctx.runs:
        for found in _INVISIBLE_CHARACTER.finditer(run.text):
            ch = found.group(0)
            if ch not in allowed:
                yield _finding(ctx, run, found.start(), f"{_INVISIBLE_NAMES[ch]} in running text; remove it")


_MOJIBAKE = re.compile(r"\ufffd|â€[\u0080-\u00bf\u2018-\u203a™œž“”]|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")


@rule("text-mojibake", "Running text has no signs of a wrong encoding (â€™, Ã©, �).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_mojibake(ctx: RuleContext) -> Iterator[Finding]:
    """Text that was saved in one encoding and read in another shows tell-tale sequences
    ("â€™" for ’, "Ã©" for é) or the replacement character �; retype the characters."""
    for run in ctx.runs:
        for match in _MOJIBAKE.finditer(run.text):
            shown = match.group(0).encode("unicode_escape").decode("ascii") if any(
                unicodedata.category(ch) == "Cc" for ch in match.group(0)) else match.group(0)
            yield _finding(ctx, run, match.start(),
                           f"“{shown}” looks like text decoded with the wrong encoding; retype it")


_NO_BREAK = "\u00a0\u202f"
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def _stray_quote(ch: str, typography: Typography) -> bool:
    """Whether ``ch`` outside « » is a quotation mark of another language: an inner opening
    mark, or an English mark that is not one of the language's own."""
    inner_open, inner_close = typography.quotes[2], typography.quotes[3]
    return ch == inner_open or (ch in "“”" and ch != inner_close)


@functools.cache
def _marks_of(typography: Typography) -> re.Pattern[str] | None:
    """The characters :func:`_typography_problems` looks at in a language (None: none), so
    that the rest of the text is skipped at the speed of a regular expression."""
    marks = set(typography.space_before)
    if typography.space_inside_guillemets:
        marks |= {"«", "»"}
    if typography.quotes[0].strip() == "«":
        marks |= {typography.quotes[2], "“", "”"}
    if typography.full_width:
        marks |= set(_FULL_WIDTH)
    return re.compile("[" + re.escape("".join(sorted(marks))) + "]") if marks else None


def _typography_problems(text: str, typography: Typography) -> Iterator[tuple[int, str]]:
    """Offsets in ``text`` where it breaks ``typography``, with what to write instead."""
    marks = _marks_of(typography)
    for index in (m.start() for m in marks.finditer(text)) if marks is not None else ():
        ch = text[index]
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if ch in typography.space_before and (not after or after.isspace() or after in "»)"):
            if before == " ":
                yield index - 1, f"a plain space before “{ch}”; write a no-break space"
            elif before and before not in _NO_BREAK and not before.isspace():
                yield index, f"“{ch}” takes a no-break space before it"
        elif typography.space_inside_guillemets and ch == "«" and after and after not in _NO_BREAK:
            yield index, "“«” takes a no-break space after it"
        elif typography.space_inside_guillemets and ch == "»" and before and before not in _NO_BREAK:
            yield index, "“»” takes a no-break space before it"
        elif typography.quotes[0].strip() == "«" and _stray_quote(ch, typography) and text.count(
                "«", 0, index) <= text.count("»", 0, index):
            yield index, f"quotation marks in this language are {typography.quotes[0].strip()} and " \
                         f"{typography.quotes[1].strip()}"
        elif typography.full_width and ch in _FULL_WIDTH and before and _CJK.match(before):
            yield index, f"“{ch}” after a Chinese character; write the full-width “{_FULL_WIDTH[ch]}”"


@rule("language-typography",
      "Running text follows its language's typography: spaces, quotation marks, full-width punctuation.",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _language_typography(ctx: RuleContext) -> Iterator[Finding]:
    """Each language's catalogue says how its text is set: French puts a no-break space before
    : ; ! ? and inside « »; French, Spanish and Russian quote with « »; Chinese punctuation is
    full width (，。：；？！（）). The language of a text is its nearest ``xml:lang``, else the
    document's."""
    for run in ctx.runs:
        typography = typography_of(run_language(ctx, run))
        if typography is None:
            continue
        for offset, message in _typography_problems(run.text, typography):
            yield _finding(ctx, run, offset, message)

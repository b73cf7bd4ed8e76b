"""Characters: what the renderers cannot take, and what no bundled font can print.

Each class of character is either normalised by the model (and warned about) or refused
where it stands; the PDF is drawn only with the bundled fonts (see :mod:`pipeline.resources`),
so a character none of them has is refused at validation rather than printed as a blank.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.resources import faces_for, family_coverage
from pipeline.sources.load import attribute_position, q
from pipeline.validate.rules.base import (
    DOCUMENT,
    OFFICIAL_LANGUAGES,
    REGISTER,
    Finding,
    RuleContext,
    TextRun,
    _finding,
    rule,
    text_language,
)

SEPARATORS = {
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
}
"""Characters that end a line or a paragraph in plain text; the model reads them as spaces."""

BIDI_CONTROLS = {
    "\u202a": "a left-to-right embedding (U+202A)",
    "\u202b": "a right-to-left embedding (U+202B)",
    "\u202c": "a pop directional formatting (U+202C)",
    "\u202d": "a left-to-right override (U+202D)",
    "\u202e": "a right-to-left override (U+202E)",
    "\u2066": "a left-to-right isolate (U+2066)",
    "\u2067": "a right-to-left isolate (U+2067)",
    "\u2068": "a first strong isolate (U+2068)",
    "\u2069": "a pop directional isolate (U+2069)",
}
"""Directional formatting characters: they reorder the text around them where it is shown."""


def is_control(ch: str) -> bool:
    """True for a C1 control character (U+0080–U+009F) or a Unicode noncharacter."""
    point = ord(ch)
    return 0x80 <= point <= 0x9F or 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


_CONTROL = re.compile("[\u0080-\u009f\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")
_SEPARATOR = re.compile("[" + "".join(SEPARATORS) + "]")
_BIDI = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


def describe(ch: str) -> str:
    """``U+0628 ARABIC LETTER BEH`` (or the kind of character when it has no name)."""
    name = unicodedata.name(ch, "")
    if not name:
        category = unicodedata.category(ch)
        name = {"Co": "a private-use character", "Cn": "an unassigned code point",
                "Cc": "a control character"}.get(category, f"a character of category {category}")
    return f"U+{ord(ch):04X} {name}"


@rule("text-separator", "Running text has no line or paragraph separators (U+2028, U+2029).",
      Severity.WARNING, applies_to=(DOCUMENT, REGISTER))
def _text_separator(ctx: RuleContext) -> Iterator[Finding]:
    """A line separator (U+2028) or a paragraph separator (U+2029), pasted from a word
    processor or a PDF, would end a line where the layout does not expect one. Every format
    reads it as a space, as it does a line break of the source: write a space, or start a
    new paragraph or line."""
    for run in ctx.all_runs:
        for found in _SEPARATOR.finditer(run.text):
            yield _finding(ctx, run, found.start(), f"{SEPARATORS[found.group(0)]} prints as a space; "
                                                    f"write a space or start a new paragraph or line")


@rule("text-control", "Text has no control characters (U+0080–U+009F) or noncharacters.",
      applies_to=(DOCUMENT, REGISTER))
def _text_control(ctx: RuleContext) -> Iterator[Finding]:
    """A C1 control character (U+0080–U+009F) is nearly always a character of Windows-1252
    read with the wrong encoding (U+0085 is “…”, U+0092 is “’”); a noncharacter (U+FDD0–U+FDEF,
    U+FFFE, U+1FFFE, …) is never text. Neither can be printed, so the source is refused where
    it stands: retype the character."""
    for run in ctx.all_runs:
        for found in _CONTROL.finditer(run.text):
            ch = found.group(0)
            hint = ""
            if 0x80 <= ord(ch) <= 0x9F:
                meant = bytes([ord(ch)]).decode("cp1252", "replace")
                if meant != "\ufffd":
                    hint = f" (in Windows-1252 this byte is “{meant}”: was the text decoded wrongly?)"
            yield _finding(ctx, run, found.start(), f"{describe(ch)} cannot be printed{hint}; retype it")


@rule("text-bidi", "Text has no directional overrides, embeddings or isolates (U+202A–U+202E, U+2066–U+2069).",
      applies_to=(DOCUMENT, REGISTER))
def _text_bidi(ctx: RuleContext) -> Iterator[Finding]:
    """Directional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
    invisible, and reorder the text after them where it is laid out: a right-to-left override
    prints “abc” as “cba” in the PDF while the source, the plain text and the data exports
    read “abc”. They are refused where they stand. Right-to-left text needs none of them;
    where a direction must be marked, the left-to-right and right-to-left marks (U+200E,
    U+200F) are allowed in Arabic."""
    for run in ctx.all_runs:
        for found in _BIDI.finditer(run.text):
            yield _finding(ctx, run, found.start(),
                           f"{BIDI_CONTROLS[found.group(0)]} reorders the printed text; remove it")


# ---------------------------------------------------------------- glyphs


_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
"""Unicode's Default_Ignorable_Code_Point: drawn as nothing, whatever the font."""


def _ignorable(point: int) -> bool:
    return any(low <= point <= high for low, high in _DEFAULT_IGNORABLE)


@functools.cache
def _printable(families: tuple[str, ...]) -> frozenset[str]:
    """The characters ``families`` print from their own glyphs, and XML white space."""
    return frozenset(chr(point) for family in families for point in family_coverage(family)) | frozenset("\t\n\r")


def drawable(ch: str, families: tuple[str, ...]) -> bool:
    """True when one of ``families`` prints ``ch``, or nothing needs printing.

    Besides the fonts' own characters: white space, default-ignorable characters (drawn as
    nothing), every space separator (the shaper draws a missing one as a space of the right
    width) and the no-break hyphen U+2011 (drawn as the hyphen U+2010).
    """
    point = ord(ch)
    if ch in "\t\n\r" or _ignorable(point) or unicodedata.category(ch) == "Zs":
        return True
    if any(point in family_coverage(f) for f in families):
        return True
    return point == 0x2011 and any(0x2010 in family_coverage(f) for f in families)


@rule("glyph-missing", "Every character of the text is in a font the document is printed in.",
      applies_to=(DOCUMENT, REGISTER))
def _glyph_missing(ctx: RuleContext) -> Iterator[Finding]:
    """The PDF is drawn with the bundled fonts only, the same on every machine; a character
    none of them has would print as a blank (while the PDF's text layer keeps it, so that a
    copy or a search hides the loss). The fonts are those of the text's language (its
    xml:lang, else the document's language), each tried in turn. Each character is
    reported once, where it first appears, with the number of other places it appears in.
    Line and paragraph separators, control characters and directional formatting have rules
    of their own."""
    first: dict[str, tuple[TextRun | etree._Element, int, str]] = {}
    counts: dict[str, int] = {}

    def seen(ch: str, where: TextRun | etree._Element, offset: int, language: str) -> None:
        counts[ch] = counts.get(ch, 0) + 1
        first.setdefault(ch, (where, offset, language))

    for run in ctx.all_runs:
        language = text_language(run.owner, ctx.language)
        families = faces_for(language)
        strange = set(run.text) - _printable(families)
        if not strange:
            continue
        for offset, ch in enumerate(run.text):
            if ch in strange and not (ch in SEPARATORS or is_control(ch) or drawable(ch, families)):
                seen(ch, run, offset, language)
    for link in ctx.root.iter(q("link")):
        if not "".join(link.itertext()).strip():  # printed as its address
            language = text_language(link, ctx.language)
            for ch in link.get("href", ""):
                if not (is_control(ch) or drawable(ch, faces_for(language))):
                    seen(ch, link, 0, language)
    for ch, (where, offset, language) in first.items():
        families = faces_for(language)
        named = OFFICIAL_LANGUAGES.get(language, f"“{language}”") if language else "this text"
        more = counts[ch] - 1
        message = (f"{describe(ch)} (“{ch}”) cannot be printed: no font for {named} has it "
                   f"(tried {', '.join(families)})"
                   + (f"; it appears {more} more time{'s' if more > 1 else ''} after this" if more else ""))
        if isinstance(where, TextRun):
            yield _finding(ctx, where, offset, message)
        else:
            yield where, message, attribute_position(ctx.source_lines, where, "href")

"""PDF in the official layout: the HTML page, a print stylesheet and WeasyPrint.

The page comes from :func:`pipeline.formats.html.render_html`; ``templates/print.css`` lays
it out on paper with CSS paged media: the masthead at the top of the first page and its
footer (job number and date code, Code 39 barcode, "Please recycle", QR code) in the first
page's bottom margin; on later pages the symbol as a running head on the outer side over a
thin rule, the folio "n/N" on the outer side and the job number on the inner side; the annex
on a new page; table heads repeated and rows kept whole; footnotes at the foot of the page
that calls them, under a short rule.

Fonts come only from the package (``pipeline/data/fonts/``): WeasyPrint gets a font
configuration that lists no installed font (``templates/fontconfig.conf``), ``@font-face``
rules add the bundled files (Liberation Serif, Noto Naskh Arabic, Noto Serif CJK SC), and the
names the stylesheet asks for ("Times New Roman", "Simplified Arabic", "SimSun", the generic
names) are aliases of them. Every machine lays out the same pages and embeds the same subsets, whatever
fonts it has installed; a character the bundled fonts lack shows as a missing glyph rather
than in a fallback font that only some machines have.

The file is PDF/A-3b and PDF/UA-1 at once: WeasyPrint writes PDF/A-3b (an sRGB output
intent, printable annotations); the XMP packet (:func:`xmp_metadata`) declares both, with the
title that names the symbol; the canonical XML source is embedded as the file's associated
file (relationship Source), so that every issued PDF carries its own data; the structure
tree is :mod:`pipeline.formats.pdf_structure`'s, built from the page's elements.

The output is deterministic: creation and modification dates are the document's issue date
(or SOURCE_DATE_EPOCH when set) in the document information, the XMP packet and the embedded
source's dates, and the file identifier and XMP document ID are derived from the content. The
embedded fonts are subset with fontTools on every machine (see :func:`pin_font_subsetting`),
so the bytes do not depend on which system libraries are installed; each subset keeps only
the glyphs drawn, renumbered, and its CID font maps the page's glyph numbers to them.

A character the fonts lack is refused at validation (rule ``glyph-missing``); should one
reach the renderer all the same, it fails at the text that holds it rather than draw a blank.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import gc
import hashlib
import io
import logging
import os
import pickle
import re
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html

from pipeline.formats import pdf_structure
from pipeline.formats.common import output_timestamp, page_size
from pipeline.formats.html import RIGHT_TO_LEFT_STYLESHEET, TEMPLATES_DIR, render_html, stylesheet
from pipeline.i18n import direction
from pipeline.layout import css_values as layout_css_values
from pipeline.layout import justification_css
from pipeline.model.tree import Document, RenderFailure, Source
from pipeline.project.venues import PAPER_SIZES
from pipeline.resources import (
    DEFAULT_FACES,
    FACES_BY_LANGUAGE,
    FONT_FAMILY,
    WORD_NAMES,
    face_files,
    faces_for,
    families,
    family_coverage,
    font_config_file,
)

NAME = "pdf"
SUFFIX = ".pdf"
DESCRIPTION = "PDF in the official layout (WeasyPrint, bundled fonts)"

PRINT_STYLESHEET = TEMPLATES_DIR / "print.css"
"""The print stylesheet, applied after the page's own stylesheet."""

FONT_CONFIG_FILE = font_config_file()
"""The fontconfig configuration of the renderer: no font folder, aliases to the bundled family."""

_STYLES = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bolditalic": ("bold", "italic"),
}
"""Style key of :func:`pipeline.resources.face_files` -> (font-weight, font-style)."""

OUTPUT_INTENT = "srgb-output-intent"
"""Name of the colour profile the PDF's output intent refers to (WeasyPrint's sRGB profile)."""

PDF_OPTIONS: dict[str, Any] = {"pdf_tags": True, "pdf_variant": "pdf/a-3b", "output_intent": OUTPUT_INTENT}
"""WeasyPrint options: a tagged PDF (its structure tree is :mod:`pipeline.formats.pdf_structure`'s),
written as PDF/A-3b (PDF 1.7, an sRGB output intent, printable annotations, associated files);
:func:`xmp_metadata` declares PDF/UA-1 beside PDF/A-3b."""

SOURCE_MIME_TYPE = "application/xml"
"""The media type of the embedded source (WeasyPrint would guess it from the system's tables)."""


def font_face_css() -> str:
    """``@font-face`` rules naming each bundled font file by its ``file:`` address.

    A face is embedded only where the text uses it: the Arabic and Chinese families cost
    an English document nothing but the reading of their files once per process.
    """
    rules = []
    for family in families():
        files = face_files(family)
        for style, (weight, slant) in _STYLES.items():
            if style in files:
                if not files[style].is_file():
                    raise FileNotFoundError(f"bundled font missing: {files[style]}")
                rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {slant};'
                             f' src: url("{files[style].as_uri()}"); }}\n')
    return "".join(rules)


def right_to_left_font_css() -> str:
    """For each right-to-left language, the faces of its script before the Latin ones.

    A word processor sets the figures and spaces of a right-to-left run in the face of its
    script (Simplified Arabic), and so does the PDF: with Times New Roman first, as the other
    languages have it, the space beside a figure or a reference was set in the Latin face,
    and WeasyPrint 70, justifying the line, lost its width where the left-to-right run ends
    ("75/240" touched the Arabic word after it). Latin words still come from the Latin face,
    which the script's lacks.
    """
    rules = []
    layout_font = layout_css_values()["un"]["font"]
    for language, faces in FACES_BY_LANGUAGE.items():
        script = [f for f in faces if f != FONT_FAMILY]
        if direction(language) != "rtl" or not script:
            continue
        names = ", ".join(f'"{WORD_NAMES[family]}", "{family}"' for family in script)
        rules.append(f"html:lang({language}) {{ --un-font: {names}, {layout_font}; }}\n")
        # What the page sets apart left to right (the symbol, references, addresses), in
        # another language (the right-hand block's English) or in the first-page footer (job
        # number, date code) keeps the Latin face first, as a word processor sets a
        # left-to-right run.
        rules.append(f'html:lang({language}) [dir="ltr"], html:lang({language}) [lang]:not(:lang({language})),'
                     f" html:lang({language}) .first-page-footer {{ font-family: {layout_font}; }}\n")
        # Set in another face, such a run within a line would stand higher or lower than the
        # line's own: like a run of the script (print.css, ".run"), it takes no height.
        rules.append(f'html:lang({language}) a[dir="ltr"], html:lang({language}) span[dir="ltr"]'
                     " { line-height: 0; }\n")
        # The masthead's and the letterhead's lines take their strut from the Latin face, as
        # in every other language and in the DOCX, where the baseline of a line of fixed
        # height does not depend on its face; their runs of the script keep the script's face.
        runs = ".".join(SCRIPT_RUN_CLASS.split())
        rules.append(f"html:lang({language}) header {{ font-family: {layout_font}; }}\n"
                     f"html:lang({language}) header .{runs} {{ font-family: var(--un-font); }}\n")
    # The running head and the folio, in the margins of right-to-left pages, likewise.
    rules.append(f"@page rtl {{ font-family: {layout_font}; }}\n")
    return "".join(rules)


def _font_configuration() -> Any:
    """A WeasyPrint font configuration that sees no installed font, only those added by ``@font-face``.

    fontconfig reads ``FONTCONFIG_FILE`` when the configuration is loaded; the variable is
    set for that moment only. WeasyPrint warns that the configuration has no fonts, which is
    the point: the bundled ones are added next.
    """
    from weasyprint.text.fonts import FontConfiguration

    saved = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONT_CONFIG_FILE)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")
            return FontConfiguration()
    finally:
        if saved is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = saved


@dataclass(frozen=True)
class _Styles:
    """What WeasyPrint needs besides the page, made once per process."""

    font_config: Any
    stylesheets: tuple[Any, ...]
    """Bundled fonts, the page's own stylesheet, the print stylesheet, in cascade order."""
    sizes: dict[str, Any]
    """Page size name -> a one-rule stylesheet setting it."""


@functools.cache
def _styles() -> _Styles:
    """The font configuration and parsed stylesheets, shared by every document of the process."""
    from weasyprint import CSS

    font_config = _font_configuration()

    def css(text: str) -> Any:
        return CSS(string=text, base_url=TEMPLATES_DIR.as_uri() + "/", font_config=font_config)

    stylesheets = (
        css(font_face_css()),
        css(str(stylesheet())),
        css(str(stylesheet(RIGHT_TO_LEFT_STYLESHEET))),  # its rules name right-to-left pages only
        css(right_to_left_font_css()),
        css(PRINT_STYLESHEET.read_text(encoding="utf-8")),
        css(justification_css()),
    )
    sizes = {size: css(f"@page {{ size: {size}; }}") for size in sorted(set(PAPER_SIZES.values()))}
    # The font configuration removes its temporary font folder when collected; let that
    # happen before interpreter shutdown tears down the modules its finaliser needs.
    atexit.register(_styles.cache_clear)
    return _Styles(font_config, stylesheets, sizes)


@functools.cache
def _srgb_icc() -> tuple[bytes, str]:
    """The bytes and the name of WeasyPrint's sRGB colour profile, read once per process."""
    from importlib.resources import files

    from PIL.ImageCms import ImageCmsProfile

    data = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    profile = ImageCmsProfile(io.BytesIO(data)).profile
    return data, profile.model or profile.profile_description or "sRGB2014"


@dataclass
class _ColorProfile:
    """The output intent's colour profile as WeasyPrint's PDF writer reads it, with the file's own bytes.

    Named ``"srgb"``, WeasyPrint would read the profile again for every PDF and leave the file
    open, and embed it as the colour library writes it back, whose bytes are not always the
    same within one process; under another name it takes this one from the document.
    """

    content: bytes
    name: str
    components: tuple[list[str], ...] = (["r"], ["g"], ["b"])
    src: str = "sRGB2014.icc"
    rendering_intent: str = "relative-colorimetric"
    pdf_reference: Any = None


@dataclass(frozen=True)
class PrintPage:
    """The page as WeasyPrint gets it, and the metadata its head declares."""

    html: str
    meta: dict[str, str]
    """``<meta name=… content=…>`` of the head, by name."""
    title: str = ""
    """The head's ``<title>``: the symbol and the title, the PDF's title as well."""


def print_page(document: Document) -> PrintPage:
    """The HTML page, rearranged where paper needs another order than the screen.

    The inline stylesheet is dropped: the renderer applies the same one, parsed once per
    process, before the print stylesheet. Each footnote moves to the place of its first call,
    where ``float: footnote`` sets it at the foot of that page (the notes section stays, hidden
    by the print stylesheet); later calls of a note keep their number without a link. The
    first-page footer moves to the start of the page, so that its running elements exist
    when page 1 is laid out.
    """
    root = lxml.html.document_fromstring(render_html(document))
    for style in root.xpath("/html/head/style"):
        style.getparent().remove(style)
    calls_of: dict[str, list[Any]] = {}  # each note's calls in page order, found in one pass
    for call in root.xpath('//sup[@class="note-call"]/a[@href]'):
        calls_of.setdefault(call.get("href"), []).append(call)
    for note in root.xpath('//section[@class="footnotes"]/p[@class="footnote"]'):
        ident = note.get("id")
        calls = calls_of.get(f"#{ident}", [])
        for later in calls[1:]:
            later.attrib.pop("href")
        if not calls:
            continue
        number = note.find('span[@class="note-number"]')
        mark = number.text_content().strip() if number is not None else ident.removeprefix("fn")
        moved = lxml.html.Element("span", {"class": "print-footnote", "data-note": mark})
        moved.text = (number.tail or "").lstrip() if number is not None else note.text
        moved.extend(child for child in list(note) if child is not number)
        sup = calls[0].getparent()
        moved.tail = sup.tail
        sup.getparent().replace(sup, moved)
    body = root.find("body")
    footer = root.find('body/footer[@class="first-page-footer"]')
    if body is not None and footer is not None:
        body.insert(0, footer)
    if body is not None:
        _hang_labels(body)
        _break_long_words_at_inline_ends(body)
        if faces_for(document.language) != DEFAULT_FACES:
            _runs_of_text(body, document.language)
    meta = {m.get("name"): m.get("content", "") for m in root.xpath("/html/head/meta[@name]")}
    title = root.findtext("head/title") or meta.get("dcterms.title", "")
    return PrintPage(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"), meta, title)


RUN_CLASS = "run"
"""Class of the ``span`` that holds a run of text of a document in a script of its own
(``print.css`` gives it no height)."""

SCRIPT_RUN_CLASS = f"{RUN_CLASS} script-run"
"""Classes of the ``span`` of a run of a right-to-left script on a line of the masthead or
letterhead, whose strut is in the Latin face (:func:`right_to_left_font_css`)."""

_RUN_CLASSES = frozenset({RUN_CLASS, SCRIPT_RUN_CLASS})

_NOT_RUNS = frozenset({"script", "style", "svg", "math"})
"""Elements whose text is not a run of the page's text (an image's title is drawn by no line)."""


def _runs_of_text(body: Any, language: str) -> None:
    """Each run of text of the masthead or letterhead and of the page's ``main`` in a ``span``
    of its own (:data:`RUN_CLASS`).

    WeasyPrint centres a run of text on its line by the ascent and descent of the faces it
    holds. Arabic and Chinese faces stand much higher or lower than Times New Roman, in which
    the line's strut is measured, so a run of either stands out of the leading and every line
    grows by a point or more, where Word and LibreOffice set the leading exactly. In a span
    of no line height (``print.css``) a run takes no room of its own: the strut alone, in the
    Latin face, sets the height of the line and the place of its baseline, as in the DOCX.

    Right to left, the script's face comes first (:func:`right_to_left_font_css`) and sets the
    strut; a run the script's face prints whole stands on its line already, and only a run
    with a character from another face is wrapped: every span is an element to style and
    lay out, a sixth of an Arabic page's time when each run had one. The masthead's and the
    letterhead's lines are few and large, and their baselines are those of every other
    language: each of their runs is wrapped, those of the script as :data:`SCRIPT_RUN_CLASS`.
    """
    if direction(language) != "rtl":
        for element in list(body.iter("header", "main")):
            _wrap_runs(element, lambda text: RUN_CLASS if _has_text(text) else None)
        return
    outside = functools.partial(_outside, _script_characters(language))
    for element in list(body.iter("header")):
        _wrap_runs(element, lambda text: RUN_CLASS if outside(text) else SCRIPT_RUN_CLASS if _has_text(text) else None)
    for element in list(body.iter("main")):
        _wrap_runs(element, lambda text: RUN_CLASS if outside(text) else None)


@functools.cache
def _script_characters(language: str) -> frozenset[str]:
    """The characters the faces of ``language``'s own script print (not the Latin face)."""
    return frozenset(chr(point) for family in faces_for(language) if family != FONT_FAMILY
                     for point in family_coverage(family))


def _has_text(text: str) -> bool:
    return bool(text.strip())


def _outside(covered: frozenset[str], text: str) -> bool:
    """Whether ``text`` holds a character, other than white space, that ``covered`` lacks."""
    return any(ch not in covered and not ch.isspace() for ch in text)


def _wrap_runs(element: Any, run_class: Callable[[str], str | None]) -> None:
    """Each run of text inside ``element`` (not its tail) in a span of the class ``run_class``
    gives it, if any, as :func:`_runs_of_text`."""
    if element.text and (cls := run_class(element.text)):
        element.insert(0, _run(element.text, cls))
        element.text = None
    for child in list(element):
        if isinstance(child.tag, str) and child.tag not in _NOT_RUNS and child.get("class") not in _RUN_CLASSES:
            _wrap_runs(child, run_class)
        if child.tail and (cls := run_class(child.tail)):
            child.addnext(_run(child.tail, cls))
            child.tail = None


def _run(text: str, cls: str) -> Any:
    run = lxml.html.Element("span", {"class": cls})
    run.text = text
    return run


def _within(cls: str, label: str) -> str:
    return f'//*[contains(concat(" ", @class, " "), " {cls} ")]//span[@class="{label}"]'


HANGING_LABELS = " | ".join([
    '//span[@class="para-number"]', _within("heading", "heading-number"), _within("subparagraphs", "item-label"),
    _within("agenda-list", "item-label"), _within("entries", "label"), _within("dash-list", "bullet"),
    # A floating contents number shortened its line by its own width (so the page numbers of
    # entries of different levels stood apart), and right to left it landed on the entry's text.
    _within("contents-list", "heading-number")])
"""The numbers and labels that hang in the margin (inline blocks in ``print.css``), as XPath."""


def _hang_labels(body: Any) -> None:
    """Drop the space after each hanging number or label.

    On screen the label floats and the space after it starts the line, where it is not
    drawn; on paper the label is an inline block of no net width, after which the space
    would push the text right.
    """
    for label in body.xpath(HANGING_LABELS):
        if label.tail:
            label.tail = label.tail.lstrip()


LONG_WORD = 40
"""Characters from which a word running out of an inline element gets a break opportunity there."""

_INLINE = frozenset({"a", "i", "em", "b", "strong", "span", "sup", "sub", "abbr", "cite", "q", "small"})
_LAST_PIECE = re.compile(r"[^\s/-]*$")
_FIRST_PIECE = re.compile(r"[^\s/-]*[/-]?")
"""The ends of a word up to where a line may break anyway: a space, or after a slash or a hyphen."""


def _break_long_words_at_inline_ends(body: Any) -> None:
    """A ``<wbr>`` where a word longer than :data:`LONG_WORD` runs on out of an inline element.

    WeasyPrint 70 cannot break such a word (an address in a link with text right after it)
    anywhere, even under ``overflow-wrap: anywhere``, so it ran past the edge of the page; with
    the break opportunity each part breaks within the measure. The word is counted from the
    last place inside the element where a line may break anyway (a space, a slash, a hyphen)
    to the first one after it, so that an address followed by a full stop is left alone.
    """
    for element in list(body.iter(*_INLINE)):
        following = element.tail or ""
        if not following and element.getnext() is not None and element.getnext().tag in _INLINE:
            following = element.getnext().text_content()
        if not following or following[0].isspace():
            continue
        last = _LAST_PIECE.search(element.text_content())
        first = _FIRST_PIECE.match(following)
        if (len(last.group(0)) if last else 0) + (len(first.group(0)) if first else 0) > LONG_WORD:
            opportunity = lxml.html.Element("wbr")
            opportunity.tail, element.tail = element.tail, None
            element.addnext(opportunity)




def layout(document: Document, *, extra_css: str = "") -> Any:
    """The document laid out in pages (a WeasyPrint ``Document``), its metadata fixed.

    The metadata: the title (the symbol and the title, as the HTML page's), the symbol as
    subject, "United Nations" as author (all three from the page's head), the language, and
    creation and modification dates from :func:`pipeline.formats.common.output_timestamp`;
    the XMP packet of :func:`xmp_metadata`. ``extra_css`` is applied after the print
    stylesheet: a way to try a correction of a layout value, or to check that a change of
    layout shows in the pages.
    """
    return _lay_out(document, print_page(document), extra_css)


def _lay_out(document: Document, page: PrintPage, extra_css: str) -> Any:
    from weasyprint import CSS, HTML

    styles = _styles()
    stylesheets = [*styles.stylesheets, styles.sizes[page_size(document)]]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=styles.font_config))
    laid_out = HTML(string=page.html, base_url=TEMPLATES_DIR.as_uri() + "/").render(
        font_config=styles.font_config, stylesheets=stylesheets, **PDF_OPTIONS)
    laid_out.color_profiles[OUTPUT_INTENT] = _ColorProfile(*_srgb_icc())
    when = output_timestamp(document).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = laid_out.metadata
    meta.title = page.title
    meta.description = page.meta["dcterms.subject"]
    meta.authors = [page.meta["dcterms.creator"]]
    meta.keywords = []
    meta.generator = None
    meta.custom = {}
    meta.created = when
    meta.modified = when
    meta.lang = document.language
    xmp = xmp_metadata(page, document.language, when)
    meta.generate_rdf_metadata = lambda *_: xmp  # WeasyPrint's own names PDF/A only, and a random ID
    return laid_out


_XMP_NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def xmp_metadata(page: PrintPage, language: str, when: str) -> bytes:
    """The XMP packet's RDF: PDF/A-3b and PDF/UA-1 identification and the document's metadata.

    It repeats the document information dictionary (title, author, subject, producer, dates),
    as PDF/A requires, and adds the language. PDF/A-3 predefines no ``pdfuaid`` schema, so the
    packet describes it in an extension schema. The document ID is derived from the page, not
    drawn at random, so the same document gives the same bytes.
    """
    from xml.sax.saxutils import escape

    from weasyprint import __version__

    subject = page.meta["dcterms.subject"]
    ns = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _XMP_NAMESPACES.items())
    ident = hashlib.sha256(page.html.encode("utf-8")).hexdigest()
    uuid = f"{ident[:8]}-{ident[8:12]}-{ident[12:16]}-{ident[16:20]}-{ident[20:32]}"
    text = f"""<rdf:RDF {ns}>
<rdf:Description rdf:about="">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(page.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(page.meta["dcterms.creator"])}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<pdf:Producer>WeasyPrint {__version__}</pdf:Producer>
<xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{_XMP_NAMESPACES["pdfuaid"]}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>The part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>"""
    return text.encode("utf-8")


@functools.cache
def pin_font_subsetting() -> None:
    """Subset embedded fonts with fontTools, deterministically, on every machine, and cheaply.

    WeasyPrint 70 subsets with the HarfBuzz subsetting library when the system has it and
    with fontTools otherwise, and the two write different font tables: the same document
    gave other bytes on a machine with the library than on one without it (and HarfBuzz's
    output follows its version, which the system decides). Its fontTools path also stamps
    each subset with the current time (the ``head`` table's modification date), so that
    without the library the bytes changed from one second to the next. fontTools is a
    Python dependency, installed in a known version everywhere: WeasyPrint's choice is
    replaced, once per process, by :func:`_subset_font`, and its font dictionaries get the
    map from the page's glyph numbers to the subset's (:func:`_fonts_dictionary`).
    WeasyPrint offers no option for this.
    """
    import weasyprint.pdf
    from weasyprint.pdf import fonts

    fonts.Font.subset = _subset_font
    weasyprint.pdf.build_fonts_dictionary = functools.partial(_fonts_dictionary, fonts.build_fonts_dictionary)


def _subset_font(font: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
    """Keep only the glyphs ``to_unicode`` uses, renumbered from 0, with the options WeasyPrint
    gives fontTools otherwise, and the font's own modification date.

    The page's text names each glyph by its number in the whole face (its CID); the subset
    numbers the glyphs it keeps 0, 1, 2, … in the same order, and ``font.cid_to_gid`` records
    where each CID went (:func:`_cid_to_gid_map`). WeasyPrint would keep every number of the
    face instead, each glyph it drops left as an empty slot with its metrics: for a Chinese
    face of thousands of glyphs, writing those slots cost several times the glyphs kept.
    The glyphs are copied as the face has them, without being decoded and encoded again to
    recompute their bounds (``recalcBBoxes``, the larger part of the work): the font's bounds
    are then fitted from each glyph's own (:func:`_fit_bounds`); the maxima of ``maxp`` (points
    and contours per glyph) stay the whole face's, which hold for any part of it.
    """
    if not to_unicode:
        return
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTLibError  # type: ignore[import-untyped]

    options = subset.Options(retain_gids=False, passthrough_tables=True, ignore_missing_glyphs=True,
                             hinting=hinting, desubroutinize=True, notdef_outline=bool(font.missing))
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=to_unicode)
    with _collection_paused():
        try:
            ttfont = _parsed_font(font.file_content, font.index)
            ttfont.recalcBBoxes = False
            names = ttfont.getGlyphOrder()
            subsetter.subset(ttfont)
            _fit_bounds(ttfont)
            output = io.BytesIO()
            ttfont.save(output)
        except TTLibError:
            return  # the whole font is embedded, as WeasyPrint does
        kept = {name: gid for gid, name in enumerate(ttfont.getGlyphOrder())}
    font.file_content = output.getvalue()
    font.cid_to_gid = _cid_to_gid_map({cid: kept.get(names[cid], 0) for cid in to_unicode if cid < len(names)})


_PAUSES = threading.Lock()
_pauses = {"open": 0, "resume": False}
"""Subsets being cut now, and whether the collector ran before the first of them."""


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held back while a subset is cut.

    A subset copies the face, tens of thousands of objects that live a few milliseconds: on
    their way they set off collections of the whole heap (the laid-out pages, the parsed
    faces), each of which took as long again as the subset. They are freed by their
    reference counts; what little garbage they leave in cycles goes at the next collection.
    Threads that subset at once share one pause, which ends with the last of them.
    """
    with _PAUSES:
        if _pauses["open"] == 0:
            _pauses["resume"] = gc.isenabled()
            gc.disable()
        _pauses["open"] += 1
    try:
        yield
    finally:
        with _PAUSES:
            _pauses["open"] -= 1
            if _pauses["open"] == 0 and _pauses["resume"]:
                gc.enable()


_GLYPH_HEADER = struct.Struct(">5h")
"""The head of a glyph's data in ``glyf``: its number of contours, then its bounds."""


def _fit_bounds(ttfont: Any) -> None:
    """The font's bounding box (``head``) and horizontal extents (``hhea``) made those of the
    glyphs ``ttfont`` holds, as fontTools computes them, from each glyph's own bounds.

    A renderer sizes its glyph images by the font's box (poppler drew the large characters
    of a heading otherwise with the whole face's). Each glyph's bounds are read from the
    head of its data, as the face's file records them, rather than from its decoded
    outline (a test checks that the two agree for the bundled faces).
    """
    glyf, head, hhea = ttfont["glyf"], ttfont["head"], ttfont["hhea"]
    metrics = ttfont["hmtx"].metrics
    boxes = {}
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "data"):
            if len(glyph.data) >= _GLYPH_HEADER.size:
                contours, *box = _GLYPH_HEADER.unpack_from(glyph.data)
                if contours:
                    boxes[name] = box
        elif glyph.numberOfContours:
            if not hasattr(glyph, "xMax"):
                glyph.recalcBounds(glyf)
            boxes[name] = [glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax]
    head.xMin = min((box[0] for box in boxes.values()), default=0)
    head.yMin = min((box[1] for box in boxes.values()), default=0)
    head.xMax = max((box[2] for box in boxes.values()), default=0)
    head.yMax = max((box[3] for box in boxes.values()), default=0)
    hhea.advanceWidthMax = max(advance for advance, _ in metrics.values())
    hhea.minLeftSideBearing = min((metrics[name][1] for name in boxes), default=0)
    hhea.minRightSideBearing = min((metrics[name][0] - metrics[name][1] - (box[2] - box[0])
                                    for name, box in boxes.items()), default=0)
    hhea.xMaxExtent = max((metrics[name][1] + box[2] - box[0] for name, box in boxes.items()), default=0)


def _cid_to_gid_map(gids: dict[int, int]) -> bytes:
    """A PDF ``CIDToGIDMap`` stream's bytes: for each CID from 0 to the largest in ``gids``, its
    glyph number in two bytes, big-endian; a CID absent from ``gids`` goes to glyph 0 (.notdef)."""
    table = bytearray(2 * (max(gids, default=0) + 1))
    for cid, gid in gids.items():
        table[2 * cid:2 * cid + 2] = gid.to_bytes(2, "big")
    return bytes(table)


def _fonts_dictionary(build: Any, pdf: Any, fonts: dict[str, Any], compress: bool, subset: bool,
                      options: dict[str, Any]) -> Any:
    """WeasyPrint's font resources (``build``), each renumbered subset's CID font given its map.

    WeasyPrint names the map ``/Identity`` (CID = glyph number) whatever the subset; a font
    :func:`_subset_font` renumbered gets its ``cid_to_gid`` stream instead. Fonts of one file
    share its subset, which only the first of them carries: the map goes by the font's name,
    the same for all of them.
    """
    import pydyf  # type: ignore[import-untyped]

    first = len(pdf.objects)
    resources = build(pdf, fonts, compress, subset, options)
    maps = {font.hash: font.cid_to_gid for font in fonts.values() if getattr(font, "cid_to_gid", None)}
    by_name = {font.name: maps[font.hash] for font in fonts.values() if font.hash in maps}
    for item in pdf.objects[first:]:
        if (isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/CIDFontType2"
                and item.get("BaseFont") in by_name):
            stream = pydyf.Stream([by_name[item["BaseFont"]]], compress=compress)
            pdf.add_object(stream)
            item["CIDToGIDMap"] = stream.reference
    return resources


_LAYOUT_TABLES = ("GSUB", "GPOS", "SVG ")
"""Tables WeasyPrint drops from every embedded font (the PDF holds glyphs already shaped)."""


def _without_layout(content: bytes, index: int) -> bytes:
    """The font ``content`` (face ``index`` of a collection) without :data:`_LAYOUT_TABLES`."""
    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(content), fontNumber=index, recalcTimestamp=False)
    for tag in _LAYOUT_TABLES:
        if tag in ttfont:
            del ttfont[tag]
    output = io.BytesIO()
    ttfont.save(output)
    return output.getvalue()


_ALWAYS_SUBSET = ("cmap", "loca", "glyf", "hmtx", "vmtx", "post")
"""Tables the subsetter reads and rewrites for every TrueType font, whatever the glyphs."""

_PARSED: dict[tuple[str, int], bytes] = {}


def _parsed_font(content: bytes, index: int) -> Any:
    """A fresh copy of the font ``content`` (face ``index``) as :func:`_without_layout` leaves it,
    with its glyph order and :data:`_ALWAYS_SUBSET` already parsed.

    Dropping the layout tables, and parsing a CJK face's glyph order, character map and
    metrics, take longer than the subset itself; they are done once per process and font, and
    each subset starts from a copy of the parsed font (unpickled: a subset changes the tables
    in place). The other tables stay as the file holds them, so the subset is the same as one
    made from the file.
    """
    from fontTools.ttLib import TTFont

    key = (hashlib.sha256(content).hexdigest(), index)
    if key not in _PARSED:
        ttfont = TTFont(io.BytesIO(_without_layout(content, index)), recalcTimestamp=False)
        ttfont.getGlyphOrder()
        for tag in _ALWAYS_SUBSET:
            if tag in ttfont:
                ttfont[tag]
        _PARSED[key] = pickle.dumps(ttfont, protocol=pickle.HIGHEST_PROTOCOL)
    return pickle.loads(_PARSED[key])  # made by this process


_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-F]+)\)")


class _MissingGlyphs(logging.Handler):
    """Collects the characters WeasyPrint draws as blanks (".notdef") in this thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.characters: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            found = _NOTDEF.search(record.getMessage())
            if found:
                self.characters.append(chr(int(found.group(1), 16)))


@contextmanager
def _every_glyph_drawn(document: Document) -> Iterator[None]:
    """Fail at the text that holds a character WeasyPrint could only draw as a blank."""
    handler = _MissingGlyphs()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.characters:
        ch = handler.characters[0]
        raise RenderFailure(f"no bundled font has U+{ord(ch):04X} (“{ch}”); it would print as a blank",
                            _holding(document, ch) or document.source)


def _holding(node: Any, ch: str) -> Source | None:
    """The source of the first, innermost model node under ``node`` whose text holds ``ch``."""
    holds = False
    for name in (f.name for f in dataclasses.fields(node)):
        value = getattr(node, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                holds = holds or ch in item
            elif dataclasses.is_dataclass(item) and isinstance(getattr(item, "source", None), Source):
                found = _holding(item, ch)
                if found is not None:
                    return found
    return node.source if holds and isinstance(node.source, Source) else None


def render_pdf(document: Document, *, extra_css: str = "") -> bytes:
    """The document as PDF bytes; ``extra_css`` as for :func:`layout`.

    The file identifier is a digest of the page and the extra stylesheet, so it is the same
    for the same input and differs when the input does.

    Raises:
        RenderFailure: when a character of the document has no glyph in the bundled fonts.
    """
    pin_font_subsetting()
    pdf_structure.install()
    page = print_page(document)
    source = _source_bytes(document)
    with _every_glyph_drawn(document):
        laid_out = _lay_out(document, page, extra_css)
        digest = hashlib.sha256((page.html + extra_css).encode("utf-8") + source)
        data: bytes = laid_out.write_pdf(
            pdf_identifier=digest.hexdigest()[:32].encode("ascii"),
            attachments=[_source_attachment(document, source)], finisher=_finish, **PDF_OPTIONS)
    return data


def _source_bytes(document: Document) -> bytes:
    """The canonical XML the document was built from, as the file holds it."""
    try:
        return Path(document.source.path).read_bytes()
    except OSError as error:
        raise RenderFailure(f"the source cannot be read again to embed it in the PDF: {error.strerror}",
                            document.source) from None


def _source_attachment(document: Document, source: bytes) -> Any:
    """The source as the PDF's associated file: relationship Source, dated like the PDF."""
    from weasyprint import Attachment

    when = output_timestamp(document)
    return Attachment(file_obj=io.BytesIO(source), name=Path(document.source.path).name,
                      description=f"{document.symbol}: canonical XML source", created=when, modified=when,
                      relationship="Source")


def _finish(document: Any, pdf: Any) -> None:
    """The embedded source's media type, and the catalog's associated files listed once each."""
    for item in pdf.objects:
        extra = getattr(item, "extra", None)
        if isinstance(extra, dict) and extra.get("Type") == "/EmbeddedFile":
            extra["Subtype"] = "/" + SOURCE_MIME_TYPE.replace("/", "#2f")
    if "AF" in pdf.catalog:  # WeasyPrint 70 lists each attachment twice
        pdf.catalog["AF"][:] = list(dict.fromkeys(pdf.catalog["AF"]))


def render(document: Document) -> bytes:
    """The document as PDF bytes."""
    return render_pdf(document)

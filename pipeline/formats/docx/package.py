"""The pass over pandoc's DOCX: what pandoc cannot express, done on the package parts with lxml.

* headers and footers: the runs of the reference whose whole text is ``{name}`` get the
  document's symbol, job number, date code and fixed wording; ``{barcode}``, ``{recycling}`` and ``{qr}``
  become images of explicit sizes (media, relationships and content type added);
* the first-page footer left empty for a genre without job number, barcode and QR code;
* the emblem, when the configuration names one, floating at the start of the organ's line of
  the masthead (the SVG itself, with Word's SVG extension, or the PNG), the organ's name
  indented past it;
* tables: width fitted to the text measure less the paragraph indents, column and cell
  widths, the horizontal rules (above and under the heads, at the bottom) as cell borders,
  rows that never split, head rows repeated on each page;
* footnotes: a tab, not a space, after the number, which hangs like a paragraph number; a
  footnote with a mark of its own ("*") prints it in the text and in the note, and Word
  leaves it out of the count of the numbered ones;
* lists: subparagraphs and bullets hang by their depth, bullets are en dashes;
* numbering: footnotes numbered 1, 2, …, hyperlink relationships numbered after the
  reference document's, bookmarks and lists, all in reading order, so a document's
  package does not depend on what else pandoc converted with it (see :func:`split_documents`);
* right to left (an Arabic document): sections and tables mirrored (``w:bidi``,
  ``w:bidiVisual``); pandoc marks the paragraphs and runs; the footer line of the folio
  held left to right, its stretches in the opposite order (see :func:`folio_left_to_right`);
  the runs set apart left to right in the Latin face (:func:`latin_face_for_left_to_right_runs`);
* the faces of a script (Arabic, Chinese): named as Word users have them ("Simplified Arabic",
  "SimSun") in the run defaults, with the bundled free face as their alternative name in the
  font table, and the script's language in the run defaults;
* document properties (``docProps/core.xml``) written whole, dates fixed;
* every XML part parsed (raw OOXML passes through pandoc unchecked), the zip rewritten with
  sorted members and one fixed date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from pipeline.layout import NEW_YORK_PAPER, eighths, layout, twips
from pipeline.resources import FONT_FAMILY, WORD_NAMES

from .reference import PageVariant, page_variant, zip_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"

EMU_PER_INCH = 914400

TABLE_INDENT = twips(layout().points("un", "table_indent"))
"""Left (and right) indent of the programme table, twips: the paragraphs' number position."""

HEAD_RULE = eighths(layout().points("un", "rule_table"))
"""Rules above and under the table heads, eighths of a point."""

BOTTOM_RULE = HEAD_RULE
"""Rule at the bottom of the table, eighths of a point: as thick as the others [high]."""

DOCUMENT_BREAK = "undoc-document-break"
"""Text of the XML comment between two documents converted by one pandoc run.

pandoc escapes every ``Str``, so a comment in the body can only come from the raw block
the converter puts there (:data:`DOCUMENT_BREAK_XML`), never from a source's text.
"""

DOCUMENT_BREAK_XML = f"<!--{DOCUMENT_BREAK}-->"
"""The raw OpenXML block put between two documents converted together."""

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
FONT_TABLE = "word/fontTable.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
FOOTNOTES = "word/footnotes.xml"
FOOTNOTES_RELS = "word/_rels/footnotes.xml.rels"
NUMBERING = "word/numbering.xml"

FOOTNOTE_MARK = "undoc-footnote-mark:"
"""Start of the comment pandoc carries into a footnote whose mark is its own (see
:func:`pipeline.formats.docx.ast.footnote_mark_comment`): hexadecimal code points follow."""

FIRST_LIST_ID = 1001
"""The first ``w:numId`` of a list; pandoc's own numbering definitions are numbered below it."""

LIST_TEXT_START = twips(layout().points("un", "para_indent"))
"""Where the label of a first-degree subparagraph or bullet stands, twips: a paragraph's text."""

LIST_STEP = twips(layout().points("un", "sub_hang"))
"""How far each degree of a list hangs, twips: the label's room, and the next degree's indent."""

BLANK_FOOTER = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="UNHeaderFirst"/></w:pPr></w:p></w:ftr>').encode()
"""A first-page footer without job number, barcode, "Please recycle" or QR code."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_MARKER = re.compile(r"\{([a-z_]+)\}")
_RELATIONSHIP_ID = re.compile(r"rId([0-9]+)")


def w(tag: str) -> str:
    """A qualified name in the WordprocessingML namespace: ``w("p")``."""
    return f"{{{W}}}{tag}"


class PackageError(ValueError):
    """A part of the DOCX is not what the pass expects."""


@dataclass(frozen=True)
class Image:
    """A PNG placed inline in a header or footer at an explicit size (EMU)."""

    name: str
    """File name under ``word/media/``."""
    png: bytes
    width_emu: int
    height_emu: int
    description: str
    """Alternative text."""


@dataclass(frozen=True)
class ScriptFace:
    """The face of a script as the DOCX names it, and the free face that stands for it."""

    slot: str
    """The ``w:rFonts`` attribute of the script: ``cs`` (complex scripts, Arabic) or ``eastAsia``."""
    name: str
    """The face Word users have: "Simplified Arabic", "SimSun"."""
    alternative: str
    """The bundled free face of the same metrics, the font table's ``w:altName``."""
    language: str
    """The language of the script's runs, as Word tags it: "ar-SA", "zh-CN"."""
    charset: str
    """The font table's character set of the face (hexadecimal): "B2" Arabic, "86" GB 2312."""


_LANGUAGE_ATTRIBUTE = {"cs": "bidi", "eastAsia": "eastAsia"}
"""``w:rFonts`` slot -> the ``w:lang`` attribute of the same script."""


@dataclass(frozen=True)
class PlacedImage:
    """An image floating at the start of the paragraphs of one style, over the text and moving
    none of it: a PNG, or an SVG (which Word 2016 and later and LibreOffice draw). Its foot is
    on the foot of the paragraph's first line, it starts at the left margin, and the paragraph's
    text starts after it."""

    name: str
    """File name under ``word/media/``; its ending (``.png``, ``.svg``) names its type."""
    data: bytes
    width_emu: int
    height_emu: int
    description: str
    """Alternative text."""
    style: str
    """The paragraph style (its id) of the paragraph the image stands in."""
    clear_twips: int
    """The paragraph's left indent: the image's width and the room after it."""


@dataclass(frozen=True)
class Fill:
    """What the pass writes into one document's package."""

    texts: dict[str, str]
    """Marker name -> text for the ``{name}`` runs of headers and footers."""
    images: dict[str, Image]
    """Marker name -> image for the ``{name}`` runs of headers and footers."""
    core_properties: dict[str, str]
    """``title``, ``subject``, ``creator``, ``language`` and ``category`` (the genre: ``undoc import``
    reads a document back as the genre it was built as)."""
    timestamp: dt.datetime
    """The date of the document properties and of the zip entries (UTC)."""
    job_footer: bool = True
    """Whether the first page's footer carries the job number, barcode, "Please recycle" and QR code."""
    bullet: str = "–"
    """The label of a bullet item (the language's en dash)."""
    right_to_left: bool = False
    """Whether the document reads right to left: its sections and tables are mirrored."""
    paper: str = NEW_YORK_PAPER
    """The paper of the document's venue (a key of the layout's papers)."""
    justify: str | None = None
    """How the language's paragraphs are aligned (:func:`pipeline.layout.justification`);
    None: as the reference document has them."""
    script_faces: tuple[ScriptFace, ...] = ()
    """The faces of the document's script besides Times New Roman."""
    emblem: PlacedImage | None = None
    """The emblem at the left of the masthead's organ band; None: none is drawn."""


# ---------------------------------------------------------------- reading and writing parts


def parse(name: str, data: bytes) -> etree._Element:
    """A part as an element tree; a part that is not well-formed names itself."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"{name}: not well-formed XML: {exc}") from exc


def serialize(root: etree._Element) -> bytes:
    """A part as UTF-8 bytes with an XML declaration."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def read_zip(data: bytes) -> dict[str, bytes]:
    """The members of a zip by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# ---------------------------------------------------------------- headers and footers


def _relationships_of(parts: dict[str, bytes], part: str) -> tuple[str, etree._Element]:
    """The relationships part of ``part`` (created empty when absent) and its root."""
    folder, _, file = part.rpartition("/")
    name = f"{folder}/_rels/{file}.rels"
    if name in parts:
        return name, parse(name, parts[name])
    return name, etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})


def _add_relationship(rels: etree._Element, kind: str, target: str) -> str:
    """Add a relationship and return its new id."""
    taken = {r.get("Id") for r in rels}
    number = 1
    while f"rId{number}" in taken:
        number += 1
    rid = f"rId{number}"
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=rid, Type=kind, Target=target)
    return rid


def _drawing(image: Image, rid: str, shape_id: int) -> etree._Element:
    """An inline picture (``w:drawing``) of ``image`` at its explicit size."""
    drawing = etree.Element(w("drawing"), nsmap={"w": W, "wp": WP, "a": A, "pic": PIC, "r": R})
    inline = etree.SubElement(drawing, f"{{{WP}}}inline", distT="0", distB="0", distL="0", distR="0")
    size = {"cx": str(image.width_emu), "cy": str(image.height_emu)}
    etree.SubElement(inline, f"{{{WP}}}extent", size)
    _picture(inline, image, rid, shape_id)
    return drawing


SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
"""The drawing extension that names an SVG beside the picture's own image (Office 2016 and later)."""
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def _anchored(image: PlacedImage, rid: str, shape_id: int, top_emu: int) -> etree._Element:
    """A floating picture (``w:drawing`` with ``wp:anchor``) of ``image``: at the left margin,
    ``top_emu`` under the top of its paragraph, in front of the text and not wrapping it. An
    SVG is both the picture's image and, for Word, its SVG extension."""
    drawing = etree.Element(w("drawing"), nsmap={"w": W, "wp": WP, "a": A, "pic": PIC, "r": R})
    anchor = etree.SubElement(drawing, f"{{{WP}}}anchor", distT="0", distB="0", distL="0", distR="0",
                              simplePos="0", relativeHeight="1", behindDoc="0", locked="1", layoutInCell="1",
                              allowOverlap="1")
    etree.SubElement(anchor, f"{{{WP}}}simplePos", x="0", y="0")
    horizontal = etree.SubElement(anchor, f"{{{WP}}}positionH", relativeFrom="margin")
    etree.SubElement(horizontal, f"{{{WP}}}posOffset").text = "0"
    vertical = etree.SubElement(anchor, f"{{{WP}}}positionV", relativeFrom="paragraph")
    etree.SubElement(vertical, f"{{{WP}}}posOffset").text = str(top_emu)
    size = {"cx": str(image.width_emu), "cy": str(image.height_emu)}
    etree.SubElement(anchor, f"{{{WP}}}extent", size)
    etree.SubElement(anchor, f"{{{WP}}}effectExtent", l="0", t="0", r="0", b="0")
    etree.SubElement(anchor, f"{{{WP}}}wrapNone")
    _picture(anchor, image, rid, shape_id)
    return drawing


def _picture(holder: etree._Element, image: Image | PlacedImage, rid: str, shape_id: int) -> None:
    """The picture of a drawing's ``wp:inline`` or ``wp:anchor``: its name, its locked aspect and
    the image ``rid`` at its size (an SVG also named as Word's SVG extension)."""
    size = {"cx": str(image.width_emu), "cy": str(image.height_emu)}
    etree.SubElement(holder, f"{{{WP}}}docPr", id=str(shape_id), name=image.name, descr=image.description)
    frame = etree.SubElement(holder, f"{{{WP}}}cNvGraphicFramePr")
    etree.SubElement(frame, f"{{{A}}}graphicFrameLocks", noChangeAspect="1")
    graphic = etree.SubElement(holder, f"{{{A}}}graphic")
    data = etree.SubElement(graphic, f"{{{A}}}graphicData", uri=PIC)
    pic = etree.SubElement(data, f"{{{PIC}}}pic")
    nv = etree.SubElement(pic, f"{{{PIC}}}nvPicPr")
    etree.SubElement(nv, f"{{{PIC}}}cNvPr", id="0", name=image.name, descr=image.description)
    etree.SubElement(nv, f"{{{PIC}}}cNvPicPr")
    fill = etree.SubElement(pic, f"{{{PIC}}}blipFill")
    blip = etree.SubElement(fill, f"{{{A}}}blip", {f"{{{R}}}embed": rid})
    if image.name.endswith(".svg"):
        extension = etree.SubElement(etree.SubElement(blip, f"{{{A}}}extLst"), f"{{{A}}}ext", uri=SVG_BLIP)
        etree.SubElement(extension, f"{{{ASVG}}}svgBlip", {f"{{{R}}}embed": rid}, nsmap={"asvg": ASVG})
    stretch = etree.SubElement(fill, f"{{{A}}}stretch")
    etree.SubElement(stretch, f"{{{A}}}fillRect")
    sp = etree.SubElement(pic, f"{{{PIC}}}spPr")
    xfrm = etree.SubElement(sp, f"{{{A}}}xfrm")
    etree.SubElement(xfrm, f"{{{A}}}off", x="0", y="0")
    etree.SubElement(xfrm, f"{{{A}}}ext", size)
    geometry = etree.SubElement(sp, f"{{{A}}}prstGeom", prst="rect")
    etree.SubElement(geometry, f"{{{A}}}avLst")


SINGLE_LINE = 1.15
"""A single-spaced line's height over its font size (Liberation Serif, Times New Roman)."""


def first_line_foot_twips(styles: etree._Element, style_id: str) -> int:
    """How far under the top of a paragraph in the style ``style_id`` its first line ends, twips:
    the space before it and its exact or least line height, or a single line of its font size
    (read along ``basedOn``)."""
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}
    before = line = size = None
    rule = "auto"
    current = by_id.get(style_id)
    while current is not None:
        spacing = current.find(f"{w('pPr')}/{w('spacing')}")
        if spacing is not None:
            if before is None and spacing.get(w("before")) is not None:
                before = int(spacing.get(w("before"), "0"))
            if line is None and spacing.get(w("line")) is not None:
                line, rule = int(spacing.get(w("line"), "240")), spacing.get(w("lineRule"), "auto")
        found = current.find(f"{w('rPr')}/{w('sz')}")
        if size is None and found is not None:
            size = int(found.get(w("val"), "20"))
        based = current.find(w("basedOn"))
        current = by_id.get(based.get(w("val"))) if based is not None else None
    single = (size or 20) * 10 * SINGLE_LINE  # half-points to twips
    if line is not None and rule == "exact":
        height = line
    elif line is not None and rule == "atLeast":
        height = max(line, round(single))
    else:
        height = round(single * (line or 240) / 240)
    return (before or 0) + height


def place_emblem(parts: dict[str, bytes], document: etree._Element, rels: etree._Element,
                 styles: etree._Element, image: PlacedImage, shape_id: int) -> None:
    """Float ``image`` at the start of the first paragraph of its style, its foot on the foot of
    that paragraph's first line, and start that paragraph's text after it."""
    paragraph = next((s.getparent().getparent() for s in document.iter(w("pStyle"))
                      if s.get(w("val")) == image.style), None)
    if paragraph is None:
        raise PackageError(f"{DOCUMENT}: no paragraph of the style {image.style} for the emblem")
    foot = first_line_foot_twips(styles, image.style)
    media = f"media/{image.name}"
    parts[f"word/{media}"] = image.data
    rid = _add_relationship(rels, IMAGE_REL, media)
    top = foot * EMU_PER_INCH // 1440 - image.height_emu
    properties = paragraph.find(w("pPr"))
    run = etree.Element(w("r"))
    run.append(_anchored(image, rid, shape_id, top))
    properties.addnext(run)
    indent = _child(properties, "ind", _PPR_BEFORE_IND)
    indent.set(w("left"), str(image.clear_twips))


def first_footer(document: etree._Element, rels: etree._Element) -> str:
    """The part of the first page's footer, as the section properties name it."""
    reference = document.find(f"{w('body')}/{w('sectPr')}/{w('footerReference')}[@{w('type')}='first']")
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.get("Type") == FOOTER_REL}
    target = targets.get(reference.get(f"{{{R}}}id")) if reference is not None else None
    if not target:
        raise PackageError(f"{DOCUMENT}: no first-page footer")
    return f"word/{target}"


def header_footer_parts(rels: etree._Element) -> list[str]:
    """The header and footer parts the main document's relationships name, in name order."""
    targets = [r.get("Target", "") for r in rels if r.get("Type") in {HEADER_REL, FOOTER_REL}]
    return sorted(f"word/{t}" for t in targets)


LEFT_TO_RIGHT_MARK = "\u200e"
"""Put at both ends of left-to-right text in a right-to-left paragraph ("1 March 2023",
"23-03811 (A)"): the figures and brackets at its ends then keep their places."""


def has_right_to_left_letter(text: str) -> bool:
    """Whether ``text`` holds a letter written right to left (Arabic, Hebrew)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def left_to_right_text(text: str, right_to_left: bool) -> str:
    """``text`` held left to right between marks in a right-to-left document, where it has no
    right-to-left letter; as it is otherwise."""
    if not right_to_left or not text or has_right_to_left_letter(text):
        return text
    return f"{LEFT_TO_RIGHT_MARK}{text}{LEFT_TO_RIGHT_MARK}"


LATIN_FACE = WORD_NAMES[FONT_FAMILY]
"""The face of Latin letters and figures: Times New Roman."""


def latin_face_for_left_to_right_runs(root: etree._Element) -> None:
    """Each run of a right-to-left part that is set apart left to right (no ``w:rtl``: a
    symbol, a reference, English wording, a job number) and holds no right-to-left letter,
    with the Latin face in its complex-script slot too.

    Word sets such a run in the Latin face; LibreOffice gives its figures and slashes the
    script of the letters around them, and so the script's face, whose figures are wider
    ("75/240" then no longer fits where the PDF's does). The PDF keeps the Latin face first
    for the same runs (:func:`pipeline.formats.pdf.right_to_left_font_css`)."""
    for run in root.iter(w("r")):
        properties = run.find(w("rPr"))
        if properties is not None and properties.find(w("rtl")) is not None:
            continue
        text = "".join(t.text or "" for t in run.iter(w("t")))
        if not text.strip() or has_right_to_left_letter(text):
            continue
        if properties is None:
            properties = etree.Element(w("rPr"))
            run.insert(0, properties)
        _child(properties, "rFonts", ("rStyle",)).set(w("cs"), LATIN_FACE)


FOLIO_STYLE = "UNFolio"
"""The character style of the folio's runs (the PAGE and NUMPAGES fields and the slash between)."""


def _is_folio(run: etree._Element) -> bool:
    style = run.find(f"{w('rPr')}/{w('rStyle')}")
    return style is not None and style.get(w("val")) == FOLIO_STYLE


def folio_left_to_right(paragraph: etree._Element) -> None:
    """A right-to-left footer line that holds the folio, held left to right instead, its
    stretches (the folio, a tab, the job number) in the opposite order, so that each stands
    where it stood.

    Word processors set each field of a right-to-left line as a stretch of its own:
    LibreOffice reads "2/3" as "3/2" (the PAGE field at the right), and no bidirectional
    control around the fields keeps them in order."""
    runs = paragraph.findall(w("r"))
    if not any(_is_folio(run) for run in runs):
        return
    stretches: list[list[etree._Element]] = []
    for run in runs:
        if _is_folio(run) and stretches and _is_folio(stretches[-1][0]):
            stretches[-1].append(run)
        else:
            stretches.append([run])
        paragraph.remove(run)
    for stretch in reversed(stretches):
        paragraph.extend(stretch)
    _child(_child(paragraph, "pPr"), "bidi", _PPR_BEFORE_BIDI).set(w("val"), "0")  # the default is right to left


def fill_header_footer(parts: dict[str, bytes], name: str, fill: Fill, next_shape_id: int) -> int:
    """Replace the ``{name}`` runs of one header or footer part; return the next shape id.

    In a right-to-left document the part is mirrored as the body is (:func:`mirror`): the
    running heads and folios change sides, and so do the blocks of the first-page footer.
    """
    root = parse(name, parts[name])
    rels_name, rels = _relationships_of(parts, name)
    rels_changed = False
    for text in root.iter(w("t")):
        marker = _MARKER.fullmatch(text.text or "")
        if marker is None:
            if _MARKER.search(text.text or ""):
                raise PackageError(f"{name}: a marker must be the whole text of its run: {text.text!r}")
            continue
        key = marker.group(1)
        if key in fill.texts:
            text.text = left_to_right_text(fill.texts[key], fill.right_to_left)
        elif key in fill.images:
            image = fill.images[key]
            media = f"media/{image.name}"
            parts[f"word/{media}"] = image.png
            rid = _add_relationship(rels, IMAGE_REL, media)
            rels_changed = True
            text.getparent().replace(text, _drawing(image, rid, next_shape_id))
            next_shape_id += 1
        else:
            raise PackageError(f"{name}: no value for the marker {{{key}}}")
    if fill.right_to_left:
        mirror(root)
        latin_face_for_left_to_right_runs(root)
        for paragraph in root.iter(w("p")):
            folio_left_to_right(paragraph)
    parts[name] = serialize(root)
    if rels_changed:
        parts[rels_name] = serialize(rels)
    return next_shape_id


def ensure_png_type(parts: dict[str, bytes], extension: str = "png", content_type: str = "image/png") -> None:
    """Declare the PNG content type (or another image's) when the package holds such an image."""
    if not any(n.endswith(f".{extension}") for n in parts):
        return
    root = parse("[Content_Types].xml", parts["[Content_Types].xml"])
    if any(d.get("Extension", "").lower() == extension for d in root.iter(f"{{{CONTENT_TYPES}}}Default")):
        return
    default = etree.Element(f"{{{CONTENT_TYPES}}}Default", Extension=extension, ContentType=content_type)
    root.insert(0, default)
    parts["[Content_Types].xml"] = serialize(root)


# ---------------------------------------------------------------- main document


def _child(parent: etree._Element, tag: str, order: tuple[str, ...] = ()) -> etree._Element:
    """The first ``w:tag`` child of ``parent``, created in schema order when missing.

    ``order`` lists the sibling tags that must come before it.
    """
    found = parent.find(w(tag))
    if found is not None:
        return found
    element = etree.Element(w(tag))
    position = 0
    for index, sibling in enumerate(parent):
        if etree.QName(sibling).localname in order:
            position = index + 1
    parent.insert(position, element)
    return element


_TBLPR_BEFORE_W = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                   "tblStyleColBandSize")
_TBLPR_BEFORE_IND = (*_TBLPR_BEFORE_W, "tblW", "jc", "tblCellSpacing")
_TBLPR_BEFORE_BORDERS = (*_TBLPR_BEFORE_IND, "tblInd")
_TRPR_BEFORE_CANTSPLIT = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter")
_TCPR_BEFORE_W = ("cnfStyle",)
_TCPR_BEFORE_BORDERS = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge")


def text_measure(body: etree._Element) -> int:
    """The width between the margins of the document's (last) section, twips."""
    section = body.find(w("sectPr"))
    if section is None:
        raise PackageError("word/document.xml: no section properties")
    size, margins = section.find(w("pgSz")), section.find(w("pgMar"))
    if size is None or margins is None:
        raise PackageError("word/document.xml: no page size or margins")
    return int(size.get(w("w"), "0")) - int(margins.get(w("left"), "0")) - int(margins.get(w("right"), "0"))


def _border(parent: etree._Element, side: str, size: int) -> None:
    etree.SubElement(parent, w(side), {w("val"): "single", w("sz"): str(size), w("space"): "0",
                                       w("color"): "000000"})


def fit_table(table: etree._Element, measure: int) -> None:
    """Width, indent, column widths, rules and row properties of one table.

    The rules are those of the programme table: above and under the head rows (above the
    first row of a table without head) and at the bottom; none between columns or rows.
    """
    width = measure - 2 * TABLE_INDENT
    properties = table.find(w("tblPr"))
    grid = table.find(w("tblGrid"))
    if properties is None or grid is None:
        raise PackageError("word/document.xml: a table without properties or grid")
    table_width = _child(properties, "tblW", _TBLPR_BEFORE_W)
    table_width.attrib.clear()
    table_width.set(w("w"), str(width))
    table_width.set(w("type"), "dxa")
    indent = _child(properties, "tblInd", _TBLPR_BEFORE_IND)
    indent.set(w("w"), str(TABLE_INDENT))
    indent.set(w("type"), "dxa")
    borders = _child(properties, "tblBorders", _TBLPR_BEFORE_BORDERS)
    borders.clear()
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        etree.SubElement(borders, w(side), {w("val"): "nil"})

    columns = grid.findall(w("gridCol"))
    old = [int(c.get(w("w"), "0")) for c in columns]
    total = sum(old) or len(old)
    new = [round(width * o / total) for o in old[:-1]]
    new.append(width - sum(new))
    for column, value in zip(columns, new, strict=True):
        column.set(w("w"), str(value))

    rows = table.findall(w("tr"))
    if not rows:
        raise PackageError("word/document.xml: a table without rows")
    head_rows = [r for r in rows if r.find(f"{w('trPr')}/{w('tblHeader')}") is not None]
    keep_days_whole(rows)
    keep_last_row_with_notes(table, rows[-1])
    for row in rows:
        row_properties = _child(row, "trPr", ("tblPrEx",))
        _child(row_properties, "cantSplit", _TRPR_BEFORE_CANTSPLIT)
        column = 0
        for cell in row.findall(w("tc")):
            cell_properties = _child(cell, "tcPr")
            span_element = cell_properties.find(w("gridSpan"))
            span = int(span_element.get(w("val"), "1")) if span_element is not None else 1
            cell_width = _child(cell_properties, "tcW", _TCPR_BEFORE_W)
            cell_width.set(w("w"), str(sum(new[column:column + span])))
            cell_width.set(w("type"), "dxa")
            column += span
            sides: list[tuple[str, int]] = []
            if row is (head_rows or rows)[0]:
                sides.append(("top", HEAD_RULE))
            if row is rows[-1]:
                sides.append(("bottom", BOTTOM_RULE))
            elif head_rows and row is head_rows[-1]:
                sides.append(("bottom", HEAD_RULE))
            if sides:
                cell_borders = _child(cell_properties, "tcBorders", _TCPR_BEFORE_BORDERS)
                cell_borders.clear()
                for side, size in sides:
                    _border(cell_borders, side, size)


DAY_STYLE = "UNTableDay"
"""The paragraph style of a programme's day heading row."""

_PPR_BEFORE_KEEPNEXT = ("pStyle",)
_PPR_BEFORE_IND = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
                   "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
                   "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                   "snapToGrid", "spacing")


def keep_days_whole(rows: list[etree._Element]) -> None:
    """Each day of a programme on one page when it fits, as issued: the page breaks before a day.

    Every paragraph of a day's rows but the last row keeps with the next (a row whose paragraphs
    all keep with the next stays on the page of the row after it); the day heading row carries
    it already through its style. A day longer than a page breaks between its slots anyway.
    """
    days: list[list[etree._Element]] = []
    for row in rows:
        styles = {s.get(w("val")) for s in row.iter(w("pStyle"))}
        if DAY_STYLE in styles:
            days.append([row])
        elif days and row.find(f"{w('trPr')}/{w('tblHeader')}") is None:
            days[-1].append(row)
    for day in days:
        for row in day[:-1]:
            for paragraph in row.iter(w("p")):
                _child(_child(paragraph, "pPr"), "keepNext", _PPR_BEFORE_KEEPNEXT)


TABLE_NOTE_STYLES = frozenset({"UNTableNote", "UNTableNoteLast"})
"""The styles of the notes under a table (the last note's adds the space after the table)."""


def keep_last_row_with_notes(table: etree._Element, last_row: etree._Element) -> None:
    """A table's last row on the page of its first note, as the PDF keeps them: a note alone at the
    top of a page would point at rows on the page before. (A table without notes is followed by an
    empty paragraph of the last note's style, which keeps nothing.)"""
    following = table.getnext()
    if following is None or following.tag != w("p") or following.find(w("r")) is None:
        return
    style = following.find(f"{w('pPr')}/{w('pStyle')}")
    if style is None or style.get(w("val")) not in TABLE_NOTE_STYLES:
        return
    for paragraph in last_row.iter(w("p")):
        _child(_child(paragraph, "pPr"), "keepNext", _PPR_BEFORE_KEEPNEXT)


_PAGE_OF_SECTION = ("pgSz", "pgMar")
"""The section properties that make its page: paper size and margins."""


def give_page(parts: dict[str, bytes], document: etree._Element, styles: etree._Element,
              variant: PageVariant) -> None:
    """The document's own page where it differs from the reference document's (a New York
    page, left to right): the size and margins of its sections, the styles and the headers
    and footers whose measures follow the paper or the direction. Before the other steps,
    which read the measure from the section and fill the headers and footers."""
    for name, data in variant.parts.items():
        if name == DOCUMENT:
            own = parse(name, data).find(f"{w('body')}/{w('sectPr')}")
            if own is None:
                raise PackageError(f"{name}: the reference document has no section properties")
            for section in document.iter(w("sectPr")):
                for tag in _PAGE_OF_SECTION:
                    found, given = section.find(w(tag)), own.find(w(tag))
                    if found is None or given is None:
                        raise PackageError(f"{DOCUMENT}: a section without {tag}")
                    section.replace(found, deepcopy(given))
        elif name in parts and _HEADER_FOOTER.fullmatch(name):
            parts[name] = data
        else:
            raise PackageError(f"{name}: differs on a page of its own, but the pass does not give it")
    for style in list(styles.iterchildren(w("style"))) if variant.styles else ():
        own_style = variant.styles.get(style.get(w("styleId"), ""))
        if own_style is not None:
            styles.replace(style, etree.fromstring(own_style, _PARSER))


_HEADER_FOOTER = re.compile(r"word/(?:header|footer)[0-9]+\.xml")


def finish_document(root: etree._Element) -> None:
    """The table pass over the main document."""
    body = root.find(w("body"))
    if body is None:
        raise PackageError(f"{DOCUMENT}: no body")
    measure = text_measure(body)
    for table in body.iter(w("tbl")):
        fit_table(table, measure)


_SECTPR_BEFORE_BIDI = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
                       "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
                       "vAlign", "noEndnote", "titlePg", "textDirection")


_PPR_BEFORE_BIDI = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
                    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
                    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN")


def mirror(root: etree._Element) -> None:
    """Right-to-left sections and paragraphs (``w:bidi``; pandoc marks those of the body) and
    tables whose first column is at the right (``w:bidiVisual``), in a document or in a
    header or footer part."""
    for paragraph in root.iter(w("p")):
        _child(_child(paragraph, "pPr"), "bidi", _PPR_BEFORE_BIDI)
    for section in root.iter(w("sectPr")):
        _child(section, "bidi", _SECTPR_BEFORE_BIDI)
    for table in root.iter(w("tbl")):
        properties = table.find(w("tblPr"))
        if properties is None:
            raise PackageError(f"{DOCUMENT}: a table without properties")
        _child(properties, "bidiVisual", ("tblStyle", "tblpPr", "tblOverlap"))


def name_faces(styles: etree._Element, fonts: etree._Element, faces: tuple[ScriptFace, ...]) -> None:
    """Each script face in the run defaults (``w:rFonts``, ``w:lang``) and in the font table.

    Word sets the script's text in the named face; an application without it (LibreOffice,
    Word on a machine without the face) finds the bundled one by the alternative name.
    """
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    if defaults is None:
        raise PackageError(f"{STYLES}: no run defaults")
    run_fonts = _child(defaults, "rFonts", ("rStyle",))
    language = _child(defaults, "lang", ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps",
                                         "strike", "dstrike", "outline", "shadow", "emboss", "imprint",
                                         "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
                                         "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
                                         "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em"))
    for face in faces:
        run_fonts.set(w(face.slot), face.name)
        language.set(w(_LANGUAGE_ATTRIBUTE[face.slot]), face.language)
        if any(f.get(w("name")) == face.name for f in fonts.iterchildren(w("font"))):
            continue
        entry = etree.SubElement(fonts, w("font"), {w("name"): face.name})
        etree.SubElement(entry, w("altName"), {w("val"): face.alternative})
        etree.SubElement(entry, w("charset"), {w("val"): face.charset})
        etree.SubElement(entry, w("family"), {w("val"): "roman"})
        etree.SubElement(entry, w("pitch"), {w("val"): "variable"})


def finish_footnotes(root: etree._Element) -> dict[str, str]:
    """A tab between each footnote's number and its text (pandoc writes a space); own marks printed.

    A footnote that starts with a mark comment (:data:`FOOTNOTE_MARK`) prints that mark instead
    of its number. Returns the ids of such footnotes and their marks, for the calls in the text.
    """
    for reference in root.iter(w("footnoteRef")):
        run = reference.getparent()
        following = run.getnext() if run is not None else None
        text = following.find(w("t")) if following is not None else None
        if following is not None and text is not None and text.text == " " and len(following) == 1:
            following.replace(text, etree.Element(w("tab")))
    marks: dict[str, str] = {}
    for note in root.iterchildren(w("footnote")):
        for comment in list(note.iter(etree.Comment)):
            mark = _footnote_mark(comment.text or "")
            if mark is None:
                continue
            _remove_keeping_tail(comment)
            reference = note.find(f".//{w('footnoteRef')}")
            if reference is None:
                raise PackageError(f"{FOOTNOTES}: a marked footnote without its number")
            run = reference.getparent()
            text = etree.Element(w("t"))
            text.text = mark[0]
            run.replace(reference, text)
            _one_run_per_character(run, mark)
            marks[note.get(w("id"), "")] = mark
    return marks


def _footnote_mark(comment: str) -> str | None:
    if not comment.startswith(FOOTNOTE_MARK):
        return None
    try:
        return "".join(chr(int(code, 16)) for code in comment[len(FOOTNOTE_MARK):].split("-"))
    except ValueError:
        raise PackageError(f"{FOOTNOTES}: a footnote mark that is not code points: {comment!r}") from None


def _remove_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    assert parent is not None
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def mark_footnote_calls(document: etree._Element, marks: dict[str, str]) -> None:
    """The call of a footnote with its own mark: the mark follows the reference, which Word leaves unnumbered."""
    for reference in document.iter(w("footnoteReference")):
        mark = marks.get(reference.get(w("id"), ""))
        if mark is None:
            continue
        reference.set(w("customMarkFollows"), "1")
        follower = etree.Element(w("r"))
        properties = etree.SubElement(follower, w("rPr"))
        etree.SubElement(properties, w("rStyle"), {w("val"): "FootnoteReference"})
        etree.SubElement(follower, w("t")).text = mark[0]
        reference.getparent().addnext(follower)
        _one_run_per_character(follower, mark)


def _one_run_per_character(run: etree._Element, mark: str) -> None:
    """``run``, which holds the first character of ``mark``, followed by a copy of itself for each
    further character: LibreOffice takes a custom mark of one character only, and prints a
    longer one ("**") after a number of its own; Word prints the characters one after another."""
    for character in reversed(mark[1:]):
        copy = deepcopy(run)
        text = copy.find(w("t"))
        assert text is not None
        text.text = character
        run.addnext(copy)


def finish_numbering(numbering: etree._Element, bullet: str) -> None:
    """The lists' labels hang by depth from a paragraph's text; bullets print ``bullet``.

    Only the definitions the document's lists use are touched (from :data:`FIRST_LIST_ID`).
    """
    used = {a.get(w("val")) for n in numbering.iterchildren(w("num"))
            if int(n.get(w("numId"), "0")) >= FIRST_LIST_ID
            for a in n.iterchildren(w("abstractNumId"))}
    for definition in numbering.iterchildren(w("abstractNum")):
        if definition.get(w("abstractNumId")) not in used:
            continue
        for level in definition.iterchildren(w("lvl")):
            depth = int(level.get(w("ilvl"), "0"))
            properties = _child(level, "pPr", ("start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff",
                                                "lvlText", "lvlPicBulletId", "legacy", "lvlJc"))
            indent = _child(properties, "ind", ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                                "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd",
                                                "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
                                                "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
                                                "bidi", "adjustRightInd", "snapToGrid", "spacing"))
            indent.attrib.clear()
            indent.set(w("left"), str(LIST_TEXT_START + (depth + 1) * LIST_STEP))
            indent.set(w("hanging"), str(LIST_STEP))
            number_format = level.find(w("numFmt"))
            if number_format is not None and number_format.get(w("val")) == "bullet":
                text = level.find(w("lvlText"))
                if text is not None:
                    text.set(w("val"), bullet)
                fonts = level.find(w("rPr"))
                if fonts is not None:
                    level.remove(fonts)  # the label in the paragraph's face, not Symbol or Wingdings


# ---------------------------------------------------------------- footnotes and hyperlinks


def _is_special_note(note: etree._Element) -> bool:
    """A separator or continuation separator, not a footnote of the text."""
    return note.get(w("type")) is not None


def _hyperlink_targets(*roots: etree._Element) -> list[str]:
    """Relationship ids of the hyperlinks under ``roots``, in reading order, each once.

    A link to a bookmark of the document (``w:anchor``) has no relationship.
    """
    return list(dict.fromkeys(link.get(f"{{{R}}}id", "") for root in roots for link in root.iter(w("hyperlink"))
                              if link.get(f"{{{R}}}id") is not None))


def _note_references(root: etree._Element) -> list[str]:
    """Footnote ids in the order the text calls them, each once."""
    return list(dict.fromkeys(ref.get(w("id"), "") for ref in root.iter(w("footnoteReference"))))


def renumber(document: etree._Element, notes: etree._Element | None, rels: etree._Element,
             notes_rels: etree._Element | None = None) -> None:
    """Footnotes numbered 1, 2, … and hyperlinks rId n+1, n+2, … in reading order.

    pandoc numbers footnotes and hyperlink relationships with one counter over everything it
    converts, and lists the relationships in an order of its own; numbered here, a
    document's package is the same whether pandoc converted it alone or with others (only
    the footnotes and hyperlinks the document calls are kept). ``n`` is the highest
    relationship id that is not a hyperlink (the reference document's). The trees are the
    main document, its footnotes and the two parts' relationships.
    """
    if notes is not None:
        numbers = {old: str(index) for index, old in enumerate(_note_references(document), start=1)}
        special = [n for n in notes if _is_special_note(n)]
        texts = {n.get(w("id"), ""): n for n in notes if not _is_special_note(n)}
        missing = [old for old in numbers if old not in texts]
        if missing:
            raise PackageError(f"{FOOTNOTES}: no footnote {', '.join(missing)}, which the text calls")
        for ref in document.iter(w("footnoteReference")):
            ref.set(w("id"), numbers[ref.get(w("id"), "")])
        called = [texts[old] for old in numbers]  # the others are other documents' of one pandoc run
        for note in called:
            note.set(w("id"), numbers[note.get(w("id"), "")])
        _replace_children(notes, [*special, *called])

    links = {r.get("Id", ""): r for r in rels if r.get("Type") == HYPERLINK_REL}
    others = [r for r in rels if r.get("Type") != HYPERLINK_REL]
    taken = [int(m.group(1)) for r in others if (m := _RELATIONSHIP_ID.fullmatch(r.get("Id", "")))]
    first = max(taken, default=0) + 1
    used = _hyperlink_targets(document, *([notes] if notes is not None else []))
    missing = [rid for rid in used if rid not in links]
    if missing:
        raise PackageError(f"{DOCUMENT_RELS}: no relationship for the hyperlinks {', '.join(missing)}")
    ids = {old: f"rId{first + index}" for index, old in enumerate(used)}
    for root in (document, notes):
        if root is not None:
            for link in root.iter(w("hyperlink")):
                if link.get(f"{{{R}}}id") is not None:
                    link.set(f"{{{R}}}id", ids[link.get(f"{{{R}}}id", "")])
    ordered = [links[old] for old in used]
    for relationship in ordered:
        relationship.set("Id", ids[relationship.get("Id", "")])
    _replace_children(rels, [*others, *ordered])
    if notes_rels is not None:
        kept = [r for r in notes_rels if r.get("Type") != HYPERLINK_REL]
        _replace_children(notes_rels, [*kept, *(deepcopy(r) for r in ordered)])
    renumber_bookmarks(document)


def renumber_bookmarks(document: etree._Element) -> None:
    """Bookmark ids 0, 1, … in reading order (pandoc counts them over everything it converts)."""
    ids: dict[str, str] = {}
    for start in document.iter(w("bookmarkStart")):
        ids[start.get(w("id"), "")] = str(len(ids))
        start.set(w("id"), ids[start.get(w("id"), "")])
    for end in document.iter(w("bookmarkEnd")):
        old = end.get(w("id"), "")
        if old not in ids:
            raise PackageError(f"{DOCUMENT}: a bookmark ends that does not start: {old}")
        end.set(w("id"), ids[old])


def renumber_lists(document: etree._Element, numbering: etree._Element) -> None:
    """The document's lists numbered from :data:`FIRST_LIST_ID` in reading order; other runs' lists dropped.

    pandoc numbers lists over everything it converts; the definitions (``w:abstractNum``) kept
    are those the kept lists use, in the order of first use, after pandoc's own.
    """
    references = [n for n in document.iter(w("numId")) if int(n.get(w("val"), "0")) >= FIRST_LIST_ID]
    ids: dict[str, str] = {}
    for reference in references:
        ids.setdefault(reference.get(w("val"), ""), str(FIRST_LIST_ID + len(ids)))
        reference.set(w("val"), ids[reference.get(w("val"), "")])
    nums = {n.get(w("numId"), ""): n for n in numbering.iterchildren(w("num"))}
    missing = [old for old in ids if old not in nums]
    if missing:
        raise PackageError(f"{NUMBERING}: no list {', '.join(missing)}, which the text uses")
    own = [n for n in nums.values() if int(n.get(w("numId"), "0")) < FIRST_LIST_ID]
    kept = [*own, *(nums[old] for old in ids)]
    for old, new in ids.items():
        nums[old].set(w("numId"), new)
    definitions = {a.get(w("abstractNumId"), ""): a for a in numbering.iterchildren(w("abstractNum"))}
    order = dict.fromkeys(a.get(w("val"), "") for n in kept for a in n.iterchildren(w("abstractNumId")))
    others = [c for c in numbering if etree.QName(c).localname not in {"abstractNum", "num"}]
    _replace_children(numbering, [*others, *(definitions[key] for key in order if key in definitions), *kept])


def split_documents(docx: bytes, count: int) -> list[dict[str, bytes]]:
    """The packages of ``count`` documents that pandoc converted as one, cut at the breaks.

    The documents' blocks were joined with :data:`DOCUMENT_BREAK_XML` between them; the
    main document is cut there, as text (pandoc writes each block the same wherever it
    stands), and each piece gets the body's start and its section properties. The other
    parts are the same for all: :func:`renumber` then keeps the footnotes and hyperlinks
    each document calls, and each package is what converting the document alone gives.
    """
    parts = read_zip(docx)
    text = parts[DOCUMENT]
    start = text.find(b"<w:body>")
    end = text.rfind(b"<w:sectPr")
    if start < 0 or end < start:
        raise PackageError(f"{DOCUMENT}: no body ending in section properties")
    start += len(b"<w:body>")
    pieces = text[start:end].split(DOCUMENT_BREAK_XML.encode("ascii"))
    if len(pieces) != count:
        raise PackageError(f"{DOCUMENT}: {len(pieces)} documents where {count} were converted together")
    head, tail = text[:start], text[end:]
    return [{**parts, DOCUMENT: head + piece + tail} for piece in pieces]


def _replace_children(parent: etree._Element, children: list[etree._Element]) -> None:
    """Make ``children`` (moved, with their tails) the only children of ``parent``."""
    parent[:] = children


# ---------------------------------------------------------------- document properties


def w3cdtf(moment: dt.datetime) -> str:
    """A W3CDTF date-time in UTC: ``2023-03-04T00:00:00Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties(fill: Fill) -> bytes:
    """``docProps/core.xml``: title, subject, creator, language, category and fixed dates."""
    nsmap = {"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI}
    root = etree.Element(f"{{{CP}}}coreProperties", nsmap=nsmap)
    p = fill.core_properties
    for namespace, tag, value in ((DC, "title", p["title"]), (DC, "subject", p["subject"]),
                                  (DC, "creator", p["creator"]), (CP, "lastModifiedBy", p["creator"]),
                                  (DC, "language", p["language"]), (CP, "category", p["category"])):
        etree.SubElement(root, f"{{{namespace}}}{tag}").text = value
    for tag in ("created", "modified"):
        element = etree.SubElement(root, f"{{{DCTERMS}}}{tag}", {f"{{{XSI}}}type": "dcterms:W3CDTF"})
        element.text = w3cdtf(fill.timestamp)
    return serialize(root)


# ---------------------------------------------------------------- the whole pass


def zip_date(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry date (UTC, not before 1980, even seconds) for ``moment``."""
    utc = moment.astimezone(dt.UTC)
    if utc.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second - utc.second % 2)


_STYLE_USES = ("pStyle", "rStyle", "tblStyle", "numStyle")
_STYLE_LINKS = ("basedOn", "next", "link")


def drop_unused_styles(styles: etree._Element, parts: dict[str, bytes]) -> None:
    """From ``word/styles.xml`` (``styles``), the styles no other part uses (pandoc adds its
    own, such as the code-highlighting styles, whatever the document holds); a used style keeps
    the styles it is based on, its next and its linked style, and the defaults stay."""
    by_id = {style.get(w("styleId")): style for style in styles.iterchildren(w("style"))}
    used = {style_id for style_id, style in by_id.items() if style.get(w("default")) == "1"}
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != STYLES:
            text = data.decode("utf-8", "replace")
            if "Style" not in text:
                continue
            for element in parse(name, data).iter(*(w(tag) for tag in _STYLE_USES)):
                used.add(element.get(w("val")))
    pending = list(used)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in _STYLE_LINKS:
            link = style.find(w(tag))
            if link is not None and link.get(w("val")) not in used:
                used.add(link.get(w("val")))
                pending.append(link.get(w("val")))
    for style_id, style in by_id.items():
        if style_id not in used:
            styles.remove(style)


FIRST_SHAPE_ID = 1001
"""Drawing ids of header and footer images (pandoc numbers its own from 1)."""

EMBLEM_SHAPE_ID = 1000
"""Drawing id of the emblem, below those of the other header and footer images."""


def finish(docx: bytes, fill: Fill) -> bytes:
    """pandoc's DOCX with the pass applied, as deterministic zip bytes."""
    return finish_parts(read_zip(docx), fill)


def finish_parts(parts: dict[str, bytes], fill: Fill) -> bytes:
    """The pass over the parts of one document's package (changed in place): its DOCX bytes."""
    received = dict(parts)
    names = (DOCUMENT, DOCUMENT_RELS, FOOTNOTES, FOOTNOTES_RELS, NUMBERING)
    trees = {name: parse(name, parts[name]) for name in names if name in parts}
    document, rels, notes = trees[DOCUMENT], trees[DOCUMENT_RELS], trees.get(FOOTNOTES)
    if STYLES not in parts:
        raise PackageError(f"{STYLES}: missing")
    styles = parse(STYLES, parts[STYLES])  # written last: the styles no part uses go
    give_page(parts, document, styles, page_variant(fill.paper, fill.right_to_left, fill.justify))
    renumber(document, notes, rels, trees.get(FOOTNOTES_RELS))
    numbering = trees.get(NUMBERING)
    if numbering is not None:
        renumber_lists(document, numbering)
        finish_numbering(numbering, fill.bullet)
    finish_document(document)
    if fill.right_to_left:
        mirror(document)
        for tree in (document, notes):
            if tree is not None:
                latin_face_for_left_to_right_runs(tree)
    if fill.script_faces:
        if FONT_TABLE not in parts:
            raise PackageError(f"{FONT_TABLE}: missing")
        fonts = parse(FONT_TABLE, parts[FONT_TABLE])
        name_faces(styles, fonts, fill.script_faces)
        parts[FONT_TABLE] = serialize(fonts)
    if fill.emblem is not None:
        place_emblem(parts, document, rels, styles, fill.emblem, EMBLEM_SHAPE_ID)
    if notes is not None:
        mark_footnote_calls(document, finish_footnotes(notes))
    for name, tree in trees.items():
        parts[name] = serialize(tree)
    if not fill.job_footer:
        parts[first_footer(document, rels)] = BLANK_FOOTER
    shape_id = FIRST_SHAPE_ID
    for name in header_footer_parts(rels):
        shape_id = fill_header_footer(parts, name, fill, shape_id)
    ensure_png_type(parts)
    ensure_png_type(parts, "svg", "image/svg+xml")
    drop_unused_styles(styles, parts)
    parts[STYLES] = serialize(styles)
    parts["docProps/core.xml"] = core_properties(fill)
    # a part the pass wrote was serialized from a tree it parsed; the others are checked here
    check_parts({name: data for name, data in parts.items() if received.get(name) is data})
    return zip_parts(parts, zip_date(fill.timestamp))


_WELL_FORMED: dict[tuple[str, bytes], None] = {}
"""Parts found well-formed already (the parts pandoc writes alike for every document)."""

_WELL_FORMED_KEPT = 64
"""How many such parts are remembered."""


def check_parts(parts: dict[str, bytes]) -> None:
    """Parse every XML part of the package: raw OOXML is not checked by pandoc."""
    for name in sorted(parts):
        if not name.endswith((".xml", ".rels")) or (name, parts[name]) in _WELL_FORMED:
            continue
        parse(name, parts[name])
        if len(_WELL_FORMED) >= _WELL_FORMED_KEPT:
            _WELL_FORMED.pop(next(iter(_WELL_FORMED)))
        _WELL_FORMED[(name, parts[name])] = None

"""Make the bundled Chinese face from Noto Serif CJK: the SC face, cut down to GB 2312.

    python tools/fonts/cjk_subset.py NotoSerifCJK-Regular.ttc pipeline/data/fonts/NotoSerifCJKsc-Regular.ttf

The input is a collection of Debian's ``fonts-noto-cjk`` (1:20220127+repack1-1,
``/usr/share/fonts/opentype/noto/``). The output keeps the face's Simplified Chinese glyphs
for every character of GB 2312 (its 6,763 ideographs, punctuation, full-width forms, kana,
Greek and Cyrillic) and the blocks of CJK punctuation and full-width forms, with the
layout features a line of horizontal text uses, in TrueType outlines. The result is the
same bytes on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FACE = "Noto Serif CJK SC"
"""The face of the collection to keep, by family name."""

BLOCKS = ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2000, 0x206F))
"""CJK symbols and punctuation, half- and full-width forms, general punctuation."""

MAX_ERROR = 1.0
"""Largest distance, in font units (a thousandth of an em), of a quadratic outline from the cubic one."""


def characters() -> set[int]:
    """Every character GB 2312 encodes, and the punctuation blocks."""
    points = {point for low, high in BLOCKS for point in range(low, high + 1)}
    for point in range(0x20, 0x10000):
        try:
            chr(point).encode("gb2312")
        except UnicodeEncodeError:
            continue
        points.add(point)
    return points


def main(source: str, target: str) -> None:
    """Write the subset of ``FACE`` from the collection ``source`` to ``target``."""
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FACE)
    options = subset.Options()
    options.layout_features = ["ccmp", "kern", "liga"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    _name_outlines(font)
    _to_truetype(font)
    font.recalcTimestamp = False  # the face keeps its own modification date: the same bytes on every run
    font.save(Path(target))


def _to_truetype(font: TTFont) -> None:
    """Quadratic (TrueType) outlines in place of the PostScript ones, within a hundredth of
    an em of them: a PDF embeds a subset of such a face in a fraction of the time (its
    glyphs are cut out of the table as they are, where PostScript outlines are rebuilt)."""
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def _name_outlines(font: TTFont) -> None:
    """Give the outlines the face's own names: the collection's faces share one CFF table,
    named after the Japanese face, and a PDF would name the embedded font after it."""
    postscript = font["name"].getDebugName(6)
    cff = font["CFF "].cff
    shared = cff.fontNames[0]
    top = cff.topDictIndex[0]
    cff.fontNames = [postscript]
    top.FullName = font["name"].getDebugName(4)
    top.FamilyName = font["name"].getDebugName(1)
    for sub in getattr(top, "FDArray", []):
        sub.FontName = sub.FontName.replace(shared, postscript)


if __name__ == "__main__":
    main(*sys.argv[1:3])

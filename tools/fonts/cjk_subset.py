"""Make the bundled Chinese face from Noto Serif CJK: the SC face, cut down to GB 2312.

    python tools/fonts/cjk_subset.py NotoSerifCJK-Regular.ttc pipeline/data/fonts/NotoSerifCJKsc-Regular.otf

The input is a collection of Debian's ``fonts-noto-cjk`` (1:20220127+repack1-1,
``/usr/share/fonts/opentype/noto/``). The output keeps the face's Simplified Chinese glyphs
for every character of GB 2312 (its 6,763 ideographs, punctuation, full-width forms, kana,
Greek and Cyrillic) and the blocks of CJK punctuation and full-width forms, with the
layout features a line of horizontal text uses. The result is the same bytes on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FACE = "Noto Serif CJK SC"
"""The face of the collection to keep, by family name."""

BLOCKS = ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2000, 0x206F))
"""CJK symbols and punctuation, half- and full-width forms, general punctuation."""


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
    font.save(Path(target))


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

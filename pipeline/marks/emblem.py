"""The emblem at the left of the masthead's organ band, before "General Assembly".

The project draws no emblem: the documents repository names an SVG or PNG image in its
configuration (``emblem = "emblem.svg"``), and every format places it at the one place and
size written here. Without one nothing is drawn and the masthead is laid out as before.

The image is read and checked once, when the configuration is read: a file that is missing,
or is neither an SVG nor a PNG, is a configuration error, so that a renderer never meets it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.layout import layout

__all__ = [
    "EMBLEM_GAP_PT",
    "EMBLEM_HEIGHT_PT",
    "Emblem",
    "EmblemError",
    "read_emblem",
]


EMBLEM_HEIGHT_PT = layout().points("marks", "emblem_height")
"""Height of the emblem: half an inch, no taller than the right-hand block beside it (three
10 pt lines at 12 pt), so that the band keeps its height. Its width follows the image; its
foot stands on the foot of the organ's line, at the left margin."""

EMBLEM_GAP_PT = layout().points("marks", "emblem_gap")
"""Room between the emblem and the organ's name."""

SVG_TYPE = "image/svg+xml"
PNG_TYPE = "image/png"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|mm|cm|in)?\s*")
_UNIT_PT = {None: 0.75, "px": 0.75, "pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


class EmblemError(ValueError):
    """The configured emblem cannot be used; the message says why, for a configuration diagnostic."""


@dataclass(frozen=True)
class Emblem:
    """The documents repository's emblem: the image's bytes and the proportions it is drawn in."""

    media_type: str
    """``image/svg+xml`` or ``image/png``."""
    data: bytes
    aspect: float
    """Width over height."""

    @property
    def width_pt(self) -> float:
        """Width as printed, in points (two decimals, as every format writes it)."""
        return round(EMBLEM_HEIGHT_PT * self.aspect, 2)

    @property
    def height_pt(self) -> float:
        """Height as printed, in points."""
        return EMBLEM_HEIGHT_PT

    @property
    def suffix(self) -> str:
        """The file name ending of the image's type."""
        return ".svg" if self.media_type == SVG_TYPE else ".png"

    def data_uri(self) -> str:
        """The image as a ``data:`` address."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def read_emblem(path: Path) -> Emblem:
    """The emblem in the file at ``path``; :class:`EmblemError` when it is missing or not an SVG or PNG."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EmblemError("no such file") from None
    except IsADirectoryError:
        raise EmblemError("it is a folder, not an image") from None
    except OSError as exc:
        raise EmblemError(f"it cannot be read: {exc.strerror or exc}") from None
    if data.startswith(_PNG_SIGNATURE):
        return Emblem(PNG_TYPE, data, _png_aspect(data))
    return Emblem(SVG_TYPE, data, _svg_aspect(data))


def _png_aspect(data: bytes) -> float:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise EmblemError("it starts like a PNG image but has no image header")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not width or not height:
        raise EmblemError("the PNG image has no pixels")
    return width / height


def _svg_aspect(data: bytes) -> float:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise EmblemError("it is neither an SVG nor a PNG image") from None
    if root.tag != f"{{{_SVG_NAMESPACE}}}svg":
        raise EmblemError("it is neither an SVG nor a PNG image (an SVG's root is <svg> in the SVG namespace)")
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            width, height = float(view_box[2]), float(view_box[3])
        except ValueError:
            width = height = 0.0
        if width > 0 and height > 0:
            return width / height
    sizes = [_length_pt(root.get(name)) for name in ("width", "height")]
    if sizes[0] and sizes[1]:
        return sizes[0] / sizes[1]
    raise EmblemError("the SVG image has no size: give its <svg> a viewBox, or a width and a height")


def _length_pt(value: str | None) -> float:
    found = _LENGTH.fullmatch(value or "")
    return float(found.group(1)) * _UNIT_PT[found.group(2)] if found else 0.0

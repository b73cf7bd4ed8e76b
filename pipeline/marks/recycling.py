"""The recycling mark drawn beside "Please recycle": the universal recycling symbol.

Three arrows chase each other round a triangle, each folded at a corner into the next. The
symbol is in the public domain; this drawing is made here from its geometry, so that every
format draws the same shape: an SVG for the HTML and the PDF, and a PNG (rasterised here,
without any imaging library) for the DOCX, whose readers do not all take SVG.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib
from xml.sax.saxutils import escape

__all__ = ["recycling_png", "recycling_svg"]

_RADIUS = 47.0
"""Distance from the centre to a corner of the triangle the arrows run along."""
_BAND = 10.0
"""Width of an arrow's shaft."""
_HEAD = 17.0
"""Length of an arrowhead."""
_BARB = 6.5
"""How far an arrowhead reaches beyond its shaft on either side."""
_TIP_GAP = 6.0
"""Room between an arrow's tip and the corner ahead of it."""

Point = tuple[float, float]


def _arrow(k: int) -> tuple[Point, ...]:
    """The outline of the arrow running from corner ``k`` to corner ``k + 1``."""
    corners = [(_RADIUS * math.cos(math.radians(-90 + 120 * i)), _RADIUS * math.sin(math.radians(-90 + 120 * i)))
               for i in range(3)]
    a, b = corners[k], corners[(k + 1) % 3]
    side = math.dist(a, b)
    u = ((b[0] - a[0]) / side, (b[1] - a[1]) / side)
    n = (u[1], -u[0])
    if (a[0] + b[0]) * n[0] + (a[1] + b[1]) * n[1] > 0:  # the shaft lies inside the triangle
        n = (-n[0], -n[1])

    def at(along: float, inward: float) -> Point:
        return a[0] + u[0] * along + n[0] * inward, a[1] + u[1] * along + n[1] * inward

    slope = math.tan(math.radians(30))  # the tail is cut along the previous arrow's shaft
    tail = _BAND / slope + 4
    tip = side - _TIP_GAP
    head = tip - _HEAD
    return (at(tail - _BAND * slope, 0), at(head, 0), at(head, -_BARB), at(tip, _BAND / 2),
            at(head, _BAND + _BARB), at(head, _BAND), at(tail, _BAND))


_ARROWS = tuple(_arrow(k) for k in range(3))


def _view_box() -> tuple[float, float, float, float]:
    """A square around the three arrows, one unit of margin on every side."""
    xs = [x for arrow in _ARROWS for x, _ in arrow]
    ys = [y for arrow in _ARROWS for _, y in arrow]
    side = max(max(xs) - min(xs), max(ys) - min(ys)) + 2
    return ((min(xs) + max(xs) - side) / 2, (min(ys) + max(ys) - side) / 2, side, side)


_VIEW_BOX = _view_box()


@functools.cache
def recycling_svg(title: str) -> str:
    """The mark as an SVG element: a ``viewBox`` and no size (the stylesheet sizes it), black
    on no background, with ``title`` (in the document's language) for assistive technology."""
    x, y, w, h = _VIEW_BOX
    paths = "".join(
        '<path d="M' + " L".join(f"{px:.2f} {py:.2f}" for px, py in arrow) + 'Z"/>' for arrow in _ARROWS)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" role="img">'
            f"<title>{escape(title)}</title>{paths}</svg>")


@functools.cache
def recycling_png(side_px: int) -> bytes:
    """The mark as a square greyscale PNG of ``side_px`` pixels, black on white, anti-aliased.

    Each pixel is sampled 4 × 4 times; a sample is dark when it lies inside an arrow (nonzero
    winding). The bytes depend on ``side_px`` alone: no time stamp, no physical size.
    """
    if side_px < 1:
        raise ValueError(f"side_px must be positive, got {side_px}")
    samples = 4
    x0, y0, width, _ = _VIEW_BOX
    scale = side_px * samples / width
    cover = [[0] * side_px for _ in range(side_px)]
    for row in range(side_px * samples):
        y = y0 + (row + 0.5) / scale
        crossings: list[tuple[float, int]] = []
        for arrow in _ARROWS:
            for (ax, ay), (bx, by) in zip(arrow, arrow[1:] + arrow[:1], strict=True):
                if (ay <= y) != (by <= y):
                    crossings.append((ax + (y - ay) * (bx - ax) / (by - ay), 1 if by > ay else -1))
        crossings.sort()
        winding, start = 0, 0.0
        for x, direction in crossings:
            if winding == 0:
                start = x
            winding += direction
            if winding == 0:
                first = max(0, math.ceil((start - x0) * scale - 0.5))
                last = min(side_px * samples - 1, math.floor((x - x0) * scale - 0.5))
                line = cover[row // samples]
                for column in range(first, last + 1):
                    line[column // samples] += 1
    full = samples * samples
    raw = b"".join(b"\0" + bytes(255 - c * 255 // full for c in line) for line in cover)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side_px, side_px, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))

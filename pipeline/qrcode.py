"""QR codes for the first-page footer.

The first-page footer carries, at right, a QR code of the document's
undocs.org address (for example ``https://undocs.org/en/A/AC.292/2023/2``).

The symbol is encoded by the `segno <https://pypi.org/project/segno/>`_
library with fixed settings, so that the same address always gives the same
symbol:

* a regular QR code (never a Micro QR code), the smallest version that fits;
* error correction level M, not raised even when a higher level would fit in
  the same version;
* a quiet zone (border) of :data:`QR_BORDER` = 4 modules on every side, the
  width required by ISO/IEC 18004.  The border is part of both images: a
  symbol of ``n`` x ``n`` modules gives an image of ``n + 8`` x ``n + 8``
  modules, white around the symbol.

The images are black on white and byte-for-byte deterministic.
"""

from __future__ import annotations

import functools
import io
from xml.sax.saxutils import escape

import segno

__all__ = ["QR_BORDER", "QR_ERROR_LEVEL", "qr_modules", "qr_png", "qr_svg"]

#: Quiet zone around the symbol, in modules, included in every image.
QR_BORDER: int = 4

#: Error correction level of every symbol.
QR_ERROR_LEVEL: str = "M"

#: Decimals kept in SVG sizes, so that the text is byte-stable.
_SVG_DECIMALS = 3


@functools.lru_cache(maxsize=64)
def _make(url: str) -> segno.QRCode:
    """Encode *url* as a QR code with the fixed settings of this module.

    Encoding (the mask search above all) takes milliseconds, and a document's address is
    drawn several times (its size, the DOCX image, the HTML and PDF image), so a worker
    keeps the last symbols it made; nothing changes a symbol once made.
    """
    if not url:
        raise ValueError("cannot make a QR code of an empty address")
    return segno.make_qr(url, error=QR_ERROR_LEVEL.lower(), boost_error=False)


def _format(value: float) -> str:
    """Format an SVG number with fixed decimals and no trailing zeros."""
    text = f"{value:.{_SVG_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def qr_modules(url: str) -> int:
    """Return the side of the image for *url*, in modules, border included.

    This is the symbol size (21 modules for version 1, plus 4 per version)
    plus twice :data:`QR_BORDER`; a typical undocs.org address gives a
    version 3 symbol, 29 + 8 = 37 modules.
    """
    width, _height = _make(url).symbol_size(border=QR_BORDER)
    return int(width)


def qr_svg(url: str, *, size_pt: float) -> str:
    """Return a standalone SVG image of the QR code for *url*.

    Args:
        url: the address to encode, for example
            ``https://undocs.org/en/A/AC.292/2023/2``.
        size_pt: side of the square image in points, quiet zone included.  A
            module is ``size_pt / qr_modules(url)`` points wide.

    The root ``<svg>`` sets ``xmlns``, ``width``/``height`` in ``pt`` and a
    ``viewBox`` in module units (``0 0 m m``, with ``m = qr_modules(url)``).
    It holds a ``<title>`` with the address, a white background ``<rect>``
    covering the whole image and one black ``<path>`` drawing the dark
    modules as filled horizontal runs in whole module coordinates.  No XML
    declaration is written.  The text depends on the arguments alone.

    Raises:
        ValueError: if *url* is empty, too long for a QR code, or *size_pt*
            is not positive.
    """
    if size_pt <= 0:
        raise ValueError("size_pt must be positive")
    qr = _make(url)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=QR_BORDER)]
    side = len(rows)

    commands: list[str] = []
    for y, row in enumerate(rows):
        x = 0
        while x < side:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < side and row[x]:
                x += 1
            commands.append(f"M{start} {y}h{x - start}v1h-{x - start}z")

    size = _format(size_pt)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}pt" '
            f'height="{size}pt" viewBox="0 0 {side} {side}" '
            f'role="img" shape-rendering="crispEdges">',
            f"<title>{escape(url)}</title>",
            f'<rect x="0" y="0" width="{side}" height="{side}" fill="#fff"/>',
            f'<path fill="#000" d="{"".join(commands)}"/>',
            "</svg>\n",
        ]
    )


def qr_png(url: str, *, scale: int) -> bytes:
    """Return a PNG image of the QR code for *url*.

    Args:
        url: the address to encode.
        scale: side of a module, in pixels.

    The image is square, ``qr_modules(url) * scale`` pixels a side (quiet
    zone included), 1-bit greyscale, black on white.  It holds no time stamp
    and no physical size (the renderer sets the displayed size), so the bytes
    depend on the arguments alone.

    Raises:
        ValueError: if *url* is empty or too long for a QR code, or *scale* is
            not a positive whole number.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive whole number, got {scale!r}")
    buffer = io.BytesIO()
    _make(url).save(
        buffer,
        kind="png",
        scale=scale,
        border=QR_BORDER,
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue()

"""QR codes for the first-page footer.

The first-page footer carries, at right, a QR code of the document's
undocs.org address (for example ``https://undocs.org/en/A/AC.292/2023/2``).

The symbol and both images are made by the `segno <https://pypi.org/project/segno/>`_
library with fixed settings, so that the same address always gives the same bytes:

* a regular QR code (never a Micro QR code), the smallest version that fits, the data
  mask segno chooses;
* error correction level M, not raised even when a higher level would fit in
  the same version;
* a quiet zone (border) of :data:`QR_BORDER` = 4 modules on every side, the
  width required by ISO/IEC 18004.  The border is part of both images: a
  symbol of ``n`` x ``n`` modules gives an image of ``n + 8`` x ``n + 8``
  modules, white around the symbol.
"""

from __future__ import annotations

import functools
import io

import segno

__all__ = ["QR_BORDER", "QR_ERROR_LEVEL", "qr_modules", "qr_png", "qr_svg"]

#: Quiet zone around the symbol, in modules, included in every image.
QR_BORDER: int = 4

#: Error correction level of every symbol.
QR_ERROR_LEVEL: str = "M"


@functools.lru_cache(maxsize=64)
def _make(url: str) -> segno.QRCode:
    """Encode *url* as a QR code with the fixed settings of this module.

    A document's address is drawn several times (its size, the DOCX image, the HTML and
    PDF image), so a worker keeps the last symbols it made; nothing changes a symbol once
    made.
    """
    if not url:
        raise ValueError("cannot make a QR code of an empty address")
    return segno.make_qr(url, error=QR_ERROR_LEVEL.lower(), boost_error=False)


def qr_modules(url: str) -> int:
    """Return the side of the image for *url*, in modules, border included.

    This is the symbol size (21 modules for version 1, plus 4 per version)
    plus twice :data:`QR_BORDER`; a typical undocs.org address gives a
    version 3 symbol, 29 + 8 = 37 modules.
    """
    width, _height = _make(url).symbol_size(border=QR_BORDER)
    return int(width)


def qr_svg(url: str) -> str:
    """Return an SVG image of the QR code for *url*, as segno writes it.

    The root ``<svg>`` declares the SVG namespace and has a ``viewBox`` in module units (``0 0 m m``, with
    ``m = qr_modules(url)``) and no width or height: the stylesheet sizes it.  It holds a
    ``<title>`` with the address, a white background and the dark modules in black.  No
    XML declaration is written, and no final newline.

    Raises:
        ValueError: if *url* is empty or too long for a QR code.
    """
    written = io.BytesIO()
    _make(url).save(written, kind="svg", border=QR_BORDER, dark="#000", light="#fff", title=url,
                    xmldecl=False, nl=False, svgclass=None, lineclass=None, omitsize=True)
    return written.getvalue().decode("utf-8")


def qr_png(url: str, *, scale: int) -> bytes:
    """Return a PNG image of the QR code for *url*, as segno writes it.

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
    written = io.BytesIO()
    _make(url).save(written, kind="png", scale=scale, border=QR_BORDER, dark="#000", light="#fff")
    return written.getvalue()

"""Code 39 barcodes for the first-page footer.

The first-page footer of an issued document carries a Code 39 barcode of the
digits of the job number: job number "23-04216" is encoded as the data
"2304216", whose human-readable form (start/stop characters included) is
"*2304216*".

This module is a small, dependency-free Code 39 encoder (ISO/IEC 16388, the
plain 43-character set, no check character) with two renderers:

* :func:`code39_svg` - a standalone SVG made of ``<rect>`` elements, sized in
  points, for the PDF and HTML outputs;
* :func:`code39_png` - a 1-bit greyscale PNG, for the DOCX output.

Both outputs are byte-for-byte deterministic: the same arguments always give
the same bytes.

Symbol geometry
---------------
Each character is nine elements, five bars and four spaces, starting with a
bar; three of the nine are wide.  Characters are separated by a narrow space
(the inter-character gap).  A symbol is framed by quiet zones of
``quiet_zone`` narrow widths (10 by default, the minimum of the standard) on
the left and the right.  With ``c`` data characters, wide/narrow ratio ``r``
and narrow width ``X``, the bars and spaces span
``((c + 2) * (6 + 3 * r) + (c + 1)) * X``.
"""

from __future__ import annotations

import re
import struct
import zlib
from xml.sax.saxutils import escape

__all__ = [
    "CODE39_CHARSET",
    "code39_pattern",
    "code39_png",
    "code39_svg",
    "job_barcode_text",
]

#: The start/stop character.  It frames every symbol and may not occur in data.
_START_STOP = "*"

#: Element widths of each character, as published in the Code 39 table:
#: nine elements, bar first, alternating bar/space; ``n`` narrow, ``w`` wide.
_TABLE: dict[str, str] = {
    "0": "nnnwwnwnn",
    "1": "wnnwnnnnw",
    "2": "nnwwnnnnw",
    "3": "wnwwnnnnn",
    "4": "nnnwwnnnw",
    "5": "wnnwwnnnn",
    "6": "nnwwwnnnn",
    "7": "nnnwnnwnw",
    "8": "wnnwnnwnn",
    "9": "nnwwnnwnn",
    "A": "wnnnnwnnw",
    "B": "nnwnnwnnw",
    "C": "wnwnnwnnn",
    "D": "nnnnwwnnw",
    "E": "wnnnwwnnn",
    "F": "nnwnwwnnn",
    "G": "nnnnnwwnw",
    "H": "wnnnnwwnn",
    "I": "nnwnnwwnn",
    "J": "nnnnwwwnn",
    "K": "wnnnnnnww",
    "L": "nnwnnnnww",
    "M": "wnwnnnnwn",
    "N": "nnnnwnnww",
    "O": "wnnnwnnwn",
    "P": "nnwnwnnwn",
    "Q": "nnnnnnwww",
    "R": "wnnnnnwwn",
    "S": "nnwnnnwwn",
    "T": "nnnnwnwwn",
    "U": "wwnnnnnnw",
    "V": "nwwnnnnnw",
    "W": "wwwnnnnnn",
    "X": "nwnnwnnnw",
    "Y": "wwnnwnnnn",
    "Z": "nwwnwnnnn",
    "-": "nwnnnnwnw",
    ".": "wwnnnnwnn",
    " ": "nwwnnnwnn",
    "$": "nwnwnwnnn",
    "/": "nwnwnnnwn",
    "+": "nwnnnwnwn",
    "%": "nnnwnwnwn",
    "*": "nwnnwnwnn",
}

#: The characters Code 39 can encode as data (the start/stop ``*`` excluded).
CODE39_CHARSET: str = "".join(ch for ch in _TABLE if ch != _START_STOP)

#: Narrow inter-character gap between two characters.
_GAP = "n"

#: Default quiet zone on each side, in narrow widths (the standard's minimum).
_QUIET_ZONE = 10

#: Decimals kept in SVG coordinates, so that the text is byte-stable.
_SVG_DECIMALS = 3

_JOB_NUMBER = re.compile(r"\s*([0-9][0-9-]*[0-9]|[0-9])\s*(?:\([A-Za-z]\)\s*)?")


def _bare_data(data: str) -> str:
    """Return *data* without its framing asterisks, checking every character."""
    if len(data) >= 2 and data[0] == _START_STOP and data[-1] == _START_STOP:
        data = data[1:-1]
    if not data:
        raise ValueError("Code 39 data must not be empty")
    for position, ch in enumerate(data):
        if ch == _START_STOP:
            raise ValueError(
                f"'*' is the Code 39 start/stop character and cannot be encoded "
                f"(position {position} of {data!r})"
            )
        if ch not in _TABLE:
            raise ValueError(
                f"Code 39 cannot encode {ch!r} (position {position} of {data!r}); "
                f"allowed characters: {CODE39_CHARSET!r}"
            )
    return data


def code39_pattern(data: str) -> str:
    """Return the bar/space width sequence of the Code 39 symbol for *data*.

    The result is a string of ``n`` (narrow) and ``w`` (wide) element widths,
    alternating bar, space, bar, ...; it starts and ends with a bar.  It
    contains the start character, the data characters and the stop character,
    each nine elements long, separated by one narrow inter-character gap, so
    its length is ``10 * (len(data) + 2) - 1``.  Quiet zones are not included.

    *data* is given either bare (``"2304216"``) or in its human-readable form
    framed by asterisks (``"*2304216*"``); the result is the same.  Only the
    43 characters of :data:`CODE39_CHARSET` (upper-case letters, digits and
    ``- . space $ / + %``) can be encoded, with no check character.

    Raises:
        ValueError: if *data* is empty or holds a character Code 39 cannot
            encode (lower-case letters included, and ``*`` inside the data).
    """
    bare = _bare_data(data)
    characters = _START_STOP + bare + _START_STOP
    return _GAP.join(_TABLE[ch] for ch in characters)


def _check_ratio(ratio: float) -> None:
    """Reject a wide/narrow ratio outside the 2.0-3.0 range of the standard."""
    if not 2.0 <= ratio <= 3.0:
        raise ValueError(f"Code 39 wide/narrow ratio must be between 2 and 3, got {ratio}")


def _format(value: float) -> str:
    """Format an SVG number with fixed decimals and no trailing zeros."""
    text = f"{value:.{_SVG_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def code39_svg(
    data: str,
    *,
    height_pt: float,
    narrow_pt: float,
    ratio: float = 2.5,
    quiet_zone: int = _QUIET_ZONE,
) -> str:
    """Return a standalone SVG image of the Code 39 symbol for *data*.

    Args:
        data: the data, bare or framed by asterisks (see :func:`code39_pattern`).
        height_pt: height of the bars, and of the image, in points.
        narrow_pt: width of a narrow element (the X dimension), in points.
        ratio: wide/narrow ratio, between 2.0 and 3.0.
        quiet_zone: white margin left and right of the bars, in narrow widths.

    The image is ``width = (modules + 2 * quiet_zone) * narrow_pt`` points wide,
    where ``modules`` is the symbol length in narrow widths (wide elements
    counting ``ratio``), and ``height_pt`` points high.  The root ``<svg>``
    sets ``xmlns``, ``width``/``height`` in ``pt`` and a ``viewBox`` in the same
    point units; it holds a ``<title>`` with the human-readable form (for
    example ``*2304216*``), a white background ``<rect>`` covering the whole
    image (quiet zones included) and one black ``<rect>`` per bar.
    Coordinates are rounded to three decimals, so the text is byte-stable.
    No XML declaration is written.

    Raises:
        ValueError: for data Code 39 cannot encode, a ratio outside 2.0-3.0,
            a non-positive size or a negative quiet zone.
    """
    if height_pt <= 0 or narrow_pt <= 0:
        raise ValueError("height_pt and narrow_pt must be positive")
    if quiet_zone < 0:
        raise ValueError("quiet_zone must not be negative")
    _check_ratio(ratio)
    pattern = code39_pattern(data)
    readable = _START_STOP + _bare_data(data) + _START_STOP

    # Positions are computed from element counts, not by summing floats, so
    # that rounding errors cannot accumulate along the symbol.
    narrow_count = quiet_zone
    wide_count = 0
    height = _format(height_pt)
    bars: list[str] = []
    for index, element in enumerate(pattern):
        x = (narrow_count + wide_count * ratio) * narrow_pt
        if element == "w":
            wide_count += 1
            width = ratio * narrow_pt
        else:
            narrow_count += 1
            width = narrow_pt
        if index % 2 == 0:
            bars.append(
                f'<rect x="{_format(x)}" y="0" width="{_format(width)}" '
                f'height="{height}" fill="#000"/>'
            )
    narrow_count += quiet_zone
    total_width = _format((narrow_count + wide_count * ratio) * narrow_pt)

    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}pt" '
            f'height="{height}pt" viewBox="0 0 {total_width} {height}" '
            f'role="img" shape-rendering="crispEdges">',
            f"<title>{escape(readable)}</title>",
            f'<rect x="0" y="0" width="{total_width}" height="{height}" fill="#fff"/>',
            *bars,
            "</svg>\n",
        ]
    )


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    """Return one PNG chunk: length, type, payload and CRC."""
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def code39_png(
    data: str,
    *,
    height_px: int,
    narrow_px: int,
    ratio: int = 3,
    quiet_zone: int = _QUIET_ZONE,
) -> bytes:
    """Return a 1-bit greyscale PNG image of the Code 39 symbol for *data*.

    Args:
        data: the data, bare or framed by asterisks (see :func:`code39_pattern`).
        height_px: height of the bars, and of the image, in pixels.
        narrow_px: width of a narrow element, in pixels.
        ratio: wide/narrow ratio, 2 or 3 (whole pixels keep the edges sharp).
        quiet_zone: white margin left and right of the bars, in narrow widths.

    The image is ``(modules + 2 * quiet_zone) * narrow_px`` pixels wide (see
    :func:`code39_svg` for ``modules``) and ``height_px`` pixels high, black
    bars on white.  It holds only the IHDR, IDAT and IEND chunks: no time
    stamp, no physical size (the renderer sets the displayed size), so the
    bytes depend on the arguments alone.

    Raises:
        ValueError: for data Code 39 cannot encode, a ratio other than 2 or 3,
            a non-positive size or a negative quiet zone.
    """
    if height_px < 1 or narrow_px < 1:
        raise ValueError("height_px and narrow_px must be at least 1")
    if quiet_zone < 0:
        raise ValueError("quiet_zone must not be negative")
    if isinstance(ratio, bool) or not isinstance(ratio, int):
        raise ValueError(f"the PNG wide/narrow ratio must be a whole number, got {ratio!r}")
    _check_ratio(ratio)
    pattern = code39_pattern(data)

    # One row of pixels: True for black.  Every row of the image is the same.
    quiet = [False] * (quiet_zone * narrow_px)
    row: list[bool] = list(quiet)
    for index, element in enumerate(pattern):
        width = narrow_px * (ratio if element == "w" else 1)
        row.extend([index % 2 == 0] * width)
    row.extend(quiet)
    width_px = len(row)

    # Pack eight pixels a byte, most significant bit first; 1 is white.
    # Padding bits at the end of the row are white as well.
    packed = bytearray()
    for start in range(0, width_px, 8):
        byte = 0
        for bit in range(8):
            position = start + bit
            black = row[position] if position < width_px else False
            byte = (byte << 1) | (0 if black else 1)
        packed.append(byte)
    scanline = b"\x00" + bytes(packed)  # filter type 0 (None)
    raw = scanline * height_px

    header = struct.pack(">IIBBBBB", width_px, height_px, 1, 0, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(raw, 9)),
            _png_chunk(b"IEND", b""),
        ]
    )


def job_barcode_text(job_number: str) -> str:
    """Return the human-readable barcode text for a job number.

    The barcode encodes the digits of the job number only, framed by the
    start/stop asterisks: ``"23-04216"`` gives ``"*2304216*"``.  A trailing
    language letter in brackets, as printed in the footer (``"23-04216 (E)"``),
    is accepted and ignored.  The result can be passed directly to
    :func:`code39_pattern`, :func:`code39_svg` or :func:`code39_png`.

    Raises:
        ValueError: if *job_number* is not made of ASCII digits and hyphens
            (beginning and ending with a digit), optionally followed by a
            bracketed language letter.
    """
    match = _JOB_NUMBER.fullmatch(job_number)
    if match is None:
        raise ValueError(f"not a job number: {job_number!r} (expected e.g. '23-04216')")
    digits = match.group(1).replace("-", "")
    return _START_STOP + digits + _START_STOP

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

The data mask is the one segno chooses (the lowest penalty of ISO/IEC 18004 7.8.3, as segno
scores it), but worked out here on whole rows at a time and handed to segno: segno's own
search scores the eight masks module by module, which took three quarters of a symbol's time.
"""

from __future__ import annotations

import functools
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

import segno

__all__ = ["QR_BORDER", "QR_ERROR_LEVEL", "qr_modules", "qr_png", "qr_svg"]

#: Quiet zone around the symbol, in modules, included in every image.
QR_BORDER: int = 4

#: Error correction level of every symbol.
QR_ERROR_LEVEL: str = "M"

#: Decimals kept in SVG sizes, so that the text is byte-stable.
_SVG_DECIMALS = 3


MASK_PATTERNS: tuple[Callable[[int, int], bool], ...] = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
"""The data mask patterns of ISO/IEC 18004 Table 10: whether row ``i``, column ``j`` is inverted."""

_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
"""Module values 0 and 1 as the digits of a binary number."""

_N3_PATTERN = "1011101"
_DARK_RUN = re.compile(rb"1+")


def alignment_positions(version: int) -> tuple[int, ...]:
    """Row and column centres of the alignment patterns of a QR code version (ISO/IEC 18004 Annex E)."""
    if version < 2:
        return ()
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    last = version * 4 + 10
    return (6, *(last - step * k for k in reversed(range(count - 1))))


@functools.lru_cache(maxsize=8)
def symbol_layout(version: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Which modules of a version carry data, and which are reserved, one bit mask a row.

    The first tuple marks the encoding region (data and error correction codewords, the only
    modules a mask inverts); the second the format and version information and the dark
    module, which hold light modules while the masks are scored. Bit ``side - 1 - j`` of a
    row stands for column ``j``.
    """
    side = version * 4 + 17
    function = [[False] * side for _ in range(side)]
    reserved = [[False] * side for _ in range(side)]

    def mark(grid: list[list[bool]], rows: Sequence[int], columns: Sequence[int]) -> None:
        for i in rows:
            for j in columns:
                grid[i][j] = True

    near, far = range(8), range(side - 8, side)
    mark(reserved, [8], [*range(9), *far])  # format information, the dark module among it
    mark(reserved, [*range(9), *far], [8])
    if version >= 7:  # version information
        mark(reserved, range(6), range(side - 11, side - 8))
        mark(reserved, range(side - 11, side - 8), range(6))
    mark(function, range(side), [6])  # timing patterns
    mark(function, [6], range(side))
    for rows, columns in ((near, near), (near, far), (far, near)):  # finder patterns and separators
        mark(function, rows, columns)
    centres = alignment_positions(version)
    corners = {(centres[0], centres[0]), (centres[0], centres[-1]), (centres[-1], centres[0])} if centres else set()
    for i in centres:
        for j in centres:
            if (i, j) not in corners:
                mark(function, range(i - 2, i + 3), range(j - 2, j + 3))

    def bits(grid: list[list[bool]]) -> tuple[int, ...]:
        return tuple(int("".join("1" if cell else "0" for cell in row), 2) for row in grid)

    encoding = [[not (f or r) for f, r in zip(f_row, r_row, strict=True)]
                for f_row, r_row in zip(function, reserved, strict=True)]
    only_reserved = [[r and not f for f, r in zip(f_row, r_row, strict=True)]
                     for f_row, r_row in zip(function, reserved, strict=True)]
    return bits(encoding), bits(only_reserved)


def _transpose(rows: Sequence[int], side: int) -> tuple[int, ...]:
    """The columns of a symbol given by its rows, in the same bit layout."""
    lines = [format(row, f"0{side}b") for row in rows]
    return tuple(int("".join(column), 2) for column in zip(*lines, strict=True))


def _pack(lines: Sequence[int], side: int) -> int:
    """Rows (or columns) as one number: line ``k`` at bit ``k * (side + 1)``, a light guard bit between lines."""
    packed = 0
    for line in reversed(lines):
        packed = (packed << (side + 1)) | line
    return packed


@functools.lru_cache(maxsize=8)
def _masks(version: int) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, int], ...]]:
    """For each mask pattern, the modules it inverts (inside the encoding region).

    Once as rows (to unmask a symbol), once packed by rows and by columns (see :func:`_pack`).
    """
    side = version * 4 + 17
    encoding, _reserved = symbol_layout(version)
    by_row = tuple(
        tuple(
            int("".join("1" if pattern(i, j) else "0" for j in range(side)), 2) & encoding[i]
            for i in range(side)
        )
        for pattern in MASK_PATTERNS
    )
    return by_row, tuple((_pack(rows, side), _pack(_transpose(rows, side), side)) for rows in by_row)


@functools.lru_cache(maxsize=8)
def _slots(side: int) -> tuple[int, int, int]:
    """Bit masks over packed lines (see :func:`_pack`).

    Every module; the right module of each pair of neighbours, in every line but the first;
    the first module of each place where the seven modules of the N3 pattern fit in a line.
    """
    line, pair, start = (1 << side) - 1, (1 << (side - 1)) - 1, (1 << (side - 6)) - 1
    return (_pack([line] * side, side), _pack([0, *[pair] * (side - 1)], side), _pack([start] * side, side))


def _n1_points(packed: int, modules: int) -> int:
    """Penalty N1 of packed lines: a run of 5 + i like modules scores 3 + i (segno: its length - 2)."""
    points = 0
    for same in (packed, ~packed & modules):
        # A bit stays set where it starts five like modules; a run of L leaves L - 4 of them.
        starts = same & (same >> 1) & (same >> 2) & (same >> 3) & (same >> 4)
        points += starts.bit_count() + 2 * (starts & ~(starts >> 1)).bit_count()
    return points


def _n3_points(line: str, side: int) -> int:
    """Penalty N3 of one row or column, scored as segno scores it."""
    points = 0
    found = line.find(_N3_PATTERN)
    while found != -1:
        after = found + 7
        if (found in (0, side - 7) or "1" not in line[max(found - 4, 0):min(found, side)]
                or "1" not in line[max(after, 0):min(after + 4, side)]):
            points += 40
        else:
            after = found + 4
        found = line.find(_N3_PATTERN, after)
    return points


def _n3_lines_points(packed: int, starts: int, side: int) -> int:
    """Penalty N3 of packed lines: only the lines holding the 1:1:3:1:1 pattern are read as text."""
    width = side + 1
    found = (packed & ~(packed >> 1) & (packed >> 2) & (packed >> 3) & (packed >> 4) & ~(packed >> 5)
             & (packed >> 6) & starts)
    points = 0
    while found:
        shift = (found.bit_length() - 1) // width * width
        points += _n3_points(format((packed >> shift) & ((1 << side) - 1), f"0{side}b"), side)
        found &= (1 << shift) - 1
    return points


def penalty(rows: int, columns: int, side: int) -> int:
    """The penalty score (N1 + N2 + N3 + N4, ISO/IEC 18004 7.8.3.1) of a masked symbol, as segno scores it.

    ``rows`` and ``columns`` are the symbol without quiet zone, packed (see :func:`_pack`):
    bit ``side - 1 - j`` of a row is dark for column ``j``, bit ``side - 1 - i`` of a column
    for row ``i``; format and version information are light.
    """
    modules, pairs, starts = _slots(side)
    n1 = _n1_points(rows, modules) + _n1_points(columns, modules)
    above = rows << (side + 1)
    n2 = 3 * (~(rows ^ (rows >> 1)) & ~(above ^ (above >> 1)) & ~(rows ^ above) & pairs).bit_count()
    n3 = _n3_lines_points(rows, starts, side) + _n3_lines_points(columns, starts, side)
    n4 = 10 * int(abs(float(rows.bit_count()) / (side ** 2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def mask_penalties(qr: segno.QRCode) -> list[int]:
    """The penalty score of each of the eight data masks over the data of ``qr``.

    ``qr`` may carry any mask: its data modules are unmasked first.
    """
    assert isinstance(qr.version, int) and isinstance(qr.mask, int), "a regular QR code"
    side = len(qr.matrix)
    _encoding, reserved = symbol_layout(qr.version)
    by_row, packed_masks = _masks(qr.version)
    rows = [(int(bytes(row).translate(_DIGITS), 2) & ~hidden) ^ inverted
            for row, hidden, inverted in zip(qr.matrix, reserved, by_row[qr.mask], strict=True)]
    packed_rows, packed_columns = _pack(rows, side), _pack(_transpose(rows, side), side)
    return [penalty(packed_rows ^ mask_rows, packed_columns ^ mask_columns, side)
            for mask_rows, mask_columns in packed_masks]


def best_mask(qr: segno.QRCode) -> int:
    """The data mask segno chooses for the data of ``qr``: the lowest penalty, the first of equals."""
    scores = mask_penalties(qr)
    return scores.index(min(scores))


@functools.lru_cache(maxsize=64)
def _make(url: str) -> segno.QRCode:
    """Encode *url* as a QR code with the fixed settings of this module.

    Encoding takes milliseconds, and a document's address is drawn several times (its
    size, the DOCX image, the HTML and PDF image), so a worker keeps the last symbols it
    made; nothing changes a symbol once made.
    """
    if not url:
        raise ValueError("cannot make a QR code of an empty address")
    first = segno.make_qr(url, error=QR_ERROR_LEVEL.lower(), boost_error=False, mask=0)
    mask = best_mask(first)
    if mask == 0:
        return first
    return segno.make_qr(url, error=QR_ERROR_LEVEL.lower(), boost_error=False, mask=mask)


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
    matrix = _make(url).matrix
    side = len(matrix) + 2 * QR_BORDER

    commands: list[str] = []
    for y, row in enumerate(matrix, start=QR_BORDER):
        for run in _DARK_RUN.finditer(bytes(row).translate(_DIGITS)):
            start, length = run.start() + QR_BORDER, run.end() - run.start()
            commands.append(f"M{start} {y}h{length}v1h-{length}z")

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
    # The bytes of segno's own PNG writer (greyscale, 1 bit, each scaled line after the
    # first written as PNG's "Up" filter, zlib level 9), made from whole lines rather than
    # pixel by pixel, which took a few milliseconds a symbol.
    matrix = _make(url).matrix
    margin = QR_BORDER * scale
    width = (len(matrix) + 2 * QR_BORDER) * scale
    padding = "0" * (-width % 8)
    size = (width + len(padding)) // 8
    light, dark, edge = "1" * scale, "0" * scale, "1" * margin  # a light pixel is 1, a dark one 0

    def line(bits: str) -> bytes:
        return b"\0" + int(bits + padding, 2).to_bytes(size, "big")

    blank = line("1" * width) * margin
    repeat = (b"\2" + bytes(size)) * (scale - 1)
    data = bytearray(blank)
    for row in matrix:
        data += line(edge + "".join(dark if module else light for module in row) + edge)
        data += repeat
    data += blank
    header = struct.pack(">2I5B", width, width, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(bytes(data), 9))
            + _png_chunk(b"IEND", b""))


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, payload and CRC."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

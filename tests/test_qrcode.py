"""Tests for the QR code of the first-page footer."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pipeline.marks.qrcode import QR_BORDER, qr_modules, qr_png, qr_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
URL = "https://undocs.org/en/A/AC.292/2023/2"
URLS = [
    URL,
    "https://undocs.org/en/A/AC.292/2023/L.1",
    "https://undocs.org/fr/A/AC.292/2023/INF/1",
    "https://undocs.org/en/A/AC.292/2023/2?a=1&b=<2>",
]


def _svg_matrix(svg: str) -> tuple[ElementTree.Element, list[list[bool]]]:
    """Rasterise a QR SVG: a white square, then dark modules as one-module-high strokes."""
    root = ElementTree.fromstring(svg)
    _x0, _y0, width, height = (int(v) for v in root.attrib["viewBox"].split())
    assert width == height
    background, dark = root.findall(f"{SVG_NS}path")
    assert (background.attrib["fill"], background.attrib["d"]) == ("#fff", f"M0 0h{width}v{height}h-{width}z")
    assert dark.attrib["stroke"] == "#000" and "stroke-width" not in dark.attrib  # one unit: a module
    matrix = [[False] * width for _ in range(height)]
    x = y = 0.0
    commands = re.findall(r"([Mm])(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)h(\d+)", dark.attrib["d"])
    assert "".join(f"{c}{a} {b}h{n}" for c, a, b, n in commands) == dark.attrib["d"]
    for command, dx, dy, length in commands:
        x, y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
        row = y - 0.5  # a stroke runs along the middle of its row
        assert row.is_integer() and x.is_integer()
        for column in range(int(x), int(x) + int(length)):
            assert not matrix[int(row)][column]
            matrix[int(row)][column] = True
        x += int(length)
    return root, matrix


def _png_matrix(png: bytes, scale: int) -> list[list[bool]]:
    """Decode a QR PNG and sample one pixel a module: rows of booleans, True dark."""
    try:
        from PIL import Image
    except ImportError:
        return _png_matrix_zlib(png, scale)
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        grey = image.convert("L")
        width, height = grey.size
        return [
            [grey.getpixel((x, y)) == 0 for x in range(0, width, scale)]
            for y in range(0, height, scale)
        ]


def _png_matrix_zlib(png: bytes, scale: int) -> list[list[bool]]:
    """Fallback decoder for 1-bit greyscale, filter type 0 PNGs."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (1, 0)
    idat = b""
    position = 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        if png[position + 4 : position + 8] == b"IDAT":
            idat += png[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + (width + 7) // 8
    assert len(raw) == stride * height
    rows = []
    for y in range(0, height, scale):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0
        bits = "".join(f"{byte:08b}" for byte in line[1:])[:width]
        rows.append([bits[x] == "0" for x in range(0, width, scale)])
    return rows


def _error_level(matrix: list[list[bool]]) -> str:
    """Read the error correction level from the format information (top-left copy)."""
    origin = QR_BORDER
    cells = [(origin + 8, origin + column) for column in (0, 1, 2, 3, 4, 5, 7, 8)]
    cells += [(origin + row, origin + 8) for row in (7, 5, 4, 3, 2, 1, 0)]
    bits = 0
    for row, column in cells:
        bits = (bits << 1) | int(matrix[row][column])
    bits ^= 0b101010000010010
    data = bits >> 10
    remainder = data << 10
    for shift in range(4, -1, -1):
        if remainder & (1 << (shift + 10)):
            remainder ^= 0b10100110111 << shift
    assert bits == (data << 10) | remainder, "format information fails its BCH check"
    return {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}[data >> 3]


def test_svg_structure() -> None:
    svg = qr_svg(URL)
    root, matrix = _svg_matrix(svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert not svg.endswith("\n")
    assert root.tag == f"{SVG_NS}svg"
    assert "width" not in root.attrib and "height" not in root.attrib  # the stylesheet sizes it
    side = qr_modules(URL)
    assert side == 37  # version 3 (29 modules) and a 4-module border each side
    assert root.attrib["viewBox"] == f"0 0 {side} {side}"
    assert root.findtext(f"{SVG_NS}title") == URL
    assert [child.tag for child in root] == [f"{SVG_NS}title", f"{SVG_NS}path", f"{SVG_NS}path"]
    assert len(matrix) == side


@pytest.mark.parametrize("url", URLS)
def test_svg_and_png_draw_the_same_symbol(url: str) -> None:
    _root, from_svg = _svg_matrix(qr_svg(url))
    from_png = _png_matrix(qr_png(url, scale=3), 3)
    assert from_svg == from_png
    side = qr_modules(url)
    assert len(from_svg) == side
    # The quiet zone is white.
    for index in range(QR_BORDER):
        assert not any(from_svg[index]) and not any(from_svg[side - 1 - index])
        assert not any(row[index] or row[side - 1 - index] for row in from_svg)
    # The top-left finder pattern starts right after the border.
    assert all(from_svg[QR_BORDER][QR_BORDER : QR_BORDER + 7])
    assert _error_level(from_svg) == "M"


def test_title_is_escaped() -> None:
    svg = qr_svg(URLS[-1])
    assert "&amp;b=&lt;2&gt;" in svg
    root = ElementTree.fromstring(svg)
    assert root.findtext(f"{SVG_NS}title") == URLS[-1]


def test_svg_is_deterministic() -> None:
    assert qr_svg(URL) == qr_svg(URL)
    assert qr_svg(URL) != qr_svg(URLS[1])


@pytest.mark.parametrize("scale", [1, 2, 5])
def test_png_size_and_determinism(scale: int) -> None:
    first = qr_png(URL, scale=scale)
    assert first == qr_png(URL, scale=scale)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", first[16:24])
    assert width == height == qr_modules(URL) * scale
    assert b"tIME" not in first


@pytest.mark.parametrize("scale", [0, -1, 2.5, True])
def test_png_rejects_bad_scale(scale: int) -> None:
    with pytest.raises(ValueError):
        qr_png(URL, scale=scale)


def test_rejects_empty_and_oversized_addresses() -> None:
    with pytest.raises(ValueError):
        qr_svg("")
    with pytest.raises(ValueError):
        qr_png("https://undocs.org/" + "x" * 5000, scale=1)


ZBARIMG = shutil.which("zbarimg")


@pytest.mark.skipif(ZBARIMG is None, reason="zbarimg not installed (Debian package zbar-tools)")
@pytest.mark.parametrize("url", URLS)
def test_zbarimg_reads_the_png(tmp_path: Path, url: str) -> None:
    assert ZBARIMG is not None
    path = tmp_path / "qr.png"
    path.write_bytes(qr_png(url, scale=4))
    result = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == url

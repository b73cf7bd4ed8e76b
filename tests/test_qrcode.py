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
import segno
import segno.consts
import segno.encoder
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.marks.qrcode import (
    QR_BORDER,
    _make,
    alignment_positions,
    mask_penalties,
    qr_modules,
    qr_png,
    qr_svg,
    symbol_layout,
)

SVG_NS = "{http://www.w3.org/2000/svg}"
URL = "https://undocs.org/en/A/AC.292/2023/2"
URLS = [
    URL,
    "https://undocs.org/en/A/AC.292/2023/L.1",
    "https://undocs.org/fr/A/AC.292/2023/INF/1",
    "https://undocs.org/en/A/AC.292/2023/2?a=1&b=<2>",
]


def _svg_matrix(svg: str) -> tuple[ElementTree.Element, list[list[bool]]]:
    """Rasterise the dark-module path of a QR SVG: rows of booleans, True dark."""
    root = ElementTree.fromstring(svg)
    _x0, _y0, width, height = (int(v) for v in root.attrib["viewBox"].split())
    assert width == height
    matrix = [[False] * width for _ in range(height)]
    paths = list(root.iter(f"{SVG_NS}path"))
    assert len(paths) == 1
    for x, y, w, w_back in re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", paths[0].attrib["d"]):
        assert w == w_back
        for column in range(int(x), int(x) + int(w)):
            assert not matrix[int(y)][column]
            matrix[int(y)][column] = True
    assert re.fullmatch(r"(?:M\d+ \d+h\d+v1h-\d+z)+", paths[0].attrib["d"])
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
    svg = qr_svg(URL, size_pt=56.7)
    root, matrix = _svg_matrix(svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert root.tag == f"{SVG_NS}svg"
    assert root.attrib["width"] == "56.7pt"
    assert root.attrib["height"] == "56.7pt"
    side = qr_modules(URL)
    assert side == 37  # version 3 (29 modules) and a 4-module border each side
    assert root.attrib["viewBox"] == f"0 0 {side} {side}"
    assert root.findtext(f"{SVG_NS}title") == URL
    assert [child.tag for child in root] == [
        f"{SVG_NS}title",
        f"{SVG_NS}rect",
        f"{SVG_NS}path",
    ]
    assert len(matrix) == side


@pytest.mark.parametrize("url", URLS)
def test_svg_and_png_draw_the_same_symbol(url: str) -> None:
    _root, from_svg = _svg_matrix(qr_svg(url, size_pt=50))
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
    svg = qr_svg(URLS[-1], size_pt=40)
    assert "&amp;b=&lt;2&gt;" in svg
    root = ElementTree.fromstring(svg)
    assert root.findtext(f"{SVG_NS}title") == URLS[-1]


def test_svg_is_deterministic() -> None:
    assert qr_svg(URL, size_pt=56.69291) == qr_svg(URL, size_pt=56.69291)
    assert 'width="56.693pt"' in qr_svg(URL, size_pt=56.69291)


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
        qr_svg("", size_pt=50)
    with pytest.raises(ValueError):
        qr_png("https://undocs.org/" + "x" * 5000, scale=1)
    with pytest.raises(ValueError):
        qr_svg(URL, size_pt=0)


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


# ---------------------------------------------------------------- the mask segno would choose


def _segno_symbol(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="m", boost_error=False)


@pytest.mark.parametrize("url", URLS)
def test_symbol_is_the_one_segno_makes(url: str) -> None:
    made = _segno_symbol(url)
    assert (_make(url).mask, _make(url).matrix) == (made.mask, made.matrix)


@settings(max_examples=120, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=400))
def test_any_address_gives_the_symbol_segno_makes(url: str) -> None:
    made = _segno_symbol(url)
    ours = _make(url)
    assert (ours.version, ours.mask, ours.matrix) == (made.version, made.mask, made.matrix)


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=300),
       st.integers(min_value=1, max_value=9))
def test_png_is_byte_for_byte_segnos(url: str, scale: int) -> None:
    written = io.BytesIO()
    _make(url).save(written, kind="png", scale=scale, border=QR_BORDER, dark="#000", light="#fff")
    assert qr_png(url, scale=scale) == written.getvalue()


@pytest.mark.parametrize("version", range(1, 41))
def test_symbol_layout_is_segnos(version: int) -> None:
    """The encoding region is what segno masks; the reserved modules are light while it scores."""
    side = segno.encoder.calc_matrix_size(version)
    template = segno.encoder.make_matrix(side, side)
    segno.encoder.add_finder_patterns(template, side, side)
    segno.encoder.add_alignment_patterns(template, side, side)
    encoding, reserved = symbol_layout(version)
    for i, row in enumerate(template):
        data = "".join("1" if value == 0x2 else "0" for value in row)
        assert format(encoding[i], f"0{side}b") == data, i
        assert all(row[j] == 0 for j in range(side) if reserved[i] >> (side - 1 - j) & 1), i
    assert alignment_positions(version) == (segno.consts.ALIGNMENT_POS[version - 2] if version > 1 else ())


@pytest.mark.parametrize("text", [URL, "A" * 90, "https://undocs.org/" + "x" * 200, "0123456789" * 60])
def test_penalties_are_segnos_scores(text: str) -> None:
    """Each mask scored here as segno's own evaluation scores the symbol segno builds with it."""
    symbol = segno.make_qr(text, error="m", boost_error=False, mask=0)
    side = len(symbol.matrix)
    template = segno.encoder.make_matrix(side, side)
    segno.encoder.add_finder_patterns(template, side, side)
    segno.encoder.add_alignment_patterns(template, side, side)
    patterns = segno.encoder.get_data_mask_functions(False)

    def evaluated(mask: int) -> tuple[bytearray, ...]:
        matrix = tuple(bytearray(row) for row in template)
        for i, row in enumerate(matrix):
            for j in range(side):
                if row[j] == 0x2:  # data: unmask segno's symbol (mask 0), then apply this mask
                    row[j] = symbol.matrix[i][j] ^ patterns[0](i, j) ^ patterns[mask](i, j)
        return matrix

    expected = [segno.encoder.evaluate_mask(evaluated(mask), side, side) for mask in range(8)]
    assert mask_penalties(symbol) == expected
    assert len(set(expected)) > 1

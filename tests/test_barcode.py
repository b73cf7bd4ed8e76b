"""Tests for the Code 39 encoder of the first-page footer."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pipeline.marks.barcode import (
    CODE39_CHARSET,
    code39_pattern,
    code39_png,
    code39_svg,
    job_barcode_text,
)

SVG_NS = "{http://www.w3.org/2000/svg}"

# Character patterns from the published Code 39 table (ISO/IEC 16388):
# nine elements, bar first, n = narrow, w = wide.
PUBLISHED = [
    ("0", "nnnwwnwnn"),
    ("1", "wnnwnnnnw"),
    ("2", "nnwwnnnnw"),
    ("7", "nnnwnnwnw"),
    ("9", "nnwwnnwnn"),
    ("A", "wnnnnwnnw"),
    ("M", "wnwnnnnwn"),
    ("Z", "nwwnwnnnn"),
    ("-", "nwnnnnwnw"),
    (".", "wwnnnnwnn"),
    (" ", "nwwnnnwnn"),
    ("$", "nwnwnwnnn"),
    ("/", "nwnwnnnwn"),
    ("+", "nwnnnwnwn"),
    ("%", "nnnwnwnwn"),
]
START_STOP = "nwnnwnwnn"


# --- pattern -----------------------------------------------------------------


@pytest.mark.parametrize(("char", "expected"), PUBLISHED)
def test_character_matches_published_table(char: str, expected: str) -> None:
    pattern = code39_pattern(char)
    # start (9) + gap (1) + character (9) + gap (1) + stop (9)
    assert len(pattern) == 29
    assert pattern[10:19] == expected


def test_start_and_stop_characters_frame_the_symbol() -> None:
    pattern = code39_pattern("2304216")
    assert pattern.startswith(START_STOP + "n")
    assert pattern.endswith("n" + START_STOP)


def test_job_number_pattern() -> None:
    published = dict(PUBLISHED) | {
        "3": "wnwwnnnnn",
        "4": "nnnwwnnnw",
        "6": "nnwwwnnnn",
    }
    expected = "n".join([START_STOP, *(published[ch] for ch in "2304216"), START_STOP])
    assert code39_pattern("2304216") == expected
    assert code39_pattern("*2304216*") == expected


def test_every_character_has_three_wide_elements_of_nine() -> None:
    seen = set()
    for char in CODE39_CHARSET:
        element = code39_pattern(char)[10:19]
        assert re.fullmatch("[nw]{9}", element)
        assert element.count("w") == 3
        seen.add(element)
    assert len(CODE39_CHARSET) == 43
    assert len(seen) == 43
    assert START_STOP not in seen


@pytest.mark.parametrize("data", ["A", "2304216", "HELLO WORLD-2023"])
def test_pattern_length(data: str) -> None:
    assert len(code39_pattern(data)) == 10 * (len(data) + 2) - 1


@pytest.mark.parametrize("data", ["", "**", "abc", "23*04", "A_B", "é", "2304216\n"])
def test_unencodable_data_is_rejected(data: str) -> None:
    with pytest.raises(ValueError):
        code39_pattern(data)


# --- job number --------------------------------------------------------------


@pytest.mark.parametrize(
    ("job_number", "expected"),
    [
        ("23-04216", "*2304216*"),
        ("23-04216 (E)", "*2304216*"),
        (" 23-04216 ", "*2304216*"),
        ("2304216", "*2304216*"),
    ],
)
def test_job_barcode_text(job_number: str, expected: str) -> None:
    assert job_barcode_text(job_number) == expected


@pytest.mark.parametrize("job_number", ["", "-", "23-", "A/AC.292/2023/2", "23–04216", "２３"])
def test_job_barcode_text_rejects_other_strings(job_number: str) -> None:
    with pytest.raises(ValueError):
        job_barcode_text(job_number)


# --- SVG ---------------------------------------------------------------------


def _runs_from_svg(svg: str) -> tuple[ElementTree.Element, list[tuple[float, float]]]:
    root = ElementTree.fromstring(svg)
    bars = [
        (float(rect.attrib["x"]), float(rect.attrib["width"]))
        for rect in root.iter(f"{SVG_NS}rect")
        if rect.attrib["fill"] == "#000"
    ]
    return root, bars


def test_svg_structure_and_size() -> None:
    svg = code39_svg("*2304216*", height_pt=20, narrow_pt=0.8, ratio=2.5)
    root, bars = _runs_from_svg(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    children = [child.tag for child in root]
    assert children[0] == f"{SVG_NS}title"
    assert set(children[1:]) == {f"{SVG_NS}rect"}
    assert root.findtext(f"{SVG_NS}title") == "*2304216*"

    # 9 characters of 6 narrow + 3 wide, 8 gaps, 10 narrow of quiet zone a side.
    modules = 9 * (6 + 3 * 2.5) + 8 + 20
    width = modules * 0.8
    assert root.attrib["width"] == f"{width:g}pt"
    assert root.attrib["height"] == "20pt"
    assert root.attrib["viewBox"] == f"0 0 {width:g} 20"
    assert len(bars) == 9 * 5
    assert bars[0][0] == pytest.approx(8.0)


def test_svg_bars_reproduce_the_pattern() -> None:
    narrow, ratio = 1.1, 2.5
    svg = code39_svg("A-1", height_pt=15, narrow_pt=narrow, ratio=ratio)
    _root, bars = _runs_from_svg(svg)

    def width_code(width: float) -> str:
        if width == pytest.approx(narrow, abs=0.002):
            return "n"
        assert width == pytest.approx(narrow * ratio, abs=0.002)
        return "w"

    rebuilt = []
    for index, (x, width) in enumerate(bars):
        if index:
            previous_x, previous_width = bars[index - 1]
            rebuilt.append(width_code(x - previous_x - previous_width))
        rebuilt.append(width_code(width))
    assert "".join(rebuilt) == code39_pattern("A-1")


def test_svg_is_deterministic_with_fixed_decimals() -> None:
    first = code39_svg("2304216", height_pt=18.3333333, narrow_pt=0.7777777)
    second = code39_svg("2304216", height_pt=18.3333333, narrow_pt=0.7777777)
    assert first == second
    numbers = re.findall(r'(?:x|width|height)="([0-9.]+)', first)
    assert numbers
    assert all(len(number.partition(".")[2]) <= 3 for number in numbers)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"height_pt": 0, "narrow_pt": 1},
        {"height_pt": 10, "narrow_pt": -1},
        {"height_pt": 10, "narrow_pt": 1, "ratio": 1.5},
        {"height_pt": 10, "narrow_pt": 1, "ratio": 3.5},
        {"height_pt": 10, "narrow_pt": 1, "quiet_zone": -1},
    ],
)
def test_svg_rejects_bad_geometry(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        code39_svg("1", **kwargs)  # type: ignore[arg-type]


# --- PNG ---------------------------------------------------------------------


def _decode_png(data: bytes) -> tuple[int, int, list[list[bool]]]:
    """Decode a 1-bit greyscale PNG with filter type 0: (width, height, rows of black)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position = 8
    chunks: list[tuple[bytes, bytes]] = []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        payload = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + payload) & 0xFFFFFFFF
        chunks.append((kind, payload))
        position += 12 + length
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, _c, _f, _i = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour) == (1, 0)
    raw = zlib.decompress(chunks[1][1])
    stride = 1 + (width + 7) // 8
    assert len(raw) == stride * height
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0
        bits = "".join(f"{byte:08b}" for byte in line[1:])[:width]
        rows.append([bit == "0" for bit in bits])
    return width, height, rows


def _pattern_from_row(row: list[bool], narrow_px: int, ratio: int) -> str:
    runs: list[int] = []
    previous = None
    for black in row:
        if black == previous:
            runs[-1] += 1
        else:
            runs.append(1)
            previous = black
    # Drop the white quiet zones at both ends.
    assert not row[0]
    assert not row[-1]
    inner = runs[1:-1]
    codes = {narrow_px: "n", narrow_px * ratio: "w"}
    return "".join(codes[run] for run in inner)


def test_png_decodes_to_the_pattern() -> None:
    png = code39_png("*2304216*", height_px=40, narrow_px=2, ratio=3)
    width, height, rows = _decode_png(png)
    modules = 9 * (6 + 3 * 3) + 8 + 20
    assert (width, height) == (modules * 2, 40)
    assert all(row == rows[0] for row in rows)
    assert not any(rows[0][:20]) and not any(rows[0][-20:])
    assert _pattern_from_row(rows[0], 2, 3) == code39_pattern("2304216")


def test_png_opens_with_pillow() -> None:
    image_module = pytest.importorskip("PIL.Image")
    import io

    png = code39_png("2304216", height_px=30, narrow_px=1, ratio=2)
    with image_module.open(io.BytesIO(png)) as image:
        image.load()
        assert image.mode == "1"
        assert image.size == ((9 * 12 + 8 + 20), 30)
        assert image.getpixel((0, 0)) == 255
        assert image.getpixel((10, 0)) == 0


def test_png_is_deterministic() -> None:
    first = code39_png("2304216", height_px=50, narrow_px=3)
    second = code39_png("2304216", height_px=50, narrow_px=3)
    assert first == second
    assert b"tIME" not in first and b"tEXt" not in first


@pytest.mark.parametrize(
    "kwargs",
    [
        {"height_px": 0, "narrow_px": 1},
        {"height_px": 10, "narrow_px": 0},
        {"height_px": 10, "narrow_px": 1, "ratio": 4},
        {"height_px": 10, "narrow_px": 1, "ratio": 1},
        {"height_px": 10, "narrow_px": 1, "ratio": 2.5},
    ],
)
def test_png_rejects_bad_geometry(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        code39_png("1", **kwargs)  # type: ignore[arg-type]


# --- round trip through a real barcode reader --------------------------------

ZBARIMG = shutil.which("zbarimg")


@pytest.mark.skipif(ZBARIMG is None, reason="zbarimg not installed (Debian package zbar-tools)")
@pytest.mark.parametrize(
    ("data", "narrow_px", "ratio"),
    [("*2304216*", 2, 3), ("2304216", 1, 3), ("2304216", 2, 2), ("CODE 39-TEST.", 2, 3)],
)
def test_zbarimg_reads_the_png(tmp_path: Path, data: str, narrow_px: int, ratio: int) -> None:
    assert ZBARIMG is not None
    path = tmp_path / "barcode.png"
    path.write_bytes(code39_png(data, height_px=60, narrow_px=narrow_px, ratio=ratio))
    result = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Scode39.enable", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == data.strip("*")

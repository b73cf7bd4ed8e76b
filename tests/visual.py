"""Visual regression: draw PDF pages as small greyscale images and compare them with golden pages.

A page matches its golden image when the share of pixels whose grey level differs by more
than :data:`PIXEL_THRESHOLD` stays at or under :data:`MAX_SHARE`. A mismatch writes an HTML
report with, for each page, the expected image, the actual one and a difference image
(differing pixels in red over a faded copy of the expected page), side by side.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import GOLDEN, UPDATE_COMMAND, in_ci

RESOLUTION = 50
"""Pixels per inch of the page images: small, yet a rule moved by 1 pt changes whole rows."""

PIXEL_THRESHOLD = 40
"""Grey levels (of 255) two pixels may differ by and still count as the same (anti-aliasing)."""

MAX_SHARE = 0.0005
"""Share of differing pixels a page may have and still match (0.05 %: about 115 pixels of a Letter page)."""

PAGES = GOLDEN / "pages"
"""Golden page images: ``<name>/page-<n>.png``."""


def require(tool: str, package: str = "poppler-utils") -> str:
    """The path of ``tool``; skip when it is missing, or fail under CI."""
    found = shutil.which(tool)
    if found:
        return found
    reason = f"{tool} not found (apt-get install {package})"
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping", pytrace=False)
    pytest.skip(reason)


def rasterise(pdf: Path, out_dir: Path, resolution: int = RESOLUTION) -> list[Path]:
    """Each page of ``pdf`` as a greyscale PNG ``page-<n>.png`` in ``out_dir`` (pdftoppm), in page order."""
    pdftoppm = require("pdftoppm")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", str(resolution), "-gray", "-png", str(pdf), str(out_dir / "page")],
                   check=True, capture_output=True, timeout=120)
    # pdftoppm pads page numbers to the width of the last one ("page-01.png" from 10 pages on)
    pages = sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    named = []
    for number, path in enumerate(pages, start=1):
        target = out_dir / f"page-{number}.png"
        # pdftoppm writes RGB PNGs even with -gray; keep one grey channel, which is smaller
        with Image.open(path) as image:
            grey = image.convert("L")
        path.unlink()
        grey.save(target, optimize=True)
        named.append(target)
    return named


def pixels(path: Path) -> np.ndarray:
    """The grey levels of an image, as a 2-D array of 0–255."""
    with Image.open(path) as image:
        return np.asarray(image.convert("L"), dtype=np.int16)


@dataclass(frozen=True)
class PageDiff:
    """How one page compares with its golden image."""

    number: int
    expected: Path | None
    actual: Path | None
    differing: int
    """Pixels whose grey levels differ by more than the threshold (all of them when sizes differ)."""
    total: int
    box: tuple[int, int, int, int] | None
    """Bounding box (left, top, right, bottom) of the differing pixels, in pixels."""

    @property
    def share(self) -> float:
        """Share of differing pixels."""
        return self.differing / self.total if self.total else 1.0

    @property
    def matches(self) -> bool:
        """True when the page is within tolerance."""
        return self.expected is not None and self.actual is not None and self.share <= MAX_SHARE

    def describe(self) -> str:
        """One line for a failure message."""
        if self.expected is None:
            return f"page {self.number}: new page, no golden image"
        if self.actual is None:
            return f"page {self.number}: missing (the golden has it)"
        where = f" in box {self.box}" if self.box else ""
        return f"page {self.number}: {self.differing} of {self.total} pixels differ ({self.share:.3%}){where}"


def compare_page(number: int, expected: Path | None, actual: Path | None) -> PageDiff:
    """Compare one page image with its golden image."""
    if expected is None or actual is None:
        return PageDiff(number, expected, actual, 0, 0, None)
    a, b = pixels(expected), pixels(actual)
    if a.shape != b.shape:
        return PageDiff(number, expected, actual, max(a.size, b.size), max(a.size, b.size),
                        (0, 0, max(a.shape[1], b.shape[1]), max(a.shape[0], b.shape[0])))
    mask = np.abs(a - b) > PIXEL_THRESHOLD
    differing = int(mask.sum())
    box = None
    if differing:
        rows, cols = np.nonzero(mask)
        box = (int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1)
    return PageDiff(number, expected, actual, differing, int(mask.size), box)


def compare_pages(expected: list[Path], actual: list[Path]) -> list[PageDiff]:
    """Compare page images in order; extra or missing pages are differences."""
    count = max(len(expected), len(actual))
    return [compare_page(n, expected[n - 1] if n <= len(expected) else None,
                         actual[n - 1] if n <= len(actual) else None) for n in range(1, count + 1)]


def difference_image(expected: Path, actual: Path, out: Path) -> Path:
    """The expected page faded, with the pixels that differ from ``actual`` in red."""
    a, b = pixels(expected), pixels(actual)
    height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa = np.full((height, width), 255, dtype=np.int16)
    pb = pa.copy()
    pa[:a.shape[0], :a.shape[1]] = a
    pb[:b.shape[0], :b.shape[1]] = b
    faded = (255 - (255 - np.minimum(pa, pb)) // 4).astype(np.uint8)
    rgb = np.stack([faded, faded, faded], axis=-1)
    mask = np.abs(pa - pb) > PIXEL_THRESHOLD
    rgb[mask] = (220, 0, 0)
    Image.fromarray(rgb, "RGB").save(out)
    return out


def write_report(title: str, diffs: list[PageDiff], folder: Path) -> Path:
    """An HTML page showing expected, actual and difference of every page that does not match."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for d in diffs:
        if d.matches:
            continue
        cells = []
        for label, path in (("expected", d.expected), ("actual", d.actual)):
            if path is None:
                cells.append(f"<td><p>{label}: none</p></td>")
                continue
            copy = folder / f"page-{d.number}-{label}.png"
            shutil.copyfile(path, copy)
            cells.append(f'<td><p>{label}</p><img src="{copy.name}" alt="{label} page {d.number}"></td>')
        if d.expected is not None and d.actual is not None:
            diff = difference_image(d.expected, d.actual, folder / f"page-{d.number}-difference.png")
            cells.append(f'<td><p>difference (red)</p><img src="{diff.name}" alt="difference on page {d.number}"></td>')
        rows.append(f"<h2>{html.escape(d.describe())}</h2>\n<table><tr>{''.join(cells)}</tr></table>")
    index = folder / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Visual differences: {html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif} td{vertical-align:top;padding:0 1em 1em 0}"
        " img{border:1px solid #999;image-rendering:pixelated;width:425px}</style>\n</head>\n<body>\n"
        f"<h1>Visual differences: {html.escape(title)}</h1>\n"
        f"<p>Tolerance: grey levels differing by more than {PIXEL_THRESHOLD} count; a page matches with at "
        f"most {MAX_SHARE:.2%} of its pixels differing. If the change is intended, accept it with "
        f"<code>{UPDATE_COMMAND}</code>.</p>\n" + "\n".join(rows) + "\n</body>\n</html>\n",
        encoding="utf-8")
    return index


def check_pages(name: str, actual: list[Path], *, update: bool, report_dir: Path) -> None:
    """Compare rendered pages with ``tests/golden/pages/<name>/``, or rewrite those with ``update``.

    On update only pages whose pixels changed are rewritten (PNG bytes may differ between
    encoders), and golden pages beyond the new count are removed.
    """
    golden_dir = PAGES / name
    expected = sorted(golden_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    diffs = compare_pages(expected, actual)
    if update:
        golden_dir.mkdir(parents=True, exist_ok=True)
        for d in diffs:
            target = golden_dir / f"page-{d.number}.png"
            if d.actual is None:
                target.unlink()
            elif d.expected is None or d.differing or d.total == 0:
                shutil.copyfile(d.actual, target)
        return
    if all(d.matches for d in diffs):
        return
    if not expected:
        pytest.fail(f"no golden pages in {golden_dir.relative_to(GOLDEN.parent.parent)}; review the pages in "
                    f"{actual[0].parent if actual else '?'} and run `{UPDATE_COMMAND}`", pytrace=False)
    index = write_report(name, diffs, report_dir)
    lines = "\n".join(f"  {d.describe()}" for d in diffs if not d.matches)
    pytest.fail(f"the pages of {name} differ from their golden images:\n{lines}\n"
                f"Report with expected, actual and difference images: {index}\n"
                f"If the change is intended, review it and run `{UPDATE_COMMAND}`.", pytrace=False)

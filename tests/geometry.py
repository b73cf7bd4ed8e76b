"""Where the elements of a page stand: the same measurements on the PDF and on the DOCX as laid out.

Words come from pdfplumber with their baselines and font sizes, in points from the top left of
the page (words on one baseline make a line); rules from the page drawn at
:data:`RULE_RESOLUTION` pixels per inch, as rows of dark pixels longer than
:data:`RULE_MIN_LENGTH`. An element is found by what it says or where its kind stands (the first
"United", the right-hand block's lines, the paragraph number "1.", the folio "2/3" …), never by its
place, so that a misplaced element is measured where it is rather than missed.

Each element gives the positions the geometry test compares: ``x`` (where it starts, or ends
for right-aligned text), ``y`` (its baseline, the foot of its box), and for a rule its
thickness. :func:`measure` returns them by name for one page.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

RULE_RESOLUTION = 288
"""Pixels per inch of the page drawn to find rules (a pixel is a quarter of a point)."""

RULE_MIN_LENGTH = 72.0
"""Shortest horizontal run of dark pixels, in points, that counts as a rule (no word is that long)."""

DARK = 128
"""Grey level (of 255) under which a pixel is ink."""

PT_PER_PIXEL = 72.0 / RULE_RESOLUTION


@dataclass(frozen=True)
class Word:
    """A word with its box, in points from the top left of the page."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        """The font size (``y1`` is the baseline, ``y0`` the baseline less the size)."""
        return self.y1 - self.y0


@dataclass(frozen=True)
class Line:
    """A line of words as poppler groups them."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The words joined by spaces."""
        return " ".join(word.text for word in self.words)

    @property
    def x0(self) -> float:
        """Where the line starts."""
        return min(word.x0 for word in self.words)

    @property
    def x1(self) -> float:
        """Where the line ends."""
        return max(word.x1 for word in self.words)

    @property
    def y1(self) -> float:
        """The foot of the line's box."""
        return max(word.y1 for word in self.words)

    @property
    def height(self) -> float:
        """The tallest word's box."""
        return max(word.height for word in self.words)


@dataclass(frozen=True)
class Rule:
    """A horizontal rule: where it starts and ends, its middle and thickness, in points."""

    x0: float
    x1: float
    y: float
    thickness: float


@dataclass
class Page:
    """One page's lines (top to bottom) and rules."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All lines, one per line."""
        return "\n".join(line.text for line in self.lines)


def read_pages(pdf: Path, with_rules: bool = True) -> list[Page]:
    """Every page of ``pdf`` with its lines and (``with_rules``) its rules."""
    import pdfplumber
    from pdfplumber.utils import extract_words

    pages = []
    with pdfplumber.open(pdf) as document:
        for number, plumbed in enumerate(document.pages, start=1):
            page = Page(number, float(plumbed.width), float(plumbed.height))
            words = []
            # sizes to a hundredth of a point: a face's glyphs differ from another's in the last
            # digits, which would split a word where Chinese meets Latin
            # and each character's box set on its baseline: right to left, figures in the script's
            # face stand beside a slash or hyphen of Times New Roman, whose box is higher
            chars = [_on_baseline(char, page.height) for char in plumbed.chars]
            for found in extract_words(chars, keep_blank_chars=False, use_text_flow=False, return_chars=True,
                                       extra_attrs=["size"]):
                first = found["chars"][0]
                baseline = page.height - float(first["matrix"][5])
                words.append(Word(found["text"], float(found["x0"]), baseline - float(found["size"]),
                                  float(found["x1"]), baseline))
            page.lines = _group_lines(words)
            pages.append(page)
    for page in pages if with_rules else ():
        page.rules = _rules(pdf, page.number)
    return pages


def _on_baseline(char: dict[str, Any], height: float) -> dict[str, Any]:
    """``char`` with its size to a hundredth of a point and its box from its baseline up by its size."""
    size = round(float(char["size"]), 2)
    baseline = height - float(char["matrix"][5])
    return {**char, "size": size, "top": baseline - size, "bottom": baseline,
            "doctop": float(char["doctop"]) - float(char["top"]) + baseline - size}


def _group_lines(words: list[Word]) -> list[Line]:
    """Words on one baseline (to a point) as a line, left to right; lines top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda word: (word.y1, word.x0)):
        if lines and abs(lines[-1][0].y1 - word.y1) < 1.0:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(line, key=lambda word: word.x0))) for line in lines]


def _rules(pdf: Path, number: int) -> list[Rule]:
    """The horizontal rules of one page, top to bottom."""
    result = subprocess.run(["pdftoppm", "-r", str(RULE_RESOLUTION), "-gray", "-f", str(number), "-l", str(number),
                             "-singlefile", str(pdf)], capture_output=True, check=True, timeout=120)
    image = np.asarray(Image.open(BytesIO(result.stdout)).convert("L")) < DARK
    min_run = int(RULE_MIN_LENGTH / PT_PER_PIXEL)
    spans: list[tuple[int, int, int] | None] = []
    for row in image:
        spans.append(_longest_run(row, min_run))
    rules: list[Rule] = []
    index = 0
    while index < len(spans):
        span = spans[index]
        if span is None:
            index += 1
            continue
        start = index
        x0, x1 = span[0], span[1]
        while index < len(spans) and spans[index] is not None:
            index += 1
        rules.append(Rule(x0 * PT_PER_PIXEL, x1 * PT_PER_PIXEL, (start + index) / 2 * PT_PER_PIXEL,
                          (index - start) * PT_PER_PIXEL))
    return rules


def _longest_run(row: np.ndarray, min_run: int) -> tuple[int, int, int] | None:
    """The longest run of ink in a row of pixels, if at least ``min_run`` long: (start, end, length)."""
    if row.sum() < min_run:
        return None
    padded = np.concatenate(([False], row, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    starts, ends = edges[::2], edges[1::2]
    lengths = ends - starts
    best = int(lengths.argmax())
    if lengths[best] < min_run:
        return None
    return int(starts[best]), int(ends[best]), int(lengths[best])


# ---------------------------------------------------------------- elements

Positions = dict[str, float]
"""An element's measured positions: ``x``, ``y``, ``right``, ``thickness`` … in points."""

FOLIO = re.compile(r"^\d+/\d+$")
JOB_NUMBER = re.compile(r"^\d{2}-\d{5}|\d{5}-\d{2}$")
"""The job number, as read either way (a page written right to left is read mirrored)."""
NOTE_HEIGHT = 9.5
"""Largest font size of a footnote line (9 pt; the text is 10 pt)."""


def _first_line(page: Page, predicate: object) -> Line | None:
    return next((line for line in page.lines if predicate(line)), None)  # type: ignore[operator]


def _word(line: Line, text: str) -> Word | None:
    return next((word for word in line.words if word.text == text), None)


def _at(word: Word | Line) -> Positions:
    return {"x": word.x0, "y": word.y1}


def _lines_after(page: Page, line: Line) -> Iterator[Line]:
    seen = False
    for other in page.lines:
        if seen:
            yield other
        if other is line:
            seen = True


def _footer_elements(page: Page, elements: dict[str, Positions]) -> None:
    """Folio, job number and footnote of a page (any page)."""
    lower = [line for line in page.lines if line.y1 > page.height - 90]
    for line in lower:
        folio = next((word for word in line.words if FOLIO.match(word.text) and len(line.words) <= 3), None)
        if folio is not None and "folio" not in elements:
            elements["folio"] = {"x": folio.x0, "y": folio.y1, "right": folio.x1}
        job = next((word for word in line.words if JOB_NUMBER.match(word.text)), None)
        if job is not None and "footer job number" not in elements:
            elements["footer job number"] = _at(job)
        recycle = _word(line, "Please")
        if recycle is not None and "footer please recycle" not in elements:
            elements["footer please recycle"] = {"y": recycle.y1, "right": line.x1}
    footer_top = min((elements[name]["y"] for name in ("folio", "footer job number") if name in elements),
                     default=page.height)
    notes = [line for line in page.lines
             if line.height < NOTE_HEIGHT and line.y1 < footer_top - 12 and line.y1 > page.height * 0.3
             and len(line.words) > 3]
    if notes:
        text = next(word for word in notes[0].words if not word.text.isdigit())
        elements["footnote first line"] = {"x": text.x0, "y": notes[0].y1}


@dataclass(frozen=True)
class Landmarks:
    """The words the elements are found by, in the language of the version measured: the first
    word of "United Nations", of the organ's name, of "Annex" and of the programme's first head."""

    united: str = "United"
    organ: str = "General"
    annex: str = "Annex"
    table_head: str = "Date/time"


    letterhead: bool = False
    """Whether the first page has a letterhead instead of a masthead (:func:`letterhead_page_elements`)."""
    right_to_left: bool = False
    """Whether the language is written right to left: its pages are measured mirrored
    (:func:`mirrored`), so that where a line starts is where its first word stands."""


ENGLISH = Landmarks()


def mirrored(page: Page) -> Page:
    """``page`` seen in a mirror, for a language written right to left: every ``x`` measured
    from the right edge, each line's words in reading order and each word's letters too
    (poppler gives them left to right, as they are drawn), so that the elements are found by
    the same words and rules as in a language written left to right."""
    def word(w: Word) -> Word:
        return Word(w.text[::-1], page.width - w.x1, w.y0, page.width - w.x0, w.y1)

    lines = [Line(tuple(sorted((word(w) for w in line.words), key=lambda w: w.x0))) for line in page.lines]
    rules = [Rule(page.width - rule.x1, page.width - rule.x0, rule.y, rule.thickness) for rule in page.rules]
    return Page(page.number, page.width, page.height, lines, rules)


def _has(line: Line, text: str) -> bool:
    """Whether ``line`` holds the word ``text``. Slashes are left out on both sides: right to
    left, poppler may give the slash between two words after both ("التاريخالوقت /")."""
    wanted = text.replace("/", "")
    return any(word.text.replace("/", "") == wanted for word in line.words)


def first_page_elements(page: Page, marks: Landmarks = ENGLISH) -> dict[str, Positions]:
    """The masthead, right-hand block, session block, title, first paragraph, footer and rules of page 1."""
    elements: dict[str, Positions] = {}
    top = _first_line(page, lambda line: _has(line, marks.united))
    if top is not None:
        elements["masthead United Nations"] = _at(top.words[0])
        elements["masthead symbol"] = {"y": top.y1, "right": top.x1}
    organ = _first_line(page, lambda line: _has(line, marks.organ) and line is not top)
    if organ is not None:
        elements["masthead General Assembly"] = _at(organ.words[0])
    # the right-hand block: the first three lines under the top line that hold a word past 3/5 of the page
    block = [line for line in (_lines_after(page, top) if top is not None else [])
             if any(word.x0 > page.width * 0.6 for word in line.words)][:3]
    for name, line in zip(("right block first line", "right block date", "right block last line"), block,
                          strict=False):
        elements[name] = _at(next(word for word in line.words if word.x0 > page.width * 0.6))
    last = block[-1] if len(block) == 3 else None
    anchor = last or organ
    if anchor is not None:
        after = list(_lines_after(page, anchor))
        body = next((line for line in after if line.x0 < page.width / 2), None)
        if body is not None:
            elements["session block"] = _at(body)
        big = [line for line in after if line.height > 14.5]
        if big:
            elements["title"] = _at(big[0])
            subtitle = next((line for line in after if 11 < line.height <= 14.5 and line.y1 > big[0].y1), None)
            if subtitle is not None:
                elements["subtitle"] = _at(subtitle)
    _first_paragraph(page, elements)
    _footer_elements(page, elements)
    _rule_elements(page, elements, ("masthead rule under top line", "masthead rule under band"))
    return elements


def letterhead_page_elements(page: Page, marks: Landmarks = ENGLISH) -> dict[str, Positions]:
    """The letterhead's first and last lines (centred: where their middle stands), the place and
    date (at the right), the title, the addressee and the first line of the text, the footer
    and the rules of the first page of a letter on letterhead."""
    elements: dict[str, Positions] = {}
    right_margin = page.width - 72
    place = _first_line(page, lambda line: line.x0 > page.width / 2 and line.x1 > right_margin - 2)
    if place is None:
        return elements
    above = [line for line in page.lines if line.y1 < place.y1]
    for name, line in (("letterhead first line", above[:1]), ("letterhead last line", above[-1:])):
        for found in line:
            elements[name] = {"y": found.y1, "middle": (found.x0 + found.x1) / 2}
    elements["place and date"] = {"y": place.y1, "right": place.x1}
    after = list(_lines_after(page, place))
    title = next((line for line in after if line.height > 14.5), None)
    if title is not None:
        elements["title"] = _at(title)
        text = [line for line in _lines_after(page, title) if line.height <= 10.5]
        for name, line in zip(("addressee", "text after the addressee"), text, strict=False):
            elements[name] = _at(line)
    _footer_elements(page, elements)
    _rule_elements(page, elements, ())
    return elements


def _number_words(line: Line) -> int:
    """How many words of ``line`` are the number "1." ("1 -" in Arabic, two words), or 0."""
    words = [word.text for word in line.words[:2]]
    if words[0] == "1.":
        return 1
    return 2 if words == ["1", "-"] else 0


def _first_paragraph(page: Page, elements: dict[str, Positions]) -> None:
    """The number "1." and the text of the first numbered paragraph, and the measure it fills."""
    number_line = _first_line(page, lambda line: _number_words(line) and len(line.words) > 3)
    if number_line is None:
        return
    elements["paragraph number"] = _at(number_line.words[0])
    text_start = number_line.words[_number_words(number_line)].x0
    elements["paragraph text"] = {"x": text_start, "y": number_line.y1}
    # the measure: from where the text starts to where the widest of its lines ends
    lines = [number_line]
    for line in _lines_after(page, number_line):
        if abs(line.x0 - text_start) > 1 or line.height > 10.5:
            break
        lines.append(line)
    if len(lines) > 1:
        elements["text measure"] = {"width": max(line.x1 for line in lines[:-1]) - text_start}


def _rule_elements(page: Page, elements: dict[str, Positions], names: tuple[str, ...]) -> None:
    """The first rules of the page by name, the rest numbered."""
    index = 0
    for rule in page.rules:
        if rule.x1 - rule.x0 < 2.5 * 72:
            elements["footnote rule"] = {"y": rule.y, "x": rule.x0, "right": rule.x1, "thickness": rule.thickness}
            continue
        name = names[index] if index < len(names) else f"rule {index + 1}"
        index += 1
        elements[name] = {"y": rule.y, "x": rule.x0, "right": rule.x1, "thickness": rule.thickness}


def annex_page_elements(page: Page, marks: Landmarks = ENGLISH) -> dict[str, Positions]:
    """The running head, the annex heading and title, the table's heads, columns and rules, the
    footnote and the folio of an annex page."""
    elements: dict[str, Positions] = {}
    head = page.lines[0] if page.lines and page.lines[0].y1 < 72 else None
    if head is not None:
        elements["running head"] = {"y": head.y1, "x": head.x0, "right": head.x1}
    annex = _first_line(page, lambda line: _has(line, marks.annex) and len(line.words) <= 3)
    if annex is not None:
        elements["annex heading"] = _at(annex)
        title = next(iter(_lines_after(page, annex)), None)
        if title is not None and title.height > 12:
            elements["annex title"] = _at(title)
    heads = _first_line(page, lambda line: _has(line, marks.table_head))
    if heads is not None:
        elements["table head Date/time"] = _at(heads.words[0])
        second = next((word for word in heads.words[1:] if word.x0 > heads.words[0].x1 + 12), None)
        if second is not None:
            elements["table head second column"] = _at(second)
        first_row = next(iter(_lines_after(page, heads)), None)
        if first_row is not None:
            elements["table first row"] = _at(first_row)
    _footer_elements(page, elements)
    rule_names = ("running head rule", "table rule above heads", "table rule under heads", "table rule bottom") \
        if head is not None else ("table rule above heads", "table rule under heads", "table rule bottom")
    _rule_elements(page, elements, rule_names)
    return elements


def annex_page(pages: list[Page], marks: Landmarks = ENGLISH) -> Page | None:
    """The page on which the first annex starts."""
    return next((page for page in pages[1:]
                 if any(_has(line, marks.annex) and len(line.words) <= 3 for line in page.lines)), None)


@dataclass(frozen=True)
class Difference:
    """One position of one element on both renderings."""

    page: str
    element: str
    measure: str
    pdf: float | None
    docx: float | None

    @property
    def amount(self) -> float:
        """How far apart the two are (infinite when one rendering lacks the element)."""
        if self.pdf is None or self.docx is None:
            return float("inf")
        return abs(self.pdf - self.docx)

    def __str__(self) -> str:
        def shown(value: float | None) -> str:
            return "missing" if value is None else f"{value:.1f} pt"

        return (f"{self.page}: {self.element} ({self.measure}): PDF {shown(self.pdf)}, "
                f"DOCX {shown(self.docx)}, difference {self.amount:.1f} pt")


def compare(label: str, pdf: dict[str, Positions], docx: dict[str, Positions]) -> list[Difference]:
    """Every position of every element found on either rendering."""
    differences = []
    for element in sorted(set(pdf) | set(docx)):
        measures = sorted(set(pdf.get(element, {})) | set(docx.get(element, {})))
        for measure in measures:
            differences.append(Difference(label, element, measure, pdf.get(element, {}).get(measure),
                                          docx.get(element, {}).get(measure)))
    return differences


def page_differences(pdf_pages: list[Page], docx_pages: list[Page],
                     marks: Landmarks = ENGLISH) -> list[Difference]:
    """The differences on the first page and on the annex's first page (if any) of two renderings."""
    if marks.right_to_left:
        pdf_pages, docx_pages = [mirrored(page) for page in pdf_pages], [mirrored(page) for page in docx_pages]
    first_page = letterhead_page_elements if marks.letterhead else first_page_elements
    differences = compare("page 1", first_page(pdf_pages[0], marks), first_page(docx_pages[0], marks))
    pdf_annex, docx_annex = annex_page(pdf_pages, marks), annex_page(docx_pages, marks)
    if pdf_annex is not None or docx_annex is not None:
        numbers = (page.number if page else "-" for page in (pdf_annex, docx_annex))
        label = "annex page (PDF {}, DOCX {})".format(*numbers)
        differences += compare(label, annex_page_elements(pdf_annex, marks) if pdf_annex else {},
                               annex_page_elements(docx_annex, marks) if docx_annex else {})
    return differences


def largest_by_element(differences: list[Difference]) -> dict[str, Difference]:
    """The largest difference of each element (over pages and measures), by element name."""
    largest: dict[str, Difference] = {}
    for difference in differences:
        known = largest.get(difference.element)
        if known is None or difference.amount > known.amount:
            largest[difference.element] = difference
    return largest


def main(argv: list[str] | None = None) -> int:
    """Print the largest difference per element of PDF/DOCX pairs: ``python -m tests.geometry OUT LAIDOUT``.

    ``OUT`` holds ``<name>.pdf``; ``LAIDOUT`` the PDFs LibreOffice made of ``<name>.docx``.
    """
    import sys

    out, laid_out = (Path(arg) for arg in (argv or sys.argv[1:]))
    everything: list[Difference] = []
    for pdf in sorted(out.glob("*.pdf")):
        docx_pdf = laid_out / pdf.name
        if not docx_pdf.exists():
            continue
        found = page_differences(read_pages(pdf), read_pages(docx_pdf))
        everything += [Difference(f"{pdf.stem} {d.page}", d.element, d.measure, d.pdf, d.docx) for d in found]
    for element, difference in sorted(largest_by_element(everything).items()):
        print(f"{element:32} {difference.amount:7.1f}  {difference}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

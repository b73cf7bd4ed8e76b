"""The emblem a documents repository configures: checked with the configuration, in the
fingerprint, and drawn at one place in HTML, PDF and DOCX.

The test emblem (tests/fixtures/emblem/emblem.svg) is drawn in one blue that nothing else on
a page uses, so that where a format put it is found in a picture of the page.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import numpy as np
import pytest
from lxml import etree
from PIL import Image

from pipeline.build.manifest import fingerprint
from pipeline.build.render import model_of
from pipeline.cli import main
from pipeline.formats import html as html_renderer
from pipeline.formats import pdf as pdf_renderer
from pipeline.formats.docx import pages as docx_pages_tool
from pipeline.formats.docx.render import render as render_docx
from pipeline.marks.emblem import EMBLEM_HEIGHT_PT, Emblem, read_emblem
from pipeline.marks.recycling import recycling_png
from pipeline.model.tree import Document
from pipeline.project.config import read_config
from pipeline.validate.check import validate_sources
from tests.conftest import ROOT, in_ci

FIXTURE = ROOT / "tests" / "fixtures" / "emblem" / "emblem.svg"
S4 = "oewg-ict-s4-programme-of-work"
RESOLUTION = 144
"""Pixels per inch of the page pictures the emblem is found in."""


@pytest.fixture(scope="module")
def emblem() -> Emblem:
    return read_emblem(FIXTURE)


@pytest.fixture(scope="module")
def with_emblem(documents: dict[str, Document], emblem: Emblem) -> Document:
    document = documents[S4]
    return dataclasses.replace(document, masthead=dataclasses.replace(document.masthead, emblem=emblem))


# ---------------------------------------------------------------- configuration


def test_the_fixture_is_an_svg_in_its_proportions(emblem: Emblem) -> None:
    assert emblem.media_type == "image/svg+xml"
    assert emblem.aspect == pytest.approx(1.2)
    assert (emblem.width_pt, emblem.height_pt) == (pytest.approx(43.2), EMBLEM_HEIGHT_PT)


def test_a_png_emblem_is_read_with_its_proportions(tmp_path: Path) -> None:
    (tmp_path / "emblem.png").write_bytes(recycling_png(20))
    (tmp_path / "undoc.toml").write_text('emblem = "emblem.png"\n')
    config = read_config(tmp_path / "undoc.toml")
    assert not config.problems
    assert config.emblem is not None and config.emblem.media_type == "image/png" and config.emblem.aspect == 1


@pytest.mark.parametrize(("text", "file", "line", "column", "words"), [
    ('formats = ["pdf"]\nemblem = "missing.svg"\n', None, 2, 1, "no such file"),
    ('out = "out"\n  emblem = "emblem.txt"\n', b"not an image\n", 2, 3, "neither an SVG nor a PNG"),
    ('emblem = "emblem.txt"\n', b"<html xmlns='http://www.w3.org/1999/xhtml'/>", 1, 1, "neither an SVG nor a PNG"),
    ('emblem = "emblem.txt"\n', b"<svg xmlns='http://www.w3.org/2000/svg'/>", 1, 1, "has no size"),
    ('emblem = 3\n', None, 1, 1, "emblem is the path of an SVG or PNG image"),
    ('[tool.undoc]\nemblem = "."\n', None, 2, 1, "a folder"),
])
def test_an_unusable_emblem_is_a_located_configuration_error(tmp_path: Path, text: str, file: bytes | None,
                                                             line: int, column: int, words: str) -> None:
    name = "pyproject.toml" if text.startswith("[tool.undoc]") else "undoc.toml"
    (tmp_path / name).write_text(text)
    if file is not None:
        (tmp_path / "emblem.txt").write_bytes(file)
    config = read_config(tmp_path / name)
    assert [(d.code, d.line, d.column) for d in config.problems] == [("config-value", line, column)]
    assert words in config.problems[0].message
    assert config.emblem is None


def test_a_missing_emblem_stops_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "undoc.toml").write_text('emblem = "art/emblem.svg"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    assert "undoc.toml:1:1: error [config-value] the emblem 'art/emblem.svg' cannot be used: no such file" in (
        capsys.readouterr().out)
    assert not (tmp_path / "out").exists()


def test_the_emblem_enters_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "undoc.toml").write_text('emblem = "emblem.svg"\n')
    shutil.copy(FIXTURE, tmp_path / "emblem.svg")
    first = fingerprint()
    assert fingerprint() == first
    (tmp_path / "emblem.svg").write_bytes(FIXTURE.read_bytes().replace(b'r="18"', b'r="16.5"'))
    changed = fingerprint()
    assert changed != first
    (tmp_path / "undoc.toml").write_text('# no emblem\n')
    assert fingerprint() not in (first, changed)


def test_the_configuration_of_a_source_gives_its_model_the_emblem(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sources" / "shared", tmp_path / "sources" / "shared")
    shutil.copy(ROOT / "sources" / f"{S4}.xml", tmp_path / "sources")
    shutil.copy(FIXTURE, tmp_path / "emblem.svg")
    (tmp_path / "undoc.toml").write_text('emblem = "emblem.svg"\n')
    checked, _ = validate_sources([tmp_path / "sources" / f"{S4}.xml"])
    assert checked[0].ok, checked[0].diagnostics
    model = model_of(checked[0])
    assert model.masthead.emblem is not None and model.masthead.emblem.data == FIXTURE.read_bytes()


# ---------------------------------------------------------------- the formats


def test_without_an_emblem_no_format_draws_one(documents: dict[str, Document]) -> None:
    document = documents[S4]
    assert document.masthead.emblem is None
    assert "emblem" not in html_renderer.render_html(document)
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as docx:
        assert not [n for n in docx.namelist() if "emblem" in n]


def test_html_draws_the_emblem_before_the_organ(with_emblem: Document, emblem: Emblem) -> None:
    page = lxml.html.document_fromstring(html_renderer.render_html(with_emblem))
    band = page.find_class("masthead-band")[0]
    image, organ = band[0], band[1]
    assert image.tag == "img" and image.get("class") == "emblem" and organ.get("class") == "organ"
    assert image.get("alt") == "United Nations emblem"
    assert image.get("src") == emblem.data_uri()
    assert "width: 43.2pt; height: 36pt" in image.get("style", "")


def test_docx_floats_the_emblem_at_the_start_of_the_organ(with_emblem: Document) -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(with_emblem))) as docx:
        assert docx.read("word/media/emblem.svg") == FIXTURE.read_bytes()
        types = docx.read("[Content_Types].xml").decode()
        rels = docx.read("word/_rels/document.xml.rels").decode()
        document = etree.fromstring(docx.read("word/document.xml"))
    assert 'Extension="svg" ContentType="image/svg+xml"' in types
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    organ = [p for p in document.iter(f"{w}p") if p.find(f"{w}pPr/{w}pStyle") is not None
             and p.find(f"{w}pPr/{w}pStyle").get(f"{w}val") == "UNMastheadOrgan"]
    assert len(organ) == 1
    assert organ[0].find(f"{w}pPr/{w}ind").get(f"{w}left") == str(round((43.2 + 6) * 20))
    anchor = organ[0].find(f"{w}r/{w}drawing/{wp}anchor")
    assert anchor is not None and anchor.find(f"{wp}wrapNone") is not None
    assert anchor.find(f"{wp}docPr").get("descr") == "United Nations emblem"
    assert anchor.find(f"{wp}extent").get("cy") == str(36 * 12700)
    embedded = {e.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
                for e in anchor.iter() if e.tag.endswith(("}blip", "}svgBlip"))}
    assert len(embedded) == 1 and f'Id="{embedded.pop()}"' in rels


@pytest.mark.parametrize(("stem", "emblem_text", "mark_text"), [
    ("oewg-ict-s4-programme-of-work.fr", "Emblème de l’Organisation des Nations Unies", "Symbole du recyclage"),
    ("oewg-ict-s4-programme-of-work.ar", "شعار الأمم المتحدة", "رمز إعادة التدوير"),
    ("oewg-ict-s4-programme-of-work.zh", "联合国会徽", "回收标志"),
])
def test_the_marks_are_described_in_the_documents_language(documents: dict[str, Document], emblem: Emblem,
                                                            stem: str, emblem_text: str, mark_text: str) -> None:
    document = documents[stem]
    document = dataclasses.replace(document, masthead=dataclasses.replace(document.masthead, emblem=emblem))
    page = lxml.html.document_fromstring(html_renderer.render_html(document))
    assert page.find_class("emblem")[0].get("alt") == emblem_text
    assert page.find_class("recycling-mark")[0].find("svg").findtext("title") == mark_text
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as docx:
        parts = [etree.fromstring(docx.read(n)) for n in docx.namelist() if re.fullmatch(r"word/[^/]+\.xml", n)]
    descriptions = {e.get("descr") for part in parts for e in part.iter("{*}docPr")}
    assert {emblem_text, mark_text} <= descriptions


def page_picture(pdf: Path, folder: Path) -> np.ndarray:
    """The first page of ``pdf`` as RGB pixels at :data:`RESOLUTION`."""
    stem = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(stem)], check=True, capture_output=True)
    return np.asarray(Image.open(f"{stem}.png").convert("RGB")).astype(int)


def emblem_box(pixels: np.ndarray) -> tuple[float, float, float, float]:
    """Left, top, right, bottom (points) of the test emblem's blue."""
    rows, columns = np.nonzero(pixels[:, :, 2] - pixels[:, :, 0] > 80)
    assert rows.size, "no emblem on the first page"
    scale = 72 / RESOLUTION
    return (columns.min() * scale, rows.min() * scale, (columns.max() + 1) * scale, (rows.max() + 1) * scale)


def organ_word(pdf: Path, pixels: np.ndarray) -> tuple[float, float]:
    """Left (points) of the organ's first word, "General" (the tallest one on page 1), and its
    baseline: the foot of its ink, as the word has no descender."""
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    boxes = [tuple(float(v) for v in found) for found in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">General</word>', text)]
    left, top, right, bottom = max(boxes, key=lambda b: b[3] - b[1])
    scale = RESOLUTION / 72
    word = pixels[int(top * scale):int(bottom * scale) + 1, int(left * scale):int(right * scale) + 1]
    rows = np.nonzero((word.max(axis=2) < 128).any(axis=1))[0]
    return left, (int(top * scale) + rows.max() + 1) / scale


@pytest.mark.slow
def test_pdf_and_docx_place_the_emblem_alike(with_emblem: Document, tmp_path: Path) -> None:
    """The emblem at the left margin, its foot on the organ's line, the organ's name after it:
    within 2 pt between the PDF and the DOCX as LibreOffice lays it out, measured from the
    margin and from the organ's baseline (so that this holds wherever each format's masthead
    sets the band)."""
    if shutil.which("pdftoppm") is None or docx_pages_tool.soffice_binary() is None:
        if in_ci():
            pytest.fail("pdftoppm or LibreOffice not found; CI is set, so this fails instead of skipping")
        pytest.skip("pdftoppm or LibreOffice not found")
    pdf = tmp_path / "weasyprint.pdf"
    pdf.write_bytes(pdf_renderer.render_pdf(with_emblem))
    docx = tmp_path / "word.docx"
    docx.write_bytes(render_docx(with_emblem))
    (from_docx,) = docx_pages_tool.to_pdf([docx], tmp_path / "lo")
    places = {}
    for name, path in (("PDF", pdf), ("DOCX", from_docx)):
        pixels = page_picture(path, tmp_path)
        left, top, right, bottom = emblem_box(pixels)
        organ_left, baseline = organ_word(path, pixels)
        places[name] = {"left": left, "right": right, "height": bottom - top,
                        "foot over the baseline": bottom - baseline, "organ after the emblem": organ_left - right}
    # the ink of the test emblem: at the left margin, the image's size less its own margins
    assert 72 <= places["PDF"]["left"] < 78 and 105 < places["PDF"]["right"] <= 72 + 43.2
    assert 20 < places["PDF"]["height"] <= EMBLEM_HEIGHT_PT
    for what, in_pdf in places["PDF"].items():
        in_docx = places["DOCX"][what]
        assert abs(in_pdf - in_docx) <= 2, f"the emblem's {what}: PDF {in_pdf:.1f} pt, DOCX {in_docx:.1f} pt"


def test_every_genre_takes_the_emblem(documents: dict[str, Document], emblem: Emblem) -> None:
    for stem, document in documents.items():
        if document.masthead.letterhead is not None:
            continue  # a letter on letterhead has no United Nations masthead to carry it
        document = dataclasses.replace(document, masthead=dataclasses.replace(document.masthead, emblem=emblem))
        page = lxml.html.document_fromstring(html_renderer.render_html(document))
        assert page.find_class("masthead-band")[0][0].get("class") == "emblem", stem
        with zipfile.ZipFile(io.BytesIO(render_docx(document))) as docx:
            assert b"emblem.svg" in docx.read("word/document.xml"), stem


def test_a_png_emblem_is_embedded_as_png(documents: dict[str, Document], tmp_path: Path) -> None:
    (tmp_path / "emblem.png").write_bytes(recycling_png(40))
    png = read_emblem(tmp_path / "emblem.png")
    document = documents[S4]
    document = dataclasses.replace(document, masthead=dataclasses.replace(document.masthead, emblem=png))
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as docx:
        assert docx.read("word/media/emblem.png") == png.data
        assert b"svgBlip" not in docx.read("word/document.xml")
    page = lxml.html.document_fromstring(html_renderer.render_html(document))
    assert page.find_class("emblem")[0].get("src").startswith("data:image/png;base64,")

"""The emblem a documents repository configures: checked with the configuration, in the
fingerprint, and drawn at one place in HTML, PDF and DOCX.

The test emblem (tests/fixtures/emblem/emblem.svg) is drawn in one blue that nothing else on
a page uses, so that where a format put it is found in a picture of the page.
"""

from __future__ import annotations

import dataclasses
import io
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
    (tmp_path / "emblem.svg").write_bytes(FIXTURE.read_bytes().replace(b'r="18"', b'r="16"'))
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


def test_docx_anchors_the_emblem_in_the_first_page_header(with_emblem: Document) -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(with_emblem))) as docx:
        names = docx.namelist()
        assert "word/media/emblem.svg" in names
        assert docx.read("word/media/emblem.svg") == FIXTURE.read_bytes()
        header = docx.read("word/header3.xml").decode()
        types = docx.read("[Content_Types].xml").decode()
        document = etree.fromstring(docx.read("word/document.xml"))
    assert "<wp:anchor" in header and "svgBlip" in header and 'descr="United Nations emblem"' in header
    assert 'Extension="svg" ContentType="image/svg+xml"' in types
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    organ = [p for p in document.iter(f"{w}pPr") if p.find(f"{w}pStyle").get(f"{w}val") == "UNMastheadOrgan"]
    assert [p.find(f"{w}ind").get(f"{w}left") for p in organ] == [str(round((43.2 + 6) * 20))]


def emblem_box(pdf: Path, folder: Path) -> tuple[float, float, float, float]:
    """Left, top, right, bottom (points) of the test emblem's blue on the first page of ``pdf``."""
    stem = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(stem)], check=True, capture_output=True)
    pixels = np.asarray(Image.open(f"{stem}.png").convert("RGB")).astype(int)
    blue = (pixels[:, :, 2] - pixels[:, :, 0] > 80)
    rows, columns = np.nonzero(blue)
    assert rows.size, f"no emblem on the first page of {pdf.name}"
    scale = 72 / RESOLUTION
    return (columns.min() * scale, rows.min() * scale, (columns.max() + 1) * scale, (rows.max() + 1) * scale)


@pytest.mark.slow
def test_pdf_and_docx_place_the_emblem_within_two_points(with_emblem: Document, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None or docx_pages_tool.soffice_binary() is None:
        if in_ci():
            pytest.fail("pdftoppm or LibreOffice not found; CI is set, so this fails instead of skipping")
        pytest.skip("pdftoppm or LibreOffice not found")
    pdf = tmp_path / "weasyprint.pdf"
    pdf.write_bytes(pdf_renderer.render_pdf(with_emblem))
    docx = tmp_path / "word.docx"
    docx.write_bytes(render_docx(with_emblem))
    (from_docx,) = docx_pages_tool.to_pdf([docx], tmp_path / "lo")
    in_pdf, in_docx = emblem_box(pdf, tmp_path), emblem_box(from_docx, tmp_path)
    # the emblem's ink: at the left margin, in the organ band, the image's size less its margins
    left, top, right, bottom = in_pdf
    assert 72 <= left < 78 and 58 <= top < 70 and 105 < right <= 72 + 43.2 and 80 < bottom <= 60.5 + 36
    for edge, a, b in zip(("left", "top", "right", "bottom"), in_pdf, in_docx, strict=True):
        assert abs(a - b) <= 2, f"the emblem's {edge}: PDF {a:.1f} pt, DOCX {b:.1f} pt"

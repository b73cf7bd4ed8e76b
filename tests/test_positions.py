"""Every diagnostic has a real line and column.

Once, every schema error was at column 0 (libxml2 gives none), ``render-failed`` pointed at
``1:0`` and ``write-failed`` at ``0:0``; a U+2028 in a source shifted the line of every later
diagnostic, and a character written as a reference had no column.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from pipeline.build.engine import build
from pipeline.build.render import render_many_outputs
from pipeline.diagnostics import Diagnostic
from pipeline.formats import failure_source, renderer
from pipeline.formats import text as text_renderer
from pipeline.model.inline import plain_text
from pipeline.model.tree import Document, ProgrammeLine, RenderFailure, Source
from pipeline.sources.load import (
    attribute_column,
    attribute_position,
    parse_bytes,
    source_lines,
    tag_column,
    tag_position,
)
from pipeline.validate.check import validate_sources
from tests.conftest import SOURCES

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
VALID = (FIXTURES / "valid.xml").read_text(encoding="utf-8")
SLOT = '        <slot start="10:00" end="13:00">'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    shutil.copyfile(SOURCES / "shared" / "oewg-ict-2021.xml", tmp_path / "shared" / "oewg-ict-2021.xml")
    return tmp_path


def diagnostics(folder: Path, text: str) -> list[Diagnostic]:
    path = folder / "doc.xml"
    path.write_text(text, encoding="utf-8")
    [checked], register_problems = validate_sources([path])
    return [*register_problems, *checked.diagnostics]


def where(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first ``needle`` in ``text``."""
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


# ---------------------------------------------------------------- schema errors


def test_schema_errors_carry_the_column_of_the_element_or_attribute(folder: Path) -> None:
    text = (VALID.replace(SLOT, '        <slot start="1000" end="13:00" bogus="x">', 1)
            .replace('<topic ref="d"/>', '<topic ref="d"/><wrong/>', 1)
            .replace("<organ>general-assembly</organ>", "<organ>assembly</organ>"))
    found = {(d.line, d.column) for d in diagnostics(folder, text)}
    assert {d.code for d in diagnostics(folder, text)} == {"schema"}
    assert found == {where(text, "<organ>"), where(text, 'start="1000"'), where(text, 'bogus='),
                     where(text, "<wrong/>")}


def test_a_missing_child_is_at_its_parent(folder: Path) -> None:
    text = VALID.replace('    <dates start="2023-03-06" end="2023-03-10"/>\n', "")
    [problem] = diagnostics(folder, text)
    assert (problem.code, problem.line, problem.column) == ("schema", *where(text, "<session "))
    assert "Missing child" in problem.message


def test_the_column_is_that_of_the_element_among_namesakes_on_its_line() -> None:
    loaded, _ = parse_bytes(b'<a xmlns="urn:x"><b><c/><d x="1"/></b><c y="2"/>\n<c/><b><c/></b></a>', "x")
    assert loaded.tree is not None
    cs = list(loaded.tree.getroot().iter("{urn:x}c"))
    assert [(c.sourceline, tag_column(loaded.lines, c.sourceline, c)) for c in cs] == [(1, 21), (1, 39), (2, 1), (2, 8)]
    assert attribute_column(loaded.lines, 1, cs[1], "y") == 42
    assert attribute_column(loaded.lines, 1, cs[0], "y") == 21, "not on the tag: the tag's column"


def test_wrong_root_is_at_the_root(folder: Path) -> None:
    text = VALID.replace('<document xmlns="urn:undoc:1.0"', '<document xmlns="urn:other"')
    [problem] = diagnostics(folder, text)
    assert (problem.code, problem.line, problem.column) == ("not-undoc", *where(text, "<document"))


def test_whole_file_problems_are_at_its_start(folder: Path) -> None:
    (folder / "empty.xml").write_text("   \n", encoding="utf-8")
    (folder / "dir.xml").mkdir()
    checked, _ = validate_sources([folder / "empty.xml", folder / "dir.xml"])
    assert [(c.diagnostics[0].code, c.diagnostics[0].line, c.diagnostics[0].column) for c in checked] == [
        ("xml-empty", 1, 1), ("file-unreadable", 1, 1)]


# ---------------------------------------------------------------- text positions


def test_lines_are_counted_as_the_parser_counts_them(folder: Path) -> None:
    """U+2028, U+2029 and U+0085 end a line for Python's splitlines, not for XML."""
    text = VALID.replace("Note by the Secretariat", "Note by\u2028the\u2029Secretariat\u0085")
    assert source_lines(text) == tuple(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"))
    text = text.replace("Interactive exchange", "Interactive\u00adexchange")
    found = {d.code: (d.line, d.column) for d in diagnostics(folder, text)}
    assert found["text-invisible"] == where(text, "\u00ad")
    assert found["text-control"] == where(text, "\u0085")


def test_a_character_written_as_a_reference_is_found_at_the_reference(folder: Path) -> None:
    text = VALID.replace("Interactive exchange", "Interactive &amp; &#xAD;exchange")
    [problem] = diagnostics(folder, text)
    assert (problem.code, problem.line, problem.column) == ("text-invisible", *where(text, "&#xAD;"))


def test_crlf_sources_count_lines_alike(folder: Path) -> None:
    text = VALID.replace("Interactive exchange", "Interactive\u00adexchange")
    [problem] = diagnostics(folder, text.replace("\n", "\r\n"))
    assert (problem.line, problem.column) == where(text, "\u00ad")


# ---------------------------------------------------------------- failures after validation


def test_a_render_failure_is_at_the_node_being_rendered(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once at 1:0 whatever failed: now at the node the renderer was working on."""
    path = folder / "doc.xml"
    path.write_text(VALID, encoding="utf-8")

    def walk(node: object) -> None:
        if isinstance(node, ProgrammeLine) and plain_text(node.content) == "Interactive exchange":
            raise ValueError("cannot take this line")
        for name in (f.name for f in dataclasses.fields(node)):  # type: ignore[arg-type]
            value = getattr(node, name)
            for item in value if isinstance(value, tuple) else (value,):
                if dataclasses.is_dataclass(item) and not isinstance(item, type):
                    walk(item)

    def render(document: Document) -> bytes:
        walk(document)
        return b"never"

    monkeypatch.setattr(text_renderer, "render", render)
    report = build([path], folder / "out", ["txt", "json"], strict=False)
    [problem] = report.diagnostics
    assert (problem.code, problem.line, problem.column) == ("render-failed", *where(VALID, "<line minutes=\"120\">"))
    assert "cannot take this line" in problem.message


def test_a_renderer_may_say_where_it_failed(folder: Path) -> None:
    path = folder / "doc.xml"
    path.write_text(VALID, encoding="utf-8")
    [checked], _ = validate_sources([path])

    def render(document: object) -> bytes:
        raise RenderFailure("no", Source(checked.path, 44, 13))

    failing = renderer("txt").__class__("txt", ".txt", "", render)
    [(_, problems)] = render_many_outputs([(path, checked, folder, [failing])], {})
    assert [(d.code, d.line, d.column) for d in problems] == [("render-failed", 44, 13)]


def test_a_failure_without_a_node_is_at_the_root_element(folder: Path) -> None:
    path = folder / "doc.xml"
    path.write_text(VALID, encoding="utf-8")
    [checked], _ = validate_sources([path])

    def render(document: object) -> bytes:
        raise MemoryError("out of memory")

    assert failure_source(ValueError("no traceback")) is None
    failing = renderer("txt").__class__("txt", ".txt", "", render)
    [(_, problems)] = render_many_outputs([(path, checked, folder, [failing])], {})
    assert [(d.code, d.line, d.column) for d in problems] == [("render-failed", *where(VALID, "<document"))]


def test_a_write_failure_has_a_position(folder: Path) -> None:
    path = folder / "doc.xml"
    path.write_text(VALID, encoding="utf-8")
    out = folder / "out"
    (out / "doc.txt").mkdir(parents=True)  # the output path is a folder
    report = build([path], out, ["txt"], strict=False)
    assert [(d.code, d.line, d.column) for d in report.diagnostics] == [("write-failed", 1, 1)]


def test_a_start_tag_over_several_lines_is_found_where_it_begins(folder: Path) -> None:
    """libxml2 numbers an element by the line its start tag ends on."""
    text = (SOURCES / "oewg-ict-s3-programme-of-work.xml").read_text(encoding="utf-8")
    assert text.split("\n")[1].startswith("<document") and 'type="programme-of-work">' in text.split("\n")[4]
    loaded, _ = parse_bytes(text.encode(), "x")
    assert loaded.tree is not None
    root = loaded.tree.getroot()
    assert root.sourceline == 5
    assert tag_position(loaded.lines, root) == (2, 1)
    assert attribute_position(loaded.lines, root, "type") == where(text, 'type="')
    assert attribute_position(loaded.lines, root, "version") == where(text, 'version="1.0" type')
    broken = text.replace('type="programme-of-work"', 'type="poem"')
    found = [(d.code, d.line, d.column) for d in diagnostics(folder, broken)]
    assert found == [("schema", *where(broken, 'type="poem"'))]
    unknown = text.replace('version="1.0"', 'version="1.0" colour="red"')
    assert [(d.line, d.column) for d in diagnostics(folder, unknown)] == [where(unknown, "colour=")]


def test_the_model_knows_where_each_node_starts(folder: Path) -> None:
    from pipeline.build.render import model_of

    path = SOURCES / "oewg-ict-s3-programme-of-work.xml"
    [checked], _ = validate_sources([path])
    document = model_of(checked)
    text = path.read_text(encoding="utf-8")
    assert (document.source.line, document.source.column) == (2, 1)
    assert (document.masthead.source.line, document.masthead.source.column) == where(text, "<masthead>")

"""Properties over many documents: generated sources validate clean and build the same bytes
in every registered format; mutated sources end in diagnostics, never in an exception; a
source whose text holds any kind of character either is refused where it stands or builds
in every format, with every character on the page and nothing outside it.

Documents come from :mod:`pipeline.devtools.corpus` (deterministic from a seed); hypothesis chooses
the seeds, the mutations and the text, and shrinks a failure to a small case. The number of
cases is multiplied by ``UNDOC_PROPERTY_SCALE`` (``nox -s nightly`` sets it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from lxml import etree

from pipeline.build.engine import build
from pipeline.build.render import model_of, render_many_outputs
from pipeline.devtools import corpus
from pipeline.diagnostics import Severity
from pipeline.formats import format_names, renderer
from pipeline.validate.check import Registers, check_source, validate_sources
from pipeline.validate.rules import catalogue
from tests.conftest import SOURCES

SLOW_FORMATS = frozenset({"docx", "pdf"})
"""Formats that take a good fraction of a second per document: tried on a few examples."""

FAST = [f for f in format_names() if f not in SLOW_FORMATS]
SLOW = [f for f in format_names() if f in SLOW_FORMATS]
CODES = {c.code for c in catalogue()}
SEEDS = st.integers(min_value=0, max_value=2**31 - 1)
COMMON = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALE = max(1, int(os.environ.get("UNDOC_PROPERTY_SCALE", "1")))
"""How many times more cases than in CI each property tries (``nox -s nightly``)."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sources folder holding the real register and a generated one."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "shared").mkdir()
    shutil.copyfile(corpus.REAL_REGISTER_FILE, root / "shared" / corpus.REAL_REGISTER.file_name)
    return root


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# ---------------------------------------------------------------- the generator


def test_generation_is_deterministic_and_varied() -> None:
    assert corpus.document_xml(7) == corpus.document_xml(7)
    assert corpus.register_xml(7) == corpus.register_xml(7)
    documents = [corpus.document_xml(seed) for seed in range(60)]
    assert len(set(documents)) == 60
    days = [d.count("<day ") for d in documents]
    assert min(days) <= 3 and 5 in days and max(days) == 15, "short sessions, weeks and conferences"
    assert max(d.count("<footnote ") for d in documents) >= 5
    assert all(d.count("<slot ") >= d.count("<day ") for d in documents)
    joined = "".join(documents)
    for feature in ("<list>", "<segment", "minutes=", "continued-reason=", "<wording>", "<em>", "<link ",
                    "<doc-ref>", "<resolution-ref>"):
        assert feature in joined, feature


def test_generated_reports_validate_and_grow_with_their_chapters(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    shutil.copyfile(corpus.REAL_REGISTER_FILE, tmp_path / "shared" / corpus.REAL_REGISTER.file_name)
    paths = []
    for chapters in (1, 3):
        path = tmp_path / f"report-{chapters}.xml"
        path.write_text(corpus.report_xml(5, chapters), encoding="utf-8")
        paths.append(path)
    checked, register_problems = validate_sources(paths)
    assert register_problems == []
    assert [list(c.diagnostics) for c in checked] == [[], []]
    short, long = (p.read_text(encoding="utf-8") for p in paths)
    assert corpus.report_xml(5, 3) == long
    assert long.count("<section") == 3 * short.count("<section")
    for feature in ("<contents/>", "<subparagraphs>", "<table>", "<table-note-ref", "<footnote-ref", "<annex>"):
        assert feature in short, feature


def test_corpus_writes_hundreds_of_documents_with_one_register(tmp_path: Path) -> None:
    paths = corpus.write_corpus(tmp_path, 500, seed=3, register="generated")
    assert len(paths) == 500 and len(list((tmp_path / "shared").glob("*.xml"))) == 1


def test_corpus_command_line(tmp_path: Path) -> None:
    assert corpus.main([str(tmp_path / "c"), "--count", "3", "--seed", "11"]) == 0
    assert sorted(p.name for p in (tmp_path / "c").glob("*.xml")) == [
        "doc-00011.xml", "doc-00012.xml", "doc-00013.xml"]


# ---------------------------------------------------------------- valid documents stay valid


@settings(COMMON, max_examples=60 * SCALE)
@given(seed=SEEDS)
def test_generated_documents_validate_clean(folder: Path, seed: int) -> None:
    path = _write(folder, "generated.xml", corpus.document_xml(seed))
    checked, register_problems = validate_sources([path])
    assert register_problems == []
    assert [d.format() for d in checked[0].diagnostics] == []
    assert checked[0].passes(strict=True)


@settings(COMMON, max_examples=20 * SCALE)
@given(seed=SEEDS)
def test_generated_registers_and_their_documents_validate_clean(folder: Path, seed: int) -> None:
    facts = corpus.register_facts(seed)
    _write(folder, f"shared/{facts.file_name}", corpus.register_xml(seed))
    path = _write(folder, "with-generated-register.xml", corpus.document_xml(seed, facts))
    checked, register_problems = validate_sources([path])
    assert [d.format() for d in [*register_problems, *checked[0].diagnostics]] == []


def _builds_twice_the_same(folder: Path, seed: int, formats: list[str]) -> None:
    path = _write(folder, f"doc-{seed}.xml", corpus.document_xml(seed))
    outputs = []
    for run in ("first", "second"):
        out = folder / f"out-{run}"
        shutil.rmtree(out, ignore_errors=True)
        report = build([path], out, formats, strict=True)
        assert report.exit_status() == 0, [d.format() for d in report.diagnostics]
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == len(formats) and all(outputs[0].values())
    path.unlink()


@pytest.mark.parametrize("fmt", FAST)
@settings(COMMON, max_examples=12 * SCALE)
@given(seed=SEEDS)
def test_generated_documents_build_deterministically(folder: Path, fmt: str, seed: int) -> None:
    _builds_twice_the_same(folder, seed, [fmt])


@pytest.mark.parametrize("fmt", SLOW)
@settings(COMMON, max_examples=2 * SCALE)
@given(seed=SEEDS)
def test_generated_documents_build_deterministically_slow_formats(folder: Path, fmt: str, seed: int) -> None:
    _builds_twice_the_same(folder, seed, [fmt])


# ---------------------------------------------------------------- broken documents never crash

Mutation = Callable[[bytes], bytes]


def _flip(index: int, mask: int) -> Mutation:
    def mutate(data: bytes) -> bytes:
        if not data:
            return data
        i = index % len(data)
        return data[:i] + bytes([data[i] ^ mask]) + data[i + 1:]
    return mutate


def _delete_line(index: int) -> Mutation:
    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        del lines[index % len(lines)]
        return b"\n".join(lines)
    return mutate


def _duplicate_line(index: int) -> Mutation:
    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        i = index % len(lines)
        return b"\n".join([*lines[:i + 1], lines[i], *lines[i + 1:]])
    return mutate


def _swap_attributes(first: int, second: int) -> Mutation:
    def mutate(data: bytes) -> bytes:
        found = list(re.finditer(rb'(?<=[ \t])[\w:-]+="([^"]*)"', data))
        if len(found) < 2:
            return data
        i, j = first % len(found), second % len(found)
        if i == j:
            return data
        x, y = found[min(i, j)], found[max(i, j)]
        return (data[:x.start(1)] + y.group(1) + data[x.end(1):y.start(1)] + x.group(1) + data[y.end(1):])
    return mutate


def _truncate(index: int) -> Mutation:
    return lambda data: data[: index % (len(data) + 1)]


def _digit(index: int, digit: int) -> Mutation:
    def mutate(data: bytes) -> bytes:
        digits = [m.start() for m in re.finditer(rb"\d", data)]
        if not digits:
            return data
        i = digits[index % len(digits)]
        return data[:i] + str(digit).encode() + data[i + 1:]
    return mutate


def _insert(index: int, junk: bytes) -> Mutation:
    return lambda data: data[: index % (len(data) + 1)] + junk + data[index % (len(data) + 1):]


INDEX = st.integers(min_value=0, max_value=10**6)
MUTATIONS = st.one_of(
    st.builds(_flip, INDEX, st.integers(1, 255)),
    st.builds(_delete_line, INDEX),
    st.builds(_duplicate_line, INDEX),
    st.builds(_swap_attributes, INDEX, INDEX),
    st.builds(_truncate, INDEX),
    st.builds(_digit, INDEX, st.integers(0, 9)),
    st.builds(_insert, INDEX, st.sampled_from([b"&", b"<", b"]]>", b"<!DOCTYPE x>", b"\xff", b"\x00",
                                               b"&lol;", b'<p xmlns="urn:x"/>', "\t  \u00a0".encode()])),
)
ORIGINALS = st.one_of(
    st.sampled_from(sorted(SOURCES.glob("*.xml"))).map(lambda p: p.read_bytes()),
    SEEDS.map(lambda seed: corpus.document_xml(seed).encode("utf-8")),
)


@settings(COMMON, max_examples=250 * SCALE)
@given(original=ORIGINALS, mutations=st.lists(MUTATIONS, min_size=1, max_size=3))
def test_mutated_sources_end_in_diagnostics_not_exceptions(folder: Path, original: bytes,
                                                            mutations: list[Mutation]) -> None:
    data = original
    for mutate in mutations:
        data = mutate(data)
    path = _write(folder, "mutated.xml", data)
    checked, register_problems = validate_sources([path])
    assert register_problems == []
    [result] = checked
    event("builds" if result.ok else f"refused: {min(d.code for d in result.diagnostics)}")
    for d in result.diagnostics:
        assert d.code in CODES, d.format()
        assert d.line >= 0 and d.column >= 0 and d.message
    if result.ok:
        document = model_of(result)
        for fmt in FAST:
            assert renderer(fmt).render(document)
    else:
        assert any(d.severity is Severity.ERROR for d in result.diagnostics)


# ---------------------------------------------------------------- any character: refused or built

XML_CHARACTERS = st.characters(min_codepoint=0x20, exclude_categories=("Cs",), exclude_characters="\ufffe\uffff")
"""Any character XML 1.0 can hold."""

CLASSES = (
    "\u2028\u2029",                                  # line and paragraph separators
    "\u0080\u0085\u0092\u009f",                      # C1 controls
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",  # directional formatting
    "\u200e\u200f\u061c",                            # direction marks
    "\u00a0\u202f\u2007\u2003\u2009\u200a\u3000\u1680\u205f",  # no-break and other spaces
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u034f\ufe0f",  # invisible and joining
    "\t\r\n ",                                       # XML white space (CR survives as &#xD;)
    "\u0301\u0308\u20dd",                            # combining marks
    "\ufdd0\U0001fffe\U0010ffff\ufffd",             # noncharacters, the replacement character
    "\ue000\U000f0000",                              # private use
    "ب中क😀𝔸\U0001f310",                           # scripts and symbols the fonts lack
    "éŒß–—“”‘’…€№‑",                                # Latin and punctuation the fonts have
    "&<>\"'",                                        # markup characters, escaped
)
PIECES = st.one_of(
    st.sampled_from("".join(CLASSES)),
    st.text(XML_CHARACTERS, min_size=1, max_size=4),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=100, max_size=180),  # a word longer than the measure
    st.builds(lambda n: "https://example.org/" + "segment/" * n, st.integers(12, 25)),
    st.sampled_from(["of the", " ", "Working group", "75/240", "A/77/275"]),
)
FIELD_TEXT = st.lists(PIECES, min_size=1, max_size=6).map("".join)

SLOTS = ("title", "subtitle", "p", "segment", "line", "footnote", "place", "em", "link", "wording", "doc-ref",
         "heading", "item", "td", "caption", "table-note")
"""Elements whose text a case may replace or extend."""
INLINE = frozenset({"em", "link", "doc-ref"})
"""Those of :data:`SLOTS` that stand in running text, so that text may follow them."""


def _inject(seed: int, edits: list[tuple[int, int, str, bool]], ascii_only: bool, report: bool = False) -> bytes:
    """A small generated document (a programme of one day, or a report of two chapters) whose
    text is changed in a few places.

    Each edit picks an element of :data:`SLOTS` (by two indices), and replaces its text or
    appends to it or (for an inline element) to the running text after it. With ``ascii_only``
    every other character is written as a reference.
    """
    source = corpus.report_xml(seed, chapters=2) if report else corpus.document_xml(seed, max_days=1)
    root = etree.fromstring(source.encode("utf-8"))
    for kind, index, text, replace in edits:
        elements = list(root.iter(f"{{{corpus.NAMESPACE}}}{SLOTS[kind % len(SLOTS)]}"))
        if not elements:
            continue
        element = elements[index % len(elements)]
        if element.get("symbol") is None and SLOTS[kind % len(SLOTS)] == "doc-ref":
            element.set("symbol", "A/77/275")  # the text is then printed as is, not a symbol
        if SLOTS[kind % len(SLOTS)] in INLINE and not index % 3:
            element.tail = (element.tail or "") + text  # running text after the inline element
        else:
            element.text = text if replace else (element.text or "") + text
    body = etree.tostring(root, encoding="ascii" if ascii_only else "utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


EDITS = st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99), FIELD_TEXT, st.booleans()),
                 min_size=1, max_size=4)
CASES = {"seed": SEEDS, "edits": EDITS, "ascii_only": st.booleans(), "report": st.sampled_from([False] * 7 + [True])}
"""The arguments of :func:`_inject`: a failure prints them, not the whole source."""


def _record(what: str) -> None:
    if currently_in_test_context():
        event(what)


REGISTERS = Registers()
"""The register, checked once for every case (as a build checks it once per run)."""


def _refused_or_built(folder: Path, data: bytes, formats: list[str]) -> tuple[bool, dict[str, bytes]]:
    """Validate ``data``; when it passes, build ``formats`` in memory and check that nothing failed."""
    path = _write(folder, "case.xml", data)
    result = check_source(path, REGISTERS, folder)
    assert result.register_diagnostics == ()
    for d in result.diagnostics:
        assert d.code in CODES, d.format()
        assert d.line >= 1 and d.column >= 1, f"no real position: {d.format()}"
    if not result.ok:
        assert any(d.severity is Severity.ERROR for d in result.diagnostics)
        _record(f"refused: {sorted({d.code for d in result.diagnostics if d.severity is Severity.ERROR})[0]}")
        return False, {}
    _record("built")
    [(outputs, problems)] = render_many_outputs(
        [(path, result, folder, [renderer(f) for f in formats])], {})
    assert [d.format() for d in problems if d.severity is Severity.ERROR] == []
    assert len(outputs) == len(formats)
    assert all(data or (data is None and fmt == "ics") for fmt, (_, data) in zip(formats, outputs, strict=True))
    return True, {target.suffix: data for target, data in outputs if data is not None}


@settings(COMMON, max_examples=2000 * SCALE)
@given(**CASES)
def test_any_text_is_refused_where_it_stands_or_builds_in_every_fast_format(
        folder: Path, seed: int, edits: list[tuple[int, int, str, bool]], ascii_only: bool, report: bool) -> None:
    """What validates builds: txt, HTML, JSON, Akoma Ntoso and iCalendar, for every case."""
    _refused_or_built(folder, _inject(seed, edits, ascii_only, report), FAST)


@settings(COMMON, max_examples=8 * SCALE)
@given(**CASES)
def test_any_text_is_refused_or_printed_inside_the_page(
        folder: Path, seed: int, edits: list[tuple[int, int, str, bool]], ascii_only: bool, report: bool) -> None:
    """The PDF of a source that validates draws every character (the renderer fails on a
    blank glyph) and nothing outside the page."""
    from tests.test_characters import outside_the_page

    built, outputs = _refused_or_built(folder, _inject(seed, edits, ascii_only, report), ["pdf"])
    if built:
        pdf = folder / "case.pdf"
        pdf.write_bytes(outputs[".pdf"])
        assert outside_the_page(pdf) == []


@settings(COMMON, max_examples=4 * SCALE)
@given(**CASES)
def test_any_text_is_refused_or_built_as_docx(
        folder: Path, seed: int, edits: list[tuple[int, int, str, bool]], ascii_only: bool, report: bool) -> None:
    if "docx" in SLOW:
        _refused_or_built(folder, _inject(seed, edits, ascii_only, report), ["docx"])


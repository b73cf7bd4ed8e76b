"""Properties over many documents: generated sources validate clean and build the same bytes
in every registered format; mutated sources end in diagnostics, never in an exception.

Documents come from :mod:`pipeline.devtools.corpus` (deterministic from a seed); hypothesis chooses
the seeds and the mutations and shrinks a failure to a small case.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline.build.engine import build
from pipeline.build.render import model_of
from pipeline.devtools import corpus
from pipeline.diagnostics import Severity
from pipeline.formats import format_names, renderer
from pipeline.validate.check import validate_sources
from pipeline.validate.rules import catalogue
from tests.conftest import SOURCES

SLOW_FORMATS = frozenset({"docx", "pdf"})
"""Formats that take a good fraction of a second per document: tried on a few examples."""

FAST = [f for f in format_names() if f not in SLOW_FORMATS]
SLOW = [f for f in format_names() if f in SLOW_FORMATS]
CODES = {c.code for c in catalogue()}
SEEDS = st.integers(min_value=0, max_value=2**31 - 1)
COMMON = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


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


def test_corpus_writes_hundreds_of_documents_quickly(tmp_path: Path) -> None:
    import time

    started = time.perf_counter()
    paths = corpus.write_corpus(tmp_path, 500, seed=3, register="generated")
    assert time.perf_counter() - started < 5
    assert len(paths) == 500 and len(list((tmp_path / "shared").glob("*.xml"))) == 1


def test_corpus_command_line(tmp_path: Path) -> None:
    assert corpus.main([str(tmp_path / "c"), "--count", "3", "--seed", "11"]) == 0
    assert sorted(p.name for p in (tmp_path / "c").glob("*.xml")) == [
        "doc-00011.xml", "doc-00012.xml", "doc-00013.xml"]


# ---------------------------------------------------------------- valid documents stay valid


@settings(COMMON, max_examples=60)
@given(seed=SEEDS)
def test_generated_documents_validate_clean(folder: Path, seed: int) -> None:
    path = _write(folder, "generated.xml", corpus.document_xml(seed))
    checked, register_problems = validate_sources([path])
    assert register_problems == []
    assert [d.format() for d in checked[0].diagnostics] == []
    assert checked[0].passes(strict=True)


@settings(COMMON, max_examples=20)
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
@settings(COMMON, max_examples=12)
@given(seed=SEEDS)
def test_generated_documents_build_deterministically(folder: Path, fmt: str, seed: int) -> None:
    _builds_twice_the_same(folder, seed, [fmt])


@pytest.mark.parametrize("fmt", SLOW)
@settings(COMMON, max_examples=2)
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


@settings(COMMON, max_examples=250)
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

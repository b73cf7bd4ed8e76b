"""Parallel builds and the long-lived pandoc: same bytes as one document at a time, robust.

Builds here use real worker processes and the real pinned pandoc; corpora are small so the
whole file runs in seconds.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.build.engine import build
from pipeline.build.executors import MAX_GROUP, group_size, groups, workers_for
from pipeline.build.progress import Progress
from pipeline.build.render import model_of
from pipeline.build.tasks import Task
from pipeline.devtools import corpus
from pipeline.formats import REGISTRY, format_names, renders_many
from pipeline.formats.common import output_timestamp
from pipeline.formats.docx import render as docx_renderer
from pipeline.formats.docx.ast import document_ast
from pipeline.formats.docx.batch import PandocBatch
from pipeline.formats.docx.converter import run_pandoc
from pipeline.formats.docx.package import PackageError, finish, split_documents
from pipeline.formats.docx.pandoc import PandocError, run_pandoc_single
from pipeline.formats.docx.reference import reference_docx_path
from pipeline.validate.check import validate_sources
from tests.conftest import ROOT, source_paths

NOT_PDF = ["txt", "html", "docx", "json", "akn", "ics"]
"""Every format but PDF (about a second a document; its own tests cover it)."""


def outputs(folder: Path) -> dict[str, bytes]:
    """The outputs in ``folder`` by name, the build manifest aside."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("[!.]*"))}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten generated documents over two registers, one of them with errors."""
    folder = tmp_path_factory.mktemp("mixed")
    paths = corpus.write_corpus(folder, 10, seed=11, registers=2)
    broken = paths[3].read_text(encoding="utf-8").replace("<masthead>", "<masthead><unknown/>", 1)
    paths[3].write_text(broken, encoding="utf-8")
    return folder


def ast_and_epoch(document: object) -> tuple[bytes, int]:
    """What the DOCX renderer hands pandoc for ``document``."""
    ast = json.dumps(document_ast(document), ensure_ascii=False, sort_keys=True).encode("utf-8")  # type: ignore[arg-type]
    return ast, int(output_timestamp(document).timestamp())  # type: ignore[arg-type]


# ---------------------------------------------------------------- parallel == serial


def test_parallel_build_writes_the_same_bytes_as_a_serial_build(mixed: Path, tmp_path: Path) -> None:
    sources = sorted(mixed.glob("*.xml"))
    serial = build(sources, tmp_path / "serial", NOT_PDF, jobs=1)
    parallel = build(sources, tmp_path / "parallel", NOT_PDF, jobs=2)
    assert serial.workers == 1 and parallel.workers == 2
    assert outputs(tmp_path / "serial") == outputs(tmp_path / "parallel")
    assert len(outputs(tmp_path / "serial")) == 9 * len(NOT_PDF)
    # the same report: outcomes in source order, the same diagnostics, the broken one failed
    assert [(o.path, o.built, o.diagnostics) for o in serial.outcomes] == \
        [(o.path, o.built, o.diagnostics) for o in parallel.outcomes]
    assert [Path(o.path).name for o in parallel.failed] == ["doc-00014.xml"]
    assert serial.register_problems == parallel.register_problems
    assert parallel.exit_status() == serial.exit_status() == 1


def test_the_command_line_builds_in_parallel_by_default(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", str(mixed), "--out", str(out),
                             "--format", "txt,json", "--jobs", "2"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr  # the broken document
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("built 9 of 10 documents: 18 files written") and "by 2 workers" in summary
    assert "[schema]" in result.stdout
    reference = build(sorted(mixed.glob("*.xml")), tmp_path / "reference", ["txt", "json"])
    assert reference.workers == 1
    assert outputs(out) == outputs(tmp_path / "reference")


def test_few_documents_are_built_in_this_process() -> None:
    # starting workers costs more than it saves on a handful of documents
    assert workers_for(2, 3) == 1
    assert workers_for(1, 500) == 1
    assert workers_for(2, 8) == 2
    assert workers_for(8, 12) == 3


# ---------------------------------------------------------------- pandoc, many documents a process


def test_one_pandoc_process_gives_the_bytes_of_one_process_per_document(documents: dict[str, object],
                                                                        mixed: Path) -> None:
    checked, _ = validate_sources(sorted(mixed.glob("*.xml"))[:4])
    models = [*documents.values(), *(model_of(c) for c in checked if c.ok)]
    for model in models:
        ast, epoch = ast_and_epoch(model)
        fill = docx_renderer.fill_for(model)  # type: ignore[arg-type]
        batched, single = run_pandoc(ast, reference_docx_path(), epoch=epoch), \
            run_pandoc_single(ast, reference_docx_path(), epoch=epoch)
        assert finish(batched, fill) == finish(single, fill)
    # and the renderer itself, which hands pandoc the document before it makes the images
    for model in documents.values():
        ast, epoch = ast_and_epoch(model)
        single = finish(run_pandoc_single(ast, reference_docx_path(), epoch=epoch),
                        docx_renderer.fill_for(model))  # type: ignore[arg-type]
        assert docx_renderer.render(model) == single  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def many_models(documents: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    """The seeds and generated documents with footnotes and links of their own, in one list."""
    folder = tmp_path_factory.mktemp("many")
    checked, _ = validate_sources(corpus.write_corpus(folder, 9, seed=23, registers=2))
    generated = [model_of(c) for c in checked if c.ok]
    assert len(generated) == 9
    assert any(len(m.footnotes) > 1 for m in generated)  # type: ignore[attr-defined]
    return [documents["oewg-ict-s4-programme-of-work"], *generated[:5], documents["oewg-ict-s3-programme-of-work"],
            *generated[5:]]


def test_documents_converted_together_give_the_bytes_of_one_at_a_time(many_models: list[object]) -> None:
    alone = [docx_renderer.render(m) for m in many_models]  # type: ignore[arg-type]
    for size in (2, 3, len(many_models)):
        together: list[bytes | Exception] = []
        for start in range(0, len(many_models), size):
            together += docx_renderer.render_many(many_models[start:start + size])  # type: ignore[arg-type]
        assert together == alone, f"groups of {size}"


def test_a_document_that_fails_in_a_group_fails_alone(many_models: list[object]) -> None:
    broken = dataclasses.replace(many_models[2], masthead=dataclasses.replace(  # type: ignore[type-var]
        many_models[2].masthead, job_number="no digits"))  # type: ignore[attr-defined]
    group = [many_models[0], many_models[1], broken, many_models[3]]
    results = docx_renderer.render_many(group)  # type: ignore[arg-type]
    assert isinstance(results[2], ValueError) and "not a job number" in str(results[2])
    assert [results[i] for i in (0, 1, 3)] == [docx_renderer.render(group[i]) for i in (0, 1, 3)]  # type: ignore


def test_a_package_is_cut_only_where_documents_were_joined(many_models: list[object]) -> None:
    ast, epoch = ast_and_epoch(many_models[0])
    converted = run_pandoc(ast, reference_docx_path(), epoch=epoch)
    assert len(split_documents(converted, 1)) == 1
    with pytest.raises(PackageError, match="1 documents where 2 were converted together"):
        split_documents(converted, 2)


def test_groups_get_smaller_at_the_end_so_workers_finish_together() -> None:
    tasks = [Task(i, f"doc-{i}.xml", ".", "out", ("docx",), "run") for i in range(100)]
    sizes = [len(unit) for unit in groups(tasks, 8, workers=2)]
    assert sum(sizes) == 100 and [t.index for unit in groups(tasks, 8, 2) for t in unit] == list(range(100))
    assert sizes[:9] == [8] * 9 and sizes[-4:] == [1, 1, 1, 1] and sizes == sorted(sizes, reverse=True)
    assert [len(unit) for unit in groups(tasks, 8)] == [8] * 12 + [4]  # one worker: no reason to shrink
    assert [len(unit) for unit in groups(iter(tasks), 8, workers=2)] == [8] * 12 + [4]  # length unknown


def test_documents_are_grouped_only_for_formats_that_gain_by_it() -> None:
    assert group_size(["txt", "html", "json", "akn", "ics", "pdf"], 500, 2) == 1
    assert group_size(["txt", "docx"], 500, 2) == MAX_GROUP
    assert group_size(["docx"], 20, 2) == 2  # every worker still gets a few groups
    assert group_size(["docx"], 3, 1) == 1
    for name in format_names():
        module = importlib.import_module(REGISTRY[name])
        assert renders_many(name) == hasattr(module, "render_many"), name


def test_groups_come_back_in_source_order(mixed: Path, tmp_path: Path) -> None:
    sources = sorted(mixed.glob("*.xml"))
    assert group_size(["docx", "txt"], len(sources), 1) > 1
    grouped = build(sources, tmp_path / "grouped", ["docx", "txt"], jobs=1)
    alone = [build([path], tmp_path / "alone", ["docx", "txt"], jobs=1).outcomes[0] for path in sources]
    assert [(o.path, o.built, o.diagnostics) for o in grouped.outcomes] == \
        [(o.path, o.built, o.diagnostics) for o in alone]
    assert outputs(tmp_path / "grouped") == outputs(tmp_path / "alone")


def test_a_bad_document_does_not_break_the_others(documents: dict[str, object]) -> None:
    model = documents["oewg-ict-s4-programme-of-work"]
    ast, epoch = ast_and_epoch(model)
    batch = PandocBatch(reference_docx_path())
    try:
        good = batch.convert(ast, epoch=epoch)
        pid = batch.pid
        with pytest.raises(PandocError, match="pandoc failed"):
            batch.convert(b'{"not": "a pandoc document"', epoch=epoch)
        image = json.loads(ast)
        image["blocks"].append({"t": "Para", "c": [{"t": "Image", "c": [["", [], []], [], ["/etc/passwd", ""]]}]})
        with pytest.raises(PandocError, match="images are not fetched"):
            batch.convert(json.dumps(image).encode(), epoch=epoch)
        warned = json.loads(ast)
        warned["blocks"].append({"t": "RawBlock", "c": ["openxml", "<w:p><w:r><w:t>raw</w:t></w:r></w:p>"]})
        assert batch.convert(json.dumps(warned).encode(), epoch=epoch)  # raw OOXML is not a warning
        assert batch.convert(ast, epoch=epoch) == good
        assert batch.pid == pid and batch.started == 1  # the same process all along
        # a process that dies fails the document in hand; the next one gets a fresh process
        assert pid is not None
        batch.send(ast, epoch=epoch)
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(PandocError, match="stopped"):
            batch.receive()
        assert batch.convert(ast, epoch=epoch) == good
        assert batch.started == 2 and batch.pid != pid
    finally:
        batch.close()
    assert batch.pid is None


def test_a_stalled_pandoc_is_stopped(documents: dict[str, object]) -> None:
    ast, epoch = ast_and_epoch(documents["oewg-ict-s3-programme-of-work"])
    long = json.loads(ast)
    long["blocks"] *= 50  # a conversion of seconds
    batch = PandocBatch(reference_docx_path(), timeout=0.05)
    try:
        with pytest.raises(PandocError, match="took more than"):
            batch.convert(json.dumps(long).encode(), epoch=epoch)
        assert batch.pid is None
        batch.timeout = 60
        assert batch.convert(ast, epoch=epoch)  # and the next document gets a fresh pandoc
        assert batch.started == 2
    finally:
        batch.close()


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return True  # a zombie: ended, waiting for its parent to collect it
        time.sleep(0.05)
    return False


def test_pandoc_ends_when_its_owner_dies_without_cleaning_up() -> None:
    script = (
        "import json, os, sys\n"
        "from pipeline.formats.docx.converter import run_pandoc\n"
        "from pipeline.formats.docx.reference import reference_docx_path\n"
        "from pipeline.formats.docx import converter\n"
        "doc = {'pandoc-api-version': [1, 23, 1], 'meta': {}, 'blocks': []}\n"
        "run_pandoc(json.dumps(doc).encode(), reference_docx_path(), epoch=0)\n"
        "print(converter._local.batch.pid, flush=True)\n"
        "os._exit(0)\n"  # no atexit, no close: only the closed pipe tells pandoc
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _gone(int(result.stdout.strip()))


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def start_build(folder: Path, count: int, seed: int, formats: str) -> tuple[subprocess.Popen[str], Path]:
    """A build of ``count`` generated documents with two workers, started as a user starts it.

    Its output folder is returned with it; standard output and error are pipes (read them
    with ``communicate``, as the build may fill them).
    """
    sources = folder / "sources"
    corpus.write_corpus(sources, count, seed=seed)
    out = folder / "out"
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(sources), "--out", str(out),
                                "--format", formats, "--jobs", "2"],
                               cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_and_their_pandoc_end_when_the_build_is_killed(tmp_path: Path) -> None:
    process, out = start_build(tmp_path, 60, 21, "docx,txt")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 4:
            time.sleep(0.02)
        family = _descendants(process.pid)
        assert len(family) >= 4, "expected workers and their pandoc processes"  # server, workers, pandoc
    finally:
        process.kill()
        process.communicate()
    assert all(_gone(pid) for pid in family)


# ---------------------------------------------------------------- progress


def test_progress_is_drawn_only_when_asked() -> None:
    stream = io.StringIO()
    progress = Progress(stream)  # not a terminal
    progress.start("building", 3)
    progress.advance("sources/a.xml")
    assert stream.getvalue() == ""
    drawn = Progress(stream, enabled=True)
    drawn.start("building", 4)
    drawn.working("rendering docx", "sources/b.xml")
    drawn.advance("sources/b.xml", 4)
    text = stream.getvalue()
    assert "building [" in text and "4/4 100%" in text and "sources/b.xml" in text
    drawn.close()
    assert stream.getvalue().endswith("\r")


def test_no_progress_bar_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert Progress(Terminal()).enabled
    monkeypatch.setenv("CI", "true")
    assert not Progress(Terminal()).enabled


def test_real_sources_built_in_parallel_match_their_goldens(tmp_path: Path, documents: dict[str, object]) -> None:
    # the real sources, four times over so that workers start
    folder = tmp_path / "sources"
    shutil.copytree(source_paths()[0].parent / "shared", folder / "shared")
    for n in range(4):
        for path in source_paths():
            (folder / f"{path.stem}-{n}.xml").write_bytes(path.read_bytes())
    report = build(sorted(folder.glob("*.xml")), tmp_path / "out", ["txt", "html", "ics", "docx"], jobs=2)
    assert report.workers == 2 and report.exit_status() == 0
    golden = Path(__file__).parent / "golden"
    for path in source_paths():
        docx = docx_renderer.render(documents[path.stem])  # type: ignore[arg-type]
        for n in range(4):
            built = tmp_path / "out" / f"{path.stem}-{n}"  # a language version's stem has a dot: "….fr-0"
            for fmt in ("txt", "html", "ics"):
                expected = golden / fmt / f"{path.stem}.{fmt}"
                if fmt == "ics" and not expected.exists():  # a document without a programme has no calendar
                    assert not Path(f"{built}.ics").exists()
                    continue
                assert Path(f"{built}.{fmt}").read_bytes() == expected.read_bytes()
            assert Path(f"{built}.docx").read_bytes() == docx


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_a_worker_that_dies_costs_no_document(tmp_path: Path) -> None:
    process, out = start_build(tmp_path, 40, 61, "txt,docx")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 2:
        time.sleep(0.02)

    def read(pid: int, name: str) -> str:
        try:
            return Path(f"/proc/{pid}/{name}").read_text(errors="replace")
        except OSError:
            return ""

    def parent(pid: int) -> int:
        fields = read(pid, "stat").rsplit(")", 1)[-1].split()
        return int(fields[1]) if len(fields) > 1 else 0

    # the workers: forked by the fork server, which the build itself started
    workers = [pid for pid in _descendants(process.pid)
               if "forkserver" in read(pid, "cmdline") and parent(pid) not in (0, process.pid)]
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert stderr.strip().splitlines()[-1].startswith("built 40 of 40 documents")
    assert len(list(out.glob("*.docx"))) == 40


def test_the_fork_server_prepares_what_the_workers_share() -> None:
    script = (
        "import pipeline.formats.json as j, pipeline.validate.check as v\n"
        "assert j.fast_validator.cache_info().currsize == 0 and v.structural_schema.cache_info().currsize == 0\n"
        "import pipeline.build.preload\n"
        "print(j.fast_validator.cache_info().currsize, v.structural_schema.cache_info().currsize)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]

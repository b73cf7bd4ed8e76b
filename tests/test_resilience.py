"""Resilient builds: a bad source does not stop the good ones, and never costs its previous
outputs; an interrupted build leaves complete files or none, never a partial one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.build.engine import build
from pipeline.cli import main
from pipeline.devtools import corpus
from pipeline.model.tree import Document
from tests.conftest import ROOT, SOURCES

FORMATS = ["txt", "html", "json"]
OLD = 1_000_000_000  # 2001-09-09: an mtime no build of today could write


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the real sources and one more good document, ``extra.xml``."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copyfile(SOURCES / "oewg-ict-s4-programme-of-work.xml", tmp_path / "sources" / "extra.xml")
    return tmp_path


def _age(paths: list[Path]) -> dict[Path, tuple[int, bytes]]:
    """Set the files' mtime far back; return mtime and bytes to compare with later."""
    for path in paths:
        os.utime(path, (OLD, OLD))
    return {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in paths}


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.part"))


def test_one_bad_source_among_good_ones(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--format", ",".join(FORMATS)]) == 0
    out = project / "out"
    extra = sorted(out.glob("extra.*"))
    assert len(extra) == len(FORMATS)
    before = _age(extra)
    others = sorted(p for p in out.iterdir() if not p.name.startswith("extra."))
    for path in others:
        path.write_bytes(b"stale")  # so that the good documents have to be written again
    capsys.readouterr()

    bad = project / "sources" / "extra.xml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('weekday="tuesday"', 'weekday="friday"'),
                   encoding="utf-8")
    assert main(["build", "--format", ",".join(FORMATS)]) == 1
    captured = capsys.readouterr()

    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in extra} == before
    for path in others:
        assert path.read_bytes() != b"stale" and len(path.read_bytes()) > 500
    assert "sources/extra.xml:" in captured.out and "[day-weekday]" in captured.out
    summary = captured.err.strip().splitlines()[-1]
    good = len(list((project / "sources").glob("*.xml"))) - 1
    assert summary.startswith(f"built {good} of {good + 1} documents: {good * len(FORMATS)} files written")
    assert summary.endswith("failed: sources/extra.xml")
    assert _parts(out) == []


def test_a_renderer_failure_keeps_all_previous_outputs_of_that_document(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "out"
    assert build([project / "sources" / "extra.xml"], out, FORMATS).exit_status() == 0
    before = _age(sorted(out.iterdir()))

    import pipeline.formats as formats

    real = formats.renderer

    def failing(name: str) -> formats.Renderer:
        loaded = real(name)
        if name != "json":
            return loaded

        def render(document: Document) -> bytes:
            if document.source.path.endswith("extra.xml"):
                raise RuntimeError("simulated renderer bug")
            return loaded.render(document)

        return formats.Renderer(loaded.name, loaded.suffix, loaded.description, render)

    monkeypatch.setattr(formats, "renderer", failing)
    text = (project / "sources" / "extra.xml").read_text(encoding="utf-8")
    (project / "sources" / "extra.xml").write_text(text.replace("Opening statements", "Opening remarks"))
    report = build(sorted((project / "sources").glob("*.xml")), out, FORMATS)
    assert report.exit_status() == 1
    [failed] = report.failed
    assert failed.path == "sources/extra.xml"
    assert [d.code for d in failed.diagnostics] == ["render-failed"]
    assert "simulated renderer bug" in failed.diagnostics[0].message
    # the txt and html renderers succeeded, yet nothing of this document was written
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in before} == before
    assert sum(1 for o in report.outcomes if o.built) == len(report.outcomes) - 1


def test_a_failing_write_leaves_no_part_file_and_the_old_output(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "out"
    assert main(["build", "--format", "txt", "sources/extra.xml"]) == 0
    target = out / "extra.txt"
    before = _age([target])
    (project / "sources" / "extra.xml").write_text(
        (project / "sources" / "extra.xml").read_text(encoding="utf-8").replace("Opening statements", "Opening"))

    real_replace = os.replace

    def full_disk(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        if Path(destination).resolve().parent == out.resolve():
            assert Path(source).exists() and Path(source).name.endswith(".part")
            raise OSError(28, "No space left on device")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", full_disk)
    capsys.readouterr()
    assert main(["build", "--format", "txt"]) == 1
    captured = capsys.readouterr()
    monkeypatch.undo()
    assert "[write-failed]" in captured.out and "No space left on device" in captured.out
    assert "Traceback" not in captured.err
    assert {target: (target.stat().st_mtime_ns, target.read_bytes())} == before
    assert _parts(out) == []
    assert (out / "oewg-ict-s3-programme-of-work.txt").exists() is False  # its write failed too


def test_ctrl_c_after_the_temporary_file_is_written(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "out"
    assert main(["build", "--format", "txt"]) == 0
    outputs = sorted(out.iterdir())
    before = _age(outputs)
    for source in (project / "sources").glob("*.xml"):
        source.write_text(source.read_text(encoding="utf-8").replace("New York", "Geneva"), encoding="utf-8")

    real_fsync = os.fsync
    calls = []

    def interrupted(fd: int) -> None:
        real_fsync(fd)
        calls.append(fd)
        assert _parts(out), "the temporary file exists while it is being written"
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    capsys.readouterr()
    assert main(["build", "--format", "txt"]) == 130
    captured = capsys.readouterr()
    monkeypatch.undo()
    assert len(calls) == 1
    assert "interrupted" in captured.err and "Traceback" not in captured.err
    assert _parts(out) == []
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in outputs} == before


# ---------------------------------------------------------------- real signals


def _complete(folder: Path) -> list[Path]:
    """Outputs in ``folder``, temporary files (and the build manifest, .manifest.json) aside."""
    return sorted(p for p in folder.glob("[!.]*") if not p.name.endswith(".part")) if folder.exists() else []


def _reference(paths: list[Path], folder: Path) -> dict[str, bytes]:
    report = build(paths, folder, FORMATS)
    assert report.exit_status() == 0
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_only_complete_outputs(tmp_path: Path, signum: int) -> None:
    sources = tmp_path / "sources"
    corpus.write_corpus(sources, 400, seed=5)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--out", str(out), "--format", ",".join(FORMATS), str(sources)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_complete(out)) < 20:
        time.sleep(0.01)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode != 0, "the build finished before it could be interrupted"
    written = _complete(out)
    assert 20 <= len(written) < 400 * len(FORMATS)
    stems = sorted({p.name.split(".")[0] for p in written})
    reference = _reference([sources / f"{stem}.xml" for stem in stems], tmp_path / "reference")
    for path in written:
        assert path.read_bytes() == reference[path.name], f"{path.name} is not complete"
    if signum == signal.SIGKILL:
        # nothing runs after SIGKILL: at most the temporary files of the one document being
        # written remain (its outputs are staged together), hidden, never under an output's name
        left = _parts(out)
        assert all(p.name.startswith(".") for p in left)
        assert len({p.name[1:].split(".")[0] for p in left}) <= 1, left
        assert len({p.name.rsplit(".", 2)[1] for p in left}) <= 1, left
        assert len(left) <= len(FORMATS)
        # and the next build into the folder clears them
        rebuild = subprocess.run(
            [sys.executable, "-m", "pipeline", "build", "--out", str(out), "--format", ",".join(FORMATS),
             *(str(sources / f"{stem}.xml") for stem in stems[:1])],
            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
        assert rebuild.returncode == 0, rebuild.stderr
        assert _parts(out) == []
    else:
        assert process.returncode == 130
        assert _parts(out) == []
        assert "interrupted" in stderr and "Traceback" not in stderr
        # the run stops between documents: each has all its outputs or none
        for stem in stems:
            assert len([p for p in written if p.name.split(".")[0] == stem]) == len(FORMATS), stem


def _by_document(folder: Path) -> dict[str, dict[str, bytes]]:
    """Each document's outputs in ``folder``, by stem."""
    found: dict[str, dict[str, bytes]] = {}
    for path in _complete(folder):
        found.setdefault(path.name.split(".")[0], {})[path.name] = path.read_bytes()
    return found


def test_a_build_killed_at_random_moments_leaves_each_document_wholly_old_or_wholly_new(tmp_path: Path) -> None:
    import random

    from pipeline.build.lock import output_lock
    from pipeline.build.writer import recover

    sources = tmp_path / "sources"
    corpus.write_corpus(sources, 60, seed=21)
    paths = sorted(sources.glob("*.xml"))
    old_out = tmp_path / "old"
    assert build(paths, old_out, FORMATS, incremental=True).exit_status() == 0
    old = _by_document(old_out)
    for path in paths:  # the same names, other contents in every format
        path.write_text(path.read_text(encoding="utf-8").replace("Provisional programme of work",
                                                                   "Revised programme of work"), encoding="utf-8")
    _reference(paths, tmp_path / "new")
    new = _by_document(tmp_path / "new")
    assert all(old[stem] != new[stem] for stem in old)
    chance = random.Random(16)
    mixed = 0
    for round_ in range(6):
        out = tmp_path / f"out{round_}"
        shutil.copytree(old_out, out)
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "build", "--out", str(out), "--format", ",".join(FORMATS),
             "--jobs", "1", str(sources)],
            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # once the build has begun writing, at a random moment of it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and _by_document(out) == old:
            time.sleep(0.002)
        time.sleep(chance.uniform(0, 1.5))
        process.kill()
        process.wait()
        with output_lock(out):  # what the next build does first
            recover(out)
        found = _by_document(out)
        assert set(found) == set(old)
        states = {stem: "old" if files == old[stem] else "new" if files == new[stem] else "mixed"
                  for stem, files in found.items()}
        assert "mixed" not in states.values(), (round_, sorted(s for s, v in states.items() if v == "mixed"))
        mixed += len(set(states.values())) > 1
        assert not [p for p in out.iterdir() if p.name.endswith((".part", ".old")) or "journal" in p.name]
    assert mixed, "no kill landed in the middle of a build"
    assert main(["build", "--out", str(out), "--format", ",".join(FORMATS), "--jobs", "1", str(sources)]) == 0
    assert _by_document(out) == new

"""Builds that share an output folder: one at a time, the manifest merged, no build taking
another's temporary files for leftovers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.build.engine import build
from pipeline.build.lock import OutputBusy, output_lock
from pipeline.build.manifest import MANIFEST_NAME, Manifest, fingerprint
from pipeline.devtools import corpus
from tests.conftest import ROOT

FORMATS = ["txt", "html", "json"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _command(out: Path, *sources: Path, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", "--out", str(out), "--format", ",".join(FORMATS),
            "--jobs", "1", *extra, *map(str, sources)]


def _outputs(folder: Path) -> dict[str, bytes]:
    """The outputs in ``folder``, hidden files (manifest, lock) aside."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def test_two_builds_started_together_into_one_folder_both_succeed_ten_times_over(tmp_path: Path) -> None:
    everything = tmp_path / "all"
    corpus.write_corpus(everything, 12, seed=3)
    first, second = tmp_path / "first", tmp_path / "second"
    for half, names in ((first, sorted(everything.glob("*.xml"))[:6]), (second, sorted(everything.glob("*.xml"))[6:])):
        half.mkdir()
        for path in names:
            shutil.copyfile(path, half / path.name)
        if (everything / "shared").is_dir():
            shutil.copytree(everything / "shared", half / "shared")
    reference = tmp_path / "reference"
    assert build(sorted(everything.glob("*.xml")), reference, FORMATS).exit_status() == 0
    expected = _outputs(reference)
    for round_ in range(10):
        out = tmp_path / f"out{round_}"
        # same sources at the same moment in even rounds, each build its half in odd ones
        pairs = (everything, everything) if round_ % 2 == 0 else (first, second)
        processes = [subprocess.Popen(_command(out, sources), cwd=tmp_path, env=ENV, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for sources in pairs]
        finished = [process.communicate(timeout=120) for process in processes]
        for process, (_, stderr) in zip(processes, finished, strict=True):
            assert process.returncode == 0, stderr
        assert _outputs(out) == expected, round_
        manifest = json.loads((out / MANIFEST_NAME).read_bytes())
        recorded = {Path(key).name for key in manifest["documents"]}
        assert recorded == {p.name for p in everything.glob("*.xml")}, round_
        assert not [p for p in out.iterdir() if p.name.endswith((".part", ".old")) or "journal" in p.name]


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    corpus.write_corpus(sources, 2, seed=4)
    out = tmp_path / "out"
    with output_lock(out):
        process = subprocess.Popen(_command(out, sources), cwd=tmp_path, env=ENV, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert process.poll() is None, "the second build did not wait"
        assert _outputs(out) == {}
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "waiting for another build to finish writing to" in stderr
    assert len(_outputs(out)) == 2 * len(FORMATS)


def test_a_build_asked_not_to_wait_refuses_with_exit_2(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    corpus.write_corpus(sources, 1, seed=4)
    out = tmp_path / "out"
    with output_lock(out):
        done = subprocess.run(_command(out, sources, extra=("--no-wait",)), cwd=tmp_path, env=ENV,
                              capture_output=True, text=True, timeout=60, check=False)
        with pytest.raises(OutputBusy), output_lock(out, wait=False):
            pass
    assert done.returncode == 2
    assert "another build is writing to" in done.stderr and "Traceback" not in done.stderr
    assert _outputs(out) == {}


def test_the_manifest_keeps_what_another_writer_recorded_meanwhile(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    corpus.write_corpus(sources, 2, seed=6)
    one, two = sorted(sources.glob("*.xml"))
    out = tmp_path / "out"
    current = fingerprint()
    mine = Manifest.load(out, current)  # read before the other writer saved
    assert build([two], out, FORMATS, incremental=True).exit_status() == 0
    assert build([one], tmp_path / "elsewhere", FORMATS, incremental=True).exit_status() == 0
    elsewhere = Manifest.load(tmp_path / "elsewhere", current)
    mine.documents.update(elsewhere.documents)
    mine.changed = True
    mine.save()
    kept = Manifest.load(out, current)
    assert set(kept.documents) == {str(one.resolve()), str(two.resolve())}


def test_the_lock_adds_no_file_to_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out) as held:
        assert held
        with pytest.raises(OutputBusy), output_lock(out, wait=False):
            pass
    assert list(out.iterdir()) == []


def test_a_folder_that_cannot_be_locked_is_locked_through_a_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import fcntl
    import stat

    from pipeline.build import lock

    real_flock = fcntl.flock

    def no_folder_locks(fd: int, operation: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.ENOLCK, "No locks available")
        real_flock(fd, operation)

    monkeypatch.setattr(lock.fcntl, "flock", no_folder_locks)
    out = tmp_path / "out"
    with output_lock(out):
        assert [p.name for p in out.iterdir()] == [".lock"]
        with pytest.raises(OutputBusy), output_lock(out, wait=False):
            pass


def test_a_build_waiting_for_the_folder_can_be_stopped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    with output_lock(out):
        report = build([], out, FORMATS, stop=stop)
    assert report.interrupted and report.outcomes == []

"""Clean and prompt: Ctrl-C stops a long PDF build within two seconds, a second Ctrl-C at
once, and no build leaves a temporary folder behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.devtools import corpus
from tests.conftest import ROOT

STOP_SECONDS = 2.0


def _start(tmp_path: Path, sources: Path, formats: str, *extra: str) -> tuple[subprocess.Popen[str], Path]:
    """A build in a process group of its own, as a terminal runs it, with a private temporary folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--out", str(tmp_path / "out"), "--format", formats, *extra,
         str(sources)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    return process, scratch


def _wait_until_building(process: subprocess.Popen[str], out: Path, timeout: float = 120) -> None:
    """Until the build has written its first PDF: its workers are then busy with the next ones."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not list(out.glob("*.pdf")):
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    assert list(out.glob("*.pdf")), "no PDF written in time"


@pytest.fixture(scope="module")
def forty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = tmp_path_factory.mktemp("forty") / "sources"
    corpus.write_corpus(sources, 40, seed=11)
    return sources


@pytest.mark.parametrize("presses", [1, 2], ids=["once", "twice"])
def test_ctrl_c_stops_a_40_document_pdf_build_within_2_seconds_leaving_no_temporary_folder(
        tmp_path: Path, forty: Path, presses: int) -> None:
    process, scratch = _start(tmp_path, forty, "pdf", "--jobs", "2")
    _wait_until_building(process, tmp_path / "out")
    began = time.monotonic()
    for _ in range(presses):
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        time.sleep(0.05)
    try:
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    stopped = time.monotonic() - began
    print(f"\nstopped {stopped:.2f} s after {'one Ctrl-C' if presses == 1 else 'two'}")
    assert process.returncode == 130, stderr
    assert stopped < STOP_SECONDS, stderr
    assert "Traceback" not in stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) < 40
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith((".part", ".old"))]


@pytest.mark.parametrize(("jobs", "documents"), [(1, 2), (2, 8)], ids=["in-process", "workers"])
def test_a_build_leaves_no_temporary_folder(tmp_path: Path, jobs: int, documents: int) -> None:
    sources = tmp_path / "sources"
    corpus.write_corpus(sources, documents, seed=12)
    process, scratch = _start(tmp_path, sources, "docx,pdf", "--jobs", str(jobs))
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    assert ("by 2 workers" in stderr) == (jobs == 2)
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_the_temporary_folder_of_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    from pipeline.build.executors import SCRATCH_PREFIX, remove_stale_scratch

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    (tmp_path / f"{SCRATCH_PREFIX}{gone}-abc" / "weasyprint-x").mkdir(parents=True)
    (tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-abc").mkdir()
    remove_stale_scratch(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{SCRATCH_PREFIX}{os.getpid()}-abc"]


def half_a_result() -> None:
    """In a worker: begin sending a result to the driver, and stall there (a worker killed mid-send)."""
    import struct

    frame = sys._getframe()
    while frame is not None and "result_queue" not in frame.f_locals:
        frame = frame.f_back  # type: ignore[assignment]
    assert frame is not None, "not run by a worker of a process pool"
    writer = frame.f_locals["result_queue"]._writer
    os.write(writer.fileno(), struct.pack("!i", 1_000_000) + b"the first bytes of a long result")
    time.sleep(120)


def test_stopping_ends_workers_killed_in_the_middle_of_sending_a_result() -> None:
    import threading

    from pipeline.build.executors import LocalPool

    pool = LocalPool(2)
    future = pool._pool.submit(half_a_result)
    manager = pool._pool._executor_manager_thread  # type: ignore[attr-defined]
    time.sleep(3)  # the worker has started and sent half its result
    assert not future.done() and manager.is_alive()
    began = time.monotonic()
    pool.abandon()
    manager.join(STOP_SECONDS)
    assert not manager.is_alive(), "the pool's reader still waits for the rest of the result"
    assert time.monotonic() - began < STOP_SECONDS
    assert future.done()
    assert threading.active_count() < 10

"""The writer: atomic replacement, unchanged files left alone, stale temporary files cleared."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import writer
from tests.conftest import ROOT


def test_write_replaces_and_reports_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.txt"
    assert writer.write_atomic(target, b"one") is True
    mtime = target.stat().st_mtime_ns
    assert writer.write_atomic(target, b"one") is False
    assert target.stat().st_mtime_ns == mtime
    assert writer.write_atomic(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_a_failed_write_keeps_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"previous")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        writer.write_atomic(target, b"new")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_parts_whose_owner_is_gone_are_cleared_before_a_build_writes(tmp_path: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        (tmp_path / ".a[1].txt.x8d7.part").write_bytes(b"an older build's, named without its owner")
        (tmp_path / f".b.txt.{gone}-0a1b.part").write_bytes(b"a killed build's")
        (tmp_path / f".b.txt.{gone}-0a1b.old").write_bytes(b"a killed build's backup")
        (tmp_path / f".c.txt.{live.pid}-0a1b.part").write_bytes(b"a running build's")
        writer.recover(tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == [f".c.txt.{live.pid}-0a1b.part"]
    finally:
        live.kill()
        live.wait()


def test_temporary_files_are_named_after_their_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def watch(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        seen.append(Path(source).name)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", watch)
    writer.write_atomic(tmp_path / "a.txt", b"whole")
    [part] = seen
    assert part.startswith(f".a.txt.{os.getpid()}-") and part.endswith(".part")


# ---------------------------------------------------------------- all or none

OLD = {"d.txt": b"old text", "d.html": b"<p>old</p>", "d.json": b'{"old": 1}'}
NEW = {"d.txt": b"new text, longer", "d.html": b"<p>new</p>", "d.json": b'{"new": 2}'}


def _document(folder: Path) -> dict[str, bytes]:
    """The document's files in ``folder`` as they are (a folder in place of one shows as b"/")."""
    return {name: (folder / name).read_bytes() if (folder / name).is_file() else b"/"
            for name in OLD if (folder / name).exists()}


def _old(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for name, data in OLD.items():
        (folder / name).write_bytes(data)


def test_a_document_is_replaced_together(tmp_path: Path) -> None:
    _old(tmp_path)
    assert sorted(writer.replace_together([(tmp_path / n, d) for n, d in NEW.items()])) == sorted(NEW)
    assert _document(tmp_path) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NEW)


def test_a_folder_in_place_of_one_output_leaves_the_whole_document_as_it_was(tmp_path: Path) -> None:
    _old(tmp_path)
    (tmp_path / "d.html").unlink()
    (tmp_path / "d.html").mkdir()
    before = _document(tmp_path)
    outcome = writer.write_outputs("sources/d.xml", [(tmp_path / n, d) for n, d in NEW.items()], [])
    assert not outcome.built and outcome.written == ()
    [problem] = outcome.diagnostics
    assert problem.code == "write-failed" and "d.html" in problem.message
    assert _document(tmp_path) == before  # d.txt was replaced, then put back
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OLD)


def test_a_new_document_that_fails_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / "d.json").mkdir()
    outcome = writer.write_outputs("sources/d.xml", [(tmp_path / n, d) for n, d in NEW.items()], [])
    assert not outcome.built
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json"]


@pytest.mark.parametrize("failing", range(1, 5))
def test_a_full_disk_at_any_write_leaves_the_whole_document_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    _old(tmp_path)
    real_write = os.write
    calls = []

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        calls.append(fd)
        if len(calls) == failing:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    outcome = writer.write_outputs("sources/d.xml", [(tmp_path / n, d) for n, d in NEW.items()], [])
    monkeypatch.undo()
    assert len(calls) == failing
    assert not outcome.built and "No space left on device" in outcome.diagnostics[0].message
    assert _document(tmp_path) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OLD)


@pytest.mark.parametrize("failing", range(1, 4))
def test_a_rename_that_fails_puts_back_the_files_already_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    _old(tmp_path)
    real_replace = os.replace
    calls = []

    def failing_rename(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        if Path(source).name.endswith(".part") and Path(destination).name in NEW:
            calls.append(destination)
            if len(calls) == failing:
                raise OSError(errno.EIO, "Input/output error")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", failing_rename)
    outcome = writer.write_outputs("sources/d.xml", [(tmp_path / n, d) for n, d in NEW.items()], [])
    monkeypatch.undo()
    assert not outcome.built
    assert _document(tmp_path) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OLD)


KILLED_AT = """
import os, sys
from pathlib import Path
from pipeline.build import writer
from tests.conftest import ROOT
folder, deadly = Path(sys.argv[1]), int(sys.argv[2])
calls = 0
def dying(real):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == deadly:
            os._exit(9)
        return real(*args, **kwargs)
    return call
for name in ("replace", "link", "unlink"):
    setattr(os, name, dying(getattr(os, name)))
new = {"d.txt": b"new text, longer", "d.html": b"<p>new</p>", "d.json": b'{"new": 2}'}
writer.replace_together([(folder / n, d) for n, d in new.items()])
os._exit(0)
"""


def test_a_build_killed_at_any_step_leaves_each_document_wholly_old_or_wholly_new(tmp_path: Path) -> None:
    outcomes = set()
    for deadly in range(1, 16):
        folder = tmp_path / str(deadly)
        _old(folder)
        done = subprocess.run([sys.executable, "-c", KILLED_AT, str(folder), str(deadly)], cwd=ROOT, check=False)
        writer.recover(folder)
        state = _document(folder)
        assert state in (OLD, NEW), (deadly, state)
        assert sorted(p.name for p in folder.iterdir()) == sorted(OLD), deadly
        outcomes.add((done.returncode, state == NEW))
    # killed before the document was wholly new (put back), after it (kept), and not killed
    assert outcomes == {(9, False), (9, True), (0, True)}


def test_a_file_the_document_no_longer_has_is_removed_with_the_change_or_kept_with_the_old(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _old(tmp_path)
    change = [(tmp_path / "d.txt", NEW["d.txt"]), (tmp_path / "d.html", None), (tmp_path / "d.json", NEW["d.json"])]
    real_replace = os.replace

    def failing_last(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        if Path(destination).name == "d.json":
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", failing_last)
    assert not writer.write_outputs("sources/d.xml", change, []).built
    monkeypatch.undo()
    assert _document(tmp_path) == OLD  # d.html removed, then put back
    outcome = writer.write_outputs("sources/d.xml", change, [])
    assert outcome.built and sorted(outcome.written) == ["d.json", "d.txt"]
    assert _document(tmp_path) == {"d.txt": NEW["d.txt"], "d.json": NEW["d.json"]}

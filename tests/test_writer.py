"""The writer: atomic replacement, unchanged files left alone, stale temporary files cleared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.build import writer


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


def test_parts_left_by_a_killed_build_are_cleared_on_the_next_write(tmp_path: Path) -> None:
    (tmp_path / ".a[1].txt.x8d7.part").write_bytes(b"half")
    (tmp_path / ".other.txt.k2.part").write_bytes(b"someone else's")
    writer.write_atomic(tmp_path / "a[1].txt", b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.txt.k2.part", "a[1].txt"]

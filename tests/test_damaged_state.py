"""Damaged state never blocks a build: a manifest that cannot be read, or an entry of any
malformed kind, is dropped with one warning and written anew; entries of sources that are
gone are pruned; odd things in the sources folder are located diagnostics."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.build.engine import build
from pipeline.build.manifest import MANIFEST_NAME, Manifest, fingerprint
from pipeline.cli import main
from pipeline.devtools import corpus
from tests.conftest import SOURCES

FORMATS = ["txt", "json"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SOURCES, tmp_path / "sources")
    return tmp_path


def _sources(project: Path) -> list[Path]:
    return sorted((project / "sources").glob("*.xml"))


def _manifest(project: Path) -> Path:
    return project / "out" / MANIFEST_NAME


def _build(project: Path) -> Any:
    return build(_sources(project), project / "out", FORMATS, incremental=True)


def test_a_manifest_nested_200000_deep_is_ignored_with_one_warning_and_written_anew(project: Path) -> None:
    assert _build(project).exit_status() == 0
    _manifest(project).write_text("[" * 200_000 + "]" * 200_000)
    report = _build(project)
    assert report.exit_status() == 0
    assert [d.code for d in report.run_problems] == ["manifest-damaged"]
    assert "nested too deep" in report.run_problems[0].message
    assert json.loads(_manifest(project).read_bytes())["documents"]
    again = _build(project)
    assert again.run_problems == [] and all(o.skipped for o in again.outcomes)


def _set(path: tuple[str, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def damage(entry: dict[str, Any]) -> None:
        for key in path[:-1]:
            entry = entry[key]
        entry[path[-1]] = value
    return damage


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.pop(key)


DAMAGE = {
    "not-an-object": None,
    "shown-missing": _drop("shown"),
    "sha256-a-number": _set(("sha256",), 12),
    "outputs-a-list": _set(("outputs",), []),
    "output-a-string": _set(("outputs", "txt"), "x.txt"),
    "output-name-missing": _set(("outputs", "txt", "name"), None),
    "output-size-text": _set(("outputs", "txt", "size"), "12"),
    "register-a-list": _set(("register",), []),
    "register-without-ref": _set(("register",), {"path": "/x", "sha256": None}),
    "diagnostic-unknown-severity": _set(("diagnostics",), [{"path": "x", "line": 1, "column": 0,
                                                            "severity": "fatal", "code": "x", "message": "x"}]),
    "diagnostic-missing-fields": _set(("diagnostics",), [{"path": "x"}]),
    "diagnostics-an-object": _set(("diagnostics",), {}),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_malformed_entry_of_any_kind_is_dropped_alone(project: Path, kind: str) -> None:
    assert _build(project).exit_status() == 0
    data = json.loads(_manifest(project).read_bytes())
    damaged, intact, *_ = sorted(data["documents"])
    damage = DAMAGE[kind]
    if damage is None:
        data["documents"][damaged] = ["not", "an", "entry"]
    else:
        damage(data["documents"][damaged])
    _manifest(project).write_text(json.dumps(data))
    report = _build(project)
    assert report.exit_status() == 0
    assert [d.code for d in report.run_problems] == ["manifest-damaged"]
    assert "1 malformed entry dropped" in report.run_problems[0].message
    by_source = {str(Path(o.path).resolve()): o for o in report.outcomes}
    assert by_source[damaged].built and not by_source[damaged].skipped  # built again
    assert by_source[intact].skipped  # still up to date
    again = _build(project)
    assert again.run_problems == [] and all(o.skipped for o in again.outcomes)


def test_a_manifest_that_is_not_an_object_is_ignored_with_one_warning(project: Path) -> None:
    assert _build(project).exit_status() == 0
    _manifest(project).write_text('"a string"')
    report = _build(project)
    assert [d.code for d in report.run_problems] == ["manifest-damaged"]
    assert not any(o.skipped for o in report.outcomes)


def test_entries_of_sources_that_are_gone_are_pruned(project: Path) -> None:
    assert _build(project).exit_status() == 0
    one = _sources(project)[0]
    renamed = one.with_name("renamed.xml")
    one.rename(renamed)
    assert _build(project).exit_status() == 0
    recorded = set(json.loads(_manifest(project).read_bytes())["documents"])
    assert str(one.resolve()) not in recorded and str(renamed.resolve()) in recorded


def test_a_no_op_build_of_500_documents_prunes_10000_renamed_sources_and_builds_nothing(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    corpus.write_corpus(sources, 500, seed=8)
    paths = sorted(sources.glob("*.xml"))
    out = tmp_path / "out"
    assert build(paths, out, ["txt"], incremental=True, jobs=2).exit_status() == 0
    data = json.loads((out / MANIFEST_NAME).read_bytes())
    sample = next(iter(data["documents"].values()))
    for number in range(10_000):  # as many sources built once, then renamed
        data["documents"][str(tmp_path / "gone" / f"old-{number}.xml")] = sample
    (out / MANIFEST_NAME).write_text(json.dumps(data))
    for _ in range(2):  # the first run prunes, the second finds nothing to prune
        report = build(paths, out, ["txt"], incremental=True, jobs=2)
        assert all(o.skipped for o in report.outcomes) and len(report.outcomes) == 500
        assert len(json.loads((out / MANIFEST_NAME).read_bytes())["documents"]) == 500


def test_a_symbolic_link_loop_in_sources_is_a_located_diagnostic(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "sources" / "loop.xml").symlink_to("loop.xml")
    assert main(["build", "--format", "txt", "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "sources/loop.xml:1:1: error [file-unreadable] cannot read the file: Too many levels of symbolic links" \
        in captured.out
    assert len(list((project / "out").glob("*.txt"))) == len(_sources(project)) - 1  # all but the loop


def test_an_unreadable_sources_folder_is_a_usage_error_naming_it(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_scandir = os.scandir

    def unreadable(path: Any = ".") -> Any:
        if Path(path).name == "sources":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", unreadable)
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "txt"])
    assert exit_.value.code == 2
    assert "cannot list the sources folder sources: Permission denied" in capsys.readouterr().err


def test_a_manifest_entry_is_read_whatever_the_key_resolves_to(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, fingerprint())
    loop = tmp_path / "loop.xml"
    loop.symlink_to("loop.xml")
    assert manifest.entry(loop) is None
    manifest.forget(loop)

"""No silent overwrite, no self-harm: sources that would write the same files are refused,
and so is an output folder that is the working folder or lies among the sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import SOURCES

ONE = "oewg-ict-s4-programme-of-work.xml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SOURCES, tmp_path / "sources")
    return tmp_path


def test_two_sources_of_one_name_in_different_folders_are_both_refused_naming_each_other(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "sources" / "more").mkdir()
    shutil.copyfile(project / "sources" / ONE, project / "sources" / "more" / ONE)
    assert main(["build", "--format", "txt", "--jobs", "1", "sources", "sources/more"]) == 1
    captured = capsys.readouterr()
    lines = {line.split(":", 1)[0]: line.split("[output-clash]", 1)[1]
             for line in captured.out.splitlines() if ":1:1: error [output-clash]" in line}
    assert sorted(lines) == [f"sources/more/{ONE}", f"sources/{ONE}"]
    assert f"and sources/more/{ONE} would write" in lines[f"sources/{ONE}"]
    assert f"and sources/{ONE} would write" in lines[f"sources/more/{ONE}"]
    stem = ONE.removesuffix(".xml")
    assert not (project / "out" / f"{stem}.txt").exists()  # neither wrote it
    others = {p.stem for p in (project / "sources").glob("*.xml")} - {stem}
    assert {p.stem for p in (project / "out").glob("*.txt")} == others


def test_one_source_named_twice_is_built_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--format", "txt", "--jobs", "1", f"sources/{ONE}", f"./sources/../sources/{ONE}"]) == 0
    assert "built 1 of 1 document" in capsys.readouterr().err


@pytest.mark.parametrize("out", ["sources", "./sources/", "sources/out", "sources/shared"])
def test_an_output_folder_equal_to_or_inside_the_sources_is_a_usage_error(
        project: Path, capsys: pytest.CaptureFixture[str], out: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "akn", "--out", out])
    assert exit_.value.code == 2
    assert "sources folder" in capsys.readouterr().err
    assert not list((project / "sources").rglob("*.akn.xml"))


def test_an_output_folder_beside_the_sources_is_accepted(project: Path) -> None:
    assert main(["build", "--format", "txt", "--jobs", "1", "--out", "sourcesout"]) == 0
    assert len(list((project / "sourcesout").glob("*.txt"))) == len(list((project / "sources").glob("*.xml")))


@pytest.mark.parametrize("out", ["", ".", "./", "../" + "{name}"])
def test_the_working_folder_as_output_folder_is_a_usage_error(
        project: Path, capsys: pytest.CaptureFixture[str], out: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "txt", "--out", out.format(name=project.name)])
    assert exit_.value.code == 2
    assert "working folder" in capsys.readouterr().err
    assert not list(project.glob("*.txt"))


def test_the_folder_of_a_named_source_as_output_folder_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    shutil.copyfile(SOURCES / ONE, tmp_path / "drafts" / ONE)
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "txt", "--out", "drafts", f"drafts/{ONE}"])
    assert exit_.value.code == 2
    assert "folder of the source" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "validate"])
def test_no_sources_folder_and_no_source_named_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main([command])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "no sources folder here (sources/ does not exist)" in err and "[file-unreadable]" not in err


def test_an_output_folder_that_is_a_file_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "out").write_text("not a folder")
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "txt"])
    assert exit_.value.code == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_an_output_folder_that_cannot_be_made_is_a_located_error(project: Path) -> None:
    from pipeline.build.engine import build

    (project / "blocked").write_text("a file where a folder is wanted")
    report = build(sorted((project / "sources").glob("*.xml")), project / "blocked" / "out", ["txt"])
    assert [(d.path, d.code) for d in report.diagnostics] == [("blocked/out", "write-failed")]
    assert report.exit_status() == 1

"""Incremental builds: a build redoes exactly what changed, as the manifest in out/ tells."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.build.tasks
import pipeline.validate.check
from pipeline.build.engine import build
from pipeline.build.manifest import MANIFEST_NAME, fingerprint
from pipeline.build.report import BuildReport
from pipeline.cli import main
from pipeline.devtools import corpus
from tests.conftest import ROOT

FORMATS = ["txt", "json", "ics"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Six generated documents; those of odd seed use register 31, the others register 32."""
    monkeypatch.chdir(tmp_path)
    corpus.write_corpus(tmp_path / "sources", 6, seed=31, register="generated", registers=2)
    return tmp_path


def run(project: Path, formats: list[str] = FORMATS, **options: bool) -> BuildReport:
    """An incremental build of the project's sources into out/."""
    sources = sorted((project / "sources").glob("*.xml"))
    return build(sources, project / "out", formats, incremental=True, **options)


def built(report: BuildReport) -> list[str]:
    return [Path(o.path).stem for o in report.outcomes if o.built and not o.skipped]


def skipped(report: BuildReport) -> list[str]:
    return [Path(o.path).stem for o in report.outcomes if o.skipped]


def state(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ALL = [f"doc-000{n}" for n in range(31, 37)]


def test_a_second_build_redoes_nothing(project: Path) -> None:
    first = run(project)
    assert built(first) == ALL and first.exit_status() == 0
    before = state(project / "out")
    assert MANIFEST_NAME in before
    second = run(project)
    assert skipped(second) == ALL and built(second) == [] and second.exit_status() == 0
    assert second.seconds_by_format == {}
    assert state(project / "out") == before  # not even the manifest is written again


def test_a_changed_source_rebuilds_that_document_only(project: Path) -> None:
    run(project)
    edit(project / "sources" / "doc-00033.xml", "Provisional programme of work", "Revised programme of work")
    report = run(project)
    assert built(report) == ["doc-00033"]
    assert skipped(report) == [d for d in ALL if d != "doc-00033"]
    assert "Revised programme of work" in (project / "out" / "doc-00033.txt").read_text(encoding="utf-8")


def test_a_changed_register_rebuilds_exactly_the_documents_that_use_it(project: Path) -> None:
    run(project)
    register = project / "sources" / "shared" / "generated-32.xml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("</register>", "<!-- reviewed -->\n</register>"), encoding="utf-8")
    report = run(project)
    assert built(report) == ["doc-00032", "doc-00034", "doc-00036"]
    assert skipped(report) == ["doc-00031", "doc-00033", "doc-00035"]
    # a change of wording (the body's name) shows in the outputs of those documents, and only theirs
    before = state(project / "out")
    register.write_text(text.replace('<body-name xml:lang="en">', '<body-name xml:lang="en">Revised ', 1),
                        encoding="utf-8")
    report = run(project)
    assert built(report) == ["doc-00032", "doc-00034", "doc-00036"]
    after = state(project / "out")
    changed = sorted({name.split(".")[0] for name in after if after[name] != before.get(name)} - {""})
    assert changed == ["doc-00032", "doc-00034", "doc-00036"]


def test_a_deleted_or_altered_output_is_built_again_alone(project: Path) -> None:
    run(project)
    good = (project / "out" / "doc-00032.txt").read_bytes()
    (project / "out" / "doc-00031.json").unlink()
    (project / "out" / "doc-00032.txt").write_bytes(b"edited by hand")
    report = run(project)
    assert built(report) == ["doc-00031", "doc-00032"]
    assert sorted(report.seconds_by_format) == ["json", "txt"]  # only the missing and altered outputs
    assert [name for o in report.outcomes for name in o.written] == ["doc-00031.json", "doc-00032.txt"]
    assert (project / "out" / "doc-00032.txt").read_bytes() == good
    assert skipped(run(project)) == ALL


def test_a_new_format_is_built_without_redoing_the_others(project: Path) -> None:
    run(project, ["txt"])
    report = run(project, ["txt", "json"])
    assert built(report) == ALL and list(report.seconds_by_format) == ["json"]
    assert skipped(run(project, ["json", "txt"])) == ALL


def test_force_builds_everything(project: Path) -> None:
    run(project)
    before = state(project / "out")
    report = run(project, force=True)
    assert built(report) == ALL and skipped(report) == []
    assert sum(len(o.unchanged) for o in report.outcomes) == len(ALL) * len(FORMATS)
    assert {k: v for k, v in state(project / "out").items() if k != MANIFEST_NAME} == \
        {k: v for k, v in before.items() if k != MANIFEST_NAME}


def test_an_up_to_date_build_does_not_parse_any_source(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(project)

    def parse(*_: object, **__: object) -> None:
        raise AssertionError("a source was read for more than its hash")

    monkeypatch.setattr(pipeline.build.tasks, "check_source", parse)
    monkeypatch.setattr(pipeline.validate.check, "load", parse)
    assert skipped(run(project)) == ALL


def test_warnings_are_reported_again_and_strict_still_fails(project: Path) -> None:
    source = project / "sources" / "doc-00034.xml"
    edit(source, "<title>Provisional programme of work</title>", "<title>Provisional  programme of work</title>")
    first = run(project)
    warnings = [d for d in first.diagnostics if d.code == "text-double-space"]
    assert warnings and first.exit_status() == 0
    second = run(project)
    assert skipped(second) == ALL and second.diagnostics == first.diagnostics
    before = state(project / "out")
    strict = run(project, strict=True)
    assert [Path(o.path).stem for o in strict.failed] == ["doc-00034"] and strict.exit_status() == 1
    assert state(project / "out") == before  # its outputs stay as they were, the others are up to date
    assert skipped(strict) == [d for d in ALL if d != "doc-00034"]


def test_a_document_with_errors_is_checked_on_every_build(project: Path) -> None:
    edit(project / "sources" / "doc-00035.xml", "<masthead>", "<masthead><unknown/>")
    for _ in range(2):
        report = run(project)
        assert [Path(o.path).stem for o in report.failed] == ["doc-00035"]
        assert any(d.code == "schema" for d in report.diagnostics)
    edit(project / "sources" / "doc-00035.xml", "<masthead><unknown/>", "<masthead>")
    assert built(run(project)) == ["doc-00035"]


def test_an_unreadable_manifest_means_building_everything(project: Path) -> None:
    run(project)
    (project / "out" / MANIFEST_NAME).write_text("{ not json")
    assert built(run(project)) == ALL
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["documents"]) == len(ALL)
    assert skipped(run(project)) == ALL


def test_the_command_line_is_incremental_and_forces(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--format", "txt"]) == 0
    assert main(["build", "--format", "txt"]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("built 0 of 6 documents, 6 up to date: 0 files written")
    assert main(["build", "--format", "txt", "--force"]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("built 6 of 6 documents: 0 files written, 6 unchanged")


def test_the_fingerprint_follows_code_templates_and_schemas(tmp_path: Path) -> None:
    folders = []
    for name in ("pipeline", "templates", "schemas"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.txt").write_text("one")
        folders.append(folder)
    first = fingerprint(folders)
    assert fingerprint(folders) == first
    for folder in folders:
        (folder / "a.txt").write_text("two")
        changed = fingerprint(folders)
        assert changed != first
        (folder / "a.txt").rename(folder / "b.txt")
        assert fingerprint(folders) not in (first, changed)
        (folder / "b.txt").rename(folder / "a.txt")
        (folder / "a.txt").write_text("one")
        assert fingerprint(folders) == first
        (folder / "__pycache__").mkdir()
        (folder / "__pycache__" / "x.pyc").write_bytes(b"cache")
        assert fingerprint(folders) == first  # caches are not inputs


def test_a_changed_template_rebuilds_every_document(tmp_path: Path) -> None:
    # a copy of the pipeline with its templates, so that a template can change
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pipeline", "templates", "schemas"):
        shutil.copytree(ROOT / name, copy / name, symlinks=True, ignore=ignore)
    corpus.write_corpus(tmp_path / "sources", 4, seed=41)
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop("CI", None)

    def cli() -> str:
        result = subprocess.run([sys.executable, "-m", "pipeline", "build", "sources", "--format", "txt,html"],
                                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stderr.strip().splitlines()[-1]

    assert cli().startswith("built 4 of 4 documents: 8 files written")
    assert cli().startswith("built 0 of 4 documents, 4 up to date")
    stylesheet = copy / "templates" / "un.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n/* reviewed */\n", encoding="utf-8")
    # every document again: the HTML pages change, the text files are the same bytes
    assert cli().startswith("built 4 of 4 documents: 4 files written, 4 unchanged")
    assert cli().startswith("built 0 of 4 documents, 4 up to date")

"""A documents repository of its own: ``undoc init``, its configuration, its venues, ``undoc schema``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar
from lxml import etree

from pipeline.cli import main
from pipeline.project.config import config_for_folder, read_config
from pipeline.project.scaffold import EXAMPLE_DOCUMENT
from pipeline.sources.discover import sources_root_for

EXAMPLE_STEM = EXAMPLE_DOCUMENT.removesuffix(".xml")
SUFFIXES = (".txt", ".html", ".docx", ".pdf", ".json", ".akn.xml", ".ics")


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A documents repository made by ``undoc init``, as the working folder."""
    folder = tmp_path / "docs-repo"
    assert main(["init", str(folder)]) == 0
    monkeypatch.chdir(folder)
    return folder


def _pdfinfo(path: Path) -> str:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def test_init_makes_a_repository_that_builds_every_format_and_validates(repository: Path) -> None:
    made = sorted(p.relative_to(repository).as_posix() for p in repository.rglob("*") if p.is_file())
    assert made == sorted([
        ".github/workflows/documents.yml", ".gitignore", ".pre-commit-config.yaml", "README.md",
        "schemas/undoc-1.0.xsd", "schemas/undoc-document-2.0.schema.json", "schemas/xml.xsd",
        f"sources/{EXAMPLE_DOCUMENT}", "sources/shared/oewg-ict-2021.xml", "undoc.toml",
    ])
    assert main(["build", "--jobs", "1"]) == 0
    assert sorted(p.name for p in (repository / "out").iterdir() if not p.name.startswith(".")) == sorted(
        f"{EXAMPLE_STEM}{suffix}" for suffix in SUFFIXES)
    assert main(["validate", "--strict"]) == 0


def test_the_example_names_a_schema_that_the_repository_has(repository: Path) -> None:
    source = repository / "sources" / EXAMPLE_DOCUMENT
    tree = etree.parse(str(source))
    location = tree.getroot().get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "").split()[1]
    schema = etree.XMLSchema(etree.parse(str((source.parent / location).resolve())))
    assert schema.validate(tree), schema.error_log


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path)])
    assert stopped.value.code == 2
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_venue_of_the_configuration_sets_the_calendar_zone_and_the_paper(repository: Path) -> None:
    config = repository / "undoc.toml"
    config.write_text(config.read_text() + '\n[venues."Kigali"]\ntime-zone = "Africa/Kigali"\npaper = "a4"\n'
                      'name = "Kigali (Rwanda)"\n')
    source = repository / "sources" / EXAMPLE_DOCUMENT
    source.write_text(source.read_text().replace("<place>New York</place>", "<place>Kigali</place>"))
    assert main(["build", "--jobs", "1", "--format", "txt,pdf,ics"]) == 0
    assert "Kigali (Rwanda)" in (repository / "out" / f"{EXAMPLE_STEM}.txt").read_text()
    calendar = Calendar.from_ical((repository / "out" / f"{EXAMPLE_STEM}.ics").read_bytes())
    assert {str(e["DTSTART"].params["TZID"]) for e in calendar.walk("VEVENT")} == {"Africa/Kigali"}
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Africa/Kigali"]
    assert {str(e["LOCATION"]) for e in calendar.walk("VEVENT")} == {"Kigali (Rwanda)"}
    assert re.search(r"^Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)$",
                     _pdfinfo(repository / "out" / f"{EXAMPLE_STEM}.pdf"), re.M)


def test_a_changed_venue_rebuilds_what_it_shapes(repository: Path) -> None:
    config = repository / "undoc.toml"
    config.write_text(config.read_text() + '\n[venues."New York"]\ntime-zone = "America/New_York"\npaper = "letter"\n')
    assert main(["build", "--jobs", "1", "--format", "pdf"]) == 0
    assert "(letter)" in _pdfinfo(repository / "out" / f"{EXAMPLE_STEM}.pdf")
    config.write_text(config.read_text().replace('paper = "letter"', 'paper = "a4"'))
    assert main(["build", "--jobs", "1", "--format", "pdf"]) == 0
    assert "(A4)" in _pdfinfo(repository / "out" / f"{EXAMPLE_STEM}.pdf")


def test_a_place_no_venue_table_knows_is_refused_naming_the_configuration(
        repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = repository / "sources" / EXAMPLE_DOCUMENT
    source.write_text(source.read_text().replace("<place>New York</place>", "<place>Kigali</place>"))
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"sources/{re.escape(EXAMPLE_DOCUMENT)}:\d+:\d+: error \[place-unknown\] .*undoc\.toml", out)


@pytest.mark.parametrize(("text", "code", "line", "column", "words"), [
    ('sources = "sources"\nsoruces = "x"\n', "config-key", 2, 1, "unknown key 'soruces'"),
    ('formats = ["html", "odt"]\n', "config-value", 1, 1, "formats is a list"),
    ('[venues."Kigali"]\ntime-zone = "Africa/Kigalli"\n', "config-value", 2, 1, "IANA time zone"),
    ('[venues.Kigali]\ntime-zone = "Africa/Kigali"\n  paper = "a5"\n', "config-value", 3, 3, "paper is one of"),
    ('[venues.Kigali]\ntimezone = "Africa/Kigali"\n', "config-key", 2, 1, "unknown key 'timezone'"),
    ('sources = "sources"\nout = \n', "config-invalid", 2, 7, "not valid TOML"),
])
def test_configuration_mistakes_are_located(tmp_path: Path, text: str, code: str, line: int, column: int,
                                            words: str) -> None:
    (tmp_path / "undoc.toml").write_text(text)
    problems = read_config(tmp_path / "undoc.toml").problems
    assert [(d.code, d.line, d.column) for d in problems][:1] == [(code, line, column)]
    assert words in problems[0].message


def test_a_broken_configuration_stops_the_command_before_anything_is_built(
        repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "undoc.toml").write_text('formats = ["pdf"]\ncolour = "blue"\n')
    assert main(["build"]) == 1
    assert "undoc.toml:2:1: error [config-key] unknown key 'colour'" in capsys.readouterr().out
    assert not (repository / "out").exists()


def test_the_configuration_chooses_folders_and_formats(repository: Path) -> None:
    (repository / "sources").rename(repository / "documents")
    (repository / "undoc.toml").write_text('sources = "documents"\nout = "published"\nformats = ["txt", "json"]\n')
    assert main(["build", "--jobs", "1"]) == 0
    assert sorted(p.name for p in (repository / "published").iterdir() if not p.name.startswith(".")) == [
        f"{EXAMPLE_STEM}.json", f"{EXAMPLE_STEM}.txt"]


def test_pyproject_tool_table_is_read_when_there_is_no_undoc_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "docs"\n\n[tool.undoc]\nout = "site"\n'
                                             '[tool.undoc.venues."Kigali"]\ntime-zone = "Africa/Kigali"\n')
    (tmp_path / "sub").mkdir()
    config = config_for_folder(tmp_path / "sub")
    assert config.path == tmp_path / "pyproject.toml" and not config.problems
    assert config.out == tmp_path / "site"
    kigali = config.venue("Kigali")
    assert kigali is not None and (kigali.time_zone, kigali.page_size) == ("Africa/Kigali", "letter")
    assert config.venue("Geneva") is not None  # the built-in venues stay


def test_no_sources_folder_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "build"):
        with pytest.raises(SystemExit) as stopped:
            main([command])
        assert stopped.value.code == 2
        assert "no sources folder here" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_schema_writes_the_schemas_for_editors(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path / "xsd")]) == 0
    assert sorted(p.name for p in (tmp_path / "xsd").iterdir()) == [
        "undoc-1.0.xsd", "undoc-document-2.0.schema.json", "xml.xsd"]
    etree.XMLSchema(etree.parse(str(tmp_path / "xsd" / "undoc-1.0.xsd")))  # loads with its import


def test_version_names_the_tool_pandoc_and_weasyprint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert re.fullmatch(r"undoc \d+\.\d+\.\d+ \(pandoc 3\.9, WeasyPrint 70\.0\)\n", capsys.readouterr().out)



def test_the_configured_sources_folder_confines_the_registers(repository: Path) -> None:
    (repository / "sources").rename(repository / "documents")
    (repository / "undoc.toml").write_text('sources = "documents"\n')
    source = repository / "documents" / EXAMPLE_DOCUMENT
    (repository / "documents" / "2023").mkdir()
    moved = repository / "documents" / "2023" / EXAMPLE_DOCUMENT
    moved.write_text(source.read_text(encoding="utf-8").replace(
        'register="shared/', 'register="../shared/'), encoding="utf-8")
    source.unlink()
    assert sources_root_for(moved) == repository / "documents"
    assert main(["validate", str(moved)]) == 0

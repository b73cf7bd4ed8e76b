"""``undoc new``: the next session's programme from the last one, and a new document of each genre."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from pipeline.build.engine import build
from pipeline.build.render import model_of
from pipeline.cli import main
from pipeline.formats import format_names
from pipeline.formats.akn.reader import import_akn
from pipeline.genres import GENRES
from pipeline.project.newdoc import working_days
from pipeline.sources.load import q
from pipeline.validate.check import validate_sources
from tests.conftest import ROOT, SOURCES

S4 = "oewg-ict-s4-programme-of-work.xml"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A documents repository: the project's sources and schemas, as working folder."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def diagnostics_of(path: Path) -> list[tuple[str, str]]:
    checked, register_problems = validate_sources([path])
    return sorted({(d.severity.label, d.code) for d in [*register_problems, *checked[0].diagnostics]})


def test_the_fifth_session_from_the_fourth(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = Path("sources/oewg-ict-s5-programme-of-work.xml")
    status = main(["new", f"sources/{S4}", "--session", "5", "--dates", "2023-07-24/2023-07-28"])
    assert status == 0
    assert target.is_file()  # the default name follows the session
    # valid: the placeholder date of issue is the only thing reported
    assert diagnostics_of(target) == [("warning", "date-placeholder")]
    assert "date-placeholder" in capsys.readouterr().out

    root = etree.parse(str(target)).getroot()
    session = root.find(q("session"))
    assert session is not None and session.get("ordinal") == "5"
    dates = session.find(q("dates"))
    assert dates is not None and (dates.get("start"), dates.get("end")) == ("2023-07-24", "2023-07-28")
    days = [(d.get("date"), d.get("weekday")) for d in root.iter(q("day"))]
    assert days == [("2023-07-24", "monday"), ("2023-07-25", "tuesday"), ("2023-07-26", "wednesday"),
                    ("2023-07-27", "thursday"), ("2023-07-28", "friday")]
    masthead = root.find(q("masthead"))
    assert masthead is not None
    for name in ("symbol", "date", "job-number"):
        element = masthead.find(q(name))
        assert element is not None and element.get("placeholder") == "true", name
    # the programme is kept, comments included; the prose names the new session
    earlier = (SOURCES / S4).read_text(encoding="utf-8")
    text = target.read_text(encoding="utf-8")
    assert text.count("<agenda-item") == earlier.count("<agenda-item")
    assert "<!-- As issued: this occurrence omits" in text
    assert text.splitlines()[:5] == earlier.splitlines()[:5]  # the root's attributes as they were laid out
    assert "The fifth substantive session" in text and "from 24 to 28 July 2023" in text

    report = build([target], Path("out"), format_names())
    assert report.exit_status() == 0, report.diagnostics
    written = {p.suffix for p in Path("out").glob("oewg-ict-s5-programme-of-work.*")}
    assert {".txt", ".html", ".docx", ".pdf", ".json", ".ics"} <= written
    printed = Path("out/oewg-ict-s5-programme-of-work.txt").read_text(encoding="utf-8")
    first_day = next(line for line in printed.splitlines() if re.match(r"(Mon|Tues|Wednes|Thurs|Fri)day, ", line))
    assert first_day == "Monday, 24 July"
    assert "New York, 24–28 July 2023" in printed
    # the open data say which masthead facts are placeholders, and read back the same
    data = json.loads(Path("out/oewg-ict-s5-programme-of-work.json").read_text(encoding="utf-8"))["masthead"]
    assert (data["symbolIsPlaceholder"], data["issuedIsPlaceholder"], data["jobNumberIsPlaceholder"]) == (True,) * 3
    [checked], _ = validate_sources([target])
    document = model_of(checked)
    assert document.masthead.issued_is_placeholder
    read_back = import_akn(Path("out/oewg-ict-s5-programme-of-work.akn.xml").read_bytes())
    assert read_back.masthead.issued_is_placeholder and read_back.masthead == document.masthead


def test_days_beyond_a_shorter_session_are_left_out(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = Path("sources/s5-short.xml")
    assert main(["new", f"sources/{S4}", "--session", "5", "--dates", "2023-07-26/2023-07-28", "-o", str(target)]) == 0
    root = etree.parse(str(target)).getroot()
    assert [d.get("date") for d in root.iter(q("day"))] == ["2023-07-26", "2023-07-27", "2023-07-28"]
    assert "left out" in capsys.readouterr().err
    assert diagnostics_of(target) == [("warning", "date-placeholder")]


def test_the_days_map_onto_working_days_across_a_weekend(repository: Path) -> None:
    target = Path("sources/s5-wed.xml")
    assert main(["new", f"sources/{S4}", "--session", "5", "--dates", "2023-07-26/2023-08-01", "-o", str(target)]) == 0
    root = etree.parse(str(target)).getroot()
    assert [(d.get("date"), d.get("weekday")) for d in root.iter(q("day"))] == [
        ("2023-07-26", "wednesday"), ("2023-07-27", "thursday"), ("2023-07-28", "friday"),
        ("2023-07-31", "monday"), ("2023-08-01", "tuesday")]
    assert working_days(*map(__import__("datetime").date.fromisoformat, ("2023-07-29", "2023-07-30"))) == []


def test_wrong_arguments_are_usage_errors(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for arguments in (["new"], ["new", f"sources/{S4}"], ["new", f"sources/{S4}", "--type", "note"],
                      ["new", f"sources/{S4}", "--session", "5", "--dates", "2023-07-28/2023-07-24"],
                      ["new", f"sources/{S4}", "--session", "5", "--dates", "July", "-o", "x.xml"],
                      ["new", f"sources/{S4}", "--session", "5", "--dates", "2023-07-24/2023-07-28",
                       "-o", f"sources/{S4}"]):
        with pytest.raises(SystemExit) as stopped:
            main(arguments)
        assert stopped.value.code == 2, arguments
    assert (Path("sources") / S4).read_bytes() == (SOURCES / S4).read_bytes()
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("genre", sorted(GENRES))
def test_a_new_document_of_each_genre_validates_and_builds(repository: Path, genre: str) -> None:
    target = Path(f"sources/new-{genre}.xml")
    assert main(["new", "--type", genre]) == 0
    assert target.is_file()
    found = diagnostics_of(target)
    assert ("error" not in {severity for severity, _ in found}), found
    assert ("warning", "date-placeholder") in found
    root = etree.parse(str(target)).getroot()
    assert root.get("type") == genre
    report = build([target], Path("out"), ["txt", "html"])
    assert report.exit_status() == 0, report.diagnostics
    assert Path(f"out/new-{genre}.html").is_file()


def test_what_stands_before_the_root_is_kept_as_written(repository: Path) -> None:
    earlier = Path("sources/oewg-ict-provisional-agenda-2021.xml")
    original = earlier.read_text(encoding="utf-8")
    before_root = original[:original.index("<document")]
    assert "<!--" in before_root and before_root.endswith("-->\n")
    target = Path("sources/next-agenda.xml")
    main(["new", str(earlier), "--session", "2", "--dates", "2022-03-28/2022-04-01", "-o", str(target)])
    written = target.read_text(encoding="utf-8")
    assert written.startswith(before_root + "<document")


def test_a_version_in_another_language_is_said_to_keep_its_prose(repository: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = Path("sources/s5.fr.xml")
    main(["new", "sources/oewg-ict-s4-programme-of-work.fr.xml", "--session", "5", "--dates",
          "2023-07-24/2023-07-28", "-o", str(target)])
    err = capsys.readouterr().err
    assert "note: the text of this version (fr) is left as it was" in err
    assert "from " not in err.split("note:", 1)[1].split("\n", 1)[0]  # no English pattern with French months
    root = etree.parse(str(target)).getroot()
    assert next(d.get("date") for d in root.iter(q("day"))) == "2023-07-24"

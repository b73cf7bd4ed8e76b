"""Language versions of one document: they are built side by side and agree in structure.

``tests/fixtures/versions/`` holds a pair, ``programme.xml`` and ``programme.fr.xml``, that differ
in one agenda item; each file's second line says where the difference must be reported in it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.build.engine import build
from pipeline.diagnostics import Diagnostic
from pipeline.validate.check import validate_sources
from pipeline.validate.versions import CODE, document_stem
from tests.conftest import SOURCES

PAIR = Path(__file__).parent / "fixtures" / "versions"
PROGRAMME = "oewg-ict-s4-programme-of-work"
LANGUAGES = ("fr", "es", "ru", "ar", "zh")


def _expected(path: Path) -> tuple[int, int]:
    found = re.search(r"expect: (\S+) at (\d+):(\d+)", path.read_text(encoding="utf-8").split("\n")[1])
    assert found is not None and found.group(1) == CODE
    return int(found.group(2)), int(found.group(3))


def test_a_difference_between_versions_is_reported_in_both_files() -> None:
    checked, _ = validate_sources(sorted(PAIR.glob("*.xml")))
    assert len(checked) == 2
    for c in checked:
        assert [(d.code, d.line, d.column) for d in c.diagnostics] == [(CODE, *_expected(Path(c.path)))], c.path
    english, french = sorted(checked, key=lambda c: len(c.path))
    ours, theirs = english.diagnostics[0].message, french.diagnostics[0].message
    assert "agenda item 3" in ours and "programme.fr.xml:30:" in ours
    assert "agenda item 4" in theirs and "programme.xml:30:" in theirs


def test_either_version_alone_is_valid(tmp_path: Path) -> None:
    for name in ("programme.xml", "programme.fr.xml"):
        folder = tmp_path / name
        shutil.copytree(PAIR / "shared", folder / "shared")
        shutil.copy(PAIR / name, folder / name)
        checked, _ = validate_sources([folder / name])
        assert checked[0].diagnostics == ()


def _copy_programme(folder: Path) -> None:
    shutil.copytree(SOURCES / "shared", folder / "shared")
    for suffix in ("", *(f".{code}" for code in LANGUAGES)):
        shutil.copy(SOURCES / f"{PROGRAMME}{suffix}.xml", folder / f"{PROGRAMME}{suffix}.xml")


def test_a_paragraph_deleted_from_the_french_version_is_named_in_both_files(tmp_path: Path) -> None:
    _copy_programme(tmp_path)
    french = tmp_path / f"{PROGRAMME}.fr.xml"
    text = french.read_text(encoding="utf-8")
    second = re.search(r"\n    <p>Le programme de travail provisoire.*?</p>", text, re.S)
    assert second is not None
    french.write_text(text[:second.start()] + text[second.end():], encoding="utf-8")
    checked, _ = validate_sources(sorted(tmp_path.glob("*.xml")))
    found = {Path(c.path).name: c.diagnostics for c in checked}
    assert [d.code for d in found[f"{PROGRAMME}.xml"]] == [CODE]
    assert [d.code for d in found[f"{PROGRAMME}.fr.xml"]] == [CODE]
    english_problem, french_problem = found[f"{PROGRAMME}.xml"][0], found[f"{PROGRAMME}.fr.xml"][0]
    assert "numbered paragraph 2" in english_problem.message and "numbered paragraph 2" in french_problem.message
    assert english_problem.line == 24 and french_problem.line == 25  # the English paragraph; the French one now there
    assert f"{PROGRAMME}.fr.xml:25:" in english_problem.message and f"{PROGRAMME}.xml:24:" in french_problem.message
    for code in ("es", "ru", "ar", "zh"):
        assert found[f"{PROGRAMME}.{code}.xml"] == ()
    report = build(sorted(tmp_path.glob("*.xml")), tmp_path / "out", ["txt"])
    refused = {Path(o.path).name for o in report.failed}
    assert refused == {f"{PROGRAMME}.xml", f"{PROGRAMME}.fr.xml"}
    assert [d.code for o in report.failed for d in o.diagnostics] == [CODE, CODE]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == [
        f"{PROGRAMME}.{code}.txt" for code in ("ar", "es", "ru", "zh")]


def versions_with_a_passage_removed(folder: Path, stem: str, language: str,
                                    passage: str) -> dict[str, tuple[Diagnostic, ...]]:
    """The diagnostics of ``stem``'s English version and its ``language`` version, copied into
    ``folder`` with the first match of ``passage`` (a regular expression) taken out of the latter."""
    shutil.copytree(SOURCES / "shared", folder / "shared")
    for suffix in ("", f".{language}"):
        shutil.copy(SOURCES / f"{stem}{suffix}.xml", folder / f"{stem}{suffix}.xml")
    version = folder / f"{stem}.{language}.xml"
    text = version.read_text(encoding="utf-8")
    found = re.search(passage, text)
    assert found is not None
    version.write_text(text[:found.start()] + text[found.end():], encoding="utf-8")
    checked, _ = validate_sources(sorted(folder.glob("*.xml")))
    return {Path(c.path).name: c.diagnostics for c in checked}


def test_a_numbered_paragraph_of_a_body_deleted_from_one_version_is_named_in_both(tmp_path: Path) -> None:
    report = "oewg-ict-apr-2022-report"
    found = versions_with_a_passage_removed(tmp_path, report, "fr", r"\n        <p>Ont participé aux sessions.*?</p>")
    assert [d.code for d in found[f"{report}.xml"]] == [CODE]
    assert [d.code for d in found[f"{report}.fr.xml"]] == [CODE]
    assert "numbered paragraph 5" in found[f"{report}.xml"][0].message
    assert "numbered paragraph 5" in found[f"{report}.fr.xml"][0].message


def test_the_versions_of_the_programme_build_together_without_colliding(tmp_path: Path) -> None:
    _copy_programme(tmp_path)
    report = build(sorted(tmp_path.glob("*.xml")), tmp_path / "out", ["txt", "html", "akn"], strict=True)
    assert report.exit_status() == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    for suffix in ("", *(f".{code}" for code in LANGUAGES)):
        for fmt in ("txt", "html", "akn.xml"):
            assert f"{PROGRAMME}{suffix}.{fmt}" in names
    for code in LANGUAGES:
        html = (tmp_path / "out" / f"{PROGRAMME}.{code}.html").read_text(encoding="utf-8")
        assert f'lang="{code}"' in html and f"https://undocs.org/{code}/A/AC.292/2021/1" in html
        akn = (tmp_path / "out" / f"{PROGRAMME}.{code}.akn.xml").read_text(encoding="utf-8")
        english = (tmp_path / "out" / f"{PROGRAMME}.akn.xml").read_text(encoding="utf-8")
        work = re.search(r'<FRBRWork>.*?<FRBRthis value="([^"]+)"', akn, re.S)
        expression = re.search(r'<FRBRExpression>.*?<FRBRthis value="([^"]+)"', akn, re.S)
        assert work and expression
        assert work.group(1) in english  # the same work …
        assert expression.group(1) not in english  # … in an expression of its own
        assert re.search(r'<FRBRlanguage [^>]*language="(\w+)"', akn).group(1) != "eng"  # type: ignore[union-attr]


@pytest.mark.parametrize(("path", "stem"), [
    ("sources/x.xml", "sources/x"), ("sources/x.fr.xml", "sources/x"), ("sources/x.zh.xml", "sources/x"),
    ("sources/x.de.xml", "sources/x.de"), ("sources/a.b.xml", "sources/a.b"),
])
def test_versions_share_the_stem_before_their_language(path: str, stem: str) -> None:
    assert document_stem(path) == stem


def test_two_documents_with_one_symbol_are_reported_in_both(tmp_path: Path) -> None:
    shutil.copytree(SOURCES / "shared", tmp_path / "shared")
    report = (SOURCES / "oewg-ict-apr-2022-report.xml").read_text(encoding="utf-8")
    (tmp_path / "report.xml").write_text(report, encoding="utf-8")
    (tmp_path / "copy.xml").write_text(report, encoding="utf-8")
    (tmp_path / "copy.fr.xml").write_bytes((SOURCES / "oewg-ict-apr-2022-report.fr.xml").read_bytes())
    checked, _ = validate_sources(sorted(tmp_path.glob("*.xml")))
    found = {Path(c.path).name: [d.code for d in c.diagnostics if d.code == "symbol-duplicate"] for c in checked}
    assert found == {"copy.xml": ["symbol-duplicate"], "report.xml": ["symbol-duplicate"], "copy.fr.xml": []}
    placeholder = report.replace("<symbol>", '<symbol placeholder="true">', 1)
    (tmp_path / "copy.xml").write_text(placeholder, encoding="utf-8")
    checked, _ = validate_sources(sorted(tmp_path.glob("*.xml")))
    assert not [d for c in checked for d in c.diagnostics if d.code == "symbol-duplicate"]

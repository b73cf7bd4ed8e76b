"""The command line as a user runs it: exit statuses, diagnostics, outputs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "bad"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_validate_real_sources_is_clean() -> None:
    result = run("validate", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert f"validated {len(list((ROOT / 'sources').glob('*.xml')))} sources: 0 with errors" in result.stderr


def test_each_mistake_gets_one_diagnostic_with_line_and_code(tmp_path: Path) -> None:
    # the fixture's register reference is relative to the sources folder it is copied into
    sources = tmp_path / "a" / "b" / "c"
    sources.mkdir(parents=True)
    (tmp_path / "sources" / "shared").mkdir(parents=True)
    (tmp_path / "sources" / "shared" / "oewg-ict-2021.xml").write_bytes(
        (ROOT / "sources" / "shared" / "oewg-ict-2021.xml").read_bytes())
    doc = sources / "four-mistakes.xml"
    doc.write_bytes((FIXTURES / "four-mistakes.xml").read_bytes())
    result = run("validate", str(doc), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    # the register lies outside this document's sources folder: reported, and rules still run
    codes = [line.split("[")[1].split("]")[0] for line in lines]
    assert codes == ["register-outside", "day-weekday", "slot-order"], lines
    assert lines[1].startswith(f"{doc.relative_to(tmp_path)}:21:7: error [day-weekday] ")
    assert '"Tuesday" is not the weekday of 2023-03-06' in lines[1]
    assert lines[2].startswith(f"{doc.relative_to(tmp_path)}:23:9: error [slot-order] ")


def test_unknown_agenda_item_overlap_and_weekday_all_reported_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "oewg-ict-2021.xml").write_bytes(
        (ROOT / "sources" / "shared" / "oewg-ict-2021.xml").read_bytes())
    text = (FIXTURES / "four-mistakes.xml").read_text().replace("../../../sources/shared/", "shared/")
    (tmp_path / "doc.xml").write_text(text)
    result = run("validate", "doc.xml", "--report", "json", cwd=tmp_path)
    assert result.returncode == 1
    found = [(d["line"], d["code"]) for d in json.loads(result.stdout)]
    assert found == [(21, "day-weekday"), (23, "slot-order"), (23, "agenda-item-unknown")]


def test_malformed_xml_is_one_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?>\n<document xmlns="urn:undoc:1.0">\n  <masthead>\n</document>\n')
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stdout.splitlines()
    # reported where the element that is not closed opens, naming the end tag that came first
    assert line.startswith(f"{broken}:3:3:") and "error [xml-syntax]" in line
    assert "<masthead> is not closed: </document> at line 4 comes first" in line


def test_usage_errors_exit_2() -> None:
    assert run("build", "--format", "nonsense").returncode == 2
    assert run("validate", "no/such/file.xml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_build_writes_each_format_and_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run("build", "--out", str(out), "--format", "txt")
    assert first.returncode == 0, first.stderr
    outputs = sorted(out.glob("[!.]*"))  # the build manifest, .manifest.json, aside
    assert [p.name for p in outputs] == sorted(f"{source.stem}.txt" for source in (ROOT / "sources").glob("*.xml"))
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}
    for p in out.iterdir():
        p.unlink()
    second = run("build", "--out", str(out), "--format", "txt")
    assert second.returncode == 0
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("[!.]*")} == digests
    assert f"built {len(digests)} of {len(digests)} documents" in second.stderr


@pytest.mark.parametrize("form", ["github", "json", "text"])
def test_machine_readable_reports(form: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<document")
    result = run("validate", "--report", form, str(broken))
    assert result.returncode == 1
    if form == "github":
        assert result.stdout.startswith(f"::error file={broken},line=1,")
    elif form == "json":
        assert json.loads(result.stdout)[0]["code"] == "xml-syntax"
    else:
        assert "[xml-syntax]" in result.stdout

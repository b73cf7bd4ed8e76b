"""The command line in CI: report forms (text, JSON, GitHub annotations, SARIF 2.1.0), the
same verdict from ``build`` and ``validate`` (with and without ``--strict``), the pre-commit
hook, and ``validate --changed``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from pipeline.cli import main, select_changed
from pipeline.diagnostics import Diagnostic, Severity, format_github
from pipeline.validate.check import SCHEMA_FILE
from pipeline.validate.rules import catalogue, markdown
from tests.conftest import ROOT, SOURCES

RULE_FIXTURES = ROOT / "tests" / "fixtures" / "rules"
REAL = len(list(SOURCES.glob("*.xml")))
"""How many document sources the project has; the repository tests add one or two of their own."""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the rule fixtures (with their registers) as the working folder."""
    shutil.copytree(RULE_FIXTURES, tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "docs"


# ---------------------------------------------------------------- SARIF

SARIF_MINIMAL_SCHEMA = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "pattern": "sarif-2\\.1\\.0"},
        "runs": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object", "required": ["driver"],
                        "properties": {"driver": {
                            "type": "object", "required": ["name", "rules"],
                            "properties": {
                                "name": {"type": "string", "minLength": 1},
                                "rules": {"type": "array", "items": {
                                    "type": "object", "required": ["id", "shortDescription"],
                                    "properties": {
                                        "id": {"type": "string", "minLength": 1},
                                        "shortDescription": {"type": "object", "required": ["text"]},
                                        "defaultConfiguration": {"type": "object", "properties": {
                                            "level": {"enum": ["none", "note", "warning", "error"]}}},
                                    },
                                }},
                            },
                        }},
                    },
                    "results": {"type": "array", "items": {
                        "type": "object",
                        "required": ["ruleId", "message", "locations"],
                        "properties": {
                            "ruleId": {"type": "string"},
                            "ruleIndex": {"type": "integer", "minimum": 0},
                            "level": {"enum": ["none", "note", "warning", "error"]},
                            "message": {"type": "object", "required": ["text"],
                                        "properties": {"text": {"type": "string", "minLength": 1}}},
                            "locations": {"type": "array", "minItems": 1, "items": {
                                "type": "object", "required": ["physicalLocation"],
                                "properties": {"physicalLocation": {
                                    "type": "object", "required": ["artifactLocation"],
                                    "properties": {
                                        "artifactLocation": {"type": "object", "required": ["uri"],
                                                             "properties": {"uri": {"type": "string"}}},
                                        "region": {"type": "object", "required": ["startLine"], "properties": {
                                            "startLine": {"type": "integer", "minimum": 1},
                                            "startColumn": {"type": "integer", "minimum": 1}}},
                                    },
                                }},
                            }},
                        },
                    }},
                },
            },
        },
    },
}
"""The parts of the SARIF 2.1.0 schema that code-scanning services rely on."""


def test_sarif_report(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["validate", "--report", "sarif", "docs"], capsys)
    assert status == 1
    log = json.loads(out)
    jsonschema.validate(log, SARIF_MINIMAL_SCHEMA)
    [sarif_run] = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.code for c in catalogue()]
    results = sarif_run["results"]
    # every fixture derives from one base document, so all bear its symbol: symbol-duplicate too
    assert {r["ruleId"] for r in results} == {c.code for c in catalogue()
                                              if (RULE_FIXTURES / f"{c.code}.xml").exists()} | {"symbol-duplicate"}
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert result["level"] == rule["defaultConfiguration"]["level"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("docs/")
        assert not location["artifactLocation"]["uri"].startswith("/")
    weekday = next(r for r in results if r["ruleId"] == "day-weekday")
    assert weekday["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/day-weekday.xml"
    assert weekday["locations"][0]["physicalLocation"]["region"] == {"startLine": 39, "startColumn": 7}


def test_sarif_of_a_clean_run_has_rules_and_no_results(capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    status, out, _ = run(["validate", "--strict", "--report", "sarif"], capsys)
    assert status == 0
    log = json.loads(out)
    jsonschema.validate(log, SARIF_MINIMAL_SCHEMA)
    assert log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == len(catalogue())


# ---------------------------------------------------------------- JSON and GitHub annotations


def test_json_report(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["validate", "--report", "json", "docs/day-weekday.xml", "docs/text-tab.xml"], capsys)
    assert status == 1
    assert json.loads(out) == [
        {"path": "docs/day-weekday.xml", "line": 39, "column": 7, "severity": "error", "code": "day-weekday",
         "message": '"Wednesday" is not the weekday of 2023-03-07: it is a Tuesday'},
        {"path": "docs/text-tab.xml", "line": 44, "column": 48, "severity": "warning", "code": "text-tab",
         "message": "a tab in running text; write a single space"},
    ]


def test_github_annotations(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["validate", "--report", "github", "docs/day-weekday.xml", "docs/text-tab.xml"], capsys)
    assert status == 1
    assert out.splitlines() == [
        "::error file=docs/day-weekday.xml,line=39,col=7,title=day-weekday::"
        '"Wednesday" is not the weekday of 2023-03-07: it is a Tuesday',
        "::warning file=docs/text-tab.xml,line=44,col=48,title=text-tab::a tab in running text; write a single space",
    ]


def test_github_annotations_escape_what_would_break_them() -> None:
    d = Diagnostic("a,b:c.xml", 3, 0, Severity.ERROR, "xml-syntax", "100% wrong\nsecond line")
    assert format_github([d]) == "::error file=a%2Cb%3Ac.xml,line=3,title=xml-syntax::100%25 wrong%0Asecond line\n"


# ---------------------------------------------------------------- one verdict, two commands

VERDICTS = [
    ("valid", 0, 0),                # clean
    ("text-tab", 0, 1),             # a warning: shown, fails only with --strict
    ("continued-override", 0, 1),   # a warning
    ("day-weekday", 1, 1),          # an error
    ("wording-language", 1, 1),     # an error found through the register
]


@pytest.mark.parametrize(("name", "plain", "strict"), VERDICTS)
def test_build_and_validate_agree(fixtures: Path, capsys: pytest.CaptureFixture[str], name: str,
                                  plain: int, strict: int) -> None:
    source = f"docs/{name}.xml"
    for flags, expected in (([], plain), (["--strict"], strict)):
        v_status, v_out, _ = run(["validate", *flags, source], capsys)
        out = fixtures.parent / f"out-{len(flags)}"
        b_status, b_out, b_err = run(["build", *flags, "--format", "txt", "--out", str(out), source], capsys)
        assert (v_status, b_status) == (expected, expected), (flags, v_out, b_out)
        assert v_out == b_out
        built = (out / f"{name}.txt").exists()
        assert built == (expected == 0), "a document that fails is not written"
        assert ("failed" in b_err.splitlines()[-1]) == (expected == 1)


def test_strict_build_keeps_previous_outputs_of_a_document_with_warnings(
        fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(fixtures / "valid.xml", fixtures / "doc.xml")
    assert run(["build", "--strict", "--format", "txt", "--out", "out", "docs/doc.xml"], capsys)[0] == 0
    before = (fixtures.parent / "out" / "doc.txt").read_bytes()
    shutil.copyfile(fixtures / "text-quotes.xml", fixtures / "doc.xml")
    status, out, err = run(["build", "--strict", "--format", "txt", "--out", "out", "docs/doc.xml"], capsys)
    assert status == 1 and "[text-quotes]" in out
    assert "failed (strict: warnings count): docs/doc.xml" in err
    assert (fixtures.parent / "out" / "doc.txt").read_bytes() == before
    status, _, _ = run(["build", "--format", "txt", "--out", "out", "docs/doc.xml"], capsys)
    assert status == 0 and (fixtures.parent / "out" / "doc.txt").read_bytes() != before


def test_a_register_named_as_a_source_is_checked_as_a_register(fixtures: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["validate", "--strict", "docs/shared/oewg-ict-2021.xml"], capsys)
    assert (status, out) == (0, "")
    register = fixtures / "shared" / "oewg-ict-2021.xml"
    register.write_text(register.read_text(encoding="utf-8").replace("other matters", "other  matters"),
                        encoding="utf-8")
    status, out, _ = run(["validate", "--strict", "docs/shared/oewg-ict-2021.xml"], capsys)
    assert status == 1 and "docs/shared/oewg-ict-2021.xml:" in out and "[text-double-space]" in out
    assert out.count("\n") == 1


# ---------------------------------------------------------------- the catalogue page and the hook


def test_rules_markdown_command_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["rules", "--markdown"], capsys)
    assert status == 0 and out == markdown()
    status, out, _ = run(["rules"], capsys)
    assert status == 0 and all(c.code in out for c in catalogue())


def test_pre_commit_hook(capsys: pytest.CaptureFixture[str], fixtures: Path) -> None:
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: undoc-validate$", hook, re.M)
    entry = re.search(r"^  entry: (.+)$", hook, re.M)
    files = re.search(r"^  files: (.+)$", hook, re.M)
    assert entry and entry.group(1) == "undoc validate --strict"  # the command the package installs
    assert files and files.group(1) == r"\.xml$"
    assert re.search(r"^  language: python$", hook, re.M)
    pattern = re.compile(files.group(1))
    assert pattern.search("sources/a.xml") and not pattern.search("README.md")
    # pre-commit runs the entry with the staged files that match, registers included
    args = entry.group(1).split()[1:]
    assert run([*args, "docs/valid.xml", "docs/shared/oewg-ict-2021.xml"], capsys)[0] == 0
    assert run([*args, "docs/valid.xml", "docs/text-quotes.xml"], capsys)[0] == 1


def test_pre_commit_entry_from_another_folder(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    result = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--strict",
                             "sources/oewg-ict-s3-programme-of-work.xml", "sources/shared/oewg-ict-2021.xml"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- validate --changed


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent), "GIT_AUTHOR_DATE": "2023-03-04T00:00:00",
           "GIT_COMMITTER_DATE": "2023-03-04T00:00:00"}
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A documents repository with the real sources, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "documents"
    shutil.copytree(SOURCES, root / "sources")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sources")
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return root


def validated(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status, out, err = run(["validate", "--strict", "--report", "json", *args], capsys)
    return status, out, err.strip().splitlines()[-1]


def test_changed_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validated(capsys, "--changed")[::2] == (0, f"validated 0 sources (of {REAL}; changed relative to HEAD): "
                                                     "0 with errors, 0 diagnostics (strict: warnings count as errors)")


def test_changed_document_and_untracked_document(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s3 = repo / "sources" / "oewg-ict-s3-programme-of-work.xml"
    s3.write_text(s3.read_text(encoding="utf-8").replace('weekday="monday"', 'weekday="sunday"'), encoding="utf-8")
    shutil.copyfile(RULE_FIXTURES / "valid.xml", repo / "sources" / "new.xml")
    status, out, summary = validated(capsys, "--changed")
    assert status == 1
    assert {d["path"] for d in json.loads(out)} == {"sources/oewg-ict-s3-programme-of-work.xml"}
    assert summary.startswith(f"validated 2 sources (of {REAL + 1};")  # s3 and the untracked new.xml
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    assert validated(capsys, "--changed")[2].startswith(f"validated 0 sources (of {REAL + 1};")
    assert validated(capsys, "--changed=HEAD~1")[2].startswith(f"validated 2 sources (of {REAL + 1};")


def test_changed_register_selects_the_documents_that_use_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    register = repo / "sources" / "shared" / "oewg-ict-2021.xml"
    register.write_text(register.read_text(encoding="utf-8").replace("other matters", "other business"),
                        encoding="utf-8")
    shutil.copyfile(RULE_FIXTURES / "valid.xml", repo / "sources" / "other.xml")  # refers to no such register
    (repo / "sources" / "other.xml").write_text(
        (repo / "sources" / "other.xml").read_text(encoding="utf-8").replace("shared/oewg-ict-2021.xml",
                                                                              "shared/elsewhere.xml"))
    git(repo, "add", "sources/other.xml")
    git(repo, "commit", "-q", "-m", "other")
    status, out, summary = validated(capsys, "--changed")
    assert status == 0 and json.loads(out) == []
    assert summary.startswith(f"validated {REAL} sources (of {REAL + 1};")  # every real source uses the register


def test_changed_schema_selects_everything(tmp_path: Path) -> None:
    sources = [tmp_path / "a.xml", tmp_path / "b.xml"]
    assert select_changed(sources, {SCHEMA_FILE.resolve()}) == sources
    assert select_changed(sources, set()) == []


def test_changed_with_a_bad_ref_or_outside_git(repo: Path, capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--changed=no-such-ref"])
    assert stop.value.code == 2
    assert "'no-such-ref' is not a commit" in capsys.readouterr().err
    elsewhere = tmp_path / "not-a-repo"
    shutil.copytree(SOURCES, elsewhere / "sources")
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--changed"])
    assert stop.value.code == 2
    assert "--changed HEAD: the working folder is not in a git working tree" in capsys.readouterr().err

"""The rule catalogue: every rule has a fixture with one mistake, and triggers on it alone.

Each ``tests/fixtures/rules/<code>.xml`` is a valid base document with one mistake: ``valid.xml``
(a programme of work), or the base its second line names (``base: valid-letter.xml``) where the
mistake needs another genre. That line also says which diagnostics it must give
(``expect: code at line[:column]``). The positions in those headers were derived from where the
mistake was made, not from the pipeline's output.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.validate.check import validate_sources
from pipeline.validate.rules import RULES, STAGE_CHECKS, catalogue, markdown
from pipeline.validate.rules.symbols import symbol_problem
from pipeline.validate.rules.text import hyphen_ranges
from tests.conftest import ROOT, SOURCES

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
VALID = FIXTURES / "valid.xml"
BASES = sorted(FIXTURES.glob("valid*.xml"))
"""The valid documents the fixtures derive from: valid.xml, and one per other genre a mistake needs."""
RULE_CODES = [r.code for r in RULES]


def diagnostics_of(path: Path) -> list[Diagnostic]:
    """The document's own diagnostics and those of its register."""
    checked, register_problems = validate_sources([path])
    return sorted([*register_problems, *(d for c in checked for d in c.diagnostics)])


def base_of(path: Path) -> Path:
    """The valid document a fixture derives from: the one its second line names, else valid.xml."""
    named = re.search(r"base: (valid[\w-]*\.xml)", path.read_text(encoding="utf-8").split("\n")[1])
    return FIXTURES / named.group(1) if named else VALID


def expected(path: Path) -> set[tuple[str, int, int | None]]:
    header = path.read_text(encoding="utf-8").split("\n")[1]
    assert "expect:" in header, f"{path.name}: line 2 must say what to expect"
    found = set()
    for code, line, column in re.findall(r"([a-z-]+) at (\d+)(?::(\d+))?", header.split("expect:")[1]):
        found.add((code, int(line), int(column) if column else None))
    return found


# ---------------------------------------------------------------- the catalogue itself


def test_codes_are_unique_stable_words() -> None:
    codes = [c.code for c in catalogue()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code


@pytest.mark.parametrize("entry", catalogue(), ids=lambda e: e.code)
def test_each_check_has_a_one_line_summary_and_a_severity(entry: object) -> None:
    summary = entry.summary  # type: ignore[attr-defined]
    assert summary and "\n" not in summary and summary.endswith(".") and len(summary) < 110
    assert entry.severity in (Severity.ERROR, Severity.WARNING)  # type: ignore[attr-defined]


def test_every_rule_is_explained() -> None:
    for r in RULES:
        assert len(r.description) > 30, f"{r.code}: give the rule function a docstring"


def test_the_catalogue_covers_what_was_asked_for() -> None:
    asked = {
        "symbol-grammar", "symbol-distribution", "symbol-year", "job-number-form", "job-number-year",
        "day-outside-session", "session-day-missing", "day-weekday", "slot-order", "slot-times",
        "agenda-item-unknown", "topic-unknown", "footnote-unknown", "footnote-unused",
        "footnote-repeated", "continued-override", "dash-range", "language-code", "duplicate-id",
        "empty-content", "text-tab", "text-nbsp", "text-quotes", "text-double-space", "text-invisible",
    }
    assert asked <= set(RULE_CODES)


def test_every_fixture_belongs_to_a_rule_and_every_rule_has_one() -> None:
    documents = {p.stem for p in FIXTURES.glob("*.xml")} - {p.stem for p in BASES}
    assert documents == set(RULE_CODES)
    registers = {p.stem for p in (FIXTURES / "shared").glob("*.xml")} - {"oewg-ict-2021"}
    assert registers <= set(RULE_CODES)


def test_the_base_documents_and_the_real_sources_are_clean() -> None:
    assert len(BASES) >= 3
    for base in BASES:
        assert diagnostics_of(base) == [], base.name
    checked, register_problems = validate_sources(sorted(SOURCES.glob("*.xml")))
    assert register_problems == []
    assert [d for c in checked for d in c.diagnostics] == []


# ---------------------------------------------------------------- one fixture per rule


@pytest.mark.parametrize("code", RULE_CODES)
def test_fixture_triggers_its_rule_and_nothing_else(code: str) -> None:
    path = FIXTURES / f"{code}.xml"
    found = diagnostics_of(path)
    want = expected(path)
    assert {c for c, _, _ in want} == {code}
    with_column = {c for c, _, column in want if column is not None}
    got = {(d.code, d.line, d.column if d.code in with_column else None) for d in found}
    assert got == want, "\n".join(d.format() for d in found)
    severity = next(r.severity for r in RULES if r.code == code)
    for d in found:
        assert d.severity is severity
        assert d.path.endswith(f"{code}.xml") or "/shared/" in d.path
        assert len(d.message) > 20


@pytest.mark.parametrize("code", RULE_CODES)
def test_fixture_is_the_base_document_with_one_mistake(code: str) -> None:
    base = base_of(FIXTURES / f"{code}.xml").read_text(encoding="utf-8").split("\n")
    fixture = (FIXTURES / f"{code}.xml").read_text(encoding="utf-8").split("\n")
    changed = [line for line in difflib.unified_diff(base[2:], fixture[2:], lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert 1 <= len(changed) <= 3, changed
    register = FIXTURES / "shared" / f"{code}.xml"
    if register.exists():
        original = (FIXTURES / "shared" / "oewg-ict-2021.xml").read_text(encoding="utf-8").split("\n")
        ours = register.read_text(encoding="utf-8").split("\n")
        elements = [line for line in difflib.unified_diff(original, ours, lineterm="", n=0)
                    if line[:1] in "+-" and not line.startswith(("+++", "---")) and "<" in line]
        assert len(elements) == 2, elements


def test_fixture_register_is_the_real_register() -> None:
    assert (FIXTURES / "shared" / "oewg-ict-2021.xml").read_text(encoding="utf-8").replace(
        "../../../../schemas/", "../../schemas/") == (SOURCES / "shared" / "oewg-ict-2021.xml").read_text(
        encoding="utf-8"), "copy sources/shared/oewg-ict-2021.xml to tests/fixtures/rules/shared/"


# ---------------------------------------------------------------- "(continued)" overrides


def test_explicit_continued_warns_with_both_values_until_a_reason_is_given(tmp_path: Path) -> None:
    source = (SOURCES / "oewg-ict-s3-programme-of-work.xml").read_text(encoding="utf-8")
    assert source.count("continued-reason=") == 7
    stripped = re.sub(r' continued-reason="[^"]*"', "", source)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "oewg-ict-2021.xml").write_bytes((SOURCES / "shared" / "oewg-ict-2021.xml").read_bytes())
    (tmp_path / "s3.xml").write_text(stripped, encoding="utf-8")
    found = diagnostics_of(tmp_path / "s3.xml")
    assert [d.code for d in found] == ["continued-override"] * 7
    assert all(d.severity is Severity.WARNING for d in found)
    lines = stripped.split("\n")
    for d in found:
        assert "continued=" in lines[d.line - 1]
    thursday = [d for d in found if "sub-topic (d)" in d.message]
    assert thursday and 'continued="no"' in thursday[0].message
    assert "would print “(continued)”" in thursday[0].message and "2022-07-25" in thursday[0].message
    friday = [d for d in found if 'continued="yes"' in d.message]
    assert len(friday) == 1 and "would print none" in friday[0].message
    assert "Second reading of, and negotiations on, inputs" in friday[0].message


# ---------------------------------------------------------------- no false alarms


def _document_with(tmp_path: Path, paragraph: str) -> list[Diagnostic]:
    text = VALID.read_text(encoding="utf-8")
    text = re.sub(r"<p>The annotated agenda.*?</p>", lambda _: paragraph, text, flags=re.S)
    (tmp_path / "shared").mkdir(exist_ok=True)
    (tmp_path / "shared" / "oewg-ict-2021.xml").write_bytes((FIXTURES / "shared" / "oewg-ict-2021.xml").read_bytes())
    (tmp_path / "doc.xml").write_text(text, encoding="utf-8")
    return diagnostics_of(tmp_path / "doc.xml")


@pytest.mark.parametrize("paragraph", [
    "<p>Held from 25 to 29 July 2022, 10\u00a0a.m.–1\u00a0p.m., in the years 2021–2025.</p>",
    "<p>The “quoted” words, the Chair’s ‘own’ text and COVID-19 (see <doc-ref>A/77/275</doc-ref>).</p>",
    "<p>Resolution\u00a0<resolution-ref>75/240</resolution-ref> and the Under-Secretary-General.</p>",
    "<p>A paragraph that runs\n\t\tover several lines of the source,\n        indented with tabs\n"
    "    and spaces, <em>with emphasis</em>\n    and a tail.</p>",
])
def test_well_typeset_text_gives_no_warning(tmp_path: Path, paragraph: str) -> None:
    assert _document_with(tmp_path, paragraph) == []


def test_text_positions_inside_a_long_paragraph_and_after_inline_elements(tmp_path: Path) -> None:
    paragraph = ("<p>The first line of a paragraph,\n"
                 "      a second line with <em>emphasis</em> and then  two spaces,\n"
                 "      a third line with <doc-ref>A/77/275</doc-ref>, then 6-10 March.</p>")
    found = _document_with(tmp_path, paragraph)
    lines = (tmp_path / "doc.xml").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines, 1) if "The first line of a paragraph" in line)
    assert [(d.code, d.line, d.column) for d in found] == [
        ("text-double-space", start + 1, lines[start].index("  two") + 1),
        ("dash-range", start + 2, lines[start + 1].index("-10") + 1),
    ]


def test_every_printed_text_is_checked_and_quotes_are_named_in_its_language(tmp_path: Path) -> None:
    letter = FIXTURES / "valid-letter.xml"
    found, lines = _variant(tmp_path, letter,
                            ("<heading>Accreditation</heading>", '<heading>"Accreditation"</heading>'),
                            ("<td>24 March 2022</td>", '<td>"24 March" 2022</td>'),
                            ("<salutation>Excellency,</salutation>",
                             '<salutation>Excellency, <span xml:lang="es">"Excelencia"</span>,</salutation>'))
    assert {(d.code, d.line) for d in found} == {
        ("text-quotes", _line_of(lines, '"Accreditation"')), ("text-quotes", _line_of(lines, '"24 March"')),
        ("text-quotes", _line_of(lines, '"Excelencia"'))}
    by_line = {d.line: d.message for d in found}
    assert "write “ and ”" in by_line[_line_of(lines, '"24 March"')]
    assert "write « and »" in by_line[_line_of(lines, '"Excelencia"')]


@pytest.mark.parametrize(("text", "ranges"), [
    ("25-29 July", ["25-29"]), ("July-August", ["July-August"]), ("10 a.m.-1 p.m.", ["a.m.-1"]),
    ("Monday - Friday", ["Monday - Friday"]), ("COVID-19", []), ("Under-Secretary-General", []),
    ("A/77-275", []), ("25–29 July", []),
])
def test_hyphen_ranges(text: str, ranges: list[str]) -> None:
    assert [written for _, written, _ in hyphen_ranges(text)] == ranges


@pytest.mark.parametrize("symbol", [
    "A/AC.292/2021/1", "A/77/275", "A/RES/75/240", "A/AC.292/2025/CRP.1", "A/AC.292/2023/L.2/Rev.1",
    "S/2023/123", "E/CN.6/2024/1/Add.1", "A/C.1/77/L.23*", "A/AC.292/2022/INF/1",
    "A/HRC/53/2", "S/RES/2341(2017)", "ST/SGB/2019/8", "CCPR/C/GC/36", "A/RES/1514(XV)",
])
def test_symbol_grammar_accepts(symbol: str) -> None:
    assert symbol_problem(symbol) is None


@pytest.mark.parametrize("symbol", ["", "A/AC.292/2021-1", "A /77/275", "a/77/275", "A/AC.292", "A//1", "A/77/275/",
                                    "A/HRC", "S/RES/2341 (2017)", "A/77/275(2017"])
def test_symbol_grammar_refuses(symbol: str) -> None:
    assert symbol_problem(symbol)


@pytest.mark.parametrize(("organ", "number", "symbol"), [
    ("A", "75/240", "A/RES/75/240"), ("A", "1514 (XV)", "A/RES/1514(XV)"), ("S", "2341 (2017)", "S/RES/2341(2017)"),
    ("E", "2023/5", "E/RES/2023/5")])
def test_resolutions_of_each_organ_are_numbered_as_it_prints_them(tmp_path: Path, organ: str, number: str,
                                                                   symbol: str) -> None:
    from pipeline.model.inline import resolution_symbol

    reference = f'<resolution-ref organ="{organ}">{number}</resolution-ref>'
    found = _document_with(tmp_path, f"<p>Recalling resolution {reference}.</p>")
    assert found == []
    assert resolution_symbol(number, organ) == symbol and symbol_problem(symbol) is None
    wrong = "2341 (2017)" if organ != "S" else "75/240"
    reference = f'<resolution-ref organ="{organ}">{wrong}</resolution-ref>'
    found = _document_with(tmp_path, f"<p>Recalling resolution {reference}.</p>")
    assert [d.code for d in found] == ["resolution-number"]


# ---------------------------------------------------------------- genres: what one fixture per code does not show


def _variant(tmp_path: Path, base: Path, *changes: tuple[str, str]) -> tuple[list[Diagnostic], list[str]]:
    """Diagnostics of ``base`` with each (old, new) change made once, and the changed source's lines."""
    text = base.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "shared").mkdir(exist_ok=True)
    (tmp_path / "shared" / "oewg-ict-2021.xml").write_bytes((FIXTURES / "shared" / "oewg-ict-2021.xml").read_bytes())
    (tmp_path / "doc.xml").write_text(text, encoding="utf-8")
    return diagnostics_of(tmp_path / "doc.xml"), text.split("\n")


def _line_of(lines: list[str], words: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if words in line)


def test_a_limited_draft_is_limited_whatever_its_symbol(tmp_path: Path) -> None:
    found, lines = _variant(tmp_path, VALID, ('type="programme-of-work"', 'type="limited-draft"'),
                            ("A/AC.292/2023/2", "A/AC.292/2023/L.2"))
    assert [(d.code, d.line) for d in found] == [("symbol-distribution", _line_of(lines, "<distribution>"))]
    assert "limited-draft" not in found[0].message  # the L. symbol says it first
    found, lines = _variant(tmp_path, VALID, ('type="programme-of-work"', 'type="limited-draft"'))
    assert sorted(d.code for d in found) == ["genre-symbol", "symbol-distribution"]
    message = next(d.message for d in found if d.code == "symbol-distribution")
    assert "type “limited-draft” is issued for limited" in message


def test_a_symbol_ending_in_corr_is_a_corrigendum(tmp_path: Path) -> None:
    found, lines = _variant(tmp_path, VALID, ("A/AC.292/2023/2<", "A/AC.292/2023/2/Corr.1<"))
    assert [(d.code, d.line) for d in found] == [("genre-symbol", _line_of(lines, "<symbol"))]
    assert 'type="corrigendum"' in found[0].message
    found, _ = _variant(tmp_path, VALID, ("A/AC.292/2023/2<", "A/AC.292/2023/2/Corr.1<"),
                        ('type="programme-of-work"', 'type="corrigendum"'))
    assert found == []


def test_a_numbered_note_called_from_the_title_wants_a_mark(tmp_path: Path) -> None:
    title = ("Provisional programme of work</title>\n  <subtitle>",
             'Provisional programme of work<footnote-ref ref="t"/></title>\n  <subtitle>')
    found, lines = _variant(tmp_path, VALID, title,
                            ("</footnotes>", '<footnote id="t">Reissued.</footnote></footnotes>'))
    assert [(d.code, d.line) for d in found] == [("footnote-mark-place", _line_of(lines, 'ref="t"'))]
    found, _ = _variant(tmp_path, VALID, title,
                        ("</footnotes>", '<footnote id="t" mark="*">Reissued.</footnote></footnotes>'))
    assert found == []


def test_a_note_on_an_annex_title_may_take_a_mark(tmp_path: Path) -> None:
    """"Circulated in the language of submission only": a starred note on an annex's title."""
    note = '<footnote id="unedited" mark="*">Circulated without formal editing.</footnote>'
    found, _ = _variant(tmp_path, VALID, ("<title>Provisional programme of work</title>\n    <programme>",
                                          '<title>Provisional programme of work<footnote-ref ref="unedited"/></title>\n'
                                          "    <programme>"),
                        ("</footnotes>", f"{note}</footnotes>"))
    assert found == []


@pytest.mark.parametrize(("old", "new", "element"), [
    ("<heading>Informal sessions</heading>", "<heading> </heading>", "heading"),
    ("<item>by submitting written inputs.</item>", "<item>\n        </item>", "item"),
    ("<item>by submitting written inputs.</item>",
     "<item><subparagraphs><item>by submitting written inputs.</item></subparagraphs></item>", "item"),
    ("<table-note id=\"a\">Held online.</table-note>", "<table-note id=\"a\"/>", "table-note"),
    ("<closing>Please accept, Excellency, the assurances of my highest consideration.</closing>", "<closing/>",
     "closing"),
])
def test_empty_blocks_of_the_tree_are_found(tmp_path: Path, old: str, new: str, element: str) -> None:
    found, _ = _variant(tmp_path, FIXTURES / "valid-letter.xml", (old, new))
    assert [d.code for d in found] == ["empty-content"]
    assert f"<{element}>" in found[0].message


def test_bullets_start_the_count_of_subparagraph_degrees_afresh(tmp_path: Path) -> None:
    found, _ = _variant(tmp_path, FIXTURES / "valid-letter.xml", (
        "<item>in person;</item>",
        "<item>in person:<bullets><item>badges<subparagraphs><item>a;</item></subparagraphs></item></bullets></item>"))
    assert found == []


def test_a_provisional_agenda_names_items_of_the_register(tmp_path: Path) -> None:
    found, lines = _variant(tmp_path, FIXTURES / "valid-crp.xml", (
        "  <body>\n", '  <body>\n    <agenda-list><agenda-entry ref="1"/><agenda-entry ref="9"/></agenda-list>\n'))
    assert [(d.code, d.line) for d in found] == [("agenda-item-unknown", _line_of(lines, "<agenda-list>"))]
    assert "agenda item 9" in found[0].message


# ---------------------------------------------------------------- the page


def test_docs_rules_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == markdown(), (
        "docs/rules.md is stale: run `python -m pipeline rules --markdown > docs/rules.md`")
    for entry in catalogue():
        assert f"`{entry.code}`" in page.read_text(encoding="utf-8")


def test_stage_checks_and_rules_share_no_code() -> None:
    assert not {c.code for c in STAGE_CHECKS} & set(RULE_CODES)

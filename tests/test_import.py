"""``undoc import``: Word drafts into sources, and the project's own DOCX read back to an equal model."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.build.engine import build
from pipeline.build.render import model_of
from pipeline.devtools.dump import dump
from pipeline.formats import format_names
from pipeline.importer import guess_genre, import_docx
from pipeline.validate.check import validate_sources
from tests.conftest import ALL_STEMS, ROOT, SOURCES, Golden
from tests.drafts import DRAFTS
from tests.test_cli import run
from tests.visual import require


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus of drafts, written with python-docx."""
    from tests.drafts import write_all

    folder = tmp_path_factory.mktemp("drafts")
    write_all(folder)
    return folder


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of sources/ (its register and sources) to write imported sources into."""
    folder = tmp_path_factory.mktemp("repository") / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


@pytest.fixture(scope="module")
def own_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DOCX of every source, built by the pipeline."""
    out = tmp_path_factory.mktemp("docx")
    report = build(sorted(SOURCES.glob("*.xml")), out, ["docx"], strict=False)
    assert report.exit_status() == 0
    return out


def diagnostics_text(result_diagnostics: tuple[object, ...], name: str) -> str:
    """The import's diagnostics, one a line, with the draft's name instead of its temporary path."""
    lines = []
    for d in result_diagnostics:
        lines.append(f"{name}.docx:{d.line}: {d.severity.label} [{d.code}] {d.message}\n")  # type: ignore[attr-defined]
    return "".join(lines)


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_golden_each_draft_imports_to_its_expected_xml(name: str, drafts: Path, golden: Golden) -> None:
    result = import_docx(drafts / f"{name}.docx", SOURCES / f"draft-{name}.xml")
    golden.check(f"import/{name}.xml", result.text)
    golden.check(f"import/{name}.diagnostics.txt", diagnostics_text(result.diagnostics, name))


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_an_imported_draft_validates_and_imports_to_the_same_bytes_again(name: str, drafts: Path,
                                                                           repository: Path) -> None:
    target = repository / f"draft-{name}.xml"
    first = import_docx(drafts / f"{name}.docx", target)
    target.write_text(first.text, encoding="utf-8")
    checked, register_problems = validate_sources([target])
    assert not register_problems
    assert checked[0].passes(), [d.format() for d in checked[0].diagnostics]
    assert import_docx(drafts / f"{name}.docx", target).text == first.text


def test_an_imported_draft_builds_in_every_format(drafts: Path, repository: Path, tmp_path: Path) -> None:
    sources = []
    for name in sorted(DRAFTS):
        target = repository / f"built-{name}.xml"
        target.write_text(import_docx(drafts / f"{name}.docx", target).text, encoding="utf-8")
        sources.append(target)
    report = build(sources, tmp_path / "out", format_names(), strict=False, jobs=1)
    assert report.exit_status() == 0, [d.format() for d in report.diagnostics]
    written = {p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")}
    for source in sources:  # a calendar only for a programme of work
        kinds = {name.removeprefix(source.stem + ".") for name in written if name.startswith(source.stem + ".")}
        assert kinds == {"txt", "html", "docx", "pdf", "json", "akn.xml"} | (
            {"ics"} if source.stem == "built-programme" else set()), source.stem


def comparable(text: str) -> str:
    """A model dump without places, with footnote and table-note ids by order of appearance.

    The DOCX does not carry the ids a source gives its notes, nor whether a symbol or a job
    number is a placeholder: those are the only facts the comparison leaves aside.
    """
    text = re.sub(r" @\S+|source=Source\([^)]*\)", "", text)
    text = re.sub(r"(symbol_is_placeholder|job_number_is_placeholder)=\w+", r"\1=?", text)
    ids: dict[str, str] = {}
    return re.sub(r"(note_id=')([^']*)", lambda m: m.group(1) + ids.setdefault(m.group(2), f"n{len(ids)}"), text)


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_build_import_build_gives_an_equal_model(stem: str, own_docx: Path, repository: Path) -> None:
    target = repository / f"round-trip-{stem}.xml"
    result = import_docx(own_docx / f"{stem}.docx", target)
    assert result.text
    target.write_text(result.text, encoding="utf-8")
    checked, _ = validate_sources([SOURCES / f"{stem}.xml", target])
    original, imported = checked
    assert imported.passes(), [d.format() for d in imported.diagnostics]
    assert comparable(dump(model_of(imported))) == comparable(dump(model_of(original)))


@pytest.fixture(scope="module")
def resaved_docx(own_docx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DOCX of every source opened and saved again by LibreOffice (as an editor would)."""
    soffice = require("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("resaved")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "docx"),
                    *sorted(str(p) for p in own_docx.glob("*.docx"))],
                   capture_output=True, check=True, timeout=600)
    return folder / "docx"


@pytest.mark.slow
@pytest.mark.parametrize("stem", ALL_STEMS)
def test_a_docx_saved_again_by_libreoffice_still_gives_an_equal_model(stem: str, resaved_docx: Path,
                                                                      repository: Path) -> None:
    """LibreOffice moves a note's call inside a link and keeps a note's "*" only in the note."""
    target = repository / f"resaved-{stem}.xml"
    target.write_text(import_docx(resaved_docx / f"{stem}.docx", target).text, encoding="utf-8")
    checked, _ = validate_sources([SOURCES / f"{stem}.xml", target])
    original, imported = checked
    assert imported.passes(), [d.format() for d in imported.diagnostics]
    assert comparable(dump(model_of(imported))) == comparable(dump(model_of(original)))


@pytest.mark.parametrize("stride", [2, 3])
def test_an_own_docx_with_paragraphs_deleted_imports_without_failing(stride: int, own_docx: Path,
                                                                       repository: Path, tmp_path: Path) -> None:
    """An edited DOCX (a masthead line, a signature, an annex heading gone) gives a source, never a traceback."""
    from docx import Document

    for path in sorted(own_docx.glob("*.docx")):
        document = Document(str(path))
        for paragraph in document.paragraphs[1::stride]:
            paragraph._element.getparent().remove(paragraph._element)
        edited = tmp_path / path.name
        document.save(str(edited))
        result = import_docx(edited, repository / f"edited-{path.stem}.xml")
        assert result.text.startswith("<?xml"), path.name
        assert all(d.code.startswith("import-") for d in result.diagnostics)


@pytest.mark.parametrize("version", ["", ".zh", ".ar"])
def test_a_report_without_its_session_on_the_first_page_says_where_the_session_came_from(
        version: str, own_docx: Path, repository: Path) -> None:
    result = import_docx(own_docx / f"oewg-ict-apr-2022-report{version}.docx", repository / f"x{version}.xml")
    assert [d.code for d in result.diagnostics] == ["import-guess"]
    assert "the third substantive session" in result.diagnostics[0].message  # the message's language


def test_a_letter_on_letterhead_is_taken_to_come_before_the_next_session(own_docx: Path,
                                                                         repository: Path) -> None:
    result = import_docx(own_docx / "oewg-ict-chair-letter-2022-stakeholders.docx", repository / "y.xml")
    assert result.doc_type == "letterhead-letter"
    assert [d.code for d in result.diagnostics] == ["import-guess"]
    assert "letter on letterhead" in result.diagnostics[0].message
    assert "the second substantive session (2022-03-28–2022-04-01)" in result.diagnostics[0].message


def test_the_genre_is_guessed_from_the_symbol_before_the_title() -> None:
    assert guess_genre("A/AC.292/2022/L.1/Rev.1", "Draft report", False, False) == "revision"
    assert guess_genre("A/AC.292/2022/L.1", "Draft report", False, False) == "limited-draft"
    assert guess_genre("A/77/275/Add.1*", "Report", False, False) == "addendum"
    assert guess_genre("A/AC.292/2023/2", "Provisional programme of work", False, False) == "programme-of-work"
    assert guess_genre("A/AC.292/2023/9", "Letter dated 1 May 2023 from the Chair", False, False) == "letter"


# ---------------------------------------------------------------- the command line


def test_import_writes_a_valid_source_and_reports_the_guesses(drafts: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES / "shared", folder / "shared")
    done = run("import", str(drafts / "report.docx"), "-o", str(folder / "report.xml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[import-guess] paragraph " in done.stdout and ":0: warning" in done.stdout
    assert "imported " in done.stderr and "as a report" in done.stderr
    assert (folder / "report.xml").read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    again = run("import", str(drafts / "report.docx"), "-o", str(folder / "report.xml"))
    assert again.returncode == 2 and "exists already" in again.stderr


def test_a_forced_genre_is_kept(drafts: Path, tmp_path: Path) -> None:
    done = run("import", str(drafts / "numbering.docx"), "-o", str(tmp_path / "n.xml"), "--type", "report")
    assert 'type="report"' in (tmp_path / "n.xml").read_text(encoding="utf-8"), done.stdout + done.stderr


@pytest.mark.parametrize("content", [b"plain text, not a document", b"PK\x03\x04 truncated zip", None])
def test_a_file_that_is_not_a_docx_is_one_error_and_no_traceback(content: bytes | None, tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    if content is None:  # a zip archive, but not a Word document
        with zipfile.ZipFile(draft, "w") as archive:
            archive.writestr("hello.txt", "hello")
    else:
        draft.write_bytes(content)
    done = run("import", str(draft), "-o", str(tmp_path / "out.xml"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stdout.count("error [import-unreadable]") == 1 and ":1:1:" in done.stdout
    assert not (tmp_path / "out.xml").exists()


def test_import_is_in_the_help() -> None:
    assert "import" in run("--help").stdout
    assert "paragraph's number in the draft" in run("import", "--help").stdout.replace("\n", " ")


def test_the_written_source_is_the_project_root_sources_by_default(drafts: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SOURCES / "shared", project / "sources" / "shared")
    draft = project / "letter.docx"
    shutil.copy(drafts / "letter.docx", draft)
    done = run("import", "letter.docx", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "sources" / "letter.xml").is_file()
    assert ROOT.is_dir()


def test_the_registers_come_from_the_repository_when_the_source_is_written_elsewhere(drafts: Path,
                                                                                     tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SOURCES / "shared", project / "sources" / "shared")
    elsewhere = tmp_path / "elsewhere" / "report.xml"
    run("import", str(drafts / "report.docx"), "-o", str(elsewhere), cwd=project)
    session = etree.parse(str(elsewhere)).getroot().find("{urn:undoc:1.0}session")
    assert session is not None and session.get("ordinal") == "5"
    assert session.get("register", "").endswith("sources/shared/oewg-ict-2021.xml")
    assert session.find("{urn:undoc:1.0}dates").get("start") == "2023-07-24"  # type: ignore[union-attr]


# ---------------------------------------------------------------- language versions


def without_declared_language(docx: Path, target: Path) -> Path:
    """A copy of ``docx`` whose properties declare no language (as a file from elsewhere may)."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dc:language>[^<]*</dc:language>", b"", data)
            copy.writestr(item, data)
    return target


@pytest.mark.parametrize("language", ["fr", "es", "zh"])
def test_a_version_that_declares_no_language_is_known_by_its_masthead(language: str, own_docx: Path,
                                                                        repository: Path, tmp_path: Path) -> None:
    """The language line under the date ("Français", "Chinese") names the version."""
    stem = f"oewg-ict-s4-programme-of-work.{language}"
    docx = without_declared_language(own_docx / f"{stem}.docx", tmp_path / f"{stem}.docx")
    with zipfile.ZipFile(docx) as archive:
        assert b"dc:language" not in archive.read("docProps/core.xml")
    target = repository / f"undeclared-{stem}.xml"
    target.write_text(import_docx(docx, target).text, encoding="utf-8")
    assert etree.parse(str(target)).getroot().findtext("{urn:undoc:1.0}masthead/{urn:undoc:1.0}language") == language
    checked, _ = validate_sources([SOURCES / f"{stem}.xml", target])
    original, imported = checked
    assert comparable(dump(model_of(imported))) == comparable(dump(model_of(original)))


def test_dates_and_times_are_read_as_each_catalogue_writes_them() -> None:
    import datetime as dt

    from pipeline.i18n import wording_for
    from pipeline.importer.wording import read_date, read_date_range, read_day_heading, read_time_range

    assert read_date("Lundi 1er mars 2021 et 21 mars 2021", wording_for("fr")) == dt.date(2021, 3, 1)
    assert read_date("21 mars 2021", wording_for("fr")) == dt.date(2021, 3, 21)
    assert read_date_range("Нью-Йорк, 28 февраля – 3 марта 2023 года", wording_for("ru")) == (
        dt.date(2023, 2, 28), dt.date(2023, 3, 3))
    assert read_date_range("纽约，2023年3月6日至10日", wording_for("zh")) == (dt.date(2023, 3, 6), dt.date(2023, 3, 10))
    assert read_day_heading("3月7日，星期二", wording_for("zh"), [2023]) == dt.date(2023, 3, 7)
    assert read_time_range("15.00 a 18.00 horas", wording_for("es")) == ("15:00", "18:00")
    assert read_time_range("no time", wording_for("es")) == ("", "")


def test_spans_and_marks_that_only_set_the_direction_are_left_aside() -> None:
    from pipeline.importer.read import without_direction

    rtl = [["", [], [["dir", "rtl"]]]]
    styled = {"t": "Span", "c": [["", [], [["custom-style", "UN Masthead Symbol"]]], [{"t": "Str", "c": "A"}]]}
    inlines = [{"t": "Span", "c": [*rtl, [{"t": "Str", "c": "\u200e1."}]]}, {"t": "Str", "c": "x"}, styled]
    assert without_direction(inlines) == [{"t": "Str", "c": "1.x"}, styled]


_TEXT_BOX = ('<w:r {ns} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape id="box" type="#_x0000_t202">'
             "<v:textbox><w:txbxContent><w:p><w:r><w:t>Box 1: key figures</w:t></w:r></w:p></w:txbxContent>"
             "</v:textbox></v:shape></w:pict></w:r>")


def test_a_text_box_keeps_its_paragraph_and_an_image_is_reported(tmp_path: Path, repository: Path) -> None:
    """pandoc keeps a text box's words and drops those of the paragraph it stands in: the box is
    moved out first, and said so; an image is left out, and said so."""
    import struct
    import zlib

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Inches

    from tests.drafts import report

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    picture = tmp_path / "red.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(b"\x00" + b"\xff\x00\x00" * 2) * 1) + chunk(b"IEND", b""))
    draft = report()
    paragraphs = {p.text.split("\t")[0]: p for p in draft.doc.paragraphs}
    paragraphs["3."]._p.append(parse_xml(_TEXT_BOX.format(ns=nsdecls("w"))))
    paragraphs["4."].add_run().add_picture(str(picture), width=Inches(0.5))
    draft.save(tmp_path / "boxed.docx")
    result = import_docx(tmp_path / "boxed.docx", repository / "boxed.xml")
    assert "<p>Member States and observers attended the session" in result.text
    assert "Box 1: key figures" in result.text
    found = {(d.code, d.message.split(": ", 1)[1][:20]) for d in result.diagnostics}
    assert ("import-guess", "the words of a text ") in found
    assert ("import-unmapped", "an image left out: a") in found


def test_a_typed_label_its_place_numbers_otherwise_is_reported(tmp_path: Path, repository: Path) -> None:
    from tests.drafts import report

    draft = report()
    for paragraph in draft.doc.paragraphs:
        for piece in paragraph.runs:
            piece.text = piece.text.replace("A.\tAttendance", "B.\tAttendance").replace(
                "B.\tDocumentation", "C.\tDocumentation").replace("3.\tMember States", "5.\tMember States")
    draft.save(tmp_path / "renumbered.docx")
    result = import_docx(tmp_path / "renumbered.docx", repository / "renumbered.xml")
    typed = sorted(re.findall(r"typed “(.+?)”, which its place numbers “(.+?)”", " ".join(
        d.message for d in result.diagnostics)))
    assert typed == [("5.", "3."), ("B.", "A."), ("C.", "B.")]
    untouched = import_docx(_saved(report(), tmp_path / "report.docx"), repository / "report.xml")
    assert not [d for d in untouched.diagnostics if "typed" in d.message]


def _saved(draft: object, path: Path) -> Path:
    draft.save(path)  # type: ignore[attr-defined]
    return path


def test_a_signed_draft_with_a_salutation_is_a_letter_whatever_its_title(tmp_path: Path, repository: Path) -> None:
    from tests.drafts import letter

    draft = letter()
    title = next(p for p in draft.doc.paragraphs if p.text.startswith("Letter dated"))
    title.runs[0].text = "Informal consultations with stakeholders"
    draft.save(tmp_path / "untitled-letter.docx")
    result = import_docx(tmp_path / "untitled-letter.docx", repository / "untitled-letter.xml")
    assert result.doc_type == "letter"
    assert "<salutation>Excellency,</salutation>" in result.text and "<signature>" in result.text


def test_a_typed_draft_in_another_language_is_that_version_and_says_what_was_read_in_english(
        tmp_path: Path, repository: Path) -> None:
    from tests.drafts import letter

    draft = letter()
    draft.doc.core_properties.language = "fr-FR"
    result = import_docx(_saved(draft, tmp_path / "lettre.docx"), repository / "lettre.xml")
    assert "<language>fr</language>" in result.text
    assert any("declares the language 'fr'" in d.message and d.code == "import-guess" for d in result.diagnostics)

"""Word drafts typed the way people type them, written with python-docx (not with this project's renderer).

Each function writes one draft; ``python -m tests.drafts DIR`` writes them all into DIR to be
opened in Word or LibreOffice. The XML each one imports to is in tests/golden/import/ (checked
by tests/test_import.py, rewritten by ``nox -s golden``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

BODY = ("Open-ended working group on security of and in the use of information and communications "
        "technologies 2021–2025")
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Draft:
    """A python-docx document with footnotes (which python-docx cannot write by itself)."""

    def __init__(self) -> None:
        self.doc: Any = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(10)
        self.notes: list[str] = []

    def para(self, *runs: str | tuple[str, str], style: str | None = None) -> Any:
        """A paragraph of runs: text, or (kind, text) with kind "b" bold, "i" italic, "note" a footnote."""
        paragraph = self.doc.add_paragraph(style=style)
        for run in runs:
            kind, text = ("", run) if isinstance(run, str) else run
            if kind == "note":
                self.footnote(paragraph, text)
                continue
            r = paragraph.add_run(text)
            r.bold = kind == "b" or None
            r.italic = kind == "i" or None
        return paragraph

    def bold(self, text: str) -> Any:
        """A bold line."""
        return self.para(("b", text))

    def footnote(self, paragraph: Any, text: str) -> None:
        self.notes.append(text)
        run = paragraph.add_run()
        run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{len(self.notes)}"/>'))
        run.font.superscript = True

    def table(self, rows: list[list[str | list[str]]], *, merge_first: bool = False) -> Any:
        """A table; a cell given as a list holds one paragraph per string ("**x**" is bold)."""
        columns = max(len(r) for r in rows)
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            if len(row) == 1 and columns > 1:
                merged = cells[0].merge(cells[-1])
                cells = [merged]
            for cell, value in zip(cells, row, strict=False):
                lines = value if isinstance(value, list) else [value]
                cell.paragraphs[0].text = ""
                for index, line in enumerate(lines):
                    paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                    bold = line.startswith("**")
                    run = paragraph.add_run(line.strip("*") if bold else line)
                    run.bold = bold or None
        return table

    def save(self, path: Path) -> None:
        if self.notes:
            body = "".join(
                f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
                for i, text in enumerate(self.notes, 1))
            xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {nsdecls("w")}>'
                   '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                   '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                   f'</w:r></w:p></w:footnote>{body}</w:footnotes>')
            part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode("utf-8"), self.doc.part.package)
            self.doc.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        self.doc.save(str(path))


def masthead(d: Draft, symbol: str, date: str, *, distribution: str = "General") -> None:
    """The first-page lines as a secretariat types them into a blank document."""
    d.para("United Nations")
    d.para(symbol)
    d.para("General Assembly")
    d.para(f"Distr.: {distribution}")
    d.para(date)
    d.para("Original: English")


def programme() -> Draft:
    """The fifth session's programme of work: a table with days, times, agenda items and sub-topics."""
    d = Draft()
    masthead(d, "A/AC.292/2023/3", "20 June 2023")
    d.para(BODY)
    d.para("Fifth substantive session")
    d.para("New York, 24–28 July 2023")
    d.bold("Provisional programme of work")
    d.para("Note by the Secretariat")
    d.para("1.\tThe fifth substantive session of the working group, established pursuant to General Assembly "
           "resolution 75/240, will be held at Headquarters from 24 to 28 July 2023.")
    d.para("2.\tThe provisional agenda is contained in document A/AC.292/2021/1.")
    d.para("Annex")
    d.bold("Provisional programme of work")
    d.table([
        ["**Date/time**", "**Agenda item/programme**"],
        ["Monday, 24 July"],
        ["10 a.m.–1 p.m.", ["**Opening of the session**",
                            "Agenda item 3: organization of work",
                            "Agenda item 5: discussions on substantive issues contained in paragraph 1 of "
                            "General Assembly resolution 75/240",
                            "(d)\tContinue to study, with a view to promoting common understandings, existing and "
                            "potential threats in the sphere of information security, inter alia, data security, "
                            "and possible cooperative measures to prevent and counter such threats"]],
        ["3–6 p.m.", ["Agenda item 5: discussions on substantive issues contained in paragraph 1 of "
                      "General Assembly resolution 75/240 (continued)",
                      "– Confidence-building measures",
                      "– Capacity-building"]],
        ["Tuesday, 25 July"],
        ["10 a.m.–1 p.m.", ["**Informal, dedicated stakeholder segment**", "Interactive exchange (60 minutes)"]],
        ["3–6 p.m.", ["Agenda item 6: other matters", "**Closure of the session**"]],
        ["All meetings are held in Conference Room 4."],
    ])
    return d


def report() -> Draft:
    """A report: chapters and sections typed by hand, subparagraphs, footnotes, a table, a bold line."""
    d = Draft()
    masthead(d, "A/AC.292/2023/4", "28 July 2023")
    d.para(BODY)
    d.para("Fifth substantive session")
    d.para("New York, 24–28 July 2023")
    d.bold("Report of the working group on its fifth substantive session")
    d.bold("I.\tIntroduction")
    d.para("1.\tThe working group was established by General Assembly resolution 75/240",
           ("note", "See also decision 77/512 and document A/77/275."), ".")
    d.para("2.\tThe present report covers:")
    d.para("(a)\tthe organization of the session;")
    d.para("(b)\tthe discussions, in particular on:")
    d.para("(i)\tconfidence-building measures;")
    d.para("(ii)\tcapacity-building;")
    d.para("(c)\tthe adoption of the report.")
    d.doc.add_page_break()
    d.bold("II.\tOrganizational matters")
    d.bold("A.\tAttendance")
    d.para("3.\tMember States and observers attended the session, as listed in document A/AC.292/2023/INF/2.")
    d.bold("B.\tDocumentation")
    d.para("4.\tThe working group had before it the following documents:")
    d.table([["**Symbol**", "**Title**"],
             ["A/AC.292/2021/1", "Provisional agenda"],
             ["A/AC.292/2023/3", "Provisional programme of work"]])
    d.para("Source: records of the secretariat.")
    d.bold("Adoption of the report")
    d.para("5.\tAt its meeting on 28 July 2023, the working group adopted the present report",
           ("note", "Adopted without a vote."), ".")
    return d


def letter() -> Draft:
    """A letter of the Chair: salutation, unnumbered paragraphs, closing, signature."""
    d = Draft()
    masthead(d, "A/AC.292/2023/5", "15 May 2023")
    d.para(BODY)
    d.para("Fifth substantive session")
    d.para("New York, 24–28 July 2023")
    d.bold("Letter dated 15 May 2023 from the Chair of the open-ended working group addressed to all "
           "Permanent Representatives to the United Nations")
    d.para("Excellency,")
    d.para("I have the honour to write to you in my capacity as Chair of the working group established "
           "pursuant to General Assembly resolution 75/240.")
    d.para("I am pleased to share the provisional programme of work of the fifth substantive session, "
           "to be issued as document A/AC.292/2023/3.")
    d.para("Please accept, Excellency, the assurances of my highest consideration.")
    d.para(("i", "(Signed)"), " Burhan Gafoor")
    d.para("Chair of the open-ended working group")
    return d


def agenda() -> Draft:
    """A provisional agenda: the items typed with their numbers, then annotations under bold lines."""
    d = Draft()
    masthead(d, "A/AC.292/2023/1", "10 February 2023")
    d.para(BODY)
    d.para("Fourth substantive session")
    d.para("New York, 6–10 March 2023")
    d.bold("Provisional agenda")
    for number, words in enumerate(("Opening of the session.", "Adoption of the agenda.", "Organization of work.",
                                    "General exchange of views.", "Other matters."), 1):
        d.para(f"{number}.\t{words}")
    d.bold("Annotations")
    d.bold("1.\tOpening of the session")
    d.para("The session will be opened by the Chair.")
    d.bold("3.\tOrganization of work")
    d.para("The working group will consider its programme of work, contained in document A/AC.292/2023/2.")
    return d


def numbering() -> Draft:
    """A report written with Word's own numbering and heading styles: no label is typed."""
    d = Draft()
    masthead(d, "A/AC.292/2023/CRP.2", "26 July 2023", distribution="Limited")
    d.para(BODY)
    d.para("Fifth substantive session")
    d.para("New York, 24–28 July 2023")
    d.para("Draft elements of the annual progress report", style="Title")
    d.doc.add_heading("Overview", 1)
    d.para("States recalled resolution 75/240 and the reports before the working group.", style="List Number")
    d.para("States discussed:", style="List Number")
    lettered = lettered_numbering(d)
    for words in ("existing and potential threats;", "international law;", "capacity-building."):
        p = d.para(words, style="List Paragraph")
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{lettered}"/></w:numPr>'))
    d.doc.add_heading("Next steps", 1)
    d.para("States may consider:", style="List Number")
    d.para("a global directory of points of contact", style="List Bullet")
    d.para("a dedicated meeting on capacity-building", style="List Bullet")
    return d


def lettered_numbering(d: Draft) -> int:
    """A numbering definition "(a)", "(b)", … in the draft's numbering part; its number id."""
    numbering = d.doc.part.numbering_part.element
    abstract_id, num_id = 90, 90
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="480"/></w:pPr></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def note_verbale() -> Draft:
    """A note verbale whose masthead is typed in a table, with bullets typed as "•" and a tab."""
    d = Draft()
    d.table([["United Nations", "A/AC.292/2023/INF/3"],
             ["General Assembly", ["Distr.: General", "12 July 2023", "", "Original: English"]]])
    d.para(BODY)
    d.para("Fifth substantive session")
    d.para("New York, 24–28 July 2023")
    d.bold("Note verbale dated 12 July 2023 from the Secretariat addressed to the Permanent Missions "
           "to the United Nations")
    d.para("The Secretariat of the United Nations presents its compliments to the Permanent Missions and has the "
           "honour to recall General Assembly decisions 77/512 and 75/564, and resolution 75/240.")
    d.para("Delegations are invited to communicate, by ", ("i", "20 July 2023"), ":")
    d.para("•	the names of their representatives;")
    d.para("•	the name of the head of delegation.")
    d.para("The Secretariat of the United Nations avails itself of this opportunity to renew to the Permanent "
           "Missions the assurances of its highest consideration.")
    return d


DRAFTS: dict[str, Callable[[], Draft]] = {
    "programme": programme,
    "report": report,
    "letter": letter,
    "agenda": agenda,
    "numbering": numbering,
    "note-verbale": note_verbale,
}
"""The corpus: name -> the function that writes the draft."""


def write_all(folder: Path) -> list[Path]:
    """Write every draft of the corpus into ``folder`` as NAME.docx."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in DRAFTS.items():
        path = folder / f"{name}.docx"
        make().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "out/drafts")):
        print(written)

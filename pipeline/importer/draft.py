"""A draft typed in Word, read the way people type: labels by hand or Word's numbering, bold
lines as headings, tables, footnotes, and the first-page facts as plain lines.

Every guess that could be wrong is reported at the paragraph it was made for; what matches
nothing is kept as a plain paragraph and reported too.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from pipeline.genres import genre
from pipeline.i18n import Wording
from pipeline.model.numbering import format_label
from pipeline.validate.rules.genres import subparagraph_degree

from .compose import Composer, parse_date, parse_date_range
from .guess import guess_genre
from .inline import SYMBOL, q
from .labels import kind_of, split_label
from .own import OwnReader, plain, strip_suffix
from .read import Node, Para
from .registers import Library, normal

LADDER = {"roman": 1, "upper": 2}
"""A bold line's label kind -> its level in the heading ladder ("I." a chapter, "A." a section)."""

LADDER_LABELS = {1: "I.", 2: "A.", 3: "1.", 4: "(a)"}

ITEM_DEGREE = {"paren-letter": 1, "paren-roman": 2, "lower": 3, "lower-roman": 4}
"""A typed item label's kind -> the degree of its list: (a), (i), a., i."""

WORD_LIST_STYLES = frozenset(("LowerAlpha", "LowerRoman", "UpperAlpha", "UpperRoman"))
"""pandoc's number styles of Word lists of items; a decimal list numbers paragraphs."""

DAY_ROW = re.compile(r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(.+)$")
TIME_ROW = re.compile(r"^\d{1,2}([.:]\d{2})?\s*(a\.m\.|p\.m\.)?\s*[–-]\s*"
                      r"(\d{1,2}([.:]\d{2})?\s*(a\.m\.|p\.m\.)?|noon)$")


_SALUTATION = re.compile(r"(Excellency|Dear .+|Sir|Madam)[,:]")
_SIGNED = re.compile(r"^\(Signed\)\s*")
"""A letter's salutation and the start of its signature, as typed in English."""


def is_bold(nodes: list[Node]) -> bool:
    """Whether every word of the paragraph is bold."""
    words = [n for n in nodes if n["t"] not in ("Space", "SoftBreak", "LineBreak", "Note")]
    return bool(words) and all(n["t"] == "Strong" for n in words)


def unbold(nodes: list[Node]) -> list[Node]:
    """The content of bold runs, the runs themselves dropped."""
    return [i for n in nodes for i in (n["c"] if n["t"] == "Strong" else [n])]


class DraftReader(OwnReader):
    """Reads a hand-typed draft into a :class:`Composer` (the programme table as :class:`OwnReader` does)."""

    def __init__(self, composer: Composer, library: Library, w: Wording, doc_type: str | None):
        super().__init__(composer, library, w)
        self.forced = doc_type
        self.heading_level = 0
        self.paragraph_number = 0
        """The number of the last numbered paragraph typed with its number, as the source will number it."""
        self.numbered_above = False
        """Whether the current Word list's first level numbers paragraphs (1., 2.) rather than items."""

    # ------------------------------------------------------------ the whole draft

    def read(self, paras: list[Para], footers: list[str]) -> None:
        start = self.facts(paras)
        for text in footers:
            found = re.search(r"\b(\d{2}-\d{5})\b", text)
            if found:
                self.c.facts.job_number = found.group(1)
        if self.forced:
            self.c.doc_type = self.forced
        else:
            body = paras[start:]
            self.c.doc_type = guess_genre(
                self.c.facts.symbol, plain(self.c.facts.title),
                any(p.is_table and self.is_programme(p) for p in body),
                self.looks_like_agenda(body))
            if self.c.doc_type == "report" and self.looks_like_letter(body):
                self.c.doc_type = "letter"
        self.placeholders(paras[0].index if paras else 1)
        self.body(paras[start:])

    # ------------------------------------------------------------ first page

    def facts(self, paras: list[Para]) -> int:
        """Read the first-page lines up to the title (and a subtitle); the position after them.

        The masthead may be typed as lines, several facts on one line (tabs between them), or as
        a table; a line that gives no fact before any title is taken as the title (and reported).
        """
        f = self.c.facts
        for position, para in enumerate(paras):
            if para.is_table:
                lines = [p for row in para.rows for cell in row for p in cell.paras]
                if f.title or not any([self.fact_line(p, plain(p.inlines)) for p in lines]):  # every line read
                    return position
                continue
            text = plain(para.inlines)
            if not text:
                continue
            if para.style == "Title" or (not f.title and self.is_title(para, text)):
                f.title = unbold(para.inlines)
                following = paras[position + 1] if position + 1 < len(paras) else None
                if following is not None and (following.style == "Subtitle" or re.match(
                        r"^Note by the ", plain(following.inlines))):
                    f.subtitle = unbold(following.inlines)
                    return position + 2
                return position + 1
            if self.fact_line(para, text):
                continue
            if f.agenda_lines and len(f.agenda_lines) == 1 and not para.header:
                f.agenda_lines.append(para.inlines)
                continue
            f.title = unbold(para.inlines)
            self.c.warn(para.index, "import-guess", f"the first line that is no masthead fact, “{text[:60]}”, "
                        "is taken as the title; check it")
            return position + 1
        return len(paras)

    def fact_line(self, para: Para, text: str) -> bool:
        """Take the first-page facts ``text`` gives; False when it gives none."""
        f, w = self.c.facts, self.w
        found = False
        for name, organ in w.organs.items():
            if re.search(rf"(^|\s){re.escape(organ)}(\s|$)", text):
                f.organ, found = name, True
        if text.startswith(w.united_nations):
            found = True
        symbol = SYMBOL.search(text)
        if symbol and (found or len(text) < 40) and not f.symbol:
            f.symbol, found = symbol.group(0), True
        distribution = re.search(r"Distr\.?:?\s*(\w+)", text)
        if distribution:
            f.distribution = next((k for k, v in w.distributions.items()
                                   if v.lower() == distribution.group(1).lower()), "general")
            found = True
        original = re.search(r"Original:\s*(\w+)", text)
        if original:
            f.original_language = next((k for k, v in w.language_names.items() if v == original.group(1)), "en")
            found = True
        if re.search(r"Conference room paper|\b\w+ only$", text):
            found = True
        if found:
            date = re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", text)
            if date and not f.issued:
                f.issued = parse_date(date.group(0), w)
            return True
        register = self.library.register_named(text)
        if register is not None:
            self.register = register
            return True
        if re.fullmatch(r"(\w+) (\w+) session", text) and not re.fullmatch(r"\w+-\w+ session", text):
            self.session_line(text)
            if f.ordinal:
                return True
        reissued = re.match(r"^Reissued for technical reasons on (.+?)\.?$", text)
        if reissued:
            f.reissued = parse_date(reissued.group(1), w)
            return True
        if re.match(r"^(Item \d+ of the provisional agenda|Agenda item \d+)", text):
            f.agenda_lines.append(para.inlines)
            return True
        if re.fullmatch(r"\w+(-\w+)? session", text) and not f.ga_session:
            f.ga_session = para.inlines
            return True
        place, _, dates = text.rpartition(", ")
        found_range = parse_date_range(dates, w) if place else None
        if found_range and not f.start:
            f.place = place
            f.start, f.end = found_range
            return True
        issued = parse_date(text, w)
        if issued and len(text) < 24 and not f.issued:
            f.issued = issued
            return True
        return False

    def is_title(self, para: Para, text: str) -> bool:
        return is_bold(para.inlines) or (para.header == 1 and not split_label(para.inlines)[0])

    def placeholders(self, index: int) -> None:
        """Placeholders (reported) for the facts a draft did not give."""
        f = self.c.facts
        if self.register is None and len(self.library.registers) == 1:
            self.register = self.library.registers[0]
            self.c.warn(index, "import-guess", f"the draft names no body: the register taken is the "
                        f"repository's only one, {self.register.path.name}")
        if not f.start:
            found = self.library.session_before(f.issued or dt.date.max)
            if found is not None:
                f.ordinal = f.ordinal or found.ordinal
                f.place, f.start, f.end = found.place, found.start, found.end
                self.c.warn(index, "import-guess", f"the draft gives no place and dates of its session: taken "
                            f"from the latest session of the repository ({found.start}–{found.end}); check them")
        if not f.start:
            self.c.warn(index, "import-guess", "the draft gives no place and dates of its session, and the "
                        "repository has no session to take them from: fill in <dates start end>")
        if not f.place:
            f.place = "New York"
        if not f.ordinal:
            f.ordinal = 1
            self.c.warn(index, "import-guess", "the draft names no session (“Fifth substantive session”): "
                        "the first is assumed; check <session ordinal>")
        if not f.issued:
            f.issued, f.issued_placeholder = f.start, True
            self.c.warn(index, "import-guess", "the draft gives no date of issue: the session's first day "
                        "is put instead (marked placeholder=\"true\"); put the date of issue")
        if not f.symbol:
            series = "A/AC.292"
            f.symbol = f"{series}/{(f.issued or dt.date(2000, 1, 1)).year}/1"
            self.c.warn(index, "import-guess", f"the draft gives no symbol: the placeholder {f.symbol} is put "
                        "(marked placeholder=\"true\"); put the issued symbol")
            f.symbol_placeholder = True
        needs_job = genre(self.c.doc_type).job_footer
        if needs_job and not f.job_number:
            f.job_number = f"{(f.issued or dt.date(2000, 1, 1)).strftime('%y')}-00000"
            f.job_number_placeholder = True
            self.c.warn(index, "import-guess", f"the draft gives no job number (its first-page footer): the "
                        f"placeholder {f.job_number} is put (marked placeholder=\"true\"); put the issued one")
        elif not needs_job:
            f.job_number = ""
        if genre(self.c.doc_type).distribution:
            f.distribution = genre(self.c.doc_type).distribution

    def looks_like_agenda(self, paras: list[Para]) -> bool:
        """Whether most numbered lines are agenda items of the register."""
        found = 0
        for para in paras:
            label, rest = split_label(para.inlines)
            if label and self.library.agenda_item(plain(rest)):
                found += 1
        return found >= 3

    # ------------------------------------------------------------ body

    def body(self, paras: list[Para]) -> None:
        numbered_genre = genre(self.c.doc_type).numbered_paragraphs
        position = 0
        while position < len(paras):
            para = paras[position]
            position += 1
            nodes, text = para.inlines, plain(para.inlines)
            if para.is_table:
                if self.is_programme(para):
                    self.programme(para)
                else:
                    notes = []
                    while position < len(paras) and re.match(r"^[a-z]\s", plain(paras[position].inlines)) and \
                            paras[position].inlines and paras[position].inlines[0]["t"] == "Superscript":
                        notes.append(paras[position])
                        position += 1
                    self.typed_table(para, notes)
                continue
            if not text:
                continue
            annex = re.fullmatch(r"Annex(?: ([IVXLC]+))?", text)
            if annex:
                self.c.annex()
                self.paragraph_number = 0
                if position < len(paras) and not paras[position].is_table:
                    self.c.inline("title", unbold(paras[position].inlines), self.c.annexes[-1])
                    position += 1
                continue
            if self.letter_part(para, text):
                continue
            if para.header:
                self.typed_heading(para, unbold(nodes), from_style=True,
                                   next_para=paras[position] if position < len(paras) else None)
                continue
            if para.list_kind:
                self.word_list_item(para, numbered_genre)
                continue
            label, rest = split_label(nodes)
            kind, number = kind_of(label) if label else ("", 0)
            if kind == "paren-roman" and self.letter_follows(label):
                kind, number = "paren-letter", ord(label[1]) - 96  # (i) after (h) is a letter
            if is_bold(nodes) and len(text) < 200:
                self.typed_heading(para, unbold(nodes), from_style=False,
                                   next_para=paras[position] if position < len(paras) else None)
                continue
            if self.c.doc_type == "provisional-agenda" and kind == "arabic" and not self.c.sections:
                self.agenda_line(para, str(number), rest)
                continue
            if kind == "arabic":
                self.c.paragraph(rest)
                self.paragraph_number += 1
                self.check_label(para, label, self.w.paragraph_label, self.paragraph_number)
                continue
            if kind in ITEM_DEGREE:
                item = self.c.list_item("subparagraphs", ITEM_DEGREE[kind], rest)
                self.check_item_label(para, label, item)
                continue
            if kind == "bullet" or para.style in ("List Bullet", "List Bullet 2"):
                depth = 2 if para.style == "List Bullet 2" else 1
                self.c.list_item("bullets", depth, rest if kind == "bullet" else nodes)
                continue
            if para.style in ("Quote", "Intense Quote", "Block Text"):
                quote = etree.Element(q("quote"))
                self.c.inline("p", nodes, quote)
                self.c.block(quote)
                continue
            if kind in ("roman", "upper"):  # a heading label on a line that is not bold
                self.typed_heading(para, rest, from_style=False, label=label,
                                   next_para=paras[position] if position < len(paras) else None)
                continue
            if numbered_genre and self.c.doc_type not in ("provisional-agenda",):
                self.c.paragraph(nodes, numbered=False)
                self.c.warn(para.index, "import-unmapped", f"a paragraph without a number (“{text[:40]}…”) — "
                            "kept as an unnumbered paragraph; type its number if it is one")
            else:
                self.c.paragraph(nodes)

    def letter_follows(self, label: str) -> bool:
        """Whether "(i)", "(v)" or "(x)" continues the open lettered list rather than starting a roman one."""
        if len(label) != 3 or not self.c.lists or self.c.lists[0][0] != "subparagraphs":
            return False
        letters = len(self.c.lists[0][1].findall(q("item")))
        romans = len(self.c.lists[1][1].findall(q("item"))) if len(self.c.lists) > 1 else 0
        return letters + 1 == ord(label[1]) - 96 and romans == 0

    def typed_heading(self, para: Para, nodes: list[Node], *, from_style: bool, next_para: Para | None,
                      label: str = "") -> None:
        if not label:
            label, nodes = split_label(nodes)
        kind, _ = kind_of(label) if label else ("", 0)
        if kind in LADDER:
            level = LADDER[kind]
        elif from_style:
            level = para.header
        elif kind == "arabic":
            level = 3
        else:
            level = max(self.heading_level, 1)
            following = ""
            if next_para is not None:
                following = " followed by numbered paragraphs" if split_label(next_para.inlines)[0] else ""
            self.c.warn(para.index, "import-guess",
                        f"a bold line{following} — taken as a heading of level "
                        f"‘{LADDER_LABELS.get(level, str(level))}’; check it")
        self.heading_level = level
        numbered = bool(label) or from_style
        if self.c.doc_type == "provisional-agenda" and kind == "arabic":  # an annotation of an agenda item
            nodes, numbered, level = [{"t": "Str", "c": label}, {"t": "Space"}, *nodes], False, 2
        section = self.c.section(level, nodes, numbered)
        if label and numbered and kind in LADDER and 0 < level <= len(self.w.heading_labels):
            position = 1 + sum(1 for s in section.itersiblings(section.tag, preceding=True)
                               if s.get("numbered") != "no")
            self.check_label(para, label, self.w.heading_labels[level - 1], position)

    def check_label(self, para: Para, typed: str, pattern: str, number: int) -> None:
        """A warning where the label typed in the draft is not the one the source will print
        by the block's place: a cross-reference in the text ("see paragraph 3") may count on it."""
        printed = format_label(pattern, number)
        if typed.strip() != printed:
            self.c.warn(para.index, "import-guess", f"typed “{typed}”, which its place numbers “{printed}”: "
                        "labels are numbered by the pipeline; check the numbering of the draft and any "
                        "reference to it in the text")

    def check_item_label(self, para: Para, typed: str, item: etree._Element) -> None:
        """:meth:`check_label` for an item of subparagraphs, by its degree and place in its list."""
        degree = subparagraph_degree(item.getparent())
        if degree <= len(self.w.item_labels):
            self.check_label(para, typed, self.w.item_labels[degree - 1], 1 + sum(1 for _ in item.itersiblings(
                q("item"), preceding=True)))

    def word_list_item(self, para: Para, numbered_genre: bool) -> None:
        nodes = para.inlines
        if para.list_kind == "bullet":
            self.c.list_item("bullets", para.list_depth, nodes)
            return
        if para.list_depth == 1:
            self.numbered_above = para.list_style not in WORD_LIST_STYLES
        if para.list_depth == 1 and self.numbered_above:
            if self.c.doc_type == "provisional-agenda":
                self.agenda_line(para, str(para.list_number), nodes)
            else:
                self.c.paragraph(nodes)
            return
        # under a list of numbered paragraphs ("1.", "2.") the first lettered level is the first degree
        degree = para.list_depth - 1 if self.numbered_above else para.list_depth
        self.c.list_item("subparagraphs", max(1, degree), nodes)

    @staticmethod
    def looks_like_letter(paras: list[Para]) -> bool:
        """Whether the draft opens with a salutation and is signed, as a letter is, whatever its title."""
        texts = [plain(p.inlines) for p in paras if not p.is_table]
        return any(_SALUTATION.fullmatch(t) for t in texts) and any(_SIGNED.match(t) for t in texts)

    def letter_part(self, para: Para, text: str) -> bool:
        if self.c.doc_type != "letter":
            return False
        if _SALUTATION.fullmatch(text):
            self.c.block(self.c.inline("salutation", para.inlines))
            return True
        if re.match(r"^(Please accept|Accept, Excellency|I avail myself)", text):
            self.c.block(self.c.inline("closing", para.inlines))
            return True
        signed = _SIGNED.match(text)
        container = self.c.container
        last = container[-1] if len(container) else None
        if signed:
            signature = self.c.block(etree.Element(q("signature")))
            self.c.inline("name", [n for n in para.inlines if not (n["t"] == "Emph" and plain(n["c"]) == "(Signed)")]
                          if para.inlines and para.inlines[0]["t"] == "Emph" else
                          [{"t": "Str", "c": text[signed.end():]}], signature)
            return True
        if last is not None and last.tag == q("signature"):
            self.c.inline("function", para.inlines, last)
            return True
        return False

    def agenda_line(self, para: Para, number: str, nodes: list[Node]) -> None:
        container = self.c.container
        last = container[-1] if len(container) else None
        agenda = last if last is not None and last.tag == q("agenda-list") else \
            self.c.block(etree.Element(q("agenda-list")))
        wording = plain([n for n in nodes if n["t"] != "Note"])
        entry = etree.SubElement(agenda, q("agenda-entry"), ref=number)
        registered = self.register.agenda.get(number) if self.register else None
        if registered is None or normal(registered) != normal(wording):
            self.c.inline("wording", [n for n in nodes if n["t"] != "Note"], entry)
            elsewhere = [n for n, text in (self.register.agenda.items() if self.register else ())
                         if normal(text) == normal(wording)]
            also = f" (it is worded as item {elsewhere[0]})" if elsewhere else ""
            self.c.warn(para.index, "import-guess", f"agenda item {number} is not worded as item {number} of the "
                        f"register{also} — its wording is kept as typed; check it")
        notes = [n for n in nodes if n["t"] == "Note"]
        if notes:
            self.c.builder().append(entry, notes)

    # ------------------------------------------------------------ tables

    def is_programme(self, para: Para) -> bool:
        """A table with day rows ("Monday, 24 July") and time rows ("10 a.m.–1 p.m.")."""
        firsts = [plain(row[0].paras[0].inlines) if row and row[0].paras else "" for row in para.rows]
        return any(DAY_ROW.match(t) for t in firsts) and any(TIME_ROW.match(t) for t in firsts)

    def typed_table(self, para: Para, notes: list[Para]) -> None:
        bold_head = bool(para.rows) and all(
            all(is_bold(p.inlines) for p in cell.paras) for cell in para.rows[0])
        if bold_head:
            para.head = 1
            for cell in para.rows[0]:
                for p in cell.paras:
                    p.inlines = unbold(p.inlines)
        for row in para.rows[:para.head]:
            for cell in row:
                for p in cell.paras:
                    p.style = "UN Table Head"
        note_paras = []
        for note in notes:
            note_paras.append(Para(note.index, "UN Table Note", note.inlines))
        self.table(para, note_paras)

    def programme(self, para: Para) -> None:
        """Days, meetings and entries of a typed programme table, recognised by their words."""
        for row in para.rows:
            first = row[0].paras[0] if row and row[0].paras else None
            if first is None:
                continue
            text = plain(first.inlines)
            if DAY_ROW.match(text):
                first.style = "UN Table Day"
            elif TIME_ROW.match(text):
                first.style = "UN Table Time"
                if len(row) > 1:
                    for entry in row[1].paras:
                        entry.style = self.entry_style(entry)
        para.head = 1 if para.rows and not DAY_ROW.match(
            plain(para.rows[0][0].paras[0].inlines) if para.rows[0] and para.rows[0][0].paras else "") else 0
        kept, left = para.rows[:para.head], []
        for row in para.rows[para.head:]:
            first = row[0].paras[0] if row and row[0].paras else None
            if first is not None and first.style in ("UN Table Day", "UN Table Time"):
                kept.append(row)
            else:
                left += [p for cell in row for p in cell.paras if plain(p.inlines)]
        para.rows = kept
        super().programme(para)
        for leftover in left:  # an annex with a programme holds nothing else: the body takes them
            self.c.body.append(self.c.inline("p", leftover.inlines))
            self.c.body[-1].set("numbered", "no")
            self.c.warn(leftover.index, "import-unmapped", f"a row of the programme table that is neither a day "
                        f"nor a meeting (“{plain(leftover.inlines)[:40]}”) — kept as a paragraph at the end of "
                        "the body; move it where it belongs")

    def entry_style(self, entry: Para) -> str:
        label = split_label(entry.inlines)[0]
        kind = kind_of(label)[0] if label else ""
        if entry.list_kind == "bullet" or kind == "bullet":
            if kind != "bullet":
                entry.inlines = [{"t": "Str", "c": "–"}, {"t": "Space"}, *entry.inlines]
            return "UN Table Bullet"
        if kind == "paren-letter":
            return "UN Table Sub-item"
        text = plain(entry.inlines)
        if re.match(r"^Agenda item \S+:", text) and not is_bold(entry.inlines):
            words, continued = strip_suffix(entry.inlines, re.escape(f"({self.w.continued})"))
            entry.inlines = [{"t": "Strong", "c": words}]
            if continued:
                entry.inlines += [{"t": "Space"}, {"t": "Str", "c": continued.group(0)}]
        return "UN Table Entry"

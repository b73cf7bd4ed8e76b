"""The project's own DOCX output read back: every paragraph style names what it holds.

The masthead, session block and front lines give the first-page facts; headings, paragraph,
list, letter, correction and agenda styles give the blocks; the programme table gives days,
meetings and entries, matched to the register's agenda items and sub-topics by their wording.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from pipeline.formats.docx import ast as styles
from pipeline.i18n import Wording, place_aliases, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.assemble import infer_continuations
from pipeline.model.numbering import letter_number

from .compose import Composer, parse_date, parse_date_range
from .guess import guess_genre
from .inline import is_footnote_style, pull_notes, q, style_of
from .inline import plain as plain_text
from .labels import split_item_label, split_label, split_language_label
from .read import Node, Para
from .registers import KnownRegister, Library, normal
from .wording import read_day_heading, read_time_range

ENGLISH = wording_for("en")
"""The wording of the source's own names (weekdays)."""

OWN_STYLES = frozenset(v for k, v in vars(styles).items() if k.startswith("STYLE_") and isinstance(v, str))
"""The paragraph styles of the project's reference document."""


def is_own(paras: list[Para]) -> bool:
    """Whether the draft was written by this project's DOCX renderer (its masthead or letterhead styles)."""
    return any(p.style in (styles.STYLE_MASTHEAD_TOP, styles.STYLE_LETTERHEAD) for p in paras)


def plain(nodes: list[Node]) -> str:
    """Text with its spaces collapsed."""
    return re.sub(r"\s+", " ", plain_text(nodes)).strip()


def without_span(nodes: list[Node], style: str) -> tuple[list[Node], str]:
    """``nodes`` without the spans of ``style``, and the text of those spans."""
    kept, taken = [], []
    for node in nodes:
        if node["t"] == "Span" and dict(node["c"][0][2]).get("custom-style") == style:
            taken.append(plain(node["c"][1]))
        else:
            kept.append(node)
    return kept, " ".join(taken)


class OwnReader:
    """Reads the paragraphs of an own DOCX into a :class:`Composer`."""

    def __init__(self, composer: Composer, library: Library, w: Wording):
        self.c = composer
        self.library = library
        self.w = w
        self.register: KnownRegister | None = None

    # ------------------------------------------------------------ first page

    def first_page(self, paras: list[Para], footers: list[str]) -> int:
        """Read masthead, session, front lines and title; the index of the first body paragraph."""
        f, w = self.c.facts, self.w
        m = wording_for(w.masthead_language)  # the right-hand block's wording
        position = 0
        session_seen = False
        for position, para in enumerate(paras):  # noqa: B007
            style, nodes = para.style, para.inlines
            if style == styles.STYLE_MASTHEAD_TOP:
                rest, letter = without_span(nodes, styles.STYLE_ORGAN_LETTER)
                _, symbol = without_span(rest, styles.STYLE_MASTHEAD_SYMBOL)
                f.symbol = (letter + symbol).replace(" ", "")
            elif style == styles.STYLE_MASTHEAD_BLOCK_FIRST:  # "Distr.: General" or "Conference room paper"
                distribution = plain(nodes)
                if distribution == m.conference_room_paper:
                    f.distribution = "limited"
                else:
                    f.distribution = next((k for k, v in m.distributions.items()
                                           if m.distribution_label.format(distribution=v) == distribution),
                                          "general")
            elif style == styles.STYLE_MASTHEAD_BLOCK:  # the date of issue, or the version's language
                f.issued = parse_date(plain(nodes), m) or f.issued
            elif style == styles.STYLE_MASTHEAD_ORGAN:  # the organ, on the line of "Original: English"
                rest, last = without_span(nodes, styles.STYLE_MASTHEAD_DISTRIBUTION)
                organ = plain(rest)
                f.organ = next((k for k, v in w.organs.items() if v == organ), f.organ)
                f.original_language = next(
                    (k for k, v in m.language_names.items()
                     if last in (m.original_label.format(language=v),
                                 m.language_only.format(language=m.only_in_names.get(k, v)))), "en")
            elif style in (styles.STYLE_LETTERHEAD, styles.STYLE_LETTERHEAD_LINE):
                f.letterhead.append(plain(nodes))
            elif style == styles.STYLE_PLACE_DATE:  # a letterhead's "New York, 7 March 2022"
                pattern = re.escape(w.place_dates).replace(r"\{place\}", "(.+)").replace(r"\{dates\}", "(.+)")
                split = re.fullmatch(pattern, plain(nodes))
                if split:
                    f.letterhead_place = split.group(1)
                    f.issued = parse_date(split.group(2), w) or f.issued
            elif style == styles.STYLE_SESSION_BODY:
                session_seen = True
                self.register = self.library.register_named(plain(nodes))
                if self.register is None:
                    self.c.warn(para.index, "import-guess",
                                f"no register of the repository names the body “{plain(nodes)}”; "
                                "the session names none: add it")
            elif style == styles.STYLE_SESSION_LINE:
                self.session_line(plain(nodes))
            elif style in (styles.STYLE_SESSION_PLACE, styles.STYLE_SESSION_PLACE_SHORT):
                text = plain(nodes)
                pattern = re.escape(w.place_dates).replace(r"\{place\}", "(.+)").replace(r"\{dates\}", "(.+)")
                split = re.fullmatch(pattern, text)
                place, dates = (split.group(1), split.group(2)) if split else ("", text)
                f.place = place
                found = parse_date_range(dates, w)
                if found:
                    f.start, f.end = found
            elif style in (styles.STYLE_FRONT_LINE, styles.STYLE_FRONT_LINE_LAST):
                reissued = re.fullmatch(re.escape(w.reissued).replace(r"\{date\}", "(.+)"), plain(nodes))
                if reissued:
                    f.reissued = parse_date(reissued.group(1), w)
                elif not session_seen and not f.ga_session:
                    f.ga_session = nodes
                else:
                    f.agenda_lines.append(nodes)
            elif style == styles.STYLE_TITLE:
                f.title = nodes
            elif style == styles.STYLE_SUBTITLE:
                f.subtitle = nodes
            elif style == styles.STYLE_GENRE_LABEL:
                pass
            else:
                break
        else:
            position = len(paras)
        for text in footers:
            job = re.search(r"\b(\d{2}-\d{5})\b", text)
            if job:
                f.job_number = job.group(1)
                break
        if not session_seen:
            self.session_from_library(paras[0].index if paras else 1)
        return position

    def session_line(self, text: str) -> None:
        f, w = self.c.facts, self.w
        for number in range(1, 100):
            for kind, word in w.session_kinds.items():
                if w.session_line.format(ordinal=fmt.ordinal(number, w), kind=word) == text:
                    f.ordinal, f.kind = number, kind
                    return

    def session_from_library(self, index: int) -> None:
        f = self.c.facts
        letter = bool(f.letterhead)  # written before the session it is about
        found = (self.library.session_after if letter else self.library.session_before)(f.issued) \
            if f.issued else None
        if found is None:
            self.c.warn(index, "import-guess", "the first page names no session and the repository has no "
                        "earlier one: fill in <session>")
            return
        f.ordinal, f.kind, f.start, f.end = found.ordinal, found.kind, found.start, found.end
        venue = place_aliases().get(found.place, found.place)  # as this version names the venue
        f.place = self.w.places.get(venue, found.place)
        self.register = next((r.worded_in(self.w.code) for r in self.library.registers if r.path == found.register),
                             None)
        self.c.warn(index, "import-guess",
                    f"the first page of a {'letter on letterhead' if letter else 'General Assembly report'} "
                    f"names no session: taken as the {'first one after' if letter else 'last one before'} "
                    f"its date, the {ENGLISH.ordinals.get(f.ordinal, str(f.ordinal)).lower()} {f.kind} "
                    f"session ({f.start}–{f.end}); check it")

    # ------------------------------------------------------------ blocks

    def blocks(self, paras: list[Para]) -> None:
        position = 0
        while position < len(paras):
            para = paras[position]
            position += 1
            style, nodes = para.style, para.inlines
            if para.is_table:
                notes = []
                while position < len(paras) and paras[position].style in (
                        styles.STYLE_TABLE_NOTE, styles.STYLE_TABLE_NOTE_LAST):
                    notes.append(paras[position])
                    position += 1
                self.table(para, notes)
            elif para.header:
                self.heading(para.header - 1, nodes)
            elif style == styles.STYLE_PARAGRAPH:
                self.c.paragraph(self.without_label(nodes))
            elif style == styles.STYLE_PARAGRAPH_UNNUMBERED:
                self.c.paragraph(nodes, numbered=None if not self.numbered else False)
            elif style in (styles.STYLE_SUBPARAGRAPH, styles.STYLE_BULLET):
                kind = "bullets" if style == styles.STYLE_BULLET else "subparagraphs"
                depth = para.list_depth or 1
                labelled = split_item_label(nodes, self.w.code) if kind == "subparagraphs" and \
                    not para.list_depth else None
                if labelled is not None:  # labels Word numbering cannot write ("(أ)"), written as text
                    depth, nodes = labelled
                self.c.list_item(kind, depth, nodes)
            elif style == styles.STYLE_QUOTE:
                container = self.c.container
                last = container[-1] if len(container) else None
                quote = last if last is not None and last.tag == q("quote") and not self.c.lists else \
                    self.c.block(etree.Element(q("quote")))
                self.c.inline("p", nodes, quote)
            elif style in styles.STYLE_LETTER_PARTS.values():
                role = next(k for k, v in styles.STYLE_LETTER_PARTS.items() if v == style)
                self.c.block(self.c.inline(role, nodes))
            elif style == styles.STYLE_SIGNATURE:
                signature = self.c.block(etree.Element(q("signature")))
                if nodes and nodes[0]["t"] == "Emph" and plain(nodes[0]["c"]) == self.w.signed:
                    nodes = nodes[1:]
                else:
                    signature.set("signed", "no")
                self.c.inline("name", nodes, signature)
            elif style == styles.STYLE_SIGNATURE_FUNCTION and self.last("signature") is not None:
                self.c.inline("function", nodes, self.last("signature"))
            elif style == styles.STYLE_CONTENTS_HEADING:
                self.c.block(etree.Element(q("contents")))
            elif style in (styles.STYLE_CONTENTS_PAGE, styles.STYLE_CONTENTS_ENTRY, styles.STYLE_CONTENTS_SUBENTRY):
                pass  # made again from the headings
            elif style == styles.STYLE_CORRECTION_PLACE:
                correction = self.c.block(etree.Element(q("correction")))
                self.c.inline("where", nodes, correction)
            elif style == styles.STYLE_CORRECTION and self.open_correction() is not None:
                self.correction(para, self.open_correction())
            elif style == styles.STYLE_AGENDA_ITEM:
                self.agenda_entry(para)
            elif style == styles.STYLE_ANNEX_HEADING:
                self.c.annex()
            elif style == styles.STYLE_ANNEX_LANGUAGE and self.c.annexes:
                line = plain(nodes)
                code = next((k for k, v in self.w.only_in_names.items()
                             if self.w.only_in.format(language=v) == line), "")
                if code:
                    self.c.annexes[-1].set("original-language", code)
            elif style == styles.STYLE_ANNEX_TITLE and self.c.annexes and \
                    self.c.annexes[-1].find(q("title")) is None and not len(self.c.annexes[-1]):
                self.c.inline("title", nodes, self.c.annexes[-1])
            elif style == styles.STYLE_TABLE_NOTE_LAST and not nodes:
                pass
            else:
                self.c.paragraph(nodes)
                self.c.warn(para.index, "import-unmapped",
                            f"a paragraph in the style “{style or 'Normal'}” — kept as a plain paragraph; check it")

    def genre(self, paras: list[Para]) -> str:
        """The genre of the document: by its symbol, then its title and its blocks."""
        if self.c.facts.letterhead:
            return "letterhead-letter"
        programme = any(p.is_table and p.rows and [plain(c.paras[0].inlines) for c in p.rows[0] if c.paras]
                        == list(self.w.column_heads) for p in paras)
        agenda = any(p.style == styles.STYLE_AGENDA_ITEM for p in paras)
        guessed = guess_genre(self.c.facts.symbol, plain(self.c.facts.title), programme, agenda)
        if guessed == "report" and any(p.style == styles.STYLE_SIGNATURE for p in paras):
            return "letter"  # a title in another language than English does not say "Letter dated"
        return guessed

    @property
    def numbered(self) -> bool:
        from pipeline.genres import genre

        return genre(self.c.doc_type).numbered_paragraphs

    def heading(self, level: int, nodes: list[Node]) -> None:
        nodes = [n for n in nodes if not (n["t"] == "Span" and not n["c"][1])]
        if len(nodes) == 1 and nodes[0]["t"] == "Span":  # the bookmark around the heading
            nodes = nodes[0]["c"][1]
        if level == 0:
            breaks = [i for i, n in enumerate(nodes) if n["t"] == "LineBreak"]
            numbered = bool(breaks)
            self.c.section(0, nodes[breaks[0] + 1:] if breaks else nodes, numbered)
            return
        numbered = bool(nodes) and nodes[0]["t"] == "Str"
        if numbered:
            nodes = self.without_label(nodes)
        self.c.section(level, nodes, numbered)

    def last(self, tag: str) -> etree._Element | None:
        """The last block of the current container when it is a ``tag``, else None."""
        container = self.c.container
        return container[-1] if len(container) and container[-1].tag == q(tag) else None

    def open_correction(self) -> etree._Element | None:
        """The correction whose place was just read and whose "For … read …" is not, else None."""
        found = self.last("correction")
        return found if found is not None and found.find(q("for")) is None else None

    def correction(self, para: Para, correction: etree._Element) -> None:
        nodes = para.inlines
        marks = [i for i, n in enumerate(nodes) if n["t"] == "Emph"]
        if len(marks) < 2:
            self.c.paragraph(nodes)
            self.c.warn(para.index, "import-unmapped", "a correction without its italic “For” and “read” — kept "
                        "as a plain paragraph; write it as <for> and <read>")
            return
        self.c.inline("for", nodes[marks[0] + 1:marks[1]], correction)
        self.c.inline("read", nodes[marks[1] + 1:], correction)

    def agenda_entry(self, para: Para) -> None:
        container = self.c.container
        last = container[-1] if len(container) else None
        agenda = last if last is not None and last.tag == q("agenda-list") else \
            self.c.block(etree.Element(q("agenda-list")))
        label, nodes = split_label(para.inlines)
        number = label.rstrip(".")
        own = None if label else split_language_label(para.inlines, self.w.code)
        if own is not None:  # "1 -"
            number, nodes = str(own[1]), own[2]
        wording, notes = pull_notes(nodes)
        wording = [n for n in wording if not is_footnote_style(style_of(n))]
        entry = etree.SubElement(agenda, q("agenda-entry"), ref=number)
        registered = self.register.agenda.get(number) if self.register else None
        if registered is None or normal(registered) != normal(plain(wording)):
            self.c.inline("wording", wording, entry)
        if notes:
            self.c.builder().append(entry, notes)

    # ------------------------------------------------------------ tables

    def table(self, para: Para, notes: list[Para]) -> None:
        heads = [plain(p.inlines) for cell in (para.rows[0] if para.rows else []) for p in cell.paras]
        if tuple(heads) == tuple(self.w.column_heads):
            self.programme(para)
            return
        letters: dict[str, str] = {}
        for note in notes:
            if note.inlines and note.inlines[0]["t"] == "Superscript":
                letter = plain(note.inlines[0]["c"])
                letters[letter] = f"table-{len(self.c.body.findall('.//' + q('table'))) + 1}-note-{letter}"
        table = self.c.block(etree.Element(q("table")))
        for annex in self.c.annexes:  # ids unique in the document
            if table in annex.iter(q("table")):
                for letter in letters:
                    letters[letter] = f"annex-{self.c.annexes.index(annex) + 1}-" + letters[letter]
        if para.caption:
            self.c.inline("caption", para.caption, table)
        total = sum(para.widths)
        shares = [round(100 * width / total) for width in para.widths] if total else []
        if shares and len(set(shares)) > 1:
            for share in shares:
                etree.SubElement(table, q("col"), width=str(share))
        groups = (("thead", para.rows[:para.head]), ("tbody", para.rows[para.head:]))
        for tag, rows in groups:
            if not rows:
                continue
            group = etree.SubElement(table, q(tag))
            for row in rows:
                tr = etree.SubElement(group, q("tr"))
                for cell in row:
                    header = any(p.style == styles.STYLE_TABLE_HEAD for p in cell.paras)
                    nodes = [n for i, p in enumerate(cell.paras)
                             for n in ([{"t": "LineBreak"}] if i else []) + p.inlines]
                    element = self.c.inline("th" if header else "td", nodes, tr, table_notes=letters)
                    if cell.colspan > 1:
                        element.set("colspan", str(cell.colspan))
        if letters:
            group = etree.SubElement(table, q("table-notes"))
            for note, (letter, note_id) in zip(notes, letters.items(), strict=False):
                element = self.c.inline("table-note", note.inlines[1:], group)
                element.set("id", note_id)
                del letter

    def programme(self, para: Para) -> None:
        programme = self.c.block(etree.Element(q("programme")))
        day: etree._Element | None = None
        for row in para.rows[para.head:]:
            first = row[0].paras[0] if row and row[0].paras else None
            if first is None:
                continue
            if first.style == styles.STYLE_TABLE_DAY:
                date = self.day_date(plain(first.inlines))
                day = etree.SubElement(programme, q("day"), date=date.isoformat() if date else "",
                                       weekday=ENGLISH.weekdays[date.weekday()].lower() if date else "")
            elif first.style == styles.STYLE_TABLE_TIME and day is not None and len(row) > 1:
                start, end = times_of(plain(first.inlines)) if self.w.code == "en" else \
                    read_time_range(plain(first.inlines), self.w)
                slot = etree.SubElement(day, q("slot"), start=start, end=end)
                for entry in row[1].paras:
                    self.entry(slot, entry)
        explicit = infer_continuations(programme)
        for element, continuation in explicit.items():
            printed = element.attrib.pop("_printed", "no") == "yes"
            if printed != continuation.shown:
                element.set("continued", "yes" if printed else "no")
                element.set("continued-reason", "As printed in the imported document.")
        for open_list in programme.iter(q("list")):
            open_list.attrib.pop("_open", None)

    def day_date(self, text: str) -> Any:
        f = self.c.facts
        if self.w.code != "en":
            return read_day_heading(text, self.w, list(dict.fromkeys(d.year for d in (f.start, f.end, f.issued) if d)))
        _, _, rest = text.partition(", ")
        years = [d.year for d in (f.start, f.end, f.issued) if d]
        for year in dict.fromkeys(years):
            date = parse_date(f"{rest} {year}", self.w)
            if date and (not f.start or not f.end or f.start <= date <= f.end):
                return date
        return parse_date(f"{rest} {years[0]}", self.w) if years else None

    def entry(self, slot: etree._Element, para: Para) -> None:
        nodes = list(para.inlines)
        nodes, found = strip_suffix(nodes, re.escape(f"({self.w.continued})"))
        continued = found is not None
        minutes_pattern = re.escape(self.w.minutes).replace(r"\{minutes\}", r"(\d+)")
        nodes, found = strip_suffix(nodes, minutes_pattern)
        minutes = found.group(1) if found else None
        body, notes = pull_notes(nodes)
        notes += [n for n in body if n["t"] == "Superscript"]  # a later call of a note
        body = [n for n in body if n["t"] != "Superscript" and not is_footnote_style(style_of(n))]
        bullet = para.style in (styles.STYLE_TABLE_BULLET, styles.STYLE_TABLE_BULLET_LAST)
        if bullet:
            body = _after_characters(body, len(self.w.bullet)) if plain(body).startswith(self.w.bullet) else \
                split_label(body)[1]
            last = slot[-1] if len(slot) else None
            parent = last if last is not None and last.tag == q("list") and last.get("_open") else \
                etree.SubElement(slot, q("list"), _open="yes")
        else:
            for open_list in slot.iter(q("list")):
                open_list.attrib.pop("_open", None)
            parent = slot
        element = self.classify(parent, body, para.style, bullet)
        if para.style == styles.STYLE_TABLE_BULLET_LAST:  # the list's last item: a next dash starts another list
            parent.attrib.pop("_open", None)
        if notes:
            self.c.builder().append(element, notes)
        if minutes:
            element.set("minutes", minutes)
        element.set("_printed", "yes" if continued else "no")

    def classify(self, parent: etree._Element, body: list[Node], style: str, bullet: bool) -> etree._Element:
        """An agenda item, a sub-topic, a segment or a line, by its label and the register's wording."""
        text = plain(body)
        register = self.register
        label = re.sub(r"\s+", " ", self.w.agenda_item)
        agenda = re.match(re.escape(label).replace(r"\{number\}", r"(\S+?)").replace(r"\ ", r"\s*"), text)
        if body and body[0]["t"] == "Strong" and agenda:
            number = agenda.group(1)
            element = etree.SubElement(parent, q("agenda-item"), ref=number)
            wording = text[agenda.end():]
            registered = register.agenda.get(number) if register else None
            if registered is None or normal(registered) != normal(wording):
                inner = body[0]["c"]
                self.c.inline("wording", _after_characters(inner, agenda.end()), element)
            return element
        if style == styles.STYLE_TABLE_SUB_ITEM:
            return self.topic(parent, *self.sub_item(body))
        if bullet and register:
            for letter, wording in register.topics.items():
                if normal(wording) == normal(text):
                    return etree.SubElement(parent, q("topic"), ref=letter)
        if body and body[0]["t"] == "Strong" and len(body) == 1:
            return self.c.inline("segment", body[0]["c"], parent)
        return self.c.inline("line", body, parent)

    def sub_item(self, body: list[Node]) -> tuple[str, list[Node]]:
        """The letter of a lettered sub-item ("(a)", "a)", "（a）" as the catalogue labels it) and its wording."""
        label = re.escape(self.w.sub_item_label).replace(r"\{letter\}", "([a-z])")
        for count in range(1, min(len(body), 3) + 1):
            found = re.fullmatch(label, plain(body[:count]))
            if found:
                rest = body[count:]
                while rest and rest[0]["t"] in ("Space", "SoftBreak"):
                    rest = rest[1:]
                return found.group(1), rest
        own = split_language_label(body, self.w.code)
        if own is not None and not own[0].isascii():  # "(د)": the register's fourth letter
            return letter_number(own[1]), own[2]
        label_text, rest = split_label(body)
        return label_text.strip("()"), rest

    def without_label(self, nodes: list[Node]) -> list[Node]:
        """``nodes`` after the label they start with: "1.", "IV." or the language's own ("أولا -", "1 -")."""
        label, rest = split_label(nodes)
        if label:
            return rest
        own = split_language_label(nodes, self.w.code)
        return own[2] if own is not None else nodes

    def topic(self, parent: etree._Element, letter: str, nodes: list[Node]) -> etree._Element:
        element = etree.SubElement(parent, q("topic"), ref=letter)
        registered = self.register.topics.get(letter) if self.register else None
        if registered is None or normal(registered) != normal(plain(nodes)):
            self.c.inline("wording", nodes, element)
        return element


def strip_suffix(nodes: list[Node], pattern: str) -> tuple[list[Node], re.Match[str] | None]:
    """``nodes`` without trailing words that match ``pattern`` (and the space before them), and the match."""
    for count in range(1, min(len(nodes), 6) + 1):
        tail = nodes[-count:]
        if tail[0]["t"] not in ("Str", "Emph"):
            continue
        found = re.fullmatch(pattern, plain_text(tail).strip())
        if found:
            rest = nodes[:-count]
            while rest and rest[-1]["t"] in ("Space", "SoftBreak"):
                rest = rest[:-1]
            return rest, found
    return nodes, None


def _after_characters(nodes: list[Node], count: int) -> list[Node]:
    """``nodes`` after the first ``count`` characters of their text (spaces collapsed, as :func:`plain`
    reads them), without the spaces that follow."""
    rest = list(nodes)
    while rest and count > 0:
        node = rest[0]
        if node["t"] == "Str":
            text = node["c"].lstrip() if not count else node["c"]
            if len(text) > count:
                rest[0] = {"t": "Str", "c": text[count:]}
                count = 0
                break
            count -= len(text)
        elif node["t"] in ("Space", "SoftBreak"):
            count -= 1
        else:
            break
        rest = rest[1:]
    while rest and rest[0]["t"] in ("Space", "SoftBreak"):
        rest = rest[1:]
    if rest and rest[0]["t"] == "Str" and not rest[0]["c"].strip():
        rest = rest[1:]
    return rest


def times_of(text: str) -> tuple[str, str]:
    """"10 a.m.–1 p.m." as ("10:00", "13:00"); "3–6 p.m." as ("15:00", "18:00"); ("", "") when unreadable."""
    text = text.replace("noon", "12 p.m.").replace("midnight", "12 a.m.").replace(" ", " ")
    found = re.fullmatch(r"\s*(\d{1,2})(?:[.:](\d{2}))?\s*(a\.m\.|p\.m\.)?\s*[–-]\s*(\d{1,2})(?:[.:](\d{2}))?\s*"
                         r"(a\.m\.|p\.m\.)?\s*", text)
    if not found:
        return "", ""
    h1, m1, mer1, h2, m2, mer2 = found.groups()
    mer1 = mer1 or mer2

    def clock(hour: str, minute: str | None, meridiem: str | None) -> str:
        value = int(hour) % 12 + (12 if meridiem == "p.m." else 0)
        if meridiem is None:
            value = int(hour)
        return f"{value:02d}:{minute or '00'}"

    return clock(h1, m1, mer1), clock(h2, m2, mer2)

"""Dates, times and fixed phrases, formatted from a language's wording table.

English follows the UN Editorial Manual: "4 March 2023", "Monday, 6 March",
"6–10 March 2023" (en dash, month and year once), "10 a.m.–1 p.m.", "3–6 p.m.".
"""

from __future__ import annotations

import datetime as dt

from pipeline.genres import genre
from pipeline.i18n import Wording
from pipeline.model.numbering import letter_number, roman
from pipeline.model.tree import ContentsEntry, Document, Session

EN_DASH = "–"


def full_date(date: dt.date, w: Wording) -> str:
    """"4 March 2023"."""
    return f"{date.day} {w.months[date.month - 1]} {date.year}"


def day_heading(date: dt.date, w: Wording) -> str:
    """"Monday, 6 March": the day row of a programme."""
    return f"{w.weekdays[date.weekday()]}, {date.day} {w.months[date.month - 1]}"


def date_range(start: dt.date, end: dt.date, w: Wording) -> str:
    """"6–10 March 2023", "28 March–1 April 2022", "29 December 2022–2 January 2023"."""
    if start == end:
        return full_date(start, w)
    if start.year != end.year:
        return f"{full_date(start, w)}{EN_DASH}{full_date(end, w)}"
    if start.month != end.month:
        return (f"{start.day} {w.months[start.month - 1]}{EN_DASH}"
                f"{end.day} {w.months[end.month - 1]} {end.year}")
    return f"{start.day}{EN_DASH}{end.day} {w.months[end.month - 1]} {end.year}"


def _clock(t: dt.time) -> tuple[str, str]:
    """("10", "a.m."), ("1.30", "p.m."), ("noon", "") for 12:00."""
    if t.hour == 12 and t.minute == 0:
        return "noon", ""
    if t.hour == 0 and t.minute == 0:
        return "midnight", ""
    hour = t.hour % 12 or 12
    digits = f"{hour}" if t.minute == 0 else f"{hour}.{t.minute:02d}"
    return digits, "a.m." if t.hour < 12 else "p.m."


def time_range(start: dt.time, end: dt.time, w: Wording) -> str:
    """"10 a.m.–1 p.m.", "3–6 p.m.", "10 a.m.–noon"; the meridiem once when both share it."""
    if w.code != "en":
        raise NotImplementedError(f"time formats for {w.code!r} are not defined yet")
    (s, s_mer), (e, e_mer) = _clock(start), _clock(end)
    if s_mer and s_mer == e_mer:
        return f"{s}{EN_DASH}{e} {e_mer}"
    left = f"{s} {s_mer}".strip()
    right = f"{e} {e_mer}".strip()
    return f"{left}{EN_DASH}{right}"


def job_number_line(document: Document, w: Wording) -> str:
    """"23-04216 (E)": the job number with the language letter."""
    return f"{document.masthead.job_number} ({w.job_letter})"


def job_date_code(date: dt.date) -> str:
    """"040323": the DDMMYY code printed after the job number."""
    return f"{date:%d%m%y}"


def session_line(session: Session, w: Wording) -> str:
    """"Fourth substantive session"."""
    ordinal = w.ordinals.get(session.ordinal, f"{session.ordinal}th")
    return w.session_line.format(ordinal=ordinal, kind=w.session_kinds[session.kind])


def place_and_dates(session: Session, w: Wording) -> str:
    """"New York, 6–10 March 2023"."""
    return w.place_dates.format(place=session.place, dates=date_range(session.start, session.end, w))


def distribution_line(document: Document, w: Wording) -> str:
    """"Distr.: General"."""
    return w.distribution_label.format(distribution=w.distributions[document.masthead.distribution])


def original_line(document: Document, w: Wording) -> str:
    """"Original: English"."""
    return w.original_label.format(language=w.language_names[document.masthead.original_language])


def duration(minutes: int, w: Wording) -> str:
    """"(30 minutes)"."""
    return w.minutes.format(minutes=minutes)


def annex_heading(index: int, count: int, w: Wording) -> str:
    """The heading of annex ``index`` (from 0) of ``count``: "Annex" alone, "Annex I", "Annex II" of several."""
    return w.annex if count == 1 else w.annex_numbered.format(number=roman(index + 1))


def item_label(style: str, degree: int, number: int, w: Wording) -> str:
    """The label of item ``number`` of a list: "(a)", "(i)", "a.", "i." by degree, or the bullet."""
    if style == "bullets":
        return w.bullet
    pattern = w.item_labels[(degree - 1) % len(w.item_labels)]
    return pattern.format(letter=letter_number(number), roman=roman(number).lower())


_SECTION_PATTERNS = {1: "{roman}.", 2: "{letter}.", 3: "{number}.", 4: "({lower})", 5: "({lower_roman})",
                     6: "{lower}."}


def section_label(level: int, number: int | None, w: Wording) -> str:
    """The number printed before a heading of the ladder: "Part one", "I.", "A.", "1.", "(a)", "(i)", "a."."""
    if number is None:
        return ""
    if level == 0:
        return w.part_names[number - 1] if number <= len(w.part_names) else f"{w.part_names[0].split()[0]} {number}"
    pattern = _SECTION_PATTERNS[min(level, 6)]
    return pattern.format(roman=roman(number), letter=letter_number(number).upper(), number=number,
                          lower=letter_number(number), lower_roman=roman(number).lower())


def genre_label(document: Document, w: Wording) -> str:
    """The label under the title of a corrigendum, addendum or revision ("Corrigendum"), or ""."""
    key = genre(document.doc_type).label
    return w.genre_labels[key] if key else ""


def contents_label(entry: ContentsEntry, annexes: int, w: Wording) -> str:
    """The number of a contents line: an annex's heading ("Annex II") or a section's label ("A.")."""
    if entry.level < 0:
        return annex_heading((entry.number or 1) - 1, annexes, w)
    return section_label(entry.level, entry.number, w)


def only_in_line(language: str | None, w: Wording) -> str:
    """The line under "Annex" when the annex is in another language ("[English only]"), or ""."""
    return w.only_in.format(language=w.language_names[language]) if language else ""


def reissued_line(date: dt.date, w: Wording) -> str:
    """"Reissued for technical reasons on 4 April 2023."."""
    return w.reissued.format(date=full_date(date, w))

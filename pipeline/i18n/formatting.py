"""Dates, times and fixed phrases, formatted from a language's catalogue.

English follows the UN Editorial Manual: "4 March 2023", "Monday, 6 March",
"6–10 March 2023" (en dash, month and year once), "10 a.m.–1 p.m.", "3–6 p.m.". Other
languages follow their catalogue's patterns ("6-10 mars 2023", "1er mars", "10 heures-13 heures").
"""

from __future__ import annotations

import datetime as dt
import string

from babel import Locale

from pipeline.genres import genre
from pipeline.i18n import Wording, wording_for
from pipeline.model.numbering import format_label, letter_index
from pipeline.model.tree import ContentsEntry, Document, Session

EN_DASH = "–"


def _day(day: int, w: Wording) -> str:
    return w.day_numbers.get(day, str(day))


def _date_fields(date: dt.date, w: Wording, prefix: str = "") -> dict[str, str]:
    weekday = w.weekdays[date.weekday()]
    return {f"{prefix}day": _day(date.day, w), f"{prefix}month": w.months[date.month - 1],
            f"{prefix}month_number": str(date.month), f"{prefix}year": str(date.year),
            f"{prefix}weekday": weekday, f"{prefix}Weekday": weekday[:1].upper() + weekday[1:]}


def full_date(date: dt.date, w: Wording) -> str:
    """"4 March 2023", "1er mars 2023", "4 de marzo de 2023", "2023年3月4日"."""
    return w.dates.full.format(**_date_fields(date, w))


def day_heading(date: dt.date, w: Wording) -> str:
    """"Monday, 6 March": the day row of a programme."""
    return w.dates.day_heading.format(**_date_fields(date, w))


def _range_parts(pattern: str, fields: dict[str, str]) -> tuple[str, str, str]:
    """``pattern`` formatted in three parts: up to its last ``start`` field, the words between
    that and its first ``end`` field, and the rest ("6", "–", "10 March 2023")."""
    tokens: list[tuple[str, str]] = []
    for literal, field, _, _ in string.Formatter().parse(pattern):
        tokens.append(("text", literal))
        if field is not None:
            tokens.append(("field", field))
    last_start = max(i for i, (kind, name) in enumerate(tokens) if kind == "field" and name.startswith("start"))
    first_end = min(i for i, (kind, name) in enumerate(tokens) if kind == "field" and name.startswith("end"))

    def text(part: list[tuple[str, str]]) -> str:
        return "".join(value if kind == "text" else fields[value] for kind, value in part)

    return text(tokens[:last_start + 1]), text(tokens[last_start + 1:first_end]), text(tokens[first_end:])


def date_range_parts(start: dt.date, end: dt.date, w: Wording) -> tuple[str, str, str]:
    """A range of two different days in three parts: ("6", "–", "10 March 2023"),
    ("6", " a ", "10 de marzo de 2023")."""
    fields = {**_date_fields(start, w, "start_"), **_date_fields(end, w, "end_")}
    if start.year != end.year:
        return _range_parts(w.dates.range_other_years, fields)
    fields["year"] = str(end.year)
    if start.month != end.month:
        return _range_parts(w.dates.range_same_year, fields)
    fields["month"], fields["month_number"] = w.months[end.month - 1], str(end.month)
    return _range_parts(w.dates.range_same_month, fields)


def date_range(start: dt.date, end: dt.date, w: Wording) -> str:
    """"6–10 March 2023", "28 March–1 April 2022", "29 December 2022–2 January 2023"."""
    return full_date(start, w) if start == end else "".join(date_range_parts(start, end, w))


def _clock(t: dt.time, w: Wording) -> tuple[str, str]:
    """("10", "a.m."), ("1.30", "p.m."), ("noon", "") for 12:00, on a 12-hour clock."""
    words = w.times
    if t.hour == 12 and t.minute == 0:
        return words.noon, ""
    if t.hour == 0 and t.minute == 0:
        return words.midnight, ""
    hour = t.hour % 12 or 12
    digits = (words.hour if t.minute == 0 else words.hour_minutes).format(
        hour=hour, hour2=f"{hour:02d}", minute=f"{t.minute:02d}")
    return digits, words.am if t.hour < 12 else words.pm


def clock_time(t: dt.time, w: Wording) -> str:
    """One time of day: "10 a.m.", "noon", "10 heures", "10.00", "00/10"."""
    if w.times.clock == 12:
        digits, meridiem = _clock(t, w)
        return f"{digits} {meridiem}".strip()
    pattern = w.times.hour if t.minute == 0 else w.times.hour_minutes
    return pattern.format(hour=t.hour, hour2=f"{t.hour:02d}", minute=f"{t.minute:02d}")


def time_range_parts(start: dt.time, end: dt.time, w: Wording) -> tuple[str, str, str]:
    """A time range in three parts: ("10 a.m.", "–", "1 p.m."), ("3", "–", "6 p.m."),
    ("10.00", " a ", "13.00 horas")."""
    if w.times.clock == 12:
        (s, s_mer), (e, e_mer) = _clock(start, w), _clock(end, w)
        if s_mer and s_mer == e_mer:
            return _range_parts(w.times.range, {"start": s, "end": f"{e} {e_mer}"})
    return _range_parts(w.times.range, {"start": clock_time(start, w), "end": clock_time(end, w)})


def time_range(start: dt.time, end: dt.time, w: Wording) -> str:
    """"10 a.m.–1 p.m.", "3–6 p.m.", "10 a.m.–noon" (the meridiem once when both share it),
    "10 heures-13 heures", "10.00 a 13.00 horas"."""
    return "".join(time_range_parts(start, end, w))


def ordinal(number: int, w: Wording) -> str:
    """A session's ordinal: a word from the catalogue ("Fourth"), beyond it a numeral with the
    suffix of its CLDR ordinal category ("21st", "22nd", "21e")."""
    if number in w.ordinals:
        return w.ordinals[number]
    category = Locale.parse(w.babel_locale).ordinal_form(number)
    pattern = w.ordinal_numbers.get(category, w.ordinal_numbers["other"])
    return pattern.format(n=number)


def job_number_line(document: Document, w: Wording) -> str:
    """"23-04216 (E)": the job number with the language letter."""
    return f"{document.masthead.job_number} ({w.job_letter})"


def job_date_code(date: dt.date) -> str:
    """"040323": the DDMMYY code printed after the job number."""
    return f"{date:%d%m%y}"


def session_line(session: Session, w: Wording) -> str:
    """"Fourth substantive session"."""
    return w.session_line.format(ordinal=ordinal(session.ordinal, w), kind=w.session_kinds[session.kind])


def place_and_dates(session: Session, w: Wording) -> str:
    """"New York, 6–10 March 2023"."""
    return w.place_dates.format(place=session.place, dates=date_range(session.start, session.end, w))


def distribution_line(document: Document, w: Wording) -> str:
    """"Distr.: General", "Distr. générale"; in the language of the version's masthead block."""
    w = wording_for(w.masthead_language)
    return w.distribution_label.format(distribution=w.distributions[document.masthead.distribution])


def original_line(document: Document, w: Wording) -> str:
    """"Original: English", "Original : anglais"; in the language of the version's masthead block."""
    w = wording_for(w.masthead_language)
    return w.original_label.format(language=w.language_names[document.masthead.original_language])


def duration(minutes: int, w: Wording) -> str:
    """"(30 minutes)"."""
    return w.minutes.format(minutes=minutes)


def annex_heading(index: int, count: int, w: Wording) -> str:
    """The heading of annex ``index`` (from 0) of ``count``: "Annex" alone, "Annex I", "Annex II" of several
    ("المرفق الأول" in Arabic)."""
    return w.annex if count == 1 else format_label(w.annex_numbered, index + 1, w.counters)


def item_label(style: str, degree: int, number: int, w: Wording) -> str:
    """The label of item ``number`` of a list: "(a)", "(i)", "a.", "i." by degree ("(أ)", "’1‘" in
    Arabic), or the bullet."""
    if style == "bullets":
        return w.bullet
    pattern = w.item_labels[(degree - 1) % len(w.item_labels)]
    return format_label(pattern, number, w.counters)


def sub_topic_label(letter: str, w: Wording) -> str:
    """The label of a register's sub-topic, lettered a, b, c in the register: "(a)", "b)", "(ب)"."""
    return format_label(w.sub_item_label, letter_index(letter), w.counters)


def paragraph_label(number: int | str, w: Wording) -> str:
    """The number of a numbered paragraph or of an agenda item as printed: "1.", "1 -"; an
    agenda item's number as the register writes it ("10", "5 bis")."""
    if isinstance(number, str) and not number.isdigit():
        return w.paragraph_label.format(number=number)
    return format_label(w.paragraph_label, int(number), w.counters)


def section_label(level: int, number: int | None, w: Wording) -> str:
    """The number printed before a heading of the ladder: "Part one", "I.", "A.", "1.", "(a)", "(i)", "a."
    ("أولا -", "ألف -" in Arabic)."""
    if number is None:
        return ""
    if level == 0:
        return w.part_names[number - 1] if number <= len(w.part_names) else f"{w.part_names[0].split()[0]} {number}"
    pattern = w.heading_labels[min(level, len(w.heading_labels)) - 1]
    return format_label(pattern, number, w.counters)


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
    return w.only_in.format(language=w.only_in_names[language]) if language else ""


def reissued_line(date: dt.date, w: Wording) -> str:
    """"Reissued for technical reasons on 4 April 2023."."""
    return w.reissued.format(date=full_date(date, w))

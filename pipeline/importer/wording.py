"""A version's fixed wording read back: its language, and its dates, days and times.

The wording a renderer prints comes from a language's catalogue (:mod:`pipeline.i18n`); it is
read back by printing every candidate in that catalogue's patterns and looking for the text,
so that every language reads the way it writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from pipeline.i18n import Wording, languages, wording_for
from pipeline.i18n import formatting as fmt

LONGEST_SESSION = 62
"""Days a session's range of dates may span."""


def language_of(declared: str, masthead_lines: list[str]) -> str:
    """The language of a version: the one the file declares when it has a catalogue, else the one
    whose language line the masthead prints, else English."""
    if declared in languages():
        return declared
    for code in languages():
        line = wording_for(code).language_line
        if line and line in masthead_lines:
            return code
    return "en"


def years_in(text: str) -> list[int]:
    """The four-digit years in ``text``, in order, once each."""
    return list(dict.fromkeys(int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text)))


@functools.cache
def _dates_of_year(code: str, year: int) -> dict[str, dt.date]:
    w = wording_for(code)
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    return {fmt.full_date(first + dt.timedelta(d), w): first + dt.timedelta(d) for d in range(days)}


def _earliest_longest(text: str, printed: dict[str, dt.date]) -> dt.date | None:
    found = [(text.find(k), -len(k), v) for k, v in printed.items() if k in text]
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def read_date(text: str, w: Wording) -> dt.date | None:
    """The first date in ``text`` as the catalogue ``w`` writes it ("1er mars 2023"); None when none."""
    for year in years_in(text):
        date = _earliest_longest(text, _dates_of_year(w.code, year))
        if date:
            return date
    return None


def read_date_range(text: str, w: Wording) -> tuple[dt.date, dt.date] | None:
    """The range of dates in ``text`` as ``w`` writes it ("6-10 mars 2023"); None when none."""
    best: tuple[int, int, dt.date, dt.date] | None = None
    for year in years_in(text):
        first = dt.date(year - 1, 12, 31)
        for offset in range(400):
            start = first + dt.timedelta(offset)
            if not _may_print(start, text, w):
                continue
            for length in range(LONGEST_SESSION):
                end = start + dt.timedelta(length)
                if not _may_print(end, text, w):
                    continue
                printed = fmt.date_range(start, end, w)
                at = text.find(printed)
                if at >= 0 and (best is None or (at, -len(printed)) < (best[0], best[1])):
                    best = (at, -len(printed), start, end)
    return (best[2], best[3]) if best else None


def _may_print(date: dt.date, text: str, w: Wording) -> bool:
    """Whether ``text`` holds the day's number and the month's name or number (a quick test before
    the date is printed in full)."""
    return str(date.day) in text and (w.months[date.month - 1] in text or str(date.month) in text)


def read_day_heading(text: str, w: Wording, years: list[int]) -> dt.date | None:
    """The date of a programme's day row ("Lundi 6 mars") in one of ``years``; None when none."""
    wanted = re.sub(r"\s+", " ", text).strip()
    for year in years:
        first = dt.date(year, 1, 1)
        for offset in range((dt.date(year + 1, 1, 1) - first).days):
            date = first + dt.timedelta(offset)
            if fmt.day_heading(date, w) == wanted:
                return date
    return None


@functools.cache
def _time_ranges(code: str) -> dict[str, tuple[str, str]]:
    w = wording_for(code)
    quarters = [dt.time(q // 4, 15 * (q % 4)) for q in range(96)]
    return {re.sub(r"\s+", " ", fmt.time_range(a, b, w)): (f"{a:%H:%M}", f"{b:%H:%M}")
            for a in quarters for b in quarters if a < b}


def read_time_range(text: str, w: Wording) -> tuple[str, str]:
    """"10 heures-13 heures" as ("10:00", "13:00"), from ``w``'s patterns; ("", "") when unreadable."""
    return _time_ranges(w.code).get(re.sub(r"\s+", " ", text).strip(), ("", ""))

"""Fixed wording of the layout, one catalogue per language.

Every string a renderer prints that does not come from a source — "Distr.:", "Original:",
"Annex", "(continued)", weekday and month names, column heads — comes from here. The
catalogues are data: ``pipeline/i18n/catalogues/<language>.toml``, one per language, each with
every key of the English one. Month and weekday names come from CLDR through Babel unless a
catalogue lists its own; dates and times are formatted by :mod:`pipeline.i18n.formatting`
from the catalogue's patterns. Renderers never hard-code a language, and adding a language
is adding a catalogue.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from pipeline.resources import catalogues_dir


@dataclass(frozen=True)
class DatePatterns:
    """How a language writes dates. Fields: ``{day}``, ``{month}``, ``{month_number}``, ``{year}``,
    ``{weekday}``, ``{Weekday}``; in ranges the same prefixed ``start_`` and ``end_``
    (``{month}`` and ``{year}`` alone where both ends share them)."""

    full: str
    """"4 March 2023"."""
    day_heading: str
    """The day row of a programme: "Monday, 6 March"."""
    range_same_month: str
    range_same_year: str
    range_other_years: str


@dataclass(frozen=True)
class TimeWords:
    """How a language writes times of day and their ranges.

    ``clock`` 12: "10 a.m.", "1.30 p.m.", ``noon``, the meridiem once when both ends share it.
    ``clock`` 24: ``hour`` for a whole hour, ``hour_minutes`` otherwise (fields ``{hour}``,
    ``{hour2}`` two digits, ``{minute}`` two digits). ``range`` joins ``{start}`` and ``{end}``.
    """

    clock: int
    am: str
    pm: str
    noon: str
    midnight: str
    hour: str
    hour_minutes: str
    range: str


@dataclass(frozen=True)
class Typography:
    """The typography of running text in a language (checked by the rule language-typography)."""

    quotes: tuple[str, str, str, str]
    """Outer opening and closing, inner opening and closing quotation marks."""
    space_before: str
    """Punctuation that takes a no-break space before it (French ``:;!?``)."""
    space_inside_guillemets: bool
    range_marks: tuple[str, ...]
    """The marks that join the ends of a range of numbers ("2021–2025", "2021-2025")."""
    full_width: bool
    """Whether punctuation after a Chinese character is full width (，。：；？！（）)."""


@dataclass(frozen=True)
class Wording:
    """The fixed wording of one language."""

    code: str
    """ISO 639-1 code of the language."""
    iso639_2: str
    """ISO 639-2/B three-letter code (used in Akoma Ntoso identifiers)."""
    babel_locale: str
    """The CLDR locale of month and weekday names and ordinal categories."""
    job_letter: str
    """Letter that follows the job number: "E" for "(E)"."""
    united_nations: str
    organs: dict[str, str]
    places: dict[str, str]
    """The built-in venues as this language names them: {"New York": "Nueva York"}."""
    masthead_language: str
    """The language whose catalogue words the masthead's right-hand block of this version."""
    language_line: str
    """The version's language under the date ("Français"), or "" where none is printed."""
    distribution_label: str
    distributions: dict[str, str]
    original_label: str
    language_names: dict[str, str]
    only_in_names: dict[str, str]
    """A language's name as it stands in ``only_in`` and ``language_only``."""
    annex: str
    """Heading of a document's only annex: "Annex"."""
    annex_numbered: str
    """Heading of one of several annexes: "Annex {Roman}"; a label pattern (see ``item_labels``)."""
    only_in: str
    """Bracketed line under "Annex" when the annex is in another language: "[{language} only]"."""
    continued: str
    """The word put in italics inside parentheses: "continued"."""
    agenda_item: str
    """Label of an agenda item entry: "Agenda item {number}: "."""
    column_heads: tuple[str, str]
    minutes: str
    """Duration: "({minutes} minutes)"."""
    weekdays: tuple[str, ...]
    """Monday first."""
    months: tuple[str, ...]
    """As they stand in a date ("марта", not "март")."""
    ordinals: dict[int, str]
    ordinal_numbers: dict[str, str]
    """Ordinals beyond ``ordinals`` by CLDR ordinal category: {"one": "{n}st", "other": "{n}th"}."""
    session_kinds: dict[str, str]
    session_line: str
    """"{ordinal} {kind} session"."""
    place_dates: str
    """"{place}, {dates}"."""
    dates: DatePatterns
    day_numbers: dict[int, str]
    """Days of the month written otherwise than as digits: French "1er"."""
    times: TimeWords
    typography: Typography
    notes_heading: str
    please_recycle: str
    recycling_description: str
    """Alternative text of the recycling mark beside "Please recycle"."""
    emblem_description: str
    """Alternative text of the configured emblem: "United Nations emblem"."""
    bullet: str
    """The character of a bullet item: an en dash."""
    sub_item_label: str
    """How a lettered sub-item is labelled: "({letter})"."""
    page_title: str
    """Title of a web page: "{symbol}: {title}"."""
    page_description: str
    """Summary of a web page: "{title}. {body}. {session}, {place_dates}."."""
    note_call_label: str
    """Accessible name of a footnote call: "Note {number}"."""
    note_back_label: str
    """Accessible name of the link from a footnote back to its call."""
    item_labels: tuple[str, str, str, str]
    """Labels of subparagraphs by degree: "({letter})", "({roman})", "{letter}.", "{roman}.".

    A label pattern names the number as ``{number}`` (digits), ``{roman}``/``{Roman}``,
    ``{letter}``/``{Letter}`` or by one of the catalogue's ``counters``
    (:func:`pipeline.model.numbering.label_fields`)."""
    paragraph_label: str
    """Label of a numbered paragraph and of an agenda item: "{number}."."""
    heading_labels: tuple[str, ...]
    """Labels of the headings of the ladder by level from 1: "{Roman}.", "{Letter}.", "{number}.", …;
    the last stands for every deeper level."""
    counters: dict[str, tuple[str, ...]]
    """The language's own sequences of labels by name ("letter": "أ", "ب", …), each the values
    for 1, 2, 3, … (digits beyond its end); a ``letter`` counter takes the place of a to z."""
    part_names: tuple[str, ...]
    """"Part one", "Part two", …"""
    contents: str
    """Heading of the contents list."""
    contents_page: str
    """Over the page numbers of the contents list, in print: "Page"."""
    genre_labels: dict[str, str]
    """The label under the title by genre: "Corrigendum", "Addendum", "Revision"."""
    correction_for: str
    """The italic word before the wrong text of a correction: "For"."""
    correction_read: str
    """The italic word before the right text: "read"."""
    signed: str
    """Before the signatory's name: "(Signed)"."""
    conference_room_paper: str
    """The masthead's right block of a conference room paper."""
    language_only: str
    """"{language} only", under a conference room paper's date."""
    reissued: str
    """The first-page note of a reissue: "Reissued for technical reasons on {date}."."""
    table_note_label: str
    """Accessible name of a table note's call: "Note {letter} to the table"."""


OPTIONAL_KEYS = frozenset({"months", "weekdays", "counters"})
"""Keys a catalogue may leave out: the names then come from CLDR; without counters, labels use
digits, roman numerals and the letters a to z."""


def _catalogue_files() -> dict[str, Any]:
    return {path.stem: path for path in sorted(catalogues_dir().glob("*.toml"))}


def read_catalogue(language: str) -> dict[str, Any]:
    """The catalogue of ``language`` as written (TOML tables as dictionaries)."""
    with open(_catalogue_files()[language], "rb") as handle:
        return tomllib.load(handle)


def _wording(data: dict[str, Any]) -> Wording:
    locale = Locale.parse(data["babel_locale"])
    months = data.get("months") or [locale.months["format"]["wide"][m] for m in range(1, 13)]
    weekdays = data.get("weekdays") or [locale.days["format"]["wide"][d] for d in range(7)]
    typography = data["typography"]
    return Wording(**{
        **{k: v for k, v in data.items() if k not in ("months", "weekdays")},
        "column_heads": tuple(data["column_heads"]),
        "item_labels": tuple(data["item_labels"]),
        "heading_labels": tuple(data["heading_labels"]),
        "counters": {name: tuple(values) for name, values in data.get("counters", {}).items()},
        "part_names": tuple(data["part_names"]),
        "months": tuple(months),
        "weekdays": tuple(weekdays),
        "ordinals": {int(k): v for k, v in data["ordinals"].items()},
        "day_numbers": {int(k): v for k, v in data["day_numbers"].items()},
        "dates": DatePatterns(**data["dates"]),
        "times": TimeWords(**data["times"]),
        "typography": Typography(**{**typography, "quotes": tuple(typography["quotes"]),
                                    "range_marks": tuple(typography["range_marks"])}),
    })


@functools.cache
def wording_for(language: str) -> Wording:
    """The catalogue of ``language``; KeyError names the languages that have one."""
    if language not in _catalogue_files():
        raise KeyError(f"no wording catalogue for language {language!r}; available: {', '.join(languages())}")
    return _wording(read_catalogue(language))


@functools.cache
def languages() -> tuple[str, ...]:
    """Language codes that have a catalogue."""
    return tuple(sorted(_catalogue_files()))


@functools.cache
def place_aliases() -> dict[str, str]:
    """Every language's name of a built-in venue -> the venue's own name ("Nueva York" -> "New York")."""
    return {local: venue for code in languages() for venue, local in wording_for(code).places.items()}


@functools.cache
def direction(language: str) -> str:
    """``"rtl"`` for a language written right to left (CLDR's character order), else ``"ltr"``.

    ``language`` is a language tag (``"ar"``, ``"zh-Hans"``); an unknown one reads left to right.
    """
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"

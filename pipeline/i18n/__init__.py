"""Fixed wording of the layout, one table per language.

Every string a renderer prints that does not come from a source — "Distr.:", "Original:",
"Annex", "(continued)", weekday and month names, column heads — comes from here. Dates and
times are formatted by :mod:`pipeline.i18n.formatting` from the same tables. Renderers never
hard-code a language.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.i18n import en


@dataclass(frozen=True)
class Wording:
    """The fixed wording of one language."""

    code: str
    """ISO 639-1 code of the language."""
    iso639_2: str
    """ISO 639-2/B three-letter code (used in Akoma Ntoso identifiers)."""
    job_letter: str
    """Letter that follows the job number: "E" for "(E)"."""
    united_nations: str
    organs: dict[str, str]
    distribution_label: str
    distributions: dict[str, str]
    original_label: str
    language_names: dict[str, str]
    annex: str
    """Heading of a document's only annex: "Annex"."""
    annex_numbered: str
    """Heading of one of several annexes: "Annex {number}", the number in roman numerals."""
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
    months: tuple[str, ...]
    ordinals: dict[int, str]
    session_kinds: dict[str, str]
    session_line: str
    """"{ordinal} {kind} session"."""
    place_dates: str
    """"{place}, {dates}"."""
    notes_heading: str
    please_recycle: str
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
    """Labels of subparagraphs by degree: "({letter})", "({roman})", "{letter}.", "{roman}."."""
    part_names: tuple[str, ...]
    """"Part one", "Part two", …"""
    contents: str
    """Heading of the contents list."""
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


_TABLES = {"en": Wording(**en.TABLE)}


def wording_for(language: str) -> Wording:
    """The table for ``language``; KeyError names the languages that have one."""
    try:
        return _TABLES[language]
    except KeyError:
        raise KeyError(f"no wording table for language {language!r}; available: {', '.join(sorted(_TABLES))}") from None


def languages() -> tuple[str, ...]:
    """Language codes that have a wording table."""
    return tuple(sorted(_TABLES))

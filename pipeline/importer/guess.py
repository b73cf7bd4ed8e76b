"""The genre a document seems to be of, when ``--type`` does not say."""

from __future__ import annotations

import re

from pipeline.genres import GENRES, genre


def guess_genre(symbol: str, title: str, has_programme: bool, has_agenda: bool) -> str:
    """The genre a document seems to be of: by its symbol, then by its title and contents."""
    symbol = symbol.rstrip("*")  # a reissue's mark
    # a pattern of the symbol's end (/Rev.n) before one of its middle (/L.n, which A/…/L.1/Rev.1 also has)
    for name in sorted(GENRES, key=lambda n: not genre(n).symbol_pattern.endswith("+$")):
        pattern = genre(name).symbol_pattern
        if pattern and symbol and re.search(pattern, symbol):
            return name
    lowered = title.lower()
    if has_programme or "programme of work" in lowered:
        return "programme-of-work"
    if has_agenda or lowered.startswith("provisional agenda"):
        return "provisional-agenda"
    if lowered.startswith("note verbale"):
        return "note-verbale"
    if lowered.startswith("letter dated"):
        return "letter"
    if lowered.startswith("note by") or lowered.startswith("note "):
        return "note"
    return "report"

"""Genres of the series, as data: what sets each kind of document apart from the others.

A document's ``type`` names its genre. Renderers read these values (the masthead variant,
whether the first page carries the job number and barcode, the label under the title), never
the genre's name; validation runs each genre's rules. A new genre is a module here, a value
in the schema's ``type`` list, and its rules.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Genre:
    """What a genre changes in the tree, the layout and the exports."""

    name: str
    """The document's ``type`` in the sources ("report")."""
    description: str
    numbered_paragraphs: bool = True
    """Whether the paragraphs of the body are numbered 1., 2., … unless a paragraph says otherwise."""
    masthead: str = "standard"
    """"standard" (Distr. / date / Original), "crp" (Conference room paper / date / English only) or
    "letterhead" (no United Nations masthead: the sender's letterhead, then place and date)."""
    job_footer: bool = True
    """Whether the first page carries the job number, the barcode, "Please recycle" and the QR code."""
    label: str = ""
    """Key of the wording printed under the title ("corrigendum"), or empty."""
    akn_name: str = "doc"
    """The Akoma Ntoso ``<doc name>`` (AKN4UN) and FRBR subtype."""
    symbol_pattern: str = ""
    """A regular expression the symbol must match (rule ``genre-symbol``), or empty."""
    symbol_asks: str = ""
    """What the pattern asks, in words ("end in /Corr.n"), with an example symbol after a comma."""
    distribution: str = ""
    """The distribution the genre is issued for ("limited"), or empty: any (rule ``symbol-distribution``)."""
    signed: bool = False
    """Whether the body ends with a signature (rule ``letter-signature``)."""

    def numbers(self, stated: str = "auto") -> bool:
        """Whether a paragraph of the body whose ``numbered`` attribute is ``stated`` ("yes", "no",
        or "auto" when it has none) is numbered: as it says, else as the genre numbers them."""
        return stated == "yes" or (stated == "auto" and self.numbered_paragraphs)


GENRES: dict[str, str] = {
    "programme-of-work": "pipeline.genres.programme",
    "note": "pipeline.genres.note",
    "report": "pipeline.genres.report",
    "provisional-agenda": "pipeline.genres.agenda",
    "letter": "pipeline.genres.letter",
    "conference-room-paper": "pipeline.genres.crp",
    "limited-draft": "pipeline.genres.draft",
    "corrigendum": "pipeline.genres.corrigendum",
    "addendum": "pipeline.genres.addendum",
    "revision": "pipeline.genres.revision",
    "note-verbale": "pipeline.genres.note_verbale",
    "letterhead-letter": "pipeline.genres.letterhead_letter",
}
"""The ``type`` of a document -> the module that defines its genre (``GENRE``)."""


def genre(name: str) -> Genre:
    """The genre of documents whose ``type`` is ``name``."""
    module = importlib.import_module(GENRES[name])
    found: Genre = module.GENRE
    return found

"""Where sessions are held: each venue's time zone, paper size and printed name.

Programme times in the sources are local times at the venue; a calendar needs the zone to
place them, and the PDF needs the venue's paper. These are the venues every installation
knows; a documents repository adds its own in its configuration
(:mod:`pipeline.project.config`). A place that no table knows is refused at validation
(rule ``place-unknown``), not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

PAPER_SIZES: dict[str, str] = {
    "letter": "letter",
    "a4": "A4",
}
"""Paper names a venue may give -> the CSS page size."""


@dataclass(frozen=True)
class Venue:
    """A place where sessions are held."""

    time_zone: str
    """The IANA time zone of programme times (``America/New_York``)."""
    paper: str = "letter"
    """A key of :data:`PAPER_SIZES`: US Letter in New York, A4 elsewhere."""
    name: str = ""
    """The place's name as printed; empty: as written in the source."""

    @property
    def page_size(self) -> str:
        """The CSS ``@page`` size of documents issued for this venue."""
        return PAPER_SIZES[self.paper]


BUILT_IN: dict[str, Venue] = {
    "New York": Venue("America/New_York", "letter"),
    "Geneva": Venue("Europe/Zurich", "a4"),
    "Vienna": Venue("Europe/Vienna", "a4"),
    "Nairobi": Venue("Africa/Nairobi", "a4"),
    "Bangkok": Venue("Asia/Bangkok", "a4"),
    "Addis Ababa": Venue("Africa/Addis_Ababa", "a4"),
    "Beirut": Venue("Asia/Beirut", "a4"),
    "Santiago": Venue("America/Santiago", "a4"),
    "The Hague": Venue("Europe/Amsterdam", "a4"),
}
"""Session place, as written in the sources -> its venue."""


class UnknownVenue(KeyError):
    """A session held at a place no venue table knows (validation refuses such a source)."""

    def __init__(self, place: str) -> None:
        super().__init__(f"no venue is known for the place {place!r}; add it under [venues] in the "
                         "documents repository's undoc.toml")


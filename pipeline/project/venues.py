"""Where sessions are held: each venue's IANA time zone, in one table.

Programme times in the sources are local times at the venue; a calendar needs the zone to
place them. A place missing here is a clear error, not a guess.
"""

from __future__ import annotations

TIME_ZONES: dict[str, str] = {
    "New York": "America/New_York",
    "Geneva": "Europe/Zurich",
    "Vienna": "Europe/Vienna",
    "Nairobi": "Africa/Nairobi",
    "Bangkok": "Asia/Bangkok",
    "Addis Ababa": "Africa/Addis_Ababa",
    "Beirut": "Asia/Beirut",
    "Santiago": "America/Santiago",
    "The Hague": "Europe/Amsterdam",
}
"""Session place, as written in the sources -> IANA time zone name."""


def time_zone_of(place: str) -> str:
    """The IANA time zone of ``place``; KeyError naming the known places otherwise."""
    try:
        return TIME_ZONES[place]
    except KeyError:
        raise KeyError(f"no time zone known for the place {place!r}; add it to pipeline/venues.py "
                       f"(known: {', '.join(sorted(TIME_ZONES))})") from None

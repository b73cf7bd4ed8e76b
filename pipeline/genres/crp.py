"""A conference room paper: "Conference room paper" in the masthead, usually English only, no job number."""

from pipeline.genres import Genre

GENRE = Genre("conference-room-paper", "A conference room paper (symbol …/CRP.n), issued in one language.",
              masthead="crp", job_footer=False, akn_name="conferenceRoomPaper")

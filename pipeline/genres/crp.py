"""A conference room paper: "Conference room paper" in the masthead, usually English only, no job number."""

from pipeline.genres import Genre

GENRE = Genre("conference-room-paper", "A conference room paper (symbol …/CRP.n), issued in one language.",
              masthead="crp", job_footer=False, akn_name="conferenceRoomPaper",
              symbol_pattern=r"/CRP\.\d+(?:/|$)", symbol_asks="carry /CRP.n, e.g. A/AC.292/2023/CRP.1")

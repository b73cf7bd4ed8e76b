"""The provisional programme of work: a note by the Secretariat and the programme as an annex table."""

from pipeline.genres import Genre

GENRE = Genre("programme-of-work", "Provisional programme of work of a session, with its programme table.",
              akn_name="programmeOfWork")

"""A report: chapters and sections of the heading ladder, paragraphs numbered through them,
a contents list, and for a General Assembly report the session and agenda-item lines."""

from pipeline.genres import Genre

GENRE = Genre("report", "A report of the working group (an annual progress report, a final report).",
              akn_name="report")

"""A note (by the Secretariat, by the Chair): numbered paragraphs, annexes of any content."""

from pipeline.genres import Genre

GENRE = Genre("note", "A note by the Secretariat or the Chair.", akn_name="note")

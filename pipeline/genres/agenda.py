"""A provisional agenda, annotated or not: the items as numbered in the register, then annotations."""

from pipeline.genres import Genre

GENRE = Genre("provisional-agenda", "The provisional agenda of a session, with annotations where given.",
              akn_name="agenda")

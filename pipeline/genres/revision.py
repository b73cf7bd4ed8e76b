"""A revision (symbol …/Rev.n): replaces the whole document it revises."""

from pipeline.genres import Genre

GENRE = Genre("revision", "A revised version that replaces an issued document.", akn_name="revision")

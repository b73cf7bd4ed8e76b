"""A revision (symbol …/Rev.n): replaces the whole document it revises."""

from pipeline.genres import Genre

GENRE = Genre("revision", "A revised version that replaces an issued document.", akn_name="revision",
              symbol_pattern=r"/Rev\.\d+$", symbol_asks="end in /Rev.n, e.g. A/AC.292/2023/L.1/Rev.1")

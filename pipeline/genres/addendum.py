"""An addendum (symbol …/Add.n): the original's title, "Addendum" under it, then what is added."""

from pipeline.genres import Genre

GENRE = Genre("addendum", "Material added to an issued document.", label="addendum", akn_name="addendum",
              symbol_pattern=r"/Add\.\d+$", symbol_asks="end in /Add.n, e.g. A/77/275/Add.1")

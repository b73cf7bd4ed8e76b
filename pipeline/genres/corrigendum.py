"""A corrigendum (symbol …/Corr.n): the original's title, "Corrigendum" under it, each change as For … read …."""

from pipeline.genres import Genre

GENRE = Genre("corrigendum", "Corrections to an issued document.", numbered_paragraphs=False,
              label="corrigendum", akn_name="corrigendum", symbol_pattern=r"/Corr\.\d+$",
              symbol_asks="end in /Corr.n, e.g. A/77/275/Corr.1")

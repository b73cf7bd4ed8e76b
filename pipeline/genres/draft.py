"""A Limited-distribution draft (symbol …/L.n): "Distr.: Limited" and the agenda item it falls under."""

from pipeline.genres import Genre

GENRE = Genre("limited-draft", "A draft for adoption (a draft report), distribution limited.",
              akn_name="draftReport", symbol_pattern=r"/L\.\d+(?:/|$)",
              symbol_asks="carry /L.n, e.g. A/AC.292/2023/L.1", distribution="limited")

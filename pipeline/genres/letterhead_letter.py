"""A letter on the sender's letterhead, sent rather than issued as a document of the series."""

from pipeline.genres import Genre

GENRE = Genre("letterhead-letter",
              "A letter on its sender's letterhead (the Chair's to all Permanent Representatives, say),"
              " not issued as a document: no United Nations masthead, symbol, job number or barcode.",
              numbered_paragraphs=False, masthead="letterhead", job_footer=False, akn_name="letterheadLetter",
              signed=True)

"""A note verbale: a note in the third person from a mission or the Secretariat, unnumbered paragraphs."""

from pipeline.genres import Genre

GENRE = Genre("note-verbale", "A note verbale (from a Permanent Mission, say) circulated as a document.",
              numbered_paragraphs=False, akn_name="noteVerbale")

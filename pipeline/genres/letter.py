"""A letter circulated as a document: addressee, salutation, unnumbered paragraphs, closing, signature."""

from pipeline.genres import Genre

GENRE = Genre("letter", "A letter (from the Chair, say) circulated as a document of the working group.",
              numbered_paragraphs=False, akn_name="letter", signed=True)

"""DOCX in the official layout: the model as pandoc's JSON AST, pandoc, then a small package pass.

The stages, each in its own module:

* :mod:`pipeline.formats.docx.ast` builds pandoc's JSON AST (plain dicts) from the model, as a
  visitor of its blocks and inline content; paragraph and character styles are named through
  pandoc's ``custom-style`` attribute, headings are Word's heading styles, lists Word numbering;
* :mod:`pipeline.formats.docx.reference` zips the reference document kept unzipped, part by part, in
  ``templates/docx/reference/`` (styles, settings, headers and footers);
* :mod:`pipeline.formats.docx.pandoc` runs the pinned pandoc on the AST with that reference;
* :mod:`pipeline.formats.docx.package` does what pandoc cannot express (per-document text in headers
  and footers, footer images or an empty first-page footer, table geometry and rules, rows
  kept whole, list indents and dashes, footnotes with their own marks, document properties)
  with lxml, and rewrites the zip with fixed dates and sorted members.
"""

"""Validate canonical UN document XML and publish it in the official layout.

The pipeline is a line of stages, one way::

    sources/*.xml ─ load ─ validate ─ model ─ render ─ write ─ out/

:mod:`pipeline.sources.load` parses safely, :mod:`pipeline.validate.check` runs the structural schema and
the rule catalogue, :mod:`pipeline.model.tree` holds the frozen document model built by
:mod:`pipeline.model.assemble`, :mod:`pipeline.formats` holds one renderer per output format and
:mod:`pipeline.build.writer` is the only code that writes files.
"""

__version__ = "0.1.0"

"""Validate canonical UN document XML and publish it in the official layout.

The pipeline is a line of stages, one way::

    sources/*.xml ─ load ─ validate ─ model ─ render ─ write ─ out/

:mod:`pipeline.load` parses safely, :mod:`pipeline.validate` runs the structural schema and
the rule catalogue, :mod:`pipeline.model` holds the frozen document model built by
:mod:`pipeline.modelbuild`, :mod:`pipeline.render` holds one renderer per output format and
:mod:`pipeline.writer` is the only code that writes files.
"""

__version__ = "0.1.0"

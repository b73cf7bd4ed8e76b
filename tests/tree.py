"""The fixture that holds every block and inline element of the general tree, as a model."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pipeline.model.tree import Document

EVERY_BLOCK = Path(__file__).resolve().parent / "fixtures" / "tree" / "every-block.xml"
"""A report with every block and inline element, footnotes marked and numbered, and an annex."""


@cache
def every_block_model() -> Document:
    """The model of :data:`EVERY_BLOCK`, validated like any source (schema and rules)."""
    from pipeline.build.render import model_of
    from pipeline.validate.check import validate_sources

    (checked,), problems = validate_sources([EVERY_BLOCK])
    assert not problems and checked.ok, checked.diagnostics
    return model_of(checked)

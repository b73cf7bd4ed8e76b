"""Renderers: one module per output format, listed in one explicit registry.

Each renderer module defines ``NAME`` (the ``--format`` value), ``SUFFIX`` (added to the
source's stem in ``out/``), ``DESCRIPTION`` and ``render(document) -> bytes``, a pure
function of the model. Modules are imported on first use, so a text-only build never pays
for heavy libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.model import Document

REGISTRY: dict[str, str] = {
    "txt": "pipeline.render.text",
    "html": "pipeline.render.html",
    "docx": "pipeline.render.docx",
    "pdf": "pipeline.render.pdf",
    "json": "pipeline.render.json",
    "akn": "pipeline.render.akn",
    "ics": "pipeline.render.ics",
}
"""Format name -> module, in the order outputs are built and listed."""


@dataclass(frozen=True)
class Renderer:
    """A loaded renderer."""

    name: str
    suffix: str
    description: str
    render: Callable[[Document], bytes]


def renderer(name: str) -> Renderer:
    """The renderer registered as ``name``."""
    module = importlib.import_module(REGISTRY[name])
    return Renderer(module.NAME, module.SUFFIX, module.DESCRIPTION, module.render)


def format_names() -> tuple[str, ...]:
    """Every registered format, in registry order."""
    return tuple(REGISTRY)

"""Renderers: one module per output format, listed in one explicit registry.

Each renderer module defines ``NAME`` (the ``--format`` value), ``SUFFIX`` (added to the
source's stem in ``out/``), ``DESCRIPTION`` and ``render(document) -> bytes``, a pure
function of the model. A renderer that is cheaper on many documents at once also defines
``render_many(documents) -> list[bytes | Exception]``, which gives the same bytes as
``render`` for each. A format that some documents do not have (a calendar, for a document
without a programme) defines ``applies(document) -> bool``: a build writes no file of that
format for such a document, and removes one a previous build wrote. Modules are imported on
first use, so a text-only build never pays for heavy libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.model.tree import Document, RenderFailure, Source

REGISTRY: dict[str, str] = {
    "txt": "pipeline.formats.text",
    "html": "pipeline.formats.html",
    "docx": "pipeline.formats.docx.render",
    "pdf": "pipeline.formats.pdf",
    "json": "pipeline.formats.json",
    "akn": "pipeline.formats.akn.render",
    "ics": "pipeline.formats.ics",
}
"""Format name -> module, in the order outputs are built and listed."""

RENDER_MANY = frozenset({"docx"})
"""Formats whose module defines ``render_many``: a build groups documents for them."""


@dataclass(frozen=True)
class Renderer:
    """A loaded renderer."""

    name: str
    suffix: str
    description: str
    render: Callable[[Document], bytes]
    render_many: Callable[[Sequence[Document]], list[bytes | Exception]] | None = None
    """Many documents at once, each as ``render`` gives it or the exception that stopped it."""
    applies: Callable[[Document], bool] | None = None
    """Whether a document has an output in this format (None: every document has one)."""

    def has_output(self, document: Document) -> bool:
        """Whether ``document`` has an output in this format."""
        return self.applies is None or self.applies(document)


def renderer(name: str) -> Renderer:
    """The renderer registered as ``name``."""
    module = importlib.import_module(REGISTRY[name])
    return Renderer(module.NAME, module.SUFFIX, module.DESCRIPTION, module.render,
                    getattr(module, "render_many", None), getattr(module, "applies", None))


def renders_many(name: str) -> bool:
    """Whether the renderer registered as ``name`` defines ``render_many`` (known without importing it)."""
    return name in RENDER_MANY


def format_names() -> tuple[str, ...]:
    """Every registered format, in registry order."""
    return tuple(REGISTRY)


def failure_source(exc: BaseException) -> Source | None:
    """Where in the source the node lies that a renderer failed on, as well as it can be told.

    A :class:`~pipeline.model.tree.RenderFailure` says so itself. For any other exception the
    traceback is read from the innermost call outwards: the first call that was working on
    model nodes names the node (the one that starts last in the source, that is the most
    deeply nested, when it held several). None when no call held a node.
    """
    if isinstance(exc, RenderFailure):
        return exc.source
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        found = [source for value in frame.f_locals.values()
                 if isinstance(source := getattr(value, "source", None), Source) and source.line > 0
                 and not isinstance(value, Document)]
        if found:
            return max(found, key=lambda source: (source.line, source.column))
    return None

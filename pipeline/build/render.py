"""The half of a document's build that runs where it is built: model, then every format, in memory."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from pipeline.diagnostics import Diagnostic, error
from pipeline.formats import Renderer, failure_source
from pipeline.model.assemble import build_document
from pipeline.model.tree import Document, Source
from pipeline.sources.load import tag_position
from pipeline.validate.check import Checked


def model_of(checked: Checked) -> Document:
    """The model of a source that passed validation."""
    assert checked.tree is not None and checked.register is not None
    return build_document(checked.tree, checked.path, checked.register, checked.lines)


def _root_source(checked: Checked) -> Source:
    """Where the document's root element starts: the place of a problem of the whole document."""
    assert checked.tree is not None
    line, column = tag_position(checked.lines, checked.tree.getroot())
    return Source(checked.path, line or 1, column or 1)


RenderJob = tuple[Path, Checked, Path, Sequence[Renderer]]
"""One document to render: its source, its checked tree, the output folder, the formats."""

Rendering = tuple[list[tuple[Path, bytes | None]], list[Diagnostic]]
"""A document's outputs (target, bytes) in memory, and its problems; None for a format the
document has no output in (its target is removed if a previous build wrote one)."""


def render_many_outputs(jobs: Sequence[RenderJob], seconds_by_format: dict[str, float]) -> list[Rendering]:
    """Every format of each document that passed validation, in memory, and its problems.

    This half of a document's build runs where it is built (here, or in a worker);
    :func:`write_outputs` runs where outputs are written. Each format is rendered for all
    the documents in turn: a renderer with ``render_many`` gets the documents that want its
    format at once, and the bytes are those of one document at a time. A failure stops
    only its document's format.
    """
    documents: list[Document | None] = []
    problems: list[list[Diagnostic]] = []
    for _, checked, _, _ in jobs:
        problems.append(list(checked.diagnostics))
        try:
            documents.append(model_of(checked))
        except Exception as exc:  # a bug of the pipeline must not stop the other documents
            documents.append(None)
            where = _root_source(checked)
            problems[-1].append(error(checked.path, where.line, "model-failed",
                                      f"the document model could not be built: {type(exc).__name__}: {exc}",
                                      where.column))
    data: list[dict[str, bytes | None]] = [{} for _ in jobs]
    formats = {r.name: r for _, _, _, renderers in jobs for r in renderers}
    for name, r in formats.items():
        members = []
        for i, job in enumerate(jobs):
            document = documents[i]
            if document is None or not any(x.name == name for x in job[3]):
                continue
            if r.has_output(document):
                members.append(i)
            else:
                data[i][name] = None  # no file of this format for this document
        if not members:
            continue
        wanted = [d for i in members if (d := documents[i]) is not None]
        started = time.perf_counter()
        try:
            outputs = _render_each(r, wanted)
        finally:
            seconds_by_format[name] = seconds_by_format.get(name, 0.0) + time.perf_counter() - started
        for i, output in zip(members, outputs, strict=True):
            if isinstance(output, Exception):
                found = failure_source(output)
                # a node of the register (another file), or none: the document as a whole
                where = found if found is not None and found.path == jobs[i][1].path else _root_source(jobs[i][1])
                problems[i].append(error(jobs[i][1].path, where.line, "render-failed",
                                         f"the {name} renderer failed: {type(output).__name__}: {output}",
                                         where.column or 1))
            else:
                data[i][name] = output
    return [([(out_dir / f"{path.stem}{r.suffix}", data[i][r.name]) for r in renderers if r.name in data[i]],
             problems[i])
            for i, (path, _, out_dir, renderers) in enumerate(jobs)]


def _render_each(r: Renderer, documents: Sequence[Document]) -> list[bytes | Exception]:
    """Each document in the format of ``r``, or the exception that stopped it."""
    if r.render_many is not None and len(documents) > 1:
        try:
            return r.render_many(documents)
        except Exception as exc:  # a renderer bug must not stop the other documents
            return [exc] * len(documents)
    outputs: list[bytes | Exception] = []
    for document in documents:
        try:
            outputs.append(r.render(document))
        except Exception as exc:  # a renderer bug must not stop the other documents
            outputs.append(exc)
    return outputs

"""The driver: load → validate → model → render → write, for each source.

A source with errors is reported and skipped; its previous outputs are left as they were,
and the other sources are built all the same. All formats of a document are rendered in
memory before any is written, so a document's outputs change together or not at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostic, error
from pipeline.load import display_path
from pipeline.model import Document
from pipeline.modelbuild import build_document
from pipeline.progress import Progress
from pipeline.render import Renderer
from pipeline.render import renderer as renderer  # looked up here at use by pipeline.tasks
from pipeline.validate import Checked, Registers, check_source, fails, lexically_inside, register_diagnostics
from pipeline.writer import write_atomic

DEFAULT_SOURCES = Path("sources")
"""Where documents are found when no source is named."""

DEFAULT_OUT = Path("out")
"""Where outputs go unless ``--out`` says otherwise."""


def discover(arguments: Sequence[Path], default: Path = DEFAULT_SOURCES) -> list[Path]:
    """Document sources named on the command line: files as given, folders' ``*.xml``.

    Registers live in sub-folders (``sources/shared/``) and are not documents, so a folder
    contributes only the XML files directly in it.
    """
    found: list[Path] = []
    for argument in arguments or [default]:
        if argument.is_dir():
            found.extend(sorted(argument.glob("*.xml")))
        else:
            found.append(argument)
    return list(dict.fromkeys(found))


def sources_root_for(path: Path, default: Path = DEFAULT_SOURCES) -> Path:
    """The folder a source and its registers must stay inside: ``sources/`` or the file's folder.

    The choice follows the path as written, so that a symbolic link in ``sources/`` that
    points elsewhere is judged against ``sources/`` (and refused).
    """
    if default.is_dir() and lexically_inside(path, default):
        return default
    return path.parent


@dataclass(frozen=True)
class DocumentOutcome:
    """What happened to one source."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...] = ()
    """Names of the files written in the output folder."""
    unchanged: tuple[str, ...] = ()
    """Names of the files left as they were (already holding the same bytes)."""
    built: bool = False
    kind: str = "document"
    skipped: bool = False
    """True when the document was up to date and not built again (see :mod:`pipeline.manifest`)."""


@dataclass
class BuildReport:
    """The outcome of a run: one entry per source, plus problems of shared registers."""

    outcomes: list[DocumentOutcome] = field(default_factory=list)
    register_problems: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    seconds_by_format: dict[str, float] = field(default_factory=dict)
    strict: bool = False
    interrupted: bool = False
    """True when the run was asked to stop before it reached every source."""
    run_problems: list[Diagnostic] = field(default_factory=list)
    """Problems of the run itself (a build manifest that could not be written)."""
    workers: int = 1
    """Documents built at once (worker processes, or Dask worker threads)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the run, sorted by file and line."""
        return sorted([*self.register_problems, *self.run_problems,
                       *(d for o in self.outcomes for d in o.diagnostics)])

    @property
    def failed(self) -> list[DocumentOutcome]:
        """Documents that could not be built."""
        return [o for o in self.outcomes if not o.built and o.kind == "document"]

    def exit_status(self, *, strict: bool | None = None) -> int:
        """0 when clean, 1 when a source has errors (or warnings, when ``strict``)."""
        strict = self.strict if strict is None else strict
        return 1 if fails(self.diagnostics, strict=strict) else 0


def validate_sources(paths: Iterable[Path]) -> tuple[list[Checked], list[Diagnostic]]:
    """Validate sources without building; also return the problems of their registers."""
    registers = Registers()
    checked = [check_source(p, registers, sources_root_for(p)) for p in paths]
    return checked, register_diagnostics(registers)


def model_of(checked: Checked) -> Document:
    """The model of a source that passed validation."""
    assert checked.tree is not None and checked.register is not None
    return build_document(checked.tree, checked.path, checked.register)


def _never() -> bool:
    return False


def build(paths: Iterable[Path], out_dir: Path, formats: Sequence[str], *, strict: bool = False,
          stop: Callable[[], bool] = _never, jobs: int = 1, executor: str = "local", scheduler: str | None = None,
          incremental: bool = False, force: bool = False, progress: Progress | None = None) -> BuildReport:
    """Build every source into ``out_dir`` in each of ``formats``.

    A document with errors (with ``strict``, with warnings too, its register's included) is
    reported and not written: its previous outputs stay as they were. The others are built.
    ``stop`` is asked before each document and before a document's outputs are written; when
    it says yes the run ends there, between two files, and ``interrupted`` is set.

    ``jobs`` documents are built at once in worker processes (1: one after the other, here),
    or on the Dask cluster at ``scheduler`` with ``executor="dask"``; the outputs are the
    same. With ``incremental``, only what changed since the last build into ``out_dir`` is
    built again (``force``: everything), as its manifest tells. See :mod:`pipeline.engine`.
    """
    from pipeline.engine import run

    return run(paths, out_dir, formats, strict=strict, stop=stop, jobs=jobs, executor=executor,
               scheduler=scheduler, incremental=incremental, force=force, progress=progress)


RenderJob = tuple[Path, Checked, Path, Sequence[Renderer]]
"""One document to render: its source, its checked tree, the output folder, the formats."""

Rendering = tuple[list[tuple[Path, bytes]], list[Diagnostic]]
"""A document's outputs (target, bytes) in memory, and its problems."""


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
            problems[-1].append(error(checked.path, 0, "model-failed",
                                      f"the document model could not be built: {type(exc).__name__}: {exc}"))
    data: list[dict[str, bytes]] = [{} for _ in jobs]
    formats = {r.name: r for _, _, _, renderers in jobs for r in renderers}
    for name, r in formats.items():
        members = [i for i, job in enumerate(jobs)
                   if documents[i] is not None and any(x.name == name for x in job[3])]
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
                problems[i].append(error(jobs[i][1].path, 1, "render-failed",
                                         f"the {name} renderer failed: {type(output).__name__}: {output}"))
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


def write_outputs(shown: str, rendered: Sequence[tuple[Path, bytes]],
                  problems: Sequence[Diagnostic]) -> DocumentOutcome:
    """Write a document's outputs: all of them, or none when its problems stop it."""
    problems = list(problems)
    if fails(problems):
        return DocumentOutcome(shown, tuple(problems))
    written: list[str] = []
    unchanged: list[str] = []
    for target, data in rendered:
        try:
            (written if write_atomic(target, data) else unchanged).append(target.name)
        except OSError as exc:
            problems.append(error(shown, 0, "write-failed",
                                  f"cannot write {display_path(target)}: {exc.strerror or exc}; "
                                  f"the previous file, if any, is left as it was"))
    built = not fails(problems)
    return DocumentOutcome(shown, tuple(problems), tuple(written), tuple(unchanged), built)


def summary(report: BuildReport) -> str:
    """One closing line: documents built and failed, files written, time."""
    documents = [o for o in report.outcomes if o.kind == "document"]
    built = sum(1 for o in documents if o.built and not o.skipped)
    skipped = sum(1 for o in documents if o.skipped)
    written = sum(len(o.written) for o in documents)
    unchanged = sum(len(o.unchanged) for o in documents)
    failed = [o.path for o in report.failed]
    per_format = ", ".join(f"{k} {v:.2f} s" for k, v in report.seconds_by_format.items())
    line = (f"built {built} of {len(documents)} documents{f', {skipped} up to date' if skipped else ''}: "
            f"{written} files written, {unchanged} unchanged, in {report.seconds:.2f} s")
    if report.workers > 1:
        line += f" by {report.workers} workers"
    if per_format:
        line += f" (rendering: {per_format})"
    registers = len(report.outcomes) - len(documents)
    if registers:
        line += f"; {registers} register{'s' if registers > 1 else ''} checked"
    if failed:
        line += f"; failed{' (strict: warnings count)' if report.strict else ''}: {', '.join(failed)}"
    if report.interrupted:
        line += "; interrupted: the remaining sources were not built"
    return line

"""One document's build as a task: check, model and render it wherever it runs.

:func:`render_tasks` is what a build runs for each group of documents (one, or a few for
DOCX), in this process, in a worker of the local pool or on a Dask worker: it validates
each source, builds the models and renders the formats asked for, and returns the outputs
as bytes with what the driver needs to write them and to record them in the manifest.
Outputs are written by the driver, one document at a time as results come back
(:func:`pipeline.build.writer.write_outputs`), so nothing but the documents in hand is held in
memory and a document's files still change together.

What is worth keeping between documents stays in the worker process: the registers of the
run (each loaded and checked once per worker), the renderers, and what the renderers keep
themselves (the schema, templates, fonts, the long-lived pandoc of
:mod:`pipeline.formats.docx.batch`, or the build's own through :mod:`pipeline.formats.docx.service`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import formats
from pipeline.build.manifest import RegisterUse, fingerprint, process_fingerprint, sha256_or_none
from pipeline.build.render import RenderJob, render_many_outputs
from pipeline.diagnostics import Diagnostic, error
from pipeline.formats import Renderer
from pipeline.model.register import Register, register_path
from pipeline.model.tree import Document
from pipeline.sources.load import display_path, q
from pipeline.validate.check import Checked, Registers, check_source

Notify = Callable[[str, str], None]
"""Called with a stage ("checking", "rendering docx", …) and the source, in this process only."""


@dataclass(frozen=True)
class Task:
    """What to build of one source."""

    index: int
    """Position of the source in the run (results come back in any order)."""
    path: str
    """The source, as named (absolute for workers elsewhere)."""
    root: str
    """The folder the source and its register must stay inside."""
    out_dir: str
    formats: tuple[str, ...]
    run_id: str
    """Tells a worker that a new run started: per-run state (registers) is dropped."""
    strict: bool = False
    """Whether warnings keep the document from being rendered (the driver decides again)."""
    fingerprint: str | None = None
    """When set, the worker refuses to build unless its pipeline has this fingerprint."""


@dataclass(frozen=True)
class RegisterProblems:
    """A register loaded by a task: its resolved path, hash and own problems."""

    path: str
    sha256: str | None
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Rendered:
    """The result of a task."""

    index: int
    shown: str
    """The source as diagnostics name it."""
    kind: str
    """``document``, or ``register`` when a register was named as a source."""
    passes: bool
    """Whether validation let the document through (strictness aside: the driver decides)."""
    own: tuple[Diagnostic, ...]
    """The document's own diagnostics (validation)."""
    register_diagnostics: tuple[Diagnostic, ...]
    """Its register's problems, counted for the document, reported once per run."""
    problems: tuple[Diagnostic, ...]
    """Validation and rendering problems, when it was rendered."""
    outputs: tuple[tuple[str, str, bytes | None], ...]
    """(format, file name, bytes) of each output rendered; None for a format the document has no
    output in."""
    seconds: tuple[tuple[str, float], ...]
    """Rendering time by format."""
    sha256: str | None
    """Hash of the source, taken before it was read."""
    register: RegisterUse | None
    registers_loaded: tuple[RegisterProblems, ...]
    cwd: str
    """The worker's working folder, against which relative paths in diagnostics are read."""
    rendered: bool = False
    """Whether rendering was attempted (the document passed validation as the run asked)."""


class _HashingRegisters(Registers):
    """The run's register cache, hashing each register before it is read."""

    def __init__(self) -> None:
        super().__init__()
        self.hashes: dict[Path, str | None] = {}

    def get(self, path: Path) -> tuple[Register | None, list[Diagnostic]]:
        if path not in self.loaded:
            self.hashes[path] = sha256_or_none(path)
        return super().get(path)


@dataclass
class _RunState:
    run_id: str
    registers: _HashingRegisters
    renderers: dict[str, Renderer]
    refusal: str | None


_state: _RunState | None = None


def _run_state(task: Task) -> _RunState:
    global _state
    if _state is None or _state.run_id != task.run_id:
        refusal = None
        expected = task.fingerprint
        if expected is not None and (process_fingerprint() != expected or fingerprint() != expected):
            refusal = ("this worker runs another version of the pipeline (its code, templates, schemas "
                       "or libraries differ from the ones of the build, or changed since the worker "
                       "started); install the same version on the workers and restart them")
        _state = _RunState(task.run_id, _HashingRegisters(), {}, refusal)
    return _state


def _renderer(state: _RunState, name: str) -> Renderer:
    found = state.renderers.get(name)
    if found is None:
        found = state.renderers[name] = formats.renderer(name)
    return found


def render_task(task: Task, notify: Notify | None = None) -> Rendered:
    """Check, model and render one source; never raises for a problem of the document."""
    return render_tasks((task,), notify)[0]


def render_tasks(tasks: Sequence[Task], notify: Notify | None = None) -> list[Rendered]:
    """:func:`render_task` for several sources, rendered together where a renderer gains by it.

    Each source is checked on its own; those that pass are rendered one format at a time,
    all of them at once by a renderer with ``render_many`` (DOCX: one pandoc run). The
    results, and the bytes, are those of one task at a time.
    """
    results: list[Rendered] = []
    todo: list[tuple[int, Task, Checked]] = []
    for task in tasks:
        if notify is not None:
            notify("checking", display_path(Path(task.path)))
        result, checked = _check(task)
        if checked is not None:
            todo.append((len(results), task, checked))
        results.append(result)
    if not todo:
        return results
    state = _run_state(todo[0][1])
    seconds: dict[str, float] = {}
    jobs: list[RenderJob] = []
    try:
        for _, task, checked in todo:
            renderers = [_announced(_renderer(state, name), checked.path, notify) for name in task.formats]
            jobs.append((Path(task.path), checked, Path(task.out_dir), renderers))
        renderings = render_many_outputs(jobs, seconds)
    except Exception as exc:  # a bug of the pipeline must not stop the other documents
        renderings = [([], [*checked.diagnostics, error(
            checked.path, 1, "build-failed", f"the document could not be built: {type(exc).__name__}: {exc}", 1)])
            for _, _, checked in todo]
    for number, ((position, task, _), (rendered, problems)) in enumerate(zip(todo, renderings, strict=True)):
        stem = Path(task.path).stem
        by_file = {f"{stem}{r.suffix}": r.name for r in (jobs[number][3] if number < len(jobs) else ())}
        outputs = tuple((by_file[target.name], target.name, data) for target, data in rendered)
        # rendering time is the group's: counted once, with its first document
        results[position] = dataclasses.replace(
            results[position], problems=tuple(problems), outputs=outputs,
            seconds=tuple(sorted(seconds.items())) if number == 0 else (), rendered=True)
    return results


def _check(task: Task) -> tuple[Rendered, Checked | None]:
    """The result of checking ``task``'s source, and the checked source when it is to be rendered."""
    state = _run_state(task)
    path = Path(task.path)
    cwd = os.getcwd()
    if state.refusal is not None:
        problem = error(display_path(path), 1, "worker-mismatch", state.refusal, 1)
        return Rendered(task.index, display_path(path), "document", False, (problem,), (), (problem,), (), (),
                        None, None, (), cwd), None
    before = set(state.registers.loaded)
    sha256 = sha256_or_none(path)
    checked = check_source(path, state.registers, Path(task.root))
    loaded = tuple(RegisterProblems(str(p), state.registers.hashes.get(p), tuple(state.registers.loaded[p][1]))
                   for p in sorted(set(state.registers.loaded) - before))
    result = Rendered(task.index, checked.path, checked.kind, checked.passes(strict=task.strict),
                      checked.diagnostics, checked.register_diagnostics, checked.diagnostics, (), (), sha256,
                      _register_use(path, checked.tree, state.registers), loaded, cwd)
    if checked.kind == "register" or not result.passes:
        return result, None
    return result, checked


def _announced(renderer: Renderer, shown: str, notify: Notify | None) -> Renderer:
    """``renderer``, saying when it starts (for the progress display of an in-process build)."""
    if notify is None:
        return renderer
    many = renderer.render_many

    def render(document: Document) -> bytes:
        notify(f"rendering {renderer.name}", shown)
        return renderer.render(document)

    def render_many(documents: Sequence[Document]) -> list[bytes | Exception]:
        assert many is not None
        notify(f"rendering {renderer.name}", shown if len(documents) == 1 else f"{len(documents)} documents")
        return many(documents)

    return dataclasses.replace(renderer, render=render, render_many=render_many if many is not None else None)


def _register_use(path: Path, tree: etree._ElementTree | None, registers: _HashingRegisters) -> RegisterUse | None:
    """The register a checked document refers to, with the hash taken when it was loaded."""
    if tree is None:
        return None
    session = tree.getroot().find(q("session"))
    reference = session.get("register") if session is not None else None
    if not reference:
        return None
    try:
        target = register_path(path, reference)
    except (OSError, RuntimeError):
        return None
    sha256 = registers.hashes[target] if target in registers.hashes else sha256_or_none(target)
    return RegisterUse(reference, str(target), sha256)


def relocate(result: Rendered, here: str | None = None) -> Rendered:
    """``result`` with the paths of its diagnostics as this process names them.

    Diagnostics name files relative to the working folder of the process that made them;
    a worker elsewhere (Dask) may have another one.
    """
    here = here or os.getcwd()
    if result.cwd == here:
        return result
    base = Path(result.cwd)

    def shown(text: str) -> str:
        return display_path(base / text) if text else text

    def moved(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
        return tuple(dataclasses.replace(d, path=shown(d.path)) for d in diagnostics)

    return dataclasses.replace(
        result, shown=shown(result.shown), own=moved(result.own),
        register_diagnostics=moved(result.register_diagnostics), problems=moved(result.problems),
        registers_loaded=tuple(dataclasses.replace(r, problems=moved(r.problems)) for r in result.registers_loaded),
        cwd=here)


def new_run_id() -> str:
    """A token that tells workers a new run started."""
    return hashlib.sha256(f"{os.getpid()} {time.time_ns()} {os.urandom(8).hex()}".encode()).hexdigest()[:16]

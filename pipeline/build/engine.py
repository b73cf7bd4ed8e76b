"""How a build runs: decide what to redo, build it where asked, write, record.

:func:`build` runs a build::

    sources ─ decide (manifest) ─ tasks ─ executor ─ results, in order ─ write ─ manifest

* **Decide.** With ``incremental``, each source is hashed and compared with the manifest
  (:mod:`pipeline.build.manifest`); a document that is up to date is not parsed at all, and the
  diagnostics it had are reported as they were. ``force`` rebuilds everything.
* **Build.** Each document to build is a task (:mod:`pipeline.build.tasks`), run by an executor
  (:mod:`pipeline.build.executors`): in this process, in local worker processes, or on Dask.
* **Write.** Results come back in source order; this process writes each document's
  outputs (all of them, or none: :mod:`pipeline.build.writer`), records them in the manifest
  and moves the progress display on. The manifest is written at the end, and every few
  seconds of a long build.

The whole run holds the output folder's lock (:mod:`pipeline.build.lock`), so builds into
one folder follow each other, and it begins by putting back any document a killed build
left half replaced. Asked to stop (Ctrl-C), it writes nothing more and ends its workers at
once; what they had in hand is abandoned, and every document stays wholly old or new.

The outputs do not depend on where they were built: a parallel or distributed build writes
the same bytes, in the same order, as a build in one process.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from lxml import etree

from pipeline.build.executors import Executor, make_executor
from pipeline.build.lock import never, output_lock
from pipeline.build.manifest import Manifest, fingerprint
from pipeline.build.progress import Progress
from pipeline.build.report import BuildReport, DocumentOutcome
from pipeline.build.tasks import Rendered, Task, new_run_id, relocate
from pipeline.build.writer import recover, write_outputs
from pipeline.diagnostics import Diagnostic, error, warning
from pipeline.sources.discover import sources_root_for
from pipeline.sources.load import display_path, load, q
from pipeline.validate.check import fails
from pipeline.validate.versions import Version, document_stem, version_diagnostics

DEFAULT_OUT = Path("out")
"""Where outputs go unless ``--out`` says otherwise."""

CHECKPOINT_SECONDS = 30.0
"""During a long build the manifest is written this often, so a stopped build loses little."""


MMAP_THRESHOLD = 64 * 1024
"""Allocations from this size up are mapped on their own and given back when freed."""


@functools.cache
def _give_back_large_buffers() -> None:
    """Have the C allocator give large freed buffers back to the system (glibc only).

    A build passes each document's outputs (tens to hundreds of kilobytes) through this
    process. glibc raises its mapping threshold as such buffers are freed, then serves
    them from a heap it never shrinks: measured, the build process grew 35 MB a thousand
    documents, none of it live. A fixed threshold keeps its size flat.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # another C library
        return
    mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD


def build(paths: Iterable[Path], out_dir: Path, formats: Sequence[str], *, strict: bool = False,
          stop: Callable[[], bool] = never, jobs: int = 1, executor: str = "local", scheduler: str | None = None,
          incremental: bool = False, force: bool = False, progress: Progress | None = None,
          wait: bool = True, pipeline_fingerprint: Callable[[], str] = fingerprint) -> BuildReport:
    """Build every source into ``out_dir`` in each of ``formats``.

    A document with errors (with ``strict``, with warnings too, its register's included) is
    reported and not written: its previous outputs stay as they were. The others are built.
    ``stop`` is asked before each document and before a document's outputs are written; when
    it says yes the run ends there, between two files, and ``interrupted`` is set.

    ``jobs`` documents are built at once in worker processes (1: one after the other, here),
    or on the Dask cluster at ``scheduler`` with ``executor="dask"``; the outputs are the
    same. With ``incremental``, only what changed since the last build into ``out_dir`` is
    built again (``force``: everything), as its manifest tells.

    One build at a time writes to ``out_dir`` (:mod:`pipeline.build.lock`): this one waits
    for another to finish, or, without ``wait``, raises :class:`OutputBusy`. Before it
    writes, it puts back any document a killed build left half replaced
    (:func:`pipeline.build.writer.recover`). Two sources that would write the same output
    files are both refused (``output-clash``).

    ``pipeline_fingerprint`` tells the manifest what the pipeline is: by default its files as
    they are on disk now; a process that builds again and again (the preview) passes
    :func:`pipeline.build.manifest.process_fingerprint`, the pipeline it has loaded, once
    reckoned.
    """
    began = time.perf_counter()
    report = BuildReport(strict=strict)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.run_problems.append(error(display_path(out_dir), 1, "write-failed",
                                         f"cannot make the output folder: {exc.strerror or exc}", 1))
        return report
    with output_lock(out_dir, wait=wait, stop=stop) as held:
        if not held:
            report.interrupted = True
        else:
            recover(out_dir)
            _build(list(paths), out_dir, formats, report, stop=stop, jobs=jobs, executor=executor,
                   scheduler=scheduler, incremental=incremental, force=force,
                   progress=progress or Progress(enabled=False), pipeline_fingerprint=pipeline_fingerprint)
    report.seconds = time.perf_counter() - began
    return report


def _build(sources: list[Path], out_dir: Path, formats: Sequence[str], report: BuildReport, *,
           stop: Callable[[], bool], jobs: int, executor: str, scheduler: str | None, incremental: bool,
           force: bool, progress: Progress, pipeline_fingerprint: Callable[[], str]) -> None:
    """:func:`build`, with the output folder's lock held."""
    strict = report.strict
    _give_back_large_buffers()
    remote = executor != "local"
    manifest = Manifest.load(out_dir, pipeline_fingerprint()) if incremental else None
    if manifest is not None and manifest.damage:
        report.run_problems.append(warning(
            display_path(manifest.path), 1, "manifest-damaged",
            f"the build manifest is damaged ({manifest.damage}); what it cannot vouch for is built again, "
            f"and it is written anew", 1))
    outcomes: dict[int, DocumentOutcome] = dict(_output_clashes(sources))
    outcomes.update((i, o) for i, o in _version_mismatches(sources) if i not in outcomes)
    registers: dict[str, list[Diagnostic]] = {}
    roots: dict[int, Path] = {}
    run_id = new_run_id()
    # what every document shares is made once: a build may hold tens of thousands of tasks
    every_format = tuple(formats)
    folder_names: dict[Path, tuple[Path, str]] = {}
    out_name = os.path.abspath(out_dir) if remote else str(out_dir)
    checker: str | None = None
    if remote:  # workers elsewhere must run this very pipeline
        checker = manifest.fingerprint if manifest is not None else pipeline_fingerprint()

    tasks: list[Task] = []
    if manifest is not None and not force:
        progress.start("checking", len(sources))
    root_of_folder: dict[Path, Path] = {}
    for index, path in enumerate(sources):
        if index in outcomes:
            continue
        if path.parent not in root_of_folder:  # the configuration is looked up once per folder
            root_of_folder[path.parent] = sources_root_for(path)
        found = root_of_folder[path.parent]
        if found not in folder_names:
            folder_names[found] = (found, os.path.abspath(found) if remote else str(found))
        root, root_name = folder_names[found]
        roots[index] = root
        wanted = every_format
        if manifest is not None and not force:
            shown = display_path(path)
            decision = manifest.decide(path, shown, root, formats)
            replay = manifest.register_problems(decision.register) if decision.register else []
            progress.advance(shown)
            if not decision.formats and replay is not None:
                if decision.register:
                    registers[decision.register] = replay
                ok = not fails([*decision.diagnostics, *replay], strict=strict)
                outcomes[index] = DocumentOutcome(shown, decision.diagnostics, built=ok, skipped=ok)
                continue
            wanted = decision.formats or wanted
        # workers elsewhere get absolute paths, and the fingerprint of the pipeline they must run
        tasks.append(Task(index, os.path.abspath(path) if remote else str(path), root_name, out_name, wanted,
                          run_id, strict, checker))

    if tasks:
        workers: Executor = make_executor(executor, jobs=jobs, tasks=len(tasks), scheduler=scheduler,
                                          notify=progress.working, formats=formats, stop=stop)
        report.workers = workers.workers
        progress.start("building", len(tasks))
        saved = time.monotonic()
        finished = False
        try:
            for result in workers.results(tasks):
                if stop():
                    report.interrupted = True
                    break
                result = relocate(result)
                outcomes[result.index] = _write(result, sources[result.index], roots[result.index], out_dir,
                                                manifest, registers, report)
                progress.advance(result.shown)
                del result  # its outputs are written: not held while the next one is awaited
                if manifest is not None and time.monotonic() - saved > CHECKPOINT_SECONDS:
                    _save(manifest, report)
                    saved = time.monotonic()
                if stop():
                    report.interrupted = True
                    break
            report.interrupted = report.interrupted or stop()
            finished = True
        finally:
            # stopped (Ctrl-C): the documents in hand are abandoned, not waited for
            if finished and not report.interrupted:
                workers.close()
            else:
                workers.abandon()
    progress.close()
    if manifest is not None:
        _save(manifest, report)
    report.outcomes = [outcomes[i] for i in sorted(outcomes)]
    report.register_problems = [d for p in sorted(registers, key=Path) for d in registers[p]]
    report.seconds_by_format = {name: report.seconds_by_format[name] for name in formats
                                if name in report.seconds_by_format}


def _is_register(path: Path) -> bool:
    """Whether ``path`` holds a register (it writes no output), judged by its first element."""
    try:
        with open(path, "rb") as handle:
            for _, element in etree.iterparse(handle, events=("start",), resolve_entities=False, no_network=True,
                                              load_dtd=False, huge_tree=False):
                return bool(etree.QName(element).localname == "register")
    except (etree.LxmlError, OSError, ValueError):
        return False
    return False


def _output_clashes(sources: Sequence[Path]) -> Iterator[tuple[int, DocumentOutcome]]:
    """Sources that would write the same output files (same name in different folders):
    each refused, naming the others; the outputs of neither are touched."""
    by_stem: dict[str, list[int]] = {}
    for index, path in enumerate(sources):
        by_stem.setdefault(path.stem, []).append(index)
    for stem, indexes in by_stem.items():
        if len(indexes) < 2:
            continue
        files = {os.path.realpath(sources[i]) for i in indexes}
        if len(files) < 2:
            continue
        documents = [i for i in indexes if not _is_register(sources[i])]
        if len({os.path.realpath(sources[i]) for i in documents}) < 2:
            continue
        for index in documents:
            shown = display_path(sources[index])
            others = [display_path(sources[i]) for i in documents
                      if os.path.realpath(sources[i]) != os.path.realpath(sources[index])]
            problem = error(shown, 1, "output-clash",
                            f"{shown} and {', '.join(others)} would write the same output files ({stem}.*); "
                            f"neither is built: rename one, or build them into different folders", 1)
            yield index, DocumentOutcome(shown, (problem,))


def _write(result: Rendered, source: Path, root: Path, out_dir: Path, manifest: Manifest | None,
           registers: dict[str, list[Diagnostic]], report: BuildReport) -> DocumentOutcome:
    """Write one result's outputs and record them; the outcome of the document."""
    for loaded in result.registers_loaded:
        registers.setdefault(loaded.path, list(loaded.problems))
        if manifest is not None:
            manifest.record_register(loaded.path, loaded.sha256, loaded.problems)
    if result.kind == "register":
        return DocumentOutcome(result.shown, (), kind="register")
    if not result.passes:
        return DocumentOutcome(result.shown, result.own)
    for name, seconds in result.seconds:
        report.seconds_by_format[name] = report.seconds_by_format.get(name, 0.0) + seconds
    # a format this document has no output in (None) removes a stale file of it, with the rest
    outcome = write_outputs(result.shown, [(out_dir / file, data) for _, file, data in result.outputs],
                            result.problems)
    if outcome.built and manifest is not None:
        manifest.record(source, result.shown, root, result.sha256, result.register, result.own,
                        {name: (file, hashlib.sha256(data).hexdigest()) if data is not None else ("", "")
                         for name, file, data in result.outputs})
    return outcome


def _save(manifest: Manifest, report: BuildReport) -> None:
    try:
        manifest.save()
    except OSError as exc:
        problem = warning(display_path(manifest.path), 1, "manifest-unwritten",
                          f"cannot write the build manifest: {exc.strerror or exc}; the next build redoes "
                          f"what it cannot prove up to date", 1)
        if problem not in report.run_problems:
            report.run_problems.append(problem)


def _version_mismatches(sources: Sequence[Path]) -> Iterator[tuple[int, DocumentOutcome]]:
    """Language versions of one document (``x.xml``, ``x.fr.xml``) whose structure differs: each
    refused with the differences (check ``version-structure``); the others are built as usual."""
    groups: dict[str, list[int]] = {}
    for index, path in enumerate(sources):
        groups.setdefault(document_stem(str(path)), []).append(index)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        versions: dict[str, int] = {}
        loaded: list[Version] = []
        for index in indexes:
            source, _ = load(sources[index])
            if source.tree is not None and source.tree.getroot().tag == q("document"):
                shown = display_path(sources[index])
                versions[shown] = index
                loaded.append(Version(shown, source.tree.getroot(), source.lines))
        found: dict[str, list[Diagnostic]] = {}
        for problem in version_diagnostics(loaded):
            found.setdefault(problem.path, []).append(problem)
        for shown, problems in found.items():
            yield versions[shown], DocumentOutcome(shown, tuple(problems))

"""Where documents are built: in this process, in a pool of local worker processes, or on Dask.

Every executor runs the same function, :func:`pipeline.build.tasks.render_tasks`, on groups of
neighbouring tasks (:func:`group_size`: several documents when a format renders them
faster together, as DOCX does, one otherwise), and gives the results back **in the order
of the tasks**, whatever order they finish in, so the driver writes files in the same order
as a build in one process (two sources with the same name in different folders end the
same way). At most :func:`window` tasks are out at a time (running, queued or finished but
not yet handed back), so memory does not grow with the number of documents: outputs come
back and are written as the build goes.

* :class:`InProcess` (``--jobs 1``, or too few documents for workers to pay): one after
  the other, with the progress display told what is being rendered.
* :class:`LocalPool` (the default): worker processes started by ``forkserver`` (``spawn``
  where there is none) from a server that imported the pipeline once; each worker keeps its
  registers, renderers, templates and fonts for the whole run, and they share one pandoc,
  served by this process (:mod:`pipeline.formats.docx.service`). Workers
  ignore Ctrl-C: the driver decides when to stop, and then ends them at once (:meth:`LocalPool.abandon`);
  they end by themselves if the driver is killed. Their temporary files (WeasyPrint's fonts,
  pandoc's reference document) go to a folder of the build's own, removed when it ends, or by
  the next build when it was killed. When a worker dies (out of memory, killed), a
  fresh pool takes over and each document it had in hand is tried once more, alone.
* :class:`DaskCluster` (``--executor dask --scheduler ADDRESS``): the same tasks on a Dask
  distributed cluster. Workers read the sources at the paths this process names (the same
  machine, or a shared file system mounted at the same place) and send the outputs back;
  this process writes them. ``dask[distributed]`` is imported only here.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.build.lock import never
from pipeline.build.tasks import Notify, Rendered, Task, render_tasks
from pipeline.build.writer import pid_alive
from pipeline.diagnostics import error
from pipeline.formats import REGISTRY, renders_many
from pipeline.sources.load import display_path

if TYPE_CHECKING:
    from pipeline.formats.docx.service import PandocService

MIN_TASKS_PER_WORKER = 4
"""A worker process pays its start (about a third of a second) only over a few documents:
fewer tasks than this per worker, and fewer workers are started, or none."""

EXECUTORS = ("local", "dask")
"""``--executor`` choices."""



class ExecutorError(RuntimeError):
    """An executor cannot be used (Dask missing, scheduler unreachable)."""


class Executor(Protocol):
    """Runs tasks and gives their results back in task order."""

    workers: int
    """How many tasks it runs at once."""

    def results(self, tasks: Iterable[Task]) -> Iterator[Rendered]:
        """The result of each task, in the order of ``tasks``."""
        ...

    def close(self) -> None:
        """Cancel what has not started; let what runs finish; release the workers."""
        ...

    def abandon(self) -> None:
        """Stop at once: what runs is dropped, the workers are ended and cleaned up after."""
        ...


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def workers_for(jobs: int, tasks: int) -> int:
    """How many local workers to start for ``tasks`` documents with at most ``jobs``."""
    if jobs <= 1 or tasks < 2 * MIN_TASKS_PER_WORKER:
        return 1
    return max(1, min(jobs, tasks // MIN_TASKS_PER_WORKER))


STOP_POLL_SECONDS = 0.1
"""How often a build waiting for its workers looks whether it was asked to stop."""

SCRATCH_PREFIX = "undoc-build-"
"""Prefix of a build's own temporary folder, where its workers (and the libraries they use) keep
their temporary files: ``undoc-build-<pid>-<random>`` in the system's temporary folder."""

MAX_GROUP = 8
"""Most documents rendered together (pandoc's set-up, about 15 ms, is paid once a group;
beyond eight the saving is small and the group's memory is not)."""


def group_size(formats: Sequence[str], tasks: int, workers: int) -> int:
    """Documents handed to a worker at once: one, unless a format renders many faster.

    Groups stay small enough that every worker gets a few, so that the last ones to finish
    do not leave the others idle.
    """
    if not any(renders_many(name) for name in formats):
        return 1
    return max(1, min(MAX_GROUP, tasks // (4 * max(1, workers))))


def window(workers: int, group: int = 1) -> int:
    """Tasks out at a time: enough that a long document does not leave the others idle."""
    return max(8, 8 * workers, group * (2 * workers + 1))


def failed_result(task: Task, code: str, message: str) -> Rendered:
    """The result of a task that could not run at all."""
    shown = display_path(Path(task.path))
    problem = error(shown, 1, code, message, 1)
    return Rendered(task.index, shown, "document", False, (problem,), (), (problem,), (), (), None, None, (),
                    os.getcwd())


def groups(tasks: Iterable[Task], size: int, workers: int | None = None) -> Iterator[tuple[Task, ...]]:
    """``tasks`` in consecutive groups of at most ``size``.

    With ``workers`` and a known number of tasks, groups get smaller towards the end: no
    more than a share of what is left for each worker, so that the workers finish together
    rather than one of them working through a last large group alone.
    """
    left = len(tasks) if workers is not None and isinstance(tasks, Sequence) else None
    workers = workers or 1
    todo = iter(tasks)
    while True:
        wanted = size if left is None else max(1, min(size, left // (2 * workers)))
        unit = tuple(islice(todo, wanted))
        if not unit:
            return
        if left is not None:
            left -= len(unit)
        yield unit


class InProcess:
    """Tasks one after the other in this process (a group at a time)."""

    workers = 1

    def __init__(self, notify: Notify | None = None, group: int = 1) -> None:
        self.notify = notify
        self.group = group

    def results(self, tasks: Iterable[Task]) -> Iterator[Rendered]:
        """Each task's result as soon as its group is done."""
        for unit in groups(tasks, self.group):
            yield from render_tasks(unit, self.notify)

    def close(self) -> None:
        """Nothing to release."""

    def abandon(self) -> None:
        """Nothing runs once the driver stops asking."""


Unit = tuple[Task, ...]
"""Tasks run together by one worker."""


class _Ordered:
    """Submits groups of tasks within a window and hands results back in task order.

    ``stop`` is asked while results are awaited: when it says yes, no more results come.
    """

    workers: int
    group: int = 1
    stop: Callable[[], bool] = staticmethod(never)

    def __init__(self) -> None:
        self._out: dict[Any, Unit] = {}

    def _submit(self, unit: Unit) -> Any:
        raise NotImplementedError

    def _wait(self, pending: list[Any]) -> list[Any]:
        raise NotImplementedError

    def _outcome(self, future: Any, unit: Unit) -> list[Rendered]:
        """The results the group gave; those of tasks submitted again come later."""
        raise NotImplementedError

    def results(self, tasks: Iterable[Task]) -> Iterator[Rendered]:
        """Each task's result, in task order."""
        units = groups(tasks, self.group, self.workers)
        order: list[Task] = []
        ready: dict[int, Rendered] = {}
        limit = window(self.workers, self.group)
        exhausted = False
        while True:
            while not exhausted and len(order) < limit:
                unit = next(units, None)
                if unit is None:
                    exhausted = True
                    break
                order.extend(unit)
                self._out[self._submit(unit)] = unit
            if not order:
                return
            head = order[0].index
            while head not in ready:
                if self.stop():
                    return
                for future in self._wait(list(self._out)):
                    unit = self._out.pop(future)
                    for result in self._outcome(future, unit):
                        ready[result.index] = result
            order.pop(0)
            yield ready.pop(head)


def _context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """``forkserver``, its server importing ``preload`` once for all workers; else ``spawn``.

    Not ``fork``: the driver may run threads (a test's Dask cluster, the pool's own), and a
    child forked from a threaded process can inherit a lock held for ever.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))  # used when the server starts: once a process
        return context
    return multiprocessing.get_context("spawn")


def _start_worker(cwd: str, environment: dict[str, str], driver: Connection) -> None:
    """Make a worker see what the driver sees; leave Ctrl-C to the driver; end with it.

    Its temporary files (WeasyPrint's fonts, pandoc's reference document) go to the build's
    own folder (``TMPDIR`` in ``environment``), which the driver removes when the build ends.
    """
    # What the fork server imported is shared with it until written; the collector would
    # write to every object it visits, so those are left out of its sight.
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environment)
    tempfile.tempdir = None  # read again from TMPDIR: the fork server may have settled it
    threading.Thread(target=_watch_driver, args=(driver,), name="undoc-driver-watch", daemon=True).start()


def _watch_driver(driver: Connection) -> None:
    """End this worker when the driver is gone, killed before it could stop the pool.

    Only the driver holds the other end of ``driver``; when it dies, the end closes. The
    pool's own queues cannot say it: every worker holds their write ends too, and the fork
    server waits for the workers.
    """
    with contextlib.suppress(EOFError, OSError):
        while True:
            driver.recv_bytes()
    os._exit(1)


class LocalPool(_Ordered):
    """Tasks in worker processes on this machine."""

    def __init__(self, workers: int, formats: Sequence[str] = (), group: int = 1) -> None:
        super().__init__()
        self.workers = workers
        self.group = group
        self._context = _context(["pipeline.build.tasks", *(REGISTRY[name] for name in formats if name in REGISTRY),
                                  "pipeline.build.preload"])
        self._watched, self._alive = self._context.Pipe(duplex=False)
        remove_stale_scratch()
        self._scratch = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")
        self._environment = {**os.environ, "TMPDIR": self._scratch}
        self._pandoc: PandocService | None = None
        if "docx" in formats:
            from pipeline.formats.docx.reference import reference_docx_path
            from pipeline.formats.docx.service import SOCKET_VARIABLE, PandocService

            self._pandoc = PandocService(reference_docx_path())
            self._environment[SOCKET_VARIABLE] = self._pandoc.address
        self._pool = self._new_pool()
        self._pool_of: dict[Future[list[Rendered]], ProcessPoolExecutor] = {}
        self._tries: dict[int, int] = {}

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context, initializer=_start_worker,
                                   initargs=(os.getcwd(), self._environment, self._watched))

    def _submit(self, unit: Unit) -> Future[list[Rendered]]:
        try:
            future = self._pool.submit(render_tasks, unit)
        except BrokenProcessPool:  # a worker died; its documents in hand are tried again as they come back
            self._replace_pool()
            future = self._pool.submit(render_tasks, unit)
        self._pool_of[future] = self._pool
        return future

    def _replace_pool(self) -> None:
        broken, self._pool = self._pool, self._new_pool()
        broken.shutdown(wait=False, cancel_futures=True)

    def _wait(self, pending: list[Any]) -> list[Any]:
        done, _ = wait(pending, timeout=STOP_POLL_SECONDS, return_when=FIRST_COMPLETED)
        return list(done)

    def _outcome(self, future: Future[list[Rendered]], unit: Unit) -> list[Rendered]:
        pool = self._pool_of.pop(future)
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker died (out of memory, killed) and the pool with it; which of its tasks
            # killed it cannot be told, so each is tried once more, alone, in a fresh pool.
            if pool is self._pool:
                self._replace_pool()
            failed: list[Rendered] = []
            for task in unit:
                self._tries[task.index] = self._tries.get(task.index, 1) + 1
                if self._tries[task.index] > 2:
                    failed.append(failed_result(task, "worker-died", "the worker process building this document "
                                                "died twice (out of memory, or killed)"))
                else:
                    self._out[self._submit((task,))] = (task,)
            return failed
        except Exception as exc:  # the task itself never raises; the transport can
            return [failed_result(task, "worker-failed", f"the worker could not build it: {type(exc).__name__}: {exc}")
                    for task in unit]

    def close(self) -> None:
        """Cancel queued tasks, let running ones finish, stop the workers."""
        for future in self._out:
            future.cancel()
        self._out.clear()
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self._release()

    def abandon(self) -> None:
        """End the workers now, documents in hand or not (a build asked to stop)."""
        # Nothing is cancelled here: the pool fails every future it holds once its workers
        # are gone, and one cancelled meanwhile makes its manager thread raise.
        self._out.clear()
        try:
            # the pool names its processes only in a private attribute (3.14 adds terminate_workers)
            running = list((getattr(self._pool, "_processes", None) or {}).values())
            for process in running:
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    process.kill()
            for process in running:
                with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
                    process.join(ABANDON_SECONDS)
            # A worker killed while sending a result leaves the pool's reader waiting for the
            # rest for ever, and the interpreter waits for that reader at exit. This process
            # holds the last write end of that pipe: closing it ends the wait.
            with contextlib.suppress(OSError, AttributeError):
                self._pool._result_queue._writer.close()  # type: ignore[attr-defined]
            self._pool.shutdown(wait=False, cancel_futures=False)
        finally:
            self._release()

    def _release(self) -> None:
        """What the pool held beside its workers: the driver pipe, pandoc, the temporary folder."""
        self._alive.close()
        self._watched.close()
        try:
            if self._pandoc is not None:
                self._pandoc.close()
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)


ABANDON_SECONDS = 1.0
"""Longest wait for a worker ended by :meth:`LocalPool.abandon` to be gone."""


def remove_stale_scratch(folder: str | None = None) -> None:
    """Remove the temporary folders of builds that were killed before they could."""
    folder = folder or tempfile.gettempdir()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(SCRATCH_PREFIX):
                continue
            pid = entry.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not pid_alive(int(pid)):
                shutil.rmtree(entry.path, ignore_errors=True)


class DaskCluster(_Ordered):
    """Tasks on the workers of a Dask distributed cluster."""

    def __init__(self, address: str, *, timeout: float = 30) -> None:
        super().__init__()
        try:
            self._distributed: Any = importlib.import_module("distributed")
        except ImportError as exc:
            raise ExecutorError("the dask executor needs dask[distributed]: install the project with its "
                                "'dask' extra (pip install 'undoc-pipeline[dask]')") from exc
        try:
            self._client: Any = self._distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.workers = max(1, sum(self._client.nthreads().values()))
        self._finished: Any = self._distributed.as_completed(loop=self._client.loop)

    def _submit(self, unit: Unit) -> Any:
        future = self._client.submit(render_tasks, unit, pure=False, key=f"undoc-{unit[0].run_id}-{unit[0].index}")
        self._finished.add(future)
        return future

    def _wait(self, pending: list[Any]) -> list[Any]:
        return [next(self._finished)]

    def _outcome(self, future: Any, unit: Unit) -> list[Rendered]:
        try:
            results: list[Rendered] = future.result()
        except Exception as exc:  # a worker that died (KilledWorker), a transport failure
            return [failed_result(task, "worker-failed",
                                  f"the Dask cluster could not build it: {type(exc).__name__}: {exc}") for task in unit]
        finally:
            future.release()
        return results

    def close(self) -> None:
        """Cancel what is left and disconnect (the cluster itself stays up)."""
        pending = list(self._out)
        self._out.clear()
        if pending:
            self._client.cancel(pending)
        self._client.close()

    def abandon(self) -> None:
        """As :meth:`close`: the cluster's workers are not this build's to end."""
        self.close()


def make_executor(kind: str, *, jobs: int, tasks: int, scheduler: str | None = None,
                  notify: Notify | None = None, formats: Sequence[str] = (),
                  stop: Callable[[], bool] = never) -> Executor:
    """The executor for a run of ``tasks`` documents; ``stop`` is asked while results are awaited."""
    if kind == "dask":
        if not scheduler:
            raise ExecutorError("the dask executor needs the address of a scheduler (--scheduler ADDRESS)")
        cluster = DaskCluster(scheduler)
        cluster.group = group_size(formats, tasks, cluster.workers)
        cluster.stop = stop
        return cluster
    if kind != "local":
        raise ExecutorError(f"unknown executor {kind!r}; choose from {', '.join(EXECUTORS)}")
    workers = workers_for(jobs, tasks)
    group = group_size(formats, tasks, workers)
    if workers == 1:
        return InProcess(notify, group)
    pool = LocalPool(workers, formats, group)
    pool.stop = stop
    return pool


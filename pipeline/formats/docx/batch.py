"""One long-lived pandoc process converting many documents: start-up paid once.

A ``pandoc`` run per document costs about 100 ms, most of it process start and DOCX writer
set-up; the conversion itself is a fraction of that. :class:`PandocBatch` keeps one
``pandoc lua`` process running ``batch.lua`` (beside this module), which reads JSON ASTs
from its standard input and answers each with DOCX bytes or an error, so a build pays the
start-up once instead of once per document. A local build runs one for all its workers
(:mod:`pipeline.formats.docx.service`); the DOCX renderer also hands it several documents joined
into one AST, which pays the writer's set-up once for all of them.

The output is the same as the single-document command line's (``pandoc --sandbox
--fail-if-warnings --reference-doc``), which :func:`pipeline.formats.docx.pandoc.run_pandoc_single`
still runs; the package pass rewrites the parts where the two routes' dates differ. The
script keeps what ``--sandbox`` guarantees for this writer (no file is read but the
reference document) and what ``--fail-if-warnings`` does.

Robustness: a document pandoc rejects gets a :class:`PandocError` and the process goes on
with the next; a process that dies or stalls is stopped, the document fails, and the next
document starts a fresh process. The process is closed at exit, and it ends by itself when
its parent goes away (its standard input closes), so none is left behind.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

from pipeline.resources import pandoc_script

from .pandoc import PandocError, pandoc_binary

SCRIPT = pandoc_script()
"""The Lua side of the protocol."""

TIMEOUT_SECONDS = 300.0
"""Longest wait for one document; a 20-times-the-seed document takes about half a second."""

RTS_OPTIONS: tuple[str, ...] = ("-A4m", "-H1m", "-O16m")
"""Options for pandoc's Haskell run-time: a small heap for a long-lived process.

pandoc's binary asks for a 64 MB heap (``-H64m``), right for a process that converts once
and exits; kept for a whole build, in each worker, it was 40 % of a build's memory. These
options keep the heap near 20 MB for the same time per document (measured: 26.9 ms against
26.8 ms a programme of work; resident size 128 MB against 174 MB, 105 MB of it the
binary's code, shared between pandoc processes).
"""

ENVIRONMENT_KEPT = frozenset({"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"})
"""Environment variables pandoc sees (as for the single-document route)."""


class Replies:
    """Replies of the protocol of ``batch.lua`` read from a file descriptor (a pipe, a socket).

    A reply is a line ``STATUS LENGTH``, then ``LENGTH`` bytes; what is read beyond one
    reply is kept for the next.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()

    def clear(self) -> None:
        """Forget what was read (the other end is a new one)."""
        self._buffer.clear()

    def next(self, fd: int, deadline: float) -> tuple[bytes, bytes]:
        """The status and data of the next reply.

        Raises TimeoutError past ``deadline`` (a ``time.monotonic`` value), EOFError when
        the other end closed, ValueError for a malformed header.
        """
        status, _, size = self._line(fd, deadline).partition(b" ")
        return status, self._exactly(fd, int(size), deadline)

    def _read(self, fd: int, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise EOFError
        self._buffer += chunk

    def _line(self, fd: int, deadline: float) -> bytes:
        while (end := self._buffer.find(b"\n")) < 0:
            self._read(fd, deadline)
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return line

    def _exactly(self, fd: int, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._read(fd, deadline)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


class PandocBatch:
    """A ``pandoc lua`` process converting JSON ASTs to DOCX with one reference document."""

    def __init__(self, reference: Path, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.reference = reference
        self.timeout = timeout
        self.converted = 0
        """Documents this object has converted (over all the processes it started)."""
        self.started = 0
        """Processes this object has started."""
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._replies = Replies()
        self._owner = os.getpid()
        self._waiting = False
        self._deadline = 0.0

    # ------------------------------------------------------------ process

    @property
    def pid(self) -> int | None:
        """The process id of the running pandoc, if one is running."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k in ENVIRONMENT_KEPT}
        # kept open for the life of the process, read when it dies
        self._stderr = tempfile.TemporaryFile(prefix="undoc-pandoc-")  # noqa: SIM115
        command = [pandoc_binary(), "lua", str(SCRIPT), str(self.reference)]
        if RTS_OPTIONS:
            command += ["+RTS", *RTS_OPTIONS, "-RTS"]
        try:
            # A session of its own: a Ctrl-C at the terminal reaches the build, which lets
            # the document in hand finish, rather than pandoc, which would fail it.
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=self._stderr, env=env, start_new_session=True)
        except OSError as exc:
            raise PandocError(f"cannot start pandoc: {exc}") from exc
        self._replies.clear()
        self.started += 1
        return process

    def _stop(self, *, kill: bool) -> str:
        """Stop the process; return what it wrote on its standard error."""
        process, self._process = self._process, None
        self._waiting = False
        message = ""
        if process is not None:
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            if kill:
                with contextlib.suppress(OSError):
                    process.kill()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            with contextlib.suppress(OSError):
                self._stderr.seek(0)
                message = self._stderr.read(4000).decode("utf-8", "replace").strip()
            self._stderr.close()
            self._stderr = None
        return message

    def close(self) -> None:
        """End the process (it finishes the document in hand first); idempotent."""
        if self._owner == os.getpid():
            self._stop(kill=False)

    # ------------------------------------------------------------ protocol

    def convert(self, ast_json: bytes, *, epoch: int) -> bytes:
        """The DOCX of one JSON AST; ``epoch`` is SOURCE_DATE_EPOCH for this conversion.

        Raises :class:`PandocError` when pandoc rejects the document, warns, dies or
        stalls; in the last two cases the next call starts a fresh process.
        """
        self.send(ast_json, epoch=epoch)
        return self.receive()

    def send(self, ast_json: bytes, *, epoch: int) -> None:
        """Hand pandoc one document and return at once; :meth:`receive` gives its DOCX.

        The caller can do other work (the images of the package pass, say) while pandoc
        converts. A reply never received is dropped by the next :meth:`send`.
        """
        if epoch < 0:
            raise PandocError(f"SOURCE_DATE_EPOCH must not be negative, got {epoch}")
        if self._waiting:
            with contextlib.suppress(PandocError):
                self.receive()
        if self._process is None or self._process.poll() is not None:
            if self._process is not None:
                self._stop(kill=True)
            self._process = self._start()
        process = self._process
        assert process.stdin is not None
        self._deadline = time.monotonic() + self.timeout
        self._waiting = True
        try:
            process.stdin.write(b"%d %d\n" % (epoch, len(ast_json)))
            process.stdin.write(ast_json)
            process.stdin.flush()
        except OSError:
            pass  # pandoc is gone: receive() says so, with what it wrote on its standard error

    def receive(self) -> bytes:
        """The DOCX of the document last sent; :class:`PandocError` when there is none."""
        if not self._waiting:
            raise PandocError("no document was sent to pandoc")
        self._waiting = False
        process = self._process
        if process is None or process.stdout is None:
            raise PandocError("pandoc stopped before it could convert this document")
        try:
            status, data = self._replies.next(process.stdout.fileno(), self._deadline)
        except TimeoutError:
            self._stop(kill=True)
            raise PandocError(f"pandoc took more than {self.timeout:.0f} s on this document and was "
                              f"stopped") from None
        except (OSError, EOFError, ValueError) as exc:
            detail = self._stop(kill=True)
            raise PandocError(f"pandoc stopped while converting this document "
                              f"({type(exc).__name__}){': ' + detail if detail else ''}") from None
        if status == b"OK":
            self.converted += 1
            return data
        if status == b"ERROR":
            raise PandocError(f"pandoc failed: {data.decode('utf-8', 'replace').strip()}")
        self._stop(kill=True)
        raise PandocError(f"pandoc answered out of protocol: {status[:40]!r}")

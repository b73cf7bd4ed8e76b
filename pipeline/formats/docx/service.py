"""One pandoc for all the workers of a local build, served by the build process.

Each ``pandoc`` process holds about 35 MB of its own (its heap and the data its code
writes) beside the 90 MB of code that processes share. A local build with DOCX starts a
:class:`PandocService` in the build process: a Unix socket that its workers connect to,
in front of one :class:`~pipeline.formats.docx.batch.PandocBatch`. A worker finds the socket in
:data:`SOCKET_VARIABLE` and talks to it through :class:`ServedBatch`, which has the
``send``/``receive`` interface of ``PandocBatch``; requests from the workers are taken one
at a time. pandoc's share of a build is a fraction of each document's time, so the
workers seldom wait for one another.

The protocol is the one of ``batch.lua``: a request is a line ``EPOCH LENGTH`` and the
JSON AST; the reply a line ``OK LENGTH`` or ``ERROR LENGTH`` and the DOCX or a message. A
worker that goes away in the middle of a request loses only its own reply.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from .batch import TIMEOUT_SECONDS, PandocBatch, Replies
from .pandoc import PandocError

SOCKET_VARIABLE = "UNDOC_PANDOC_SOCKET"
"""Environment variable naming the socket of the build's pandoc service, in its workers."""

WAIT_SECONDS = 3 * TIMEOUT_SECONDS
"""Longest a worker waits for a reply: its own document, and another worker's before it."""

MAX_REQUEST = 256 * 1024 * 1024
"""Largest request taken (a JSON AST); the largest document a source may hold is far smaller."""


class PandocService:
    """A socket in this process in front of one long-lived pandoc; see the module."""

    def __init__(self, reference: Path) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="undoc-pandoc-"))
        self.address = str(self._folder / "socket")
        """The path of the socket, for :data:`SOCKET_VARIABLE`."""
        self._batch = PandocBatch(reference)
        self._lock = threading.Lock()
        """Held while pandoc converts: one request at a time."""
        self._connections_lock = threading.Lock()
        self._closed = threading.Event()
        self._connections: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.address)
        self._listener.listen(64)
        threading.Thread(target=self._accept, name="undoc-pandoc-service", daemon=True).start()

    @property
    def started(self) -> int:
        """pandoc processes started so far (more than one when one died or stalled)."""
        return self._batch.started

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with self._connections_lock:
                self._connections.add(connection)
            threading.Thread(target=self._serve, args=(connection,), name="undoc-pandoc-client", daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        stream = connection.makefile("rwb")
        try:
            while True:
                header = stream.readline(100)
                if not header:
                    return
                try:
                    epoch_text, size_text = header.split()
                    epoch, size = int(epoch_text), int(size_text)
                    if size > MAX_REQUEST:
                        raise ValueError
                except ValueError:
                    _reply(stream, b"ERROR", b"malformed request header")
                    return
                ast = stream.read(size)
                if len(ast) != size:
                    return  # the worker went away in the middle of its request
                try:
                    with self._lock:
                        docx = self._batch.convert(ast, epoch=epoch)
                except PandocError as exc:
                    _reply(stream, b"ERROR", str(exc).encode("utf-8"))
                else:
                    _reply(stream, b"OK", docx)
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                stream.close()
            connection.close()
            with self._connections_lock:
                self._connections.discard(connection)

    def close(self) -> None:
        """Stop taking requests, end pandoc and remove the socket; idempotent."""
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._connections_lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        with self._lock:
            self._batch.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def _reply(stream: io.BufferedIOBase, status: bytes, data: bytes) -> None:
    stream.write(b"%s %d\n" % (status, len(data)))
    stream.write(data)
    stream.flush()


class ServedBatch:
    """A worker's side of :class:`PandocService`: the ``send``/``receive`` of a ``PandocBatch``."""

    def __init__(self, address: str, *, timeout: float = WAIT_SECONDS) -> None:
        self.address = address
        self.timeout = timeout
        self._socket: socket.socket | None = None
        self._replies = Replies()
        self._waiting = False
        self._deadline = 0.0
        self._owner = os.getpid()

    def _connect(self) -> socket.socket:
        if self._socket is None:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(self.address)
            except OSError as exc:
                connection.close()
                raise PandocError(f"cannot reach the build's pandoc at {self.address}: {exc}") from exc
            self._socket = connection
            self._replies.clear()
        return self._socket

    def _drop(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._waiting = False

    def send(self, ast_json: bytes, *, epoch: int) -> None:
        """Hand the service one document and return at once; :meth:`receive` gives its DOCX."""
        if epoch < 0:
            raise PandocError(f"SOURCE_DATE_EPOCH must not be negative, got {epoch}")
        if self._waiting:
            with contextlib.suppress(PandocError):
                self.receive()
        connection = self._connect()
        self._deadline = time.monotonic() + self.timeout
        self._waiting = True
        try:
            connection.sendall(b"%d %d\n" % (epoch, len(ast_json)))
            connection.sendall(ast_json)
        except OSError:
            pass  # the service is gone: receive() says so

    def receive(self) -> bytes:
        """The DOCX of the document last sent; :class:`PandocError` when there is none."""
        if not self._waiting or self._socket is None:
            raise PandocError("no document was sent to pandoc")
        self._waiting = False
        try:
            status, data = self._replies.next(self._socket.fileno(), self._deadline)
        except TimeoutError:
            self._drop()
            raise PandocError(f"the build's pandoc gave no answer in {self.timeout:.0f} s") from None
        except (OSError, EOFError, ValueError) as exc:
            self._drop()
            raise PandocError(f"the build's pandoc stopped answering ({type(exc).__name__})") from None
        if status == b"OK":
            return data
        if status == b"ERROR":
            raise PandocError(data.decode("utf-8", "replace").strip())
        self._drop()
        raise PandocError(f"the build's pandoc answered out of protocol: {status[:40]!r}")

    def close(self) -> None:
        """Disconnect (the service and its pandoc go on); idempotent."""
        if self._owner == os.getpid():
            self._drop()

"""The converter a document's DOCX goes through: this thread's long-lived pandoc, or the build's.

:func:`start_pandoc` hands a JSON AST to :func:`shared_batch`, which is a pandoc of this
process's own (:mod:`pipeline.formats.docx.batch`) or, in a worker of a local build, the
build's one pandoc (:mod:`pipeline.formats.docx.service`), named by the environment.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable
from pathlib import Path

from .batch import PandocBatch
from .service import SOCKET_VARIABLE, ServedBatch


def run_pandoc(ast_json: bytes, reference: Path, *, epoch: int) -> bytes:
    """Convert a JSON AST to DOCX bytes with ``reference`` as reference document.

    The conversion goes to this thread's long-lived pandoc (:mod:`pipeline.formats.docx.batch`), or
    the build's (:mod:`pipeline.formats.docx.service`), so a build starts pandoc once rather than
    once per document; after the package pass the bytes are those of :func:`run_pandoc_single`.
    """
    return start_pandoc(ast_json, reference, epoch=epoch)()


def start_pandoc(ast_json: bytes, reference: Path, *, epoch: int) -> Callable[[], bytes]:
    """Start converting a JSON AST as :func:`run_pandoc` does; call the result for the DOCX.

    pandoc works in its own process meanwhile, so the caller can prepare the rest of the
    document; call the result before starting the next conversion in this thread.
    """
    batch = shared_batch(reference)
    batch.send(ast_json, epoch=epoch)
    return batch.receive


_local = threading.local()
_all: list[PandocBatch | ServedBatch] = []
_lock = threading.Lock()


def shared_batch(reference: Path) -> PandocBatch | ServedBatch:
    """This thread's converter for ``reference``, started on first use.

    In a worker of a local build it talks to the build's one pandoc
    (:mod:`pipeline.formats.docx.service`, named by the environment); elsewhere it is a pandoc of
    its own. One per thread and per process: a child made by ``fork`` starts its own
    rather than talking to its parent's process.
    """
    address = os.environ.get(SOCKET_VARIABLE)
    key = (os.getpid(), address or str(reference))
    found: PandocBatch | ServedBatch | None = getattr(_local, "batch", None)
    if found is None or getattr(_local, "key", None) != key:
        if found is not None and found._owner == os.getpid():
            found.close()
        found = ServedBatch(address) if address else PandocBatch(reference)
        _local.batch, _local.key = found, key
        with _lock:
            _all.append(found)
    return found


@atexit.register
def close_all() -> None:
    """End every converter this process started."""
    with _lock:
        batches = [b for b in _all if b._owner == os.getpid()]
        _all.clear()
    for batch in batches:
        batch.close()

"""One build at a time into an output folder: a lock on ``<out>/.lock``.

A build holds the lock from before it reads the folder's manifest until it has written
its last output and the manifest. A second build into the same folder waits for it (and
says so on standard error), or, asked not to wait, refuses with :class:`OutputBusy`. The
lock is the operating system's (``flock``): it goes with the process that holds it, so a
killed build never leaves the folder locked. The file itself stays, empty: removing it
would let a third build lock another file of the same name.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

try:
    import fcntl
except ImportError:  # not a POSIX system: builds are not kept apart
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"
"""The lock file's name in the output folder."""


def _try(fd: int) -> bool:
    """Take the lock on ``fd`` if it is free."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class OutputBusy(RuntimeError):
    """Another build is writing to the output folder, and this one was asked not to wait."""


WAIT_SECONDS = 0.1
"""How often a waiting build tries the lock again (and sees whether it was asked to stop)."""


def _never() -> bool:
    return False


@contextlib.contextmanager
def output_lock(out_dir: Path, *, wait: bool = True, stop: Callable[[], bool] = _never,
                stream: TextIO | None = None) -> Iterator[bool]:
    """Hold the lock of ``out_dir`` (made when missing) for the ``with`` block; give True.

    When another build holds it: wait for it, saying so on ``stream`` (standard error), or,
    when ``wait`` is false, raise :class:`OutputBusy`. Asked to ``stop`` while waiting, give
    False without the lock. A folder where no lock file can be made is not locked (nothing
    can be written there either).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield True
        return
    try:
        fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a folder this build cannot write to: its writes will fail and say why
        yield True
        return
    try:
        if not _try(fd):
            if not wait:
                raise OutputBusy(f"another build is writing to {out_dir}; try again when it is done, "
                                 f"or build into another folder") from None
            print(f"waiting for another build to finish writing to {out_dir} …",
                  file=stream or sys.stderr, flush=True)
            while not _try(fd):
                if stop():
                    yield False
                    return
                time.sleep(WAIT_SECONDS)
        yield True
    finally:
        os.close(fd)  # releases the lock

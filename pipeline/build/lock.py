"""One build at a time into an output folder: a lock on the folder itself.

A build holds the lock from before it reads the folder's manifest until it has written
its last output and the manifest. A second build into the same folder waits for it (and
says so on standard error), or, asked not to wait, refuses with :class:`OutputBusy`. The
lock is the operating system's (``flock``) on the folder: it goes with the process that
holds it, so a killed build never leaves the folder locked, and it adds no file to the
folder. Where a folder cannot be locked (some network file systems), a file in it,
``.lock``, is locked instead.
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
"""The lock file's name in the output folder, where the folder itself cannot be locked."""

WAIT_SECONDS = 0.1
"""How often a waiting build tries the lock again (and sees whether it was asked to stop)."""


class OutputBusy(RuntimeError):
    """Another build is writing to the output folder, and this one was asked not to wait."""


def never() -> bool:
    """A stop request that never comes."""
    return False


def _try(fd: int) -> bool:
    """Take the lock on ``fd`` if it is free."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _lockable(out_dir: Path) -> int | None:
    """An open descriptor to lock for ``out_dir``: the folder's own, or its lock file's; None
    when neither can be had (a folder this build cannot write to: its writes fail and say why)."""
    with contextlib.suppress(OSError):
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            _try(fd)  # whether the folder can be locked at all; held or busy says yes
            fcntl.flock(fd, fcntl.LOCK_UN)
            return fd
        except OSError:
            os.close(fd)
    with contextlib.suppress(OSError):
        return os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    return None


@contextlib.contextmanager
def output_lock(out_dir: Path, *, wait: bool = True, stop: Callable[[], bool] = never,
                stream: TextIO | None = None) -> Iterator[bool]:
    """Hold the lock of ``out_dir`` (made when missing) for the ``with`` block; give True.

    When another build holds it: wait for it, saying so on ``stream`` (standard error), or,
    when ``wait`` is false, raise :class:`OutputBusy`. Asked to ``stop`` while waiting, give
    False without the lock. A folder that cannot be locked is not.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = _lockable(out_dir) if fcntl is not None else None
    if fd is None:
        yield True
        return
    try:
        if not _try(fd):
            if not wait:
                raise OutputBusy(f"another build is writing to {out_dir}; try again when it is done, "
                                 f"or build into another folder")
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

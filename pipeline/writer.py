"""The only code that writes outputs: atomically, so no reader ever sees half a file.

Bytes go to a temporary file in the target folder, are flushed to disk, and replace the
target in one rename. A build that fails or is interrupted leaves the previous output (or
nothing), never a truncated file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` atomically; return False when it already held them."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    _remove_stale_parts(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True


def _remove_stale_parts(target: Path) -> None:
    """Remove temporary files a killed build left for ``target`` (a rename never happened)."""
    for stale in target.parent.glob(f".{glob_escape(target.name)}.*.part"):
        with contextlib.suppress(OSError):
            stale.unlink()


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)

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

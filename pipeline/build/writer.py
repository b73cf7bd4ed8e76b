"""The only code that writes outputs: atomically, so no reader ever sees half a file.

Bytes go to a temporary file in the target folder, are flushed to disk, and replace the
target in one rename. A build that fails or is interrupted leaves the previous output (or
nothing), never a truncated file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.build.report import DocumentOutcome
from pipeline.diagnostics import Diagnostic, error
from pipeline.sources.load import display_path
from pipeline.validate.check import fails


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
    _seen_changed(target.parent)
    return True


_parts_seen: dict[Path, tuple[int, dict[str, list[str]]]] = {}
"""Per folder: its modification time when last seen, and the temporary files then in it, by target."""


def _remove_stale_parts(target: Path) -> None:
    """Remove temporary files a killed build left for ``target`` (a rename never happened).

    The folder is listed once, not once a file: listing a folder of N outputs for each of
    them made a build of many documents quadratic. It is listed again when something else
    changed it since this process last wrote there.
    """
    folder = target.parent
    try:
        changed = folder.stat().st_mtime_ns
    except OSError:
        return
    seen = _parts_seen.get(folder)
    if seen is None or seen[0] != changed:
        seen = (changed, _parts_in(folder))
    for name in seen[1].pop(target.name, ()):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    _parts_seen[folder] = seen


def _parts_in(folder: Path) -> dict[str, list[str]]:
    """The temporary files in ``folder`` (``.<target>.<random>.part``), by target name."""
    found: dict[str, list[str]] = {}
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") and name.endswith(".part") and name.count(".") >= 3:
                found.setdefault(name[1:-5].rsplit(".", 1)[0], []).append(name)
    return found


def _seen_changed(folder: Path) -> None:
    """Note this process's own change to ``folder``, so the next write does not list it again."""
    seen = _parts_seen.get(folder)
    if seen is not None:
        with contextlib.suppress(OSError):
            _parts_seen[folder] = (folder.stat().st_mtime_ns, seen[1])


def write_outputs(shown: str, rendered: Sequence[tuple[Path, bytes]],
                  problems: Sequence[Diagnostic]) -> DocumentOutcome:
    """Write a document's outputs: all of them, or none when its problems stop it."""
    problems = list(problems)
    if fails(problems):
        return DocumentOutcome(shown, tuple(problems))
    written: list[str] = []
    unchanged: list[str] = []
    for target, data in rendered:
        try:
            (written if write_atomic(target, data) else unchanged).append(target.name)
        except OSError as exc:
            problems.append(error(shown, 1, "write-failed",
                                  f"cannot write {display_path(target)}: {exc.strerror or exc}; "
                                  f"the previous file, if any, is left as it was", 1))
    built = not fails(problems)
    return DocumentOutcome(shown, tuple(problems), tuple(written), tuple(unchanged), built)

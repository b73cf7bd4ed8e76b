"""Noticing edits: the XML files under the sources folder, polled.

Polling a few dozen files costs a ``stat`` each per tick and needs no dependency. It sees
every way an editor saves (in place, or a new file renamed over the old one), and it works
where file-system notifications do not reach: folders shared into a container or a virtual
machine, network file systems.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

POLL_SECONDS = 0.05
"""How often the files are looked at: a twentieth of a second, well under the reload budget."""

Stamp = tuple[int, int, int]
"""What tells a file changed: its modification time (ns), size and inode."""


def xml_files(folders: Iterable[Path], files: Iterable[Path] = ()) -> list[Path]:
    """Every ``*.xml`` under ``folders`` (their registers in sub-folders included), and ``files``."""
    found = {p for folder in folders if folder.is_dir() for p in folder.rglob("*.xml")}
    found.update(files)
    return sorted(found)


def stamps(paths: Iterable[Path]) -> dict[Path, Stamp]:
    """The stamp of each path that exists now."""
    seen: dict[Path, Stamp] = {}
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            continue
        seen[path] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return seen


def changed(before: dict[Path, Stamp], after: dict[Path, Stamp]) -> list[Path]:
    """Paths added, removed or modified between two looks."""
    return sorted({p for p in before.keys() | after.keys() if before.get(p) != after.get(p)})

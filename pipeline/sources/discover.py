"""Which files are documents, and the folder each must stay inside."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

DEFAULT_SOURCES = Path("sources")
"""Where documents are found when no source is named."""

def discover(arguments: Sequence[Path], default: Path = DEFAULT_SOURCES) -> list[Path]:
    """Document sources named on the command line: files as given, folders' ``*.xml``.

    Registers live in sub-folders (``sources/shared/``) and are not documents, so a folder
    contributes only the XML files directly in it.
    """
    found: list[Path] = []
    for argument in arguments or [default]:
        if argument.is_dir():
            found.extend(sorted(argument.glob("*.xml")))
        else:
            found.append(argument)
    return list(dict.fromkeys(found))


def sources_root_for(path: Path, default: Path = DEFAULT_SOURCES) -> Path:
    """The folder a source and its registers must stay inside: ``sources/`` or the file's folder.

    The choice follows the path as written, so that a symbolic link in ``sources/`` that
    points elsewhere is judged against ``sources/`` (and refused).
    """
    if default.is_dir() and lexically_inside(path, default):
        return default
    return path.parent


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (resolved, symbolic links followed) lies within ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def lexically_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` lies within ``folder`` as written (links not followed)."""
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True

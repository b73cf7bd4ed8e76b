"""Which files are documents, and the folder each must stay inside."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pipeline.project.config import config_for_source

DEFAULT_SOURCES = Path("sources")
"""Where documents are found when no source is named."""

class SourcesError(ValueError):
    """The sources or the output folder asked for cannot be used (a usage error)."""


def discover(arguments: Sequence[Path], default: Path = DEFAULT_SOURCES) -> list[Path]:
    """Document sources named on the command line: files as given, folders' ``*.xml``.

    Registers live in sub-folders (``sources/shared/``) and are not documents, so a folder
    contributes only the XML files directly in it. A file named twice (``x.xml`` and
    ``./x.xml``) counts once. :class:`SourcesError` when nothing is named and there is no
    ``sources/`` folder, or a folder cannot be listed.
    """
    if not arguments and not default.is_dir():
        raise SourcesError(f"no {default}/ folder here and no source named: run in the folder that holds "
                           f"{default}/, or name the source files or folders to use")
    found: list[Path] = []
    for argument in arguments or [default]:
        if argument.is_dir():
            found.extend(_xml_files(argument))
        else:
            found.append(argument)
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)
    return list(unique.values())


def _xml_files(folder: Path) -> list[Path]:
    """The ``*.xml`` entries directly in ``folder``, sorted (links included, whatever they lead to)."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.endswith(".xml")]
    except OSError as exc:
        raise SourcesError(f"cannot list the sources folder {folder}: {exc.strerror or exc}") from None
    return sorted(folder / name for name in names)


def output_folder_problem(out_dir: Path, arguments: Sequence[Path], default: Path = DEFAULT_SOURCES) -> str | None:
    """Why a build of the sources named by ``arguments`` must not write to ``out_dir``, or None.

    Refused: the working folder itself (``--out .``, or an empty name), a folder of sources
    or a folder inside one (the next build would read its own outputs as sources), and the
    folder of a source file named on its own.
    """
    if str(out_dir) in ("", "."):
        return ("the output folder may not be the working folder itself ('.' or an empty name): "
                "name a folder of its own, such as out/")
    if out_dir.exists() and not out_dir.is_dir():
        return f"the output folder {out_dir} is a file, not a folder: name a folder"
    out = Path(os.path.realpath(out_dir))
    if out == Path(os.path.realpath(".")):
        return f"the output folder {out_dir} is the working folder itself: name a folder of its own"
    folders = [path for path in arguments or [default] if path.is_dir()]
    files = [path for path in arguments if not path.is_dir()]
    folders.extend(root for root in {sources_root_for(path, default) for path in files} if root == default)
    for folder in folders:
        inside = Path(os.path.realpath(folder))
        if out == inside or inside in out.parents:
            return (f"the output folder {out_dir} is {'the' if out == inside else 'inside the'} sources folder "
                    f"{folder}: the next build would read its outputs as sources; name a folder elsewhere")
    for path in files:
        if out == Path(os.path.realpath(path.parent)):
            return (f"the output folder {out_dir} is the folder of the source {path}: its outputs would lie "
                    f"among the sources; name a folder of its own")
    return None


def sources_root_for(path: Path, default: Path | None = None) -> Path:
    """The folder a source and its registers must stay inside: the sources folder or the file's folder.

    The sources folder is ``default`` where given, else the one the configuration that applies
    to the file names (``sources/`` without one). The choice follows the path as written, so
    that a symbolic link in the sources folder that points elsewhere is judged against that
    folder (and refused).
    """
    folder = default if default is not None else config_for_source(path).sources
    if folder.is_dir() and lexically_inside(path, folder):
        return folder
    return path.parent


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (resolved, symbolic links followed) lies within ``folder``.

    A link that leads back to itself (a loop) leads nowhere: it is judged where it stands,
    and reading it then fails with a diagnostic that says so.
    """
    try:
        path.resolve().relative_to(folder.resolve())
    except RuntimeError:  # a loop of symbolic links
        return lexically_inside(path, folder)
    except (ValueError, OSError):
        return False
    return True


def lexically_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` lies within ``folder`` as written (links not followed)."""
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True

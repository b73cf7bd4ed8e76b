"""The pinned pandoc, found through pypandoc and run on a JSON AST.

The AST is tied to the pandoc version (pandoc-types), and the golden files depend on
pandoc's DOCX writer, so one version is pinned and checked before first use.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

PANDOC_VERSION = "3.9"
"""The pandoc version the AST and the golden files are made for (pypandoc-binary 1.17)."""

PANDOC_API_VERSION = (1, 23, 1, 1)
"""The pandoc-types API version of :data:`PANDOC_VERSION`'s JSON AST."""


class PandocError(RuntimeError):
    """pandoc is missing, of another version, or failed."""


def check_pandoc_version(found: str) -> None:
    """Raise :class:`PandocError` unless ``found`` is :data:`PANDOC_VERSION`."""
    if found != PANDOC_VERSION:
        raise PandocError(
            f"the DOCX renderer needs pandoc {PANDOC_VERSION} (pypandoc-binary 1.17), but pypandoc "
            f"found pandoc {found}; install the pinned version with "
            f"`python3 -m pip install pypandoc-binary==1.17`")


def pandoc_version() -> str:
    """The version of the pandoc that pypandoc finds (not checked against the pinned one)."""
    import pypandoc

    return str(pypandoc.get_pandoc_version())


@functools.cache
def pandoc_binary() -> str:
    """The path of the pinned pandoc binary, checked once per process."""
    try:
        import pypandoc
    except ImportError as exc:
        raise PandocError("the DOCX renderer needs pypandoc-binary 1.17 "
                          "(`python3 -m pip install pypandoc-binary==1.17`)") from exc
    try:
        version = str(pypandoc.get_pandoc_version())
        path = str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise PandocError(f"pandoc not found through pypandoc: {exc}") from exc
    check_pandoc_version(version)
    return path


def run_pandoc_single(ast_json: bytes, reference: Path, *, epoch: int) -> bytes:
    """Convert a JSON AST to DOCX bytes in a pandoc process of its own.

    pandoc runs sandboxed (it reads only the files named on its command line) and fails on
    any warning; ``epoch`` is passed as SOURCE_DATE_EPOCH so the dates it writes are fixed.
    """
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    command = [pandoc_binary(), "--from=json", "--to=docx", "--sandbox", "--fail-if-warnings",
               f"--reference-doc={reference}", "--output=-"]
    result = subprocess.run(command, input=ast_json, capture_output=True, env=env, check=False)
    if result.returncode != 0 or result.stderr.strip():
        raise PandocError(f"pandoc failed (exit {result.returncode}): "
                          f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout

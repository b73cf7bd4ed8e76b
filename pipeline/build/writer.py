"""The only code that writes outputs: a document's files are replaced all together, or not at all.

Each file's bytes first go to a temporary file beside its target (``.<name>.<owner>.part``,
the owner being this process's id and a random token, so that two builds never take each
other's files for leftovers), flushed to disk. Then the targets are replaced:

* one file: a single rename, which readers see whole or not at all;
* several files: a small journal (``.undoc-journal.<owner>.json``) names the targets and the
  backups of the files they replace (hard links, ``.<name>.<owner>.old``); every part is
  renamed over its target; the journal is removed (the moment the document is wholly new),
  then the backups. A rename that fails puts every replaced file back from its backup and
  removes the files that did not exist before, so the document is wholly as it was.

A build killed before it could do either leaves the journal behind; :func:`recover`, run by
the next build into the folder before it writes anything, puts that document back as it was
and clears temporary files whose owner is gone. So every document is either wholly old or
wholly new, and no reader ever sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.build.report import DocumentOutcome
from pipeline.diagnostics import Diagnostic, error
from pipeline.sources.load import display_path
from pipeline.validate.check import fails

PART_SUFFIX = ".part"
"""Suffix of a file being written."""

BACKUP_SUFFIX = ".old"
"""Suffix of the previous version of a file, kept while its document is being replaced."""

JOURNAL_PREFIX = ".undoc-journal."
"""Prefix of the journal of a document being replaced."""


def owner_token() -> str:
    """A name for one write: this process's id and a random part (``<pid>-<hex>``)."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def _owner_alive(token: str, here: bool) -> bool:
    """Whether the process named in ``token`` may still be writing.

    A file of this very process is a leftover when ``here`` (the caller holds the folder's
    lock and is not writing yet); a token without a process id is an older build's.
    """
    pid_text = token.split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return not here
    return pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` to ``fd`` (one system call a chunk, whatever it takes)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_part(target: Path, data: bytes, token: str) -> Path:
    """``data`` in a temporary file beside ``target``, on disk; its path."""
    part = target.with_name(f".{target.name}.{token}{PART_SUFFIX}")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            os.fchmod(fd, 0o644)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise
    return part


def _holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` is a file holding exactly ``data``."""
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def write_atomic(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` atomically; return False when it already held them."""
    return bool(replace_together([(target, data)]))


def replace_together(files: Sequence[tuple[Path, bytes | None]]) -> list[str]:
    """Give each target its bytes, all of them or none; the names of the files written.

    ``None`` for bytes removes the target (a format the document no longer has an output
    in), as part of the same change. Files already holding their bytes are left alone. On
    any failure (an exception, a Ctrl-C included) every target is as it was before, and
    the exception is raised.
    """
    changed = [(target, data) for target, data in files
               if (os.path.lexists(target) if data is None else not _holds(target, data))]
    if not changed:
        return []
    for target, _ in changed:
        target.parent.mkdir(parents=True, exist_ok=True)
    token = owner_token()
    parts: list[Path | None] = []
    current = changed[0][0]
    try:
        for current, data in changed:
            parts.append(None if data is None else _write_part(current, data, token))
        if len(changed) == 1:
            part = parts[0]
            if part is None:
                os.unlink(current)
            else:
                os.replace(part, current)
        else:
            _commit([target for target, _ in changed], parts, token)
    except BaseException as exc:
        for part in parts:
            if part is not None:
                with contextlib.suppress(OSError):
                    os.unlink(part)
        if isinstance(exc, OSError) and (not isinstance(exc.filename, str) or exc.filename.endswith(PART_SUFFIX)):
            exc.filename, exc.filename2 = str(current), None  # the output, not its temporary file
        raise
    return [target.name for target, data in changed if data is not None]


def _journal_entry(target: Path, part: Path | None, token: str) -> dict[str, str | bool | None]:
    """What the journal says of one target: its part (None: it is removed), its backup,
    whether it existed."""
    part_name = part.name if part is not None else None
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return {"target": target.name, "part": part_name, "backup": None, "created": True}
    backup = f".{target.name}.{token}{BACKUP_SUFFIX}" if stat.S_ISREG(info.st_mode) else None
    return {"target": target.name, "part": part_name, "backup": backup, "created": False}


def _commit(targets: Sequence[Path], parts: Sequence[Path | None], token: str) -> None:
    """Rename every part over its target (remove the target for None), as one change (see the module)."""
    folder = targets[0].parent
    if any(target.parent != folder for target in targets):
        raise ValueError("the files of one document are written to one folder")
    entries = [_journal_entry(target, part, token) for target, part in zip(targets, parts, strict=True)]
    journal = folder / f"{JOURNAL_PREFIX}{token}.json"
    # Not flushed to disk: it guards against a build that is killed, which the page cache
    # survives; the renames it guards are not flushed either.
    text = json.dumps({"entries": entries}).encode("utf-8")
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            _write_all(fd, text)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(journal)
        raise
    target = targets[0]
    try:
        for target, part, entry in zip(targets, parts, entries, strict=True):
            backup = entry["backup"]
            if isinstance(backup, str):
                _keep_previous(target, folder / backup)
            if part is not None:
                os.replace(part, target)
            else:
                os.unlink(target)
    except BaseException as exc:
        _roll_back(folder, entries)
        with contextlib.suppress(OSError):
            os.unlink(journal)
        if isinstance(exc, OSError):
            exc.filename, exc.filename2 = str(target), None
        raise
    os.unlink(journal)  # from here on, the document is wholly new
    for entry in entries:
        if isinstance(entry["backup"], str):
            with contextlib.suppress(OSError):
                os.unlink(folder / entry["backup"])


def _keep_previous(target: Path, backup: Path) -> None:
    """Keep the file ``target`` now holds under ``backup`` (a second name, or a copy)."""
    try:
        os.link(target, backup)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.EOPNOTSUPP):
            raise
        # a file system without hard links: a copy, whole before it takes the backup's name
        copy = _write_part(backup, target.read_bytes(), "copy")
        os.replace(copy, backup)


def _roll_back(folder: Path, entries: Sequence[Mapping[str, object]]) -> None:
    """Put the targets of ``entries`` back as they were before the document was replaced."""
    for entry in reversed(entries):
        target = folder / str(entry.get("target"))
        backup = entry.get("backup")
        part = entry.get("part")
        if isinstance(backup, str) and os.path.lexists(folder / backup):
            if _same_file(folder / backup, target):
                os.unlink(folder / backup)  # renaming a file over another name of itself does nothing
            else:
                os.replace(folder / backup, target)
        elif entry.get("created") is True and os.path.isfile(target) and not os.path.islink(target):
            os.unlink(target)
        if isinstance(part, str):
            with contextlib.suppress(OSError):
                os.unlink(folder / part)


def _same_file(one: Path, other: Path) -> bool:
    """Whether two names lead to one file."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _plain_name(name: object) -> bool:
    """Whether ``name`` names a file of the folder itself (a journal names nothing elsewhere)."""
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def _token_of(name: str, suffix: str) -> str | None:
    """The owner token in a temporary file's name (``.<target>.<token><suffix>``)."""
    if not (name.startswith(".") and name.endswith(suffix)) or name.count(".") < 3:
        return None
    return name[: -len(suffix)].rsplit(".", 1)[1]


def recover(folder: Path) -> list[str]:
    """Finish what killed builds left in ``folder``; the names of the documents' targets put back.

    Run with the folder's lock held, before writing: a journal left behind means its
    document was being replaced when its build was killed, and it is put back as it was;
    temporary files and backups whose owner is gone are removed.
    """
    restored: list[str] = []
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return restored
    for name in names:
        if not (name.startswith(JOURNAL_PREFIX) and name.endswith(".json")):
            continue
        token = name[len(JOURNAL_PREFIX):-len(".json")]
        if _owner_alive(token, here=True):
            continue
        journal = folder / name
        try:
            data = json.loads(journal.read_bytes())
            entries = [e for e in data["entries"] if isinstance(e, dict) and _plain_name(e.get("target"))
                       and all(e.get(k) is None or _plain_name(e.get(k)) for k in ("part", "backup"))]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            entries = []
        with contextlib.suppress(OSError):
            _roll_back(folder, entries)
            restored.extend(str(e["target"]) for e in entries)
        with contextlib.suppress(OSError):
            os.unlink(journal)
    for name in names:
        owner = _token_of(name, PART_SUFFIX) or _token_of(name, BACKUP_SUFFIX)
        if owner is not None and not _owner_alive(owner, here=True):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
    return restored


def write_outputs(shown: str, rendered: Sequence[tuple[Path, bytes | None]],
                  problems: Sequence[Diagnostic]) -> DocumentOutcome:
    """Write a document's outputs: all of them, or none when its problems stop it or a write fails.

    A target with ``None`` for bytes (a format the document has no output in) is removed
    with the others written, so no stale file of it stays.
    """
    problems = list(problems)
    if fails(problems):
        return DocumentOutcome(shown, tuple(problems))
    try:
        written = replace_together(rendered)
    except OSError as exc:
        failed = display_path(Path(exc.filename)) if exc.filename else "its outputs"
        problems.append(error(shown, 1, "write-failed",
                              f"cannot write {failed}: {exc.strerror or exc}; every output of this "
                              f"document is left as it was", 1))
        return DocumentOutcome(shown, tuple(problems))
    unchanged = [target.name for target, data in rendered if data is not None and target.name not in written]
    built = not fails(problems)
    return DocumentOutcome(shown, tuple(problems), tuple(written), tuple(unchanged), built)

"""The build manifest: content hashes that say exactly which outputs are up to date.

``out/.manifest.json`` records, for every document built, the SHA-256 of its source, of
the register it uses, of each output file, the diagnostics it had, and one fingerprint of
everything else an output depends on: the pipeline's code and data, the templates, the
schemas, the versions of the libraries that write bytes, SOURCE_DATE_EPOCH. A build then
redoes, for each document and format, only what one of these says has changed:

* the source changed, or its register, or the fingerprint: every format of the document;
* an output is missing, or its bytes are not the ones recorded: that output;
* a format never built for this document: that format.

Deciding costs reading and hashing files, never parsing a source. Sources and registers are
hashed on every run; an output is hashed when its size or modification time is not the one
recorded with its hash (as git's index does), so a no-op build does not read every output
again, and an output changed in any way that shows is caught. A document that is up to
date is not opened again, and the diagnostics it had (warnings, say) are reported from the
manifest, so a run says the same thing whether it rebuilt a document or not. Documents
that failed are not recorded, so they are checked again on every run. The manifest is
written atomically through :mod:`pipeline.build.writer`.

Damaged state never blocks a build: a manifest that cannot be read is ignored (everything
is built again), a malformed entry is dropped on its own (its document is built again),
and either is said once (:attr:`Manifest.damage`) and the manifest written anew. Entries of
sources that no longer exist are dropped, so the manifest does not grow with renamed
sources. The build holds the output folder's lock while it loads and saves; saving still
reads the manifest again when another writer changed it since, and keeps the entries this
run did not touch.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.build.writer import write_atomic
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.project.config import find_config_file, read_config
from pipeline.resources import fonts_dir, schemas_dir, templates_dir

MANIFEST_NAME = ".manifest.json"
"""The manifest's file name in the output folder."""

MANIFEST_VERSION = 1
"""Version of the manifest's own format; another version is ignored (everything rebuilt)."""

PACKAGE_DIR = Path(str(importlib.resources.files("pipeline")))
"""The ``pipeline`` package's code and wording tables (its data folder is fingerprinted apart)."""

DISTRIBUTIONS = ("lxml", "Jinja2", "MarkupSafe", "jsonschema", "jsonschema-rs", "segno", "icalendar", "tzdata",
                 "pypandoc-binary", "weasyprint", "pydyf", "fonttools")
"""Libraries whose version can change the bytes of an output."""

ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
"""Environment variables that can change the bytes of an output."""

Json = dict[str, Any]


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hexadecimal."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def sha256_or_none(path: Path) -> str | None:
    """The SHA-256 of a regular file, or None when it is missing or unreadable."""
    try:
        return sha256_file(path) if path.is_file() else None
    except OSError:
        return None


def _tree_files(folder: Path) -> Iterable[Path]:
    """Files under ``folder``, links to folders not followed, caches and hidden files left out."""
    for top, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__" and not f.startswith(".")
                            and not (Path(top) == PACKAGE_DIR and f == "data"))
        for name in sorted(files):
            if not name.startswith(".") and not name.endswith((".pyc", ".pyo")):
                yield Path(top) / name


def fingerprint_inputs(folders: Sequence[Path] | None = None) -> list[tuple[str, str]]:
    """What the fingerprint is made of: (name, value) pairs, sorted."""
    roots = list(folders) if folders is not None else [PACKAGE_DIR, templates_dir(), schemas_dir(), fonts_dir()]
    items: list[tuple[str, str]] = [("manifest", str(MANIFEST_VERSION)), ("pipeline", __version__),
                                    ("python", f"{sys.version_info[0]}.{sys.version_info[1]}")]
    for root in roots:
        if not root.is_dir():
            items.append((f"folder:{root.name}", "absent"))
            continue
        for path in _tree_files(root):
            items.append((f"{root.name}/{path.relative_to(root).as_posix()}", sha256_file(path)))
    for name in DISTRIBUTIONS:
        try:
            items.append((f"dist:{name}", importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            items.append((f"dist:{name}", "absent"))
    for variable in ENVIRONMENT:
        items.append((f"env:{variable}", os.environ.get(variable, "")))
    if folders is None:  # the documents repository's configuration: its venues shape calendars and pages
        config = find_config_file(Path.cwd())
        items.append(("config", (sha256_or_none(config) or "unreadable") if config is not None else "none"))
        emblem = read_config(config).emblem if config is not None else None  # drawn on every first page
        items.append(("emblem", hashlib.sha256(emblem.data).hexdigest() if emblem is not None else "none"))
    return sorted(items)


def fingerprint(folders: Sequence[Path] | None = None) -> str:
    """One hash of everything besides sources and registers that outputs depend on."""
    digest = hashlib.sha256()
    for name, value in fingerprint_inputs(folders):
        digest.update(f"{name}\0{value}\n".encode())
    return digest.hexdigest()


@functools.cache
def process_fingerprint() -> str:
    """:func:`fingerprint` as it was when this process first asked: what its caches hold."""
    return fingerprint()


def _compact(value: object) -> str:
    """``value`` as compact JSON with sorted keys."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _entry_text(entry: Json | str) -> str:
    """A document's entry as compact JSON (recorded entries are kept as such already)."""
    return entry if isinstance(entry, str) else _compact(entry)


def _stat(path: Path) -> Json:
    """Size and modification time of a file just written, recorded with its hash."""
    try:
        info = path.stat()
    except OSError:
        return {}
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def diagnostic_to_json(d: Diagnostic) -> Json:
    """A diagnostic as the manifest stores it."""
    return dict(d.as_dict())


def diagnostic_from_json(data: Mapping[str, Any]) -> Diagnostic:
    """A diagnostic stored by :func:`diagnostic_to_json`."""
    return Diagnostic(str(data["path"]), int(data["line"]), int(data["column"]),
                      Severity[str(data["severity"]).upper()], str(data["code"]), str(data["message"]))


@dataclass(frozen=True)
class RegisterUse:
    """The register a document used: its reference as written, where it led, its hash."""

    ref: str
    path: str
    sha256: str | None


@dataclass(frozen=True)
class Decision:
    """What a build has to do for one document."""

    formats: tuple[str, ...]
    """Formats to render; empty when the document is up to date."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """When up to date: the diagnostics recorded when it was built."""
    register: str | None = None
    """When up to date: the resolved path of the register it uses (its problems are replayed)."""
    reason: str = ""
    """Why the document is rebuilt, for people: "new", "source changed", …"""


@dataclass
class Manifest:
    """The manifest of one output folder, as loaded, then updated by the build."""

    out_dir: Path
    fingerprint: str
    documents: dict[str, Json | str] = field(default_factory=dict)
    """Source (resolved) -> its entry; entries recorded by this run are kept as their JSON text,
    one string each: tens of thousands of small dicts would scatter over the heap."""
    registers: dict[str, Json] = field(default_factory=dict)
    changed: bool = False
    damage: str = ""
    """What was wrong with the manifest as loaded, for people; empty when nothing was."""
    _touched: set[str] = field(default_factory=set, repr=False)
    """Sources whose entry this run recorded or dropped."""
    _seen: tuple[int, int, int] | None = field(default=None, repr=False)
    """Identity of the manifest file as last read or written (inode, size, time)."""
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)
    _resolved: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> Path:
        """Where the manifest lives."""
        return self.out_dir / MANIFEST_NAME

    @classmethod
    def load(cls, out_dir: Path, current_fingerprint: str) -> Manifest:
        """The manifest in ``out_dir``; an empty one when there is none, it cannot be read,
        or it was made with another fingerprint (then nothing in it is up to date).

        Malformed entries are dropped one by one, entries of sources that are gone too.
        """
        manifest = cls(out_dir, current_fingerprint)
        documents, registers, manifest.damage = _read(manifest.path, current_fingerprint)
        manifest._seen = _identity(manifest.path)
        if documents is None:
            manifest.changed = manifest._seen is not None
            return manifest
        manifest.documents = {key: entry for key, entry in documents.items() if os.path.exists(key)}
        used = {str(entry["register"]["path"]) for entry in manifest.documents.values()
                if isinstance(entry, dict) and entry.get("register")}
        manifest.registers = {key: entry for key, entry in (registers or {}).items() if key in used}
        dropped = len(documents) != len(manifest.documents) or len(registers or {}) != len(manifest.registers)
        manifest.changed = dropped or bool(manifest.damage)
        return manifest

    def save(self) -> bool:
        """Write the manifest atomically when it changed; True when written."""
        if not self.changed:
            return False
        if not self.documents and not self.path.exists():
            self.changed = False
            return False
        self._merge_others()
        # what json.dumps(sort_keys=True) gives for the whole, on one line (the indenting
        # encoder is pure Python, ten times slower on a large manifest)
        documents = ",".join(f"{_compact(key)}:{_entry_text(self.documents[key])}" for key in sorted(self.documents))
        text = (f'{{"documents":{{{documents}}},"fingerprint":{_compact(self.fingerprint)},'
                f'"registers":{_compact(self.registers)},"version":{_compact(MANIFEST_VERSION)}}}\n')
        write_atomic(self.path, text.encode("utf-8"))
        self._seen = _identity(self.path)
        self.changed = False
        return True

    def _merge_others(self) -> None:
        """Keep what another writer recorded since this manifest was read, where this run did not."""
        if _identity(self.path) == self._seen:
            return
        documents, registers, _ = _read(self.path, self.fingerprint)
        for key, entry in (documents or {}).items():
            if key not in self._touched and os.path.exists(key):
                self.documents[key] = entry
        for key, register in (registers or {}).items():
            self.registers.setdefault(key, register)

    # ------------------------------------------------------------ deciding

    def output_hash(self, path: Path, recorded: Mapping[str, Any]) -> str | None:
        """The hash of an output: the recorded one while its size and time are as recorded."""
        try:
            info = path.stat()
        except OSError:
            return None
        if info.st_size == recorded.get("size") and info.st_mtime_ns == recorded.get("mtime_ns"):
            return str(recorded.get("sha256"))
        return sha256_or_none(path)

    def resolved(self, path: Path) -> str:
        """``path`` resolved, once per run (every document of a folder shares its folder and register)."""
        key = str(path)
        if key not in self._resolved:
            self._resolved[key] = _resolved(path)
        return self._resolved[key]

    def file_hash(self, path: Path) -> str | None:
        """The SHA-256 of ``path``, once per run (registers are shared by many documents)."""
        key = str(path)
        if key not in self._hashes:
            self._hashes[key] = sha256_or_none(path)
        return self._hashes[key]

    def decide(self, source: Path, shown: str, root: Path, formats: Sequence[str]) -> Decision:
        """Which of ``formats`` ``source`` needs rebuilt, from hashes alone.

        The file names are those recorded: a renderer that changed its suffix changed the
        fingerprint, and then nothing recorded is used.
        """
        entry = self.entry(source)
        everything = tuple(formats)
        if entry is None:
            return Decision(everything, reason="new")
        if entry.get("shown") != shown or entry.get("root") != self.resolved(root):
            return Decision(everything, reason="named differently")
        if self.file_hash(source) != entry.get("sha256"):
            return Decision(everything, reason="source changed")
        register = entry.get("register")
        if register is not None:
            try:  # as pipeline.model.register.register_path resolves it
                target = Path(self.resolved(source.parent / str(register["ref"])))
            except (OSError, RuntimeError):
                return Decision(everything, reason="register missing")
            if str(target) != register.get("path") or self.file_hash(target) != register.get("sha256"):
                return Decision(everything, reason="register changed")
        outputs: Mapping[str, Json] = entry.get("outputs", {})
        stale = []
        for name in formats:
            recorded = outputs.get(name)
            if recorded is not None and recorded.get("name") == "":
                continue  # the document has no output in this format
            file = str(recorded.get("name", "")) if recorded is not None else ""
            if (recorded is None or not file.startswith(source.stem + ".") or "/" in file
                    or self.output_hash(self.out_dir / file, recorded) != recorded.get("sha256")):
                stale.append(name)
        if stale:
            return Decision(tuple(stale), reason="output missing or changed")
        diagnostics = tuple(diagnostic_from_json(d) for d in entry.get("diagnostics", ()))
        return Decision((), diagnostics, register.get("path") if register else None, reason="up to date")

    def entry(self, source: Path) -> Json | None:
        """What is recorded of ``source``, if anything."""
        entry = self.documents.get(_resolved(source))
        if isinstance(entry, str):
            loaded: Json = json.loads(entry)
            return loaded
        return entry

    def register_problems(self, path: str) -> list[Diagnostic] | None:
        """The recorded problems of the register at ``path`` (resolved), if still current."""
        entry = self.registers.get(path)
        if entry is None or self.file_hash(Path(path)) != entry.get("sha256"):
            return None
        return [diagnostic_from_json(d) for d in entry.get("diagnostics", ())]

    # ------------------------------------------------------------ recording

    def record(self, source: Path, shown: str, root: Path, sha256: str | None, register: RegisterUse | None,
               diagnostics: Sequence[Diagnostic], outputs: Mapping[str, tuple[str, str]]) -> None:
        """Record a document built from the source with hash ``sha256``.

        ``outputs`` maps each format built to its file name and hash (both empty for a format the
        document has no output in). Formats recorded
        before stay only when they were built from the same source, register and
        fingerprint (that is, when only some outputs had to be redone).
        """
        key = _resolved(source)
        if sha256 is None:
            self.forget(source)
            return
        entry: Json = {
            "shown": shown,
            "root": self.resolved(root),
            "sha256": sha256,
            "register": None if register is None else {"ref": register.ref, "path": register.path,
                                                       "sha256": register.sha256},
            "diagnostics": [diagnostic_to_json(d) for d in sorted(diagnostics)],
            "outputs": {},
        }
        previous = self.entry(source)
        if previous is not None and all(previous.get(k) == entry[k] for k in ("shown", "root", "sha256", "register")):
            entry["outputs"].update(previous.get("outputs", {}))
        for name, (file, digest) in outputs.items():
            stat = _stat(self.out_dir / file) if file else {}  # "": the document has no output in this format
            entry["outputs"][name] = {"name": file, "sha256": digest, **stat}
        entry["outputs"] = dict(sorted(entry["outputs"].items()))
        self._touched.add(key)
        if previous != entry:
            self.documents[key] = _compact(entry)
            self.changed = True

    def record_register(self, path: str, sha256: str | None, problems: Sequence[Diagnostic]) -> None:
        """Record the problems of the register at ``path`` (resolved) with hash ``sha256``."""
        if sha256 is None:
            if self.registers.pop(path, None) is not None:
                self.changed = True
            return
        entry = {"sha256": sha256, "diagnostics": [diagnostic_to_json(d) for d in problems]}
        if self.registers.get(path) != entry:
            self.registers[path] = entry
            self.changed = True

    def forget(self, source: Path) -> None:
        """Drop what is recorded of ``source`` (it failed: it is checked again next time)."""
        key = _resolved(source)
        self._touched.add(key)
        if self.documents.pop(key, None) is not None:
            self.changed = True


def _resolved(path: Path) -> str:
    """``path`` with every symbolic link followed, as far as they lead (a loop stays as it is)."""
    return os.path.realpath(path)


def _identity(path: Path) -> tuple[int, int, int] | None:
    """What tells that a file was replaced or changed: its inode, size and modification time."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _read(path: Path, current_fingerprint: str) -> tuple[dict[str, Json] | None, dict[str, Json] | None, str]:
    """The well-formed document and register entries of the manifest at ``path``, and what was
    wrong with it ("" when nothing). None for both when there is none, or it belongs to
    another fingerprint or version (nothing in it is damaged, only out of date)."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None, None, ""
    except (OSError, ValueError, RecursionError, MemoryError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else f"{type(exc).__name__}: {exc}"
        return None, None, f"unreadable: {reason}"[:200]
    if not isinstance(data, dict):
        return None, None, "not a JSON object"
    if data.get("version") != MANIFEST_VERSION or data.get("fingerprint") != current_fingerprint:
        return None, None, ""
    documents, registers = data.get("documents"), data.get("registers")
    if not isinstance(documents, dict) or not isinstance(registers, dict):
        return {}, {}, "no documents or registers"
    good_documents = {key: entry for key, entry in documents.items() if _valid_document(key, entry)}
    good_registers = {key: entry for key, entry in registers.items() if _valid_register(entry)}
    bad = len(documents) - len(good_documents) + len(registers) - len(good_registers)
    return good_documents, good_registers, f"{bad} malformed entr{'y' if bad == 1 else 'ies'} dropped" if bad else ""


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _valid_diagnostics(value: object) -> bool:
    """Whether ``value`` is a list of diagnostics as :func:`diagnostic_to_json` writes them."""
    if not isinstance(value, list):
        return False
    try:
        for item in value:
            if not isinstance(item, dict):
                return False
            diagnostic_from_json(item)
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError):
        return False
    return True


def _valid_document(key: object, entry: object) -> bool:
    """Whether a document's entry has every field, each of its kind."""
    if not (isinstance(key, str) and os.path.isabs(key) and isinstance(entry, dict)):
        return False
    if not all(_is_text(entry.get(name)) for name in ("shown", "root", "sha256")):
        return False
    register = entry.get("register")
    if register is not None and not (isinstance(register, dict) and _is_text(register.get("ref"))
                                     and _is_text(register.get("path"))
                                     and (register.get("sha256") is None or _is_text(register.get("sha256")))):
        return False
    outputs = entry.get("outputs")
    if not isinstance(outputs, dict) or not _valid_diagnostics(entry.get("diagnostics")):
        return False
    for recorded in outputs.values():
        if not (isinstance(recorded, dict) and _is_text(recorded.get("name")) and _is_text(recorded.get("sha256"))):
            return False
        if any(name in recorded and type(recorded[name]) is not int for name in ("size", "mtime_ns")):
            return False
    return True


def _valid_register(entry: object) -> bool:
    """Whether a register's entry has its hash and its diagnostics."""
    return (isinstance(entry, dict) and _is_text(entry.get("sha256"))
            and _valid_diagnostics(entry.get("diagnostics")))

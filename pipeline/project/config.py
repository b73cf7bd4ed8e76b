"""A documents repository's own configuration: ``undoc.toml`` or ``[tool.undoc]`` in ``pyproject.toml``.

The file names where sources and outputs are, which formats a build writes, and the venues
the repository's documents are held at, on top of the built-in ones
(:data:`pipeline.project.venues.BUILT_IN`)::

    # undoc.toml
    sources = "sources"
    out = "out"
    formats = ["txt", "html", "docx", "pdf", "json", "akn", "ics"]
    emblem = "emblem.svg"   # optional: the image at the left of the masthead, SVG or PNG

    [venues."Addis Ababa"]
    time-zone = "Africa/Addis_Ababa"
    paper = "a4"

In ``pyproject.toml`` the same keys go under ``[tool.undoc]`` and ``[tool.undoc.venues."…"]``.
Paths are relative to the folder of the file. The project ships no emblem: without
``emblem`` the masthead has none. Unknown keys and wrong values are
diagnostics with the file, line and column, like a source's.

The configuration that applies to a source is the nearest one in its folder or above;
the command line's defaults (sources, output folder, formats) come from the nearest one in
the working folder or above.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, error
from pipeline.i18n import place_aliases
from pipeline.marks.emblem import Emblem, EmblemError, read_emblem
from pipeline.project.venues import BUILT_IN, PAPER_SIZES, Venue

CONFIG_FILE = "undoc.toml"
"""The configuration file of a documents repository."""

PYPROJECT_FILE = "pyproject.toml"
"""A Python project's file, whose ``[tool.undoc]`` table may hold the configuration instead."""

FORMATS = ("txt", "html", "docx", "pdf", "json", "akn", "ics")
"""Every format a build can write (the registry of :mod:`pipeline.formats` has the same names)."""

_TOP_KEYS = frozenset({"sources", "out", "formats", "venues", "emblem"})
_VENUE_KEYS = frozenset({"time-zone", "paper", "name"})


@dataclass(frozen=True)
class Config:
    """A documents repository's configuration, with the built-in venues under its own."""

    path: Path | None
    """The file it was read from; None when no file applies (the defaults)."""
    sources: Path = Path("sources")
    out: Path = Path("out")
    formats: tuple[str, ...] = FORMATS
    venues: Mapping[str, Venue] = field(default_factory=lambda: dict(BUILT_IN))
    problems: tuple[Diagnostic, ...] = ()
    """What is wrong in the file; a configuration with errors is not used to build."""
    emblem: Emblem | None = None
    """The image at the left of the masthead, read when the configuration is; None: no emblem."""
    emblem_path: Path | None = None
    """The file the emblem was read from."""

    def venue(self, place: str) -> Venue | None:
        """The venue of a session held at ``place`` (as written in the source, in any language), if known."""
        return self.venues.get(place) or self.venues.get(place_aliases().get(place, ""))


DEFAULT = Config(None)
"""The configuration where no file applies."""


def find_config_file(folder: Path) -> Path | None:
    """The nearest ``undoc.toml``, or ``pyproject.toml`` with a ``[tool.undoc]`` table, in ``folder`` or above."""
    here = Path(os.path.abspath(folder))
    for candidate in (here, *here.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        python = candidate / PYPROJECT_FILE
        if python.is_file() and _has_tool_table(python):
            return python
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        status = path.stat()
    except OSError:
        return False
    return _has_tool_table_cached(str(path), (status.st_mtime_ns, status.st_size))


@functools.lru_cache(maxsize=64)
def _has_tool_table_cached(path: str, stamp: tuple[int, int]) -> bool:
    """Whether the ``pyproject.toml`` at ``path`` has a ``[tool.undoc]`` table (read once while unchanged)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\.undoc\s*[\].]", text, re.M) is not None


def config_for_folder(folder: Path) -> Config:
    """The configuration that applies in ``folder``: the nearest file's, or the defaults."""
    found = find_config_file(folder)
    return read_config(found) if found is not None else DEFAULT


def config_for_source(source: Path) -> Config:
    """The configuration that applies to the source at ``source``."""
    return config_for_folder(Path(os.path.abspath(source)).parent)


@functools.lru_cache(maxsize=64)
def _read_cached(path: str, stamp: tuple[int, int], emblem_stamp: tuple[int, int] | None = None) -> Config:
    return _read(Path(path))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def read_config(path: Path) -> Config:
    """Read the configuration in ``path`` (cached while the file is unchanged)."""
    try:
        status = path.stat()
    except OSError as exc:
        return Config(path, problems=(error(str(path), 1, "config-invalid",
                                            f"cannot read the configuration: {exc.strerror or exc}", 1),))
    stamp = (status.st_mtime_ns, status.st_size)
    config = _read_cached(str(path), stamp)
    if config.emblem_path is not None:  # read again when the image changed
        config = _read_cached(str(path), stamp, _stamp(config.emblem_path))
    return config


class _Locator:
    """Lines and columns of keys in a TOML text (``tomllib`` gives values, not places)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def of(self, table: tuple[str, ...], key: str | None = None) -> tuple[int, int]:
        """Where ``key`` of ``table`` is written (or the table's header); (1, 1) when not found."""
        current: tuple[str, ...] = ()
        header_at: tuple[int, int] | None = None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if stripped.startswith("[") and not stripped.startswith("[["):
                current = _table_name(stripped)
                if current == table:
                    header_at = (number, line.index("[") + 1)
                continue
            if current == table and key is not None:
                match = re.match(rf'\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=', line)
                if match:
                    return number, len(line) - len(line.lstrip()) + 1
        return header_at or (1, 1)


def _table_name(header: str) -> tuple[str, ...]:
    inner = header.strip("[] \t")
    parts = re.findall(r'"([^"]*)"|([^.\s"]+)', inner)
    return tuple(quoted or bare for quoted, bare in parts)


def _read(path: Path) -> Config:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return Config(path, problems=(error(shown, 1, "config-invalid", f"cannot read the configuration: {exc}", 1),))
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_error_place(str(exc))
        return Config(path, problems=(error(shown, line, "config-invalid",
                                            f"the configuration is not valid TOML: {exc}", column),))
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT_FILE:
        data = data.get("tool", {}).get("undoc", {})
        prefix = ("tool", "undoc")
    where = _Locator(text)
    problems: list[Diagnostic] = []

    def problem(table: tuple[str, ...], key: str | None, code: str, message: str) -> None:
        line, column = where.of(prefix + table, key)
        problems.append(error(shown, line, code, message, column))

    values: dict[str, Any] = {}
    emblem: Emblem | None = None
    for key, value in data.items():
        if key not in _TOP_KEYS:
            problem((), key, "config-key", f"unknown key {key!r}; the keys are {', '.join(sorted(_TOP_KEYS))}")
        elif key in ("sources", "out"):
            if not isinstance(value, str) or not value.strip():
                problem((), key, "config-value", f"{key} is a folder name in quotes, such as \"{key}\"")
            else:
                values[key] = path.parent / value
        elif key == "formats":
            if (not isinstance(value, list) or not value
                    or not all(isinstance(v, str) and v in FORMATS for v in value)):
                problem((), key, "config-value", f"formats is a list of formats out of {', '.join(FORMATS)}, "
                                                 f"such as [\"html\", \"pdf\"]")
            else:
                values[key] = tuple(dict.fromkeys(value))
        elif key == "emblem":
            if not isinstance(value, str) or not value.strip():
                problem((), key, "config-value", "emblem is the path of an SVG or PNG image in quotes, "
                                                 "such as \"emblem.svg\"")
                continue
            try:
                emblem = read_emblem(path.parent / value)
            except EmblemError as exc:
                problem((), key, "config-value", f"the emblem {value!r} cannot be used: {exc}")
            else:
                values[key] = path.parent / value
    venues = dict(BUILT_IN)
    declared = data.get("venues", {})
    if not isinstance(declared, dict):
        problem((), "venues", "config-value", "venues is a table of places: [venues.\"Place\"]")
        declared = {}
    for place, settings in declared.items():
        table = ("venues", place)
        if not isinstance(settings, dict):
            problem(("venues",), place, "config-value",
                    f"the venue {place!r} is a table with time-zone and paper: [venues.{_quoted(place)}]")
            continue
        venue = _venue(place, settings, lambda key, code, message, t=table: problem(t, key, code, message))
        if venue is not None:
            venues[place] = venue
    return Config(path, values.get("sources", path.parent / "sources"), values.get("out", path.parent / "out"),
                  values.get("formats", FORMATS), venues, tuple(problems), emblem, values.get("emblem"))


def _venue(place: str, settings: dict[str, Any], problem: Any) -> Venue | None:
    ok = True
    for key in settings:
        if key not in _VENUE_KEYS:
            problem(key, "config-key", f"unknown key {key!r} of the venue {place!r}; "
                                       f"the keys are {', '.join(sorted(_VENUE_KEYS))}")
            ok = False
    zone = settings.get("time-zone")
    if not isinstance(zone, str) or not _is_time_zone(zone):
        problem("time-zone" if "time-zone" in settings else None, "config-value",
                f"the venue {place!r} needs time-zone = an IANA time zone such as \"Africa/Nairobi\""
                + (f", not {zone!r}" if zone is not None else ""))
        ok = False
    paper = settings.get("paper", "letter")
    if not isinstance(paper, str) or paper.lower() not in PAPER_SIZES:
        problem("paper", "config-value", f"paper is one of {', '.join(PAPER_SIZES)}, not {paper!r}")
        ok = False
    name = settings.get("name", place)
    if not isinstance(name, str) or not name.strip():
        problem("name", "config-value", "name is the place's name as printed, in quotes")
        ok = False
    if not ok:
        return None
    return Venue(str(zone), str(paper).lower(), str(name))


def _is_time_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _quoted(place: str) -> str:
    return place if re.fullmatch(r"[A-Za-z0-9_-]+", place) else f'"{place}"'


def _toml_error_place(message: str) -> tuple[int, int]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 1)

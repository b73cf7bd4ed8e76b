"""Diagnostics: what is wrong, where, as data.

A diagnostic is a small frozen value that every stage returns instead of raising. The
driver decides what stops a build; the reporters print diagnostics for people (``path:line:
col: error [code] message``) and for machines (JSON, GitHub Actions annotations, SARIF).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """How serious a diagnostic is; errors stop the document they are found in."""

    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        """The lower-case word printed in reports."""
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place of one file.

    ``line`` and ``column`` are 1-based; 0 means the position is not known (a file that
    cannot be opened, say).
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """``path:line:col: severity [code] message``, the form editors and CI understand."""
        return (
            f"{self.path}:{self.line}:{self.column}: "
            f"{self.severity.label} [{self.code}] {self.message}"
        )

    def as_dict(self) -> dict[str, str | int]:
        """A JSON-ready mapping with stable keys."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.label,
            "code": self.code,
            "message": self.message,
        }


def error(path: str, line: int | None, code: str, message: str, column: int = 0) -> Diagnostic:
    """An error diagnostic; ``line`` None means unknown."""
    return Diagnostic(path, line or 0, column, Severity.ERROR, code, message)


def warning(path: str, line: int | None, code: str, message: str, column: int = 0) -> Diagnostic:
    """A warning diagnostic; ``line`` None means unknown."""
    return Diagnostic(path, line or 0, column, Severity.WARNING, code, message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when at least one diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    """One line per diagnostic, in file and line order."""
    return "".join(d.format() + "\n" for d in sorted(diagnostics))


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON array of diagnostics, sorted, for tools."""
    return json.dumps([d.as_dict() for d in sorted(diagnostics)], ensure_ascii=False, indent=2) + "\n"


def _github_escape(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, shown on the line of the file in a pull request."""
    lines = []
    for d in sorted(diagnostics):
        command = "error" if d.severity is Severity.ERROR else "warning"
        props = [f"file={_github_escape(d.path, property_value=True)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.column:
            props.append(f"col={d.column}")
        props.append(f"title={_github_escape(d.code, property_value=True)}")
        lines.append(f"::{command} {','.join(props)}::{_github_escape(d.message)}\n")
    return "".join(lines)

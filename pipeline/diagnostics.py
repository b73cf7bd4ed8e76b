"""Diagnostics: what is wrong, where, as data.

A diagnostic is a small frozen value that every stage returns instead of raising. The
driver decides what stops a build; the reporters print diagnostics for people (``path:line:
col: error [code] message``) and for machines (JSON, GitHub Actions annotations, SARIF).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


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


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, in the plural unless the number is one: "1 source", "2 sources"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


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


class Described(Protocol):
    """What a reporter needs to know of a check: its code, summary and severity."""

    @property
    def code(self) -> str: ...  # pragma: no cover

    @property
    def summary(self) -> str: ...  # pragma: no cover

    @property
    def severity(self) -> Severity: ...  # pragma: no cover


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
"""The published JSON schema of SARIF 2.1.0, named in every log."""


def format_sarif(diagnostics: Iterable[Diagnostic], checks: Sequence[Described], *,
                 tool: str = "undoc-pipeline", version: str = "0", information_uri: str | None = None) -> str:
    """A SARIF 2.1.0 log (for code-scanning dashboards): one run, the catalogue as its rules.

    Every result refers to its rule by id and index; a diagnostic whose code is not in
    ``checks`` gets a rule of its own so that the log stays self-consistent. Paths are
    relative to the working folder (``%SRCROOT%``).
    """
    ordered = sorted(diagnostics)
    rules = [(c.code, c.summary, c.severity) for c in checks]
    index = {code: i for i, (code, _, _) in enumerate(rules)}
    for d in ordered:
        if d.code not in index:
            index[d.code] = len(rules)
            rules.append((d.code, d.code, d.severity))
    driver: dict[str, object] = {
        "name": tool,
        "version": version,
        "semanticVersion": version,
        "rules": [
            {
                "id": code,
                "name": "".join(part.capitalize() for part in code.split("-")),
                "shortDescription": {"text": summary},
                "defaultConfiguration": {"level": _sarif_level(severity)},
            }
            for code, summary, severity in rules
        ],
    }
    if information_uri:
        driver["informationUri"] = information_uri
    results = []
    for d in ordered:
        location: dict[str, object] = {
            "artifactLocation": {"uri": d.path.replace("\\", "/"), "uriBaseId": "%SRCROOT%"},
        }
        if d.line > 0:
            region: dict[str, int] = {"startLine": d.line}
            if d.column > 0:
                region["startColumn"] = d.column
            location["region"] = region
        results.append({
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _sarif_level(d.severity),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": location}],
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"

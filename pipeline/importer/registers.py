"""The registers and sessions a draft can be matched against: those of the documents repository.

An imported document names its register (the body, its agenda items and sub-topics). Registers
are found under the folder the source is written to; the sessions already used by the sources
there help where a first page does not print its session (a General Assembly report).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .inline import q, text_of

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class KnownRegister:
    """A register: its file, the body's name, agenda items and sub-topics (plain wording)."""

    path: Path
    body_name: str
    agenda: dict[str, str]
    topics: dict[str, str]
    versions: dict[str, tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=dict)
    """The body's name, agenda items and sub-topics worded in each language the register gives."""

    def worded_in(self, language: str) -> KnownRegister:
        """The register with the wording of ``language`` (its first wording where it gives none)."""
        if language not in self.versions:
            return self
        body_name, agenda, topics = self.versions[language]
        return KnownRegister(self.path, body_name, {**self.agenda, **agenda}, {**self.topics, **topics},
                             self.versions)


@dataclass(frozen=True)
class KnownSession:
    """A session named by a source of the repository."""

    register: Path
    ordinal: int
    kind: str
    place: str
    start: dt.date
    end: dt.date


@dataclass
class Library:
    """What the documents repository around the written source knows."""

    registers: list[KnownRegister] = field(default_factory=list)
    sessions: list[KnownSession] = field(default_factory=list)

    def register_named(self, body_name: str) -> KnownRegister | None:
        """The register of the body called ``body_name`` (case and spacing aside)."""
        wanted = normal(body_name)
        for register in self.registers:
            if normal(register.body_name) == wanted:
                return register
            for language, (name, _, _) in register.versions.items():
                if normal(name) == wanted:
                    return register.worded_in(language)
        return None

    def agenda_item(self, wording: str) -> tuple[KnownRegister, str] | None:
        """The register and number of the agenda item worded ``wording``."""
        wanted = normal(wording)
        for register in self.registers:
            for number, text in register.agenda.items():
                if normal(text) == wanted:
                    return register, number
        return None

    def session_before(self, issued: dt.date) -> KnownSession | None:
        """The latest session ending on or before ``issued`` (a report is issued after its session)."""
        earlier = [s for s in self.sessions if s.end <= issued]
        return max(earlier, key=lambda s: (s.end, s.ordinal), default=None)

    def session_after(self, written: dt.date) -> KnownSession | None:
        """The earliest session starting on or after ``written`` (a letter written before its session)."""
        later = [s for s in self.sessions if s.start >= written]
        return min(later, key=lambda s: (s.start, s.ordinal), default=None)


def normal(text: str) -> str:
    """Text compared loosely: lower case, single spaces, no final full stop."""
    return re.sub(r"\s+", " ", text).strip().rstrip(".").lower()


def library_for(folder: Path) -> Library:
    """The registers and sessions of the XML files under ``folder``."""
    library = Library()
    if not folder.is_dir():
        return library
    for path in sorted(folder.rglob("*.xml")):
        try:
            root = etree.parse(str(path), _PARSER).getroot()
        except (etree.XMLSyntaxError, OSError):
            continue
        if root.tag == q("register"):
            name = root.find(q("body-name"))
            versions: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {}
            for element in root.iter(q("body-name")):
                versions.setdefault(element.get(XML_LANG, "en"), (text_of(element), {}, {}))
            for tag, key, part in (("item", "number", 1), ("topic", "letter", 2)):
                for entry in root.iter(q(tag)):
                    for wording in entry.findall(q("wording")):
                        version = versions.setdefault(wording.get(XML_LANG, "en"), ("", {}, {}))
                        version[part][entry.get(key, "")] = text_of(wording)  # type: ignore[index]
            library.registers.append(KnownRegister(
                path.resolve(), text_of(name) if name is not None else "",
                {i.get("number", ""): text_of(i.find(q("wording"))) for i in root.iter(q("item"))
                 if i.find(q("wording")) is not None},
                {t.get("letter", ""): text_of(t.find(q("wording"))) for t in root.iter(q("topic"))
                 if t.find(q("wording")) is not None}, versions))
        elif root.tag == q("document"):
            session = root.find(q("session"))
            dates = session.find(q("dates")) if session is not None else None
            place = session.find(q("place")) if session is not None else None
            if session is None or dates is None or place is None:
                continue
            try:
                library.sessions.append(KnownSession(
                    (path.parent / session.get("register", "")).resolve(), int(session.get("ordinal", "0")),
                    session.get("kind", "substantive"), text_of(place),
                    dt.date.fromisoformat(dates.get("start", "")), dt.date.fromisoformat(dates.get("end", ""))))
            except ValueError:
                continue
    return library

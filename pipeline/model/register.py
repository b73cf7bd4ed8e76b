"""Registers: the facts a series of documents shares, loaded once per build.

A register holds the body's name, its agenda and the lettered sub-topics of its mandate,
each worded once per language. Documents refer to agenda items by number and to
sub-topics by letter (see ``sources/shared/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.model.inline import inlines
from pipeline.model.tree import Inline, Source
from pipeline.sources.load import q

Wordings = dict[str, tuple[Inline, ...]]
"""Wording by language code."""


@dataclass(frozen=True)
class Register:
    """A register: ``agenda`` maps item numbers and ``topics`` letters to their wordings."""

    register_id: str
    path: str
    body_name: Wordings
    agenda: dict[str, Wordings]
    topics: dict[str, Wordings]
    agenda_symbol: str | None
    source: Source = field(compare=False)

    def body_name_in(self, language: str) -> tuple[Inline, ...] | None:
        """The body's name in ``language``, or None when the register lacks it."""
        return self.body_name.get(language)


def _wordings(parent: etree._Element, path: str, tag: str = "wording") -> Wordings:
    found: Wordings = {}
    for w in parent.iterchildren(q(tag)):
        lang = w.get("{http://www.w3.org/XML/1998/namespace}lang", "en")
        found[lang] = inlines(w, path, {})
    return found


def build_register(tree: etree._ElementTree, path: str) -> Register:
    """The register model of a schema-valid ``<register>`` tree."""
    root = tree.getroot()
    agenda = root.find(q("agenda"))
    topics = root.find(q("topics"))
    return Register(
        register_id=root.get("id", ""),
        path=path,
        body_name=_wordings(root, path, "body-name"),
        agenda={
            item.get("number", ""): _wordings(item, path)
            for item in (agenda.iterchildren(q("item")) if agenda is not None else ())
        },
        topics={
            topic.get("letter", ""): _wordings(topic, path)
            for topic in (topics.iterchildren(q("topic")) if topics is not None else ())
        },
        agenda_symbol=agenda.get("symbol") if agenda is not None else None,
        source=Source(path, root.sourceline or 0),
    )


def register_path(document_path: Path, reference: str) -> Path:
    """Where a document's ``session/@register`` points, resolved against its folder."""
    return (document_path.parent / reference).resolve()

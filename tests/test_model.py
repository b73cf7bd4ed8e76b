"""The model: golden dumps, "(continued)" inference, source locations."""

from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from pipeline.devtools.dump import dump
from pipeline.model.assemble import infer_continuations
from pipeline.model.tree import (
    AgendaItemEntry,
    BulletList,
    Document,
    DocumentRef,
    Link,
    ProgrammeLine,
    TopicEntry,
)
from tests.conftest import ALL_STEMS, SEED_OF

STEMS = sorted(SEED_OF)

NS = 'xmlns="urn:undoc:1.0"'


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_model_dump_matches_golden(stem: str, documents: dict[str, Document], golden) -> None:
    golden.check(f"model/{stem}.txt", dump(documents[stem]))


def test_model_is_frozen(documents: dict[str, Document]) -> None:
    document = documents["oewg-ict-s4-programme-of-work"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.masthead.symbol = "A/1"  # type: ignore[misc]


def test_every_node_knows_its_file_and_line(documents: dict[str, Document]) -> None:
    document = documents["oewg-ict-s4-programme-of-work"]
    first_slot = document.annexes[0].programme.days[0].slots[0]
    assert first_slot.source.path == "sources/oewg-ict-s4-programme-of-work.xml"
    assert first_slot.source.line == 31
    item5 = first_slot.entries[4]
    assert isinstance(item5, AgendaItemEntry) and item5.number == "5"
    # the wording comes from the register, and says so
    assert item5.wording[0].source.path == "sources/shared/oewg-ict-2021.xml"
    assert item5.notes[0].number == 1


def test_references_become_undocs_symbols(documents: dict[str, Document]) -> None:
    paragraph = documents["oewg-ict-s4-programme-of-work"].body
    refs = [n for p in paragraph for n in p.content if isinstance(n, DocumentRef)]
    assert [(r.symbol, r.text) for r in refs] == [("A/RES/75/240", "75/240"), ("A/AC.292/2021/1", "A/AC.292/2021/1")]
    links = [n for p in paragraph for n in p.content if isinstance(n, Link)]
    assert links[0].href.startswith("https://meetings.unoda.org/")


def _programme(body: str) -> etree._Element:
    return etree.fromstring(f"<programme {NS}><day date='2023-03-06' weekday='monday'>{body}</day></programme>")


def test_continued_is_inferred_for_items_topics_and_lines_seen_before() -> None:
    programme = _programme(
        "<slot start='10:00' end='13:00'><agenda-item ref='5'/><topic ref='a'/><line>Reading</line></slot>"
        "<slot start='15:00' end='18:00'><agenda-item ref='5'/><topic ref='a'/><line> Reading </line>"
        "<topic ref='b'/><agenda-item ref='6'/></slot>")
    shown = [c.shown for c in infer_continuations(programme).values()]
    assert shown == [False, False, False, True, True, True, False, False]
    assert not any(c.explicit for c in infer_continuations(programme).values())


def test_explicit_continued_overrides_inference_both_ways() -> None:
    programme = _programme(
        "<slot start='10:00' end='13:00'><topic ref='a'/><line continued='yes'>New wording</line></slot>"
        "<slot start='15:00' end='18:00'><list><topic ref='a' continued='no'/></list></slot>")
    result = list(infer_continuations(programme).values())
    assert [(c.shown, c.explicit) for c in result] == [(False, False), (True, True), (False, True)]


def test_seed_overrides_are_respected(documents: dict[str, Document]) -> None:
    friday = documents["oewg-ict-s3-programme-of-work"].annexes[0].programme.days[4]
    morning = friday.slots[0].entries
    assert isinstance(morning[1], ProgrammeLine) and morning[1].continued.shown and morning[1].continued.explicit
    bullets = morning[2]
    assert isinstance(bullets, BulletList)
    assert all(isinstance(i, TopicEntry) and not i.continued.shown for i in bullets.items)


def test_verbatim_wording_overrides_the_register_once(documents: dict[str, Document]) -> None:
    days = documents["oewg-ict-s4-programme-of-work"].annexes[0].programme.days
    monday_pm, tuesday_am = days[0].slots[1].entries[1], days[1].slots[0].entries[1]
    assert isinstance(monday_pm, TopicEntry) and isinstance(tuesday_am, TopicEntry)
    assert "if necessary, introduce changes" in monday_pm.wording[0].text  # type: ignore[union-attr]
    assert "if necessary, to introduce changes" in tuesday_am.wording[0].text  # type: ignore[union-attr]
    assert tuesday_am.continued.shown

"""Plain text: goldens, reading order, seed coverage, no markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.formats import text
from pipeline.model.tree import Document
from tests.conftest import ALL_STEMS, SEED_OF
from tests.seeds import coverage

STEMS = sorted(SEED_OF)


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_text_matches_golden(stem: str, documents: dict[str, Document], golden) -> None:
    golden.check(f"txt/{stem}.txt", text.render(documents[stem]))


@pytest.mark.parametrize("stem", STEMS)
def test_text_is_deterministic_utf8_without_markup(stem: str, documents: dict[str, Document]) -> None:
    first, second = text.render(documents[stem]), text.render(documents[stem])
    assert first == second
    rendered = first.decode("utf-8")
    assert rendered.endswith("\n") and "\r" not in rendered
    for markup in ("<", ">", "**", "](", "\t"):
        assert markup not in rendered


@pytest.mark.parametrize(("stem", "least"), [
    ("oewg-ict-s3-programme-of-work", 0.99),
    ("oewg-ict-s4-programme-of-work", 0.98),
])
def test_text_covers_its_seed(stem: str, least: float, documents: dict[str, Document], tmp_path: Path) -> None:
    output = tmp_path / f"{stem}.txt"
    output.write_bytes(text.render(documents[stem]))
    share, missing = coverage(SEED_OF[stem], output)
    assert share >= least, f"coverage {share:.4f} < {least}; missing: {missing}"


def test_masthead_and_annex_blocks_come_in_reading_order(documents: dict[str, Document]) -> None:
    rendered = text.render(documents["oewg-ict-s4-programme-of-work"]).decode("utf-8")
    blocks = rendered.split("\n\n")
    assert blocks[:3] == ["United Nations", "A/AC.292/2023/2", "General Assembly"]
    assert blocks[3] == "Distr.: General\n4 March 2023"
    assert blocks[4] == "Original: English"
    order = [blocks.index(b) for b in (
        "Fourth substantive session", "New York, 6–10 March 2023", "Provisional programme of work",
        "Note by the Secretariat", "Annex", "Monday, 6 March", "10 a.m.–1 p.m.", "3–6 p.m.",
        "Tuesday, 7 March", "Friday, 10 March")]
    assert order == sorted(order)
    assert blocks[-1] == "23-04216 (E) 040323\n"


def test_continued_bullets_durations_and_footnotes(documents: dict[str, Document]) -> None:
    s3 = text.render(documents["oewg-ict-s3-programme-of-work"]).decode("utf-8")
    assert "– Interactive exchange (60 minutes)" in s3
    assert ("Second reading of, and negotiations on, inputs to draft annual progress report (continued)"
            in s3)  # explicit in the source: the wording differs from the day before
    assert "\n– Continue to study" in s3  # a sub-topic in a list is a bullet without its letter
    s4 = text.render(documents["oewg-ict-s4-programme-of-work"]).decode("utf-8")
    assert "\n(d) Continue to study" in s4
    assert "resolution 75/240¹\n" in s4
    assert "\n¹ States are strongly encouraged" in s4
    assert s4.count("(continued)") == 10  # item 5 seven times, (a), (f) and (g) once each


def test_a_link_with_words_gives_its_address_in_plain_text() -> None:
    from pipeline.formats.text import inline_text
    from pipeline.model.inline import plain_text
    from pipeline.model.tree import Link, Source, Text

    src = Source("x.xml", 1)
    worded = (Text("See ", src), Link("https://undocs.org/A/77/275", (Text("the report", src),), src), Text(".", src))
    bare = (Link("https://undocs.org/A/77/275", (), src),)
    assert inline_text(worded) == "See the report <https://undocs.org/A/77/275>."
    assert inline_text(bare) == "https://undocs.org/A/77/275"
    assert plain_text(worded) == "See the report."  # titles and metadata keep the words alone

"""The wording catalogues: every language has every key, and dates, times and ordinals come out
as each language writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pipeline.i18n import OPTIONAL_KEYS, languages, read_catalogue, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.validate.rules.base import OFFICIAL_LANGUAGES
from pipeline.validate.rules.text import _typography_problems, hyphen_ranges


def _keys(table: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in table.items():
        keys.add(prefix + key)
        if isinstance(value, dict) and key not in ("ordinals", "day_numbers", "ordinal_numbers"):
            keys |= _keys(value, f"{prefix}{key}.")
    return keys


def test_every_official_language_has_a_catalogue() -> None:
    assert set(languages()) == set(OFFICIAL_LANGUAGES)


@pytest.mark.parametrize("language", languages())
def test_every_catalogue_has_every_key_of_the_english_one(language: str) -> None:
    english = {k for k in _keys(read_catalogue("en")) if k.split(".")[0] not in OPTIONAL_KEYS}
    own = {k for k in _keys(read_catalogue(language)) if k.split(".")[0] not in OPTIONAL_KEYS}
    assert own == english, f"missing: {sorted(english - own)}; unknown: {sorted(own - english)}"


@pytest.mark.parametrize("language", languages())
def test_every_catalogue_names_every_official_language_and_a_job_letter(language: str) -> None:
    w = wording_for(language)
    assert set(w.language_names) == set(OFFICIAL_LANGUAGES) == set(w.only_in_names)
    assert len(w.months) == 12 and len(w.weekdays) == 7
    assert "other" in w.ordinal_numbers
    assert w.masthead_language in languages()
    assert {wording_for(code).job_letter for code in languages()} == set("ACEFRS")
    assert len({wording_for(code).iso639_2 for code in languages()}) == len(languages())


@pytest.mark.parametrize("language", languages())
def test_every_pattern_formats_without_unknown_fields(language: str) -> None:
    w = wording_for(language)
    for start, end in ((dt.date(2023, 3, 6), dt.date(2023, 3, 10)), (dt.date(2022, 3, 28), dt.date(2022, 4, 1)),
                       (dt.date(2022, 12, 29), dt.date(2023, 1, 2))):
        assert str(start.year if start.year == end.year else end.year) in fmt.date_range(start, end, w)
    for start, end in ((dt.time(10), dt.time(13)), (dt.time(9, 30), dt.time(12)), (dt.time(15), dt.time(18))):
        assert fmt.time_range(start, end, w)
    assert fmt.day_heading(dt.date(2023, 3, 6), w).strip()
    for number in (1, 4, 21, 22, 23, 101):
        assert fmt.ordinal(number, w)


@pytest.mark.parametrize(("language", "full", "heading", "same_month", "across_months"), [
    ("en", "1 March 2023", "Monday, 6 March", "6–10 March 2023", "28 March–1 April 2022"),
    ("fr", "1er mars 2023", "Lundi 6 mars", "6-10 mars 2023", "28 mars-1er avril 2022"),
    ("es", "1 de marzo de 2023", "Lunes, 6 de marzo", "6 a 10 de marzo de 2023", "28 de marzo a 1 de abril de 2022"),
    ("ru", "1 марта 2023 года", "Понедельник, 6 марта", "6–10 марта 2023 года", "28 марта – 1 апреля 2022 года"),
    ("zh", "2023年3月1日", "3月6日，星期一", "2023年3月6日至10日", "2022年3月28日至4月1日"),
    ("ar", "1 آذار/مارس 2023", "الاثنين، 6 آذار/مارس", "6-10 آذار/مارس 2023", "28 آذار/مارس-1 نيسان/أبريل 2022"),
])
def test_dates_in_each_language(language: str, full: str, heading: str, same_month: str, across_months: str) -> None:
    w = wording_for(language)
    assert fmt.full_date(dt.date(2023, 3, 1), w) == full
    assert fmt.day_heading(dt.date(2023, 3, 6), w) == heading
    assert fmt.date_range(dt.date(2023, 3, 6), dt.date(2023, 3, 10), w) == same_month
    assert fmt.date_range(dt.date(2022, 3, 28), dt.date(2022, 4, 1), w) == across_months


@pytest.mark.parametrize(("language", "morning", "afternoon", "half_past"), [
    ("en", "10 a.m.–1 p.m.", "3–6 p.m.", "9.30 a.m.–noon"),
    ("fr", "10 heures-13 heures", "15 heures-18 heures", "9 h 30-12 heures"),
    ("es", "10.00 a 13.00 horas", "15.00 a 18.00 horas", "9.30 a 12.00 horas"),
    ("ru", "10 ч 00 м – 13 ч 00 м", "15 ч 00 м – 18 ч 00 м", "9 ч 30 м – 12 ч 00 м"),
    ("zh", "10:00-13:00", "15:00-18:00", "9:30-12:00"),
    ("ar", "00/10-00/13", "00/15-00/18", "30/9-00/12"),
])
def test_time_ranges_in_each_language(language: str, morning: str, afternoon: str, half_past: str) -> None:
    w = wording_for(language)
    assert fmt.time_range(dt.time(10), dt.time(13), w) == morning
    assert fmt.time_range(dt.time(15), dt.time(18), w) == afternoon
    assert fmt.time_range(dt.time(9, 30), dt.time(12), w) == half_past


@pytest.mark.parametrize(("language", "fourth", "twenty_first", "twenty_second"), [
    ("en", "Fourth", "21st", "22nd"),
    ("fr", "Quatrième", "21e", "22e"),
    ("es", "Cuarto", "21º", "22º"),
    ("ru", "Четвертая", "21-я", "22-я"),
    ("zh", "四", "21", "22"),
    ("ar", "الرابعة", "21", "22"),
])
def test_session_ordinals_in_each_language(language: str, fourth: str, twenty_first: str, twenty_second: str) -> None:
    w = wording_for(language)
    assert (fmt.ordinal(4, w), fmt.ordinal(21, w), fmt.ordinal(22, w)) == (fourth, twenty_first, twenty_second)


def test_the_english_ordinals_beyond_the_table_follow_cldr() -> None:
    w = wording_for("en")
    assert [fmt.ordinal(n, w) for n in (21, 23, 111, 112, 113)] == ["21st", "23rd", "111th", "112th", "113th"]


@pytest.mark.parametrize(("language", "masthead_word"), [
    ("en", "Original: English"), ("fr", "Original\u00a0: anglais"), ("es", "Original: inglés"),
    ("ru", "Original: English"), ("zh", "Original: English"), ("ar", "Original: English"),
])
def test_the_original_line_is_worded_in_the_language_of_the_masthead_block(language: str, masthead_word: str) -> None:
    w = wording_for(language)
    block = wording_for(w.masthead_language)
    assert block.original_label.format(language=block.language_names["en"]) == masthead_word


def test_french_typography_wants_no_break_spaces() -> None:
    t = wording_for("fr").typography
    found = [m for _, m in _typography_problems("voir l’annexe: le texte", t)]
    assert found == ["“:” takes a no-break space before it"]
    assert [o for o, _ in _typography_problems("voir : le texte", t)] == [4]
    assert list(_typography_problems("voir\u00a0: le «\u202ftexte\u202f»\u202f; https://undocs.org", t)) == []
    assert len(list(_typography_problems("le «texte»", t))) == 2
    assert list(_typography_problems("le “texte”", t))


def test_english_typography_takes_no_french_spaces_and_english_quotes() -> None:
    t = wording_for("en").typography
    assert list(_typography_problems("see the annex: the “text”", t)) == []


def test_russian_and_spanish_quote_with_guillemets() -> None:
    for language in ("ru", "es"):
        t = wording_for(language).typography
        assert list(_typography_problems("«текст „внутри“»", t)) == []
        assert list(_typography_problems("“texto”", t))


def test_chinese_punctuation_is_full_width() -> None:
    t = wording_for("zh").typography
    assert [m for _, m in _typography_problems("工作组,会议", t)] == [
        "“,” after a Chinese character; write the full-width “，”"]
    assert list(_typography_problems("工作组，会议（2021-2025年）", t)) == []


def test_the_hyphen_is_a_range_mark_in_french_and_spanish_only() -> None:
    assert list(hyphen_ranges("2021-2025"))
    assert "-" in wording_for("fr").typography.range_marks
    assert "-" in wording_for("es").typography.range_marks
    assert "-" not in wording_for("en").typography.range_marks
    assert "-" not in wording_for("ru").typography.range_marks


@pytest.mark.parametrize(("language", "line"), [
    ("en", "[English only]"), ("fr", "[Anglais seulement]"), ("es", "[Solo en inglés]"),
    ("ru", "[Только на английском языке]"), ("zh", "[只有英文]"), ("ar", "[بالإنكليزية فقط]"),
])
def test_an_annex_in_english_is_marked_in_the_version_s_language(language: str, line: str) -> None:
    assert fmt.only_in_line("en", wording_for(language)) == line
    assert fmt.only_in_line(None, wording_for(language)) == ""

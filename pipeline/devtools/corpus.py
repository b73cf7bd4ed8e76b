"""A deterministic generator of valid programme-of-work sources, for tests and benchmarks.

Every document is a function of an integer seed: the same seed gives the same bytes, on
every machine. Documents vary as real ones do: one-week sessions like the working group's,
short special sessions and three-week conferences; one to three meetings a day; agenda
items, lettered sub-topics, bold segments, plain lines with durations, en-dash lists,
wording overrides, explicit "(continued)" overrides (each with its reason when it
contradicts inference), many footnotes, references to resolutions and documents, links.
Every generated document passes ``validate --strict``.

A document refers either to the real register of the working group (its agenda items and
sub-topics as in ``sources/shared/oewg-ict-2021.xml``) or to a generated register::

    python -m pipeline.devtools.corpus OUT --count 500 --seed 7 [--register generated] [--registers 3]

writes ``OUT/shared/<register>.xml`` and ``OUT/doc-00000.xml`` … ready for
``python -m pipeline build OUT``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipeline.resources import example_sources_dir

NAMESPACE = "urn:undoc:1.0"

REAL_REGISTER_FILE = example_sources_dir() / "shared" / "oewg-ict-2021.xml"
"""The working group's register, which generated documents may refer to."""


GENERATED_LANGUAGES: tuple[str, ...] = ("en",)
"""The languages generated documents are written in: their words are English, and a French or
Chinese version would break its language's typography."""


@dataclass(frozen=True)
class RegisterFacts:
    """What a generated document needs to know of its register."""

    file_name: str
    agenda: tuple[str, ...]
    topics: tuple[str, ...]
    body: str
    languages: tuple[str, ...] = ("en",)
    """Languages the register words everything in."""


REAL_REGISTER = RegisterFacts(
    file_name="oewg-ict-2021.xml",
    agenda=("3", "4", "5", "6", "7"),
    topics=("a", "c", "d", "e", "f", "g"),
    body="open-ended working group on security of and in the use of information and "
         "communications technologies 2021–2025",
)
"""The agenda items and sub-topics of ``sources/shared/oewg-ict-2021.xml``."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth")

_SUBJECTS = (
    "capacity-building", "confidence-building measures", "international law",
    "rules, norms and principles of responsible State behaviour", "existing and potential threats",
    "regular institutional dialogue", "the draft annual progress report", "the programme of action",
    "stakeholder participation", "the protection of critical infrastructure",
    "a global points-of-contact directory", "the Chair’s non-paper",
)
_LINE_OPENINGS = (
    "Interactive exchange on", "Presentations on", "Briefing by the Secretariat on",
    "First reading of, and negotiations on,", "Second reading of, and negotiations on,",
    "Informal consultations on", "General discussion on", "Statements by delegations on",
    "Panel discussion on", "Introduction by the Chair of",
)
_SEGMENTS = (
    "Opening of the session", "Opening statements", "Closure of the session",
    "Dedicated stakeholder session", "Informal, dedicated stakeholder segment",
    "Adoption of the report", "Election of officers", "High-level segment",
)
_SPEAKERS = (
    "Under-Secretary-General and High Representative for Disarmament Affairs",
    "Chair of the open-ended working group", "Director of the United Nations Institute for "
    "Disarmament Research", "Representatives of regional and subregional organizations",
    "Concluding remarks by the Chair",
)
_ITEM_WORDINGS = (
    "opening of the session", "election of officers", "adoption of the agenda",
    "organization of work", "general exchange of views", "discussions on substantive issues",
    "other matters", "adoption of the report", "consideration of the draft outcome document",
    "reports of subsidiary bodies", "preparations for the review conference",
)
_TOPIC_WORDINGS = (
    "Existing and potential threats", "Rules, norms and principles of responsible behaviour of States",
    "How international law applies to the use of information and communications technologies",
    "Confidence-building measures", "Capacity-building", "Regular institutional dialogue",
    "Protection of critical infrastructure", "Cooperation with regional organizations",
)
_PLACES = ("New York", "Geneva", "Vienna", "Nairobi")


class _Writer:
    def __init__(self, rng: random.Random, facts: RegisterFacts, language: str) -> None:
        self.rng = rng
        self.facts = facts
        self.language = language
        self.notes: list[tuple[str, str]] = []
        self.seen: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ pieces

    def note_call(self) -> str:
        """A footnote call; the footnote is defined at the end, called exactly once."""
        number = len(self.notes) + 1
        note_id = f"note-{number}"
        text = self.rng.choice((
            f"See document <doc-ref>A/{self.rng.randint(70, 79)}/{self.rng.randint(100, 399)}</doc-ref>.",
            f"As decided in General Assembly resolution <resolution-ref>{self.rng.randint(70, 79)}/"
            f"{self.rng.randint(1, 299)}</resolution-ref>.",
            "Statements are limited to five minutes for States and three minutes for observers.",
            "The meeting will be webcast at <link href=\"https://webtv.un.org/\">UN Web TV</link>.",
            f"States are encouraged to focus on {self.rng.choice(_SUBJECTS)}.",
        ))
        self.notes.append((note_id, text))
        return f'<footnote-ref ref="{note_id}"/>'

    def maybe_note(self, chance: float) -> str:
        return self.note_call() if self.rng.random() < chance else ""

    def continued(self, key: tuple[str, str]) -> str:
        """Sometimes an explicit continued=, with a reason where it contradicts inference."""
        inferred = key in self.seen
        self.seen.add(key)
        roll = self.rng.random()
        if roll < 0.90:
            return ""
        stated = self.rng.choice(("yes", "no"))
        if (stated == "yes") == inferred:
            return f' continued="{stated}"'
        reason = ("As issued: the reading starts afresh." if stated == "no"
                  else "As issued: continues the earlier discussion under another wording.")
        return f' continued="{stated}" continued-reason={quoteattr(reason)}'

    def agenda_item(self) -> str:
        ref = self.rng.choice(self.facts.agenda)
        attrs = self.continued(("agenda-item", ref))
        inner = ""
        if self.rng.random() < 0.08:
            inner += f"<wording>{escape(self.rng.choice(_ITEM_WORDINGS))}</wording>"
        inner += self.maybe_note(0.08)
        return f'<agenda-item ref="{ref}"{attrs}>{inner}</agenda-item>' if inner else \
            f'<agenda-item ref="{ref}"{attrs}/>'

    def topic(self) -> str:
        ref = self.rng.choice(self.facts.topics)
        attrs = self.continued(("topic", ref))
        inner = ""
        if self.rng.random() < 0.05:
            inner += f"<wording>{escape(self.rng.choice(_TOPIC_WORDINGS))}</wording>"
        inner += self.maybe_note(0.05)
        return f'<topic ref="{ref}"{attrs}>{inner}</topic>' if inner else f'<topic ref="{ref}"{attrs}/>'

    def line(self, tag: str, minutes: int | None) -> str:
        if tag == "segment":
            text = self.rng.choice(_SEGMENTS)
        elif self.rng.random() < 0.3:
            text = self.rng.choice(_SPEAKERS)
        else:
            text = f"{self.rng.choice(_LINE_OPENINGS)} {self.rng.choice(_SUBJECTS)}"
        attrs = self.continued(("line", text.casefold()))
        if minutes:
            attrs = f' minutes="{minutes}"' + attrs
        return f"<{tag}{attrs}>{escape(text)}{self.maybe_note(0.04)}</{tag}>"

    def slot(self, start: int, end: int, indent: str) -> list[str]:
        """A meeting from ``start`` to ``end`` (minutes after midnight)."""
        budget = end - start
        entries: list[str] = []
        for _ in range(self.rng.randint(1, 6)):
            kind = self.rng.choices(("agenda-item", "topic", "segment", "line", "list"),
                                    weights=(5, 4, 2, 4, 3))[0]
            if kind == "agenda-item":
                entries.append(self.agenda_item())
            elif kind == "topic":
                entries.append(self.topic())
            elif kind in ("segment", "line"):
                minutes = self.minutes(budget)
                budget -= minutes or 0
                entries.append(self.line(kind, minutes))
            else:
                items = []
                for _ in range(self.rng.randint(1, 4)):
                    if self.rng.random() < 0.5:
                        items.append(self.topic())
                    else:
                        minutes = self.minutes(budget)
                        budget -= minutes or 0
                        items.append(self.line("line", minutes))
                inner = "".join(f"\n{indent}    {item}" for item in items)
                entries.append(f"<list>{inner}\n{indent}  </list>")
        body = "".join(f"\n{indent}  {entry}" for entry in entries)
        return [f'{indent}<slot start="{_clock(start)}" end="{_clock(end)}">{body}\n{indent}</slot>']

    def minutes(self, budget: int) -> int | None:
        if budget < 15 or self.rng.random() < 0.6:
            return None
        return self.rng.choice([m for m in (15, 30, 45, 60, 90, 120) if m <= budget])

    def paragraph(self, session: str, place: str, dates: str) -> str:
        rng = self.rng
        choice = rng.randrange(6)
        if choice == 0:
            return (f"The {session} of the {escape(self.facts.body)}, established pursuant to General "
                    f"Assembly resolution <resolution-ref>{rng.randint(70, 79)}/{rng.randint(1, 299)}"
                    f"</resolution-ref>, will be held in {place} from {dates}.")
        if choice == 1:
            return ("The provisional programme of work is contained in the annex to the present note; "
                    f"it may be adjusted as the work of the session proceeds.{self.maybe_note(0.5)}")
        if choice == 2:
            return (f"The annotated agenda is contained in document <doc-ref>A/AC.292/"
                    f"{rng.randint(2021, 2025)}/1</doc-ref>.")
        if choice == 3:
            return "Additional information can be found at <link href=\"https://meetings.unoda.org/\"/>."
        if choice == 4:
            return (f"Delegations are invited to consider <em>{escape(rng.choice(_SUBJECTS))}</em>, "
                    f"as set out in the Chair’s letter of {rng.randint(1, 28)} "
                    f"{rng.choice(MONTHS)}.{self.maybe_note(0.5)}")
        return ("The working group will hold its meetings from 10\u00a0a.m. to 1\u00a0p.m. and from "
                "3 to 6\u00a0p.m., “in person”, unless it decides otherwise.")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_SLOT_PATTERNS: tuple[tuple[tuple[int, int], ...], ...] = (
    ((600, 780), (900, 1080)),
    ((600, 780),),
    ((600, 780), (900, 1080)),
    ((540, 600), (600, 780), (900, 1080)),
    ((600, 780), (795, 870), (900, 1080)),
    ((900, 1080),),
    ((600, 720), (720, 780), (900, 1020), (1020, 1080)),
)


def _session_days(rng: random.Random) -> tuple[dt.date, dt.date, list[dt.date]]:
    """Start, end and the meeting days (weekdays) of a session."""
    year = rng.randint(2021, 2030)
    shape = rng.choices(("week", "conference", "short"), weights=(6, 2, 2))[0]
    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
    if shape == "short":
        while start.weekday() > 3:
            start += dt.timedelta(days=1)
        length = rng.randint(1, 5 - start.weekday())
        days = [start + dt.timedelta(days=i) for i in range(length)]
        return start, days[-1], days
    start -= dt.timedelta(days=start.weekday())  # a Monday
    weeks = 1 if shape == "week" else 3
    days = [start + dt.timedelta(days=7 * w + d) for w in range(weeks) for d in range(5)]
    return start, days[-1], days


def _date_range(start: dt.date, end: dt.date) -> str:
    if start == end:
        return f"{start.day} {MONTHS[start.month - 1]} {start.year}"
    if start.year != end.year:
        return (f"{start.day} {MONTHS[start.month - 1]} {start.year} to "
                f"{end.day} {MONTHS[end.month - 1]} {end.year}")
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} to {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{start.day} to {end.day} {MONTHS[end.month - 1]} {end.year}"


def document_xml(seed: int, facts: RegisterFacts = REAL_REGISTER, register_ref: str | None = None, *,
                 max_days: int | None = None) -> str:
    """The source of generated document ``seed``, referring to the register ``facts``.

    ``register_ref`` is the register's path relative to the document (default
    ``shared/<file_name>``). ``max_days`` cuts the session short after that many meeting
    days (a small document is quicker to check and build, for tests that need many).
    """
    rng = random.Random(seed)
    language = rng.choice([lang for lang in facts.languages if lang in GENERATED_LANGUAGES] or ["en"])
    w = _Writer(rng, facts, language)
    start, end, days = _session_days(rng)
    if max_days is not None and len(days) > max_days >= 1:
        days = days[:max_days]
        end = days[-1]
    issued = start - dt.timedelta(days=rng.randint(3, 60))
    ordinal = rng.randint(1, 12)
    kind = rng.choices(("substantive", "organizational", "resumed", "special"), weights=(8, 1, 1, 1))[0]
    place = rng.choice(_PLACES)
    rng.random()  # drawn as before, so that every later choice of a seed stays the same
    number = rng.randint(1, 40)
    symbol, distribution = f"A/AC.292/{issued.year}/{number}", "general"  # L. and CRP. belong to other genres
    job = f"{issued.year % 100:02d}-{rng.randint(0, 99999):05d}"
    session_words = f"{ORDINALS[ordinal - 1]} {kind} session"

    paragraphs = [w.paragraph(session_words, place, _date_range(start, end))
                  for _ in range(rng.randint(1, 4))]
    programme: list[str] = []
    for date in days:
        programme.append(f'      <day date="{date.isoformat()}" weekday="{WEEKDAYS[date.weekday()]}">')
        for slot_start, slot_end in rng.choice(_SLOT_PATTERNS):
            programme.extend(w.slot(slot_start, slot_end, "        "))
        programme.append("      </day>")

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Generated by pipeline.devtools.corpus from seed {seed}. -->",
        f'<document xmlns="{NAMESPACE}" version="1.0" type="programme-of-work">',
        "  <masthead>",
        "    <organ>general-assembly</organ>",
        f"    <symbol>{symbol}</symbol>",
        f"    <distribution>{distribution}</distribution>",
        f"    <date>{issued.isoformat()}</date>",
        f"    <original-language>{language}</original-language>",
        f"    <language>{language}</language>",
        f"    <job-number>{job}</job-number>",
        "  </masthead>",
        f'  <session register={quoteattr(register_ref or "shared/" + facts.file_name)} '
        f'ordinal="{ordinal}" kind="{kind}">',
        f"    <place>{place}</place>",
        f'    <dates start="{start.isoformat()}" end="{end.isoformat()}"/>',
        "  </session>",
        "  <title>Provisional programme of work</title>",
    ]
    if rng.random() < 0.8:
        out.append("  <subtitle>Note by the Secretariat</subtitle>")
    out.append("  <paragraphs>")
    out.extend(f"    <p>{p}</p>" for p in paragraphs)
    out += [
        "  </paragraphs>",
        "  <annex>",
        "    <title>Provisional programme of work</title>",
        "    <programme>",
        *programme,
        "    </programme>",
        "  </annex>",
    ]
    if w.notes:
        out.append("  <footnotes>")
        out.extend(f'    <footnote id="{note_id}">{text}</footnote>' for note_id, text in w.notes)
        out.append("  </footnotes>")
    out.append("</document>")
    return "\n".join(out) + "\n"


_WORDS = (
    "the", "working", "group", "States", "recalled", "importance", "of", "capacity-building", "and", "noted",
    "that", "information", "communications", "technologies", "were", "used", "in", "ways", "consistent", "with",
    "international", "law", "including", "Charter", "United", "Nations", "confidence-building", "measures",
    "could", "contribute", "to", "preventing", "conflicts", "several", "delegations", "stressed", "need", "for",
    "further", "discussion", "on", "norms", "responsible", "behaviour", "a", "points-of-contact", "directory",
    "was", "welcomed", "by", "many", "regional", "organizations", "also", "shared", "experiences", "threats",
)


def _sentence(rng: random.Random, low: int = 12, high: int = 30) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + "."


def report_xml(seed: int, chapters: int = 6, facts: RegisterFacts = REAL_REGISTER) -> str:
    """The source of a generated report (a GA report of the working group) of ``chapters`` chapters.

    Each chapter has three sections of paragraphs numbered straight through, subparagraphs to
    the third degree, bullets, a table with notes and footnotes; the report opens with a
    contents list and ends with an annex. Six chapters make about 30 pages of PDF; the length
    grows with ``chapters``.
    """
    rng = random.Random(seed)
    issued = dt.date(2022, 8, 8) + dt.timedelta(days=rng.randint(0, 300))
    notes: list[str] = []

    def paragraph() -> str:
        text = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        if rng.random() < 0.15:
            notes.append(_sentence(rng, 6, 14))
            text += f'<footnote-ref ref="n{len(notes)}"/>'
        if rng.random() < 0.1:
            text += " See resolution <resolution-ref>75/240</resolution-ref>."
        return f"<p>{text}</p>"

    def items(degree: int) -> list[str]:
        lines = ["<subparagraphs>"]
        for _ in range(rng.randint(2, 4)):
            nested = degree < 3 and rng.random() < 0.3
            lines.append(f"<item>{_sentence(rng, 6, 16)}" + ("".join(items(degree + 1)) if nested else "")
                         + "</item>")
        return [*lines, "</subparagraphs>"]

    body: list[str] = ["<contents/>"]
    chapter_tag = "<section>" if chapters > 1 else '<section numbered="no">'  # a lone "I." divides nothing
    for chapter in range(chapters):
        body.append(f"{chapter_tag}<heading>{_sentence(rng, 2, 5)[:-1]}</heading>")
        for section in range(3):
            body.append(f"<section><heading>{_sentence(rng, 2, 6)[:-1]}</heading>")
            for _ in range(rng.randint(6, 9)):
                body.append(paragraph())
                if rng.random() < 0.25:
                    body.extend(items(1))
                elif rng.random() < 0.1:
                    body.append("<bullets>" + "".join(f"<item>{_sentence(rng, 2, 6)[:-1]}</item>"
                                                      for _ in range(rng.randint(2, 5))) + "</bullets>")
            if section == 1 and chapter % 2 == 0:
                rows = "".join(f"<tr><td>{_sentence(rng, 1, 3)[:-1]}</td><td>{_sentence(rng, 4, 12)}"
                               + ('<table-note-ref ref="t1"/>' if r == 0 else "") + "</td></tr>"
                               for r in range(rng.randint(3, 8)))
                body.append(f'<table><caption>{_sentence(rng, 3, 6)[:-1]}</caption><col width="30"/><col width="70"/>'
                            f"<thead><tr><th>Item</th><th>Description</th></tr></thead><tbody>{rows}</tbody>"
                            f'<table-notes><table-note id="t1">{_sentence(rng, 4, 8)}</table-note></table-notes>'
                            "</table>")
            body.append("</section>")
        body.append("</section>")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Generated by pipeline.devtools.corpus from seed {seed}: a report of {chapters} chapters. -->",
        f'<document xmlns="{NAMESPACE}" version="1.1" type="report">',
        "  <masthead>",
        "    <organ>general-assembly</organ>",
        f"    <symbol>A/{77 + issued.year - 2022}/{rng.randint(100, 400)}</symbol>",
        "    <distribution>general</distribution>",
        f"    <date>{issued.isoformat()}</date>",
        "    <original-language>en</original-language>",
        "    <language>en</language>",
        f"    <job-number>{issued.year % 100:02d}-{rng.randint(0, 99999):05d}</job-number>",
        "  </masthead>",
        f'  <session register="shared/{facts.file_name}" ordinal="3" kind="substantive">',
        "    <place>New York</place>",
        '    <dates start="2022-07-25" end="2022-07-29"/>',
        "  </session>",
        "  <front>",
        f"    <ga-session>{ORDINALS[rng.randint(0, 11)].capitalize()} session</ga-session>",
        '    <agenda-line>Item 94 of the provisional agenda<footnote-ref ref="star"/></agenda-line>',
        "  </front>",
        "  <title>Developments in the field of information and telecommunications in the context of "
        "international security</title>",
        "  <subtitle>Note by the Secretary-General</subtitle>",
        "  <body>",
        *("    " + line for line in body),
        "  </body>",
        "  <annex>",
        f"    <title>{_sentence(rng, 3, 6)[:-1]}</title>",
        *("    " + paragraph() for _ in range(4)),
        "  </annex>",
        "  <footnotes>",
        f'    <footnote id="star" mark="*">A/{77 + issued.year - 2022}/150.</footnote>',
        *(f'    <footnote id="n{i}">{text}</footnote>' for i, text in enumerate(notes, 1)),
        "  </footnotes>",
        "</document>",
    ]
    return "\n".join(out) + "\n"


def register_facts(seed: int) -> RegisterFacts:
    """The agenda and sub-topics of generated register ``seed``."""
    rng = random.Random(f"register-{seed}")
    count = rng.randint(4, 12)
    agenda = tuple(str(n) for n in range(1, count + 1))
    if rng.random() < 0.5:
        agenda += tuple(f"{count}.{n}" for n in range(1, rng.randint(2, 4)))
    topics = tuple("abcdefghij"[: rng.randint(2, 10)])
    body = f"{rng.choice(('open-ended working group', 'preparatory committee', 'group of governmental experts'))} " \
           f"on {rng.choice(_SUBJECTS)}"
    return RegisterFacts(f"generated-{seed}.xml", agenda, topics, body, GENERATED_LANGUAGES)


def register_xml(seed: int) -> str:
    """The source of generated register ``seed`` (see :func:`register_facts`)."""
    facts = register_facts(seed)
    rng = random.Random(f"register-text-{seed}")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Generated by pipeline.devtools.corpus from seed {seed}. -->",
        f'<register xmlns="{NAMESPACE}" version="1.0" id="generated-{seed}" series="A/AC.292">',
    ]
    for language in GENERATED_LANGUAGES:
        out.append(f'  <body-name xml:lang="{language}">{escape(facts.body[0].upper() + facts.body[1:])}</body-name>')
    out.append('  <agenda symbol="A/AC.292/2021/1">')
    for number in facts.agenda:
        wordings = "".join(f'<wording xml:lang="{lang}">{escape(rng.choice(_ITEM_WORDINGS))}</wording>'
                           for lang in GENERATED_LANGUAGES)
        out.append(f'    <item number="{number}">{wordings}</item>')
    out.append("  </agenda>")
    out.append('  <topics source="A/RES/75/240" paragraph="1">')
    for letter in facts.topics:
        wordings = "".join(f'<wording xml:lang="{lang}">{escape(rng.choice(_TOPIC_WORDINGS))}</wording>'
                           for lang in GENERATED_LANGUAGES)
        out.append(f'    <topic letter="{letter}">{wordings}</topic>')
    out += ["  </topics>", "</register>"]
    return "\n".join(out) + "\n"


def write_corpus(folder: Path, count: int, *, seed: int = 0, register: str = "real",
                 registers: int = 1) -> list[Path]:
    """Write ``count`` documents (seeds ``seed`` … ``seed + count - 1``) and their registers.

    ``register`` is ``"real"`` (a copy of the working group's register) or ``"generated"``.
    With ``registers`` above 1, documents are shared out in turn among that many registers,
    as in a collection that several bodies publish into: the first is the one ``register``
    names, the others generated (``generated-<seed + i>.xml``). Returns the document paths,
    in order.
    """
    shared = folder / "shared"
    shared.mkdir(parents=True, exist_ok=True)
    if register == "real":
        facts = REAL_REGISTER
        shutil.copyfile(REAL_REGISTER_FILE, shared / facts.file_name)
    elif register == "generated":
        facts = register_facts(seed)
        (shared / facts.file_name).write_text(register_xml(seed), encoding="utf-8")
    else:
        raise ValueError(f"register must be 'real' or 'generated', not {register!r}")
    if registers < 1:
        raise ValueError(f"registers must be at least 1, not {registers}")
    all_facts = [facts]
    for i in range(1, registers):
        extra = register_facts(seed + i)
        (shared / extra.file_name).write_text(register_xml(seed + i), encoding="utf-8")
        all_facts.append(extra)
    paths = []
    for n in range(seed, seed + count):
        path = folder / f"doc-{n:05d}.xml"
        path.write_text(document_xml(n, all_facts[(n - seed) % registers]), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pipeline.devtools.corpus OUT --count N --seed S --register real|generated``."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.devtools.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the documents")
    parser.add_argument("--count", type=int, default=100, help="how many documents (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first document (default 0)")
    parser.add_argument("--register", choices=("real", "generated"), default="real",
                        help="refer to the working group's register or to a generated one")
    parser.add_argument("--registers", type=int, default=1, metavar="N",
                        help="share the documents out among N registers (default 1)")
    args = parser.parse_args(argv)
    if args.count < 0 or args.registers < 1:
        parser.error("--count must not be negative and --registers must be at least 1")
    paths = write_corpus(args.folder, args.count, seed=args.seed, register=args.register,
                         registers=args.registers)
    print(f"wrote {len(paths)} documents to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

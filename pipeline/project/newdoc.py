"""``undoc new``: a new source from an earlier one, or a nearly empty one of a genre.

From an earlier document (:func:`from_earlier`) the next session's programme of work starts
as a copy of the last one, edited at the XML level so that its comments and layout stay:

* the session's ordinal and dates are set, and the prose that names them ("the fourth
  substantive session", "from 6 to 10 March 2023") follows where it is worded as the
  pipeline words it;
* the programme's days are mapped onto the new dates, working day by working day, and their
  weekdays recomputed; days beyond the new session's last working day are dropped;
* the symbol, the job number and the date of issue become placeholders (``placeholder="true"``,
  with the years of the new date), which validation reports until they are replaced.

:func:`of_genre` writes a new document of any genre with one placeholder of each part the
genre needs; it validates, with warnings for its placeholders.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.genres import GENRES, genre
from pipeline.i18n import wording_for
from pipeline.sources.load import NAMESPACE as NS
from pipeline.sources.load import load, q

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""``weekday=`` values, Monday first as :meth:`datetime.date.weekday` counts."""

PLACEHOLDER_NOTE = (" Placeholders until the document is issued (placeholder=\"true\"): the symbol, "
                    "the date of issue and the job number. ")
"""The comment put before the symbol of a new document."""


class NewDocumentError(Exception):
    """The new document cannot be made (a source that does not load, dates the wrong way round)."""


@dataclass(frozen=True)
class NewDocument:
    """A new source: its bytes, and notes for the author about what was left to check."""

    data: bytes
    notes: tuple[str, ...] = ()


def parse_dates(value: str) -> tuple[dt.date, dt.date]:
    """``2023-07-24/2023-07-28`` as the first and last days of a session."""
    first, _, last = value.partition("/")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat((last or first).strip())
    except ValueError:
        raise NewDocumentError(f"dates are written START/END, as 2023-07-24/2023-07-28, not {value!r}") from None
    if end < start:
        raise NewDocumentError(f"the session ends ({end}) before it starts ({start})")
    return start, end


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` that are not a Saturday or a Sunday."""
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def _date(element: etree._Element | None, attribute: str | None = None) -> dt.date | None:
    if element is None:
        return None
    text = element.get(attribute) if attribute else element.text
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _relocated(reference: str, source_dir: Path, target_dir: Path) -> str:
    """A relative path written in a source in ``source_dir``, as written from ``target_dir``."""
    if not reference or os.path.isabs(reference) or "://" in reference:
        return reference
    return Path(os.path.relpath(source_dir / reference, target_dir)).as_posix()


def _prose_range(start: dt.date, end: dt.date, months: tuple[str, ...]) -> str:
    """"from 6 to 10 March 2023", as the notes of the series word a session's dates."""
    if start.year != end.year:
        return (f"from {start.day} {months[start.month - 1]} {start.year} "
                f"to {end.day} {months[end.month - 1]} {end.year}")
    if start.month != end.month:
        return f"from {start.day} {months[start.month - 1]} to {end.day} {months[end.month - 1]} {end.year}"
    return f"from {start.day} to {end.day} {months[end.month - 1]} {end.year}"


def _replace_in_text(root: etree._Element, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in every text and tail of the document's elements."""
    count = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and old in value:
                count += value.count(old)
                setattr(element, name, value.replace(old, new))
    return count


def _mark_placeholder(element: etree._Element, text: str) -> None:
    element.text = text
    element.set("placeholder", "true")


def _note_placeholders(masthead: etree._Element) -> None:
    """Put :data:`PLACEHOLDER_NOTE` before the symbol, in place of a comment already there."""
    symbol = masthead.find(q("symbol"))
    if symbol is None:
        return
    before = symbol.getprevious()
    if before is not None and isinstance(before, etree._Comment):
        before.text = PLACEHOLDER_NOTE
        return
    comment = etree.Comment(PLACEHOLDER_NOTE)
    comment.tail = (symbol.getprevious().tail if symbol.getprevious() is not None else masthead.text) or "\n    "
    symbol.addprevious(comment)


def from_earlier(source: Path, target: Path, ordinal: int, start: dt.date, end: dt.date) -> NewDocument:
    """The document of session ``ordinal`` (``start`` to ``end``) made from ``source``,
    to be written at ``target`` (relative paths of the register and schema follow it)."""
    loaded, problems = load(source)
    if loaded.tree is None:
        raise NewDocumentError("; ".join(p.format() for p in problems) or f"{source} cannot be read")
    tree = loaded.tree
    root = tree.getroot()
    if root.tag != q("document"):
        raise NewDocumentError(f"{source} is not a document (its root is <{etree.QName(root).localname}>)")
    notes: list[str] = []
    session = root.find(q("session"))
    dates = session.find(q("dates")) if session is not None else None
    old_start, old_end = _date(dates, "start"), _date(dates, "end")
    if session is None or dates is None or old_start is None or old_end is None:
        raise NewDocumentError(f"{source} has no session with dates to start from")
    old_ordinal = int(session.get("ordinal", "0") or 0)
    wording = wording_for(root.findtext(f"{q('masthead')}/{q('language')}", "en").strip() or "en")

    # the session, and the prose that names it as the pipeline words it
    session.set("ordinal", str(ordinal))
    dates.set("start", start.isoformat())
    dates.set("end", end.isoformat())
    kind = wording.session_kinds.get(session.get("kind", ""), "")
    if wording.code != "en":
        # the prose patterns ("the fourth substantive session", "from 6 to 10 March 2023") are English
        notes.append(f"the text of this version ({wording.code}) is left as it was: only English prose "
                     f"naming the session and its dates is brought up to date; check its paragraphs")
    else:
        if old_ordinal in wording.ordinals and ordinal in wording.ordinals and kind:
            _replace_in_text(root, f"{wording.ordinals[old_ordinal].lower()} {kind} session",
                             f"{wording.ordinals[ordinal].lower()} {kind} session")
        if not _replace_in_text(root, _prose_range(old_start, old_end, wording.months),
                                _prose_range(start, end, wording.months)):
            notes.append(f"the text does not name the session's dates as "
                         f"“{_prose_range(old_start, old_end, wording.months)}”: check the prose")

    # the programme's days, working day by working day
    old_days, new_days = working_days(old_start, old_end), working_days(start, end)
    for day in list(root.iter(q("day"))):
        date = _date(day, "date")
        if date is None:
            continue
        position = old_days.index(date) if date in old_days else (date - old_start).days
        if position < len(new_days) and date in old_days:
            moved = new_days[position]
        else:
            moved = start + dt.timedelta(days=(date - old_start).days)
        if moved > end:
            notes.append(f"the programme's day of {date} has no day in the new session: it was left out")
            parent = day.getparent()
            previous = day.getprevious()
            if previous is not None:
                previous.tail = day.tail
            elif parent is not None:
                parent.text = day.tail
            if parent is not None:
                parent.remove(day)
            continue
        day.set("date", moved.isoformat())
        day.set("weekday", WEEKDAY_NAMES[moved.weekday()])

    # the masthead: symbol, date of issue and job number become placeholders
    masthead = root.find(q("masthead"))
    if masthead is not None:
        issued_element = masthead.find(q("date"))
        old_issued = _date(issued_element) or old_start
        issued = start - (old_start - old_issued)
        if issued_element is not None:
            _mark_placeholder(issued_element, issued.isoformat())
        symbol = masthead.find(q("symbol"))
        if symbol is not None:
            _mark_placeholder(symbol, re.sub(rf"/{old_issued.year}/", f"/{issued.year}/", (symbol.text or "").strip()))
        job = masthead.find(q("job-number"))
        if job is not None:
            _mark_placeholder(job, f"{issued:%y}-00000")
        _note_placeholders(masthead)

    # relative references follow the new file
    source_dir, target_dir = source.parent.resolve(), target.parent.resolve()
    session.set("register", _relocated(session.get("register", ""), source_dir, target_dir))
    location = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
    schema_before = schema_after = ""
    if root.get(location):
        namespace, _, schema_before = root.get(location, "").partition(" ")
        schema_before = schema_before.strip()
        schema_after = _relocated(schema_before, source_dir, target_dir)
        root.set(location, f"{namespace} {schema_after}")
    return NewDocument(_serialized(tree, source.read_bytes(), schema_before, schema_after), tuple(notes))


def _serialized(tree: etree._ElementTree, original: bytes, schema_before: str, schema_after: str) -> bytes:
    """The tree as bytes, with the earlier source's XML declaration, what stands before the root
    (comments, line breaks) and root start tag as they were written (lxml would put the root's
    attributes on one line and a comment before the root on the root's line)."""
    data: bytes = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    declaration = re.match(rb"<\?xml[^>]*\?>\s*", original)
    prolog = b"" if declaration else b'<?xml version="1.0" encoding="UTF-8"?>\n'
    start_tag = re.compile(rb"<document\b[^>]*>")
    written, kept = start_tag.search(data), start_tag.search(original)
    if written is None or kept is None:
        return prolog + (declaration.group(0) if declaration else b"") + data + b"\n"
    tag = kept.group(0)
    if schema_before != schema_after:
        tag = tag.replace(schema_before.encode(), schema_after.encode())
    return prolog + original[:kept.start()] + tag + data[written.end():] + b"\n"


# ---------------------------------------------------------------- a new document of a genre

_BODIES: dict[str, str] = {
    "programme-of-work": """\
  <title>Provisional programme of work</title>
  <subtitle>Note by the Secretariat</subtitle>
  <paragraphs>
    <p>[The session, its dates and the resolution that established the working group.]</p>
    <p>The provisional programme of work is contained in the annex to the present note.</p>
  </paragraphs>
  <annex>
    <title>Provisional programme of work</title>
    <programme>
      <day date="{start}" weekday="{weekday}">
        <slot start="10:00" end="13:00">
          <segment>Opening of the session</segment>
          <agenda-item ref="1"/>
        </slot>
      </day>
    </programme>
  </annex>
""",
    "note": """\
  <title>[Title]</title>
  <subtitle>Note by the Secretariat</subtitle>
  <paragraphs>
    <p>[The first paragraph.]</p>
  </paragraphs>
""",
    "report": """\
  <title>[Title of the report]</title>
  <body>
    <contents/>
    <section>
      <heading>Introduction</heading>
      <p>[The first paragraph.]</p>
    </section>
    <section>
      <heading>Conclusions and recommendations</heading>
      <p>[The conclusions.]</p>
    </section>
  </body>
""",
    "provisional-agenda": """\
  <title>Provisional agenda</title>
  <body>
    <agenda-list>
      <agenda-entry ref="1"/>
    </agenda-list>
  </body>
""",
    "letter": """\
  <title>Letter dated [date] from [sender] addressed to [addressee]</title>
  <body>
    <salutation>Excellency,</salutation>
    <p>[The letter.]</p>
    <closing>Please accept, Excellency, the assurances of my highest consideration.</closing>
    <signature><name>[Name]</name><function>[Function]</function></signature>
  </body>
""",
    "letterhead-letter": """\
  <title>[Subject of the letter]</title>
  <body>
    <addressee>[To all Permanent Representatives and Permanent Observers to the United Nations]</addressee>
    <salutation>Excellency,</salutation>
    <p>[The letter.]</p>
    <closing>Please accept, Excellency, the assurances of my highest consideration.</closing>
    <signature><name>[Name]</name><function>[Function]</function></signature>
  </body>
""",
    "conference-room-paper": """\
  <title>[Title]</title>
  <body>
    <p>[The first paragraph.]</p>
  </body>
""",
    "limited-draft": """\
  <title>Draft report of the working group</title>
  <body>
    <p>[The first paragraph.]</p>
  </body>
""",
    "corrigendum": """\
  <title>[Title of the corrected document]</title>
  <body>
    <correction>
      <where>[Paragraph 1, first sentence]</where>
      <for>[the text as issued]</for>
      <read>[the corrected text]</read>
    </correction>
  </body>
""",
    "addendum": """\
  <title>[Title of the document]</title>
  <body>
    <p>[The first paragraph.]</p>
  </body>
""",
    "revision": """\
  <title>[Title of the revised document]</title>
  <body>
    <p>[The first paragraph.]</p>
  </body>
""",
    "note-verbale": """\
  <title>Note verbale dated [date] from [sender] addressed to [addressee]</title>
  <body>
    <p>[The sender] presents its compliments to [the addressee] and has the honour to [...]</p>
  </body>
""",
}
"""What follows the session in a new document of each genre: one placeholder of each part."""

_SYMBOL_SUFFIXES = {"conference-room-paper": "/CRP.1", "limited-draft": "/L.1", "corrigendum": "/1/Corr.1",
                    "addendum": "/1/Add.1", "revision": "/1/Rev.1"}
"""What the placeholder symbol of a genre ends in after ``A/AC.292/YYYY``; others end in ``/1``."""


def genre_names() -> list[str]:
    """The genres ``undoc new --type`` makes."""
    return sorted(GENRES)


def of_genre(name: str, target: Path, register: Path | None, issued: dt.date, ordinal: int = 1,
             dates: tuple[dt.date, dt.date] | None = None, schema: Path | None = None) -> NewDocument:
    """A nearly empty document of genre ``name``, to be written at ``target``.

    ``register`` is the register its session refers to (made relative to ``target``);
    ``issued`` its placeholder date of issue; the session's dates default to the working
    week after it. ``schema``, when given, is named in ``xsi:schemaLocation``."""
    if name not in _BODIES:
        raise NewDocumentError(f"no genre {name!r}; choose from {', '.join(genre_names())}")
    facts = genre(name)
    start, end = dates or (issued + dt.timedelta(days=7 - issued.weekday()),
                           issued + dt.timedelta(days=11 - issued.weekday()))
    target_dir = target.parent.resolve()
    register_ref = (Path(os.path.relpath(register.resolve(), target_dir)).as_posix() if register
                    else "shared/register.xml")
    notes = [] if register else ["no register was found in the sources folder: write the one the session "
                                 "refers to at " + register_ref]
    job = "" if not facts.job_footer else f'\n    <job-number placeholder="true">{issued:%y}-00000</job-number>'
    symbol = (f'\n    <!--{PLACEHOLDER_NOTE}-->\n    <symbol placeholder="true">'
              f'A/AC.292/{issued.year}{_SYMBOL_SUFFIXES.get(name, "/1")}</symbol>')
    if facts.masthead == "letterhead":  # the sender's letterhead instead of a symbol
        symbol, job = "", ("\n    <letterhead>\n      <line>[Sender]</line>\n      <place>New York</place>"
                           "\n    </letterhead>")
    location = ""
    if schema is not None:
        location = (f'\n          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                    f'\n          xsi:schemaLocation="{NS} '
                    f'{Path(os.path.relpath(schema.resolve(), target_dir)).as_posix()}"')
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="{NS}"{location}
          version="1.0" type="{name}">
  <masthead>
    <organ>general-assembly</organ>{symbol}
    <distribution>{facts.distribution or "general"}</distribution>
    <date placeholder="true">{issued.isoformat()}</date>
    <original-language>en</original-language>
    <language>en</language>{job}
  </masthead>
  <session register="{register_ref}" ordinal="{ordinal}" kind="substantive">
    <place>New York</place>
    <dates start="{start.isoformat()}" end="{end.isoformat()}"/>
  </session>
{_BODIES[name].format(start=start.isoformat(), weekday=WEEKDAY_NAMES[start.weekday()])}</document>
"""
    return NewDocument(text.encode("utf-8"), tuple(notes))


# ---------------------------------------------------------------- the command


def find_register(sources: Path) -> Path | None:
    """The first register under ``sources`` (its ``shared/`` folder first), or None."""
    candidates = sorted((sources / "shared").glob("*.xml")) + sorted(sources.glob("*.xml"))
    for path in candidates:
        loaded, _ = load(path)
        if loaded.tree is not None and loaded.tree.getroot().tag == q("register"):
            return path
    return None


def default_target(source: Path | None, name: str | None, ordinal: int, sources: Path) -> Path:
    """Where ``undoc new`` writes without ``-o``: beside the earlier document, named for the new
    session (``…-s5-…``) where the earlier name carries its session, else in the sources folder."""
    if source is not None:
        stem = re.sub(r"(?<![a-z])s\d+(?![0-9])", f"s{ordinal}", source.stem, count=1)
        return source.with_name(f"{stem if stem != source.stem else source.stem + '-new'}.xml")
    return sources / f"new-{name}.xml"


def make(source: Path | None, genre_name: str | None, target: Path, *, ordinal: int | None,
         dates: tuple[dt.date, dt.date] | None, sources: Path, today: dt.date) -> NewDocument:
    """The new document the command line asks for (from ``source``, or of ``genre_name``)."""
    if source is not None:
        if ordinal is None or dates is None:
            raise NewDocumentError("a document made from an earlier one needs --session N and --dates START/END")
        return from_earlier(source, target, ordinal, *dates)
    schema = sources.parent / "schemas" / "undoc-1.0.xsd"
    return of_genre(genre_name or "", target, find_register(sources), today, ordinal or 1, dates,
                    schema if schema.is_file() else None)

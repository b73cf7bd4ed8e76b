"""References: agenda items, sub-topics, wordings, footnotes and identifiers."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.i18n import languages as layout_languages
from pipeline.sources.load import q
from pipeline.validate.rules.base import DOCUMENT, REGISTER, Finding, RuleContext, natural_order, rule


@rule("agenda-item-unknown", "Every agenda item referred to is on the register's agenda.")
def _agenda_item_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """``<agenda-item ref="5">`` in a programme, and ``<agenda-entry ref="5">`` in a provisional
    agenda, name an item of the register's ``<agenda>``."""
    if ctx.register is None:
        return
    known = ", ".join(sorted(ctx.register.agenda, key=natural_order))
    for item in ctx.root.iter(q("agenda-item"), q("agenda-entry")):
        ref = item.get("ref", "")
        if ref not in ctx.register.agenda:
            yield item, f"agenda item {ref} is not on the agenda of {ctx.register.path} (it has {known})"


@rule("topic-unknown", "Every sub-topic referred to is in the register.")
def _topic_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """``<topic ref="d">`` names a lettered sub-topic of the register's ``<topics>``."""
    if ctx.register is None:
        return
    known = ", ".join(f"({k})" for k in sorted(ctx.register.topics))
    for topic in ctx.root.iter(q("topic")):
        ref = topic.get("ref", "")
        if ref not in ctx.register.topics:
            yield topic, f"sub-topic ({ref}) is not in {ctx.register.path} (it has {known})"


@rule("wording-language", "The register words every referred item in the document's language.")
def _wording_language(ctx: RuleContext) -> Iterator[Finding]:
    """The body's name, and each agenda item and sub-topic the document refers to without a
    ``<wording>`` of its own, need a wording in the document's language in the register.
    Checked for languages that have a wording catalogue."""
    if ctx.register is None:
        return
    language = ctx.language
    if language not in layout_languages():
        return
    session = ctx.root.find(q("session"))
    if session is not None and language not in ctx.register.body_name:
        yield session, f"{ctx.register.path} has no body name in language {language!r}"
    for tag, table, label in (("agenda-item", ctx.register.agenda, "agenda item"),
                              ("agenda-entry", ctx.register.agenda, "agenda item"),
                              ("topic", ctx.register.topics, "sub-topic")):
        for element in ctx.root.iter(q(tag)):
            wordings = table.get(element.get("ref", ""))
            if wordings is not None and language not in wordings and element.find(q("wording")) is None:
                yield element, (f"{label} {element.get('ref')} has no wording in language "
                                f"{language!r} in {ctx.register.path}; add one there or word it here")


@rule("footnote-unknown", "Every footnote call names a footnote of the document.")
def _footnote_unknown(ctx: RuleContext) -> Iterator[Finding]:
    """``<footnote-ref ref="x">`` needs a ``<footnote id="x">`` under ``<footnotes>``."""
    defined = {f.get("id") for f in ctx.root.iter(q("footnote"))}
    for ref in ctx.root.iter(q("footnote-ref")):
        if ref.get("ref") not in defined:
            yield ref, f"footnote {ref.get('ref')!r} is called here but not defined under <footnotes>"


def _footnote_calls(ctx: RuleContext) -> dict[str, list[etree._Element]]:
    calls: dict[str, list[etree._Element]] = {}
    for ref in ctx.root.iter(q("footnote-ref")):
        calls.setdefault(ref.get("ref", ""), []).append(ref)
    return calls


@rule("footnote-unused", "Every footnote is called.")
def _footnote_unused(ctx: RuleContext) -> Iterator[Finding]:
    """A footnote that no ``<footnote-ref>`` calls would never be printed."""
    calls = _footnote_calls(ctx)
    for note in ctx.root.iter(q("footnote")):
        if not calls.get(note.get("id", "")):
            yield note, f"footnote {note.get('id')!r} is never called; call it or remove it"


FOOTNOTE_MAX_CHARACTERS = 2500
"""The longest footnote, in characters, that fits at the foot of a page with room to spare:
about half a page of notes (9 pt, some 90 characters a line)."""


@rule("footnote-length", f"A footnote fits at the foot of its page (at most {FOOTNOTE_MAX_CHARACTERS} characters).",
      Severity.WARNING)
def _footnote_length(ctx: RuleContext) -> Iterator[Finding]:
    """A note is set whole at the foot of the page that calls it: a note longer than about
    half a page leaves little room for the text, and one longer than a page cannot be set
    (the PDF would draw it over the text). Such matter belongs in the text or in an annex."""
    for note in ctx.root.iter(q("footnote")):
        length = len(" ".join("".join(note.itertext()).split()))
        if length > FOOTNOTE_MAX_CHARACTERS:
            yield note, (f"footnote {note.get('id')!r} has {length} characters, more than the "
                         f"{FOOTNOTE_MAX_CHARACTERS} that fit at the foot of a page; move the matter into "
                         f"the text or an annex")


@rule("footnote-repeated", "Every footnote is called once only.")
def _footnote_repeated(ctx: RuleContext) -> Iterator[Finding]:
    """A footnote is printed once, at its call; a second call would point readers to a
    number that follows a different place. Repeat the note or refer to it in words."""
    for note_id, refs in _footnote_calls(ctx).items():
        for ref in refs[1:]:
            yield ref, (f"footnote {note_id!r} is already called at line {refs[0].sourceline}; "
                        f"a footnote is called once")


@rule("duplicate-id", "Identifiers are unique: footnote ids, agenda item numbers, sub-topic letters.",
      applies_to=(DOCUMENT, REGISTER))
def _duplicate_id(ctx: RuleContext) -> Iterator[Finding]:
    """References by id must be unambiguous: two footnotes with one id, or two register
    entries with one agenda item number or sub-topic letter, make them so."""
    groups = (
        (ctx.root.iter(q("footnote")), "id", "footnote id"),
        (ctx.root.iterfind(f"{q('agenda')}/{q('item')}"), "number", "agenda item number"),
        (ctx.root.iterfind(f"{q('topics')}/{q('topic')}"), "letter", "sub-topic letter"),
    )
    for elements, attribute, label in groups:
        first: dict[str, etree._Element] = {}
        for element in elements:
            value = element.get(attribute, "")
            if value in first:
                yield element, (f"{label} {value!r} is already used at line "
                                f"{first[value].sourceline}; make it unique")
            else:
                first[value] = element


# ---------------------------------------------------------------- languages

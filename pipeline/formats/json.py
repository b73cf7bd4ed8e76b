"""JSON: the model as data, described by ``schemas/undoc-document-2.0.schema.json``.

Every output is validated against that schema (JSON Schema draft 2020-12) before it is
returned, so a file that does not match is a render error and is never written. The standard
library writes it: keys in the order this module builds them (sorting would part a node's
"type" or "kind" from the rest), text as UTF-8 without escapes, a two-space indent and a final
newline, so the same model gives the same bytes. Printed forms (labels, dates, times) come from
the same wording tables and formatting functions as the other renderers.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from pipeline.formats.common import entry_parts, letterhead
from pipeline.formats.text import parts_text
from pipeline.genres import genre
from pipeline.i18n import Wording, wording_for
from pipeline.i18n import formatting as fmt
from pipeline.model.tree import (
    AgendaItemEntry,
    AgendaList,
    Block,
    BulletList,
    Contents,
    Correction,
    Document,
    DocumentRef,
    Emphasis,
    Entry,
    FootnoteRef,
    ForeignSpan,
    Inline,
    ItemList,
    LetterPart,
    LineBreak,
    Link,
    ListItem,
    Paragraph,
    Programme,
    Quote,
    Row,
    Section,
    Signature,
    Strong,
    Superscript,
    Table,
    TableNoteRef,
    Text,
    TopicEntry,
    undocs_url,
)
from pipeline.model.visit import BlockVisitor, InlineVisitor
from pipeline.resources import schemas_dir

if TYPE_CHECKING:  # imported at first use: the fast check needs neither, and a build starts quicker
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

NAME = "json"
SUFFIX = ".json"
DESCRIPTION = "JSON data, validated against schemas/undoc-document-2.0.schema.json"

SCHEMA_FILE = schemas_dir() / "undoc-document-2.0.schema.json"
"""The JSON Schema every output follows."""

SCHEMA_ID = "urn:undoc:json:document:2.0"
"""The schema's ``$id``, repeated as ``$schema`` in every output."""

SCHEMA_VERSION = "2.0"
"""Version of the export format, repeated as ``schemaVersion`` in every output."""

Json = dict[str, Any]


class SchemaMismatch(ValueError):
    """The JSON built from a model does not match the published schema."""


@functools.cache
def schema() -> Json:
    """The JSON Schema, read once per process."""
    loaded: Json = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def validator() -> Draft202012Validator:
    """A draft 2020-12 validator of the schema, with format checking (dates)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def prepare() -> None:
    """Compile the schema now (a local build's workers then share it; see :mod:`pipeline.build.preload`)."""
    fast_validator()


def _where(error: ValidationError) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def schema_errors(instance: Any) -> list[str]:
    """Every way ``instance`` fails the schema, as "$.path: message", in path order."""
    errors = sorted(validator().iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_where(e)}: {e.message}" for e in errors]


@functools.cache
def fast_validator() -> Any:
    """The schema compiled by jsonschema-rs, or None when it is not installed.

    It answers "valid or not" two hundred times faster than :func:`validator` (0.2 ms against
    45 ms for a programme of work, which made this check most of a build's time); the
    messages of an output that does not match still come from :func:`validator`.
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(schema(), validate_formats=True)


def check(instance: Any) -> None:
    """Raise :class:`SchemaMismatch` naming the first problems when ``instance`` does not match."""
    fast = fast_validator()
    if fast is not None and fast.is_valid(instance):
        return
    problems = schema_errors(instance)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise SchemaMismatch(f"the JSON does not match {SCHEMA_FILE.name}: {shown}")


class _Inlines(InlineVisitor[Json]):
    """Inline content as typed runs."""

    def __init__(self, language: str):
        self.language = language

    def runs(self, nodes: tuple[Inline, ...]) -> list[Json]:
        return self.visit_all(nodes)

    def visit_text(self, node: Text) -> Json:
        return {"type": "text", "text": node.text}

    def visit_emphasis(self, node: Emphasis) -> Json:
        return {"type": "emphasis", "content": self.runs(node.children)}

    def visit_strong(self, node: Strong) -> Json:
        return {"type": "strong", "content": self.runs(node.children)}

    def visit_superscript(self, node: Superscript) -> Json:
        return {"type": "superscript", "content": self.runs(node.children)}

    def visit_line_break(self, node: LineBreak) -> Json:
        return {"type": "line-break"}

    def visit_foreign(self, node: ForeignSpan) -> Json:
        return {"type": "foreign", "lang": node.language, "content": self.runs(node.children)}

    def visit_document_ref(self, node: DocumentRef) -> Json:
        return {"type": "docref", "symbol": node.symbol, "text": node.text,
                "href": undocs_url(node.symbol, self.language)}

    def visit_link(self, node: Link) -> Json:
        return {"type": "link", "href": node.href, "content": self.runs(node.children)}

    def visit_footnote_ref(self, node: FootnoteRef) -> Json:
        return _note_call(node)

    def visit_table_note_ref(self, node: TableNoteRef) -> Json:
        return {"type": "table-note-ref", "id": node.note_id, "letter": node.letter}


def _note_call(ref: FootnoteRef) -> Json:
    return {"type": "footnote-ref", "id": ref.note_id, "number": ref.number, "mark": ref.mark, "call": ref.call}


def _entry(entry: Entry | ListItem, w: Wording, runs: _Inlines, *, in_list: bool = False) -> Json:
    if isinstance(entry, BulletList):
        return {"kind": "list", "items": [_entry(i, w, runs, in_list=True) for i in entry.items]}
    parts = entry_parts(entry, w, in_list=in_list)
    data: Json = {"kind": parts.kind}
    if isinstance(entry, AgendaItemEntry):
        data["number"] = entry.number
    elif isinstance(entry, TopicEntry):
        data["letter"] = entry.letter
    data["label"] = parts.label
    data["wording"] = runs.runs(parts.content)
    data["notes"] = [_note_call(n) for n in parts.notes]
    if isinstance(entry, AgendaItemEntry | TopicEntry):
        data["minutes"] = None
    else:
        data["minutes"] = entry.minutes
        data["duration"] = parts.duration
    data["continued"] = {"shown": entry.continued.shown, "explicit": entry.continued.explicit}
    data["printed"] = parts_text(parts, w)
    return data


class _Blocks(BlockVisitor[Json]):
    """Each block as an object told apart by its ``type``."""

    def __init__(self, document: Document):
        self.w = wording_for(document.language)
        self.runs = _Inlines(document.language)
        self.annexes = len(document.annexes)

    def blocks(self, blocks: tuple[Block, ...]) -> list[Json]:
        return self.visit_all(blocks)

    def visit_section(self, section: Section) -> Json:
        return {"type": "section", "id": section.section_id, "level": section.level, "number": section.number,
                "label": fmt.section_label(section.level, section.number, self.w),
                "heading": self.runs.runs(section.heading), "blocks": self.blocks(section.blocks)}

    def visit_paragraph(self, paragraph: Paragraph) -> Json:
        return {"type": "paragraph", "number": paragraph.number, "content": self.runs.runs(paragraph.content)}

    def visit_item_list(self, item_list: ItemList) -> Json:
        return {"type": "list", "style": item_list.style, "degree": item_list.degree, "items": [
            {"number": item.number, "label": fmt.item_label(item_list.style, item_list.degree, item.number, self.w),
             "content": self.runs.runs(item.content),
             "sublist": self.visit_item_list(item.sublist) if item.sublist is not None else None}
            for item in item_list.items]}

    def _row(self, row: Row) -> list[Json]:
        return [{"header": c.header, "colspan": c.colspan, "content": self.runs.runs(c.content)} for c in row.cells]

    def visit_table(self, table: Table) -> Json:
        return {"type": "table", "caption": self.runs.runs(table.caption), "widths": list(table.widths),
                "columns": table.columns, "head": [self._row(r) for r in table.head],
                "body": [self._row(r) for r in table.body],
                "notes": [{"id": n.note_id, "letter": n.letter, "content": self.runs.runs(n.content)}
                          for n in table.notes]}

    def visit_quote(self, quote: Quote) -> Json:
        return {"type": "quote", "blocks": self.blocks(quote.blocks)}

    def visit_letter_part(self, part: LetterPart) -> Json:
        return {"type": "letter-part", "role": part.role, "content": self.runs.runs(part.content)}

    def visit_signature(self, signature: Signature) -> Json:
        return {"type": "signature", "signed": signature.signed,
                "signedLine": self.w.signed if signature.signed else None,
                "name": self.runs.runs(signature.name),
                "functions": [self.runs.runs(f) for f in signature.functions]}

    def visit_contents(self, contents: Contents) -> Json:
        return {"type": "contents", "heading": self.w.contents, "entries": [
            {"level": e.level, "number": e.number,
             "label": fmt.contents_label(e, self.annexes, self.w),
             "heading": self.runs.runs(e.heading), "target": e.target}
            for e in contents.entries]}

    def visit_correction(self, correction: Correction) -> Json:
        return {"type": "correction", "where": self.runs.runs(correction.where),
                "for": self.runs.runs(correction.wrong), "read": self.runs.runs(correction.right)}

    def visit_agenda_list(self, agenda: AgendaList) -> Json:
        return {"type": "agenda-list", "items": [
            {"number": i.number, "label": fmt.paragraph_label(i.number, self.w), "wording": self.runs.runs(i.wording),
             "notes": [_note_call(n) for n in i.notes]}
            for i in agenda.items]}

    def visit_programme(self, programme: Programme) -> Json:
        w = self.w
        return {"type": "programme", "days": [
            {
                "date": day.date.isoformat(),
                "heading": fmt.day_heading(day.date, w),
                "slots": [
                    {
                        "start": f"{slot.start:%H:%M}",
                        "end": f"{slot.end:%H:%M}",
                        "time": fmt.time_range(slot.start, slot.end, w),
                        "entries": [_entry(e, w, self.runs) for e in slot.entries],
                    }
                    for slot in day.slots
                ],
            }
            for day in programme.days
        ]}


def to_data(document: Document) -> Json:
    """The document as JSON-ready data (not yet validated)."""
    w = wording_for(document.language)
    language = document.language
    runs = _Inlines(language)
    blocks = _Blocks(document)
    m, s, front = document.masthead, document.session, document.front
    kind = genre(document.doc_type)
    head = letterhead(document, w)
    return {
        "$schema": SCHEMA_ID,
        "schemaVersion": SCHEMA_VERSION,
        "documentType": document.doc_type,
        "url": undocs_url(m.symbol, language) if m.symbol else None,
        "genre": {
            "masthead": kind.masthead,
            "jobFooter": kind.job_footer,
            "numberedParagraphs": kind.numbered_paragraphs,
            "label": fmt.genre_label(document, w),
        },
        "masthead": {
            "organ": m.organ,
            "organName": w.organs[m.organ],
            "symbol": m.symbol,
            "symbolIsPlaceholder": m.symbol_is_placeholder,
            "distribution": m.distribution,
            "distributionLine": fmt.distribution_line(document, w),
            "issued": m.issued.isoformat(),
            "issuedIsPlaceholder": m.issued_is_placeholder,
            "issuedPrinted": fmt.full_date(m.issued, wording_for(w.masthead_language)),
            "originalLanguage": m.original_language,
            "originalLine": fmt.original_line(document, w),
            "language": m.language,
            "jobNumber": m.job_number,
            "jobNumberIsPlaceholder": m.job_number_is_placeholder,
            "jobNumberLine": fmt.job_number_line(document, w) if m.job_number else None,
            **({} if head is None or m.letterhead is None else {"letterhead": {
                "lines": list(head.lines), "place": m.letterhead.place, "placeDate": head.place_date}}),
        },
        "session": {
            "body": runs.runs(s.body_name),
            "registerId": s.register_id,
            "ordinal": s.ordinal,
            "kind": s.kind,
            "place": s.place,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "sessionLine": fmt.session_line(s, w),
            "placeAndDates": fmt.place_and_dates(s, w),
        },
        "front": {
            "gaSession": runs.runs(front.ga_session),
            "agendaLines": [runs.runs(line) for line in front.agenda_lines],
            "reissued": front.reissued.isoformat() if front.reissued else None,
            "reissuedLine": fmt.reissued_line(front.reissued, w) if front.reissued else None,
        },
        "title": runs.runs(document.title),
        "subtitle": runs.runs(document.subtitle),
        "body": blocks.blocks(document.body),
        "annexes": [
            {
                "id": f"annex-{index + 1}",
                "heading": fmt.annex_heading(index, len(document.annexes), w),
                "title": runs.runs(a.title),
                "originalLanguage": a.original_language,
                "onlyIn": fmt.only_in_line(a.original_language, w) or None,
                "blocks": blocks.blocks(a.blocks),
            }
            for index, a in enumerate(document.annexes)
        ],
        "footnotes": [{"id": f.note_id, "number": f.number, "mark": f.mark, "call": f.call,
                       "content": runs.runs(f.content)}
                      for f in document.footnotes],
    }


def dumps(data: Json) -> bytes:
    """Deterministic bytes: keys in the order built, two-space indent, UTF-8, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(document: Document) -> bytes:
    """The document as schema-valid JSON; :class:`SchemaMismatch` when it would not be."""
    data = to_data(document)
    check(data)
    return dumps(data)

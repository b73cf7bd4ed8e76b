"""Labels typed or printed before a paragraph's words: "1.", "(a)", "A.", "IV.", "(iii)", "–"."""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass

from pipeline.i18n import Wording, wording_for
from pipeline.model.numbering import letter_index, roman_value

from .read import Node

LABEL = re.compile(r"^(\((?:[ivxlc]+|[a-z]{1,2}|\d+)\)|[IVXLC]+\.|[A-Z]\.|\d+\.|[a-z]\.|[ivx]+\.|[–•\-])(?=\s|$)")


_SPACES = ("Space", "SoftBreak")


def _first_word(nodes: list[Node]) -> int:
    """The index of the first node of ``nodes`` that is not a space (their length if none)."""
    start = 0
    while start < len(nodes) and nodes[start]["t"] in _SPACES:
        start += 1
    return start


def _after_spaces(nodes: list[Node]) -> list[Node]:
    """``nodes`` without the spaces they start with."""
    return nodes[_first_word(nodes):]


def split_label(nodes: list[Node]) -> tuple[str, list[Node]]:
    """The label at the start of ``nodes`` ("" when none) and the nodes after it and its space."""
    start = _first_word(nodes)
    if start >= len(nodes) or nodes[start]["t"] != "Str":
        return "", nodes
    text = nodes[start]["c"]
    found = LABEL.match(text)
    if not found and start + 1 < len(nodes) and nodes[start + 1]["t"] in _SPACES:
        found = LABEL.match(text + " ")
    if not found:
        return "", nodes
    label = found.group(1)
    rest_text = text[len(label):]
    rest = ([{"t": "Str", "c": rest_text.lstrip()}] if rest_text.strip() else []) + nodes[start + 1:]
    return label, _after_spaces(rest)


def kind_of(label: str) -> tuple[str, int]:
    """What a label is and its number: ("roman", 4) for "IV.", ("upper", 1) for "A.", ("arabic", 3)
    for "3.", ("paren-letter", 1) for "(a)", ("paren-roman", 2) for "(ii)", ("bullet", 0) for "–"."""
    if label in ("–", "•", "-"):
        return "bullet", 0
    if label.startswith("("):
        inner = label[1:-1]
        if inner.isdigit():
            return "paren-arabic", int(inner)
        if re.fullmatch(r"[ivxl]+", inner):
            return "paren-roman", roman_value(inner)
        return "paren-letter", (ord(inner[0]) - 96) + 26 * (len(inner) - 1)
    body = label[:-1]
    if body.isdigit():
        return "arabic", int(body)
    if re.fullmatch(r"[IVXLC]+", body) and (len(body) > 1 or body in ("I", "V", "X")):
        return "roman", roman_value(body)
    if re.fullmatch(r"[A-Z]", body):
        return "upper", ord(body) - 64
    if re.fullmatch(r"[ivx]+", body):
        return "lower-roman", roman_value(body)
    return "lower", ord(body[0]) - 96


_FIELD_PATTERNS = {"number": r"\d+", "roman": r"[ivxlc]+", "Roman": r"[IVXLC]+", "letter": r"[a-z]{1,2}",
                   "Letter": r"[A-Z]{1,2}"}
"""What the built-in fields of a label pattern match (:func:`pipeline.model.numbering.label_fields`)."""


@dataclass(frozen=True)
class LabelPattern:
    """A label pattern of a language as a regular expression, and the field its number is in."""

    regex: re.Pattern[str]
    field: str


def _regex(pattern: str, w: Wording) -> LabelPattern | None:
    parts, field = [], ""
    for literal, name, _, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal).replace(r"\ ", r"\s+"))
        if name is None:
            continue
        if name in w.counters:
            values = sorted(w.counters[name], key=len, reverse=True)
            parts.append("(?P<value>" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in values) + ")")
        elif name in _FIELD_PATTERNS:
            parts.append(f"(?P<value>{_FIELD_PATTERNS[name]})")
        else:
            return None
        field = name
    return LabelPattern(re.compile("".join(parts)), field) if field else None


@functools.cache
def label_patterns(language: str) -> tuple[LabelPattern, ...]:
    """The labels of paragraphs, headings and subparagraphs as ``language`` prints them, most
    specific first (its own counters before digits and letters)."""
    w = wording_for(language)
    found = [_regex(p, w) for p in (w.paragraph_label, *w.heading_labels, *w.item_labels, w.sub_item_label)]
    unique = {p.regex.pattern: p for p in found if p is not None}
    return tuple(sorted(unique.values(), key=lambda p: p.field not in w.counters))


def label_number(pattern: LabelPattern, value: str, language: str) -> int:
    """The number a label's value stands for: "ثالثا" -> 3, "(د)" -> 4, "iv" -> 4, "12" -> 12."""
    w = wording_for(language)
    if pattern.field in w.counters:
        normalised = " ".join(value.split())
        return w.counters[pattern.field].index(normalised) + 1
    if pattern.field == "number":
        return int(value)
    if pattern.field in ("roman", "Roman"):
        return roman_value(value)
    return letter_index(value.lower())


def split_language_label(nodes: list[Node], language: str) -> tuple[str, int, list[Node]] | None:
    """The label at the start of ``nodes`` as ``language`` prints it ("أولا -", "1 -", "(أ)"), the
    number it stands for and the nodes after it; None when they start with none of its labels."""
    start = _first_word(nodes)
    text = ""
    for end in range(start, min(start + 6, len(nodes))):
        node = nodes[end]
        if node["t"] not in ("Str", *_SPACES):
            break
        text += node["c"] if node["t"] == "Str" else " "
        if node["t"] != "Str":
            continue
        label = text.rstrip()  # a right-to-left heading's label ends in a no-break space
        for pattern in label_patterns(language):
            found = pattern.regex.fullmatch(label)
            if found:
                return label, label_number(pattern, found.group("value"), language), _after_spaces(nodes[end + 1:])
    return None


def split_item_label(nodes: list[Node], language: str) -> tuple[int, list[Node]] | None:
    """The degree of the subparagraph label ``nodes`` start with as ``language`` prints it
    ("(أ)" 1, "’1‘" 2) and the nodes after it; None when they start with none."""
    start = _first_word(nodes)
    if start >= len(nodes) or nodes[start]["t"] != "Str":
        return None
    for degree, pattern in enumerate(_item_patterns(language), 1):
        if pattern is not None and pattern.regex.fullmatch(nodes[start]["c"]):
            return degree, _after_spaces(nodes[start + 1:])
    return None


@functools.cache
def _item_patterns(language: str) -> tuple[LabelPattern | None, ...]:
    """The subparagraph labels of ``language`` by degree, as regular expressions (None for a
    pattern without a number)."""
    w = wording_for(language)
    return tuple(_regex(pattern, w) for pattern in w.item_labels)

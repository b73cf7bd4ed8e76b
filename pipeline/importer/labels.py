"""Labels typed or printed before a paragraph's words: "1.", "(a)", "A.", "IV.", "(iii)", "–"."""

from __future__ import annotations

import re

from .read import Node

LABEL = re.compile(r"^(\((?:[ivxlc]+|[a-z]{1,2}|\d+)\)|[IVXLC]+\.|[A-Z]\.|\d+\.|[a-z]\.|[ivx]+\.|[–•\-])(?=\s|$)")


def split_label(nodes: list[Node]) -> tuple[str, list[Node]]:
    """The label at the start of ``nodes`` ("" when none) and the nodes after it and its space."""
    start = 0
    while start < len(nodes) and nodes[start]["t"] in ("Space", "SoftBreak"):
        start += 1
    if start >= len(nodes) or nodes[start]["t"] != "Str":
        return "", nodes
    text = nodes[start]["c"]
    found = LABEL.match(text)
    if not found and start + 1 < len(nodes) and nodes[start + 1]["t"] in ("Space", "SoftBreak"):
        found = LABEL.match(text + " ")
    if not found:
        return "", nodes
    label = found.group(1)
    rest_text = text[len(label):]
    rest = ([{"t": "Str", "c": rest_text.lstrip()}] if rest_text.strip() else []) + nodes[start + 1:]
    while rest and rest[0]["t"] in ("Space", "SoftBreak"):
        rest = rest[1:]
    return label, rest


def roman_value(text: str) -> int:
    """The value of a roman numeral (upper or lower case); 0 when it is not one."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, previous = 0, 0
    for char in reversed(text.lower()):
        if char not in values:
            return 0
        value = values[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


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

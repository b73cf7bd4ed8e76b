"""The layout specification: every measure, size and spacing of a layout family, written once.

``templates/layout/new-york.toml`` holds the values (points, or strings written as they are);
this module gives them to the renderers: :func:`css_custom_properties` as the ``:root`` block
that ``un.css`` and ``print.css`` build on, :func:`docx_context` as the values the DOCX
reference parts name through Jinja filters (``{{ un.size_body | half_points }}``). Both are
made once per process.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pipeline.resources import templates_dir

FAMILY = "new-york"
"""The layout family of the series (New York documents; A4 venues change the paper only)."""

NEW_YORK_PAPER = "letter"
"""The paper of New York documents, whose measure is the text width of the screen too."""

CSS_GROUPS = ("page", "screen", "un")
"""The groups of values the stylesheets name (``--un-size-body``); the others only code reads."""

TWIPS_PER_POINT = 20
HALF_POINTS_PER_POINT = 2
EIGHTHS_PER_POINT = 8
EMU_PER_POINT = 12700

Value = float | int | str


@dataclass(frozen=True)
class Layout:
    """One layout family's values by group (``un``, ``pdf``, ``page``) and its paper sizes."""

    groups: Mapping[str, Mapping[str, Value]]
    papers: Mapping[str, Mapping[str, float]]

    def value(self, group: str, name: str) -> Value:
        """One value: ``layout.value("un", "size_body")`` -> ``10``."""
        return self.groups[group][name]

    def points(self, group: str, name: str) -> float:
        """A length or size in points."""
        value = self.value(group, name)
        if isinstance(value, str):
            raise TypeError(f"layout value {group}.{name} is not a length: {value!r}")
        return float(value)

    def measure(self, paper: str = NEW_YORK_PAPER) -> float:
        """The width between the side margins of a page of ``paper``, in points."""
        return _measure(self.papers[paper], self.groups["page"])


def _measure(paper: Mapping[str, Value], page: Mapping[str, Value]) -> float:
    """The width between the side margins of ``paper`` with the margins of ``page``."""
    return float(paper["width"]) - 2 * float(page["margin_side"])


@functools.cache
def layout(family: str = FAMILY) -> Layout:
    """The specification of ``family``, read once."""
    path = templates_dir() / "layout" / f"{family}.toml"
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    papers = {name: MappingProxyType(dict(size)) for name, size in data.pop("paper").items()}
    # the text width follows from the paper and the margins: the New York page's
    measure = _measure(papers[NEW_YORK_PAPER], data["page"])
    data["un"]["text_width"] = int(measure) if measure.is_integer() else measure
    groups = {name: MappingProxyType(dict(values)) for name, values in data.items()}
    return Layout(MappingProxyType(groups), MappingProxyType(papers))


def css_value(value: Value) -> str:
    """A value as CSS: a number in points (``10pt``), a string as it is."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}pt"
    return f"{int(value)}pt"


@functools.cache
def css_values(family: str = FAMILY) -> Mapping[str, Mapping[str, str]]:
    """The groups the stylesheets name, each value as CSS: ``css_values()["un"]["size_body"]``
    -> ``10pt``."""
    spec = layout(family)
    groups = sorted(set(spec.groups) & set(CSS_GROUPS))
    return MappingProxyType({group: MappingProxyType({name: css_value(v) for name, v in spec.groups[group].items()})
                             for group in groups})


@functools.cache
def css_custom_properties(family: str = FAMILY) -> str:
    """The ``:root`` block of custom properties every stylesheet builds on
    (``--un-size-body: 10pt``, ``--page-margin-top: 64.8pt``)."""
    lines = [":root {"]
    for group, values in css_values(family).items():
        lines.extend(f"  --{group}-{name.replace('_', '-')}: {value};" for name, value in values.items())
    lines.append("}")
    return "\n".join(lines) + "\n"


def twips(points: float) -> int:
    """Points as twentieths of a point (OOXML lengths and indents)."""
    return round(float(points) * TWIPS_PER_POINT)


def half_points(points: float) -> int:
    """Points as half-points (OOXML font sizes)."""
    return round(float(points) * HALF_POINTS_PER_POINT)


def eighths(points: float) -> int:
    """Points as eighths of a point (OOXML border widths)."""
    return round(float(points) * EIGHTHS_PER_POINT)


def emu(points: float) -> int:
    """Points as English metric units (DrawingML sizes)."""
    return round(float(points) * EMU_PER_POINT)


ALIGNMENTS = {"start": "left", "end": "right", "center": "center", "justify": "both"}
"""A CSS ``text-align`` of the layout -> the OOXML ``w:jc`` of a paragraph. OOXML's ``left``
and ``right`` are its start and end in a right-to-left (``w:bidi``) paragraph too, as word
processors read them."""


def alignment(value: Value) -> str:
    """A text alignment of the layout (``end``) as a paragraph's ``w:jc`` (``right``)."""
    if not isinstance(value, str) or value not in ALIGNMENTS:
        raise ValueError(f"not a text alignment of the layout: {value!r}")
    return ALIGNMENTS[value]


FILTERS = {"twips": twips, "half_points": half_points, "eighths": eighths, "emu": emu, "alignment": alignment}
"""The unit conversions the DOCX parts apply to layout values."""


def justification(language: str, family: str = FAMILY) -> str:
    """How the paragraphs, subparagraphs and notes of ``language`` are aligned: the layout's
    ``justify_by_language`` for the language, else ``un.justify``."""
    spec = layout(family)
    by_language = spec.groups.get("justify_by_language", {})
    return str(by_language.get(language.split("-")[0].lower(), spec.value("un", "justify")))


@functools.cache
def justification_css(family: str = FAMILY) -> str:
    """The alignment of paragraphs in each language the layout sets otherwise than
    ``un.justify`` (its ``justify_by_language``: Chinese flush to the start), as CSS."""
    by_language = layout(family).groups.get("justify_by_language", {})
    return "".join(f":root:lang({language}) {{ --un-justify: {value}; }}\n"
                   for language, value in sorted(by_language.items()))


def docx_context(paper: str = NEW_YORK_PAPER, right_to_left: bool = False, family: str = FAMILY,
                 justify: str | None = None) -> dict[str, Any]:
    """The values the DOCX reference parts name: each group; ``paper``, the width, height and
    measure of the page; ``right_to_left``, whether the document's pages are mirrored;
    ``justify``, the alignment of its paragraphs (by default ``un.justify``)."""
    spec = layout(family)
    page = {**spec.papers[paper], "measure": spec.measure(paper)}
    return {**spec.groups, "paper": MappingProxyType(page), "right_to_left": right_to_left,
            "justify": justify or spec.value("un", "justify")}

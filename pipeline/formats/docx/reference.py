"""The reference document, kept unzipped in ``templates/docx/reference/`` and zipped on use.

Each OOXML part (styles, settings, headers, footers, …) is a reviewable XML file whose
measures name the layout specification (``{{ un.size_body | half_points }}``, see
:mod:`pipeline.layout`); the parts are filled in once per process. Each is
parsed before zipping, so a typo fails here with the part's name rather than as a DOCX that
a word processor refuses. The zip is deterministic: sorted members, fixed dates.
"""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import jinja2
from lxml import etree

from pipeline.layout import FILTERS, NEW_YORK_PAPER, docx_context
from pipeline.resources import docx_reference_dir

REFERENCE_DIR = docx_reference_dir()
"""The unzipped parts of the reference document."""

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Entry date of every member of the reference zip (the earliest a zip can hold)."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    environment.filters.update(FILTERS)
    return environment


@functools.cache
def _template(text: str) -> jinja2.Template:
    """A reference part's text as a template, compiled once per process for every page it fills."""
    return _environment().from_string(text)


def fill_part(text: str, paper: str = NEW_YORK_PAPER, right_to_left: bool = False, justify: str | None = None) -> str:
    """A reference part with the layout's values filled in for a page of ``paper``, mirrored
    when ``right_to_left``, its paragraphs aligned as ``justify`` (by default the layout's)."""
    return _template(text).render(docx_context(paper, right_to_left, justify=justify))


def reference_parts(folder: Path = REFERENCE_DIR, paper: str = NEW_YORK_PAPER,
                    right_to_left: bool = False, justify: str | None = None) -> dict[str, bytes]:
    """Every part under ``folder`` by its path in the package, its layout values filled in
    (for ``paper``, mirrored when ``right_to_left``, paragraphs aligned as ``justify``), each
    checked to be well-formed XML.

    The reference document pandoc is given is that of a New York page, left to right; the
    package pass gives another document the parts of its own page
    (:func:`page_variant`)."""
    if not folder.is_dir():
        raise FileNotFoundError(f"reference document parts not found: {folder}")
    parts: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        try:
            data = fill_part(path.read_text(encoding="utf-8"), paper, right_to_left, justify).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise ValueError(f"{path}: {exc}") from exc
        try:
            etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"{path}: not well-formed XML: {exc}") from exc
        parts[name] = data
    return parts


STYLES_PART = "word/styles.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class PageVariant:
    """What differs in the reference parts for a page of another paper or direction than the
    New York page, left to right, of the reference document pandoc is given."""

    parts: Mapping[str, bytes]
    """Whole parts that differ, by name (``word/document.xml`` for its section properties)."""
    styles: Mapping[str, bytes]
    """The ``w:style`` elements of ``word/styles.xml`` that differ, by style id."""


def _styles_by_id(data: bytes) -> dict[str, bytes]:
    root = etree.fromstring(data, _PARSER)
    return {style.get(f"{_W}styleId", ""): etree.tostring(style) for style in root.iter(f"{_W}style")}


@functools.cache
def _filled(paper: str, right_to_left: bool, justify: str | None) -> Mapping[str, bytes]:
    """:func:`reference_parts` of a page, read once per process."""
    return MappingProxyType(reference_parts(paper=paper, right_to_left=right_to_left, justify=justify))


@functools.cache
def page_variant(paper: str, right_to_left: bool, justify: str | None = None) -> PageVariant:
    """The reference parts of a page of ``paper`` (mirrored when ``right_to_left``, paragraphs
    aligned as ``justify``) that differ from those of the reference document pandoc is given."""
    given, own = _filled(NEW_YORK_PAPER, False, None), _filled(paper, right_to_left, justify)
    given_styles, own_styles = _styles_by_id(given[STYLES_PART]), _styles_by_id(own[STYLES_PART])
    return PageVariant(
        MappingProxyType({name: data for name, data in own.items() if name != STYLES_PART and given[name] != data}),
        MappingProxyType({key: style for key, style in own_styles.items() if given_styles.get(key) != style}))


def zip_parts(parts: dict[str, bytes], date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """A deterministic zip of ``parts``: sorted names, one date, fixed attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            archive.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def reference_docx_bytes(folder: Path = REFERENCE_DIR) -> bytes:
    """The reference document as DOCX bytes."""
    return zip_parts(reference_parts(folder))


@functools.cache
def reference_docx_path() -> Path:
    """The reference document written once per process to a private temporary folder.

    pandoc reads its reference document from a file; the folder is removed at exit.
    """
    folder = Path(tempfile.mkdtemp(prefix="undoc-docx-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "reference.docx"
    path.write_bytes(reference_docx_bytes())
    return path

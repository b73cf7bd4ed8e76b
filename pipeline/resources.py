"""Every file the tool reads at run time, found through :mod:`importlib.resources`.

The wheel carries them under ``pipeline/data/``: the fonts (a folder of their own), and the
project's ``templates/``, ``schemas/`` and ``sources/`` folders, which ``pipeline/data/``
links to in a checkout and which are copied into the package when it is built. Nothing
else in the package looks for a file by its own location, so the tool works the same from
a checkout, an editable install and a wheel.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

__all__ = [
    "ARABIC_FAMILY",
    "CHINESE_FAMILY",
    "DEFAULT_FACES",
    "FACES_BY_LANGUAGE",
    "FONT_FAMILY",
    "WORD_NAMES",
    "catalogues_dir",
    "data_dir",
    "docx_reference_dir",
    "example_sources_dir",
    "face_files",
    "faces_for",
    "families",
    "family_coverage",
    "font_config_file",
    "font_files",
    "fonts_dir",
    "pandoc_script",
    "schemas_dir",
    "templates_dir",
]

#: Family name of the bundled fonts, as written in their name tables.
FONT_FAMILY: str = "Liberation Serif"

_FONT_FILES: dict[str, str] = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}

ARABIC_FAMILY: str = "Noto Naskh Arabic"
"""The bundled Naskh face of Arabic text (the documents' Simplified Arabic)."""

CHINESE_FAMILY: str = "Noto Serif CJK SC"
"""The bundled Song face of Chinese text (the documents' SimSun), cut down to GB 2312."""

_FACE_FILES: dict[str, dict[str, str]] = {
    FONT_FAMILY: _FONT_FILES,
    ARABIC_FAMILY: {"regular": "NotoNaskhArabic-Regular.ttf", "bold": "NotoNaskhArabic-Bold.ttf"},
    CHINESE_FAMILY: {"regular": "NotoSerifCJKsc-Regular.ttf", "bold": "NotoSerifCJKsc-Bold.ttf"},
}
"""Every bundled family: its files by style (keys as in :func:`font_files`; a family without
italics has none, and the renderer slants its upright faces)."""

DEFAULT_FACES: tuple[str, ...] = (FONT_FAMILY,)
"""The families a document is printed in when its language names none of its own."""

FACES_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "ar": (FONT_FAMILY, ARABIC_FAMILY),
    "zh": (FONT_FAMILY, CHINESE_FAMILY),
}
"""Language (ISO 639-1) -> the bundled families that print it, in the order they are tried.

A language absent here is printed in :data:`DEFAULT_FACES`. Liberation Serif comes first
everywhere: Latin letters, figures and the symbols of documents are in Times New Roman in
every language version, and the script's own face prints what Liberation Serif lacks (right to left,
the PDF tries the script's face first for the text itself, figures and spaces included, as a
word processor does for a right-to-left run, and Liberation Serif first for what is set apart
left to right: :func:`pipeline.formats.pdf.right_to_left_font_css`). Adding a script means bundling
its family (files in :func:`fonts_dir`, an entry in ``_FACE_FILES``) and naming it here; the
glyph check of validation (rule ``glyph-missing``) follows from this table.
"""


WORD_NAMES: dict[str, str] = {
    FONT_FAMILY: "Times New Roman",
    ARABIC_FAMILY: "Simplified Arabic",
    CHINESE_FAMILY: "SimSun",
}
"""Bundled family -> the face United Nations documents are set in, which it stands for.

The DOCX names these (a Word user has them) with the bundled family as the alternative;
the PDF renderer's font configuration and the DOCX page previews alias them to the bundled
families.
"""


@functools.cache
def family_coverage(family: str) -> frozenset[int]:
    """The code points every style of a bundled family maps to a glyph, read once per process."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: frozenset[int] | None = None
    for path in face_files(family).values():
        with TTFont(path, lazy=True) as font:
            points = frozenset(font.getBestCmap() or {})
        covered = points if covered is None else covered & points
    return covered or frozenset()


def faces_for(language: str) -> tuple[str, ...]:
    """The families, in order, that print a document (or a wording) in ``language``.

    ``language`` is a language tag (``"ar"``, ``"zh-Hans"``); its first subtag decides.
    """
    return FACES_BY_LANGUAGE.get(language.split("-")[0].lower(), DEFAULT_FACES)


def families() -> tuple[str, ...]:
    """Every bundled family, the default one first."""
    return tuple(_FACE_FILES)


def face_files(family: str) -> dict[str, Path]:
    """The files of a bundled family, keyed by style (``"regular"``, ``"bold"``, …).

    Raises:
        KeyError: when no bundled family has that name.
    """
    return {style: fonts_dir() / name for style, name in _FACE_FILES[family].items()}


@functools.cache
def data_dir() -> Path:
    """The package's data folder, as a path on disk.

    Raises:
        FileNotFoundError: when the package was installed without its data (a broken
            installation: rebuild the wheel from a checkout).
    """
    folder = Path(str(files("pipeline") / "data"))
    if not (folder / "templates").is_dir():
        raise FileNotFoundError(f"the package's data folder is incomplete: {folder} (reinstall undoc)")
    return folder


def catalogues_dir() -> Path:
    """The wording catalogues of the layout, one ``<language>.toml`` per language."""
    return Path(str(files("pipeline.i18n") / "catalogues"))


def templates_dir() -> Path:
    """Jinja2 templates and stylesheets of HTML and PDF, the DOCX reference parts."""
    return data_dir() / "templates"


def schemas_dir() -> Path:
    """The XSD of the vocabulary, the JSON Schemas of the exports, the Akoma Ntoso schema."""
    return data_dir() / "schemas"


def example_sources_dir() -> Path:
    """The project's own sources, from which ``undoc init`` takes its example document."""
    return data_dir() / "sources"


def fonts_dir() -> Path:
    """The bundled font files and their licence."""
    return data_dir() / "fonts"


def docx_reference_dir() -> Path:
    """The unzipped parts of the DOCX reference document."""
    return templates_dir() / "docx" / "reference"


def pandoc_script() -> Path:
    """The Lua script a long-lived ``pandoc lua`` runs to convert documents one after another."""
    return templates_dir() / "docx" / "batch.lua"


def font_config_file() -> Path:
    """The fontconfig configuration of the PDF renderer: no font folder, aliases to the bundled family."""
    return templates_dir() / "fontconfig.conf"


def font_files() -> dict[str, Path]:
    """Return the bundled font files, keyed by style.

    The keys are ``"regular"``, ``"bold"``, ``"italic"`` and ``"bolditalic"``;
    the values are absolute paths to the TrueType files in :func:`fonts_dir`.
    A new dictionary is returned on each call.

    Raises:
        FileNotFoundError: if a font file is missing from the installation.
    """
    files_by_style = face_files(FONT_FAMILY)
    for path in files_by_style.values():
        if not path.is_file():
            raise FileNotFoundError(f"bundled font missing: {path}")
    return files_by_style

"""Data files bundled with the package.

The fonts live in ``pipeline/fonts/`` (a plain data folder, not a Python
package): Liberation Serif 2.1.5, metric-compatible with Times New Roman.  See
``pipeline/fonts/README.md`` for their origin and licence.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FONTS_DIR", "FONT_FAMILY", "font_files"]

#: Folder holding the bundled font files and their licence.
FONTS_DIR: Path = Path(__file__).resolve().parent / "fonts"

#: Family name of the bundled fonts, as written in their name tables.
FONT_FAMILY: str = "Liberation Serif"

_FONT_FILES: dict[str, str] = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}


def font_files() -> dict[str, Path]:
    """Return the bundled font files, keyed by style.

    The keys are ``"regular"``, ``"bold"``, ``"italic"`` and ``"bolditalic"``;
    the values are absolute paths to the TrueType files in :data:`FONTS_DIR`.
    A new dictionary is returned on each call.

    Raises:
        FileNotFoundError: if a font file is missing from the installation.
    """
    files = {style: FONTS_DIR / name for style, name in _FONT_FILES.items()}
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(f"bundled font missing: {path}")
    return files

"""DOCX to PDF and page images through LibreOffice, to review what a DOCX looks like.

    python -m pipeline.formats.docx.pages out/*.docx --out out/pages [--resolution 60]

LibreOffice (Debian ``libreoffice-writer-nogui``) runs headless with a private profile, and
fontconfig is given the bundled fonts (``pipeline/data/fonts/``) as the faces a DOCX names
(Times New Roman, Simplified Arabic, SimSun), so every machine lays the pages out alike.
``pdftoppm`` (poppler-utils) draws the pages. LibreOffice's PDFs are not byte-identical from
run to run (creation date, file id): they are for looking at, not for comparing bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.resources import FONT_FAMILY, WORD_NAMES, fonts_dir

SOFFICE_NAMES = ("soffice", "libreoffice")
"""Names the LibreOffice binary goes by."""

TIMEOUT_SECONDS = 180
"""Longest a conversion may take."""


class PagesError(RuntimeError):
    """LibreOffice or poppler is missing or failed."""


def soffice_binary() -> str | None:
    """The LibreOffice binary on PATH, if any."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file that adds the bundled fonts and maps the faces a DOCX names to them.

    Liberation Serif follows each script's face: Latin letters in a right-to-left run, which
    Word sets in the script's face, come from it rather than from whatever the system has.
    """
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(fonts_dir()))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'fontcache'))}</cachedir>\n"
        + "".join('  <alias binding="same">\n'
                  f"    <family>{escape(word_name)}</family>\n"
                  f"    <accept>{''.join(f'<family>{escape(f)}</family>' for f in dict.fromkeys(faces))}</accept>\n"
                  "  </alias>\n"
                  for family, word_name in WORD_NAMES.items() for faces in ((family, FONT_FAMILY),))
        + "</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def to_pdf(docx_files: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert DOCX files to PDF in ``out_dir`` with one LibreOffice call; return the PDFs."""
    soffice = soffice_binary()
    if soffice is None:
        raise PagesError("LibreOffice not found (apt-get install libreoffice-writer-nogui)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="undoc-soffice-") as scratch:
        folder = Path(scratch)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "LANG": "C.UTF-8",
            "FONTCONFIG_FILE": str(fontconfig_file(folder)),
        }
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir),
                   *(str(p) for p in docx_files)]
        result = subprocess.run(command, capture_output=True, text=True, env=env,
                                timeout=TIMEOUT_SECONDS, check=False)
    pdfs = [out_dir / f"{p.stem}.pdf" for p in docx_files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if result.returncode != 0 or missing:
        raise PagesError(f"LibreOffice failed (exit {result.returncode}; missing {', '.join(missing) or 'none'}):"
                         f"\n{result.stdout}{result.stderr}")
    return pdfs


def to_pngs(pdf: Path, out_dir: Path, resolution: int = 60) -> list[Path]:
    """Draw each page of ``pdf`` as ``<stem>-<n>.png`` in ``out_dir``; return the images."""
    if shutil.which("pdftoppm") is None:
        raise PagesError("pdftoppm not found (apt-get install poppler-utils)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(out_dir / pdf.stem)],
                   check=True, timeout=TIMEOUT_SECONDS)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext, layout kept)."""
    if shutil.which("pdftotext") is None:
        raise PagesError("pdftotext not found (apt-get install poppler-utils)")
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                            capture_output=True, check=True, timeout=TIMEOUT_SECONDS)
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def main(argv: Sequence[str] | None = None) -> int:
    """Convert the DOCX files named on the command line; print one line per page image."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.formats.docx.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("docx", nargs="+", type=Path, help="DOCX files")
    parser.add_argument("--out", type=Path, default=Path("out/pages"), help="folder for PDFs and PNGs")
    parser.add_argument("--resolution", type=int, default=60, help="pixels per inch of the PNGs")
    args = parser.parse_args(argv)
    try:
        for pdf in to_pdf(args.docx, args.out):
            images = to_pngs(pdf, args.out, args.resolution)
            print(f"{pdf}: {len(images)} pages: {', '.join(p.name for p in images)}")
    except PagesError as exc:
        print(f"pipeline.formats.docx.pages: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

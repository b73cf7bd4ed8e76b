"""``undoc init`` and ``undoc schema``: a new documents repository, and the schemas editors read.

A documents repository made by :func:`init` builds at once: its configuration, one example
document and the register it refers to, the schemas its sources name (so an XML editor
validates while typing), a pre-commit configuration, a CI workflow and a README.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from pipeline.project.config import CONFIG_FILE, FORMATS
from pipeline.resources import example_sources_dir, schemas_dir

EXAMPLE_DOCUMENT = "oewg-ict-s4-programme-of-work.xml"
"""The example document a new repository starts with: the fourth session's programme of work."""

EXAMPLE_REGISTER = Path("shared") / "oewg-ict-2021.xml"
"""The register the example document refers to (agenda and sub-topics of the working group)."""

SCHEMA_FILES = ("undoc-1.0.xsd", "xml.xsd", "undoc-document-2.0.schema.json")
"""What ``undoc schema`` writes: the XSD of the sources (and the xml: namespace schema it
imports), and the JSON Schema of the JSON export."""


class ScaffoldError(Exception):
    """The folder cannot be made into a documents repository (it is not empty, say)."""


def write_schemas(folder: Path) -> list[Path]:
    """Write the schemas into ``folder`` (made if missing); return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_FILES:
        target = folder / name
        shutil.copyfile(schemas_dir() / name, target)
        written.append(target)
    return written


CONFIG_TEXT = f'''# Configuration of this documents repository, read by the undoc command.
# Paths are relative to this file.

sources = "sources"   # one XML file per document; registers in sources/shared/
out = "out"           # where `undoc build` writes (not committed)
formats = [{", ".join(f'"{f}"' for f in FORMATS)}]

# Venues besides the built-in ones (New York, Geneva, Vienna, Nairobi, Bangkok, Addis Ababa,
# Beirut, Santiago, The Hague). The key is the place as written in <place>; time-zone is
# the IANA zone of programme times, paper is "letter" or "a4", name is the place as printed.
#
# [venues."Kigali"]
# time-zone = "Africa/Kigali"
# paper = "a4"
'''

PRE_COMMIT_TEXT = '''# Validate every changed source before a commit: pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: undoc-validate
        name: validate UN document sources (undoc)
        entry: undoc validate --strict
        language: system
        files: ^sources/.*\\.xml$
        require_serial: true
'''

WORKFLOW_TEXT = '''# Validate every source on every change, and build the outputs.
name: documents
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0
      - run: python -m pip install undoc-pipeline
      - run: undoc validate --strict --report github
      - run: undoc build --strict
      - uses: actions/upload-artifact@v4
        with:
          name: outputs
          path: out/
'''

README_TEXT = '''# Documents

United Nations documents kept as canonical XML, published with `undoc` in the official
layout: plain text, HTML, DOCX, PDF, JSON, Akoma Ntoso and iCalendar.

```sh
undoc validate          # check every source in sources/ (schema and rules)
undoc build             # write every format of every source into out/
```

- `sources/` holds one XML file per document; `sources/shared/` the registers that documents
  share (the agenda and the sub-topics of the working group).
- `schemas/` holds the XSD that each source names, so that an XML editor checks while you
  type. `undoc schema` writes it again after an upgrade of `undoc`.
- `undoc.toml` says where sources and outputs are, which formats to build, and the venues
  of your sessions besides the built-in ones.
- `undoc rules` lists every rule that validation applies, and what to do about each.

To start a new document, copy one in `sources/` to a new name (the name becomes the name
of the outputs), edit it, then `undoc validate` and `undoc build`.
'''

GITIGNORE_TEXT = "/out/\n"


def init(folder: Path) -> list[Path]:
    """Make ``folder`` a documents repository that builds at once; return the files written.

    Raises:
        ScaffoldError: when ``folder`` exists and is not empty (nothing is written then).
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} exists and is not empty; name a new or empty folder")
    examples = example_sources_dir()
    files: dict[Path, str | Path] = {
        Path(CONFIG_FILE): CONFIG_TEXT,
        Path("README.md"): README_TEXT,
        Path(".gitignore"): GITIGNORE_TEXT,
        Path(".pre-commit-config.yaml"): PRE_COMMIT_TEXT,
        Path(".github/workflows/documents.yml"): WORKFLOW_TEXT,
        Path("sources") / EXAMPLE_DOCUMENT: examples / EXAMPLE_DOCUMENT,
        Path("sources") / EXAMPLE_REGISTER: examples / EXAMPLE_REGISTER,
    }
    written = list(_write(folder, files.items()))
    written += write_schemas(folder / "schemas")
    return written


def _write(folder: Path, files: Iterable[tuple[Path, str | Path]]) -> Iterable[Path]:
    for relative, content in files:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
        yield target

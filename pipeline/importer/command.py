"""``undoc import DRAFT.docx``: import, write the source, validate it, report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.diagnostics import Diagnostic, has_errors
from pipeline.project.config import Config
from pipeline.validate.check import validate_sources

from . import import_docx


def import_draft(args: argparse.Namespace, top: argparse.ArgumentParser, config: Config,
                 report: Callable[[list[Diagnostic]], str]) -> int:
    """Run ``undoc import``; the exit status (0 clean or warnings, 1 errors, 2 usage)."""
    draft: Path = args.draft
    if not draft.is_file():
        top.error(f"no such draft: {draft}")
    output: Path = args.output or (config.sources / f"{draft.stem}.xml")
    if output.suffix != ".xml":
        top.error(f"the source to write must end in .xml, not {output.name!r}")
    if output.exists() and not args.force:
        top.error(f"{output} exists already: name another file with -o, or replace it with --force")
    result = import_docx(draft, output, args.doc_type, config.sources)
    if not result.text:
        sys.stdout.write(report(list(result.diagnostics)))
        print(f"nothing written: {draft} could not be imported", file=sys.stderr)
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(result.text, encoding="utf-8")
    checked, register_problems = validate_sources([output])
    found = [*result.diagnostics, *register_problems, *(d for c in checked for d in c.diagnostics)]
    sys.stdout.write(report(sorted(found)))
    guesses = len(result.diagnostics)
    problems = len(found) - guesses
    print(f"imported {draft} as a {result.doc_type} into {output}: {guesses} to check in the draft, "
          f"{problems} from validation", file=sys.stderr)
    return 1 if has_errors(found) else 0

"""Command line: ``python -m pipeline build|validate|rules``.

Exit status: 0 when clean, 1 when a source has errors (or warnings with ``--strict``),
2 on a usage error. Diagnostics go to standard output, one per line; the closing summary
goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.build import DEFAULT_OUT, build, discover, summary, validate_sources
from pipeline.diagnostics import Diagnostic, format_github, format_json, format_text
from pipeline.render import format_names
from pipeline.rules import RULES

REPORTERS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
"""``--report`` forms: for people, for tools, for GitHub Actions annotations."""


def _formats(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in format_names()]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(format_names())}")
    return names


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    top = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Validate canonical UN document XML and publish it in the official layout.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                       help="source files or folders (default: sources/)")
        p.add_argument("--report", choices=sorted(REPORTERS), default="text",
                       help="diagnostics as text (default), json, or github annotations")
        p.add_argument("--strict", action="store_true", help="fail on warnings too (for CI)")

    b = commands.add_parser("build", help="validate sources and write their outputs")
    common(b)
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: out/)")
    b.add_argument("--format", dest="formats", type=_formats, default=list(format_names()),
                   metavar="FMT[,FMT…]", help=f"formats to write (default: all of {','.join(format_names())})")
    v = commands.add_parser("validate", help="check sources against the schema and the rules")
    common(v)
    commands.add_parser("rules", help="list the rule catalogue")
    return top


def _sources(args: argparse.Namespace, top: argparse.ArgumentParser) -> list[Path]:
    missing = [str(p) for p in args.sources if not p.exists()]
    if missing:
        top.error(f"no such source: {', '.join(missing)}")
    found = discover(args.sources)
    if not found:
        top.error("no sources found")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    top = parser()
    args = top.parse_args(argv)
    if args.command == "rules":
        for r in RULES:
            print(f"{r.code:24} {r.severity.label:8} {r.summary}")
        return 0
    sources = _sources(args, top)
    report_form = REPORTERS[args.report]
    if args.command == "validate":
        checked, register_problems = validate_sources(sources)
        diagnostics = sorted([*register_problems, *(d for c in checked for d in c.diagnostics)])
        sys.stdout.write(report_form(diagnostics))
        worst = 1 if any(d.severity.label == "error" or args.strict for d in diagnostics) else 0
        bad = sum(1 for c in checked if not c.ok)
        print(f"validated {len(checked)} sources: {bad} with errors, {len(diagnostics)} diagnostics",
              file=sys.stderr)
        return worst
    report = build(sources, args.out, args.formats)
    sys.stdout.write(report_form(report.diagnostics))
    print(summary(report), file=sys.stderr)
    return report.exit_status(strict=args.strict)

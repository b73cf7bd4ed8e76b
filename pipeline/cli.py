"""Command line: ``undoc build|validate|import|rules|init|schema|new|serve`` (also ``python -m pipeline``).

Exit status: 0 when clean, 1 when a source has errors (or warnings with ``--strict``,
in ``build`` and ``validate`` alike), 2 on a usage error, 130 when interrupted.
Diagnostics go to standard output in the ``--report`` form; the closing summary goes to
standard error. Ctrl-C or SIGTERM ends a build between two documents: every output then
is complete, and each document has all its outputs of the run or none.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.build.engine import DEFAULT_OUT, build
from pipeline.build.executors import EXECUTORS, ExecutorError, default_jobs
from pipeline.build.lock import OutputBusy
from pipeline.build.manifest import process_fingerprint
from pipeline.build.progress import Progress
from pipeline.build.report import summary
from pipeline.diagnostics import Diagnostic, counted, format_github, format_json, format_sarif, format_text
from pipeline.formats import format_names
from pipeline.genres import GENRES
from pipeline.importer.command import import_draft
from pipeline.model.register import register_path
from pipeline.project import newdoc
from pipeline.project.config import Config, config_for_folder
from pipeline.project.scaffold import ScaffoldError, init, write_schemas
from pipeline.serve.server import Preview, serve
from pipeline.sources.discover import SourcesError, discover, output_folder_problem
from pipeline.sources.load import load, q
from pipeline.validate.check import SCHEMA_FILE, fails, validate_sources
from pipeline.validate.rules import RULES, STAGE_CHECKS, catalogue, markdown


def _sarif(diagnostics: list[Diagnostic]) -> str:
    return format_sarif(diagnostics, catalogue(), version=__version__)


REPORTERS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": _sarif,
}
"""``--report`` forms: for people, for tools, GitHub Actions annotations, SARIF 2.1.0."""


def _formats(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in format_names()]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(format_names())}")
    return names


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number of at least 1, not {value!r}")
    return jobs


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    top = argparse.ArgumentParser(
        prog="undoc",
        description="Validate canonical UN document XML and publish it in the official layout.",
    )
    top.add_argument("--version", action=_Version, help="print the version of undoc, pandoc and WeasyPrint")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                       help="source files or folders (default: the configuration's sources, or sources/); "
                            "a register named here is checked as a register")
        p.add_argument("--report", choices=sorted(REPORTERS), default="text",
                       help="diagnostics as text (default), json, github annotations or sarif")
        p.add_argument("--strict", action="store_true",
                       help="treat warnings as errors: the document fails and so does the run (for CI)")

    b = commands.add_parser("build", help="validate sources and write their outputs")
    common(b)
    b.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help=f"output folder (default: the configuration's out, or {DEFAULT_OUT}/)")
    b.add_argument("--format", dest="formats", type=_formats, default=None, metavar="FMT[,FMT…]",
                   help="formats to write (default: the configuration's formats, or all of "
                        f"{','.join(format_names())})")
    b.add_argument("--jobs", "-j", type=_jobs, default=default_jobs(), metavar="N",
                   help=f"documents built at once, in worker processes (default: the cores, {default_jobs()}; "
                        "1: one after the other in this process)")
    b.add_argument("--force", action="store_true",
                   help="build every document again, even those the manifest in the output folder says are "
                        "up to date")
    b.add_argument("--no-wait", action="store_true",
                   help="when another build is writing to the output folder, refuse (exit 2) rather than wait")
    b.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="where documents are built: local worker processes (default) or a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="address of the Dask scheduler for --executor dask (tcp://host:8786)")
    v = commands.add_parser("validate", help="check sources against the schema and the rules")
    common(v)
    v.add_argument("--changed", nargs="?", const="HEAD", default=None, metavar="REF",
                   help="check only sources changed relative to the git REF (default HEAD; "
                        "write --changed=REF before source names), untracked ones included, "
                        "and documents whose register changed")
    r = commands.add_parser("rules", help="list the rule catalogue")
    r.add_argument("--markdown", action="store_true", help="print the catalogue page (docs/rules.md)")
    i = commands.add_parser("init", help="make a new documents repository that builds at once")
    i.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="FOLDER",
                   help="a new or empty folder (default: the working folder)")
    m = commands.add_parser(
        "import", help="turn a Word document (DOCX) into a canonical XML source",
        description="Turn a Word document (DOCX) into a canonical XML source of its genre, then validate it. "
                    "A DOCX written by undoc is read back exactly; a draft typed in Word is read from its "
                    "typed or Word-numbered labels, bold lines, tables and footnotes. What had to be guessed or "
                    "could not be mapped is reported with its place: the line of such a diagnostic is the "
                    "paragraph's number in the draft (Word's count, 1 for the first paragraph).")
    m.add_argument("draft", type=Path, metavar="DRAFT.docx", help="the Word document to import")
    m.add_argument("-o", "--output", type=Path, default=None, metavar="SOURCE.xml",
                   help="where to write the source (default: the sources folder, named after the draft); "
                        "its register is looked for in the folder around it")
    m.add_argument("--type", dest="doc_type", choices=sorted(GENRES), default=None,
                   help="the genre of the document (default: guessed from its symbol, title and contents)")
    m.add_argument("--force", action="store_true", help="overwrite an existing source")
    m.add_argument("--report", choices=sorted(REPORTERS), default="text",
                   help="diagnostics as text (default), json, github annotations or sarif")
    s = commands.add_parser("schema", help="write the schemas that sources name, for XML editors")
    s.add_argument("--out", type=Path, default=Path("schemas"), metavar="DIR", help="folder (default: schemas/)")
    w = commands.add_parser("serve", help="preview the HTML of the sources in a browser, rebuilt as they are edited")
    w.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help="source files or folders (default: the configuration's sources, or sources/)")
    w.add_argument("--port", type=int, default=8765, metavar="N",
                   help="port on 127.0.0.1 (default: 8765; 0: any free port)")
    w.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help=f"output folder (default: the configuration's out, or {DEFAULT_OUT}/)")
    n = commands.add_parser("new", help="make a new source from an earlier one, or of a genre")
    n.add_argument("earlier", type=Path, nargs="?", metavar="SOURCE",
                   help="the earlier document to start from (the last session's programme of work)")
    n.add_argument("--type", dest="genre", choices=newdoc.genre_names(), metavar="GENRE",
                   help=f"make a nearly empty document of this genre instead ({', '.join(newdoc.genre_names())})")
    n.add_argument("--session", type=int, metavar="N", help="ordinal of the new document's session")
    n.add_argument("--dates", metavar="START/END", help="the session's first and last days (2023-07-24/2023-07-28)")
    n.add_argument("-o", "--output", type=Path, metavar="PATH", help="file to write (default: beside SOURCE, "
                   "named for the new session; with --type, new-GENRE.xml in the sources folder)")
    return top


class _Version(argparse.Action):
    """``--version``: the tool's name and version, and those of pandoc and WeasyPrint."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(version_line())
        parser.exit()


def version_line() -> str:
    """``undoc 0.1.0 (pandoc 3.9, WeasyPrint 70.0)``."""
    import weasyprint

    from pipeline.formats.docx.pandoc import pandoc_version

    try:
        pandoc = pandoc_version()
    except Exception as exc:  # a missing pandoc must not hide the tool's own version
        pandoc = f"unavailable: {exc}"
    return f"undoc {__version__} (pandoc {pandoc}, WeasyPrint {weasyprint.__version__})"


def _sources(args: argparse.Namespace, top: argparse.ArgumentParser, config: Config) -> list[Path]:
    missing = [str(p) for p in args.sources if not p.exists() and not p.is_symlink()]
    if missing:
        top.error(f"no such source: {', '.join(missing)}")
    folder = _shown(config.sources)
    if not args.sources and not folder.is_dir():
        top.error(f"no sources folder here ({folder}/ does not exist): run undoc in a documents repository, "
                  "name the sources to check, or make a repository with `undoc init FOLDER`")
    try:
        found = discover(args.sources, default=folder)
    except SourcesError as exc:
        top.error(str(exc))
    if not found:
        top.error(f"no sources found in {', '.join(map(str, args.sources or [folder]))}")
    return found


def _shown(path: Path) -> Path:
    """``path`` relative to the working folder where it lies inside it, as diagnostics show paths."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _git(arguments: Sequence[str]) -> str:
    """The output of a read-only git command; RuntimeError says what went wrong."""
    try:
        result = subprocess.run(["git", *arguments], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"cannot run git: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"git {' '.join(arguments[:2])} failed: {message[0] if message else result.returncode}")
    return result.stdout.decode("utf-8", "surrogateescape")


def changed_files(ref: str) -> set[Path]:
    """Files changed relative to ``ref`` (committed, staged or not) plus untracked files,
    as resolved paths."""
    try:
        top = _git(["rev-parse", "--show-toplevel"]).rstrip("\n")
    except RuntimeError as exc:
        raise RuntimeError(f"the working folder is not in a git working tree ({exc})") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
    except RuntimeError:
        raise RuntimeError(f"{ref!r} is not a commit of this repository") from None
    listed = _git(["-C", top, "diff", "--name-only", "--no-renames", "-z", ref, "--"])
    listed += _git(["-C", top, "ls-files", "--others", "--exclude-standard", "--full-name", "-z"])
    return {(Path(top) / name).resolve() for name in listed.split("\0") if name}


def select_changed(sources: Sequence[Path], changed: set[Path]) -> list[Path]:
    """The sources that changed, or whose register changed; all of them when the schema did."""
    if SCHEMA_FILE.resolve() in changed:
        return list(sources)
    selected = []
    for path in sources:
        if path.resolve() in changed:
            selected.append(path)
            continue
        loaded, _ = load(path)
        session = loaded.tree.getroot().find(q("session")) if loaded.tree is not None else None
        if session is not None and session.get("register"):
            try:
                if register_path(path, session.get("register", "")) in changed:
                    selected.append(path)
            except (OSError, RuntimeError):
                continue
    return selected


def _print_rules(as_markdown: bool) -> None:
    if as_markdown:
        sys.stdout.write(markdown())
        return
    for entry in RULES:
        print(f"{entry.code:26} {entry.severity.label:8} {entry.summary}")
    print()
    for check in STAGE_CHECKS:
        print(f"{check.code:26} {check.severity.label:8} {check.summary} ({check.stage})")


def _validate(args: argparse.Namespace, sources: list[Path], top: argparse.ArgumentParser) -> int:
    scope = ""
    if args.changed is not None:
        try:
            changed = changed_files(args.changed)
        except RuntimeError as exc:
            top.error(f"--changed {args.changed}: {exc}")
        total = len(sources)
        sources = select_changed(sources, changed)
        scope = f" (of {total}; changed relative to {args.changed})"
    checked, register_problems = validate_sources(sources)
    diagnostics = sorted([*register_problems, *(d for c in checked for d in c.diagnostics)])
    sys.stdout.write(REPORTERS[args.report](diagnostics))
    bad = sum(1 for c in checked if not c.passes(strict=args.strict))
    strict = " (strict: warnings count as errors)" if args.strict else ""
    sys.stdout.flush()  # the diagnostics before the closing line when both go to one terminal or file
    print(f"validated {counted(len(checked), 'source')}{scope}: {bad} with errors, "
          f"{counted(len(diagnostics), 'diagnostic')}{strict}", file=sys.stderr)
    return 1 if fails(diagnostics, strict=args.strict) else 0


def _new(args: argparse.Namespace, top: argparse.ArgumentParser, config: Config) -> int:
    if (args.earlier is None) == (args.genre is None):
        top.error("undoc new takes an earlier SOURCE or --type GENRE (one of them)")
    try:
        dates = newdoc.parse_dates(args.dates) if args.dates else None
        target = args.output or newdoc.default_target(args.earlier, args.genre, args.session or 1,
                                                      _shown(config.sources))
        if target.exists():
            top.error(f"{target} exists: name another file with -o")
        made = newdoc.make(args.earlier, args.genre, target, ordinal=args.session, dates=dates,
                           sources=config.sources, today=datetime.date.today())
    except newdoc.NewDocumentError as exc:
        top.error(str(exc))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(made.data)
    for note in made.notes:
        print(f"note: {note}", file=sys.stderr)
    checked, register_problems = validate_sources([target])
    diagnostics = sorted([*register_problems, *(d for c in checked for d in c.diagnostics)])
    sys.stdout.write(format_text(diagnostics))
    sys.stdout.flush()
    print(f"wrote {target}: {counted(len(diagnostics), 'diagnostic')} "
          "(the placeholders are to be replaced before issue)", file=sys.stderr)
    return 1 if fails(diagnostics, strict=False) else 0


def _serve(args: argparse.Namespace, top: argparse.ArgumentParser, config: Config) -> int:
    out = _shown(args.out or config.out)
    refusal = output_folder_problem(out, args.sources, default=_shown(config.sources))
    if refusal:
        top.error(refusal)

    def html_build(paths: Sequence[Path], formats: Sequence[str]) -> list[Diagnostic]:
        return build(paths, out, formats, incremental=True, pipeline_fingerprint=process_fingerprint).diagnostics

    return serve(Preview(_shown(config.sources), tuple(args.sources), out, html_build), args.port)


class _StopRequest:
    """Set by the first SIGINT or SIGTERM of a build; a second one interrupts at once."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested

    def handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(f"{signal.Signals(signum).name}: stopping; documents not yet written are left as they were "
              "(again to stop at once)", file=sys.stderr)


@contextlib.contextmanager
def _stop_between_files() -> Iterator[_StopRequest]:
    """Ctrl-C or a CI timeout (SIGTERM) ends a build between two files, never inside one."""
    request = _StopRequest()
    previous = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, request.handle)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    try:
        yield request
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    top = parser()
    args = top.parse_args(argv)
    if args.command == "rules":
        _print_rules(args.markdown)
        return 0
    if args.command == "schema":
        for path in write_schemas(args.out):
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.command == "init":
        try:
            written = init(args.folder)
        except (ScaffoldError, OSError) as exc:
            top.error(str(exc))
        print(f"made a documents repository in {args.folder} ({len(written)} files); "
              f"next: cd {args.folder} && undoc build", file=sys.stderr)
        return 0
    config = config_for_folder(Path.cwd())
    if args.command == "import":
        return import_draft(args, top, config, REPORTERS[args.report])
    if config.problems:
        sys.stdout.write(REPORTERS[args.report](list(config.problems)))
        print(f"the configuration {config.path} has errors: nothing was checked or built", file=sys.stderr)
        return 1
    if args.command == "new":
        return _new(args, top, config)
    sources = _sources(args, top, config)
    if args.command == "serve":
        return _serve(args, top, config)
    try:
        if args.command == "validate":
            return _validate(args, sources, top)
        if args.executor == "dask" and not args.scheduler:
            top.error("--executor dask needs --scheduler ADDRESS")
        out = _shown(args.out or config.out)
        refusal = output_folder_problem(out, args.sources, default=_shown(config.sources))
        if refusal:
            top.error(refusal)
        with _stop_between_files() as stop:
            try:
                report = build(sources, out, args.formats or list(config.formats),
                               strict=args.strict, stop=stop, jobs=args.jobs,
                               executor=args.executor, scheduler=args.scheduler, incremental=True,
                               force=args.force, progress=Progress(), wait=not args.no_wait)
            except (ExecutorError, OutputBusy) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        sys.stdout.write(REPORTERS[args.report](report.diagnostics))
        print(summary(report), file=sys.stderr)
        return 130 if report.interrupted else report.exit_status()
    except KeyboardInterrupt:
        print("interrupted: every output already written is complete, and no partial file is left",
              file=sys.stderr)
        return 130

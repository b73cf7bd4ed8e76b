#!/usr/bin/env python3
"""HTML conformance and accessibility check of the published HTML pages.

Runs two independent checkers over the given pages and reports per page:

* the W3C Nu HTML Checker (npm package ``vnu-jar``, run with Java) for
  conformance to the HTML standard, errors only;
* axe-core in headless Chromium (``axe-check.mjs`` beside this file) for the
  WCAG 2.0/2.1 level A and AA rules and axe's best practices.

Usage::

    python tools/htmlcheck/check.py                 # every *.html under out/
    python tools/htmlcheck/check.py out/a.html DIR  # given pages and folders

The node modules (pinned in package.json / package-lock.json) are installed
with ``npm ci`` the first time, or when the installed versions differ from the
lock file.  Java, Node.js and Chromium are taken from the system; nothing is
ever downloaded besides the npm packages.

Exit status: 0 every page passed both checks, 1 a checker found problems,
2 the check could not run (missing tool or page, install or checker failure).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
PACKAGE_LOCK = HERE / "package-lock.json"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = HERE / "axe-check.mjs"
DEFAULT_OUT = ROOT / "out"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
NPM_CI = ["ci", "--no-audit", "--no-fund", "--ignore-scripts"]

# "file:/abs/page.html":12.3-12.17: error: Duplicate ID “title”.
# "file:/abs/page.html": error: message without a location
_GNU_LINE = re.compile(
    r'^"(?P<url>[^"]*)":(?:(?P<loc>[0-9][0-9.\-]*):)? (?P<kind>[a-z][a-z ]*): (?P<msg>.*)$'
)

# What the JVM itself prints when options come from the environment.
_JVM_NOTICES = ("Picked up JAVA_TOOL_OPTIONS:", "Picked up _JAVA_OPTIONS:", "NOTE: Picked up")


class CheckError(Exception):
    """The check could not be run; the message says why and what to do."""


@dataclass
class PageResult:
    path: Path
    shown: str
    vnu: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.vnu and not self.axe


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the cwd when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def collect_pages(args: Sequence[str]) -> list[Path]:
    """The HTML pages named by ``args``; folders are searched recursively."""
    targets = [Path(a) for a in args] or [DEFAULT_OUT]
    pages: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = sorted(
                p for p in target.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file()
            )
            if not found:
                raise CheckError(f"no HTML pages (*.html) found in {target}/")
            pages.extend(found)
        elif target.is_file():
            pages.append(target)
        elif target == DEFAULT_OUT:
            raise CheckError(f"{target}/ does not exist: publish the HTML pages first")
        else:
            raise CheckError(f"no such file or folder: {target}")
    unique: dict[Path, None] = {}
    for page in pages:
        unique.setdefault(page.resolve(), None)
    return list(unique)


def find_tools(chromium: str, need_java: bool, need_chromium: bool) -> tuple[str, str]:
    """Paths of java and node; every missing tool is named at once."""
    missing: list[str] = []
    java = shutil.which("java") or ""
    node = shutil.which("node") or ""
    if need_java and not java:
        missing.append(
            "java is not on PATH: the Nu HTML Checker needs Java 11 or later "
            "(apt-get install -y default-jre-headless)"
        )
    if not node:
        missing.append("node is not on PATH (apt-get install -y nodejs npm)")
    if need_chromium and not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        missing.append(
            f"Chromium is not installed at {chromium} (apt-get install -y chromium, "
            "or give its path with --chromium or CHROMIUM_PATH)"
        )
    if missing:
        raise CheckError("missing tools:\n  - " + "\n  - ".join(missing))
    return java, node


def _stale_node_modules() -> list[str]:
    """Top-level packages whose installed version differs from the lock file."""
    lock = json.loads(PACKAGE_LOCK.read_text(encoding="utf-8"))
    packages: dict[str, Any] = lock.get("packages", {})
    stale = []
    for name in packages.get("", {}).get("dependencies", {}):
        wanted = packages.get(f"node_modules/{name}", {}).get("version")
        manifest = NODE_MODULES / name / "package.json"
        try:
            installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            installed = None
        if installed != wanted:
            stale.append(f"{name} (installed {installed or 'none'}, locked {wanted})")
    return stale


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise concurrent installs (e.g. parallel test runs) on the lock file."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no concurrent runs to guard against
        yield
        return
    with PACKAGE_LOCK.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_node_modules() -> None:
    """Run ``npm ci`` in tools/htmlcheck unless the locked modules are installed."""
    if not _stale_node_modules():
        return
    npm = shutil.which("npm")
    if not npm:
        raise CheckError("npm is not on PATH (apt-get install -y npm)")
    with _install_lock():
        stale = _stale_node_modules()
        if not stale:
            return
        print(
            f"htmlcheck: installing node modules in {_shown(HERE)} "
            f"(npm {' '.join(NPM_CI)}): {', '.join(stale)}",
            file=sys.stderr,
            flush=True,
        )
        done = subprocess.run([npm, *NPM_CI], cwd=HERE, stdout=sys.stderr, check=False)
        if done.returncode != 0:
            raise CheckError(f"npm ci failed in {HERE} (exit {done.returncode})")
        stale = _stale_node_modules()
        if stale:
            raise CheckError("npm ci did not install: " + ", ".join(stale))
    if not VNU_JAR.is_file():
        raise CheckError(f"vnu-jar is installed but {VNU_JAR} is missing")


def _page_of_url(url: str, pages: dict[str, PageResult]) -> PageResult | None:
    path = unquote(url.removeprefix("file:"))
    path = re.sub(r"^/+", "/", path)
    return pages.get(str(Path(path).resolve()))


def parse_vnu(output: str, pages: dict[str, PageResult]) -> list[str]:
    """File each GNU-format message under its page; return the unmatched lines."""
    other = []
    for line in output.splitlines():
        if not line.strip():
            continue
        if line.startswith(_JVM_NOTICES):
            continue
        match = _GNU_LINE.match(line)
        page = _page_of_url(match["url"], pages) if match else None
        if match and page:
            where = f"{page.shown}:{match['loc']}" if match["loc"] else page.shown
            page.vnu.append(f"{where}: {match['kind']}: {match['msg']}")
        else:
            other.append(line)
    return other


def parse_axe(report: dict[str, Any], pages: dict[str, PageResult]) -> None:
    for entry in report.get("files", []):
        page = pages.get(str(Path(entry["path"]).resolve()))
        if page is None:
            raise CheckError(f"axe-check reported on an unexpected file: {entry['path']}")
        for v in entry.get("violations", []):
            page.axe.append(
                f"{page.shown}: [{v['id']}] {v['impact']}: {v['help']} ({v['selector']})"
            )


def _tail(text: str, lines: int = 40) -> str:
    kept = text.strip().splitlines()[-lines:]
    return "\n".join(f"    {line}" for line in kept) or "    (no output)"


def run_checks(
    pages: list[Path], java: str, node: str, chromium: str, only: str | None, timeout: float
) -> list[PageResult]:
    results = {str(p): PageResult(p, _shown(p)) for p in pages}
    files = [str(p) for p in pages]
    env = dict(os.environ, CHROMIUM_PATH=chromium)
    with tempfile.TemporaryDirectory(prefix="htmlcheck-") as tmp:
        axe_json = Path(tmp) / "axe.json"
        # Both checkers run at once: one is a JVM, the other a browser. Their
        # output goes to files so that neither can block on a full pipe.
        logs = {name: Path(tmp) / f"{name}.log" for name in ("vnu", "axe")}
        procs: dict[str, subprocess.Popen[bytes]] = {}
        with contextlib.ExitStack() as stack:
            if only in (None, "vnu"):
                log = stack.enter_context(logs["vnu"].open("wb"))
                procs["vnu"] = subprocess.Popen(
                    [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *files],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if only in (None, "axe"):
                log = stack.enter_context(logs["axe"].open("wb"))
                procs["axe"] = subprocess.Popen(
                    [node, str(AXE_SCRIPT), "--json", str(axe_json), *files],
                    cwd=HERE,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
            deadline = time.monotonic() + timeout
            try:
                for name, proc in procs.items():
                    try:
                        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired as exc:
                        raise CheckError(f"{name} did not finish within {timeout:.0f} s") from exc
            finally:
                for proc in procs.values():
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
        outputs = {name: logs[name].read_text(encoding="utf-8", errors="replace") for name in procs}

        if "vnu" in procs:
            code = procs["vnu"].returncode
            other = parse_vnu(outputs["vnu"], results)
            found = any(r.vnu for r in results.values())
            if other or code not in (0, 1) or (code == 1 and not found):
                raise CheckError(
                    f"the Nu HTML Checker failed (exit {code}):\n{_tail(outputs['vnu'])}"
                )
        if "axe" in procs:
            code = procs["axe"].returncode
            if code not in (0, 1) or not axe_json.is_file():
                raise CheckError(f"axe-check failed (exit {code}):\n{_tail(outputs['axe'])}")
            parse_axe(json.loads(axe_json.read_text(encoding="utf-8")), results)
            if code == 1 and not any(r.axe for r in results.values()):
                raise CheckError(
                    f"axe-check exited 1 but reported nothing:\n{_tail(outputs['axe'])}"
                )
    return list(results.values())


def report(results: list[PageResult], only: str | None, seconds: float) -> bool:
    for page in results:
        print(page.shown)
        if only in (None, "vnu"):
            print(f"  vnu: {_plural(len(page.vnu), 'error')}")
            for line in page.vnu:
                print(f"    {line}")
        if only in (None, "axe"):
            print(f"  axe: {_plural(len(page.axe), 'violation')}")
            for line in page.axe:
                print(f"    {line}")
    failed = [p for p in results if not p.ok]
    vnu_total = sum(len(p.vnu) for p in results)
    axe_total = sum(len(p.axe) for p in results)
    counts = []
    if only in (None, "vnu"):
        counts.append(_plural(vnu_total, "vnu error"))
    if only in (None, "axe"):
        counts.append(_plural(axe_total, "axe violation"))
    verdict = f"FAILED ({len(failed)} of {len(results)})" if failed else "passed"
    print(
        f"htmlcheck: {_plural(len(results), 'page')} checked in {seconds:.1f} s: "
        f"{', '.join(counts)}; {verdict}"
    )
    return not failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check.py",
        description="Check HTML pages with the Nu HTML Checker (vnu) and axe-core.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        help=f"HTML pages or folders to check (default: {_shown(DEFAULT_OUT)}/)",
    )
    parser.add_argument(
        "--chromium",
        default=os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM,
        help="Chromium executable (default: $CHROMIUM_PATH or %(default)s)",
    )
    parser.add_argument("--only", choices=["vnu", "axe"], help="run only one of the checkers")
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="seconds allowed for the checkers (900)"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        pages = collect_pages(args.paths)
        java, node = find_tools(
            args.chromium, need_java=args.only != "axe", need_chromium=args.only != "vnu"
        )
        ensure_node_modules()
        results = run_checks(pages, java, node, args.chromium, args.only, args.timeout)
    except CheckError as exc:
        print(f"htmlcheck: error: {exc}", file=sys.stderr)
        return 2
    return 0 if report(results, args.only, time.monotonic() - started) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Sessions for building, checking and testing the document pipeline (``nox -l`` lists them)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
PYTHON = None  # the interpreter nox runs under: the README asks only for Python 3.11+

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["build"]
nox.options.error_on_missing_interpreters = True


def install(session: nox.Session, *groups: str) -> None:
    """The project itself plus the named dependency groups of pyproject.toml."""
    requirements = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    session.install("-e", ".", *requirements)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build every source in sources/ into out/ (all formats)."""
    install(session)
    session.run("python", "-m", "pipeline", "build", *session.posargs)


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Validate every source strictly (warnings fail), as CI does."""
    install(session)
    report = "github" if os.environ.get("GITHUB_ACTIONS") else "text"
    session.run("python", "-m", "pipeline", "validate", "--strict", "--report", report, *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --)."""
    install(session, "test")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def htmlcheck(session: nox.Session) -> None:
    """Build the HTML pages and check them with the Nu HTML Checker and axe-core (Java, Node.js, Chromium)."""
    install(session)
    session.run("python", "-m", "pipeline", "build", "--format", "html")
    session.run("python", "tools/htmlcheck/check.py", "out/", *session.posargs)


@nox.session(python=PYTHON, default=False)
def nightly(session: nox.Session) -> None:
    """The property tests with ten times CI's cases (UNDOC_PROPERTY_SCALE=N for N times); slow."""
    install(session, "test")
    scale = os.environ.get("UNDOC_PROPERTY_SCALE", "10")
    session.run("python", "-m", "pytest", "tests/test_property.py", "--hypothesis-show-statistics",
                *session.posargs, env={"UNDOC_PROPERTY_SCALE": scale})


@nox.session(python=PYTHON, default=False)
def golden(session: nox.Session) -> None:
    """Regenerate the golden files in tests/golden/ after reviewing the change."""
    install(session, "test")
    session.run("python", "-m", "pytest", "tests", "-k", "golden", "--update-golden", *session.posargs)


@nox.session(python=PYTHON, default=False)
def docxpages(session: nox.Session) -> None:
    """Build the DOCX outputs and draw their pages with LibreOffice into out/pages/ for review."""
    install(session)
    session.run("python", "-m", "pipeline", "build", "--format", "docx")
    docx = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "out").glob("*.docx"))
    session.run("python", "-m", "pipeline.formats.docx.pages", *docx, "--out", "out/pages", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench_docx(session: nox.Session) -> None:
    """Time the DOCX renderer beside a bare pandoc run, and a whole build."""
    install(session)
    session.run("python", "benchmarks/bench_docx.py", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Time whole builds of a generated corpus (documents per second, rebuilds, peak memory), then long reports,
    then a PDF in Arabic and Chinese beside English."""
    install(session, "bench")
    session.run("python", "benchmarks/bench_build.py", *session.posargs)
    session.run("python", "benchmarks/bench_report.py", "--chapters", "1,3,5", "--repeat", "5", "--pdf-repeat", "2")
    session.run("python", "benchmarks/bench_scripts.py", "--repeat", "3")


@nox.session(python=PYTHON, default=False)
def bench_report(session: nox.Session) -> None:
    """Time each format on generated reports of growing length (about 30 pages at the longest)."""
    install(session)
    session.run("python", "benchmarks/bench_report.py", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench_serve(session: nox.Session) -> None:
    """Time the live preview: from saving a source to the page showing it, in headless Chromium."""
    install(session, "bench")
    session.run("python", "benchmarks/bench_serve.py", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench_pdf(session: nox.Session) -> None:
    """Time the PDF renderer per document and per page, in a warm process and a fresh one."""
    install(session)
    session.run("python", "benchmarks/bench_pdf.py", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    install(session, "lint")
    session.run("ruff", "check", "pipeline", "tests", "noxfile.py", *session.posargs)


@nox.session(python=PYTHON)
def typing(session: nox.Session) -> None:
    """Type-check the package strictly with mypy."""
    install(session, "typing")
    session.run("mypy", *session.posargs)


@nox.session(python=PYTHON, default=False)
def installed(session: nox.Session) -> None:
    """Prove the installed tool: wheel → fresh environment outside the checkout → undoc init → build → validate."""
    outside = Path(tempfile.mkdtemp(prefix="undoc-installed-"))
    try:
        session.run("python", "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(outside / "dist"), ".")
        [wheel] = (outside / "dist").glob("*.whl")
        session.run("python", "-m", "venv", str(outside / "venv"))
        tool = outside / "venv" / "bin"
        session.run(str(tool / "python"), "-m", "pip", "install", "--quiet", str(wheel), external=True)
        session.chdir(outside)
        session.run(str(tool / "undoc"), "--version", external=True)
        session.run(str(tool / "undoc"), "init", "docs-repo", external=True)
        session.chdir(outside / "docs-repo")
        session.run(str(tool / "undoc"), "build", external=True)
        session.run(str(tool / "undoc"), "validate", "--strict", external=True)
        written = sorted(p.name for p in (outside / "docs-repo" / "out").iterdir() if not p.name.startswith("."))
        suffixes = (".txt", ".html", ".docx", ".pdf", ".json", ".akn.xml", ".ics")
        missing = [s for s in suffixes if not any(name.endswith(s) for name in written)]
        if missing:
            session.error(f"the installed tool wrote no {', '.join(missing)} output (wrote {', '.join(written)})")
        session.log(f"the installed tool wrote {', '.join(written)}")
    finally:
        session.chdir(ROOT)
        shutil.rmtree(outside, ignore_errors=True)

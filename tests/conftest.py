"""Shared fixtures: the models of the real sources, and golden-file comparison."""

from __future__ import annotations

import difflib
import os
import platform
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.model.tree import Document
from pipeline.validate.check import validate_sources

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
UPDATE_COMMAND = "python3 -m nox -s golden"

SEED_OF = {
    "oewg-ict-s3-programme-of-work": "000_0055be644d103a41.txt",
    "oewg-ict-s4-programme-of-work": "001_730fd48a91ac4aec.txt",
}
"""Each real source and the seed document it reproduces."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current outputs instead of comparing")


def pytest_report_header(config: pytest.Config) -> list[str]:
    import lxml.etree

    lines = [f"python {platform.python_version()}, lxml {lxml.etree.__version__}"]
    try:
        import pypandoc

        lines.append(f"pandoc {pypandoc.get_pandoc_version()}")
    except Exception:  # optional at this point of the header
        pass
    try:
        import weasyprint

        lines.append(f"weasyprint {weasyprint.__version__}")
    except Exception:
        pass
    return lines


def source_paths() -> list[Path]:
    """The real document sources of the project."""
    return sorted(SOURCES.glob("*.xml"))


ALL_STEMS = tuple(p.stem for p in source_paths())
"""Every real source, by file stem: each has golden files of every format it has."""


@pytest.fixture(scope="session")
def documents() -> dict[str, Document]:
    """Model of every real source, by file stem."""
    from pipeline.build.render import model_of

    checked, register_problems = validate_sources(source_paths())
    assert not register_problems
    models = {}
    for c in checked:
        assert c.ok, c.diagnostics
        models[Path(c.path).stem] = model_of(c)
    return models


class Golden:
    """Compare outputs with files under tests/golden/, or rewrite them with --update-golden."""

    def __init__(self, update: bool):
        self.update = update

    def check(self, name: str, actual: str | bytes) -> None:
        """Fail with a readable diff when ``actual`` differs from ``tests/golden/<name>``."""
        path = GOLDEN / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"no golden file {path.relative_to(ROOT)}; review the output and run `{UPDATE_COMMAND}`")
        expected = path.read_bytes()
        if expected == data:
            return
        try:
            diff = "".join(difflib.unified_diff(
                expected.decode("utf-8").splitlines(keepends=True),
                data.decode("utf-8").splitlines(keepends=True),
                f"golden/{name}", f"actual/{name}", n=2))
        except UnicodeDecodeError:
            diff = f"binary content differs ({len(expected)} bytes expected, {len(data)} actual)\n"
        if len(diff) > 6000:
            diff = diff[:6000] + "\n[... diff cut ...]\n"
        pytest.fail(f"{name} differs from its golden file:\n{diff}\n"
                    f"If the change is intended, review it and run `{UPDATE_COMMAND}`.", pytrace=False)


@pytest.fixture(scope="session")
def golden(request: pytest.FixtureRequest) -> Golden:
    """The golden-file comparer."""
    return Golden(bool(request.config.getoption("--update-golden")))


@pytest.fixture
def in_project(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test from the project folder (paths in diagnostics are relative to it)."""
    monkeypatch.chdir(ROOT)
    yield ROOT


def in_ci() -> bool:
    """True under continuous integration, where missing tools must fail, not skip."""
    return bool(os.environ.get("CI"))

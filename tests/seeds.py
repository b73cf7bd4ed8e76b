"""Seed conformance: the words of a rendering against its seed, with the shared seedcheck tool."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import SEEDS, SHARED, in_ci

SEEDCHECK = SHARED / "tools" / "seedcheck.py"


@cache
def seedcheck() -> ModuleType:
    """The shared seedcheck module (skips outside CI when the shared folder is absent)."""
    if not SEEDCHECK.is_file():
        if in_ci():
            pytest.fail(f"{SEEDCHECK} is missing; CI must have ../shared beside the project")
        pytest.skip(f"{SEEDCHECK} not found (../shared is not beside the project)")
    spec = importlib.util.spec_from_file_location("seedcheck", SEEDCHECK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def coverage(seed_name: str, output: Path) -> tuple[float, list[str]]:
    """Share of the seed's words found in ``output`` in order (moved runs count), and what is missing."""
    tool = seedcheck()
    seed = tool.tokens(tool.strip_markup((SEEDS / seed_name).read_text(encoding="utf-8")))
    out = tool.tokens(tool.read_output(output))
    share, _, _, missing, _ = tool.compare(seed, out)
    return share, [" ".join(seed[a:b]) for a, b in missing]

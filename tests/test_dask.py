"""The Dask executor: the same tasks on a Dask distributed cluster give the same outputs.

The cluster is a real one, started here on 127.0.0.1 with two worker processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.build.engine import build
from pipeline.build.tasks import Task, new_run_id, render_task
from pipeline.devtools import corpus
from tests.conftest import ROOT, in_ci

try:
    import distributed
except ImportError:  # pragma: no cover - the test group installs it
    if in_ci():
        raise
    pytest.skip("dask[distributed] is not installed (pip install 'dask[distributed]')", allow_module_level=True)

FORMATS = ["txt", "html", "docx", "json", "akn", "ics"]

pytestmark = pytest.mark.filterwarnings(
    # the cluster's own shutdown chatter, not the pipeline's
    "ignore::ResourceWarning", "ignore::DeprecationWarning", "ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A local Dask cluster: a scheduler and two single-threaded worker processes."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as running:
        yield running


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight generated documents over two registers; one with a warning, one with an error."""
    folder = tmp_path_factory.mktemp("dask") / "sources"
    paths = corpus.write_corpus(folder, 8, seed=51, registers=2)
    for path, old, new in ((paths[1], "<title>Provisional programme", "<title>Provisional  programme"),
                           (paths[4], "<masthead>", "<masthead><unknown/>")):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("[!.]*"))}


def test_a_dask_cluster_builds_what_the_local_pool_builds(cluster: Any, sources: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # the build runs from another folder than the workers: diagnostics still name files from here
    monkeypatch.chdir(sources.parent)
    paths = sorted(Path("sources").glob("*.xml"))
    on_dask = build(paths, tmp_path / "dask", FORMATS, executor="dask", scheduler=cluster.scheduler_address,
                    incremental=True)
    local = build(paths, tmp_path / "local", FORMATS, jobs=2)
    assert on_dask.workers == 2 and local.workers == 2
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    assert len(outputs(tmp_path / "dask")) == 7 * len(FORMATS)
    assert [(o.path, o.built, o.diagnostics) for o in on_dask.outcomes] == \
        [(o.path, o.built, o.diagnostics) for o in local.outcomes]
    assert {d.code for d in on_dask.diagnostics} >= {"schema", "text-double-space"}
    assert all(d.path.startswith("sources/") for d in on_dask.diagnostics)
    # incremental on Dask too: nothing to do, so nothing sent
    again = build(paths, tmp_path / "dask", FORMATS, executor="dask", scheduler=cluster.scheduler_address,
                  incremental=True)
    assert sum(o.skipped for o in again.outcomes) == 7 and again.diagnostics == on_dask.diagnostics


def test_the_command_line_uses_the_scheduler_named(cluster: Any, sources: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", str(sources), "--out", str(tmp_path / "out"),
                             "--format", "txt,ics", "--executor", "dask", "--scheduler", cluster.scheduler_address],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr  # the document with an error
    assert result.stderr.strip().splitlines()[-1].startswith("built 7 of 8 documents: 14 files written")
    build(sorted(sources.glob("*.xml")), tmp_path / "local", ["txt", "ics"])
    assert outputs(tmp_path / "out") == outputs(tmp_path / "local")
    missing = subprocess.run([sys.executable, "-m", "pipeline", "build", str(sources), "--executor", "dask"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "--scheduler" in missing.stderr


def test_a_worker_with_another_pipeline_refuses_to_build(sources: Path) -> None:
    path = sorted(sources.glob("*.xml"))[0]
    task = Task(0, str(path), str(sources), str(sources.parent / "out"), ("txt",), new_run_id(),
                fingerprint="0" * 64)
    result = render_task(task)
    assert not result.passes and result.outputs == ()
    assert [d.code for d in result.problems] == ["worker-mismatch"]

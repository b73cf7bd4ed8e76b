"""The build's one pandoc, served to its workers over a Unix socket: same bytes, robust.

Everything here runs the real pinned pandoc behind a real socket.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from pipeline.formats.docx.batch import PandocBatch
from pipeline.formats.docx.converter import shared_batch
from pipeline.formats.docx.pandoc import PandocError
from pipeline.formats.docx.reference import reference_docx_path
from pipeline.formats.docx.service import SOCKET_VARIABLE, PandocService, ServedBatch
from tests.test_parallel import _descendants, ast_and_epoch, start_build

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets")


@pytest.fixture()
def service():
    running = PandocService(reference_docx_path())
    try:
        yield running
    finally:
        running.close()


def test_a_served_conversion_gives_the_bytes_of_a_pandoc_of_ones_own(service: PandocService,
                                                                    documents: dict[str, object]) -> None:
    own = PandocBatch(reference_docx_path())
    client = ServedBatch(service.address)
    try:
        for model in documents.values():
            ast, epoch = ast_and_epoch(model)
            client.send(ast, epoch=epoch)
            assert client.receive() == own.convert(ast, epoch=epoch)
    finally:
        client.close()
        own.close()


def test_workers_at_once_each_get_their_own_document(service: PandocService, documents: dict[str, object]) -> None:
    asts = [ast_and_epoch(m) for m in documents.values()]
    expected = []
    own = PandocBatch(reference_docx_path())
    try:
        expected = [own.convert(a, epoch=e) for a, e in asts]
    finally:
        own.close()
    got: dict[int, list[bytes]] = {}

    def worker(number: int) -> None:
        client = ServedBatch(service.address)
        results = []
        for _ in range(3):
            for ast, epoch in asts:
                client.send(ast, epoch=epoch)
                results.append(client.receive())
        client.close()
        got[number] = results

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(got) == [0, 1, 2]
    for results in got.values():
        assert results == expected * 3
    assert service.started == 1  # one pandoc for all of them


def test_pandoc_errors_reach_the_worker_and_the_service_goes_on(service: PandocService,
                                                               documents: dict[str, object]) -> None:
    ast, epoch = ast_and_epoch(documents["oewg-ict-s4-programme-of-work"])
    image = json.loads(ast)
    image["blocks"].append({"t": "Para", "c": [{"t": "Image", "c": [["", [], []], [], ["/etc/passwd", ""]]}]})
    client = ServedBatch(service.address)
    try:
        client.send(json.dumps(image).encode(), epoch=epoch)
        with pytest.raises(PandocError, match="image"):
            client.receive()
        client.send(ast, epoch=epoch)
        assert client.receive().startswith(b"PK")
    finally:
        client.close()


def test_a_worker_that_goes_away_mid_request_costs_the_others_nothing(service: PandocService,
                                                                      documents: dict[str, object]) -> None:
    ast, epoch = ast_and_epoch(documents["oewg-ict-s3-programme-of-work"])
    half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    half.connect(service.address)
    half.sendall(b"%d %d\n" % (epoch, len(ast)) + ast[: len(ast) // 2])
    half.close()
    garbage = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    garbage.connect(service.address)
    garbage.sendall(b"not a header\n")
    assert garbage.makefile("rb").readline().startswith(b"ERROR ")
    garbage.close()
    client = ServedBatch(service.address)
    try:
        client.send(ast, epoch=epoch)
        assert client.receive().startswith(b"PK")
    finally:
        client.close()


def test_a_worker_is_told_when_the_service_is_gone(documents: dict[str, object]) -> None:
    service = PandocService(reference_docx_path())
    address = service.address
    service.close()
    assert not Path(address).exists()
    ast, epoch = ast_and_epoch(documents["oewg-ict-s3-programme-of-work"])
    client = ServedBatch(address)
    with pytest.raises(PandocError, match="cannot reach"):
        client.send(ast, epoch=epoch)


def test_a_worker_uses_the_service_its_environment_names(service: PandocService,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOCKET_VARIABLE, service.address)
    assert isinstance(shared_batch(reference_docx_path()), ServedBatch)
    monkeypatch.delenv(SOCKET_VARIABLE)
    assert isinstance(shared_batch(reference_docx_path()), PandocBatch)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_a_parallel_build_runs_one_pandoc(tmp_path: Path) -> None:
    process, out = start_build(tmp_path, 48, 5, "docx")
    most = 0
    while process.poll() is None:
        pandocs = 0
        for pid in _descendants(process.pid):
            try:
                words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if words and words[0].endswith(b"/pandoc") and any(w.endswith(b"batch.lua") for w in words):
                pandocs += 1
        most = max(most, pandocs)
        time.sleep(0.05)
    _, stderr = process.communicate()
    assert process.returncode == 0, stderr
    assert "by 2 workers" in stderr
    assert most == 1
    assert len(list(out.glob("*.docx"))) == 48

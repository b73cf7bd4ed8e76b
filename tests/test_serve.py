"""``undoc serve``: the live preview, in a real browser (headless Chromium driven by Playwright),
and its refusals of foreign hosts and of paths outside the output folder."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.cli import main
from pipeline.devtools.preview import CHROMIUM, ServedPreview, chromium
from pipeline.serve.server import host_allowed, requested_name, served_page
from tests.conftest import ROOT, SOURCES

S4 = "oewg-ict-s4-programme-of-work"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A documents repository with the project's sources and schemas."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    return tmp_path


@pytest.fixture
def served(repository: Path) -> Iterator[ServedPreview]:
    with ServedPreview(repository) as preview:
        yield preview


def get(url: str, target: str, host: str | None = None) -> tuple[int, bytes]:
    """A GET of ``target`` sent as written (no normalization of ``..``), with ``host`` as Host."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        connection.putrequest("GET", target, skip_host=True)
        connection.putheader("Host", host or parts.netloc)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# ---------------------------------------------------------------- the rules, without a server


def test_only_loopback_hosts_are_accepted() -> None:
    for host in ("localhost", "localhost:8765", "127.0.0.1:41234", "LOCALHOST:1"):
        assert host_allowed(host), host
    for host in (None, "", "evil.example", "evil.example:8765", "127.0.0.1.evil.example", "localhost.evil",
                 "192.168.1.10:8765", "[::1]:8765"):
        assert not host_allowed(host), host


def test_only_plain_names_are_looked_up() -> None:
    assert requested_name("/") == (200, "")
    assert requested_name(f"/{S4}.html?x=1") == (200, f"{S4}.html")
    for target in ("/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd", "/%252e%252e/x",
                   "//etc/passwd", "http://127.0.0.1/x", "/a/../../b", "/.%2e/x", "/x%00.html", "/..\\x",
                   "/./x"):
        assert requested_name(target)[0] == 403, target
    for target in ("/etc/passwd", "/sub/x.html", "/.manifest.json"):
        assert requested_name(target)[0] == 404, target


def test_the_bar_and_the_script_are_added_to_the_page_as_served_only() -> None:
    page = b'<!DOCTYPE html><html><head></head><body class="x"><p>text</p></body></html>'
    served = served_page(page, "doc", [], "v1").decode()
    assert served.index('<aside id="undoc-preview"') > served.index('<body class="x">')
    assert served.index("EventSource") < served.index("</body>")
    assert "<p>text</p>" in served


# ---------------------------------------------------------------- the server, over HTTP


def test_a_port_in_use_is_reported_before_building(repository: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repository)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--port", str(taken.getsockname()[1])]) == 2
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
    assert not (repository / "out").exists()


def test_foreign_hosts_and_paths_outside_are_refused(served: ServedPreview, repository: Path) -> None:
    status, body = get(served.url, f"/{S4}.html")
    assert status == 200 and b"Provisional programme of work" in body
    status, body = get(served.url, f"/{S4}.html", host="evil.example")
    assert status == 403 and b"Provisional" not in body
    status, _ = get(served.url, "/", host="attacker.test:80")
    assert status == 403
    (repository / "secret.txt").write_text("SECRET", encoding="utf-8")
    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2f..%2fsecret.txt",
                   f"/{repository}/secret.txt", f"//{repository}/secret.txt", "/sources/../../secret.txt",
                   "/../sources/oewg-ict-s4-programme-of-work.xml", "/.manifest.json", "/secret.txt"):
        status, body = get(served.url, target)
        assert status in (403, 404), target
        assert b"SECRET" not in body and b"<masthead>" not in body, target
    # a link in the output folder that leads out of it is not followed
    (repository / "out" / f"{S4}.pdf").unlink(missing_ok=True)
    os.symlink(repository / "secret.txt", repository / "out" / "broken.html")
    broken = repository / "sources" / "broken.xml"
    broken.write_text("<document", encoding="utf-8")  # never built: its page is the link alone
    served.wait_for(r"broken\.xml.*xml-syntax")
    status, body = get(served.url, "/broken.html")
    assert status == 200 and b"SECRET" not in body and b"xml-syntax" in body


def test_pdf_and_docx_are_built_when_asked(served: ServedPreview, repository: Path) -> None:
    assert not (repository / "out" / f"{S4}.pdf").exists()
    status, body = get(served.url, f"/{S4}.pdf")
    assert status == 200 and body.startswith(b"%PDF-")
    status, body = get(served.url, f"/{S4}.docx")
    assert status == 200 and body.startswith(b"PK")


# ---------------------------------------------------------------- in the browser


@pytest.mark.slow
def test_the_browser_shows_edits_and_diagnostics_as_they_are_saved(served: ServedPreview, repository: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    source = repository / "sources" / f"{S4}.xml"
    original = source.read_text(encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(served.url)
            assert page.locator("#undoc-documents").get_by_text(S4, exact=True).count() == 1
            page.get_by_role("link", name=S4, exact=True).click()
            page.wait_for_url(f"**/{S4}.html")
            body = page.locator("body")
            assert "Monday, 6 March" in body.inner_text()
            assert "no problems" in page.locator("#undoc-preview").inner_text()
            page.evaluate("window.notReloaded = true")

            # an edit shows without a reload: the page puts the new rendering in place itself
            source.write_text(original.replace("Opening statements", "Opening remarks of the week"),
                              encoding="utf-8")
            page.get_by_text("Opening remarks of the week").wait_for(timeout=20_000)
            assert page.evaluate("window.notReloaded === true")

            # an invalid edit: the diagnostic in the page and the terminal, the last good page kept
            mark = served.lines()
            broken = original.replace("Opening statements", "Opening remarks of the week").replace(
                "<title>Provisional programme of work</title>", "<title>Provisional programme of work</titel>", 1)
            source.write_text(broken, encoding="utf-8")
            printed = served.wait_for(r"xml-syntax", after=mark)
            line = next(n for n, text in enumerate(broken.splitlines(), 1) if "</titel>" in text)
            assert f"{S4}.xml:{line}:" in printed
            problem = page.locator("#undoc-preview li.error")
            problem.wait_for(timeout=20_000)
            assert f"{S4}.xml:{line}:" in problem.inner_text() and "xml-syntax" in problem.inner_text()
            assert "last good rendering" in page.locator("#undoc-preview").inner_text()
            assert "Opening remarks of the week" in body.inner_text()

            # fixed again: the diagnostic goes, the page follows
            source.write_text(original.replace("Opening statements", "Opening of the week"), encoding="utf-8")
            page.get_by_text("Opening of the week").wait_for(timeout=20_000)
            assert page.locator("#undoc-preview li.error").count() == 0

            # the browser cannot reach past the output folder either
            response = page.goto(f"{served.url}%2e%2e/%2e%2e/etc/passwd")
            assert response is not None and response.status in (403, 404)
            assert "root:" not in page.content()
        finally:
            browser.close()
    # the built page is the build's own: nothing of the preview was written into it
    written = (repository / "out" / f"{S4}.html").read_text(encoding="utf-8")
    assert "Opening of the week" in written
    assert "undoc-preview" not in written and "EventSource" not in written

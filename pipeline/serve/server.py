"""The preview server: pages of the sources' HTML, rebuilt as they are edited, on 127.0.0.1.

* **One rendering.** Every page is the file the build wrote into the output folder; the
  server only builds through the function it is given (the command line's incremental
  :func:`pipeline.build.engine.build`), HTML as the sources change, the PDF or DOCX of a
  document when it is asked for. What it adds to a page as it serves it (a bar with the
  document's diagnostics and links, and the script that reloads the page) is never written
  into the built file.
* **The last good page.** A document with errors is not written by the build, so its
  previous page stays; the errors are shown above it, with their file, line and column,
  and printed in the terminal.
* **Reload.** Open pages listen on ``/_undoc/events`` (Server-Sent Events) for the version
  of their document; when it changes, the page fetches itself again and puts the new head
  and body in place of the old, at the same scroll position (faster than a reload, and the
  event stream stays open).
* **Safety.** It listens on 127.0.0.1 only; it refuses a request whose ``Host`` is not
  ``localhost`` or ``127.0.0.1`` (a page elsewhere cannot reach it by DNS rebinding); it
  serves only the outputs of the documents it builds, by name, from the output folder, never
  a symbolic link or a path with ``..``.

It is :mod:`http.server`'s threading server: one thread a connection is ample for a few open
pages, and the standard library needs nothing installed and nothing kept up to date.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity, counted, format_text
from pipeline.formats import renderer
from pipeline.serve import watch
from pipeline.sources.discover import SourcesError, discover
from pipeline.sources.load import display_path

Builder = Callable[[Sequence[Path], Sequence[str]], list[Diagnostic]]
"""Build these sources in these formats into the output folder; return every diagnostic."""

HOST = "127.0.0.1"
"""The only address the server listens on."""

ALLOWED_HOSTS = frozenset({"localhost", "127.0.0.1"})
"""``Host`` names accepted (with any port): the server's own address, as a browser writes it."""

ON_DEMAND = ("pdf", "docx")
"""Formats built when a page asks for them, not at every edit."""

EVENTS = "/_undoc/events"
"""The Server-Sent Events stream of document versions."""

KEEPALIVE_SECONDS = 15.0
"""An idle event stream sends a comment this often, so a closed page is noticed."""

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""A file name the server may look up in the output folder: no folder, no leading dot."""


def _is_document(path: Path) -> bool:
    """Whether ``path``'s first element is a ``<document>`` (not a register), as far as it can be read."""
    try:
        with open(path, "rb") as handle:
            for _, element in etree.iterparse(handle, events=("start",), resolve_entities=False, no_network=True,
                                              load_dtd=False):
                return bool(etree.QName(element).localname != "register")
    except (etree.LxmlError, OSError, ValueError):
        return True  # a broken source is a document whose diagnostics the page shows
    return True


@dataclass
class Preview:
    """What the server shows: the documents, their diagnostics and versions, and how to rebuild."""

    sources_folder: Path
    named: tuple[Path, ...]
    out: Path
    builder: Builder
    log: TextIO = field(default_factory=lambda: sys.stderr)
    documents: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    _building: threading.Lock = field(default_factory=threading.Lock)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    # ------------------------------------------------------------ building

    def find_documents(self) -> dict[str, Path]:
        """The documents to preview, by output stem (registers are watched, not shown)."""
        try:
            found = discover(list(self.named), default=self.sources_folder)
        except SourcesError:
            found = []
        return {p.stem: p for p in found if p.suffix == ".xml" and _is_document(p)}

    def watched(self) -> list[Path]:
        """The files whose edits rebuild: every XML file under the sources folder, registers
        included, and the sources named on the command line."""
        folders = [self.sources_folder] if not self.named else [p for p in self.named if p.is_dir()]
        return watch.xml_files(folders, [p for p in self.named if p.is_file()])

    def rebuild(self) -> list[Diagnostic]:
        """Build the HTML of every document (the build redoes only what changed) and tell open pages."""
        with self._building:
            began = time.perf_counter()
            documents = self.find_documents()
            diagnostics = self.builder(list(documents.values()), ["html"]) if documents else []
            seconds = time.perf_counter() - began
        with self._changed:
            before = self.diagnostics
            self.documents, self.diagnostics = documents, diagnostics
            self.versions = {stem: self._version(stem) for stem in documents}
            self.versions[""] = hashlib.sha256(json.dumps(sorted(self.versions.items())).encode()).hexdigest()[:16]
            self._changed.notify_all()
        errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
        if diagnostics != before or errors:
            self.log.write(format_text(diagnostics))
        self.log.write(f"built the HTML of {counted(len(documents), 'document')} in {seconds:.2f} s: "
                       f"{counted(errors, 'error')}, {counted(len(diagnostics) - errors, 'warning')}\n")
        self.log.flush()
        return diagnostics

    def build_on_demand(self, stem: str, name: str) -> list[Diagnostic]:
        """Build one document in format ``name`` (PDF, DOCX); its diagnostics."""
        with self._building:
            source = self.documents[stem]
            shown = display_path(source)
            return [d for d in self.builder([source], [name]) if d.path == shown]

    def own_diagnostics(self, stem: str) -> list[Diagnostic]:
        """A document's diagnostics, and those of the registers and the run (files that are no document)."""
        shown = {display_path(p): s for s, p in self.documents.items()}
        return [d for d in self.diagnostics if shown.get(d.path, stem) == stem]

    def _version(self, stem: str) -> str:
        page = self._output_path(stem, "html")
        try:
            status = page.stat()
            stamp = f"{status.st_mtime_ns}:{status.st_size}"
        except OSError:
            stamp = "none"
        text = format_text(self.own_diagnostics(stem))
        return hashlib.sha256(f"{stamp}\n{text}".encode()).hexdigest()[:16]

    def watch_forever(self, stop: threading.Event) -> None:
        """Rebuild whenever a watched file changes, until ``stop`` is set."""
        seen = watch.stamps(self.watched())
        while not stop.wait(watch.POLL_SECONDS):
            now = watch.stamps(self.watched())
            if watch.changed(seen, now):
                seen = now  # an edit made during the build is seen at the next look
                try:
                    self.rebuild()
                except Exception:  # a failure of the pipeline itself: said, and the preview goes on
                    self.log.write(f"the preview's build failed:\n{traceback.format_exc()}")
                    self.log.flush()

    def next_versions(self, known: dict[str, str] | None, timeout: float) -> dict[str, str] | None:
        """The versions, once they differ from ``known`` (at once when ``known`` is None);
        None when ``timeout`` passes first."""
        with self._changed:
            if self._changed.wait_for(lambda: self.versions != known, timeout=timeout):
                return dict(self.versions)
        return None

    # ------------------------------------------------------------ files

    def _output_path(self, stem: str, name: str) -> Path:
        """Where the build writes document ``stem``'s output in format ``name``."""
        return self.out / f"{stem}{renderer(name).suffix}"

    def output(self, stem: str, name: str) -> Path | None:
        """The output of document ``stem`` in format ``name``, when it is a regular file inside the
        output folder (a symbolic link, or a file reached through one, is not served)."""
        path = self._output_path(stem, name)
        if path.is_symlink() or not path.is_file():
            return None
        folder = os.path.realpath(self.out)
        if os.path.commonpath([folder, os.path.realpath(path)]) != folder:
            return None
        return path


# ---------------------------------------------------------------- what is added to served pages

_BAR_STYLE = (
    "#undoc-preview{font:14px/1.4 system-ui,sans-serif;background:#f4f4f4;border-bottom:1px solid #999;"
    "padding:6px 12px;margin:0 0 12px}#undoc-preview a{margin-right:12px}"
    "#undoc-preview ol{margin:6px 0 0;padding-left:20px}#undoc-preview .error{color:#a00}"
    "#undoc-preview .warning{color:#750}#undoc-preview code{font-family:ui-monospace,monospace}"
    "@media print{#undoc-preview{display:none}}"
)

_RELOAD = """<script>(function(){
var key=%s, latest=null, busy=false;
function shown(){var bar=document.getElementById("undoc-preview");return bar?bar.dataset.version:null;}
function refresh(){
 if(busy||latest===null||latest===shown())return; busy=true; var y=window.scrollY;
 fetch(location.href,{cache:"no-store"}).then(function(r){return r.text();}).then(function(text){
  var fresh=new DOMParser().parseFromString(text,"text/html");
  document.title=fresh.title;
  document.head.replaceWith(document.adoptNode(fresh.head));
  document.body.replaceWith(document.adoptNode(fresh.body));
  window.scrollTo(0,y); busy=false; refresh();
 }).catch(function(){location.reload();});
}
var events=new EventSource("%s");
events.onmessage=function(e){latest=JSON.parse(e.data)[key];refresh();};
})();</script>"""


def _diagnostic_items(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(
        f'<li class="{d.severity.label}"><code>{html.escape(d.path)}:{d.line}:{d.column}</code> '
        f"{d.severity.label} [{html.escape(d.code)}] {html.escape(d.message)}</li>" for d in diagnostics)


def _bar(stem: str, diagnostics: Sequence[Diagnostic], has_page: bool, version: str) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    if errors:
        state = (f"{errors} error{'s' if errors > 1 else ''}: "
                 + ("the last good rendering is shown" if has_page else "no rendering yet"))
    elif diagnostics:
        state = f"{len(diagnostics)} warning{'s' if len(diagnostics) > 1 else ''}"
    else:
        state = "no problems"
    links = "".join(f'<a href="/{html.escape(stem)}.{n}">{n.upper()}</a>' for n in ON_DEMAND)
    items = f'<ol class="undoc-diagnostics">{_diagnostic_items(diagnostics)}</ol>' if diagnostics else ""
    return (f'<style>{_BAR_STYLE}</style><aside id="undoc-preview" aria-label="Preview" '
            f'data-version="{html.escape(version)}"><a href="/">All documents</a>{links}'
            f'<span class="undoc-state">{state}</span>{items}</aside>')


def served_page(page: bytes | None, stem: str, diagnostics: Sequence[Diagnostic], version: str) -> bytes:
    """The built page as served: the bar after ``<body>``, the reload script before ``</body>``."""
    bar = _bar(stem, diagnostics, page is not None, version)
    script = _RELOAD % (json.dumps(stem), EVENTS)
    if page is None:
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(stem)}</title>'
                f"</head><body>{bar}{script}</body></html>").encode()
    text = page.decode("utf-8")
    body = re.search(r"<body\b[^>]*>", text)
    at = body.end() if body else 0
    text = text[:at] + bar + text[at:]
    end = text.rfind("</body>")
    end = end if end >= 0 else len(text)
    return (text[:end] + script + text[end:]).encode("utf-8")


def index_page(preview: Preview, version: str) -> bytes:
    """The list of documents, with their state and their formats."""
    rows = []
    for stem in sorted(preview.documents):
        found = preview.own_diagnostics(stem)
        errors = sum(1 for d in found if d.severity is Severity.ERROR)
        state = counted(errors, "error") if errors else (counted(len(found), "warning") if found else "")
        links = "".join(f' <a href="/{html.escape(stem)}.{n}">{n.upper()}</a>' for n in ON_DEMAND)
        rows.append(f'<li><a href="/{html.escape(stem)}.html">{html.escape(stem)}</a>{links} '
                    f'<span class="{"error" if errors else "warning"}">{state}</span></li>')
    script = _RELOAD % (json.dumps(""), EVENTS)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Documents</title>'
            f"<style>{_BAR_STYLE}body{{font:16px/1.5 system-ui,sans-serif;margin:2em}}</style></head><body>"
            f'<aside id="undoc-preview" aria-label="Preview" data-version="{html.escape(version)}">'
            f"{counted(len(preview.documents), 'document')}</aside>"
            f'<h1>Documents</h1><ul id="undoc-documents">{"".join(rows)}</ul>{script}</body></html>').encode()


# ---------------------------------------------------------------- requests


def host_allowed(host: str | None) -> bool:
    """Whether a ``Host`` header names this machine's loopback address, as the server's pages do."""
    if not host:
        return False
    name = re.sub(r":\d+$", "", host.strip()).lower().rstrip(".")
    return name in ALLOWED_HOSTS


def requested_name(target: str) -> tuple[HTTPStatus, str]:
    """The file name a request target asks for (``""``: the index), or the status refusing it.

    Only a name directly in the output folder can be asked for: a target with ``..`` or ``.``
    segments (written plainly or percent-encoded), a backslash, a NUL or an absolute URL is
    refused with 403; any other name that is not a plain file name is not found."""
    if not target.startswith("/") or target.startswith("//"):
        return HTTPStatus.FORBIDDEN, ""
    path = urlsplit(target).path
    decoded = unquote(unquote(path))
    if "\x00" in decoded or "\\" in decoded or any(s in (".", "..") for s in decoded.split("/")):
        return HTTPStatus.FORBIDDEN, ""
    name = decoded[1:]
    if name in ("", "index.html"):
        return HTTPStatus.OK, ""
    if name == EVENTS[1:]:
        return HTTPStatus.OK, name
    if not SAFE_NAME.fullmatch(name):
        return HTTPStatus.NOT_FOUND, ""
    return HTTPStatus.OK, name


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # the terminal shows builds, not requests
        return

    def _send(self, status: HTTPStatus, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, status: HTTPStatus, why: str) -> None:
        self._send(status, f"{status.value} {status.phrase}: {why}\n".encode(), "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        """Answer a page, a file or the event stream; refuse foreign hosts and paths out of bounds."""
        if not host_allowed(self.headers.get("Host")):
            self._refuse(HTTPStatus.FORBIDDEN, "this preview answers only to localhost and 127.0.0.1")
            return
        status, name = requested_name(self.path)
        if status is not HTTPStatus.OK:
            self._refuse(status, "not a document of this preview")
            return
        preview = self.server.preview
        if name == "":
            self._send(HTTPStatus.OK, index_page(preview, preview.versions.get("", "")))
        elif name == EVENTS[1:]:
            self._events()
        else:
            self._document(preview, name)

    def _document(self, preview: Preview, name: str) -> None:
        stem, _, extension = name.rpartition(".")
        if stem not in preview.documents or extension not in ("html", *ON_DEMAND):
            self._refuse(HTTPStatus.NOT_FOUND, "not a document of this preview")
            return
        if extension == "html":
            path = preview.output(stem, "html")
            page = path.read_bytes() if path is not None else None
            self._send(HTTPStatus.OK, served_page(page, stem, preview.own_diagnostics(stem),
                                                  preview.versions.get(stem, "")))
            return
        problems = preview.build_on_demand(stem, extension)
        path = preview.output(stem, extension)
        if path is None:
            self._send(HTTPStatus.CONFLICT, served_page(None, stem, problems, preview.versions.get(stem, "")))
            return
        kind = {"pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[extension]
        self._send(HTTPStatus.OK, path.read_bytes(), kind)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.server.preview
        known: dict[str, str] | None = None
        with contextlib.suppress(OSError):
            while not self.server.stopping.is_set():
                versions = preview.next_versions(known, KEEPALIVE_SECONDS if known is not None else 0)
                if versions is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    known = versions
                    self.wfile.write(f"data: {json.dumps(versions)}\n\n".encode())
                self.wfile.flush()
        self.close_connection = True


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server of a :class:`Preview`, on 127.0.0.1."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int) -> None:
        self.preview = preview
        self.stopping = threading.Event()
        super().__init__((HOST, port), _Handler)


@contextlib.contextmanager
def running(preview: Preview, port: int) -> Iterator[PreviewServer]:
    """The server of ``preview``, built once, watching and serving in threads until the block ends."""
    server = PreviewServer(preview, port)  # a port in use fails here, before any build
    preview.rebuild()
    watcher = threading.Thread(target=preview.watch_forever, args=(server.stopping,), name="undoc-watch",
                               daemon=True)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="undoc-serve",
                               daemon=True)
    watcher.start()
    serving.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        watcher.join(timeout=5)


def serve(preview: Preview, port: int) -> int:
    """Serve ``preview`` on 127.0.0.1:``port`` until interrupted; the exit status."""
    try:
        with running(preview, port) as server:
            address = f"http://{HOST}:{server.server_address[1]}/"
            preview.log.write(f"serving {address} (the HTML of {counted(len(preview.documents), 'document')}; "
                              f"Ctrl-C to stop)\n")
            preview.log.flush()
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        preview.log.write("stopped\n")
        return 0
    except OSError as exc:
        preview.log.write(f"error: cannot listen on {HOST}:{port}: {exc.strerror or exc}\n")
        return 2

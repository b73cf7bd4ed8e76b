"""Driving ``undoc serve`` from tests and benchmarks: the server as a process, and a browser.

:class:`ServedPreview` starts ``python -m pipeline serve --port 0`` in a documents
repository, reads the address it prints and keeps what it writes to the terminal.
:func:`chromium` launches the system's Chromium headless through Playwright (``pip install
playwright``; its own browser download is not needed).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path(os.environ.get("UNDOC_CHROMIUM", "/usr/bin/chromium"))
"""The Chromium the browser tests drive (``UNDOC_CHROMIUM`` names another)."""

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync")
"""Headless, offline and quiet: no sandbox (containers), no GPU, no update or sync traffic."""


def chromium(playwright: Playwright) -> Browser:
    """The system Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)


class ServedPreview:
    """``undoc serve`` running in ``repository`` on a free port, until the block ends."""

    def __init__(self, repository: Path, *arguments: str, timeout: float = 120.0) -> None:
        self.repository = repository
        self.arguments = arguments
        self.timeout = timeout
        self.url = ""
        self._lines: list[str] = []
        self._seen = threading.Condition()
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def __enter__(self) -> ServedPreview:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--port", "0", *self.arguments], cwd=self.repository,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        line = self.wait_for(r"serving (http://\S+)")
        found = re.search(r"serving (http://\S+)", line)
        assert found is not None
        self.url = found.group(1)
        return self

    def _read(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        for line in self._process.stderr:
            with self._seen:
                self._lines.append(line)
                self._seen.notify_all()

    def terminal(self) -> str:
        """What the server wrote to the terminal so far."""
        with self._seen:
            return "".join(self._lines)

    def wait_for(self, pattern: str, after: int = 0) -> str:
        """The first line of the terminal from line ``after`` on that matches ``pattern``."""
        deadline = time.monotonic() + self.timeout
        with self._seen:
            while True:
                for line in self._lines[after:]:
                    if re.search(pattern, line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or (self._process is not None and self._process.poll() is not None):
                    raise TimeoutError(f"the server did not print {pattern!r}:\n{''.join(self._lines)}")
                self._seen.wait(min(left, 0.5))

    def lines(self) -> int:
        """How many lines the terminal holds now (for :meth:`wait_for`'s ``after``)."""
        with self._seen:
            return len(self._lines)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._reader is not None:
                self._reader.join(timeout=10)
            if self._process.stderr is not None:
                self._process.stderr.close()

"""A progress bar for long builds, on standard error.

One line, redrawn in place at most ten times a second: the stage, a bar, documents done of
the total, the rate, the time left and the document in hand::

    building [##########----------]  250/500  50%  31.2 doc/s  0:08 left  rendering docx sources/x.xml

It is drawn only for a person: when standard error is a terminal and the environment
variable ``CI`` is not set. Otherwise the build prints nothing until its closing summary.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO

BAR_WIDTH = 20
"""Characters of the bar itself."""

REDRAW_SECONDS = 0.1
"""Shortest time between two redraws."""


def wanted(stream: TextIO) -> bool:
    """Whether to draw a progress bar on ``stream``: a terminal, and not under CI."""
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """The progress of a build: stages, documents done, the document in hand."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.stage = ""
        self.total = 0
        self.done = 0
        self.current = ""
        self._began = time.monotonic()
        self._drawn = 0.0
        self._width = 0

    def start(self, stage: str, total: int) -> None:
        """Begin a stage of ``total`` documents ("checking", "building")."""
        self.stage, self.total, self.done, self.current = stage, total, 0, ""
        self._began = time.monotonic()
        self._draw(force=True)

    def working(self, what: str, document: str) -> None:
        """Say what is being done now, and to which document."""
        self.current = f"{what} {document}"
        self._draw()

    def advance(self, document: str, count: int = 1) -> None:
        """Count ``count`` more documents done, the last being ``document``."""
        self.done += count
        self.current = document
        self._draw(force=self.done >= self.total)

    def close(self) -> None:
        """Remove the bar, leaving the line free for the summary."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._width = 0

    def line(self) -> str:
        """The text of the bar as it stands."""
        total = max(self.total, 1)
        filled = BAR_WIDTH * min(self.done, total) // total
        elapsed = time.monotonic() - self._began
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = (f"{self.stage} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
                f"{self.done:>{len(str(self.total))}}/{self.total} {100 * self.done // total:3d}%")
        if self.done and rate:
            left = (self.total - self.done) / rate
            text += f"  {rate:.1f} doc/s  {int(left) // 60}:{int(left) % 60:02d} left"
        if self.current:
            text += f"  {self.current}"
        return text

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        columns = shutil.get_terminal_size((100, 24)).columns - 1
        text = self.line()[:columns]
        padding = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * padding)
        self.stream.flush()
        self._width = len(text)

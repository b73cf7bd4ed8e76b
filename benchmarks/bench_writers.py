"""What the libraries that write QR codes, calendars and JSON cost a document.

    python3 benchmarks/bench_writers.py [--count 200] [--repeat 7]

A corpus of ``--count`` generated programmes of work (:mod:`pipeline.devtools.corpus`) is
loaded once; then, in this warm process, each piece below runs over every document, and the
best of ``--repeat`` runs is printed as processor time a document (a machine busy with other
work changes it far less than the wall time):

* **QR code**: the symbol (segno), its PNG (the DOCX) and its SVG (HTML and PDF);
* **calendar**: the iCalendar of a document (icalendar: components, VTIMEZONE, writing), the
  time zones worked out again on each run, as each new process does once;
* **JSON**: the JSON of a document (the data, the schema check, ``json.dumps``).

Set beside ``benchmarks/bench_build.py``'s processor time a document of a whole build (its
``cpu`` column: every format, the PDF above all), these say what share of a document's build
each library takes.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.build.render import model_of  # noqa: E402
from pipeline.devtools import corpus  # noqa: E402
from pipeline.formats import ics  # noqa: E402
from pipeline.formats import json as json_format  # noqa: E402
from pipeline.marks import qrcode  # noqa: E402
from pipeline.model.tree import Document, undocs_url  # noqa: E402
from pipeline.validate.check import validate_sources  # noqa: E402


def documents(count: int, seed: int) -> list[Document]:
    """The models of a generated corpus."""
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as scratch:
        folder = Path(scratch) / "corpus"
        corpus.write_corpus(folder, count, seed=seed, registers=3)
        checked, _problems = validate_sources(sorted(folder.glob("*.xml")))
        return [model_of(c) for c in checked if c.ok]


def best(run: Callable[[], None], repeat: int) -> float:
    """The least processor time of ``repeat`` runs, in seconds."""
    run()  # imports, compiled schema
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="documents in the corpus (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus (default 1)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each piece, the best kept (default 7)")
    args = parser.parse_args()
    models = documents(args.count, args.seed)
    urls = [undocs_url(d.symbol, d.language) for d in models]
    calendars = [d for d in models if ics.applies(d)]

    def qr_codes() -> None:
        qrcode._make.cache_clear()
        for url in urls:
            qrcode.qr_png(url, scale=8)
            qrcode.qr_svg(url)

    def calendar() -> None:
        ics._time_zone.cache_clear()
        for document in calendars:
            ics.render(document)

    def json_data() -> None:
        for document in models:
            json_format.render(document)

    print(f"corpus: {len(models)} documents (seed {args.seed}); processor time a document, best of {args.repeat}")
    for label, run, count in (("QR code (symbol, PNG, SVG)", qr_codes, len(urls)),
                              ("calendar (icalendar)", calendar, len(calendars)),
                              ("JSON (data, schema check, json.dumps)", json_data, len(models))):
        print(f"  {label:40} {best(run, args.repeat) / max(count, 1) * 1000:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

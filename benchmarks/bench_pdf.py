"""What a PDF costs: per document and per page, in a warm process, and the first one of a process.

    python3 benchmarks/bench_pdf.py [--repeat 5] [--scale 10]

For each source: the first render of a fresh process (WeasyPrint's import, the font
configuration and the stylesheets, made once per process), then the median of ``--repeat``
renders in the same warm process, split into the HTML page, the layout and the PDF writing.
``--scale N`` adds a document whose programme is the source's days repeated N times, to show
the cost per page of a long table.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_seconds  # noqa: E402

from pipeline.build.render import model_of  # noqa: E402
from pipeline.formats import pdf  # noqa: E402
from pipeline.model.tree import Document  # noqa: E402
from pipeline.validate.check import validate_sources  # noqa: E402

FIRST_RENDER = """\
import sys, time
started = time.perf_counter()
from pathlib import Path
from pipeline.build.render import model_of
from pipeline.validate.check import validate_sources
from pipeline.formats.pdf import render
checked, _ = validate_sources([Path(sys.argv[1])])
document = model_of(checked[0])
modelled = time.perf_counter()
render(document)
print(f"{modelled - started:.3f} {time.perf_counter() - modelled:.3f}")
"""


def scaled(document: Document, times: int) -> Document:
    """The document with its first annex's programme repeated ``times`` times (a long table)."""
    if not document.annexes:
        return document
    annex = document.annexes[0]
    if annex.programme is None:
        return document
    programme = dataclasses.replace(annex.programme, days=annex.programme.days * times)
    return dataclasses.replace(document, annexes=(dataclasses.replace(annex, blocks=(programme,)),
                                                  *document.annexes[1:]))


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm renders per figure (default 5)")
    parser.add_argument("--scale", type=int, default=10, help="repeat the programme N times for a long document")
    args = parser.parse_args()
    sources = sorted((ROOT / "sources").glob("*.xml"))
    checked, _ = validate_sources(sources)
    import weasyprint

    print(f"WeasyPrint {weasyprint.__version__}; warm figures are medians of {args.repeat} renders\n")
    print("first render in a fresh process (import + fonts + stylesheets + one document):")
    for path in sources:
        out = subprocess.run([sys.executable, "-c", FIRST_RENDER, str(path)], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
        print(f"  {path.stem:34} load {float(out[0]) * 1000:6.0f} ms, first PDF {float(out[1]) * 1000:6.0f} ms")

    documents = {Path(c.path).stem: model_of(c) for c in checked}
    if args.scale > 1:
        first = next(iter(documents))
        documents[f"{first} ×{args.scale}"] = scaled(documents[first], args.scale)
    print("\nwarm process:")
    print(f"  {'document':34} {'pages':>5} {'per doc':>9} {'per page':>9}   {'HTML':>7} {'layout':>8} {'write':>8}")
    totals = [0.0, 0]
    for name, document in documents.items():
        pages = len(pdf.layout(document).pages)
        whole = median_seconds(lambda d=document: pdf.render(d), args.repeat)
        page_html = median_seconds(lambda d=document: pdf.print_page(d), args.repeat)
        laid = median_seconds(lambda d=document: pdf.layout(d), args.repeat)
        done = pdf.layout(document)
        write = median_seconds(lambda x=done: x.write_pdf(**pdf.PDF_OPTIONS), args.repeat)
        print(f"  {name:34} {pages:5d} {whole * 1000:6.0f} ms {whole / pages * 1000:6.0f} ms   "
              f"{page_html * 1000:4.0f} ms {(laid - page_html) * 1000:5.0f} ms {write * 1000:5.0f} ms")
        if "×" not in name:
            totals[0] += whole
            totals[1] += pages
    if totals[1]:
        print(f"\n  sources together: {totals[0] * 1000:.0f} ms for {totals[1]} pages, "
              f"{totals[0] / totals[1] * 1000:.0f} ms per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())

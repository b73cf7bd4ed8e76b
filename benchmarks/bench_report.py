"""What a long report costs in each format, and how the cost grows with its length.

    python3 benchmarks/bench_report.py [--chapters 2,4,6] [--repeat 3] [--formats txt,html,…]

Generates reports of the general tree (``pipeline.devtools.corpus.report_xml``: chapters of
sections, numbered paragraphs, subparagraphs, bullets, tables with notes, footnotes, a
contents list, an annex; six chapters make about 30 pages of PDF), then, in a warm process,
times validation and the model once, and each format's renderer as the median of
``--repeat`` runs (PDF: of ``--pdf-repeat`` runs). For each format it prints the time for
each length, the time per page of PDF, and how the time grows against the length: a ratio
near 1.0 between "time per chapter" at the longest and at the shortest length means linear.

Targets: a report of about 30 pages builds every format but PDF in under 0.25 s, and its
PDF in under 2.5 s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_seconds  # noqa: E402

from pipeline.build.render import model_of  # noqa: E402
from pipeline.devtools.corpus import REAL_REGISTER, REAL_REGISTER_FILE, report_xml  # noqa: E402
from pipeline.formats import format_names, pdf, renderer  # noqa: E402
from pipeline.model.tree import Document  # noqa: E402
from pipeline.validate.check import validate_sources  # noqa: E402

ALL_BUT_PDF_TARGET = 0.25
PDF_TARGET = 2.5


def _pages(pdf: bytes) -> int:
    """The page count of a PDF, as poppler's ``pdfinfo`` reads it."""
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    found = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    return int(found.group(1)) if found else 0


def pdf_stages(document: Document, repeat: int) -> dict[str, float]:
    """The PDF's cost by stage, each the least CPU time of ``repeat`` runs: the print page,
    WeasyPrint's layout, its drawing and writing, and the fontTools subsetting within it.

    The least CPU time of several runs is the figure least disturbed by other work on the
    machine; the median wall time of the other figures includes that disturbance.
    """
    from weasyprint.pdf import fonts

    pdf.pin_font_subsetting()
    subset = fonts.Font.subset
    spent = [0.0]

    def timed_subset(*args: object, **kwargs: object) -> None:
        started = time.process_time()
        subset(*args, **kwargs)
        spent[0] += time.process_time() - started

    fonts.Font.subset = timed_subset
    best = {"page": float("inf"), "layout": float("inf"), "draw+write": float("inf"), "subset": float("inf")}
    try:
        for _ in range(max(repeat, 1)):
            spent[0] = 0.0
            started = time.process_time()
            pdf.print_page(document)
            paged = time.process_time()
            laid_out = pdf.layout(document)  # the print page again, then WeasyPrint's layout
            laid = time.process_time()
            laid_out.write_pdf(**pdf.PDF_OPTIONS)
            written = time.process_time()
            for stage, took in (("page", paged - started), ("layout", laid - paged - (paged - started)),
                                ("draw+write", written - laid - spent[0]), ("subset", spent[0])):
                best[stage] = min(best[stage], took)
    finally:
        fonts.Font.subset = subset
    return best


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", default="2,4,6", help="report lengths in chapters (default 2,4,6)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure but PDF (default 3)")
    parser.add_argument("--pdf-repeat", type=int, default=1, help="runs per PDF figure (default 1)")
    parser.add_argument("--formats", default=",".join(format_names()), help="formats to time (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    lengths = [int(c) for c in args.chapters.split(",")]
    formats = [f for f in args.formats.split(",") if f]
    folder = Path(tempfile.mkdtemp(prefix="undoc-bench-report-"))
    try:
        (folder / "shared").mkdir()
        shutil.copyfile(REAL_REGISTER_FILE, folder / "shared" / REAL_REGISTER.file_name)
        rows: dict[str, dict[int, float]] = {name: {} for name in ["validate+model", *formats]}
        pages: dict[int, int] = {}
        for chapters in lengths:
            path = folder / f"report-{chapters}.xml"
            path.write_text(report_xml(args.seed, chapters), encoding="utf-8")
            [checked], _ = validate_sources([path])
            document = model_of(checked)
            longest_document = document
            rows["validate+model"][chapters] = median_seconds(
                lambda p=path: model_of(validate_sources([p])[0][0]), args.repeat)
            for name in formats:
                render = renderer(name).render
                repeat = args.pdf_repeat if name == "pdf" else args.repeat
                rows[name][chapters] = median_seconds(lambda r=render, d=document: r(d), repeat)  # type: ignore[misc]
                if name == "pdf":
                    pages[chapters] = _pages(render(document))
        print(f"report lengths (chapters): {lengths}; PDF pages: {[pages.get(c) for c in lengths]}")
        heads = " ".join(f"{c:>4} ch (s)" for c in lengths)
        print(f"{'stage':16} {heads}   growth per chapter, longest/shortest")
        for name, by_length in rows.items():
            times = [by_length[c] for c in lengths]
            growth = (times[-1] / lengths[-1]) / (times[0] / lengths[0]) if times[0] else float("nan")
            print(f"{name:16} " + " ".join(f"{t:10.3f}" for t in times) + f"   {growth:.2f}")
        longest = lengths[-1]
        all_but_pdf = sum(rows[n][longest] for n in rows if n != "pdf")
        print(f"longest report ({pages.get(longest, '?')} pages): every format but PDF {all_but_pdf:.3f} s "
              f"(target < {ALL_BUT_PDF_TARGET} s)")
        if "pdf" in rows:
            per_page = rows["pdf"][longest] / pages[longest]
            print(f"longest report: PDF {rows['pdf'][longest]:.2f} s, {per_page * 1000:.0f} ms a page "
                  f"(target < {PDF_TARGET} s)")
            stages = pdf_stages(longest_document, max(args.pdf_repeat, 2))
            print("longest report, PDF by stage (least CPU time of runs): "
                  + ", ".join(f"{stage} {took:.3f} s" for stage, took in stages.items())
                  + f"; in all {sum(stages.values()):.3f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

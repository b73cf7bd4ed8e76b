"""What a PDF in Arabic or Chinese costs beside its English counterpart, per page.

    python3 benchmarks/bench_scripts.py [--repeat 5]

Renders the programme of work in English, Arabic and Chinese in one warm process, in turn
(so that a slow moment of the machine falls on every language alike), ``--repeat`` times
each after one warm-up render, and prints the fastest render of each: CPU time of this
process (wall time follows the machine's other work), per document and per page, its ratio
to English per page, and its split into layout, drawing (with the HTML page and the PDF
writing) and font subsetting.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.build.render import model_of  # noqa: E402
from pipeline.formats import pdf  # noqa: E402
from pipeline.validate.check import validate_sources  # noqa: E402

LANGUAGES = {"en": "oewg-ict-s4-programme-of-work.xml", "ar": "oewg-ict-s4-programme-of-work.ar.xml",
             "zh": "oewg-ict-s4-programme-of-work.zh.xml"}


class _Clock:
    """CPU time spent in a function, summed over its calls since the last reset."""

    def __init__(self, owner: Any, name: str) -> None:
        self.seconds = 0.0
        function: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - started

        setattr(owner, name, timed)


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per language (default 5)")
    args = parser.parse_args()
    checked, _ = validate_sources([ROOT / "sources" / name for name in LANGUAGES.values()])
    documents = {language: model_of(c) for language, c in zip(LANGUAGES, checked, strict=True)}
    from weasyprint.pdf import fonts

    pdf.pin_font_subsetting()
    subsetting, laying_out = _Clock(fonts.Font, "subset"), _Clock(pdf, "_lay_out")
    pages = {language: len(pdf.layout(document).pages) for language, document in documents.items()}
    best: dict[str, tuple[float, float, float, float]] = {}
    for round_ in range(args.repeat + 1):
        for language, document in documents.items():
            subsetting.seconds = laying_out.seconds = 0.0
            started = time.process_time()
            pdf.render_pdf(document)  # the whole render, as a build makes it
            whole = time.process_time() - started
            layout = laying_out.seconds
            figures = (whole, layout, whole - layout - subsetting.seconds, subsetting.seconds)
            if round_ and (language not in best or figures[0] < best[language][0]):
                best[language] = figures
    print(f"fastest of {args.repeat} warm renders, CPU time of this process\n")
    print(f"  {'':3} {'pages':>5} {'per doc':>9} {'per page':>9} {'× en':>6}   "
          f"{'layout':>8} {'drawing':>8} {'subset':>8}")
    english = best["en"][0] / pages["en"]
    for language, (whole, layout, drawing, subset) in best.items():
        per_page = whole / pages[language]
        print(f"  {language:3} {pages[language]:5d} {whole * 1000:6.0f} ms {per_page * 1000:6.0f} ms "
              f"{per_page / english:5.2f}×   {layout * 1000:5.0f} ms {drawing * 1000:5.0f} ms {subset * 1000:5.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

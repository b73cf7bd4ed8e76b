"""What a DOCX costs: our renderer beside a bare pandoc run, per document, and a whole build.

    python3 benchmarks/bench_docx.py [--repeat 10]

For each source: the renderer (AST, pandoc with the reference document, package pass) in
this process, and a bare pandoc process on the same AST as JSON with pandoc's default
reference document and nothing after it: the cost of pandoc alone on equivalent content.
Then the whole ``python -m pipeline build`` (all formats, and DOCX only) as fresh processes
writing to a temporary folder. Figures are medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_seconds  # noqa: E402

from pipeline.build.render import model_of  # noqa: E402
from pipeline.formats.docx import render as docx  # noqa: E402
from pipeline.formats.docx.ast import document_ast  # noqa: E402
from pipeline.formats.docx.converter import run_pandoc  # noqa: E402
from pipeline.formats.docx.package import finish  # noqa: E402
from pipeline.formats.docx.pandoc import pandoc_binary  # noqa: E402
from pipeline.formats.docx.reference import reference_docx_path  # noqa: E402
from pipeline.validate.check import validate_sources  # noqa: E402


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per figure (default 10)")
    args = parser.parse_args()
    sources = sorted((ROOT / "sources").glob("*.xml"))
    checked, _ = validate_sources(sources)
    pandoc = pandoc_binary()
    print(f"pandoc {pandoc}; {args.repeat} runs per figure, medians\n")
    print(f"{'document':34} {'ours':>9} {'bare pandoc':>12} {'ratio':>6}   {'AST':>7} {'pandoc+ref':>10} {'pass':>7}")
    with tempfile.TemporaryDirectory(prefix="bench-docx-") as scratch:
        folder = Path(scratch)
        for c in checked:
            document = model_of(c)
            stem = Path(c.path).stem
            ast_file = folder / f"{stem}.json"
            ast_json = json.dumps(document_ast(document), ensure_ascii=False, sort_keys=True).encode("utf-8")
            ast_file.write_bytes(ast_json)
            fill = docx.fill_for(document)
            epoch = int(fill.timestamp.timestamp())
            pandoc_docx = run_pandoc(ast_json, reference_docx_path(), epoch=epoch)

            ours = median_seconds(lambda d=document: docx.render(d), args.repeat)
            bare_command = [pandoc, "--from=json", "--to=docx", "--output", str(folder / f"{stem}.docx"),
                            str(ast_file)]
            bare = median_seconds(lambda cmd=bare_command: subprocess.run(cmd, check=True), args.repeat)
            ast_time = median_seconds(lambda d=document: json.dumps(document_ast(d)), args.repeat)
            with_reference = median_seconds(
                lambda a=ast_json, e=epoch: run_pandoc(a, reference_docx_path(), epoch=e), args.repeat)
            package_pass = median_seconds(lambda p=pandoc_docx, f=fill: finish(p, f), args.repeat)
            print(f"{stem:34} {ours * 1000:7.1f} ms {bare * 1000:9.1f} ms {ours / bare:6.2f}   "
                  f"{ast_time * 1000:4.1f} ms {with_reference * 1000:7.1f} ms {package_pass * 1000:4.1f} ms")

        print()
        for label, extra in (("all formats", []), ("DOCX only", ["--format", "docx"])):
            command = [sys.executable, "-m", "pipeline", "build", "--out", str(folder / "out"), "--force", *extra]
            build = median_seconds(
                lambda cmd=command: subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True),
                max(3, args.repeat // 3))
            print(f"python -m pipeline build ({label}, {len(sources)} sources, fresh process): "
                  f"{build * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What a whole build costs: documents per second, incremental rebuilds, peak memory.

    python3 benchmarks/bench_build.py [--count 500] [--jobs N] [--formats txt,html,…] [--pdf-count 40]
    python3 benchmarks/bench_build.py --count 5000 --formats txt,html,docx,json,akn,ics --only together

A corpus of ``--count`` generated programmes of work (:mod:`pipeline.devtools.corpus`: one-week
sessions, three-week conferences, short sessions, many footnotes, three registers) is built
by ``python -m pipeline build`` run as a user runs it, a fresh process each time, into a
fresh output folder; every figure is end to end (start-up, imports, workers, writing).

* **formats**: each format alone, serial (``--jobs 1``) and parallel (``--jobs N``); PDF on
  the first ``--pdf-count`` documents only (it takes about a second a document);
* **together**: all formats but PDF in one build, serial and parallel, and the speed-up;
  also the serial build held to one core (its pandoc with it), for the speed-up of the
  machine's cores over one;
* **docx**: the DOCX build per document beside a bare ``pandoc`` run per document on the
  same content (the model's JSON AST, pandoc's default reference document, one process a
  document, as a script calling pandoc would), serial and ``--jobs`` at a time;
* **incremental**: after the parallel build of all formats but PDF, a rebuild with nothing
  changed, then a rebuild after one source changed;
* **cpu**: the processor time (user and system) a document of each serial build, its
  pandoc included, which a machine busy with other work changes far less than the wall
  time (a parallel build's workers are reaped by their fork server and not counted);
* **memory**: the peak of each build's whole process tree (the build, its workers, their
  pandoc), sampled: the sum of resident sizes (shared pages counted in each process) and
  the sum of proportional sizes (shared pages split between the processes sharing them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.devtools import corpus  # noqa: E402
from pipeline.formats import format_names  # noqa: E402

MB = 1024 * 1024


@dataclass
class Run:
    """One build: wall time, processor time of its process tree, peak memory, its closing summary."""

    seconds: float
    cpu_seconds: float
    peak_rss: int
    peak_pss: int
    summary: str


def _children_cpu() -> float:
    """Processor time (user and system) of every finished child process waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreeSampler:
    """Samples the memory of a process and all its descendants until stopped.

    Resident sizes are cheap to read and read often; proportional sizes need the kernel to
    walk the page tables (it holds the process's memory lock meanwhile, and slows it), so
    they are read once a second.
    """

    def __init__(self, pid: int, interval: float = 0.1, proportional_every: int = 10) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.every = proportional_every
        self.peak_rss = 0
        self.peak_pss = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        tick = 0
        while not self._done.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            proportional = tick % self.every == self.every - 1
            rss = pss = 0
            for process in processes:
                try:
                    if proportional:
                        info = process.memory_full_info()
                        rss, pss = rss + info.rss, pss + info.pss
                    else:
                        rss += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            tick += 1
            self._done.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling."""
        self._done.set()
        self._thread.join()


def build(sources: Path, out: Path, formats: list[str], jobs: int, *extra: str, cores: set[int] | None = None) -> Run:
    """Run ``python -m pipeline build`` once (on ``cores`` only, when given); fail loudly if it fails."""
    command = [sys.executable, "-m", "pipeline", "build", str(sources), "--out", str(out),
               "--format", ",".join(formats), "--jobs", str(jobs), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CI", None)
    started, cpu_before = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None)
    sampler = TreeSampler(process.pid)
    stdout, stderr = process.communicate()
    seconds, cpu_seconds = time.perf_counter() - started, _children_cpu() - cpu_before
    sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}\n{stdout}\n{stderr}")
    return Run(seconds, cpu_seconds, sampler.peak_rss, sampler.peak_pss, stderr.strip().splitlines()[-1])


def subset(sources: Path, count: int, folder: Path) -> Path:
    """A corpus folder with the first ``count`` documents of ``sources`` (registers too)."""
    folder.mkdir(parents=True)
    shutil.copytree(sources / "shared", folder / "shared")
    for path in sorted(sources.glob("*.xml"))[:count]:
        shutil.copyfile(path, folder / path.name)
    return folder


def bare_pandoc(sources: Path, count: int, folder: Path, jobs: int) -> tuple[float, float]:
    """Seconds per document of one bare pandoc process per document: serial, and ``jobs`` at once."""
    from pipeline.build.render import model_of
    from pipeline.formats.docx.ast import document_ast
    from pipeline.formats.docx.pandoc import pandoc_binary
    from pipeline.validate.check import validate_sources

    paths = sorted(sources.glob("*.xml"))[:count]
    checked, _ = validate_sources(paths)
    folder.mkdir(parents=True)
    asts = []
    for c in checked:
        ast = folder / f"{Path(c.path).stem}.json"
        ast.write_text(json.dumps(document_ast(model_of(c)), ensure_ascii=False, sort_keys=True), encoding="utf-8")
        asts.append(ast)
    pandoc = pandoc_binary()

    def one(ast: Path) -> None:
        subprocess.run([pandoc, "--from=json", "--to=docx", "--output", str(ast.with_suffix(".docx")), str(ast)],
                       check=True)

    started = time.perf_counter()
    for ast in asts:
        one(ast)
    serial = (time.perf_counter() - started) / len(asts)
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, asts))
    parallel = (time.perf_counter() - started) / len(asts)
    return serial, parallel


def line(label: str, count: int, run: Run, *, serial: bool) -> str:
    """A result line; the processor time only for a serial build (a pool's workers are not counted)."""
    cpu = f"cpu {run.cpu_seconds / count * 1000:6.1f} ms/doc" if serial else " " * 17
    return (f"  {label:34} {count / run.seconds:7.1f} doc/s  {run.seconds:7.2f} s  {cpu}  "
            f"peak {run.peak_rss / MB:5.0f} MB resident, {run.peak_pss / MB:5.0f} MB proportional")


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="documents in the corpus (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus (default 1)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="workers of the parallel builds (default: the cores)")
    parser.add_argument("--formats", default=",".join(format_names()),
                        help="formats to measure (default: every registered format)")
    parser.add_argument("--pdf-count", type=int, default=40, help="documents of the PDF builds (default 40)")
    parser.add_argument("--bare-count", type=int, default=60,
                        help="documents of the bare pandoc runs (default 60)")
    parser.add_argument("--only", choices=("formats", "together", "docx", "incremental"), action="append",
                        help="run only these parts (repeatable; default all)")
    parser.add_argument("--no-serial", action="store_true", help="parallel builds only (for large corpora)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and outputs in this folder")
    args = parser.parse_args()
    parts = set(args.only or ("formats", "together", "docx", "incremental"))
    formats = [f for f in args.formats.split(",") if f]
    unknown = sorted(set(formats) - set(format_names()))
    if unknown:
        parser.error(f"unknown formats: {', '.join(unknown)}")
    not_pdf = [f for f in formats if f != "pdf"]
    jobs = args.jobs
    modes = (jobs,) if args.no_serial else (1, jobs)
    if "docx" in parts and args.no_serial:
        parser.error("the docx part compares serial builds: leave out --no-serial or the docx part")

    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        sources = scratch / "corpus"
        if sources.exists():
            shutil.rmtree(sources)
        corpus.write_corpus(sources, args.count, seed=args.seed, registers=3)
        outs = scratch / "out"
        if outs.exists():
            shutil.rmtree(outs)
        size = sum(p.stat().st_size for p in sources.glob("*.xml"))
        print(f"corpus: {args.count} documents (seed {args.seed}), {size / args.count / 1024:.1f} KB of XML each "
              f"on average; {os.cpu_count()} cores, parallel builds with --jobs {jobs}; "
              f"python {sys.version.split()[0]}")
        runs: list[Run] = []
        per_doc: dict[tuple[str, int], float] = {}

        if "formats" in parts or "docx" in parts:
            print("\neach format alone (fresh output folder, end to end):")
            for name in formats if "formats" in parts else ["docx"]:
                count = min(args.count, args.pdf_count) if name == "pdf" else args.count
                folder = sources if count == args.count else subset(sources, count, scratch / f"subset-{name}")
                for j in modes:
                    run = build(folder, outs / f"{name}-{j}", [name], j)
                    runs.append(run)
                    per_doc[(name, j)] = run.seconds / count
                    print(line(f"{name}, {'serial' if j == 1 else f'{j} workers'}"
                               f"{f' ({count} documents)' if count != args.count else ''}", count, run, serial=j == 1))

        if "together" in parts or "incremental" in parts:
            print(f"\nall formats but PDF together ({','.join(not_pdf)}):")
            together: dict[int, Run] = {}
            for j in (modes if "together" in parts else (jobs,)):
                together[j] = build(sources, outs / f"together-{j}", not_pdf, j)
                runs.append(together[j])
                print(line("serial" if j == 1 else f"{j} workers", args.count, together[j], serial=j == 1))
            if 1 in together:
                print(f"  speed-up with {jobs} workers: {together[1].seconds / together[jobs].seconds:.2f}x "
                      f"(a serial build already runs pandoc beside Python: more than one core)")
                if hasattr(os, "sched_setaffinity") and jobs > 1:
                    one_core = build(sources, outs / "together-one-core", not_pdf, 1,
                                     cores={min(os.sched_getaffinity(0))})
                    runs.append(one_core)
                    print(line("serial, on one core", args.count, one_core, serial=True))
                    print(f"  speed-up with {jobs} workers on {jobs} cores over one core: "
                          f"{one_core.seconds / together[jobs].seconds:.2f}x")
            identical = "together" in parts and 1 in together and all(
                (outs / "together-1" / p.name).read_bytes() == p.read_bytes()
                for p in (outs / f"together-{jobs}").glob("[!.]*"))
            if "together" in parts and 1 in together:
                print(f"  serial and parallel outputs byte-identical: {identical}")

        if "incremental" in parts:
            out = outs / f"together-{jobs}"
            print("\nincremental rebuilds (all formats but PDF):")
            noop = build(sources, out, not_pdf, jobs)
            runs.append(noop)
            print(f"  nothing changed:      {noop.seconds:6.2f} s   ({noop.summary.split(':')[0]})")
            changed = sorted(sources.glob("*.xml"))[args.count // 2]
            changed.write_text(changed.read_text(encoding="utf-8").replace(
                "</document>", "<!-- changed -->\n</document>"), encoding="utf-8")
            one = build(sources, out, not_pdf, jobs)
            runs.append(one)
            print(f"  one source changed:   {one.seconds:6.2f} s   ({one.summary.split(':')[0]})")

        if "docx" in parts:
            print(f"\nDOCX per document, beside a bare pandoc run per document ({args.bare_count} documents):")
            serial, parallel = bare_pandoc(sources, args.bare_count, scratch / "bare", jobs)
            ours_serial, ours_parallel = per_doc[("docx", 1)], per_doc[("docx", jobs)]
            print(f"  bare pandoc, one process a document:   {serial * 1000:6.1f} ms serial, "
                  f"{parallel * 1000:6.1f} ms with {jobs} at once")
            print(f"  the DOCX build (every stage, writing): {ours_serial * 1000:6.1f} ms serial, "
                  f"{ours_parallel * 1000:6.1f} ms with {jobs} workers")
            print(f"  ratio: {ours_serial / serial:.2f} serial to serial, "
                  f"{ours_parallel / parallel:.2f} parallel to parallel")

        usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(f"\npeak memory of a build's process tree: {max(r.peak_rss for r in runs) / MB:.0f} MB resident "
              f"(summed over its processes), {max(r.peak_pss for r in runs) / MB:.0f} MB proportional; "
              f"largest single process (getrusage): {usage / MB:.0f} MB")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

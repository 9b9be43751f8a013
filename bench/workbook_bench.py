"""Benchmark: a batch read from a workbook against the same plans from JSON Lines.

    .venv/bin/python -m bench.workbook_bench [--plans 2000] [--rss-small 1000] [--rss-large 10000]

Prints the reading cost per plan (the light scan and the streamed read), the batch
throughput of the workbook ÷ that of JSON Lines (medians of alternating runs), and the
peak resident memory of a whole batch (main process and workers) at two sizes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.batch_bench import _tree_rss_kb
from plandoc.authoring.sample_plans import generated_plan
from plandoc.batch.options import BatchOptions
from plandoc.batch.runner import BatchRunner
from plandoc.plan.load import SourceDocument
from plandoc.plan.validate import validate_plan
from plandoc.schemas import Plan
from plandoc.workbook.plan_data import plain_data
from plandoc.workbook.plan_stream import read_plans
from plandoc.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent


def _plans(count: int) -> list[Plan]:
    """Generated plans (some list items hold a line break; a workbook keeps them)."""
    return [validate_plan(SourceDocument("generated", generated_plan(seed))) for seed in range(count)]


def _sources(count: int, work: Path) -> tuple[Path, Path]:
    plans = _plans(count)
    book, lines = work / f"book-{count}.xlsx", work / f"plans-{count}.jsonl"
    if not book.exists():
        write_workbook(book, plans)
        with lines.open("w", encoding="utf-8") as stream:
            for plan in plans:
                stream.write(json.dumps(plain_data(plan, tidy=True), ensure_ascii=False, default=str) + "\n")
    return book, lines


def reading(book: Path, count: int) -> None:
    start = time.perf_counter()
    plans, problems = read_plans(book)
    scanned = time.perf_counter()
    assert not problems and sum(1 for _ in plans) == count
    done = time.perf_counter()
    print(f"reading {count} plans from a workbook:")
    print(f"  scan (方案编号 columns)  {(scanned - start) / count * 1000:6.2f} ms a plan")
    print(f"  streamed read          {(done - scanned) / count * 1000:6.2f} ms a plan")


def throughput(book: Path, lines: Path, count: int, work: Path) -> None:
    rates: dict[str, list[float]] = {"workbook": [], "jsonl": []}
    for _ in range(3):  # alternate and take medians: the machines are shared and noisy
        for kind, source in (("workbook", book), ("jsonl", lines)):
            outdir = work / f"out-{kind}"
            start = time.perf_counter()
            summary = BatchRunner(BatchOptions(source=source, outdir=outdir, jobs=2)).run()
            rates[kind].append(count / (time.perf_counter() - start))
            assert summary.counts.ok == count, summary.counts
            shutil.rmtree(outdir)
    workbook, jsonl = statistics.median(rates["workbook"]), statistics.median(rates["jsonl"])
    print(f"batch of {count} plans, --jobs 2 (median of 3 alternating runs each):")
    print(f"  JSON Lines: {jsonl:6.0f} plans/s")
    print(f"  workbook:   {workbook:6.0f} plans/s   ratio {workbook / jsonl:.2f}  (target >= 0.8)")


def peak_rss(source: Path, work: Path) -> float:
    outdir = work / f"rss-out-{source.stem}"
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "batch", str(source), "-o", str(outdir), "--jobs", "2", "--quiet"], cwd=ROOT
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    stop.set()
    sampler.join()
    shutil.rmtree(outdir)
    return peak / 1024


# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over exec, so a child started
# by this process (which holds the generated plans) would report this process's size.
_READ_ALL = (
    "import sys\n"
    "from pathlib import Path\n"
    "from plandoc.workbook.plan_stream import read_plans\n"
    "plans, problems = read_plans(Path(sys.argv[1]))\n"
    "assert not problems and sum(1 for _ in plans)\n"
    "status = Path('/proc/self/status').read_text()\n"
    "print(next(line.split()[1] for line in status.splitlines() if line.startswith('VmHWM:')))\n"
)


def reader_rss(book: Path) -> float:
    """Peak resident memory, in MB, of a process that reads every plan of ``book`` and nothing else."""
    done = subprocess.run([sys.executable, "-c", _READ_ALL, str(book)], capture_output=True, text=True, check=True)
    return int(done.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--rss-small", type=int, default=1000)
    parser.add_argument("--rss-large", type=int, default=10000)
    parser.add_argument("--reader-only", action="store_true", help="Only the reader's peak memory, no batches.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.reader_only:
            small, large = (reader_rss(_sources(count, work)[0]) for count in (args.rss_small, args.rss_large))
            print("peak memory of reading every plan of a workbook (one process, no rendering):")
            print(f"  {args.rss_small} plans: {small:6.0f} MB")
            print(f"  {args.rss_large} plans: {large:6.0f} MB   ratio {large / small:.2f}")
            return
        book, lines = _sources(args.plans, work)
        reading(book, args.plans)
        throughput(book, lines, args.plans, work)
        small = peak_rss(_sources(args.rss_small, work)[0], work)
        large = peak_rss(_sources(args.rss_large, work)[0], work)
        print("peak memory of a workbook batch (main process and workers):")
        print(f"  {args.rss_small} plans: {small:6.0f} MB")
        print(f"  {args.rss_large} plans: {large:6.0f} MB   ratio {large / small:.2f}  (target <= 1.2)")


if __name__ == "__main__":
    main()

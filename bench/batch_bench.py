"""Benchmark rendering and batches; prints medians and ratios measured in one run.

    .venv/bin/python -m bench.batch_bench [--plans 200] [--batch 2000] [--rss-small 1000] [--rss-large 20000]

Per plan, on the same generated plans:
  (a) the naive docxtpl way: DocxTemplate(path).render(context, autoescape=True), then save;
  (b) plandoc's renderer (template compiled once, unchanged parts compressed once);
  (c) the floor: the template's pre-compressed unchanged parts plus compressing the
      plan's own parts as rendered (document.xml; each chart part, its relationships and
      its workbook's sheet and properties), written as a zip.
Then batch throughput with --jobs 1 and --jobs 2, and the peak memory (main process plus
workers) of a small and a large JSON Lines batch.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from plandoc.authoring.sample_plans import generated_plan
from plandoc.batch.options import BatchOptions
from plandoc.batch.runner import BatchRunner
from plandoc.charts.chart_parts import workbook_skeleton
from plandoc.charts.spec import ChartSpec, chart_specs
from plandoc.charts.workbook import CORE, SHEET
from plandoc.ooxml.coreprops import DocumentProperties
from plandoc.ooxml.document_package import read_zip
from plandoc.ooxml.zipwriter import ArchiveStart, archive, deflate, store
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.render.compiled import CompiledTemplate
from plandoc.render.sandbox import jinja_environment
from plandoc.schemas import Plan
from plandoc.templates import DEFAULT_TEMPLATE


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


_FloorInputs = tuple[bytes, list[tuple[str, bytes]], list[tuple[str, bytes, bytes, ArchiveStart]], ArchiveStart]


def _floor_inputs(
    compiled: CompiledTemplate, context: dict[str, Any], properties: DocumentProperties, specs: tuple[ChartSpec, ...]
) -> _FloorInputs:
    """A plan's rendered bytes that the floor only compresses and writes: the document body,
    each chart part and its relationships, and each workbook's per-plan sheet and properties
    (its other parts laid out once, as the renderer does)."""
    body = compiled._prefix + compiled._finish(compiled._body.render(context)) + compiled._suffix
    placed = compiled._charts.place(specs, body)
    charts: list[tuple[str, bytes]] = []
    workbooks: list[tuple[str, bytes, bytes, ArchiveStart]] = []
    for name, blob in compiled._charts.chart_parts(placed, properties):
        if name.endswith(".xlsx"):
            inner = read_zip(blob)
            count = len(next(c for c in placed if c.workbook_part == name).spec.categories)
            workbooks.append((name, inner[SHEET], inner[CORE], workbook_skeleton(count)._start))
        else:
            charts.append((name, blob))
    return body.encode(), charts, workbooks, compiled._start(placed)


def per_plan(count: int) -> None:
    derived = [derive(Plan.model_validate(generated_plan(seed))) for seed in range(count)]
    contexts = [(build_context(d), d.properties, chart_specs(d)) for d in derived]
    compiled = CompiledTemplate(DEFAULT_TEMPLATE)
    gc.freeze()  # as a batch worker does once its template is prepared; applies to all three
    # Each method has its own pass over the same plans, as a worker renders plan after
    # plan; interleaving them would time (b) right after (a) has evicted every cache.
    # Three rounds of the three passes, medians over all samples: the machines are noisy.
    naive: list[float] = []
    fast: list[float] = []
    floor: list[float] = []
    sizes = []
    floors = [_floor_inputs(compiled, context, properties, specs) for context, properties, specs in contexts]
    for _ in range(3):
        for context, _, _ in contexts:
            start = time.perf_counter()
            document = DocxTemplate(str(DEFAULT_TEMPLATE))
            document.render(context, jinja_env=jinja_environment(), autoescape=True)
            document.save(io.BytesIO())
            naive.append(time.perf_counter() - start)
        for context, properties, specs in contexts:
            start = time.perf_counter()
            data = compiled.render(context, properties, charts=specs)
            fast.append(time.perf_counter() - start)
            sizes.append(len(data))
        for body, charts, workbooks, layout in floors:
            start = time.perf_counter()
            entries = [deflate("word/document.xml", body)]
            entries += [deflate(name, blob) for name, blob in charts]
            for name, sheet, core, workbook_start in workbooks:
                inner = archive([deflate(SHEET, sheet), deflate(CORE, core)], workbook_start)
                entries.append(store(name, inner))
            archive(entries, layout)
            floor.append(time.perf_counter() - start)
    a, b, c = _median_ms(naive), _median_ms(fast), _median_ms(floor)
    print(f"per plan, median of 3 rounds over {count} plans:")
    print(f"  (a) naive docxtpl       {a:8.2f} ms")
    print(f"  (b) plandoc renderer    {b:8.2f} ms")
    print(f"  (c) zip-writing floor   {c:8.2f} ms")
    print(f"  (a)/(b) = {a / b:.1f}  (target >= 20)")
    print(f"  (b)/(c) = {b / c:.2f}  (target <= 3)")
    print(f"  .docx size: median {statistics.median(sizes) / 1024:.1f} KB, largest {max(sizes) / 1024:.1f} KB")


def _write_jsonl(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for seed in range(count):
            stream.write(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n")


def throughput(count: int, work: Path) -> None:
    source = work / "throughput.jsonl"
    _write_jsonl(source, count)
    samples: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(3):  # alternate the two settings and take medians: the machines are noisy
        for jobs in (1, 2):
            outdir = work / f"out-{jobs}"
            start = time.perf_counter()
            summary = BatchRunner(BatchOptions(source=source, outdir=outdir, jobs=jobs)).run()
            elapsed = time.perf_counter() - start
            assert summary.counts.ok == count, summary.counts
            samples[jobs].append(count / elapsed)
            shutil.rmtree(outdir)
    rates = {jobs: statistics.median(values) for jobs, values in samples.items()}
    dask_rate = _dask_rate(source, work, count)
    print(f"batch of {count} plans (median of 3 alternating runs each):")
    print(f"  --jobs 1: {rates[1]:7.0f} plans/s")
    print(f"  --jobs 2: {rates[2]:7.0f} plans/s   ratio {rates[2] / rates[1]:.2f}  (target >= 1.7)")
    if dask_rate is not None:
        overhead = (1 / dask_rate - 1 / rates[2]) * 1000
        print(
            f"  Dask, 2 worker processes: {dask_rate:7.0f} plans/s   local pool / Dask = {rates[2] / dask_rate:.2f}"
            f"   ({overhead:+.2f} ms a plan)"
        )
    else:
        print("  Dask: not installed (pip install 'plandoc[dask]')")


def _dask_rate(source: Path, work: Path, count: int) -> float | None:
    """Median throughput of three runs on a local Dask cluster with two worker processes."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    from plandoc.batch.dask_cluster import connect

    values = []
    cluster_options = {"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": ":0"}
    with LocalCluster(**cluster_options) as cluster:  # type: ignore[no-untyped-call]
        executor, disconnect, _ = connect(cluster.scheduler_address)
        try:
            for _ in range(3):
                outdir = work / "out-dask"
                start = time.perf_counter()
                summary = BatchRunner(BatchOptions(source=source, outdir=outdir, jobs=2), executor=executor).run()
                values.append(count / (time.perf_counter() - start))
                assert summary.counts.ok == count, summary.counts
                shutil.rmtree(outdir)
        finally:
            disconnect()
    return statistics.median(values)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending.extend(int(child) for child in children)
    return total


def peak_rss(count: int, work: Path) -> float:
    source = work / f"rss-{count}.jsonl"
    _write_jsonl(source, count)
    outdir = work / f"rss-out-{count}"
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "batch", str(source), "-o", str(outdir), "--jobs", "2", "--quiet"],
        cwd=Path(__file__).resolve().parent.parent,
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
    source.unlink()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--rss-small", type=int, default=1000)
    parser.add_argument("--rss-large", type=int, default=20000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    per_plan(args.plans)
    work = Path(tempfile.mkdtemp(prefix="plandoc-bench-"))
    try:
        throughput(args.batch, work)
        small, large = peak_rss(args.rss_small, work), peak_rss(args.rss_large, work)
        print("peak memory of a JSON Lines batch (main process and 2 workers):")
        print(f"  {args.rss_small} plans: {small:6.0f} MB")
        print(f"  {args.rss_large} plans: {large:6.0f} MB   ratio {large / small:.2f}  (target <= 1.2, and < 200 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark conversion: plandoc's converter against bare soffice calls, in one run.

    .venv/bin/python -m bench.convert_bench [--documents 20] [--batch-plans 100]

Prints seconds per document for (a) plandoc's Converter over N documents, (b) one
``soffice --convert-to pdf`` call over the same N files, and (c) N separate soffice
calls (cold starts), with the ratios (a)/(b) and (c)/(a). Each side gets a fresh private
profile, so all three pay the same first-start cost.

Then the PDF batch: (d) ``plandoc batch --format pdf --jobs 2`` over M plans, rendering
included, against (e) two bare ``soffice --convert-to pdf`` processes running side by side,
each over half of the same M documents already rendered; the ratio of their throughputs
(e)/(d) in time, target >= 0.9.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from plandoc.batch.options import BatchOptions
from plandoc.batch.runner import BatchRunner
from plandoc.output.libreoffice import Converter, converter_environment, find_soffice
from plandoc.pipeline import check_file, render_checked
from plandoc.plan.load import load_plan_source

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ding-qiang.yaml"


def _soffice_command(profile: Path, outdir: Path, sources: list[Path]) -> list[str]:
    return [
        find_soffice(),
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]


def _soffice(profile: Path, outdir: Path, sources: list[Path]) -> None:
    subprocess.run(
        _soffice_command(profile, outdir, sources), check=True, capture_output=True, env=converter_environment()
    )


def pdf_batch(work: Path, plans: int) -> tuple[float, float]:
    """Seconds for (d) plandoc's PDF batch on 2 workers and (e) two bare soffice processes."""
    data = load_plan_source(SAMPLE).data
    lines = []
    for index in range(plans):
        data["control"]["number"] = f"KHWH-2026-{index:04d}"
        lines.append(json.dumps(data, ensure_ascii=False))
    source = work / "batch.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    options = BatchOptions(source=source, outdir=work / "d", formats=("pdf",), jobs=2)
    summary = BatchRunner(options).run()
    batch = time.perf_counter() - start
    assert summary.counts.ok == plans, summary

    docx = render_checked(check_file(SAMPLE))
    sources = []
    for index in range(plans):
        path = work / "e-sources" / f"plan-{index:04d}.docx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(docx)
        sources.append(path)
    (work / "e").mkdir()
    halves = [sources[: plans // 2], sources[plans // 2 :]]
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            _soffice_command(work / f"profile-e{i}", work / "e", half),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=converter_environment(),
        )
        for i, half in enumerate(halves)
    ]
    for process in processes:
        process.wait()
    bare = time.perf_counter() - start
    return batch, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--batch-plans", type=int, default=100)
    arguments = parser.parse_args()
    count = arguments.documents
    work = Path(tempfile.mkdtemp(prefix="plandoc-bench-"))
    try:
        data = render_checked(check_file(SAMPLE))
        sources = []
        for index in range(count):
            source = work / f"plan-{index:03d}.docx"
            source.write_bytes(data)
            sources.append(source)

        (work / "a").mkdir()
        start = time.perf_counter()
        with Converter() as converter:
            results = converter.convert(sources, "pdf", work / "a")
            started = converter.processes_started
        plandoc = (time.perf_counter() - start) / count
        assert all(r.output for r in results)

        (work / "b").mkdir()
        start = time.perf_counter()
        _soffice(work / "profile-b", work / "b", sources)
        one_call = (time.perf_counter() - start) / count

        (work / "c").mkdir()
        start = time.perf_counter()
        for index, source in enumerate(sources):
            _soffice(work / f"profile-c{index}", work / "c", [source])
        cold = (time.perf_counter() - start) / count

        print(f"documents: {count}; LibreOffice processes started by plandoc: {started}")
        print(f"(a) plandoc Converter          {plandoc * 1000:8.0f} ms/document")
        print(f"(b) one soffice call           {one_call * 1000:8.0f} ms/document")
        print(f"(c) {count} cold soffice starts  {cold * 1000:8.0f} ms/document")
        print(f"(a)/(b) = {plandoc / one_call:.2f}   (target <= 1.5)")
        print(f"(c)/(a) = {cold / plandoc:.1f}x faster than a cold start per document")

        plans = arguments.batch_plans
        batch, bare = pdf_batch(work, plans)
        print(f"PDF batch of {plans} plans on 2 workers:")
        print(f"(d) plandoc batch --format pdf --jobs 2  {batch:7.1f} s  ({plans / batch:.2f} plans/s, with rendering)")
        print(f"(e) two bare soffice processes           {bare:7.1f} s  ({plans / bare:.2f} documents/s)")
        print(f"throughput (d)/(e) = {bare / batch:.2f}   (target >= 0.9)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

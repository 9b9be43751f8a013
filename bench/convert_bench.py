"""Benchmark conversion: plandoc's converter against bare soffice calls, in one run.

    .venv/bin/python -m bench.convert_bench [--documents 20]

Prints seconds per document for (a) plandoc's Converter over N documents, (b) one
``soffice --convert-to pdf`` call over the same N files, and (c) N separate soffice
calls (cold starts), with the ratios (a)/(b) and (c)/(a). Each side gets a fresh private
profile, so all three pay the same first-start cost.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from plandoc.output.libreoffice import Converter, converter_environment, find_soffice
from plandoc.pipeline import check_file, render_checked

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ding-qiang.yaml"


def _soffice(profile: Path, outdir: Path, sources: list[Path]) -> None:
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        env=converter_environment(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=20)
    count = parser.parse_args().documents
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
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

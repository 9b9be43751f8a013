"""Benchmark a cold start: one plan from a fresh process, against plain docxtpl's one page.

    .venv/bin/python -m bench.cold_start_bench [--runs 7]

(a) ``python -c`` importing docxtpl and rendering a one-page template (a title, three
paragraphs and a small table of tags) — what a user of plain docxtpl waits for; (b)
``python -m plandoc render`` of the sample plan (ten pages, three charts) in a fresh
process, with the prepared template in the cache; (c) the same with an empty cache (the
very first run on a machine, which prepares and stores the template and chart layouts).
Both run from compiled bytecode, as after ``pip install``. The runs alternate (a, b, a,
b, …) so that a busy machine slows both alike; medians are compared, and the ratio
(b)/(a) is the figure to keep at or below 1.0. Each run's CPU time (user + system, from
``wait4``) is compared too: on a machine other work keeps busy it varies far less than the
wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ding-qiang.yaml"

DOCXTPL_ONE_PLAN = """
import sys
from docxtpl import DocxTemplate
template = DocxTemplate(sys.argv[1])
template.render({"bank": "示范银行", "number": "KHWH-2026-001", "client": "丁强",
                 "rows": [{"name": "业务贡献度", "score": 85}, {"name": "合作稳定性", "score": 70}]})
template.save(sys.argv[2])
"""


def one_page_template(path: Path) -> None:
    """A one-page docxtpl template, written with python-docx before anything is timed."""
    import docx

    document = docx.Document()
    document.add_heading("{{ bank }}客户关系维护方案", level=1)
    document.add_paragraph("编号：{{ number }}")
    document.add_paragraph("客户：{{ client }}")
    document.add_paragraph("本方案用于示范。")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for row in rows %}"
    table.cell(1, 0).text = "{{ row.name }}"
    table.cell(1, 1).text = "{{ row.score }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.save(str(path))


CPU_TIMES: dict[str, list[float]] = {}


def timed(command: list[str], environment: dict[str, str], label: str = "") -> float:
    """Wall-clock seconds of one run; its CPU seconds are kept in CPU_TIMES under ``label``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    CPU_TIMES.setdefault(label, []).append(usage.ru_utime + usage.ru_stime)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="plandoc-cold-") as name:
        work = Path(name)
        template = work / "one-page.docx"
        one_page_template(template)
        # As installed by pip, modules run from compiled bytecode: the benchmark lets Python
        # write it (into a folder of its own) even where PYTHONDONTWRITEBYTECODE is set.
        environment = {**os.environ, "PLANDOC_CACHE_DIR": str(work / "cache"), "PYTHONPYCACHEPREFIX": str(work / "pyc")}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        docxtpl = [sys.executable, "-c", DOCXTPL_ONE_PLAN, str(template), str(work / "docxtpl.docx")]
        plandoc = [sys.executable, "-m", "plandoc", "render", str(SAMPLE), "-o", str(work / "plan.docx")]

        first = []
        for index in range(3):
            fresh = {**environment, "PLANDOC_CACHE_DIR": str(work / f"empty-cache-{index}")}
            first.append(timed(plandoc, fresh, "c"))
        timed(plandoc, environment)  # fills the cache the timed runs use
        timed(docxtpl, environment)
        a, b = [], []
        for _ in range(runs):
            a.append(timed(docxtpl, environment, "a"))
            b.append(timed(plandoc, environment, "b"))
    median_a, median_b, median_first = statistics.median(a), statistics.median(b), statistics.median(first)
    print(f"runs: {runs}, alternating; medians")
    print(f"(a) python -c docxtpl, one-page template       {median_a * 1000:7.0f} ms")
    print(f"(b) plandoc render, sample plan, cache warm     {median_b * 1000:7.0f} ms")
    print(f"(c) plandoc render, sample plan, cache empty    {median_first * 1000:7.0f} ms  (first run only)")
    print(f"(b)/(a) = {median_b / median_a:.2f}   (target <= 1.0)")
    print(f"(c)/(a) = {median_first / median_a:.2f}")
    cpu = {label: statistics.median(times) for label, times in CPU_TIMES.items()}
    print(f"CPU time (user + system), medians: (a) {cpu['a'] * 1000:.0f} ms, (b) {cpu['b'] * 1000:.0f} ms, ", end="")
    print(f"(c) {cpu['c'] * 1000:.0f} ms; (b)/(a) = {cpu['b'] / cpu['a']:.2f}")


if __name__ == "__main__":
    main()

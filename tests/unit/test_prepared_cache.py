"""The cache of prepared templates and chart layouts: fast cold starts, never a wrong document."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from plandoc.cache import CACHE_ENVIRONMENT_VARIABLE
from tests.conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "ding-qiang.yaml"
RENDER_AND_REPORT_MODULES = """
import sys
from plandoc.cli import main
try:
    main(["render", sys.argv[1], "-o", sys.argv[2]])
except SystemExit as stop:
    assert stop.code == 0, stop.code
heavy = sorted(m for m in ("docxtpl", "docx", "pptx", "xlsxwriter") if m in sys.modules)
print(",".join(heavy) or "none")
"""


def render_in_process(cache: Path | str, output: Path) -> subprocess.Popen[str]:
    environment = {**os.environ, CACHE_ENVIRONMENT_VARIABLE: str(cache)}
    return subprocess.Popen(
        [sys.executable, "-c", RENDER_AND_REPORT_MODULES, str(SAMPLE), str(output)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return stdout.strip()


def test_a_warm_cache_renders_without_docxtpl_docx_pptx_or_xlsxwriter(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = finish(render_in_process(cache, tmp_path / "first.docx"))
    second = finish(render_in_process(cache, tmp_path / "second.docx"))
    assert first != "none"  # the first run prepares, with the libraries
    assert second == "none"
    assert (tmp_path / "first.docx").read_bytes() == (tmp_path / "second.docx").read_bytes()


def test_without_a_cache_the_document_is_the_same(tmp_path: Path) -> None:
    finish(render_in_process(tmp_path / "cache", tmp_path / "cached.docx"))
    finish(render_in_process("", tmp_path / "uncached.docx"))
    assert (tmp_path / "cached.docx").read_bytes() == (tmp_path / "uncached.docx").read_bytes()


def test_a_corrupt_cache_file_is_prepared_afresh(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    finish(render_in_process(cache, tmp_path / "good.docx"))
    entries = sorted(cache.iterdir())
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    finish(render_in_process(cache, tmp_path / "again.docx"))
    assert (tmp_path / "again.docx").read_bytes() == (tmp_path / "good.docx").read_bytes()
    assert all(entry.read_bytes() != b"not a pickle" for entry in entries)


def test_concurrent_first_runs_all_succeed_and_leave_whole_entries(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    processes = [render_in_process(cache, tmp_path / f"plan{i}.docx") for i in range(4)]
    for process in processes:
        finish(process)
    outputs = {(tmp_path / f"plan{i}.docx").read_bytes() for i in range(4)}
    assert len(outputs) == 1
    names = [entry.name for entry in cache.iterdir()]
    assert all(name.endswith(".pickle") and not name.startswith(".") for name in names), names
    assert finish(render_in_process(cache, tmp_path / "after.docx")) == "none"

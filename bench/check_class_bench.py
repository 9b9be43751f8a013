"""Benchmark checking a whole class: N student documents and N plandoc-rendered plans, one gradebook each.

    .venv/bin/python -m bench.check_class_bench [--documents 60] [--jobs 2]

Student documents come from tests/classroom (12 students, each handed in N/12 times under
other names, so the copying step also has pairs to report); rendered plans are generated
plans of 7–9 pages, longer than a student's. Prints the seconds for the whole command
(gathering, checking over the pool, copying, writing the .xlsx) with the given workers
and with one, and the copying step alone. The target is a class of 60 in under a minute.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import yaml
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.check.class_check import check_class, default_jobs
from plandoc.check.copying import find_copying
from plandoc.cli import main
from plandoc.pipeline import check_file, render_checked
from tests.classroom.build import STUDENTS, write_student


def _student_class(folder: Path, documents: int) -> None:
    folder.mkdir()
    for index in range(documents):
        student = STUDENTS[index % len(STUDENTS)]  # as written: the check's speed, not LibreOffice's
        written = write_student(dataclasses.replace(student, through_libreoffice=False), folder)
        written.rename(folder / f"{index:02d}-{student.file_name}")


def _rendered_class(folder: Path, documents: int) -> None:
    folder.mkdir()
    for index in range(documents):
        source = folder / f"plan-{index:02d}.yaml"
        source.write_text(yaml.safe_dump(generated_plan(index), allow_unicode=True), encoding="utf-8")
        (folder / f"plan-{index:02d}.docx").write_bytes(render_checked(check_file(source)))
        source.unlink()


def _timed_command(folder: Path, jobs: int) -> float:
    gradebook = folder.parent / f"{folder.name}-{jobs}.xlsx"
    start = time.perf_counter()
    outcome = CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(gradebook), "--jobs", str(jobs)])
    elapsed = time.perf_counter() - start
    if outcome.exit_code not in (0, 1) or not gradebook.exists():
        raise SystemExit(f"check failed ({outcome.exit_code}): {outcome.output[-500:]}")
    return elapsed


def _copying_seconds(folder: Path) -> tuple[float, int]:
    result = check_class([folder], jobs=default_jobs())
    documents = [(check.name, check.paragraphs) for check in result.checks]
    start = time.perf_counter()
    pairs = find_copying(documents)
    return time.perf_counter() - start, len(pairs)


def main_bench() -> None:
    """Build both classes, check each with the pool and with one worker, print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plandoc-class-bench-") as scratch:
        classes = {"student documents": Path(scratch, "students"), "rendered plans": Path(scratch, "rendered")}
        _student_class(classes["student documents"], options.documents)
        _rendered_class(classes["rendered plans"], options.documents)
        print(f"{options.documents} documents per class, {options.jobs} worker(s) against 1")
        for label, folder in classes.items():
            pooled = _timed_command(folder, options.jobs)
            single = _timed_command(folder, 1)
            copying, pairs = _copying_seconds(folder)
            print(
                f"{label:18} {pooled:6.1f} s with {options.jobs} ({options.documents / pooled:5.1f} documents/s), "
                f"{single:6.1f} s with 1 (×{single / pooled:.2f}); copying {copying * 1000:.0f} ms, {pairs} pairs"
            )


if __name__ == "__main__":
    main_bench()

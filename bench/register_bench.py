"""Benchmark: what registering costs a docx batch on SQLite, measured side by side.

    .venv/bin/python -m bench.register_bench [--plans 2000] [--jobs 2] [--rounds 3]

Each round runs the same JSON Lines batch twice, alternating which goes first: once
plain, once with ``--register`` (a fresh SQLite register, stamped controlled copies, each
plan under its own savepoint, committed a chunk at a time). Each run writes into a fresh
folder, so nothing is up to date.
Prints the median time of each and their ratio (the target is at most 1.10), the CPU
time of each (main process and workers, which the machine's other load disturbs less than
wall time), and the CPU time spent in the register callback itself.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from plandoc.authoring.sample_plans import generated_plan
from plandoc.batch.options import BatchOptions
from plandoc.batch.results import PlanResult
from plandoc.batch.runner import BatchRunner
from plandoc.register.batch_hook import BatchRegistration
from plandoc.register.queries import list_documents

TARGET = 1.10


def _write_jsonl(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for seed in range(count):
            stream.write(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n")


class _TimedRegistration(BatchRegistration):
    """The batch hook, timing itself: the register's own cost, apart from the machine's noise."""

    spent = 0.0

    def __call__(self, finished: Sequence[PlanResult]) -> None:
        started = time.thread_time()  # CPU time: the machine's other load does not count
        super().__call__(finished)
        self.spent += time.thread_time() - started


_callback_seconds: list[float] = []
_cpu_seconds: dict[bool, list[float]] = {False: [], True: []}


def _cpu_so_far() -> float:
    """CPU time of this process and its finished children (the batch's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(source: Path, work: Path, jobs: int, *, register: bool, count: int) -> float:
    outdir = work / ("registered" if register else "plain")
    shutil.rmtree(outdir, ignore_errors=True)
    database = work / "register.sqlite"
    for leftover in work.glob("register.sqlite*"):
        leftover.unlink()
    options = BatchOptions(source=source, outdir=outdir, jobs=jobs)
    registration = None
    started, cpu_started = time.perf_counter(), _cpu_so_far()
    if register:
        options.controlled = str(database)
        registration = _TimedRegistration(str(database), str(outdir), options.template, options.profile)
    try:
        summary = BatchRunner(options, on_issued=registration).run()
    finally:
        if registration is not None:
            registration.close()
    elapsed = time.perf_counter() - started
    _cpu_seconds[register].append(_cpu_so_far() - cpu_started)
    assert summary.counts.ok == count, summary.counts
    if registration is not None:
        _callback_seconds.append(registration.spent)
        assert registration.registered == count
        with registration.engine.connect() as connection:
            assert len(list_documents(connection)) == count
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plandoc-register-bench-"))
    try:
        source = work / "plans.jsonl"
        _write_jsonl(source, arguments.plans)
        times: dict[bool, list[float]] = {False: [], True: []}
        for round_number in range(arguments.rounds):
            order = (False, True) if round_number % 2 == 0 else (True, False)
            for register in order:
                times[register].append(_run(source, work, arguments.jobs, register=register, count=arguments.plans))
        plain, registered = (statistics.median(times[flag]) for flag in (False, True))
        print(f"docx batch of {arguments.plans} plans, --jobs {arguments.jobs}, medians of {arguments.rounds} rounds:")
        print(f"  plain:             {plain:6.2f} s  ({arguments.plans / plain:5.0f} plans/s)")
        print(f"  with --register:   {registered:6.2f} s  ({arguments.plans / registered:5.0f} plans/s)")
        print(f"  ratio {registered / plain:.3f}  (target <= {TARGET:.2f})")
        print(f"  difference: {(registered - plain) / arguments.plans * 1000:.3f} ms a plan")
        cpu_plain, cpu_registered = (statistics.median(_cpu_seconds[flag]) for flag in (False, True))
        print(f"  CPU time, main process and workers: {cpu_plain:.2f} s vs {cpu_registered:.2f} s, "
              f"ratio {cpu_registered / cpu_plain:.3f}")  # fmt: skip
        callback = statistics.median(_callback_seconds)
        print(
            f"  CPU time of the register callback: {callback / arguments.plans * 1000:.3f} ms a plan, "
            f"{callback / plain:.1%} of the plain batch's time"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The batch runner's bookkeeping, driven by an executor whose chunks finish out of order."""

from __future__ import annotations

import concurrent.futures as futures
import json
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from distributed.comm.core import CommClosedError
from distributed.scheduler import KilledWorker

from plandoc.batch.options import BatchOptions
from plandoc.batch.results import OutputRecord, PlanResult, PlanStatus
from plandoc.batch.runner import BatchRunner
from plandoc.batch.sources import BatchItem
from plandoc.batch.worker import WorkItem, chunk_failure
from plandoc.diagnostics import Diagnostic, Severity
from tests.plans import plan


class _OutOfOrder(futures.Executor):
    """Chunk 0 never starts (so Ctrl-C cancels it), chunks 1 and 2 finish at once, Ctrl-C comes on chunk 3."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        _, chunk = args
        index = self.submitted
        self.submitted += 1
        if index == 3:
            raise KeyboardInterrupt
        future: futures.Future[list[PlanResult]] = futures.Future()
        if index > 0:
            future.set_result([_ok(work) for work in chunk])
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def _ok(work: WorkItem) -> PlanResult:
    return PlanResult(work.item.index, work.item.file, work.item.line, work.name, PlanStatus.OK, work.fingerprint)


def test_an_interrupted_batch_reports_each_plan_once_in_order(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        for number in range(6):
            data = plan()
            data["control"] = dict(data["control"], number=f"K-{number}")
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    options = BatchOptions(source=source, outdir=tmp_path / "out", jobs=1, chunk_size=1)
    summary = BatchRunner(options, executor=lambda jobs: _OutOfOrder()).run()
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert summary.interrupted
    # plan 3 was being sent when the stop came: it is reported not run, as the cancelled plan 0 is
    assert [(p["index"], p["status"]) for p in report["plans"]] == [
        (0, "not-run"),
        (1, "ok"),
        (2, "ok"),
        (3, "not-run"),
    ]
    assert (summary.counts.ok, report["summary"]["ok"]) == (2, 2)


def test_a_plan_result_travels_through_the_results_file_unchanged() -> None:
    warning = Diagnostic(Severity.WARNING, "unanswered-problem", "P1 has no measure", "a.jsonl", 3, 5, "visits[0]")
    result = PlanResult(2, "a.jsonl", 3, "K-1", PlanStatus.OK, "f" * 64, diagnostics=[warning])
    result.outputs["docx"] = OutputRecord("K-1.docx", "0" * 64, 1234)
    line = json.dumps(result.to_dict(), ensure_ascii=False)
    assert PlanResult.from_dict(json.loads(line)) == result
    assert json.loads(line)["status"] == "ok"
    assert json.loads(line)["outputs"] == {"docx": {"path": "K-1.docx", "sha256": "0" * 64, "size": 1234}}


def test_failing_a_plan_hands_back_its_outputs_for_removal() -> None:
    result = PlanResult(0, "a.yaml", None, "K-1", PlanStatus.OK)
    result.outputs["docx"] = OutputRecord("K-1.docx", "0" * 64, 1)
    collision = Diagnostic(Severity.ERROR, "name-collision", "b.yaml maps to the same output name")
    assert result.fail(collision) == [OutputRecord("K-1.docx", "0" * 64, 1)]
    assert (result.status, result.outputs, result.diagnostics) == (PlanStatus.FAILED, {}, [collision])


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (BrokenProcessPool("a worker died"), "worker"),
        (KilledWorker("render_chunk-1", None, 3), "worker"),  # type: ignore[arg-type]  # Dask: a worker killed
        (CommClosedError("connection to the worker closed"), "worker"),
        (KeyError("a bug inside render_chunk"), "internal"),
    ],
)
def test_a_lost_worker_is_not_reported_as_a_bug_and_a_bug_is(error: Exception, code: str) -> None:
    work = WorkItem(BatchItem(0, "plans.jsonl", 1), "plan-1", "")
    (diagnostic,) = chunk_failure(work, error).diagnostics
    assert diagnostic.code == code
    assert (diagnostic.file, diagnostic.line) == ("plans.jsonl", 1)


class _DiesMidWrite(futures.Executor):
    """The first chunk's worker dies (as a killed one does) after starting a plan's file; later chunks succeed."""

    died = False

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        _, chunk = args
        future: futures.Future[list[PlanResult]] = futures.Future()
        if not _DiesMidWrite.died:
            _DiesMidWrite.died = True
            (self.outdir / f".{chunk[0].name}.docx.99999.1.part").write_bytes(b"half a document")
            future.set_exception(BrokenProcessPool("a worker was killed"))
        else:
            future.set_result([_ok(work) for work in chunk])
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def test_a_killed_workers_half_written_file_is_removed(tmp_path: Path) -> None:
    source, outdir = tmp_path / "plans.jsonl", tmp_path / "out"
    source.write_text(json.dumps(plan(), ensure_ascii=False) + "\n", encoding="utf-8")
    _DiesMidWrite.died = False
    summary = BatchRunner(
        BatchOptions(source=source, outdir=outdir, jobs=1), executor=lambda jobs: _DiesMidWrite(outdir)
    ).run()
    assert _DiesMidWrite.died and summary.counts.ok == 1  # sent again on a fresh pool, and rendered
    assert list(outdir.glob(".*.part")) == []

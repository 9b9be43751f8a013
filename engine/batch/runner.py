"""Batch stage: render many plans into one folder, isolating failures, resumable.

The runner reads the source lazily, names each plan, refuses colliding names, skips
plans whose outputs are already up to date, and hands chunks of plans to an executor
(a local process pool by default). Results are written to disk in input order as they
arrive, so memory stays flat however many plans there are, and an interrupted batch
leaves a record of everything it finished.

Files in OUTDIR:
- ``batch-report.json`` (and ``--report-csv``): every plan's source, output, status,
  diagnostics and SHA-256, written when the batch ends (also after Ctrl-C); see
  ``batch_report``.
- ``.plandoc-batch/state.jsonl``: what each finished plan was rendered from; survives a
  killed batch and decides what the next run may skip; see ``resume``.
"""

from __future__ import annotations

import concurrent.futures as futures
import dataclasses
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from plandoc import __version__
from plandoc.batch.batch_report import REPORT_NAME, report_header, write_batch_report
from plandoc.batch.chunking import chunk_size
from plandoc.batch.interrupts import (
    EXIT_INTERRUPTED,
    exit_code_of,
    interrupts_deferred,
    interrupts_held,
    stop_requested,
)
from plandoc.batch.naming import NamePattern
from plandoc.batch.options import BatchOptions, BatchSummary
from plandoc.batch.results import BatchCounts, PlanResult, PlanStatus
from plandoc.batch.resume import STATE_NAME, WORK_FOLDER, ResumeState, fingerprint
from plandoc.batch.sources import BatchItem, count_plans, iterate_source
from plandoc.batch.worker import BatchSettings, WorkItem, chunk_failure, process_pool, render_chunk
from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import INTERNAL_ERROR_CODE, OutputError, OutputNameError
from plandoc.input_file import read_template_file
from plandoc.output.atomic import check_destination, own_folder
from plandoc.output.formats import check_converter_available
from plandoc.output.store import OutputStore
from plandoc.render.compiled import prepare_renderer

ExecutorFactory = Callable[[int], futures.Executor]
Progress = Callable[[BatchCounts], None]


class BatchRunner:
    """Runs one batch; see the module docstring."""

    def __init__(
        self,
        options: BatchOptions,
        *,
        executor: ExecutorFactory = process_pool,
        progress: Progress | None = None,
        on_issued: Callable[[list[PlanResult]], None] | None = None,
    ) -> None:
        """``on_issued`` is called in the main process with the rendered plans, a run at a time in input
        order, before anything records them; it may turn a plan into a failure (``batch --register``)."""
        self.options = options
        self.on_issued = on_issued
        self.executor_factory = executor
        self.progress = progress or (lambda counts: None)
        self.pattern = NamePattern(options.name_pattern)
        check_converter_available(options.formats)
        self.notice = prepare_renderer(options.template, options.profile).notice
        template = read_template_file(options.template)
        template_hash = hashlib.sha256(template).hexdigest()
        profile_json = options.profile.model_dump_json() if options.profile else None
        self.fingerprint_context = json.dumps(
            [__version__, template_hash, profile_json, options.formats, options.strict]
            + ([options.controlled] if options.controlled is not None else []),
            sort_keys=True,
        )
        self.store = OutputStore(options.outdir)
        # A worker, on this machine or on a cluster, starts in a folder of its own: it is given
        # the output folder as an absolute path, and the template itself rather than its name.
        self.settings = BatchSettings(
            str(self.store.folder.absolute()) if self.store.folder is not None else str(options.outdir),
            options.formats,
            str(options.template),
            profile_json,
            options.strict,
            "",  # the work folder, made when the run starts
            template_bytes=template,
            template_sha256=template_hash,
            controlled=options.controlled is not None,
            time_limit=options.time_limit,
        )
        self.counts = BatchCounts()
        self._names: dict[str, tuple[int, str]] = {}
        self._collided: dict[int, str] = {}
        self._pending: dict[int, PlanResult] = {}
        self._next_index = 0
        self._stopped_with = EXIT_INTERRUPTED

    # -- set-up ----------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        self.store.prepare()
        if self.store.folder is not None:
            own_folder(self.store.folder / WORK_FOLDER)
            # Refused now rather than after every plan is rendered: a link, a folder or a pipe
            # where the journal or a report goes.
            for destination in (self.store.folder / WORK_FOLDER / STATE_NAME, self.store.folder / REPORT_NAME):
                check_destination(destination)
            self._remove_leftover_parts()  # of a batch that was killed
        if self.options.report_csv is not None:
            check_destination(self.options.report_csv)

    def _remove_leftover_parts(self) -> None:
        """Remove the temporary files (``.NAME.….part``) a killed batch or worker left in the output folder."""
        for leftover in self.store.folder.glob(".*.part") if self.store.folder is not None else ():
            if leftover.is_file() and not leftover.is_symlink():  # a folder of that name is not ours
                leftover.unlink()

    # -- naming, collisions, resume --------------------------------------------------

    def _plan_work(self, item: BatchItem, state: ResumeState) -> WorkItem | PlanResult:
        if item.error is not None:
            return PlanResult.of(item, None, PlanStatus.FAILED, diagnostics=[item.error])
        try:
            name = self.pattern.name_for(item.data)
        except OutputNameError as exc:
            return _failure(item, None, OutputNameError.code, str(exc))
        key = name.casefold()  # two names differing only in case collide on Windows and macOS
        if key in self._names:
            first_index, first_origin = self._names[key]
            self._collided[first_index] = f"{item.origin} maps to the same output name {name!r}"
            return _failure(
                item, name, "name-collision", f"output name {name!r} is also the name of the plan at {first_origin}"
            )
        self._names[key] = (item.index, item.origin)
        if item.index in self._collided:  # known before any plan is issued (see _find_collisions)
            return _failure(item, name, "name-collision", self._collided[item.index])
        plan_fingerprint = fingerprint(item, self.fingerprint_context)
        records = state.up_to_date(name, plan_fingerprint, self.options.formats)
        if records is not None:
            result = PlanResult.of(item, name, PlanStatus.UP_TO_DATE, plan_fingerprint)
            result.outputs.update(records)
            return result
        changed = [] if self.options.force else state.changed_since_written(name)
        if changed:
            message = (
                f"{', '.join(changed)} 在上次写入后被修改过，未覆盖；加 --force 可覆盖 | "
                "changed since plandoc wrote it, so it is left alone; add --force to replace it"
            )
            warning = Diagnostic(Severity.WARNING, "modified", message, item.file, item.line)
            return PlanResult.of(item, name, PlanStatus.MODIFIED, plan_fingerprint, [warning])
        if item.text is not None:  # the worker parses the line itself: text pickles faster than data
            item.data = None
        return WorkItem(item, name, plan_fingerprint)

    def _find_collisions(self) -> None:
        """Name every plan before rendering any, so the first plan of a name collision fails up front.

        Without it the first plan is found colliding only when a later one takes its name,
        after it was written; it then fails in the report. A controlled copy, though, is
        registered as soon as it is written, and a register entry is never taken back: so
        when plans are registered (``--register``), one naming pass over the source comes first.
        """
        firsts: dict[str, tuple[int, str]] = {}
        for item in iterate_source(self.options.source):
            if item.error is not None:
                continue
            try:
                name = self.pattern.name_for(item.data)
            except OutputNameError:
                continue
            first = firsts.setdefault(name.casefold(), (item.index, item.origin))
            if first[0] != item.index:
                self._collided.setdefault(first[0], f"{item.origin} maps to the same output name {name!r}")

    # -- results in input order ------------------------------------------------------

    def _accept(self, result: PlanResult, results: TextIO, state: ResumeState) -> None:
        self._pending[result.index] = result
        self._flush(results, state)

    def _flush(self, results: TextIO, state: ResumeState) -> None:
        """Write the pending results that follow on from the last one written, in order.

        They go to ``on_issued`` together (a register commits them at once), and only then to
        the journal: a plan the journal knows has been registered.
        """
        while self._next_index in self._pending:
            with interrupts_deferred():  # the results and their journal lines are written together
                ready: list[PlanResult] = []
                while self._next_index in self._pending:
                    ready.append(self._pending.pop(self._next_index))
                    self._next_index += 1
                if self.on_issued is not None:
                    self.on_issued([result for result in ready if result.status is PlanStatus.OK])
                for result in ready:
                    self._write(result, results, state)
            self.progress(self.counts)

    def _write(self, result: PlanResult, results: TextIO, state: ResumeState) -> None:
        if result.status is PlanStatus.OK:
            state.record(result)
        results.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        if any(diagnostic.code == INTERNAL_ERROR_CODE for diagnostic in result.diagnostics):
            self.counts.internal_errors += 1
        self.counts.count(result.status)

    # -- the run -----------------------------------------------------------------------

    def run(self) -> BatchSummary:
        """Run the batch to the end (or to Ctrl-C) and write the report."""
        self._prepare_folder()
        if self.options.controlled is not None:
            self._find_collisions()
        state = ResumeState(self.store)
        try:
            work = Path(tempfile.mkdtemp(prefix="plandoc-batch-"))
        except OSError as exc:
            raise OutputError.from_os(Path(tempfile.gettempdir()), exc) from None
        self.settings = dataclasses.replace(self.settings, work_dir=str(work))
        results_path = work / "results.jsonl"
        interrupted = False
        # From the first plan to the report, Ctrl-C and SIGTERM are requests: the batch stops
        # sending plans, finishes those in flight and writes its report (interrupts_held says
        # why). One asked for once every plan was sent lets the batch end as it was ending.
        with interrupts_held() as received:
            try:
                try:
                    with results_path.open("w", encoding="utf-8") as results:
                        interrupted = self._dispatch(iterate_source(self.options.source), results, state, received)
                        self._remove_leftover_parts()  # of a worker killed mid-write; every worker has ended
                        # After an interruption some indexes never come back: skip over each gap and
                        # write what did come back, in order, each result once.
                        while self._pending:
                            self._next_index = min(self._pending)
                            self._flush(results, state)
                except OSError as exc:  # the temporary folder's disk is full, or it is too small
                    raise OutputError.from_os(Path(exc.filename or results_path), exc) from None
                state.close()
                report = write_batch_report(
                    self.store,
                    self._finalised(results_path),
                    lambda: report_header(self.options, self.counts, interrupted),
                    self.options.report_csv,
                )
            finally:
                state.close()
                shutil.rmtree(work, ignore_errors=True)
        return BatchSummary(self.counts, interrupted, report, self._stopped_with)

    def _dispatch(self, items: Iterator[BatchItem], results: TextIO, state: ResumeState, received: list[int]) -> bool:
        """Send chunks to the executor with a bounded number in flight; True if interrupted.

        A chunk whose worker died is sent again one plan at a time, each alone in flight
        among the plans sent again (in a fresh pool when the old one broke), so only the
        plan that kills its worker fails. ``received`` fills with Ctrl-C and SIGTERM.
        """
        executor = self.executor_factory(self.options.jobs)
        in_flight: dict[futures.Future[list[PlanResult]], list[WorkItem]] = {}
        limit = max(2, self.options.jobs * 3)
        size = self.options.chunk_size or chunk_size(
            count_plans(self.options.source), self.options.jobs, self.options.formats
        )
        chunk: list[WorkItem] = []
        again: list[list[WorkItem]] = []
        tries: dict[int, int] = {}  # a plan alone may be caught in a pool another plan broke: it gets two tries
        pools = {0: executor}  # the pool each future was sent to, by number; the current is the last
        sent_to: dict[futures.Future[list[PlanResult]], int] = {}
        alone: set[futures.Future[list[PlanResult]]] = set()
        interrupted = False

        def submit(work: list[WorkItem]) -> futures.Future[list[PlanResult]]:
            nonlocal executor
            try:
                future = executor.submit(render_chunk, self.settings, work)
            except futures.BrokenExecutor:
                renew(len(pools) - 1)
                future = executor.submit(render_chunk, self.settings, work)
            in_flight[future] = work
            sent_to[future] = len(pools) - 1
            return future

        def send_one_again() -> None:
            if again and not interrupted and not received and not alone.intersection(in_flight):
                alone.add(submit(again.pop(0)))

        def renew(broken: int) -> None:
            nonlocal executor
            if broken == len(pools) - 1:  # the current pool broke: the plans still to go need a new one
                executor.shutdown(wait=False, cancel_futures=True)
                executor = pools[len(pools)] = self.executor_factory(self.options.jobs)

        def stop_if_asked() -> None:
            stop = None if interrupted else stop_requested(received)
            if stop is not None:
                raise stop

        def collect(block: bool) -> None:
            send_one_again()
            if not in_flight:
                return
            # Blocking waits wake up now and then to see whether a stop was asked for.
            done: set[futures.Future[list[PlanResult]]] = set()
            while not done:
                done, _ = futures.wait(in_flight, timeout=0.2 if block else 0, return_when=futures.FIRST_COMPLETED)
                if not block or (received and not interrupted):
                    break
            for future in done:
                chunk_items = in_flight.pop(future)
                pool = sent_to.pop(future)
                alone.discard(future)
                try:
                    chunk_results = future.result()
                except Exception as exc:  # a worker died: its plans go again alone, or fail alone
                    if isinstance(exc, futures.BrokenExecutor):
                        renew(pool)
                    index = chunk_items[0].item.index
                    tries[index] = tries.get(index, 0) + (len(chunk_items) == 1)
                    if len(chunk_items) > 1 or tries[index] < 2:
                        again.extend([work] for work in chunk_items)
                        continue
                    chunk_results = [self._worker_died(chunk_items[0], exc)]
                self._pending.update((result.index, result) for result in chunk_results)
                self._flush(results, state)  # the chunk at once: a register commits it together
            send_one_again()

        try:
            for item in items:
                stop_if_asked()
                planned = self._plan_work(item, state)
                if isinstance(planned, PlanResult):
                    self._accept(planned, results, state)
                    continue
                chunk.append(planned)
                if len(chunk) >= size:
                    submit(chunk)
                    chunk = []
                    while len(in_flight) >= limit:
                        collect(block=True)
                        stop_if_asked()
                collect(block=False)
            stop_if_asked()
            if chunk:
                submit(chunk)
            while in_flight or again:
                collect(block=True)
                stop_if_asked()
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (Terminated)
            interrupted = True
            self._stopped_with = exit_code_of(stop)
            for future, chunk_items in list(in_flight.items()):
                if future.cancel():
                    in_flight.pop(future)
                    again.append(chunk_items)
            while in_flight:
                collect(block=True)
            for work in (work for chunk_items in (*again, chunk) for work in chunk_items):  # chunk: never sent
                self._pending[work.item.index] = PlanResult.of(
                    work.item, work.name, PlanStatus.NOT_RUN, work.fingerprint
                )
            return True
        finally:
            for pool in pools.values():
                pool.shutdown(wait=True, cancel_futures=True)
        return False

    def _worker_died(self, work: WorkItem, error: Exception) -> PlanResult:
        """The failure of a plan whose chunk failed even alone, with anything it wrote before removed."""
        for target_format in self.options.formats:
            self.store.remove(f"{work.name}.{target_format}")
        return chunk_failure(work, error)

    # -- reports -----------------------------------------------------------------------

    def _finalised(self, results_path: Path) -> Iterator[PlanResult]:
        """The results file read back, with the first plan of each name collision failed too."""
        with results_path.open(encoding="utf-8") as results:
            for line in results:
                result = PlanResult.from_dict(json.loads(line))
                reason = self._collided.get(result.index)
                if reason is not None and result.status in (PlanStatus.OK, PlanStatus.UP_TO_DATE):
                    self.counts.count(result.status, -1)
                    collision = Diagnostic(Severity.ERROR, "name-collision", reason, result.file, result.line)
                    for record in result.fail(collision):
                        self.store.remove(record.path)
                    self.counts.count(result.status)
                yield result


def _failure(item: BatchItem, name: str | None, code: str, message: str) -> PlanResult:
    diagnostic = Diagnostic(Severity.ERROR, code, message, item.file, item.line)
    return PlanResult.of(item, name, PlanStatus.FAILED, diagnostics=[diagnostic])

"""Batch stage: render many plans into one folder, isolating failures, resumable.

The runner reads the source lazily, names each plan, refuses colliding names, skips
plans whose outputs are already up to date, and hands chunks of plans to an executor
(a local process pool by default). Results are written to disk in input order as they
arrive, so memory stays flat however many plans there are, and an interrupted batch
leaves a record of everything it finished.

Files in OUTDIR:
- ``batch-report.json`` (and ``--report-csv``): every plan's source, output, status,
  diagnostics and SHA-256, written when the batch ends (also after Ctrl-C).
- ``.plandoc-batch/state.jsonl``: what each finished plan was rendered from; survives a
  killed batch and decides what the next run may skip.
"""

from __future__ import annotations

import concurrent.futures as futures
import contextlib
import csv
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from plandoc import __version__
from plandoc.batch.chunking import chunk_size
from plandoc.batch.naming import NamePattern
from plandoc.batch.sources import BatchItem, count_plans, iterate_source
from plandoc.batch.worker import WORK_FOLDER, BatchSettings, PlanResult, WorkItem, ignore_interrupts, render_chunk
from plandoc.errors import Diagnostic, OutputError, Severity
from plandoc.output.formats import check_converter_available
from plandoc.output.store import OutputStore
from plandoc.render.compiled import prepare_renderer
from plandoc.schemas.profile import StyleProfile
from plandoc.templates import DEFAULT_TEMPLATE

REPORT_NAME = "batch-report.json"
REPORT_VERSION = 1
STATE_NAME = "state.jsonl"
STATE_PIECE = 64
ExecutorFactory = Callable[[int], futures.Executor]
Progress = Callable[["BatchCounts"], None]


@dataclass
class BatchCounts:
    """Running totals, passed to the progress display."""

    total: int | None = None
    ok: int = 0
    up_to_date: int = 0
    failed: int = 0

    @property
    def done(self) -> int:
        """Plans finished one way or another."""
        return self.ok + self.up_to_date + self.failed


@dataclass
class BatchOptions:
    """Everything a batch run is asked to do."""

    source: Path
    outdir: Path | str
    """A folder, or an fsspec URL such as s3://bucket/plans/."""
    name_pattern: str = "{control.number}-{client.name}.docx"
    formats: tuple[str, ...] = ("docx",)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    strict: bool = False
    template: Path = DEFAULT_TEMPLATE
    profile: StyleProfile | None = None
    report_csv: Path | None = None
    chunk_size: int | None = None
    """Plans per task; by default balanced across the workers (see ``batch.chunking``)."""


@dataclass
class BatchSummary:
    """How a batch ended."""

    counts: BatchCounts
    interrupted: bool
    report: str

    @property
    def exit_code(self) -> int:
        """0 all done, 1 some plan failed, 130 interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.counts.failed else 0


def process_pool(jobs: int) -> futures.Executor:
    """The default executor: one worker process per job, each ignoring Ctrl-C."""
    return futures.ProcessPoolExecutor(max_workers=jobs, initializer=ignore_interrupts)


def _fingerprint(item: BatchItem, context: str) -> str:
    payload = item.text if item.text is not None else json.dumps(item.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{context}\n{payload}".encode()).hexdigest()


class _State:
    """What earlier runs rendered: output name → (fingerprint, output hashes).

    In a folder it is one journal, appended and flushed as each plan finishes, so a
    killed batch loses nothing. At a URL, where objects cannot be appended to, it is
    written in pieces of STATE_PIECE lines.
    """

    def __init__(self, store: OutputStore) -> None:
        self.store = store
        self.previous: dict[str, tuple[str, dict[str, str]]] = {}
        names = [f"{WORK_FOLDER}/{STATE_NAME}"] if store.is_local else store.names(f"{WORK_FOLDER}/state-")
        for name in names:
            for line in (store.read(name) or b"").decode("utf-8", "replace").splitlines():
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    entry = json.loads(line)
                    self.previous[entry["name"]] = (entry["fingerprint"], entry["outputs"])
        self._stream: TextIO | None = None
        self._piece: list[str] = []
        self._run = uuid.uuid4().hex[:12]
        self._pieces = 0

    def up_to_date(self, name: str, fingerprint: str, formats: tuple[str, ...]) -> dict[str, Any] | None:
        """The output records if ``name`` was rendered from the same input and its files are intact."""
        known = self.previous.get(name)
        if known is None or known[0] != fingerprint or set(known[1]) != set(formats):
            return None
        records = {}
        for fmt, digest in known[1].items():
            data = self.store.read(f"{name}.{fmt}")
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                return None
            records[fmt] = {"path": f"{name}.{fmt}", "sha256": digest, "size": len(data)}
        return records

    def record(self, result: PlanResult) -> None:
        """Remember a successfully rendered plan."""
        outputs = {fmt: record["sha256"] for fmt, record in result.outputs.items()}
        line = json.dumps({"name": result.name, "fingerprint": result.fingerprint, "outputs": outputs},
                          ensure_ascii=False) + "\n"  # fmt: skip
        if self.store.folder is not None:
            if self._stream is None:
                self._stream = (self.store.folder / WORK_FOLDER / STATE_NAME).open("a", encoding="utf-8")
            self._stream.write(line)
            self._stream.flush()
            return
        self._piece.append(line)
        if len(self._piece) >= STATE_PIECE:
            self._write_piece()

    def _write_piece(self) -> None:
        if self._piece:
            self._pieces += 1
            name = f"{WORK_FOLDER}/state-{self._run}-{self._pieces:06d}.jsonl"
            self.store.write(name, "".join(self._piece).encode("utf-8"))
            self._piece = []

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._write_piece()


class BatchRunner:
    """Runs one batch; see the module docstring."""

    def __init__(
        self, options: BatchOptions, *, executor: ExecutorFactory = process_pool, progress: Progress | None = None
    ) -> None:
        self.options = options
        self.executor_factory = executor
        self.progress = progress or (lambda counts: None)
        self.pattern = NamePattern(options.name_pattern)
        check_converter_available(options.formats)
        self.notice = prepare_renderer(options.template, options.profile).notice
        template_hash = hashlib.sha256(options.template.read_bytes()).hexdigest()
        profile_json = options.profile.model_dump_json() if options.profile else None
        self.fingerprint_context = json.dumps(
            [__version__, template_hash, profile_json, options.formats, options.strict], sort_keys=True
        )
        self.store = OutputStore(options.outdir)
        self.work = Path(tempfile.mkdtemp(prefix="plandoc-batch-"))
        self.settings = BatchSettings(
            str(options.outdir), options.formats, str(options.template), profile_json, options.strict, str(self.work)
        )
        self.counts = BatchCounts()
        self._names: dict[str, tuple[int, str]] = {}
        self._collided: dict[int, str] = {}
        self._pending: dict[int, PlanResult] = {}
        self._next_index = 0
        self._csv_started = False

    # -- set-up ----------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        self.store.prepare()
        if self.store.folder is not None:
            try:
                (self.store.folder / WORK_FOLDER).mkdir(exist_ok=True)
            except OSError as exc:
                raise OutputError(self.store.folder, exc.strerror or str(exc)) from None
            for leftover in self.store.folder.glob(".*.part"):  # temporary files of a batch that was killed
                leftover.unlink()

    # -- naming, collisions, resume --------------------------------------------------

    def _plan_work(self, item: BatchItem, state: _State) -> WorkItem | PlanResult:
        if item.error is not None:
            return PlanResult(item.index, item.file, item.line, None, "failed", diagnostics=[item.error.to_dict()])
        try:
            name = self.pattern.name_for(item.data)
        except LookupError as exc:
            return self._failure(item, None, "name", f"cannot name the output: {exc}")
        key = name.casefold()  # two names differing only in case collide on Windows and macOS
        if key in self._names:
            first_index, first_origin = self._names[key]
            self._collided[first_index] = f"{item.origin} maps to the same output name {name!r}"
            return self._failure(
                item, name, "name-collision", f"output name {name!r} is also the name of the plan at {first_origin}"
            )
        self._names[key] = (item.index, item.origin)
        fingerprint = _fingerprint(item, self.fingerprint_context)
        records = state.up_to_date(name, fingerprint, self.options.formats)
        if records is not None:
            return PlanResult(item.index, item.file, item.line, name, "up-to-date", fingerprint, outputs=records)
        if item.text is not None:  # the worker parses the line itself: text pickles faster than data
            item.data = None
        return WorkItem(item, name, fingerprint)

    @staticmethod
    def _failure(item: BatchItem, name: str | None, code: str, message: str) -> PlanResult:
        diagnostic = Diagnostic(Severity.ERROR, code, message, item.file, item.line)
        return PlanResult(item.index, item.file, item.line, name, "failed", diagnostics=[diagnostic.to_dict()])

    # -- results in input order ------------------------------------------------------

    def _accept(self, result: PlanResult, results: TextIO, state: _State) -> None:
        self._pending[result.index] = result
        self._flush(results, state)

    def _flush(self, results: TextIO, state: _State) -> None:
        """Write the pending results that follow on from the last one written, in order."""
        while self._next_index in self._pending:
            ready = self._pending.pop(self._next_index)
            self._next_index += 1
            results.write(ready.to_json() + "\n")
            if ready.status == "ok":
                state.record(ready)
                self.counts.ok += 1
            elif ready.status == "up-to-date":
                self.counts.up_to_date += 1
            else:
                self.counts.failed += 1
            self.progress(self.counts)

    # -- the run -----------------------------------------------------------------------

    def run(self) -> BatchSummary:
        """Run the batch to the end (or to Ctrl-C) and write the report."""
        self._prepare_folder()
        state = _State(self.store)
        results_path = self.work / "results.jsonl"
        interrupted = False
        try:
            with results_path.open("w", encoding="utf-8") as results:
                interrupted = self._dispatch(iterate_source(self.options.source), results, state)
                # After an interruption some indexes never come back: skip over each gap and
                # write what did come back, in order, each result once.
                while self._pending:
                    self._next_index = min(self._pending)
                    self._flush(results, state)
            state.close()
            report = self._write_reports(results_path, interrupted)
        finally:
            state.close()
            shutil.rmtree(self.work, ignore_errors=True)
        return BatchSummary(self.counts, interrupted, report)

    def _dispatch(self, items: Iterator[BatchItem], results: TextIO, state: _State) -> bool:
        """Send chunks to the executor with a bounded number in flight; True if interrupted."""
        executor = self.executor_factory(self.options.jobs)
        in_flight: dict[futures.Future[list[PlanResult]], list[WorkItem]] = {}
        limit = max(2, self.options.jobs * 3)
        size = self.options.chunk_size or chunk_size(
            count_plans(self.options.source), self.options.jobs, self.options.formats
        )
        chunk: list[WorkItem] = []

        def collect(block: bool) -> None:
            if not in_flight:
                return
            done, _ = futures.wait(in_flight, timeout=None if block else 0, return_when=futures.FIRST_COMPLETED)
            for future in done:
                chunk_items = in_flight.pop(future)
                try:
                    chunk_results = future.result()
                except Exception as exc:  # a worker died: its plans fail, the batch goes on
                    chunk_results = [
                        self._failure(w.item, w.name, "worker", f"the worker rendering this plan stopped: {exc!r}")
                        for w in chunk_items
                    ]
                for result in chunk_results:
                    self._accept(result, results, state)

        try:
            for item in items:
                planned = self._plan_work(item, state)
                if isinstance(planned, PlanResult):
                    self._accept(planned, results, state)
                    continue
                chunk.append(planned)
                if len(chunk) >= size:
                    in_flight[executor.submit(render_chunk, self.settings, chunk)] = chunk
                    chunk = []
                    while len(in_flight) >= limit:
                        collect(block=True)
                collect(block=False)
            if chunk:
                in_flight[executor.submit(render_chunk, self.settings, chunk)] = chunk
            while in_flight:
                collect(block=True)
        except KeyboardInterrupt:
            for future, chunk_items in list(in_flight.items()):
                if future.cancel():
                    in_flight.pop(future)
                    for work in chunk_items:
                        self._pending[work.item.index] = PlanResult(
                            work.item.index, work.item.file, work.item.line, work.name, "not-run", work.fingerprint
                        )
            while in_flight:
                collect(block=True)
            return True
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return False

    # -- reports -----------------------------------------------------------------------

    def _finalise(self, result: dict[str, Any]) -> dict[str, Any]:
        reason = self._collided.get(result["index"])
        if reason is not None and result["status"] in ("ok", "up-to-date"):
            for record in result["outputs"].values():
                self.store.remove(record["path"])
            result["outputs"] = {}
            result["diagnostics"].append(
                Diagnostic(Severity.ERROR, "name-collision", reason, result["file"], result["line"]).to_dict()
            )
            if result["status"] == "ok":
                self.counts.ok -= 1
            else:
                self.counts.up_to_date -= 1
            result["status"] = "failed"
            self.counts.failed += 1
        return result

    def _write_reports(self, results_path: Path, interrupted: bool) -> str:
        rows: list[dict[str, Any]] = []
        with results_path.open(encoding="utf-8") as results, self.store.text_writer(REPORT_NAME) as stream:
            stream.write('{\n  "plans": [\n')
            first = True
            for line in results:
                plan = self._finalise(json.loads(line))
                stream.write(("" if first else ",\n") + "    " + json.dumps(plan, ensure_ascii=False, sort_keys=True))
                first = False
                if self.options.report_csv is not None:
                    rows.append(_csv_row(plan))
                    if len(rows) >= 1000:
                        self._write_csv(rows)
                        rows = []
            header = {
                "version": REPORT_VERSION,
                "plandoc": __version__,
                "source": str(self.options.source),
                "output": str(self.options.outdir),
                "template": str(self.options.template),
                "formats": list(self.options.formats),
                "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "interrupted": interrupted,
                "summary": {
                    "ok": self.counts.ok,
                    "up_to_date": self.counts.up_to_date,
                    "failed": self.counts.failed,
                    "total": self.counts.done,
                },
            }
            tail = json.dumps(header, ensure_ascii=False, indent=2, sort_keys=True)[1:]
            stream.write("\n  ],\n" + tail + "\n")
        if self.options.report_csv is not None:
            self._write_csv(rows)
        return self.store.describe(REPORT_NAME)

    def _write_csv(self, rows: list[dict[str, Any]]) -> None:
        assert self.options.report_csv is not None
        mode = "a" if self._csv_started else "w"
        with self.options.report_csv.open(mode, encoding="utf-8-sig" if mode == "w" else "utf-8", newline="") as s:
            writer = csv.DictWriter(s, fieldnames=_CSV_FIELDS)
            if not self._csv_started:
                writer.writeheader()
                self._csv_started = True
            writer.writerows(rows)


_CSV_FIELDS = ["index", "file", "line", "name", "status", "outputs", "sha256", "messages"]


def _csv_row(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "index": plan["index"],
        "file": plan["file"],
        "line": plan["line"] or "",
        "name": plan["name"] or "",
        "status": plan["status"],
        "outputs": " ".join(r["path"] for r in plan["outputs"].values()),
        "sha256": " ".join(r["sha256"] for r in plan["outputs"].values()),
        "messages": " | ".join(
            f"{d['line'] or ''}:{d['path']}: {d['message']}".lstrip(":") for d in plan["diagnostics"]
        ),
    }

"""The work of one batch task: validate, render and write a chunk of plans.

Runs in worker processes (or on a cluster). The renderer is prepared once per process
(``prepare_renderer`` is cached) and LibreOffice converts the chunk's documents in one
group. Each plan ends as a small result; no exception escapes for a bad plan.
"""

from __future__ import annotations

import concurrent.futures as futures
import dataclasses
import functools
import gc
import hashlib
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from plandoc.batch import orphan_signal
from plandoc.batch.results import OutputRecord, PlanResult, PlanStatus
from plandoc.batch.sources import BatchItem
from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import ConversionError, PlandocError, PlanInvalidError, TemplateError, diagnostics_of
from plandoc.output.atomic import write_atomically
from plandoc.output.libreoffice import Converter, stop_all_converters
from plandoc.output.staging import StagingFolder
from plandoc.output.store import OutputStore
from plandoc.pipeline import CheckedPlan, check_source, relocate
from plandoc.plan.controlled_copy import controlled_copy
from plandoc.plan.load import Position, SourceDocument, json_plan_data
from plandoc.render.budget import time_limit
from plandoc.render.compiled import Renderer, prepare_renderer
from plandoc.schemas.profile import StyleProfile


@dataclass(frozen=True)
class BatchSettings:
    """What every task needs to know about the batch (small, sent with each chunk)."""

    outdir: str
    formats: tuple[str, ...]
    template: str
    profile_json: str | None
    strict: bool
    work_dir: str
    """A folder on the worker's machine for LibreOffice's profile and staged documents."""
    controlled: bool = False
    """Stamp each document as a controlled copy and send back its register facts."""
    time_limit: float | None = None
    """Seconds one plan may take to validate and render."""
    template_bytes: bytes = b""
    """The template itself: a worker renders what the user gave, not a file of that name where it runs."""
    template_sha256: str = ""


@dataclass(frozen=True)
class WorkItem:
    """One plan to render under a name the batch has already checked for collisions."""

    item: BatchItem
    name: str
    fingerprint: str


def start_worker(parent: int) -> None:
    """Worker initializer: leave Ctrl-C to the batch, and never outlive it.

    Ctrl-C reaches the whole process group; the batch decides what happens, so in-flight
    plans finish cleanly. If the batch itself dies (even by SIGKILL) the worker gets
    SIGTERM from the kernel (Linux) or notices its new parent (elsewhere), stops its
    LibreOffice and exits: a worker left behind would go on rendering for no one.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    if not orphan_signal.ask_for(signal.SIGTERM):
        orphan_signal.watch_parent(parent, _stop_worker)
    if os.getppid() != parent:  # the batch died before the request above was in place
        _stop_worker(signal.SIGTERM, None)


def _stop_worker(signum: int, frame: FrameType | None) -> None:
    """Stop this worker's LibreOffice (removing its private files) and exit at once."""
    stop_all_converters()
    os._exit(128 + signum)


_frozen_templates: set[tuple[str, str | None]] = set()


def _prepared(settings: BatchSettings, profile: StyleProfile | None) -> Renderer:
    """The renderer of this worker process, prepared on first use.

    Once it is ready, the objects alive so far (modules, the compiled template) are
    moved out of the garbage collector's sight: they live as long as the worker, and
    rescanning them on every collection cost about a tenth of each plan's rendering.
    """
    renderer = prepare_renderer(_template_here(settings), profile)
    key = (settings.template_sha256 or settings.template, settings.profile_json)
    if key not in _frozen_templates:
        _frozen_templates.add(key)
        gc.freeze()
    return renderer


def _template_here(settings: BatchSettings) -> Path:
    """The batch's template as a file on this machine, written once from the bytes sent with the task."""
    if not settings.template_bytes:
        return Path(settings.template)
    if hashlib.sha256(settings.template_bytes).hexdigest() != settings.template_sha256:
        raise TemplateError("模板在传给工作进程时损坏 | the template was damaged on its way to the worker")
    path = Path(settings.work_dir) / f"template-{settings.template_sha256[:16]}.docx"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, settings.template_bytes, durable=False)
    return path


def _failed(work: WorkItem, diagnostics: Iterable[Diagnostic]) -> PlanResult:
    return PlanResult.of(work.item, work.name, PlanStatus.FAILED, work.fingerprint, diagnostics)


def worker_lost(error: BaseException) -> bool:
    """Whether a chunk failed because the process running it was lost, not because of plandoc's code.

    A local pool says so with BrokenExecutor; Dask with its own errors (a worker killed, for
    instance by its memory limit, or its connection closed), all raised from ``distributed``.
    """
    if isinstance(error, futures.BrokenExecutor | futures.CancelledError):
        return True
    return type(error).__module__.partition(".")[0] == "distributed"


def chunk_failure(work: WorkItem, error: Exception) -> PlanResult:
    """The failure of a plan whose chunk raised ``error`` instead of returning results.

    Either its worker process died, or an exception escaped ``render_chunk``'s own
    handling: reported by ``diagnostics_of``, so a bug in plandoc is reported as one.
    """
    if not worker_lost(error):
        diagnostics = diagnostics_of(error, work.item.file, work.item.line)
    else:
        message = f"处理此方案的工作进程意外退出 | the worker rendering this plan stopped: {error!r}"
        diagnostics = (Diagnostic(Severity.ERROR, "worker", message, work.item.file, work.item.line),)
    return PlanResult.of(work.item, work.name, PlanStatus.FAILED, diagnostics=diagnostics)


def _check(item: BatchItem, strict: bool) -> CheckedPlan:
    """Validate fast without positions; locate the diagnostics only when there are any."""
    data = json_plan_data(item.text) if item.text is not None else item.data
    try:
        checked = check_source(SourceDocument(item.file, data))
    except PlanInvalidError:
        return check_source(item.source_document(), strict=strict)
    if not checked.derived.findings:
        return checked
    # Warnings are common and do not stop a plan: a JSON line is located by its line
    # alone, which spares parsing it a second time for columns.
    if item.text is not None and item.line is not None:
        return relocate(checked, SourceDocument(item.file, data, {}, {(): Position(item.line, 1)}), strict=strict)
    return relocate(checked, item.source_document(), strict=strict)


def _output_record(name: str, data: bytes) -> OutputRecord:
    return OutputRecord(name, hashlib.sha256(data).hexdigest(), len(data))


@functools.lru_cache(maxsize=4)
def _store(location: str) -> OutputStore:
    return OutputStore(location)


def render_chunk(settings: BatchSettings, chunk: list[WorkItem]) -> list[PlanResult]:
    """Render every plan of a chunk; convert the chunk in one LibreOffice group if asked."""
    store = _store(settings.outdir)
    profile = StyleProfile.model_validate_json(settings.profile_json) if settings.profile_json else None
    renderer = _prepared(settings, profile)
    here = str(_template_here(settings))
    results: list[PlanResult] = []
    staged: list[tuple[WorkItem, PlanResult, bytes]] = []
    for work in chunk:
        item = work.item
        if item.error is not None:
            results.append(_failed(work, [item.error]))
            continue
        try:
            with time_limit(settings.time_limit):
                checked = _check(item, settings.strict)
                properties = checked.derived.properties
                copy = controlled_copy(checked.derived.plan) if settings.controlled else None
                stamped = copy.stamped(properties) if copy else properties
                docx = renderer.render(checked.context, stamped, charts=checked.charts)
            result = PlanResult.of(item, work.name, PlanStatus.OK, work.fingerprint, checked.warnings)
            result.controlled = copy.to_json_ready() if copy else None
            if "docx" in settings.formats:
                store.write(f"{work.name}.docx", docx)
                result.outputs["docx"] = _output_record(f"{work.name}.docx", docx)
            if any(name != "docx" for name in settings.formats):
                staged.append((work, result, docx))
            results.append(result)
        except Exception as error:  # a bad plan, or a bug in plandoc: this plan fails, the others go on
            diagnostics = diagnostics_of(error, item.file, item.line)
            if here != settings.template:  # name the user's template, not this worker's copy of it
                diagnostics = tuple(
                    dataclasses.replace(d, message=d.message.replace(here, settings.template)) for d in diagnostics
                )
            results.append(_failed(work, diagnostics))
    if staged:
        _convert(settings, store, staged)
    return results


def _convert(settings: BatchSettings, store: OutputStore, staged: list[tuple[WorkItem, PlanResult, bytes]]) -> None:
    profile = Path(settings.work_dir) / f"libreoffice-{os.getpid()}"
    profile.mkdir(parents=True, exist_ok=True)
    converter = functools.partial(Converter, profile=profile)
    with StagingFolder(Path(settings.work_dir), prefix=f"staging-{os.getpid()}-", converter=converter) as staging:
        staging.stage({str(work.item.index): docx for work, _, docx in staged})
        for target_format in (name for name in settings.formats if name != "docx"):
            try:
                conversions = list(staging.convert(target_format).values())
            except PlandocError as error:
                conversions = []
                for work, result, _ in staged:
                    _fail_result(store, result, work, str(error))
            for conversion, (work, result, _) in zip(conversions, staged, strict=True):
                if result.status is not PlanStatus.OK:
                    continue
                if conversion.output is None:
                    _fail_result(store, result, work, f"{target_format}: {conversion.error}")
                    continue
                name = f"{work.name}.{target_format}"
                data = conversion.output.read_bytes()
                store.write(name, data)
                conversion.output.unlink()
                result.outputs[target_format] = _output_record(name, data)


def _fail_result(store: OutputStore, result: PlanResult, work: WorkItem, message: str) -> None:
    diagnostic = Diagnostic(Severity.ERROR, ConversionError.code, message, work.item.file, work.item.line)
    for record in result.fail(diagnostic):
        store.remove(record.path)


def process_pool(jobs: int) -> futures.Executor:
    """The default executor: one worker process per job, leaving Ctrl-C to the batch and dying with it."""
    return futures.ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(os.getpid(),))

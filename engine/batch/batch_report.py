"""The batch's report files: ``batch-report.json`` in OUTDIR and, if asked, a CSV for Excel.

The JSON report is written plan by plan as the results are read back, so a batch of a
million plans never holds them all in memory; its summary follows the plans.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from plandoc import __version__
from plandoc.batch.options import BatchOptions
from plandoc.batch.results import BatchCounts, PlanResult
from plandoc.output.atomic import text_written_atomically
from plandoc.output.store import OutputStore

REPORT_NAME = "batch-report.json"
REPORT_VERSION = 1
CSV_FIELDS = ["index", "file", "line", "name", "status", "outputs", "sha256", "messages"]


def write_batch_report(
    store: OutputStore, plans: Iterable[PlanResult], header: Callable[[], dict[str, Any]], csv_path: Path | None
) -> str:
    """Write every plan, then ``header()`` (called once the plans are written); return where the report is."""
    with store.text_writer(REPORT_NAME) as stream, _CsvReport(csv_path) as table:
        stream.write('{\n  "plans": [\n')
        separator = ""
        for plan in plans:
            entry = plan.to_dict()
            stream.write(separator + "    " + json.dumps(entry, ensure_ascii=False, sort_keys=True))
            separator = ",\n"
            table.add(entry)
        tail = json.dumps(header(), ensure_ascii=False, indent=2, sort_keys=True)[1:]
        stream.write("\n  ],\n" + tail + "\n")
    return store.describe(REPORT_NAME)


def report_header(options: BatchOptions, counts: BatchCounts, interrupted: bool) -> dict[str, Any]:
    """The report's fields after the plans: what was asked, when it ended, the totals."""
    return {
        "version": REPORT_VERSION,
        "plandoc": __version__,
        "source": str(options.source),
        "output": str(options.outdir),
        "template": str(options.template),
        "formats": list(options.formats),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "interrupted": interrupted,
        "summary": {"ok": counts.ok, "up_to_date": counts.up_to_date, "failed": counts.failed, "total": counts.done}
        # Only when it happened, so the summary of every other batch keeps its four keys.
        | ({"modified": counts.modified} if counts.modified else {}),
    }


class _CsvReport:
    """The report as CSV (UTF-8 with a BOM, so Excel shows the Chinese); nothing without a path."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file = text_written_atomically(path, encoding="utf-8-sig", newline="") if path is not None else None
        self._stream: TextIO | None = None
        self._writer: csv.DictWriter[str] | None = None

    def __enter__(self) -> _CsvReport:
        if self._file is not None:
            self._stream = self._file.__enter__()
            self._writer = csv.DictWriter(self._stream, fieldnames=CSV_FIELDS)
            self._writer.writeheader()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._file is not None and self._stream is not None:
            self._file.__exit__(exc_type, exc, traceback)

    def add(self, plan: dict[str, Any]) -> None:
        """Add one plan's row."""
        if self._writer is not None:
            self._writer.writerow(_csv_row(plan))


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

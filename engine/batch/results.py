"""What a batch learns about each plan: its status, outputs and diagnostics, and the running totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from plandoc.batch.sources import BatchItem
from plandoc.diagnostics import Diagnostic


class PlanStatus(StrEnum):
    """How one plan of a batch ended (the ``status`` of batch-report.json)."""

    OK = "ok"
    UP_TO_DATE = "up-to-date"
    FAILED = "failed"
    NOT_RUN = "not-run"
    MODIFIED = "modified"
    """An earlier run wrote its output and someone changed it since: left alone (``--force`` replaces it)."""


@dataclass(frozen=True)
class OutputRecord:
    """One written output file: its name in OUTDIR, SHA-256 and size in bytes."""

    path: str
    sha256: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        """The form batch-report.json holds."""
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


@dataclass
class PlanResult:
    """The outcome of one plan: small enough to send back from a worker and keep in a report."""

    index: int
    file: str
    line: int | None
    name: str | None
    status: PlanStatus
    fingerprint: str | None = None
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    """Output records by format (docx, doc, pdf)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    controlled: dict[str, Any] | None = None
    """The register facts of a controlled copy (``batch --register``); not in the report."""

    @classmethod
    def of(
        cls,
        item: BatchItem,
        name: str | None,
        status: PlanStatus,
        fingerprint: str | None = None,
        diagnostics: Iterable[Diagnostic] = (),
    ) -> PlanResult:
        """The result of the plan ``item``, placed where the item came from."""
        return cls(item.index, item.file, item.line, name, status, fingerprint, diagnostics=list(diagnostics))

    def fail(self, diagnostic: Diagnostic) -> list[OutputRecord]:
        """Mark the plan failed for ``diagnostic``; return the outputs it had, for the caller to remove."""
        written = list(self.outputs.values())
        self.status = PlanStatus.FAILED
        self.diagnostics.append(diagnostic)
        self.outputs.clear()
        return written

    def to_dict(self) -> dict[str, Any]:
        """The plan's entry in batch-report.json (also one line of the batch's results file)."""
        return {
            "index": self.index,
            "file": self.file,
            "line": self.line,
            "name": self.name,
            "status": self.status.value,
            "fingerprint": self.fingerprint,
            "outputs": {fmt: record.to_dict() for fmt, record in self.outputs.items()},
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
            **({"controlled": self.controlled} if self.controlled is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanResult:
        """Read back the mapping ``to_dict`` wrote."""
        return cls(
            data["index"],
            data["file"],
            data["line"],
            data["name"],
            PlanStatus(data["status"]),
            data["fingerprint"],
            {fmt: OutputRecord(**record) for fmt, record in data["outputs"].items()},
            [Diagnostic.from_dict(diagnostic) for diagnostic in data["diagnostics"]],
            data.get("controlled"),
        )


@dataclass
class BatchCounts:
    """Running totals, passed to the progress display."""

    total: int | None = None
    ok: int = 0
    up_to_date: int = 0
    failed: int = 0
    modified: int = 0
    """Outputs changed since an earlier run wrote them, left alone."""
    internal_errors: int = 0
    """Failed plans that met a bug in plandoc rather than a problem of their own."""

    @property
    def done(self) -> int:
        """Plans finished one way or another."""
        return self.ok + self.up_to_date + self.failed + self.modified

    def count(self, status: PlanStatus, change: int = 1) -> None:
        """Add ``change`` plans of ``status`` (a plan not run counts as failed)."""
        if status is PlanStatus.OK:
            self.ok += change
        elif status is PlanStatus.UP_TO_DATE:
            self.up_to_date += change
        elif status is PlanStatus.MODIFIED:
            self.modified += change
        else:
            self.failed += change

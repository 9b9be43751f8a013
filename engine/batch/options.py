"""What a batch is asked to do (BatchOptions) and how it ended (BatchSummary)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from plandoc.batch.interrupts import EXIT_INTERRUPTED
from plandoc.batch.results import BatchCounts
from plandoc.errors import EXIT_INTERNAL_ERROR
from plandoc.render.budget import DEFAULT_TIME_LIMIT
from plandoc.schemas.profile import StyleProfile
from plandoc.templates import DEFAULT_TEMPLATE


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
    force: bool = False
    """Replace outputs changed since an earlier run wrote them (otherwise they are left alone)."""
    controlled: str | None = None
    """The register the plans are issued to as controlled copies (``--register``), if any."""
    time_limit: float | None = DEFAULT_TIME_LIMIT
    """Seconds one plan may take to validate and render (``--time-limit``); past it, that plan fails."""


@dataclass
class BatchSummary:
    """How a batch ended."""

    counts: BatchCounts
    interrupted: bool
    report: str
    stopped_with: int = EXIT_INTERRUPTED
    """The exit code of an interrupted batch: 130 after Ctrl-C, 143 after SIGTERM."""

    @property
    def exit_code(self) -> int:
        """0 all done, 1 some plan failed or an edited output was left alone, 70 some plan met a bug
        in plandoc, 130/143 interrupted (Ctrl-C/SIGTERM)."""
        if self.interrupted:
            return self.stopped_with
        if self.counts.internal_errors:
            return EXIT_INTERNAL_ERROR
        return 1 if self.counts.failed or self.counts.modified else 0

"""Batch progress on the terminal: a bar with rate and ETA, or plain periodic lines."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from tqdm import tqdm

from plandoc.batch.results import BatchCounts


class ProgressDisplay:
    """Shows batch progress: a tqdm bar on a terminal, a line every few seconds otherwise."""

    def __init__(self, total: int | None, *, stream: TextIO | None = None, interval: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self.total = total
        self.started = time.monotonic()
        self.last_line = self.started
        self.bar: tqdm[Any] | None = None
        if self.stream.isatty():
            self.bar = tqdm(total=total, unit="plan", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def __call__(self, counts: BatchCounts) -> None:
        if self.bar is not None:
            self.bar.update(counts.done - self.bar.n)
            self.bar.set_postfix(failed=counts.failed, skipped=counts.up_to_date, refresh=False)
            return
        now = time.monotonic()
        if now - self.last_line >= self.interval:
            self.last_line = now
            self.stream.write(self.line(counts, now) + "\n")
            self.stream.flush()

    def line(self, counts: BatchCounts, now: float) -> str:
        """``1200/20000 plans (6%), 950 plans/s, ETA 20 s, 3 failed``."""
        elapsed = max(now - self.started, 1e-9)
        rate = counts.done / elapsed
        text = f"{counts.done}" + (f"/{self.total}" if self.total else "") + " plans"
        if self.total:
            text += f" ({100 * counts.done / self.total:.0f}%)"
        text += f", {rate:.0f} plans/s"
        if self.total and rate > 0:
            text += f", ETA {(self.total - counts.done) / rate:.0f} s"
        return text + f", {counts.failed} failed, {counts.up_to_date} up to date"

    def close(self, counts: BatchCounts) -> None:
        """Finish the bar, or print a last line."""
        if self.bar is not None:
            self.bar.close()
        else:
            self.stream.write(self.line(counts, time.monotonic()) + "\n")

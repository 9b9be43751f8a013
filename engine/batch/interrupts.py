"""Ctrl-C held back while the batch writes down finished plans, so no result is half-recorded."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_held: list[int] | None = None
"""The signals received while deferring (None when not deferring); blocks nest inside the outermost."""


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block to its end even if Ctrl-C arrives; raise KeyboardInterrupt after it.

    A plan's result line and its resume journal line are written together or not at all:
    an interruption between the two would report a plan as rendered that the next run
    does not know it may skip. A nested block belongs to the outermost one, which raises
    at its end. Off the main thread (the web app) signals cannot be handled, and the
    block runs as it is.
    """
    global _held
    if _held is not None or threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, remember)
    _held = received
    try:
        yield
    finally:
        _held = None
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt

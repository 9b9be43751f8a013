"""Ctrl-C and SIGTERM: both stop plandoc the same clean way, never half-way through recording a plan.

SIGTERM (what ``kill``, systemd and container runtimes send) is turned into ``Terminated``,
a ``KeyboardInterrupt``, so every ``finally`` and ``with`` block runs as for Ctrl-C: the
converter is stopped, staging folders and temporary profiles are removed, and a batch
writes its report. The exit code tells them apart: 130 for Ctrl-C, 143 for SIGTERM.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_INTERRUPTED = 130
"""128 + SIGINT: the run was stopped by Ctrl-C."""
EXIT_TERMINATED = 143
"""128 + SIGTERM: the run was stopped by SIGTERM."""
_STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)

_held: list[int] | None = None
"""The signals received while deferring (None when not deferring); blocks nest inside the outermost."""


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as after Ctrl-C."""


def exit_code_of(stop: KeyboardInterrupt) -> int:
    """The exit code of a run stopped by ``stop``."""
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def stop_cleanly_on_sigterm() -> None:
    """Make SIGTERM raise ``Terminated`` in the main thread (elsewhere signals cannot be handled)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block to its end even if Ctrl-C or SIGTERM arrives; raise it after the block.

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

    previous = {signum: signal.signal(signum, remember) for signum in _STOPPING_SIGNALS}
    _held = received
    try:
        yield
    finally:
        _held = None
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if signal.SIGTERM in received:
        raise Terminated
    if received:
        raise KeyboardInterrupt

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
def interrupts_held() -> Iterator[list[int]]:
    """Turn Ctrl-C and SIGTERM into requests for the block: each one received is appended to the list.

    Nothing is raised, at the end of the block either: the code inside asks the list at
    the points where stopping is safe. A batch's dispatch loop runs this way, because an
    exception raised by a signal between two bytecodes can land inside the executor's or a
    future's locking and leave a lock held for ever, so the batch hangs instead of
    stopping. A nested block (or ``interrupts_deferred``) belongs to the outermost one. Off
    the main thread (the web app) signals cannot be handled, and the list stays empty.
    """
    global _held
    if _held is not None:
        yield _held
        return
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, remember) for signum in _STOPPING_SIGNALS}
    _held = received
    try:
        yield received
    finally:
        _held = None
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stop_requested(received: list[int]) -> KeyboardInterrupt | None:
    """The stop the held signals ask for (SIGTERM wins over Ctrl-C), or None."""
    if signal.SIGTERM in received:
        return Terminated()
    return KeyboardInterrupt() if received else None


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block to its end even if Ctrl-C or SIGTERM arrives; raise it after the block.

    A plan's result line and its resume journal line are written together or not at all:
    an interruption between the two would report a plan as rendered that the next run
    does not know it may skip. Inside ``interrupts_held`` the block runs as it is: the
    outer block asks for the signals itself.
    """
    outermost = _held is None
    with interrupts_held() as received:
        yield
    stop = stop_requested(received) if outermost else None
    if stop is not None:
        raise stop

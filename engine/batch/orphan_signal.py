"""A worker process that learns when its parent dies: the kernel's death signal, or a watchdog."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def ask_for(signum: int) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent: int, on_orphaned: Callable[[int, FrameType | None], None]) -> None:
    """Poll for the parent's death in a daemon thread and call ``on_orphaned`` then."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        on_orphaned(signal.SIGTERM, None)

    threading.Thread(target=watch, name="plandoc-parent-watch", daemon=True).start()

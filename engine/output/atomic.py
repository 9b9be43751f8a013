"""Write output files atomically: the file appears complete, or not at all."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

from plandoc.errors import OutputError

_counter = itertools.count()


def _temporary_name(path: Path) -> Path:
    # Unique per process and call; the leading dot and the .part suffix mark it as ours,
    # so a batch that was killed can clear such leftovers when it resumes.
    return path.with_name(f".{path.name}.{os.getpid()}.{next(_counter)}.part")


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A failure at any point (disk full, permissions, interruption) removes the temporary
    file and leaves any existing file at ``path`` untouched. ``durable`` also flushes the
    file to disk before the rename; a batch turns it off because a resumed batch checks
    every earlier output's SHA-256 before trusting it.
    """
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise OutputError(path, "it is a folder; give a file name such as plan.docx")
    if not folder.is_dir():
        raise OutputError(path, f"the folder {folder} does not exist")
    temporary = _temporary_name(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        temporary.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise OutputError(path, exc.strerror or str(exc)) from None
        raise

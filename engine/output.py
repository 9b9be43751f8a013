"""Write output files atomically: the file appears complete, or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from engine.errors import OutputError


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
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        if isinstance(exc, OSError):
            raise OutputError(path, exc.strerror or str(exc)) from None
        raise

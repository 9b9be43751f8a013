"""Every write of plandoc goes through here: the file appears complete, or not at all.

A destination is only ever a regular file or a new name: a symbolic link there is never
followed (it could lead anywhere outside the folder the user gave) and a folder, pipe,
device or socket is never replaced; each is a clear error. plandoc's own folders inside
an output folder (``.plandoc-batch`` …) must be real folders for the same reason.
System errors (a read-only or full file system …) become one ``OutputError`` line.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from plandoc.errors import OutputError

_counter = itertools.count()
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
IS_A_FOLDER = "是文件夹，请给出文件名（如 plan.docx） | it is a folder; give a file name such as plan.docx"
IS_A_LINK = "是符号链接，plandoc 不经链接写入 | it is a symbolic link; plandoc does not write through links"
NOT_REGULAR = (
    "不是普通文件（管道、设备或套接字），不会被替换 | "
    "it is not a regular file (a pipe, device or socket) and is not replaced"
)
IN_THE_WAY = "已有同名的文件，这里需要 plandoc 自己的文件夹 | a file of this name is in the way of plandoc's own folder"


def temporary_name(path: Path, tag: str = "") -> Path:
    """A name beside ``path`` for its temporary file: unique per process and call.

    The leading dot and the .part suffix mark it as ours, so a batch that was killed
    can clear such leftovers when it resumes.
    """
    return path.with_name(f".{path.name}.{tag or os.getpid()}.{next(_counter)}.part")


def check_destination(path: Path) -> None:
    """Refuse ``path`` as a destination unless it is absent or a regular file (not a link)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError.from_os(path, exc) from None
    if stat.S_ISLNK(status.st_mode):
        raise OutputError(path, IS_A_LINK)
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(path, IS_A_FOLDER)
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(path, NOT_REGULAR)


def own_folder(folder: Path) -> Path:
    """Make (or accept) plandoc's own folder ``folder``: a real folder, never a link or a file."""
    try:
        folder.mkdir()
    except FileExistsError:
        status = os.lstat(folder)
        if stat.S_ISLNK(status.st_mode):
            raise OutputError(folder, IS_A_LINK) from None
        if not stat.S_ISDIR(status.st_mode):
            raise OutputError(folder, IN_THE_WAY) from None
    except OSError as exc:
        raise OutputError.from_os(folder, exc) from None
    return folder


def _folder_of(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputError(path, f"文件夹 {folder} 不存在 | the folder {folder} does not exist")
    return folder


def _create(path: Path) -> int:
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o644)
    except OSError as exc:
        raise OutputError.from_os(path, exc) from None


def _put_in_place(temporary: Path, path: Path) -> None:
    check_destination(path)  # again: the name may have changed while the file was written
    temporary.replace(path)


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A failure at any point (disk full, permissions, interruption) removes the temporary
    file and leaves any existing file at ``path`` untouched. ``durable`` also flushes the
    file to disk before the rename; a batch turns it off because a resumed batch checks
    every earlier output's SHA-256 before trusting it.
    """
    check_destination(path)
    _folder_of(path)
    temporary = temporary_name(path)
    descriptor = _create(temporary)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        _put_in_place(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise OutputError.from_os(path, exc) from None
        raise


@contextlib.contextmanager
def text_written_atomically(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """Stream text into ``path``; it appears complete when the block ends, or not at all."""
    check_destination(path)
    _folder_of(path)
    temporary = temporary_name(path)
    descriptor = _create(temporary)
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, newline=newline) as stream:
            yield stream
        _put_in_place(temporary, path)
    except OSError as exc:
        raise OutputError.from_os(path, exc) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def open_for_appending(path: Path) -> TextIO:
    """Open plandoc's own journal ``path`` to append lines, never through a link."""
    check_destination(path)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NO_FOLLOW, 0o644)
    except OSError as exc:
        raise OutputError.from_os(path, exc) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OutputError(path, NOT_REGULAR)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def copy_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically, under the same rules as any other write."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise OutputError.from_os(target, exc) from None
    write_atomically(target, data)

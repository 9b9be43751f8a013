"""Read an input file nobody vouches for: regular files only, opened without blocking, under a size cap.

Plans, profiles, templates, JSON Lines sources and checked documents all come through
here. A FIFO would block ``open`` until a writer appears and ``/dev/zero`` never ends, so
the path is judged by ``stat`` before it is opened, opened with ``O_NONBLOCK``, and judged
again by ``fstat`` on what was actually opened (it may have been swapped in between).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from plandoc.errors import InputFileError, TemplateError

MIB = 1024 * 1024


def _judge(mode: int, what: tuple[str, str]) -> None:
    if stat.S_ISDIR(mode):
        raise InputFileError(f"是文件夹，不是{what[1]} | is a folder, not {what[0]}", "read-error")
    if not stat.S_ISREG(mode):
        raise InputFileError(
            f"不是普通文件（管道或设备不能作{what[1]}） | is not a regular file (a pipe or device cannot be {what[0]})",
            "read-error",
        )


def open_regular_file(path: Path, what: tuple[str, str]) -> BinaryIO:
    """Open ``path`` for reading when it is a regular file; ``what`` names it in English and Chinese."""
    try:
        _judge(path.stat().st_mode, what)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputFileError("没有这个文件 | no such file", "file-not-found") from None
    except OSError as exc:
        raise InputFileError(f"无法读取 | cannot read: {exc.strerror or exc}", "read-error") from None
    try:
        _judge(os.fstat(descriptor).st_mode, what)
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def read_regular_file(path: Path, what: tuple[str, str], max_bytes: int) -> bytes:
    """The bytes of ``path``, refused when it is not a regular file or holds more than ``max_bytes``."""
    with open_regular_file(path, what) as stream:
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise InputFileError(f"无法读取 | cannot read: {exc.strerror or exc}", "read-error") from None
    if len(data) > max_bytes:
        raise InputFileError(
            f"文件大于 {max_bytes // MIB} MiB | file is larger than {max_bytes // MIB} MiB", "input-too-large"
        )
    return data


MAX_TEMPLATE_BYTES = 50 * MIB
"""plandoc's own template is 40 KB; a template with a few pictures, a few MB."""


def read_template_file(path: Path) -> bytes:
    """A template's bytes, or TemplateError naming it when it is no regular file or too large."""
    try:
        return read_regular_file(path, ("a template", "模板"), MAX_TEMPLATE_BYTES)
    except InputFileError as error:
        raise TemplateError(f"{path}: {error.reason}") from None

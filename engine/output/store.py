"""Where a batch writes: a local or shared folder, or any fsspec URL (s3://…, memory://…).

A folder (or a ``file://`` URL) is written with atomic renames; any other URL goes
through fsspec, imported only then, writing a temporary object and moving it into
place, so a reader never sees half an output.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from plandoc.errors import OutputError, UsageError
from plandoc.output.atomic import text_written_atomically, write_atomically

FSSPEC_HINT = "install it with: pip install 'plandoc[dask]'"


class OutputStore:
    """A batch's output location, local or remote, with atomic writes."""

    def __init__(self, location: str | Path) -> None:
        text = str(location)
        self.location = text
        self.folder: Path | None = None
        self._fs: Any = None
        self._root = ""
        if "://" in text and not text.startswith("file://"):
            try:
                import fsspec
            except ImportError:
                raise UsageError(
                    f"{text}: 写入 URL 需要 fsspec | writing to a URL needs fsspec; {FSSPEC_HINT}"
                ) from None
            try:
                self._fs, self._root = fsspec.core.url_to_fs(text)
            except (ValueError, ImportError) as exc:
                raise UsageError(f"{text}: {exc}") from None
        else:
            self.folder = Path(text.removeprefix("file://"))

    @property
    def is_local(self) -> bool:
        """Whether outputs are files in a folder of this machine (or a shared mount)."""
        return self.folder is not None

    def describe(self, name: str) -> str:
        """Where ``name`` is, for people."""
        return str(self.folder / name) if self.folder is not None else f"{self.location.rstrip('/')}/{name}"

    def _url(self, name: str) -> str:
        return f"{self._root.rstrip('/')}/{name}"

    def prepare(self) -> None:
        """Create the location if needed."""
        try:
            if self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
            else:
                self._fs.makedirs(self._root, exist_ok=True)
        except OSError as exc:
            raise OutputError.from_os(Path(self.location), exc) from None

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` atomically."""
        if self.folder is not None:
            write_atomically(self.folder / name, data, durable=False)
            return
        temporary = self._url(f".{name}.{uuid.uuid4().hex}.part")
        try:
            self._fs.pipe_file(temporary, data)
            self._fs.mv(temporary, self._url(name))
        except OSError as exc:
            with contextlib.suppress(OSError):
                self._fs.rm_file(temporary)
            raise OutputError(Path(self.describe(name)), exc.strerror or str(exc)) from None

    def read(self, name: str) -> bytes | None:
        """The bytes of ``name``, or None if it is not there."""
        try:
            if self.folder is not None:
                return (self.folder / name).read_bytes()
            return bytes(self._fs.cat_file(self._url(name)))
        except (OSError, KeyError):
            return None

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there."""
        with contextlib.suppress(OSError, KeyError):
            if self.folder is not None:
                (self.folder / name).unlink()
            else:
                self._fs.rm_file(self._url(name))

    def names(self, prefix: str) -> list[str]:
        """Names (relative to the location) that start with ``prefix``, sorted."""
        directory, _, start = prefix.rpartition("/")
        try:
            if self.folder is not None:
                base = self.folder / directory
                found = [p.name for p in base.iterdir()] if base.is_dir() else []
            else:
                found = [entry.rsplit("/", 1)[-1] for entry in self._fs.ls(self._url(directory), detail=False)]
        except (OSError, KeyError):
            return []
        return sorted(f"{directory}/{n}" if directory else n for n in found if n.startswith(start))

    @contextlib.contextmanager
    def text_writer(self, name: str) -> Iterator[TextIO]:
        """Stream a text file into ``name``; it appears complete or not at all."""
        if self.folder is not None:
            with text_written_atomically(self.folder / name) as stream:
                yield stream
            return
        temporary_url = self._url(f".{name}.{uuid.uuid4().hex}.part")
        with self._fs.open(temporary_url, "w", encoding="utf-8") as remote:
            yield remote
        self._fs.mv(temporary_url, self._url(name))

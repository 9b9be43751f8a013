"""Stage .docx files in a private temporary folder, convert them there, move the results into place.

The one place where "write the documents where LibreOffice can read them, convert them,
pick up what it wrote, clean up" is written: delivering one plan's formats, previewing a
plan's pages and converting a batch chunk all go through ``StagingFolder``. The folder
is made beside the outputs when they should be renamed into place (same file system,
so each move is atomic), or in a work folder when outputs go elsewhere; it is removed,
with everything in it, on every exit path, and the LibreOffice it started is stopped.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Protocol

from plandoc.errors import OutputError
from plandoc.output.atomic import check_destination
from plandoc.output.libreoffice import Conversion, Converter


class DocumentConverter(Protocol):
    """What staging needs of a converter (``Converter`` is the real one)."""

    def convert(self, sources: Sequence[Path], target_format: str, outdir: Path) -> list[Conversion]:
        """Convert each source into ``outdir`` as ``<stem>.<target_format>``."""
        ...

    def close(self) -> None:
        """Stop the converter's processes and remove what it owns."""
        ...


class StagingFolder:
    """A private temporary folder for documents on their way to LibreOffice and back."""

    def __init__(
        self,
        parent: Path,
        *,
        prefix: str = ".plandoc-",
        converter: Callable[[], DocumentConverter] = Converter,
    ) -> None:
        """``parent``: the existing folder to stage in; ``converter``: started on the first conversion."""
        self.parent = parent
        self.prefix = prefix
        self._make_converter = converter
        self._converter: DocumentConverter | None = None
        self._path: Path | None = None
        self.sources: dict[str, Path] = {}

    @property
    def path(self) -> Path:
        """The staging folder itself (only inside the ``with`` block)."""
        if self._path is None:
            raise RuntimeError("a StagingFolder is used inside a with block")
        return self._path

    def __enter__(self) -> StagingFolder:
        if not self.parent.is_dir():
            raise OutputError(self.parent, "the folder does not exist")
        try:
            self._path = Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.parent))
        except OSError as exc:
            raise OutputError.from_os(self.parent, exc) from None
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        converter, self._converter = self._converter, None
        try:
            if converter is not None:
                converter.close()
        finally:
            if self._path is not None:
                shutil.rmtree(self._path, ignore_errors=True)
            self._path = None

    def stage(self, documents: Mapping[str, bytes]) -> dict[str, Path]:
        """Write each document as ``<stem>.docx``; return the staged file of each stem."""
        staged: dict[str, Path] = {}
        for stem, docx in documents.items():
            source = self.path / f"{stem}.docx"
            try:
                source.write_bytes(docx)
            except OSError as exc:
                raise OutputError.from_os(source, exc) from None
            staged[stem] = source
        self.sources.update(staged)
        return staged

    def convert(self, target_format: str) -> dict[str, Conversion]:
        """Convert every staged document to ``target_format`` with one converter call, by stem.

        The results are written into a subfolder named after the format; a document
        LibreOffice could not convert has a ``Conversion`` whose ``output`` is None.
        """
        if self._converter is None:
            self._converter = self._make_converter()
        outdir = self.path / target_format
        try:
            outdir.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputError.from_os(outdir, exc) from None
        stems = list(self.sources)
        conversions = self._converter.convert([self.sources[stem] for stem in stems], target_format, outdir)
        return dict(zip(stems, conversions, strict=True))

    def move_into_place(self, moves: Mapping[Path, Path]) -> None:
        """Rename each staged file onto its target; a rename within one file system is atomic."""
        for staged, target in moves.items():
            check_destination(target)
            try:
                staged.replace(target)
            except OSError as exc:
                raise OutputError.from_os(target, exc) from None

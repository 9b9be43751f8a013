"""Deliver a rendered plan in the formats asked for: .docx directly, .doc and .pdf through LibreOffice.

All formats of one plan are staged in a hidden folder beside the outputs and moved into
place only when every one of them succeeded, so a failed conversion leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from plandoc.errors import ConversionError, OutputError, UsageError
from plandoc.output.atomic import check_destination, write_atomically

if TYPE_CHECKING:
    from plandoc.output.staging import DocumentConverter

FORMATS = ("docx", "doc", "pdf")


def parse_formats(values: Iterable[str]) -> tuple[str, ...]:
    """Read ``--format`` values, repeated or comma-separated, in order and without repeats."""
    formats: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip().lower().lstrip(".")
            if not name:
                continue
            if name not in FORMATS:
                raise UsageError(
                    f"未知的格式 {name!r}，可选 {'、'.join(FORMATS)} | "
                    f"unknown format {name!r}; choose from {', '.join(FORMATS)}"
                )
            if name not in formats:
                formats.append(name)
    return tuple(formats)


def output_targets(output: Path, formats: tuple[str, ...]) -> dict[str, Path]:
    """The file for each format: ``-o plan.docx --format docx,pdf`` → plan.docx and plan.pdf.

    Without ``--format`` the extension of ``-o`` decides.
    """
    if output.name.lower().lstrip(".") in FORMATS:
        raise UsageError(
            f"{output}: 文件名只有扩展名，请在前面加上名字（如 plan{output.name}） | "
            f"the name is only an extension; put a name before it (such as plan{output.name})"
        )
    written_suffix = output.suffix.lstrip(".")
    suffix = written_suffix.lower()
    if not formats:
        if suffix not in FORMATS:
            raise UsageError(
                f"{output}: 文件名请以 .docx、.doc 或 .pdf 结尾，或用 --format 指定 | "
                f"end the name in .docx, .doc or .pdf, or give --format"
            )
        formats = (suffix,)
    base = output.with_suffix("") if suffix in FORMATS else output
    # The user's own spelling of the extension (UP.DOCX) is kept for the format it names.
    return {name: base.with_name(f"{base.name}.{written_suffix if name == suffix else name}") for name in formats}


def needs_libreoffice(formats: Iterable[str]) -> bool:
    """Whether any of the formats is made by LibreOffice."""
    return any(name != "docx" for name in formats)


def check_converter_available(formats: Iterable[str]) -> None:
    """Fail before any work when a format needs LibreOffice and it is missing."""
    if needs_libreoffice(formats):
        from plandoc.output.libreoffice import find_soffice

        find_soffice()


def deliver(docx: bytes, targets: dict[str, Path], converter: Callable[[], DocumentConverter] | None = None) -> None:
    """Write ``docx`` to every target, converting where the format asks for it (with a new
    LibreOffice ``Converter`` unless ``converter`` makes another)."""
    if not needs_libreoffice(targets):
        write_atomically(targets["docx"], docx)
        return
    # LibreOffice's modules (subprocess, tempfile) only for a format that needs them
    from plandoc.output.libreoffice import Converter
    from plandoc.output.staging import StagingFolder

    folders = {path.parent for path in targets.values()}
    if len(folders) != 1:
        raise UsageError("一个方案的各种格式写入同一个文件夹 | all formats of one plan are written to one folder")
    (folder,) = folders
    if not folder.is_dir():
        raise OutputError(next(iter(targets.values())), f"the folder {folder} does not exist")
    for path in targets.values():
        check_destination(path)
    stem = next(iter(targets.values())).stem
    with StagingFolder(folder, converter=converter or Converter) as staging:
        staged = {"docx": staging.stage({stem: docx})[stem]}
        for name in targets:
            if name == "docx":
                continue
            result = staging.convert(name)[stem]
            if result.output is None:
                raise ConversionError(f"{targets[name]}: {result.error}")
            staged[name] = result.output
        staging.move_into_place({staged[name]: target for name, target in targets.items()})

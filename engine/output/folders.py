"""Output folders: created when missing, as users expect of ``-o out/plan.docx``."""

from __future__ import annotations

from pathlib import Path

from plandoc.errors import OutputError


def create_folder(folder: Path) -> Path | None:
    """Create ``folder`` and any missing parents; return the topmost folder created, or None."""
    topmost = topmost_missing(folder)
    if topmost is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            folder, "同名的文件已存在，无法创建文件夹 | a file of that name exists, so the folder cannot be made"
        ) from None
    except OSError as exc:
        raise OutputError(folder, f"无法创建文件夹 | cannot create the folder: {exc.strerror or exc}") from None
    return topmost


def topmost_missing(folder: Path) -> Path | None:
    """The outermost folder of ``folder``'s path that does not exist yet, or None if it exists."""
    if folder.exists():
        return None
    topmost = folder
    while not topmost.parent.exists() and topmost.parent != topmost:
        topmost = topmost.parent
    return topmost


def remove_if_empty(created: Path | None, folder: Path) -> None:
    """Remove the folders ``create_folder`` made for ``folder`` when nothing was written into them."""
    if created is None:
        return
    current = folder
    while True:
        try:
            current.rmdir()
        except OSError:
            return
        if current == created:
            return
        current = current.parent


def created_message(folder: Path) -> str:
    """What the command says when it made an output folder."""
    return f"已创建文件夹 {folder} | created folder {folder}"

"""Preview: PNG images of a plan's pages, through the PDF LibreOffice makes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from plandoc.errors import ConversionError, OutputError, UsageError
from plandoc.output.libreoffice import Converter
from plandoc.output.staging import DocumentConverter, StagingFolder

PDFTOPPM_SECONDS = 120
"""The longest the page images of one plan may take (a few seconds for a real one)."""
POPPLER_HINT = "install poppler-utils (apt-get install poppler-utils) for pdftoppm"
_EXTENSIONS = {"png": "png", "jpeg": "jpg"}
"""The file name extension pdftoppm gives each image format."""
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_pages(text: str | None) -> tuple[int, int | None]:
    """``"2"`` → (2, 2); ``"1-3"`` → (1, 3); ``None`` → every page."""
    if text is None:
        return 1, None
    match = _RANGE.match(text)
    if not match:
        raise UsageError(f"--pages {text!r}：请写页码如 2，或范围如 1-3 | give a page such as 2 or a range such as 1-3")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if first < 1 or last < first:
        raise UsageError(f"--pages {text!r}：页码从 1 起，范围须从小到大 | pages count from 1 and a range goes upwards")
    return first, last


def preview_pages(
    docx: bytes,
    name: str,
    folder: Path,
    pages: tuple[int, int | None],
    resolution: int = 110,
    converter: Callable[[], DocumentConverter] = Converter,
    image: str = "png",
) -> list[Path]:
    """Write ``NAME-N.png`` (or ``.jpg`` with ``image="jpeg"``) for each page asked for into ``folder``.

    Returns their paths. ``converter`` makes the LibreOffice to use: one with a kept
    profile starts warm.
    """
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise UsageError(f"未安装 pdftoppm | pdftoppm is not installed: {POPPLER_HINT}")
    if not folder.is_dir():
        raise OutputError(folder, "the folder does not exist")
    with StagingFolder(folder, prefix=".plandoc-preview-", converter=converter) as staging:
        staging.stage({name: docx})
        result = staging.convert("pdf")[name]
        if result.output is None:
            raise ConversionError(f"{name}: {result.error}")
        first, last = pages
        command = [pdftoppm, f"-{image}", "-r", str(resolution), "-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        try:
            completed = subprocess.run(
                [*command, str(result.output), str(staging.path / "page")],
                capture_output=True,
                text=True,
                check=False,
                timeout=PDFTOPPM_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(
                f"pdftoppm 未在 {PDFTOPPM_SECONDS} 秒内完成 | pdftoppm did not finish within {PDFTOPPM_SECONDS} s"
            ) from None
        if completed.returncode != 0:
            raise ConversionError(f"pdftoppm 出错 | pdftoppm failed: {completed.stderr.strip()}")
        extension = _EXTENSIONS[image]
        images = sorted(staging.path.glob(f"page-*.{extension}"), key=_page_number)
        if not images:
            raise UsageError(f"--pages：方案不足 {first} 页 | the plan has fewer than {first} page(s)")
        targets = {page: folder / f"{name}-{_page_number(page)}.{extension}" for page in images}
        staging.move_into_place(targets)
        return list(targets.values())


def _page_number(image: Path) -> int:
    return int(image.stem.rsplit("-", 1)[1])

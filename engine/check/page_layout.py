"""The page each paragraph of a checked document is laid out on, from LibreOffice's PDF of it.

The documents are marked with one bookmark per paragraph (``ooxml/paragraph_bookmarks.py``),
converted together by one LibreOffice process through the shared staging folder, and
``pdfinfo -dests`` lists each bookmark's page. Without LibreOffice or poppler, or for a
document LibreOffice cannot convert, there is no layout and the caller keeps its estimate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from plandoc.errors import FontsMissingError, LibreOfficeMissingError, OutputError, UnreadableDocumentError
from plandoc.ooxml.paragraph_bookmarks import PARAGRAPH_BOOKMARK_PREFIX, bookmarked_copy
from plandoc.ooxml.safe_package import SafePackage
from plandoc.output.libreoffice import PDF_WITH_BOOKMARK_DESTINATIONS, Converter
from plandoc.output.staging import StagingFolder

_DESTINATION = re.compile(rf'^\s*(\d+)\s+\[.*\]\s+"{PARAGRAPH_BOOKMARK_PREFIX}(\d+)"\s*$')
PDFINFO_SECONDS = 60


def _converter() -> Converter:
    return Converter(pdf_filter=PDF_WITH_BOOKMARK_DESTINATIONS)


def destination_pages(pdf: Path) -> dict[int, int]:
    """Paragraph number → page, from the PDF's named destinations ``plandocParagraphN``."""
    listed = subprocess.run(
        ["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, timeout=PDFINFO_SECONDS, check=False
    )
    pages: dict[int, int] = {}
    for line in listed.stdout.splitlines():
        match = _DESTINATION.match(line)
        if match:
            pages[int(match.group(2))] = int(match.group(1))
    return pages


def laid_out_pages(packages: Mapping[str, SafePackage]) -> dict[str, dict[int, int]]:
    """Each document's paragraph pages as LibreOffice lays them out, by the key it was given.

    Documents LibreOffice could not lay out are left out; all are when LibreOffice, a
    Chinese font or ``pdfinfo`` is missing.
    """
    if not packages or shutil.which("pdfinfo") is None:
        return {}
    keys = {f"document{index}": key for index, key in enumerate(packages)}
    copies = {}
    for stem, key in keys.items():
        try:
            copies[stem] = bookmarked_copy(packages[key])
        except UnreadableDocumentError:
            continue  # a damaged part the checker never reads: this document keeps estimated pages
    if not copies:
        return {}
    try:
        with StagingFolder(Path(tempfile.gettempdir()), prefix="plandoc-check-", converter=_converter) as staging:
            staging.stage(copies)
            conversions = staging.convert("pdf")
            laid_out = {keys[stem]: destination_pages(c.output) for stem, c in conversions.items() if c.output}
    except (LibreOfficeMissingError, FontsMissingError, OutputError):
        return {}
    return {key: pages for key, pages in laid_out.items() if pages}


def page_of(pages: Mapping[int, int], paragraph: int) -> int | None:
    """The page of ``paragraph``, or of the nearest paragraph before it that has one."""
    for number in range(paragraph, 0, -1):
        if number in pages:
            return pages[number]
    return None

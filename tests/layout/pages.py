"""Read a rendered plan's PDF back the way a reader sees it: page fill, lines, fonts.

``pdftotext -layout`` gives each page's lines (table cells separated by two or more
spaces), ``pdftoppm`` a small grey image of each page for how far down its ink reaches,
and ``pdffonts`` the fonts the glyphs came from.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from PIL import Image

from plandoc.ooxml.document_package import A4_HEIGHT_TWIPS, A4_WIDTH_TWIPS, PAGE_MARGINS_TWIPS
from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.text_measure import is_short
from tests.layout.table_rows import lone_and_split_rows

RESOLUTION = 36
"""Dots per inch of the page images: enough to find the lowest line of ink."""
MIN_FILL = 0.70
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+．|附件)")
TAIL_LINES = 2
"""A page with no more lines than this, not starting with a heading, holds only a table's tail
(besides the table rows read from the page's ruling, see ``table_rows``)."""
_FOOTER = re.compile(r"^-\s*\d+\s*-$")
_INK = 140


@dataclass
class Page:
    """One page of a PDF: its number, its lines of text (footer left out) and its fill."""

    number: int
    lines: list[str]
    fill: float
    """Height from the top margin to the lowest ink, over the height of the text area."""

    @property
    def first_line(self) -> str:
        return self.lines[0].strip() if self.lines else ""

    @property
    def last_line(self) -> str:
        return self.lines[-1].strip() if self.lines else ""


@dataclass
class LayoutReport:
    """What the layout rules found in one plan's PDF."""

    name: str
    pages: list[Page]
    thin_pages: list[int] = field(default_factory=list)
    tail_pages: list[int] = field(default_factory=list)
    """Pages holding a table's continuation of a single row, or no more than ``TAIL_LINES`` lines."""
    split_rows: list[int] = field(default_factory=list)
    """Pages beginning with the rest of a table row split over the page break."""
    broken_cells: list[str] = field(default_factory=list)
    heading_at_page_end: list[int] = field(default_factory=list)
    judged_pages: list[Page] = field(default_factory=list)
    """The pages the fill rule applies to: not the cover, the last, or one before 附件."""

    @property
    def ok(self) -> bool:
        return not (
            self.thin_pages or self.tail_pages or self.split_rows or self.broken_cells or self.heading_at_page_end
        )

    def row(self) -> str:
        """One line of the summary table."""
        fills = [p.fill for p in self.judged_pages] or [1.0]
        return (
            f"{self.name:<24} {len(self.pages):>5} {min(fills):>8.0%} {len(self.thin_pages):>5}"
            f" {len(self.tail_pages):>5} {len(self.split_rows):>5} {len(self.broken_cells):>7}"
            f" {len(self.heading_at_page_end):>8}"
        )


SUMMARY_HEADER = (
    f"{'plan':<24} {'pages':>5} {'min fill':>8} {'thin':>5} {'tail':>5} {'split':>5} {'wrapped':>7} {'headEnd':>8}"
)


def _page_fills(pdf: Path) -> list[float]:
    dots_per_twip = RESOLUTION / 1440
    top = round(PAGE_MARGINS_TWIPS["top"] * dots_per_twip)
    bottom = round((A4_HEIGHT_TWIPS - PAGE_MARGINS_TWIPS["bottom"]) * dots_per_twip)
    left = round(PAGE_MARGINS_TWIPS["left"] * dots_per_twip)
    right = round((A4_WIDTH_TWIPS - PAGE_MARGINS_TWIPS["right"]) * dots_per_twip)
    fills: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-gray", str(pdf), f"{folder}/page"], check=True)
        for image_path in sorted(Path(folder).iterdir(), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            with Image.open(image_path) as image:
                area = image.crop((left, top, right, bottom)).point(lambda value: 255 if value < _INK else 0)
                box = area.getbbox()
            fills.append(box[3] / (bottom - top) if box else 0.0)
    return fills


def read_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its text lines and fill."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    fills = _page_fills(pdf)
    pages: list[Page] = []
    for number, (page_text, fill) in enumerate(zip(text.split("\f"), fills, strict=False), start=1):
        lines = [line for line in page_text.splitlines() if line.strip() and not _FOOTER.match(line.strip())]
        pages.append(Page(number, lines, fill))
    return pages


def pdf_fonts(pdf: Path) -> set[str]:
    """The base names of the fonts in ``pdf`` (subset prefixes removed)."""
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}


def short_cell_texts(docx: Path) -> set[str]:
    """Every line of table-cell text that must not wrap (see ``text_measure.is_short``)."""
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    texts: set[str] = set()
    for cell in body.iter(qn("w:tc")):
        if cell.find(f".//{qn('w:tbl')}") is not None:
            continue  # a cell holding a table: its own cells are read
        for paragraph in cell.iter(qn("w:p")):
            pieces = (n.text or "" if n.tag == qn("w:t") else "\n" for n in paragraph.iter(qn("w:t"), qn("w:br")))
            for line in "".join(pieces).replace("\u2060", "").split("\n"):
                if line.strip() and is_short(line) and all(ord(c) < 0x10000 for c in line):
                    texts.add(_compact(line))
    return texts


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", "").replace("\u2060", ""))


def judge(name: str, docx: Path, pdf: Path) -> LayoutReport:
    """Apply the layout rules to one plan's PDF (and its .docx, for the cell texts)."""
    pages = read_pages(pdf)
    report = LayoutReport(name, pages)
    for index, page in enumerate(pages[1:-1], start=1):
        if pages[index + 1].first_line.startswith("附件"):
            continue
        report.judged_pages.append(page)
        if page.fill < MIN_FILL:
            report.thin_pages.append(page.number)
    lone_rows, report.split_rows = lone_and_split_rows(pdf)
    for page in pages[1:]:
        if page.number in lone_rows or (len(page.lines) <= TAIL_LINES and not HEADING.match(page.first_line)):
            report.tail_pages.append(page.number)
        if len(page.last_line) <= 30 and HEADING.match(page.last_line) and page is not pages[-1]:
            report.heading_at_page_end.append(page.number)
    # A short text found in no single line, but across neighbouring lines, was wrapped.
    # (A cell's lines sit among other cells' text in -layout output, so each text line is
    # also split into its cells, and neighbouring cells of a column are joined.)
    lines = [_compact(line) for page in pages for line in page.lines]
    cells = [[_compact(c) for c in re.split(r"\s{2,}", line.strip())] for page in pages for line in page.lines]
    joined = "".join(lines)
    columns = {"".join(pair) for above, below in itertools.pairwise(cells) for pair in zip(above, below, strict=False)}
    for text in sorted(short_cell_texts(docx)):
        if not any(text in line for line in lines) and (text in joined or any(text in c for c in columns)):
            report.broken_cells.append(text)
    return report

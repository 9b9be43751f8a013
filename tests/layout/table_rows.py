"""Table rows on the printed pages: where each row of each table landed, from the PDF itself.

A page image (``pdftoppm``) shows the tables' ruling: a horizontal rule is a run of dark
pixels at least ``_RULE_LENGTH`` long, and the band between two rules is a table row when
vertical borders run through all of it (the borders also give the row's cells). The words
of each row come from ``pdftotext -bbox-layout``. A page that begins with a table — nothing
above its first rule — after a page that ends with one holds that table's continuation;
it is wrong when it holds a single row (the header row repeated on the page aside), or when
its first row has words but an empty first cell (a row split over the page break, its
label left on the page before).
"""

from __future__ import annotations

import itertools
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image

from plandoc.ooxml.document_package import A4_WIDTH_TWIPS, PAGE_MARGINS_TWIPS

_SCALE = 2
"""Pixels per point of the page images (144 dots per inch: a 0.5 pt rule is one pixel)."""
_DARK = 160
_BLOCK = 8
"""A rule is looked for in blocks of this many pixels, each entirely dark."""
_RULE_LENGTH = 40.0
"""Points of unbroken dark a horizontal rule has at least: longer than any stroke of text."""
_MIN_ROW_HEIGHT = 8.0
_FOOTER_ZONE = 780.0
"""Words below this height (points from the top) are the page number."""
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    text: str
    x: float
    y: float
    """The centre of the word's box, in points from the top left of the page."""


@dataclass(frozen=True)
class Row:
    top: float
    bottom: float
    borders: tuple[float, ...]
    """The x of each vertical border, left to right: the cells lie between them."""
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PrintedPage:
    number: int
    rows: tuple[Row, ...]
    words: tuple[Word, ...]

    def starts_with_table(self) -> bool:
        return bool(self.rows) and all(w.y > self.rows[0].top for w in self.words)

    def ends_with_table(self) -> bool:
        return bool(self.rows) and all(w.y < self.rows[-1].bottom for w in self.words)

    def first_table(self) -> list[Row]:
        """The rows of the table at the top of the page (rows sharing their rules)."""
        table = list(self.rows[:1])
        for row in self.rows[1:]:
            if abs(row.top - table[-1].bottom) > 1.0:
                break
            table.append(row)
        return table

    def last_table(self) -> list[Row]:
        table = list(self.rows[-1:])
        for row in reversed(self.rows[:-1]):
            if abs(row.bottom - table[0].top) > 1.0:
                break
            table.insert(0, row)
        return table


def _level(image: Image.Image, x: int, y: int) -> float:
    """The grey level of one pixel of a single-band image."""
    value = image.getpixel((x, y))
    assert isinstance(value, int | float)
    return float(value)


def _words(pdf: Path) -> list[list[Word]]:
    listing = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = etree.fromstring(listing, etree.XMLParser(recover=True))
    pages: list[list[Word]] = []
    for page in root.iter(f"{_XHTML}page"):
        words = []
        for word in page.iter(f"{_XHTML}word"):
            x = (float(word.get("xMin", 0)) + float(word.get("xMax", 0))) / 2
            y = (float(word.get("yMin", 0)) + float(word.get("yMax", 0))) / 2
            if y < _FOOTER_ZONE:
                words.append(Word(word.text or "", x, y))
        pages.append(words)
    return pages


def _rules(image: Image.Image, left: int, right: int) -> list[float]:
    """The heights (points) of the horizontal rules between ``left`` and ``right`` pixels."""
    height = image.height
    dark = image.crop((left, 0, right, height)).point(lambda v: 255 if v < _DARK else 0)
    blocks = dark.resize(((right - left) // _BLOCK, height), Image.Resampling.BOX)
    needed = round(_RULE_LENGTH * _SCALE / _BLOCK)
    # only a pixel row with enough dark blocks in all can hold a rule
    totals = blocks.resize((1, height), Image.Resampling.BOX)
    least = 250 * needed / blocks.width
    rows: list[int] = []
    for y in (y for y in range(height) if _level(totals, 0, y) >= least):
        run = longest = 0
        for x in range(blocks.width):
            run = run + 1 if _level(blocks, x, y) >= 250 else 0
            longest = max(longest, run)
        if longest >= needed:
            rows.append(y)
    rules: list[list[int]] = []
    for y in rows:
        if rules and y - rules[-1][-1] <= 2:
            rules[-1].append(y)
        else:
            rules.append([y])
    return [(group[0] + group[-1]) / 2 / _SCALE for group in rules if len(group) <= 2 * _SCALE]


def _borders(image: Image.Image, left: int, right: int, top: float, bottom: float) -> tuple[float, ...]:
    """The x (points) of the vertical lines that run through the whole band."""
    band = image.crop((left, round(top * _SCALE) + 2, right, round(bottom * _SCALE) - 2))
    column = band.point(lambda v: 255 if v < _DARK else 0).resize((band.width, 1), Image.Resampling.BOX)
    xs = [x for x in range(column.width) if _level(column, x, 0) >= 250]
    borders: list[float] = []
    for x in xs:
        if not borders or (left + x) / _SCALE - borders[-1] > 2:
            borders.append((left + x) / _SCALE)
    return tuple(borders)


def _page_rows(image: Image.Image, words: list[Word]) -> tuple[Row, ...]:
    margin = PAGE_MARGINS_TWIPS["left"] / 20 * _SCALE
    left, right = round(margin * 0.8), round((A4_WIDTH_TWIPS / 20) * _SCALE - margin * 0.8)
    rules = _rules(image, left, right)
    rows: list[Row] = []
    for top, bottom in itertools.pairwise(rules):
        if bottom - top < _MIN_ROW_HEIGHT:
            continue
        borders = _borders(image, left, right, top, bottom)
        if len(borders) < 2:
            continue
        inside = [w for w in words if top < w.y < bottom]
        cells = tuple("".join(w.text for w in inside if a < w.x < b) for a, b in itertools.pairwise(borders))
        rows.append(Row(top, bottom, borders, cells))
    return tuple(rows)


def read_printed_pages(pdf: Path) -> list[PrintedPage]:
    """Every page of ``pdf`` with its table rows and words."""
    words = _words(pdf)
    pages: list[PrintedPage] = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(72 * _SCALE), "-gray", str(pdf), f"{folder}/page"], check=True)
        images = sorted(Path(folder).iterdir(), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        for number, (image_path, page_words) in enumerate(zip(images, words, strict=False), start=1):
            with Image.open(image_path) as image:
                pages.append(PrintedPage(number, _page_rows(image, page_words), tuple(page_words)))
    return pages


def lone_and_split_rows(pdf: Path) -> tuple[list[int], list[int]]:
    """The pages holding a table's continuation of a single row, and those beginning with a split row."""
    pages = read_printed_pages(pdf)
    lone: list[int] = []
    split: list[int] = []
    for before, page in itertools.pairwise(pages):
        if not (before.ends_with_table() and page.starts_with_table()):
            continue
        continuation = page.first_table()
        header = before.last_table()[0].cells if before.last_table() else ()
        if continuation[0].cells == header and len(continuation) > 1:
            continuation = continuation[1:]  # the header row, repeated on the page
        if len(continuation) == 1:
            lone.append(page.number)
        first = continuation[0].cells
        if first and not first[0] and any(first[1:]):
            split.append(page.number)
    return lone, split

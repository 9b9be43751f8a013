"""Read the rows of sheet XML written the plain way (as plandoc, Excel and LibreOffice write it) by pattern.

Most cells of a sheet are ``<c r="B7" s="2" t="s"><v>12</v></c>`` or an inline string
``<c r="B7" t="inlineStr"><is><t>文字</t></is></c>``. Matching those with one regular
expression is several times faster than building an element tree for every cell, which
is what made a batch from a workbook slow. The XML is read in blocks that end at a row's
end, so memory stays flat. Anything else — a formula, rich text, a namespace prefix, an
encoding other than UTF-8 — raises ``NotPlain`` with the last row read, and the caller
reads on from there with a real XML parser.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from typing import IO, NamedTuple

from plandoc.ooxml.namespaces import SPREADSHEET_NS

BLOCK = 1 << 16
"""Bytes read at a time: small, as every sheet of a workbook is open at once while it streams."""
_MAIN = f'xmlns="{SPREADSHEET_NS}"'.encode()
_ROW = re.compile(rb"<row\b([^>]*?)(/>|>(.*?)</row>)", re.S)
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?((?: [a-zA-Z:]+="[^"<]*")*) ?'
    rb'(?:/>|>(?:<v>([^<]*)</v>|<v/>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_OUT_OF_ORDER = re.compile(rb' [st]="')
_MERGE = re.compile(rb'<mergeCell ref="([^"]*)"')


class RawCell(NamedTuple):
    """One cell as the XML gives it, before its value is typed."""

    letters: str | None
    """The column letters of its reference (None when the cell has no reference)."""
    kind: str
    style: int
    text: str | None
    """The text of ``<v>``."""
    inline: str | None
    """The text of an inline string."""
    formula: str | None = None


class NotPlain(Exception):  # noqa: N818 - a signal to read on with lxml, never shown to a user
    """The sheet holds XML this reader does not match; ``last_row`` rows were read."""

    def __init__(self, last_row: int) -> None:
        super().__init__(last_row)
        self.last_row = last_row


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as an XML parser reads line ends
    return html.unescape(text) if "&" in text else text


@functools.lru_cache(maxsize=1024)
def column_number(letters: str) -> int:
    """The column number of column letters: A → 1, AA → 27."""
    number = 0
    for character in letters:
        number = number * 26 + ord(character.upper()) - 64
    return number


def row_cells(content: bytes, row_number: int, last_column: int = 0) -> list[RawCell]:
    """The cells of one row's XML, up to ``last_column`` when it is given; raise NotPlain where it cannot."""
    cells: list[RawCell] = []
    keep = cells.append
    end = len(content)
    for match in _CELL.finditer(content):
        letters, style, kind, others, value, inline = match.groups()
        column = letters.decode("ascii")
        if last_column and column_number(column) > last_column:
            end = match.start()
            break
        if others and _OUT_OF_ORDER.search(others):
            raise NotPlain(row_number - 1)
        if value is not None:  # most often digits (a shared string's index, a number): no escapes to undo
            text = _text(value) if b"&" in value or b"\r" in value else value.decode("utf-8")
        else:
            text = None
        inline_text = None if inline is None else _text(inline)
        kind_text = kind.decode("ascii") if kind else "n"
        keep(_new_raw_cell(RawCell, (column, kind_text, int(style) if style else 0, text, inline_text, None)))
    if len(cells) != content.count(b"<c", 0, end):  # a cell the pattern skipped is not plain
        raise NotPlain(row_number - 1)
    return cells


_new_raw_cell = tuple.__new__
"""Makes a RawCell from a tuple, without the argument handling of its constructor (one per cell)."""


def plain_rows(source: IO[bytes], merged: list[str] | None) -> Iterator[tuple[int, bytes]]:
    """(row number, the row's XML) for each row of the sheet, empty rows included; raise NotPlain where it cannot."""
    buffer = source.read(max(BLOCK, 1024))
    head = buffer[:1024]
    if b"<worksheet " not in head or _MAIN not in head or re.search(rb'encoding="(?![Uu][Tt][Ff]-?8")', head):
        raise NotPlain(0)
    row_number = 0
    while True:
        more = source.read(BLOCK)
        end = len(buffer) if not more else buffer.rfind(b"</row>") + len(b"</row>")
        if end < len(b"</row>") and more:
            buffer += more  # no whole row yet
            continue
        part, buffer = buffer[:end], buffer[end:] + more
        for match in _ROW.finditer(part):
            attributes, _, content = match.groups()
            given = _ROW_NUMBER.search(attributes)
            row_number = int(given.group(1)) if given else row_number + 1
            yield row_number, content or b""
        if merged is not None:
            merged.extend(ref.decode("utf-8") for ref in _MERGE.findall(part))
        if not more:
            if not part.rstrip().endswith(b"</worksheet>"):
                raise NotPlain(row_number)  # cut short: the XML parser says where
            return

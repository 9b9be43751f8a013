"""Stream the cells of an .xlsx file, one row at a time, as Excel stored them.

openpyxl (read-only) reads the workbook's sheets, shared strings and styles; the cells
of a sheet are then streamed with lxml, which keeps the cached results of formulas *and*
tells a formula that has none, reports merged cells, and knows which cells are formatted
as dates or percentages. Nothing else in plandoc touches openpyxl's internals.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import ParseError

import openpyxl
from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import InputReadError
from plandoc.ooxml.namespaces import SPREADSHEET_NS
from plandoc.workbook.plain_sheet import NotPlain, RawCell, column_number, plain_rows, row_cells

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


class UncachedFormula:
    """The value of a formula cell saved without its result (written by a program, never opened)."""

    def __init__(self, formula: str) -> None:
        self.formula = formula


class CellRead(NamedTuple):
    """One non-empty cell: its value as Excel typed it, and whether it is shown as a percentage.

    A named tuple rather than a frozen dataclass: one is made for every cell of a
    workbook, and a tuple is made several times faster.
    """

    column: int
    value: Any
    percent: bool = False
    error: bool = False
    """The cell holds an Excel error value such as #DIV/0!."""


def _refused(file: str, message: str, hint: str | None = None) -> InputReadError:
    return InputReadError(Diagnostic(Severity.ERROR, "workbook", message, file=file, hint=hint))


def _check_container(path: Path) -> None:
    file = str(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            if head == _OLE_SIGNATURE:
                if _ENCRYPTED_MARK in head + stream.read():
                    raise _refused(
                        file,
                        "该工作簿设有打开密码，无法读取 | the workbook is password-protected",
                        "在 Excel 中打开并去掉密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后再保存",
                    )
                raise _refused(
                    file,
                    "这是旧版 .xls 文件 | this is an old .xls file, not .xlsx",
                    "在 Excel 中另存为“Excel 工作簿 (*.xlsx)”",
                )
    except FileNotFoundError:
        raise InputReadError(Diagnostic(Severity.ERROR, "file-not-found", "no such file", file=file)) from None
    except IsADirectoryError:
        raise _refused(file, "is a folder, not a workbook") from None
    except OSError as exc:
        raise _refused(file, f"cannot read: {exc.strerror}") from None


_UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ParseError,  # openpyxl reads each sheet's size with the standard library's parser
    etree.XMLSyntaxError,  # and the workbook's own parts with lxml's
    ValueError,  # a style or a defined name openpyxl cannot take
    TypeError,
    zlib.error,
    EOFError,
)
"""What openpyxl raises for a workbook it cannot read."""


class ExcelFile:
    """An open .xlsx workbook whose sheets are read row by row."""

    def __init__(self, path: Path) -> None:
        _check_container(path)
        self.file = str(path)
        try:
            # Opened here, not by openpyxl: when openpyxl refuses a workbook it leaves its own
            # handle open, and the file is then held until the garbage collector finds it.
            self._handle = path.open("rb")
        except OSError as exc:
            raise _refused(self.file, f"cannot read: {exc.strerror}") from None
        try:
            self._book = openpyxl.load_workbook(self._handle, read_only=True, data_only=True, keep_links=False)
            # In read-only mode openpyxl hands the shared-string table to each sheet, not to the
            # workbook (whose own table is for writing): workbooks saved by Excel or LibreOffice
            # keep their text there.
            sheets = self._book.worksheets
            self._shared_strings: list[str] = list(getattr(sheets[0], "_shared_strings", [])) if sheets else []
            self._percent_styles = frozenset(
                index
                for index, style in enumerate(self._book._cell_styles)
                if "%" in self._number_format(style.numFmtId)
            )
        except _UNREADABLE as exc:
            self._handle.close()
            raise _refused(self.file, f"不是可读的 .xlsx 工作簿 | not a readable .xlsx workbook ({exc})") from None
        except BaseException:
            self._handle.close()
            raise

    def _number_format(self, format_id: int) -> str:
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(format_id, "General"))
        return str(self._book._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE])

    def close(self) -> None:
        """Release the file."""
        self._book.close()
        self._handle.close()

    def __enter__(self) -> ExcelFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sheet_names(self) -> list[str]:
        """The names of every sheet, hidden ones included."""
        return list(self._book.sheetnames)

    def is_hidden(self, name: str) -> bool:
        """Whether the sheet is hidden (or very hidden) in Excel."""
        return str(self._book[name].sheet_state) != "visible"

    def row_count(self, name: str) -> int | None:
        """The rows the sheet says it spans (its stored dimension), when it says so."""
        worksheet = self._book[name]
        return worksheet.max_row if isinstance(worksheet, ReadOnlyWorksheet) else None

    def rows(
        self, name: str, merged: list[str] | None = None, only: set[int] | None = None
    ) -> Iterator[tuple[int, list[CellRead]]]:
        """Each row that holds anything, as (row number, its non-empty cells); merged ranges go to ``merged``.

        ``only``, once it holds column numbers, limits the cells read to those columns
        (a caller may fill it after the heading row).

        The sheet's XML is streamed a block at a time and matched by pattern where it is
        written the plain way (``plain_sheet``), else parsed with lxml, each row dropped
        once read; either way memory does not grow with the sheet.
        """
        worksheet = self._book[name]
        if not isinstance(worksheet, ReadOnlyWorksheet):
            return
        try:
            yield from self._stream(worksheet, merged, only)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise _refused(self.file, f"工作表“{name}”已损坏 | the sheet {name} is damaged ({exc})") from None

    def _stream(
        self, worksheet: ReadOnlyWorksheet, merged: list[str] | None, only: set[int] | None
    ) -> Iterator[tuple[int, list[CellRead]]]:
        with worksheet._get_source() as source:
            try:
                for row_number, content in plain_rows(source, merged):
                    found = self._typed(row_cells(content, row_number, max(only) if only else 0), only)
                    if found:
                        yield row_number, found
                return
            except NotPlain as stop:
                read = stop.last_row
        with worksheet._get_source() as source:
            row_number = 0
            for _, element in etree.iterparse(source, events=("end",), tag=(_ROW, _MERGE_CELL), resolve_entities=False):
                if element.tag == _MERGE_CELL:
                    if merged is not None:
                        merged.append(element.get("ref", ""))
                    continue
                given = element.get("r")
                row_number = int(given) if given and given.isdigit() else row_number + 1
                found = self._typed(_raw_cells(element), only) if row_number > read else []
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
                if found:
                    yield row_number, found

    def _typed(self, raw: list[RawCell], only: set[int] | None) -> list[CellRead]:
        found: list[CellRead] = []
        keep = found.append
        column = 0
        last = max(only) if only else 0
        shared, dates, percents = self._shared_strings, self._book._date_formats, self._percent_styles
        value: Any
        for letters, kind, style, text, inline, formula in raw:
            column = column_number(letters) if letters else column + 1
            if kind == "s" and text and not last:  # most cells: a shared string, by far the commonest
                value = shared[int(text)]
                if value != "":
                    keep(_new_cell(CellRead, (column, value, style in percents, False)))
                continue
            if last:
                if column > last:
                    break  # cells come in column order: none of the wanted ones is left
                if column not in only:  # type: ignore[operator]
                    continue
            if kind == "s" and text:
                value = shared[int(text)]
            elif kind == "inlineStr":
                value = inline
            elif text is None or text == "":
                value = UncachedFormula(formula) if formula is not None else None
            elif kind == "b":
                value = text.strip() in ("1", "true")
            elif kind in ("str", "e"):
                value = text
            elif kind == "d":
                value = from_ISO8601(text)
            else:
                value = _number(text)
                if style in dates:
                    value = from_excel(value, self._book.epoch)
            if value is not None and value != "":
                keep(_new_cell(CellRead, (column, value, style in percents, kind == "e")))
        return found


def _raw_cells(row: Any) -> list[RawCell]:
    """The cells of a parsed ``<row>`` element."""
    cells: list[RawCell] = []
    for cell in row.iterchildren(_CELL):
        reference = cell.get("r")
        text: str | None = None
        formula: str | None = None
        inline: str | None = None
        for part in cell:  # one walk over <v>, <f> and <is>, rather than a search for each
            if part.tag == _VALUE:
                text = part.text
            elif part.tag == _FORMULA:
                formula = part.text or ""
            elif part.tag == _INLINE:
                inline = "".join(t.text or "" for t in part.iter(_TEXT))
        letters = reference.rstrip("0123456789") if reference else None
        cells.append(RawCell(letters, cell.get("t", "n"), int(cell.get("s", 0)), text, inline, formula))
    return cells


_new_cell = tuple.__new__
"""Makes a CellRead from a tuple without the keyword handling of its constructor."""

_NS = f"{{{SPREADSHEET_NS}}}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f"
_INLINE, _TEXT, _MERGE_CELL = f"{_NS}is", f"{_NS}t", f"{_NS}mergeCell"


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)

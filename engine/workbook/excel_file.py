"""Stream the cells of an .xlsx file, one row at a time, as Excel stored them.

openpyxl's read-only mode, with its worksheet parser driven directly: that keeps the
cached results of formulas *and* tells a formula that has none, reports merged cells,
and knows which cells are formatted as percentages. Nothing else in plandoc imports
openpyxl's internals.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from plandoc.errors import Diagnostic, InputReadError, Severity

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


class UncachedFormula:
    """The value of a formula cell saved without its result (written by a program, never opened)."""

    def __init__(self, formula: str) -> None:
        self.formula = formula


@dataclass(frozen=True, slots=True)
class CellRead:
    """One non-empty cell: its value as Excel typed it, and whether it is shown as a percentage."""

    column: int
    value: Any
    percent: bool = False
    error: bool = False
    """The cell holds an Excel error value such as #DIV/0!."""


class _Parser(WorkSheetParser):  # type: ignore[misc]
    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = UncachedFormula(element.findtext(FORMULA_TAG) or "")
        return cell


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


class ExcelFile:
    """An open .xlsx workbook whose sheets are read row by row."""

    def __init__(self, path: Path) -> None:
        _check_container(path)
        self.file = str(path)
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise _refused(self.file, f"不是可读的 .xlsx 工作簿 | not a readable .xlsx workbook ({exc})") from None
        self._percent_styles = frozenset(
            index for index, style in enumerate(self._book._cell_styles) if "%" in self._number_format(style.numFmtId)
        )

    def _number_format(self, format_id: int) -> str:
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(format_id, "General"))
        return str(self._book._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE])

    def close(self) -> None:
        """Release the file."""
        self._book.close()

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

    def rows(self, name: str, merged: list[str] | None = None) -> Iterator[tuple[int, list[CellRead]]]:
        """Each row that holds anything, as (row number, its non-empty cells); merged ranges go to ``merged``."""
        worksheet = self._book[name]
        if not isinstance(worksheet, ReadOnlyWorksheet):
            return
        with worksheet._get_source() as source:
            parser = _Parser(
                source,
                self._book.shared_strings,
                data_only=True,
                epoch=self._book.epoch,
                date_formats=self._book._date_formats,
                timedelta_formats=self._book._timedelta_formats,
            )
            for number, cells in parser.parse():
                found = [
                    CellRead(
                        cell["column"],
                        cell["value"],
                        cell["style_id"] in self._percent_styles,
                        cell["data_type"] == "e",
                    )
                    for cell in cells
                    if cell["value"] is not None and cell["value"] != ""
                ]
                if found:
                    yield number, found
            if merged is not None and parser.merged_cells is not None:
                merged.extend(str(cell.ref) for cell in parser.merged_cells.mergeCell)

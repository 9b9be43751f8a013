"""Write plans into one workbook: bold frozen headers, drop-downs, date formats, readable widths.

Rows are streamed (XlsxWriter's constant-memory mode) and every text is written as an
inline string, so neither writing nor reading a large workbook holds it all in memory.
The file appears whole or not at all (a temporary file and a rename).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from plandoc.errors import OutputError
from plandoc.output.atomic import check_destination
from plandoc.schemas import Plan
from plandoc.vocabulary import DOCUMENT_KIND
from plandoc.workbook.layout import NOTES_SHEET, Column, Layout, Sheet, ValueKind, workbook_layout
from plandoc.workbook.records import plan_rows

MAX_ROW = 1_048_575
"""The last row index of a sheet; drop-downs and formats cover the whole column."""
FIXED_TIME = dt.datetime(2026, 1, 1)
"""The workbook's creation time, fixed so that the same plans give the same file."""
_WIDTHS = {
    ValueKind.DATE: 12,
    ValueKind.NUMBER: 10,
    ValueKind.INTEGER: 10,
    ValueKind.BOOLEAN: 10,
    ValueKind.ORDER: 8,
    ValueKind.KEY: 18,
    ValueKind.CHOICE: 12,
    ValueKind.LINES: 24,
    ValueKind.IDS: 14,
    ValueKind.TEXT: 28,
}


def _display_width(text: str) -> int:
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)


def _width(column: Column) -> int:
    return max(_WIDTHS[column.kind], _display_width(column.heading) + 4)


class _Formats:
    def __init__(self, book: Any) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        self.plain = book.add_format({"valign": "top"})


def _prepare_sheet(book: Any, sheet: Sheet, formats: _Formats) -> Any:
    worksheet = book.add_worksheet(sheet.name)
    worksheet.freeze_panes(1, 0)
    for index, column in enumerate(sheet.columns):
        style = {ValueKind.DATE: formats.date, ValueKind.LINES: formats.wrapped, ValueKind.TEXT: formats.wrapped}
        worksheet.set_column(index, index, _width(column), style.get(column.kind, formats.plain))
        worksheet.write_string(0, index, column.heading, formats.header)
        if column.choices:
            worksheet.data_validation(
                1,
                index,
                MAX_ROW,
                index,
                {
                    "validate": "list",
                    "source": list(column.choices),
                    "error_title": column.heading,
                    "error_message": "请从下拉列表中选择：" + "、".join(column.choices),
                },
            )
    return worksheet


def _write_cell(worksheet: Any, row: int, index: int, column: Column, value: Any, formats: _Formats) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        worksheet.write_boolean(row, index, value)
    elif isinstance(value, dt.date):
        worksheet.write_datetime(row, index, dt.datetime.combine(value, dt.time()), formats.date)
    elif isinstance(value, int | float):
        worksheet.write_number(row, index, value)
    else:
        # write_string, never write(): a text such as "=1+1" or "007" stays text.
        worksheet.write_string(row, index, str(value), formats.wrapped if "\n" in str(value) else None)


def _write_notes(book: Any, layout: Layout, formats: _Formats) -> None:
    worksheet = book.add_worksheet(NOTES_SHEET)
    worksheet.freeze_panes(1, 0)
    headings = ("工作表", "列", "字段", "必填", "可选值", "说明")
    for index, (heading, width) in enumerate(zip(headings, (12, 20, 34, 6, 24, 70), strict=True)):
        worksheet.set_column(index, index, width, formats.wrapped)
        worksheet.write_string(0, index, heading, formats.header)
    row = 1
    for sheet in layout.sheets:
        worksheet.write_string(row, 0, sheet.name, formats.header)
        worksheet.write_string(row, 5, sheet.description)
        row += 1
        for column in sheet.columns:
            field = ".".join(filter(None, (".".join(sheet.path) + ("[]" if sheet.path else ""), *column.field)))
            cells = (sheet.name, column.heading, field, "是" if column.required else "", "、".join(column.choices))
            for index, text in enumerate((*cells, column.description)):
                if text:
                    worksheet.write_string(row, index, text)
            row += 1


def _discard(book: Any) -> None:
    """Close the row files of a workbook abandoned half-way (constant-memory mode keeps one per sheet)."""
    for worksheet in book.worksheets() if book is not None else []:
        handle = getattr(worksheet, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()


def write_workbook(path: Path, plans: Iterable[Plan]) -> int:
    """Write ``plans`` into a new workbook at ``path``; return how many plans it holds."""
    layout = workbook_layout()
    folder = path.parent if str(path.parent) else Path()
    check_destination(path)
    if not folder.is_dir():
        raise OutputError(path, f"the folder {folder} does not exist")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    count = 0
    book = None
    try:
        book = xlsxwriter.Workbook(str(temporary), {"constant_memory": True, "strings_to_numbers": False})
        book.set_properties({"created": FIXED_TIME, "title": DOCUMENT_KIND, "comments": "plandoc workbook"})
        formats = _Formats(book)
        sheets = {sheet.name: _prepare_sheet(book, sheet, formats) for sheet in layout.sheets}
        next_row = dict.fromkeys(sheets, 1)
        for plan in plans:
            count += 1
            for sheet, values in plan_rows(plan, layout):
                worksheet, row = sheets[sheet.name], next_row[sheet.name]
                for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
                    _write_cell(worksheet, row, index, column, value, formats)
                next_row[sheet.name] = row + 1
        _write_notes(book, layout, formats)
        book.close()
        check_destination(path)
        temporary.replace(path)
    except (OSError, XlsxWriterException) as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError(path, str(getattr(exc, "strerror", None) or exc)) from None
    except BaseException:
        _discard(book)
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return count

"""Read the sheets of a workbook against the layout: headings, rows, and the workbook's own mistakes.

Mistakes of the workbook's shape (an unknown column or sheet, a merged cell, a hidden
sheet holding data, a missing 方案编号 column) are found here, each at its cell; what
the cells mean is the validator's to judge.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plandoc.errors import Diagnostic, Severity
from plandoc.workbook.cells import is_blank
from plandoc.workbook.excel_file import CellRead, ExcelFile
from plandoc.workbook.layout import NOTES_SHEET, PLAN_KEY, Column, Layout, Sheet, ValueKind
from plandoc.workbook.positions import SheetColumns


def cell_diagnostic(
    file: str,
    sheet: str,
    row: int,
    column: int,
    path: str,
    message: str,
    code: str = "workbook",
    hint: str | None = None,
) -> Diagnostic:
    """A located problem of one cell: ``book.xlsx:访问记录!C7: 访问日期: …``."""
    return Diagnostic(
        Severity.ERROR, code, message, file=file, line=row, column=column, path=path, hint=hint, sheet=sheet
    )


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The choice nearest a mistyped word, if any is near enough."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5 if len(word) <= 4 else 0.6)
    return found[0] if found else None


@dataclass
class SheetRows:
    """The rows of one layout sheet, with the columns this workbook gives it."""

    layout: Sheet
    columns: dict[int, Column]
    rows: list[tuple[int, dict[int, CellRead]]] = field(default_factory=list)
    unknown: set[int] = field(default_factory=set)
    """Columns whose heading is unknown (reported once, at the heading)."""

    def positions(self) -> SheetColumns:
        """The sheet's columns, for locating keys."""
        key_column = next((n for n, c in self.columns.items() if c.heading == PLAN_KEY), 1)
        fields = {c.field: (n, c.heading) for n, c in self.columns.items() if c.field and c.kind is not ValueKind.KEY}
        return SheetColumns(self.layout.name, key_column, fields)

    def number_of(self, heading: str) -> int | None:
        """The column number headed ``heading`` in this workbook."""
        return next((n for n, c in self.columns.items() if c.heading == heading), None)


class WorkbookScan:
    """Every layout sheet of a workbook, read whole, and the problems of its shape."""

    def __init__(self, path: Path, layout: Layout) -> None:
        self.file = str(path)
        self.layout = layout
        self.sheets: dict[str, SheetRows] = {}
        self.problems: list[Diagnostic] = []
        with ExcelFile(path) as excel:
            for name in excel.sheet_names:
                self._read_sheet(excel, name)
        for sheet in layout.sheets:
            self.sheets.setdefault(sheet.name, SheetRows(sheet, {}))

    def _problem(self, sheet: str, row: int, column: int, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(cell_diagnostic(self.file, sheet, row, column, path, message, hint=hint))

    def _read_sheet(self, excel: ExcelFile, name: str) -> None:
        known = name in self.layout.names
        merged: list[str] = []
        rows = excel.rows(name, merged)
        first = next(rows, None)
        if first is None or name == NOTES_SHEET:
            return
        if excel.is_hidden(name):
            self._problem(
                name,
                first[0],
                1,
                name,
                "隐藏的工作表中有数据 | a hidden sheet holds data",
                "取消隐藏（右键工作表标签 → 取消隐藏）并检查，或删除该表",
            )
            return
        if not known:
            suggestion = closest(name, self.layout.names)
            if suggestion:
                self._problem(
                    name, first[0], 1, name, f"未知的工作表 | unknown sheet '{name}'; did you mean '{suggestion}'?"
                )
            return
        unknown: set[int] = set()
        sheet = SheetRows(self.layout.sheet(name), self._headings(name, first, unknown), unknown=unknown)
        self.sheets[name] = sheet
        for number, cells in rows:
            by_column = {cell.column: cell for cell in cells if not is_blank(cell)}
            if by_column:
                sheet.rows.append((number, by_column))
            for column in set(by_column) - set(sheet.columns) - sheet.unknown:
                self._problem(
                    name, number, column, name, "这一列没有标题，数据无法归属 | a value in a column without a heading"
                )
        for ref in merged:
            self._merged(name, ref)

    def _merged(self, name: str, ref: str) -> None:
        from openpyxl.utils.cell import range_boundaries

        column, row, _, _ = range_boundaries(ref)
        self._problem(
            name,
            row or 1,
            column or 1,
            name,
            f"合并单元格 {ref} 无法逐行读取 | merged cells {ref}",
            "取消合并（开始 → 合并后居中 → 取消单元格合并），每个单元格填上自己的值",
        )

    def _headings(self, name: str, first: tuple[int, list[CellRead]], unknown: set[int]) -> dict[int, Column]:
        layout = self.layout.sheet(name)
        accepted = {c.heading: c for c in layout.columns} | {".".join(c.field): c for c in layout.columns if c.field}
        number, cells = first
        columns: dict[int, Column] = {}
        for cell in cells:
            heading = str(cell.value).strip()
            column = accepted.get(heading)
            if column is None:
                unknown.add(cell.column)
                suggestion = closest(heading, [c.heading for c in layout.columns])
                tail = f"; did you mean '{suggestion}'?" if suggestion else ""
                hint = None if suggestion else "本表的列：" + "、".join(c.heading for c in layout.columns)
                self._problem(name, number, cell.column, heading, f"未知的列 | unknown column '{heading}'{tail}", hint)
            elif column in columns.values():
                self._problem(
                    name, number, cell.column, heading, f"列 '{heading}' 出现了两次 | the column is given twice"
                )
            else:
                columns[cell.column] = column
        if number != 1 and columns:
            self._problem(name, number, 1, name, "标题行应在第 1 行 | the heading row must be row 1")
        if PLAN_KEY not in [c.heading for c in columns.values()]:
            self._problem(name, number, 1, name, f"缺少“{PLAN_KEY}”列 | the sheet has no {PLAN_KEY} column")
        return columns

"""Read the sheets of a workbook against the layout: headings, rows, and the workbook's own mistakes.

Mistakes of the workbook's shape (an unknown column or sheet, a merged cell, a hidden
sheet holding data, a missing 方案编号 column) are found here, each at its cell; what
the cells mean is the validator's to judge.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.cell import range_boundaries

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.workbook.cells import UnreadableCellError, is_blank, plan_value
from plandoc.workbook.excel_file import CellRead, ExcelFile
from plandoc.workbook.layout import NOTES_SHEET, PLAN_KEY, PLAN_SHEET, Column, Layout, Sheet, ValueKind
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
    """One layout sheet as this workbook gives it: its columns, and whether its rows come in plan order."""

    layout: Sheet
    columns: dict[int, Column]
    unknown: set[int] = field(default_factory=set)
    """Columns whose heading is unknown (reported once, at the heading)."""
    in_plan_order: bool = True
    """Rows of one plan stand together, plans in the order of 方案: the sheet can be read alongside it."""
    present: bool = False
    numbers: dict[str, int] = field(default_factory=dict)
    """Column number by heading (asked for every row, so looked up rather than searched)."""
    _positions: SheetColumns | None = field(default=None, repr=False, compare=False)

    def take_columns(self, columns: dict[int, Column]) -> None:
        """The columns this workbook gives the sheet, by column number."""
        self.columns = columns
        self.numbers = {column.heading: number for number, column in columns.items()}
        self._positions = None

    def positions(self) -> SheetColumns:
        """The sheet's columns, for locating keys (computed once: asked for every plan)."""
        if self._positions is None:
            self._positions = self._columns_of_fields()
        return self._positions

    def _columns_of_fields(self) -> SheetColumns:
        key_column = next((n for n, c in self.columns.items() if c.heading == PLAN_KEY), 1)
        fields = {c.field: (n, c.heading) for n, c in self.columns.items() if c.field and c.kind is not ValueKind.KEY}
        return SheetColumns(self.layout.name, key_column, fields)

    def number_of(self, heading: str) -> int | None:
        """The column number headed ``heading`` in this workbook."""
        return self.numbers.get(heading)

    def key_of(self, cells: dict[int, CellRead]) -> str | None:
        """The 方案编号 of a row, or None when it has none."""
        number = self.numbers.get(PLAN_KEY)
        cell = cells.get(number) if number else None
        return self.key_in(cell)

    def key_in(self, cell: CellRead | None) -> str | None:
        """The 方案编号 a cell holds, or None when it holds none."""
        if cell is None or is_blank(cell):
            return None
        value = cell.value
        if isinstance(value, str) and not cell.error:
            return value.strip() or None  # the common case, as plan_value would read it
        try:
            return str(plan_value(self.layout.column(PLAN_KEY), cell))
        except UnreadableCellError:
            return None


class WorkbookScan:
    """A first, light pass over a workbook: its shape, its plans' keys, and the problems of the whole.

    Only the 方案编号 column of each row is read. Every problem that concerns the
    workbook as a whole (headings, sheets, merged cells, keys that join nothing, a key
    given twice) is known before the first plan is read.
    """

    def __init__(self, path: Path, layout: Layout) -> None:
        self.file = str(path)
        self.layout = layout
        self.sheets: dict[str, SheetRows] = {sheet.name: SheetRows(sheet, {}) for sheet in layout.sheets}
        self.problems: list[Diagnostic] = []
        self.plan_rows: dict[str, int] = {}
        """方案编号 → its row in 方案, in the order of the sheet."""
        with ExcelFile(path) as excel:
            names = sorted(excel.sheet_names, key=lambda name: name != PLAN_SHEET)
            for name in names:
                self._scan_sheet(excel, name)
        if not self.sheets[PLAN_SHEET].present:
            message = f"工作簿中没有“{PLAN_SHEET}”表 | the workbook has no {PLAN_SHEET} sheet"
            self.problems.append(Diagnostic(Severity.ERROR, "workbook", message, file=self.file))

    def _problem(self, sheet: str, row: int, column: int, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(cell_diagnostic(self.file, sheet, row, column, path, message, hint=hint))

    def _scan_sheet(self, excel: ExcelFile, name: str) -> None:
        merged: list[str] = []
        only: set[int] = set()
        rows = excel.rows(name, merged, only)
        first = next(rows, None)
        if first is None or name == NOTES_SHEET:
            return
        if excel.is_hidden(name):
            hint = "取消隐藏（右键工作表标签 → 取消隐藏）并检查，或删除该表"
            self._problem(name, first[0], 1, name, "隐藏的工作表中有数据 | a hidden sheet holds data", hint)
            return
        if name not in self.sheets:
            suggestion = closest(name, self.layout.names)
            if suggestion:
                message = f"未知的工作表 | unknown sheet '{name}'; did you mean '{suggestion}'?"
                self._problem(name, first[0], 1, name, message)
            return
        sheet = self.sheets[name]
        sheet.present = True
        sheet.take_columns(self._headings(name, first, sheet.unknown))
        only.add(sheet.number_of(PLAN_KEY) or 1)
        if name == PLAN_SHEET:
            self._plan_keys(sheet, rows)
        else:
            self._child_keys(sheet, rows)
        for ref in merged:
            self._merged(name, ref)

    def _plan_keys(self, sheet: SheetRows, rows: Iterator[tuple[int, list[CellRead]]]) -> None:
        column = sheet.number_of(PLAN_KEY) or 1
        for number, cells in rows:
            key = sheet.key_in(cells[0] if cells and cells[0].column == column else None)
            if key is None:
                self._problem(PLAN_SHEET, number, column, PLAN_KEY, f"“{PLAN_KEY}”为空 | {PLAN_KEY} is empty")
            elif key in self.plan_rows:
                first = self.plan_rows[key]
                message = f"方案编号 '{key}' 重复（第 {first} 行已用）| duplicate"
                self._problem(PLAN_SHEET, number, column, PLAN_KEY, message)
            else:
                self.plan_rows[key] = number

    def _child_keys(self, sheet: SheetRows, rows: Iterator[tuple[int, list[CellRead]]]) -> None:
        order = {key: index for index, key in enumerate(self.plan_rows)}
        column = sheet.number_of(PLAN_KEY) or 1
        name = sheet.layout.name
        finished: set[str] = set()
        current: str | None = None
        for number, cells in rows:
            key = sheet.key_in(cells[0] if cells and cells[0].column == column else None)
            if key is None:
                self._problem(name, number, column, PLAN_KEY, f"“{PLAN_KEY}”为空 | {PLAN_KEY} is empty")
            elif key not in order:
                message = f"方案编号 '{key}' 在“{PLAN_SHEET}”表中没有对应的方案 | matches no plan"
                self._problem(name, number, column, PLAN_KEY, message)
            elif key != current:
                if key in finished or (current is not None and order[key] < order[current]):
                    sheet.in_plan_order = False
                if current is not None:
                    finished.add(current)
                current = key

    def _merged(self, name: str, ref: str) -> None:
        column, row, _, _ = range_boundaries(ref)
        hint = "取消合并（开始 → 合并后居中 → 取消单元格合并），每个单元格填上自己的值"
        self._problem(name, row or 1, column or 1, name, f"合并单元格 {ref} 无法逐行读取 | merged cells {ref}", hint)

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

"""Read a workbook's plans one at a time, every sheet alongside the 方案 sheet.

A first light pass (``WorkbookScan``) reads only the 方案编号 column and finds every
problem of the workbook as a whole. The second pass reads each sheet as a stream: the
rows of a sheet whose plans stand together in the order of 方案 (as plandoc writes them)
are handed out plan by plan, so memory stays flat however many plans there are. A sheet
in any other order (rows appended at the bottom, a sheet sorted by date) is read whole
and grouped by plan first: correct, at the cost of that sheet's memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from plandoc.diagnostics import Diagnostic
from plandoc.workbook.assemble import Cells, PlanAssembler, WorkbookPlan, assemble_plan
from plandoc.workbook.excel_file import CellRead, ExcelFile
from plandoc.workbook.layout import PLAN_SHEET, workbook_layout
from plandoc.workbook.sheet_reading import SheetRows, WorkbookScan

RowCells = tuple[int, Cells]


def _filled(rows: Iterator[tuple[int, list[CellRead]]]) -> Iterator[RowCells]:
    """Rows below the heading, as (row number, non-blank cells by column)."""
    next(rows, None)
    for number, cells in rows:
        # is_blank, inlined: this runs for every cell of the workbook
        by_column = {c.column: c for c in cells if not (isinstance(c.value, str) and not c.value.strip())}
        if by_column:
            yield number, by_column


class _SheetFeed:
    """The rows of one sheet, handed out plan by plan."""

    def __init__(self, excel: ExcelFile, sheet: SheetRows, plans: dict[str, int]) -> None:
        self.sheet = sheet
        self.plans = plans
        self.rows = _filled(excel.rows(sheet.layout.name)) if sheet.present else iter(())
        self.waiting: tuple[int, Cells, str] | None = None
        self.grouped: dict[str, list[RowCells]] | None = None
        if not sheet.in_plan_order:
            self.grouped = {}
            for number, cells in self.rows:
                key = sheet.key_of(cells)
                if key in plans:
                    self.grouped.setdefault(key, []).append((number, cells))

    def _next(self) -> tuple[int, Cells, str] | None:
        for number, cells in self.rows:
            key = self.sheet.key_of(cells)
            if key in self.plans:  # rows without a plan were reported by the scan
                return number, cells, key
        return None

    def take(self, key: str) -> list[RowCells]:
        """The rows of plan ``key``."""
        if self.grouped is not None:
            return self.grouped.pop(key, [])
        taken: list[RowCells] = []
        while True:
            if self.waiting is None:
                self.waiting = self._next()
                if self.waiting is None:
                    return taken
            number, cells, row_key = self.waiting
            if row_key != key:
                return taken
            taken.append((number, cells))
            self.waiting = None


def _stream(path: Path, scan: WorkbookScan) -> Iterator[WorkbookPlan]:
    assembler = PlanAssembler(scan)
    plan_sheet = scan.sheets[PLAN_SHEET]
    with ExcelFile(path) as excel:
        feeds = [_SheetFeed(excel, scan.sheets[sheet.name], scan.plan_rows) for sheet in scan.layout.sheets[1:]]
        for number, cells in _filled(excel.rows(PLAN_SHEET)):
            key = plan_sheet.key_of(cells)
            if key is None or scan.plan_rows.get(key) != number:
                continue  # an empty or repeated 方案编号, reported by the scan
            children = {feed.sheet.layout.name: feed.take(key) for feed in feeds}
            yield assemble_plan(assembler, key, number, cells, children)


def read_plans(path: Path) -> tuple[Iterator[WorkbookPlan], list[Diagnostic]]:
    """The plans of a workbook, read lazily, and the problems of the workbook as a whole.

    When there are problems, the plans are not to be trusted (a key may join the wrong
    rows): report the problems instead.
    """
    scan = WorkbookScan(path, workbook_layout())
    return _stream(path, scan), scan.problems

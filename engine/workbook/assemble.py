"""Join the rows of a workbook into plans: for each 方案 row, the raw mapping a plan file holds.

Child rows join their plan by 方案编号 and are ordered by 序号 (a visit's problems join
their visit by 访问序号). Each plan comes with the cell of every key, so the validator's
messages point at ``book.xlsx:访问记录!C7``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from plandoc.diagnostics import Diagnostic
from plandoc.plan.load import KeyPath, Position, SourceDocument
from plandoc.workbook.cells import UnreadableCellError, order_value, plan_value
from plandoc.workbook.excel_file import CellRead
from plandoc.workbook.layout import (
    COMPOSITION_KEY,
    ORDER,
    PLAN_KEY,
    PLAN_SHEET,
    SECTION_KEY,
    SECTION_TEXT,
    VISIT_ORDER,
    FieldPath,
    ValueKind,
)
from plandoc.workbook.positions import CellPositions
from plandoc.workbook.records import field_value
from plandoc.workbook.sheet_reading import SheetRows, WorkbookScan, cell_diagnostic

Cells = dict[int, CellRead]


@dataclass
class WorkbookPlan:
    """One plan of a workbook: its 方案编号, its row, its raw mapping with positions, and cell problems."""

    key: str
    row: int
    source: SourceDocument
    problems: list[Diagnostic] = field(default_factory=list)


def _put(mapping: dict[str, Any], path: FieldPath, value: Any) -> None:
    for name in path[:-1]:
        mapping = mapping.setdefault(name, {})
    mapping[path[-1]] = value


class PlanAssembler:
    """Turns rows into plan mappings, noting each cell that cannot be read against its plan."""

    def __init__(self, scan: WorkbookScan) -> None:
        self.scan = scan
        self.file = scan.file
        self.problems = scan.problems
        self.plan_problems: dict[str, list[Diagnostic]] = defaultdict(list)
        self.orders: dict[tuple[FieldPath, str], list[Any]] = {}
        """(list path, 方案编号) → the 序号 of each item, in order: how nested rows find their visit."""

    def problem(self, sheet: SheetRows, row: int, heading: str, message: str, key: str | None = None) -> None:
        column = sheet.number_of(heading) or 1
        diagnostic = cell_diagnostic(self.file, sheet.layout.name, row, column, heading, message)
        (self.plan_problems[key] if key is not None else self.problems).append(diagnostic)

    def record(self, sheet: SheetRows, row: int, cells: Cells, key: str) -> dict[str, Any]:
        """The mapping of one row's data columns; a required column left empty gives None, for the validator."""
        record: dict[str, Any] = {}
        columns, unknown = sheet.columns, sheet.unknown
        for number in [number for number in cells if number not in columns and number not in unknown]:
            cell_message = "这一列没有标题，数据无法归属 | a value in a column without a heading"
            self.plan_problems[key].append(
                cell_diagnostic(self.file, sheet.layout.name, row, number, sheet.layout.name, cell_message)
            )
        for number, column in sheet.columns.items():
            if not column.field or column.heading == PLAN_KEY:
                continue
            cell = cells.get(number)
            if cell is None:
                if column.required:
                    _put(record, column.field, [] if column.kind is ValueKind.LINES else None)
                continue
            try:
                _put(record, column.field, plan_value(column, cell))
            except UnreadableCellError as problem:
                self.problem(sheet, row, column.heading, str(problem), key)
        return record

    def join_value(self, sheet: SheetRows, row: int, cells: Cells, heading: str, key: str | None) -> Any:
        number = sheet.number_of(heading)
        cell = cells.get(number) if number else None
        if cell is None:
            self.problem(sheet, row, heading, f"“{heading}”为空 | {heading} is empty", key)
            return None
        column = sheet.layout.column(heading)
        try:
            return order_value(column, cell) if heading in (ORDER, VISIT_ORDER) else plan_value(column, cell)
        except UnreadableCellError as problem:
            self.problem(sheet, row, heading, str(problem), key)
            return None


def _ordered(
    assembler: PlanAssembler, sheet: SheetRows, rows: list[tuple[int, Cells]], key: str, group: str | None = None
) -> list[tuple[Any, int, Cells]]:
    """Rows sorted by (group, 序号) as (group value or 序号, row, cells); a 序号 given twice in a group is an error."""
    numbered: dict[tuple[Any, int], tuple[int, Cells]] = {}
    for row, cells in rows:
        order = assembler.join_value(sheet, row, cells, ORDER, key)
        parent = assembler.join_value(sheet, row, cells, group, key) if group else 0
        if order is None or parent is None:
            continue
        if (parent, order) in numbered:
            first = numbered[(parent, order)][0]
            assembler.problem(sheet, row, ORDER, f"序号 {order} 重复（第 {first} 行已用）| duplicate 序号", key)
            continue
        numbered[(parent, order)] = (row, cells)
    ordered = sorted(numbered, key=lambda pair: (str(pair[0]), pair[1]) if group else pair)
    return [(pair[0] if group else pair[1], *numbered[pair]) for pair in ordered]


def assemble_plan(
    assembler: PlanAssembler, key: str, row: int, cells: Cells, children: dict[str, list[tuple[int, Cells]]]
) -> WorkbookPlan:
    """One plan from its 方案 row and its rows of every other sheet (by sheet name)."""
    scan = assembler.scan
    assembler.orders.clear()  # the 序号 of the plan before: kept, they would grow with the workbook
    plan_sheet = scan.sheets[PLAN_SHEET]
    record = assembler.record(plan_sheet, row, cells, key)
    _put(record, ("control", "number"), key)
    values = CellPositions(plan_sheet.positions(), row)
    keys = CellPositions(plan_sheet.positions(), row, values.lists)
    for sheet in scan.layout.sheets[1:]:
        rows = children.get(sheet.name, [])
        _SheetJoin(assembler, scan.sheets[sheet.name], rows, key, record, values, keys).attach()
    source = SourceDocument(scan.file, record, keys, values)
    return WorkbookPlan(key, row, source, assembler.plan_problems.pop(key, []))


@dataclass
class _SheetJoin:
    """The rows of one child sheet for one plan, and where they join: the plan's record and cell positions."""

    assembler: PlanAssembler
    rows_of: SheetRows
    rows: list[tuple[int, Cells]]
    key: str
    record: dict[str, Any]
    values: CellPositions
    keys: CellPositions

    def ordered(self, group: str | None = None) -> list[tuple[Any, int, Cells]]:
        return _ordered(self.assembler, self.rows_of, self.rows, self.key, group)

    def row_record(self, row: int, cells: Cells) -> dict[str, Any]:
        return self.assembler.record(self.rows_of, row, cells, self.key)

    def problem(self, row: int, heading: str, message: str) -> None:
        self.assembler.problem(self.rows_of, row, heading, message, self.key)

    def attach(self) -> None:
        sheet = self.rows_of.layout
        if sheet.path == ("sections",):
            self.attach_sections()
        elif sheet.path == ("composition",):
            self.attach_compositions()
        elif sheet.parent is not None:
            self.attach_nested()
        else:
            ordered = self.ordered()
            self.assembler.orders[(sheet.path, self.key)] = [order for order, _, _ in ordered]
            if ordered:
                _put(self.record, sheet.path, [self.row_record(row, cells) for _, row, cells in ordered])
                self.values.lists[sheet.path] = (self.rows_of.positions(), [row for _, row, _ in ordered])

    def attach_nested(self) -> None:
        sheet = self.rows_of.layout
        assert sheet.parent is not None
        parents = field_value(self.record, sheet.parent) or []
        orders = self.assembler.orders.get((sheet.parent, self.key), [])
        for visit, row, cells in self.ordered(VISIT_ORDER):
            if visit not in orders:
                self.problem(row, VISIT_ORDER, f"访问序号 {visit} 没有对应的访问 | matches no visit")
                continue
            index = orders.index(visit)
            parents[index].setdefault(sheet.path[-1], []).append(self.row_record(row, cells))
            path: KeyPath = (*sheet.parent, index, sheet.path[-1])
            self.values.lists.setdefault(path, (self.rows_of.positions(), []))[1].append(row)

    def attach_compositions(self) -> None:
        which = self.rows_of.layout.column(COMPOSITION_KEY)
        names = [name for name, _ in which.words]
        for word, row, cells in self.ordered(COMPOSITION_KEY):
            if word not in names:
                self.problem(
                    row, COMPOSITION_KEY, f"构成应为 {'、'.join(which.choices)} 之一 | unknown composition {word!r}"
                )
                continue
            series = self.record.setdefault("composition", {}).get(word)
            path: KeyPath = ("composition", word)
            if isinstance(series, dict):
                series.setdefault("items", [])
                series, path = series["items"], (*path, "items")
            elif series is None:
                series = self.record["composition"][word] = []
            series.append(self.row_record(row, cells))
            self.values.lists.setdefault(path, (self.rows_of.positions(), []))[1].append(row)

    def attach_sections(self) -> None:
        rows_of, sheet_name = self.rows_of, self.rows_of.layout.name
        text_column = rows_of.layout.column(SECTION_TEXT)
        seen: dict[str, int] = {}
        for row, cells in self.rows:
            name = self.assembler.join_value(rows_of, row, cells, SECTION_KEY, self.key)
            if name is None:
                continue
            if name in seen:
                self.problem(row, SECTION_KEY, f"段落“{name}”重复（第 {seen[name]} 行已有）| duplicate")
                continue
            seen[name] = row
            number = rows_of.number_of(SECTION_TEXT) or 1
            cell = cells.get(number)
            path = ("sections", str(name))
            _put(self.record, path, plan_value(text_column, cell) if cell else None)
            self.values.named[path] = Position(row, number, sheet_name, SECTION_TEXT)
            self.keys.named[path] = Position(row, rows_of.number_of(SECTION_KEY) or 1, sheet_name)

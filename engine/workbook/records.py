"""From a validated plan to the rows of each sheet: the cell values, column by column."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from plandoc.errors import UsageError
from plandoc.schemas import Plan
from plandoc.schemas.stock_text import STOCK_SECTIONS
from plandoc.workbook.layout import (
    COMPOSITION_SHEET,
    PLAN_SHEET,
    SECTIONS_SHEET,
    Column,
    FieldPath,
    Layout,
    Sheet,
    ValueKind,
)
from plandoc.workbook.list_cells import UnwritableItemError, join_items
from plandoc.workbook.plan_data import plain_data

Row = list[Any]


def field_value(data: Any, field: FieldPath) -> Any:
    """The value at ``field`` of nested mappings, or None where a step is missing or not a mapping."""
    for name in field:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def cell_value(column: Column, value: Any) -> Any:
    """What a cell shows for a plan value: lists joined, enumerations in their workbook words."""
    if value is None:
        return None
    if column.kind is ValueKind.LINES:
        try:
            return join_items(value) or None
        except UnwritableItemError:
            raise UsageError(
                f"“{column.heading}”的某一项中含有空行，工作簿无法保留 | an item of {column.heading} "
                "holds an empty line, which a workbook cell (items set apart by empty lines) cannot keep"
            ) from None
    if column.kind is ValueKind.IDS:
        return "、".join(value) or None
    if column.kind is ValueKind.CHOICE:
        return column.word_of(str(value))
    if column.kind is ValueKind.TEXT and value == "":
        return None
    return value


def _row(sheet: Sheet, joins: Sequence[Any], record: Any) -> Row:
    data_columns = sheet.data_columns
    return [*joins, *(cell_value(column, field_value(record, column.field)) for column in data_columns)]


def _items(series: Any) -> list[Any]:
    if isinstance(series, dict):
        return list(series.get("items") or [])
    return list(series or [])


def plan_rows(plan: Plan, layout: Layout) -> Iterator[tuple[Sheet, Row]]:
    """Every row the plan fills, sheet by sheet in the layout's order."""
    data = plain_data(plan)
    key = plan.control.number
    for sheet in layout.sheets:
        if sheet.name == PLAN_SHEET:
            yield sheet, [key, *(cell_value(c, field_value(data, c.field)) for c in sheet.data_columns)]
        elif sheet.name == COMPOSITION_SHEET:
            which = sheet.columns[1]
            for name, word in which.words:
                for order, item in enumerate(_items(field_value(data, (*sheet.path, name))), start=1):
                    yield sheet, _row(sheet, (key, word, order), item)
        elif sheet.name == SECTIONS_SHEET:
            for name, text in (data.get("sections") or {}).items():
                if text is not None:
                    yield sheet, [key, STOCK_SECTIONS[name].label, text]
        elif sheet.parent is not None:
            for parent_order, parent in enumerate(field_value(data, sheet.parent) or [], start=1):
                for order, item in enumerate(parent.get(sheet.path[-1]) or [], start=1):
                    yield sheet, _row(sheet, (key, parent_order, order), item)
        else:
            for order, item in enumerate(field_value(data, sheet.path) or [], start=1):
                yield sheet, _row(sheet, (key, order), item)

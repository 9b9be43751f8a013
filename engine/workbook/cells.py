"""What a cell means for its column: Excel's own types turned into the values a plan file holds.

Real dates become dates, whole numbers stored as floats (``30.0``) become integers where
the schema wants one, a percentage (25% typed as such, stored as 0.25) becomes 25,
numbers in text columns become their text. Anything else is left for the validator to
judge, so the workbook and a YAML file get the same messages.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from plandoc.workbook.excel_file import CellRead, UncachedFormula
from plandoc.workbook.layout import Column, ValueKind
from plandoc.workbook.list_cells import split_items

_ID_SEPARATORS = re.compile(r"[、,，;；\s]+")


class UnreadableCellError(ValueError):
    """A cell whose content cannot be read at all (not a mistake the validator would name)."""


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return value


def _number(value: Any, percent: bool) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            try:
                return float(Decimal(text[:-1].strip()))
            except InvalidOperation:
                return value
        return text
    if percent and isinstance(value, int | float) and not isinstance(value, bool):
        return float(Decimal(repr(value)) * 100)
    return value


def _integer(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return value
        return int(number) if number == number.to_integral_value() else value
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def is_blank(cell: CellRead | None) -> bool:
    """Whether a cell is empty as a person sees it (nothing, or only spaces)."""
    return cell is None or (isinstance(cell.value, str) and not cell.value.strip())


def plan_value(column: Column, cell: CellRead) -> Any:
    """The value a plan file would hold for this cell; raise UnreadableCellError for an unreadable cell."""
    value = cell.value
    if isinstance(value, UncachedFormula):
        raise UnreadableCellError(
            f"公式 ={value.formula} 没有保存计算结果 | the formula has no saved result; "
            "open the workbook in Excel (or LibreOffice) and save it"
        )
    if cell.error:
        raise UnreadableCellError(f"单元格显示错误值 {value} | the cell shows the Excel error {value}")
    kind = column.kind
    if kind is ValueKind.NUMBER:
        return _number(value, cell.percent)
    if kind is ValueKind.INTEGER:
        return _integer(_number(value, cell.percent))
    if kind is ValueKind.DATE:
        return _date(value)
    if kind is ValueKind.BOOLEAN:
        return value.strip() if isinstance(value, str) else value
    text = _as_text(value)
    if kind is ValueKind.LINES and isinstance(text, str):
        return split_items(text)
    if kind is ValueKind.IDS and isinstance(text, str):
        return [part for part in _ID_SEPARATORS.split(text) if part]
    if kind in (ValueKind.CHOICE, ValueKind.KEY) and isinstance(text, str):
        return column.value_of(text.strip())
    return text


def order_value(column: Column, cell: CellRead) -> int:
    """A 序号 cell as a whole number of 1 or more; raise UnreadableCellError otherwise."""
    value = _integer(_as_text(cell.value) if isinstance(cell.value, str) else cell.value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise UnreadableCellError(
        f"{column.heading}应为 1、2、3…… 这样的整数 | must be a whole number 1, 2, 3 …, got {cell.value!r}"
    )

"""The workbook layout, generated from the plan schema: its sheets, their columns and what each holds.

The pydantic models are the one source of truth. Single-valued fields of the plan (nested
mappings flattened) become columns of the ``方案`` sheet, headed by their Chinese titles;
each list of mappings becomes a child sheet joined to its plan by ``方案编号`` and ordered
by ``序号``; the compositions and the section texts get a sheet each. This module only
adds what the schema cannot say: sheet names, the join columns, and how a list is
written in one cell.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from plandoc.plan.model_walk import bare_type, member_models
from plandoc.schemas import Plan
from plandoc.schemas.choices import CHINESE_NAMES
from plandoc.schemas.plan import CLIENT_KIND_KEYS, CLIENT_KINDS, CompositionItem, CompositionSeries
from plandoc.schemas.stock_text import STOCK_SECTIONS
from plandoc.workbook.list_cells import LIST_CELL_HINT

FieldPath = tuple[str, ...]

PLAN_SHEET = "方案"
NOTES_SHEET = "说明"
PLAN_KEY = "方案编号"
ORDER = "序号"
VISIT_ORDER = "访问序号"
COMPOSITION_SHEET = "构成分析"
COMPOSITION_KEY = "构成"
SECTIONS_SHEET = "正文"
SECTION_KEY = "段落"
SECTION_TEXT = "文字"

_KEY_FIELD: FieldPath = ("control", "number")
"""The plan field that 方案编号 holds: the control number identifies a plan."""
_SHEET_NAMES: dict[FieldPath, str] = {("revisions",): "修订记录", ("kanban",): "看板"}
"""Sheets named otherwise than the title of their list (修改记录, 看板管理内容)."""
_SHEET_ORDER = (
    ("cards",),
    ("kanban",),
    ("visits",),
    ("visits", "problems"),
    ("measures",),
    ("evaluation", "indicators"),
    ("revisions",),
)
_ID_LISTS = frozenset({("answers",)})
"""Lists of problem ids, written in one cell as ``P1、P3``; other lists of text take one line each."""
_CHOICE_WORDS: dict[FieldPath, dict[str, str]] = {
    ("client", CLIENT_KIND_KEYS[0]): {kind: CHINESE_NAMES[kind] for kind in CLIENT_KINDS}
}
"""Enumerations shown in Chinese in the workbook (the schema's values are English)."""
_COMPOSITION_FIELDS = ("sales", "products", "regions")


class ValueKind(StrEnum):
    """What a column holds, which decides how a cell is read and written."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    LINES = "lines"
    IDS = "ids"
    KEY = "key"
    ORDER = "order"


@dataclass(frozen=True)
class Column:
    """One column: its heading, the field it fills (relative to its sheet's record) and its kind."""

    heading: str
    field: FieldPath
    kind: ValueKind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    """The words a cell may hold (shown in a drop-down), for a CHOICE column."""
    words: tuple[tuple[str, str], ...] = ()
    """(value, word) pairs where the workbook shows a Chinese word for an English value."""

    def word_of(self, value: str) -> str:
        """The word the workbook shows for a value of the schema."""
        return dict(self.words).get(value, value)

    def value_of(self, word: str) -> str:
        """The schema's value for a word typed in the workbook (other words pass through)."""
        return self._values.get(word, word)

    @functools.cached_property
    def _values(self) -> dict[str, str]:
        return {shown: value for value, shown in self.words}


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, where its rows go in a plan, and its columns (join columns first)."""

    name: str
    path: FieldPath
    """The list its rows fill (``visits``, ``evaluation.indicators``); ``()`` for 方案."""
    columns: tuple[Column, ...]
    description: str
    parent: FieldPath | None = None
    """For a list inside list items (a visit's problems): the path of the outer list."""

    def column(self, heading: str) -> Column:
        """The column headed ``heading``."""
        return next(column for column in self.columns if column.heading == heading)

    @property
    def data_columns(self) -> tuple[Column, ...]:
        """The columns holding plan fields (not the join and order columns)."""
        return tuple(c for c in self.columns if c.field and c.kind is not ValueKind.KEY)


@dataclass(frozen=True)
class Layout:
    """Every sheet of a plandoc workbook, in the order they are written."""

    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        """The sheet called ``name``."""
        return next(sheet for sheet in self.sheets if sheet.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the sheets, in order."""
        return tuple(sheet.name for sheet in self.sheets)


def _list_item(annotation: Any) -> Any:
    annotation = bare_type(annotation)
    return bare_type(typing.get_args(annotation)[0]) if typing.get_origin(annotation) is list else None


def _value_kind(annotation: Any, field: FieldPath) -> ValueKind:
    annotation = bare_type(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return ValueKind.CHOICE
    if typing.get_origin(annotation) is list:
        return ValueKind.IDS if field[-1:] in _ID_LISTS else ValueKind.LINES
    kinds = {bool: ValueKind.BOOLEAN, int: ValueKind.INTEGER, float: ValueKind.NUMBER, dt.date: ValueKind.DATE}
    return kinds.get(annotation, ValueKind.TEXT)


def _leaf(info: FieldInfo, field: FieldPath, heading: str, plan_field: FieldPath) -> Column:
    kind = _value_kind(info.annotation, field)
    words = tuple(_CHOICE_WORDS.get(plan_field, {}).items())
    choices: tuple[str, ...] = ()
    if kind is ValueKind.CHOICE:
        values = [str(v) for v in typing.get_args(bare_type(info.annotation))]
        choices = tuple(dict(words).get(v, v) for v in values)
    description = info.description or ""
    if kind is ValueKind.LINES:
        description = f"{description}（{LIST_CELL_HINT}）" if description else LIST_CELL_HINT
    return Column(heading, field, kind, description, info.is_required(), choices, words)


def _title(info: FieldInfo, name: str) -> str:
    return info.title or name


def _plan_leaves(model: type[BaseModel], prefix: FieldPath, parent_title: str) -> list[tuple[str, Column]]:
    """Single-valued fields of ``model``, flattened, as (parent title, column) pairs."""
    leaves: list[tuple[str, Column]] = []
    for name, info in model.model_fields.items():
        field = (*prefix, name)
        annotation = bare_type(info.annotation)
        nested = member_models(annotation)
        if field == ("sections",) or member_models(_list_item(annotation)):
            continue  # the section texts and the lists of mappings have sheets of their own
        if name in _COMPOSITION_FIELDS and prefix == ("composition",):
            chart = CompositionSeries.model_fields["chart"]
            leaves.append((_title(info, name), _leaf(chart, (*field, "chart"), _title(chart, "chart"), field)))
            continue
        if nested:
            for member in nested:
                leaves += _plan_leaves(member, field, _title(info, name))
            continue
        if typing.get_origin(annotation) is typing.Literal and len(typing.get_args(annotation)) == 1 and not prefix:
            continue  # a constant such as schema_version: the workbook is of the current version
        leaves.append((parent_title, _leaf(info, field, _title(info, name), field)))
    return leaves


def _plan_sheet() -> Sheet:
    leaves = _plan_leaves(Plan, (), "")
    merged: dict[FieldPath, tuple[str, Column]] = {}
    for parent_title, column in leaves:
        if column.field in merged:  # a field of both kinds of client: 客户类型 offers both kinds
            first = merged[column.field][1]
            choices = first.choices + tuple(c for c in column.choices if c not in first.choices)
            column = dataclasses.replace(first, choices=choices)
        merged[column.field] = (parent_title, column)
    titles = [column.heading for _, column in merged.values()]
    columns: list[Column] = []
    for parent_title, column in merged.values():
        if column.field == _KEY_FIELD:
            key = "本方案的文件编号（受控文件表头的编号），各表以它关联方案"
            columns.insert(0, Column(PLAN_KEY, column.field, ValueKind.KEY, key, True))
        elif titles.count(column.heading) > 1:
            columns.append(dataclasses.replace(column, heading=f"{parent_title}·{column.heading}"))
        else:
            columns.append(column)
    return Sheet(PLAN_SHEET, (), tuple(columns), "每个方案一行：方案编号及方案的各个单值字段")


def _join_columns(parent: str | None) -> tuple[Column, ...]:
    key = Column(PLAN_KEY, (), ValueKind.KEY, "所属方案的方案编号", True)
    order = Column(ORDER, (), ValueKind.ORDER, "本行在所属方案（或访问）中的顺序：1、2、3……", True)
    if parent is None:
        return key, order
    return key, Column(VISIT_ORDER, (), ValueKind.ORDER, f"所属访问在“{parent}”表中的序号", True), order


def _row_columns(model: type[BaseModel], plan_path: FieldPath) -> tuple[Column, ...]:
    columns = []
    for name, info in model.model_fields.items():
        if member_models(_list_item(info.annotation)):
            continue  # a nested list gets its own sheet (a visit's problems)
        columns.append(_leaf(info, (name,), _title(info, name), (*plan_path, name)))
    return tuple(columns)


def _list_sheets(model: type[BaseModel], prefix: FieldPath) -> list[tuple[FieldPath, FieldInfo, type[BaseModel]]]:
    """Every list of mappings under ``model``: (path, field, item model), outermost first."""
    found: list[tuple[FieldPath, FieldInfo, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        field = (*prefix, name)
        item = member_models(_list_item(info.annotation))
        if item:
            found.append((field, info, item[0]))
            found += _list_sheets(item[0], field)
        elif name not in _COMPOSITION_FIELDS:
            for nested in member_models(info.annotation):
                found += _list_sheets(nested, field)
    return found


def _child_sheets() -> list[Sheet]:
    sheets: dict[FieldPath, Sheet] = {}
    for path, info, model in _list_sheets(Plan, ()):
        parent = sheets.get(path[:-1])
        name = _SHEET_NAMES.get(path, _title(info, path[-1]))
        columns = _join_columns(parent.name if parent else None) + _row_columns(model, path)
        sheets[path] = Sheet(name, path, columns, info.description or name, parent.path if parent else None)
    return [sheets[path] for path in _SHEET_ORDER] + [s for p, s in sheets.items() if p not in _SHEET_ORDER]


def _composition_sheet() -> Sheet:
    field = Plan.model_fields["composition"]
    composition = member_models(field.annotation)[0]
    words = tuple((name, _title(composition.model_fields[name], name)) for name in _COMPOSITION_FIELDS)
    which = Column(
        COMPOSITION_KEY,
        (),
        ValueKind.CHOICE,
        "哪一项构成：" + "、".join(w for _, w in words),
        True,
        tuple(w for _, w in words),
        words,
    )
    key, order = _join_columns(None)
    return Sheet(
        COMPOSITION_SHEET,
        ("composition",),
        (key, which, order, *_row_columns(CompositionItem, ())),
        "客户构成分析的金额，每个类别一行；占比由程序计算",
    )


def _sections_sheet() -> Sheet:
    labels = tuple(section.label for section in STOCK_SECTIONS.values())
    key = Column(PLAN_KEY, (), ValueKind.KEY, "所属方案的方案编号", True)
    which = Column(SECTION_KEY, (), ValueKind.CHOICE, "替换哪一节的默认文字：" + "、".join(labels), True, labels)
    text = Column(SECTION_TEXT, (), ValueKind.TEXT, "本节的文字，每行一段（单元格内用 Alt+Enter 换行）", True)
    return Sheet(SECTIONS_SHEET, ("sections",), (key, which, text), "替换各节默认文字，每节一行（请结合本客户撰写）")


@functools.cache
def workbook_layout() -> Layout:
    """The layout of plandoc workbooks, derived from the plan schema (computed once)."""
    children = _child_sheets()
    return Layout((_plan_sheet(), children[0], _composition_sheet(), *children[1:], _sections_sheet()))

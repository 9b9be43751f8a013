"""Where each key of a plan read from a workbook came from: the cell, computed when asked.

A plan's positions are its rows (the 方案 row, and the row of each list item) and the
column of each field in each sheet; the cell of a key path is looked up, not stored, so
a plan travelling to a batch worker carries a few numbers rather than every cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from plandoc.plan.load import KeyPath, Position
from plandoc.workbook.layout import FieldPath


@dataclass(frozen=True)
class SheetColumns:
    """The columns one sheet of this workbook has: field → (column number, heading)."""

    sheet: str
    key_column: int
    fields: Mapping[FieldPath, tuple[int, str]]


@dataclass
class CellPositions(Mapping[KeyPath, Position]):
    """The positions of one plan's keys: a mapping computed from its rows and the sheets' columns."""

    plan_sheet: SheetColumns
    plan_row: int
    lists: dict[KeyPath, tuple[SheetColumns, list[int]]] = field(default_factory=dict)
    """List path (``("visits",)``, ``("visits", 0, "problems")``) → its sheet and each item's row."""
    named: dict[KeyPath, Position] = field(default_factory=dict)
    """Positions given one by one (the 正文 rows of section texts)."""

    def _row_position(self, columns: SheetColumns, row: int) -> Position:
        return Position(row, columns.key_column, columns.sheet)

    def __getitem__(self, path: KeyPath) -> Position:
        if path in self.named:
            return self.named[path]
        if not path:
            return self._row_position(self.plan_sheet, self.plan_row)
        for prefix in sorted(self.lists, key=len, reverse=True):
            if path[: len(prefix)] != prefix:
                continue
            columns, rows = self.lists[prefix]
            rest = path[len(prefix) :]
            if not rest:
                if rows:
                    return self._row_position(columns, rows[0])
                raise KeyError(path)
            index = rest[0]
            if not isinstance(index, int):
                continue  # a field beside the list, such as a composition's own chart
            if index >= len(rows):
                raise KeyError(path)
            if len(rest) == 1:
                return self._row_position(columns, rows[index])
            return self._cell(columns, rows[index], rest[1:], path)
        return self._cell(self.plan_sheet, self.plan_row, path, path)

    def _cell(self, columns: SheetColumns, row: int, field: KeyPath, path: KeyPath) -> Position:
        found = columns.fields.get(tuple(str(name) for name in field))
        if found is None:
            raise KeyError(path)
        return Position(row, found[0], columns.sheet, found[1])

    def __iter__(self) -> Iterator[KeyPath]:
        yield ()
        yield from self.named
        yield from (f for f in self.plan_sheet.fields)
        for prefix, (columns, rows) in self.lists.items():
            for index in range(len(rows)):
                yield (*prefix, index)
                yield from ((*prefix, index, *f) for f in columns.fields)

    def __len__(self) -> int:
        return sum(1 for _ in self)

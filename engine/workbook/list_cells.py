"""A list in one cell: one item a line, or, when an item holds a line break, items apart by a blank line."""

from __future__ import annotations

import re
from collections.abc import Sequence

LIST_CELL_HINT = "每行一项（单元格内用 Alt+Enter 换行）；某项本身含换行时，各项之间空一行"
"""How a list column is filled, told in its 说明."""
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


class UnwritableItemError(ValueError):
    """An item no cell can keep: it holds an empty line, which is how items are set apart."""


def join_items(items: Sequence[str]) -> str:
    """The cell text of ``items``; raise UnwritableItemError for an item holding an empty line."""
    if any(_BLANK_LINE.search(item) for item in items):
        raise UnwritableItemError
    separator = "\n\n" if any("\n" in item for item in items) else "\n"
    return separator.join(items)


def split_items(text: str) -> list[str]:
    """The items of a cell: apart by empty lines when it has any, else one a line."""
    text = text.replace("\r\n", "\n")
    if _BLANK_LINE.search(text):
        return [item for item in (part.strip() for part in _BLANK_LINE.split(text)) if item]
    return [line.strip() for line in text.splitlines() if line.strip()]

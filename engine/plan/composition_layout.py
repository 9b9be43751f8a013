"""Lay out a composition analysis: its share table beside its chart when both fit, else stacked.

Side by side, the pair takes the height of the taller of the two, about a quarter of a
page, so moving it to the next page never leaves a third of a page blank; the chart gets
the room the table leaves. A table too wide to leave a chart room (long category names)
takes the full width, with a smaller chart below it.
"""

from __future__ import annotations

from plandoc.ooxml.text_measure import TEXT_WIDTH, column_needs

TABLE_TEXT_SIZE = 10.5
"""The default table text size (五号), which the widths are estimated for."""
EMU_PER_TWIP = 635
EMU_PER_CM = 360_000
_NARROWEST_TABLE = 3400
"""Twips: a share table is never narrower than this (about 6 cm), however short its texts."""
_NARROWEST_CHART_CELL = 3900
"""Twips: beside a table, a chart needs at least this much room (about 6.9 cm)."""
_WIDEST_CHART = 8 * EMU_PER_CM
_GAP = 240
"""Twips between the table and the chart."""
STACKED_CHART_WIDTH = 12 * EMU_PER_CM


def share_table_width(columns: list[list[str]]) -> int:
    """The width (twips) a share table needs so that none of its short texts wraps."""
    minimum, _ = column_needs(columns, TABLE_TEXT_SIZE)
    return max(sum(minimum), _NARROWEST_TABLE)


ROW_HEIGHT_CM = 0.5
"""About the height of one row of a share table (五号, single spacing, borders)."""


def chart_height(kind: str, categories: int, *, side_by_side: bool) -> int:
    """Beside its table a chart is about as high as the table (5.5 to 7 cm), so the pair
    takes no more than a quarter of a page; below it, a pie is 6.5 cm and a bar chart
    grows with its bars (5 to 7.5 cm)."""
    if side_by_side:
        return round(min(max((categories + 2) * ROW_HEIGHT_CM, 5.5), 7.0) * EMU_PER_CM)
    if kind == "pie":
        return round(6.5 * EMU_PER_CM)
    return round(min(max(1.6 + 0.6 * categories, 5.0), 7.5) * EMU_PER_CM)


def composition_layout(columns: list[list[str]], kind: str | None, categories: int) -> dict[str, str | bool]:
    """Where a composition's table and chart go, in the render context's terms.

    ``side_by_side`` chooses the template's layout; ``table_width`` and ``chart_cell_width``
    (twips) size its two cells; ``chart_width`` and ``chart_height`` (EMU) size the chart.
    Figures are text, as everything in the render context is.
    """
    table = share_table_width(columns)
    chart_cell = TEXT_WIDTH - table
    side_by_side = kind is not None and chart_cell >= _NARROWEST_CHART_CELL
    if side_by_side:
        width = min((chart_cell - _GAP) * EMU_PER_TWIP, _WIDEST_CHART)
    else:
        table, chart_cell, width = TEXT_WIDTH, 0, STACKED_CHART_WIDTH
    return {
        "side_by_side": side_by_side,
        "table_width": str(table),
        "chart_cell_width": str(chart_cell),
        "chart_width": str(width),
        "chart_height": str(chart_height(kind or "pie", categories, side_by_side=side_by_side)),
    }

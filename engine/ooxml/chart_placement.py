"""Where a chart sits in the document: its relationship id, drawing id and size in EMU.

The render context carries these for the template's inline drawing, and the chart
packager wires the chart part to the same relationship id, so both number the charts
with the functions here: the n-th chart of a document, counted from 1.
"""

from __future__ import annotations

import re

from plandoc.vocabulary import ChartKind

EMU_PER_CM = 360_000
CHART_WIDTH = 13 * EMU_PER_CM
PIE_HEIGHT = 8 * EMU_PER_CM
FIRST_DRAWING_ID = 1000
"""Drawings are numbered 1001, 1002 … in document order, as docxtpl renumbers them."""
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r]")


def chart_relationship_id(number: int) -> str:
    """The document's relationship id of its ``number``-th chart: rIdChart1, rIdChart2 …"""
    return f"rIdChart{number}"


def chart_drawing_id(number: int) -> int:
    """The ``wp:docPr`` id of the ``number``-th chart's drawing."""
    return FIRST_DRAWING_ID + number


def chart_height(kind: ChartKind, categories: int) -> int:
    """A pie is 8 cm high; a bar chart grows with its bars (at least 6 cm)."""
    if kind == "pie":
        return PIE_HEIGHT
    return max(6 * EMU_PER_CM, round((2.5 + 0.8 * categories) * EMU_PER_CM))


def one_line(text: str) -> str:
    """Chart text on one line: tabs and line breaks of table text become spaces."""
    return _LINE_BREAKS.sub(" ", text)

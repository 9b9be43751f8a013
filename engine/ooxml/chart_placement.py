"""Where a chart sits in the document: its relationship id and drawing id.

The render context carries these for the template's inline drawing, and the chart
packager wires the chart part to the same relationship id, so both number the charts
with the functions here: the n-th chart of a document, counted from 1. Its size depends
on the page layout and comes from ``plandoc.plan.composition_layout``.
"""

from __future__ import annotations

import re

FIRST_DRAWING_ID = 1000
"""Drawings are numbered 1001, 1002 … in document order, as docxtpl renumbers them."""
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r]")


def chart_relationship_id(number: int) -> str:
    """The document's relationship id of its ``number``-th chart: rIdChart1, rIdChart2 …"""
    return f"rIdChart{number}"


def chart_drawing_id(number: int) -> int:
    """The ``wp:docPr`` id of the ``number``-th chart's drawing."""
    return FIRST_DRAWING_ID + number


def one_line(text: str) -> str:
    """Chart text on one line: tabs and line breaks of table text become spaces."""
    return _LINE_BREAKS.sub(" ", text)

"""A workbook as a batch source: its plans as batch items, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from plandoc.batch.sources import BatchItem
from plandoc.errors import InputReadError
from plandoc.workbook.excel_file import ExcelFile
from plandoc.workbook.layout import PLAN_SHEET
from plandoc.workbook.plan_stream import read_plans


def workbook_items(path: Path) -> Iterator[BatchItem]:
    """The plans of a workbook as batch items, streamed; a problem of the workbook as a whole fails the batch.

    Each problem of the workbook becomes a failed item of its own (no plan is rendered
    from a workbook whose keys may join the wrong rows). A plan with cells that cannot
    be read fails with the first of them.
    """
    index = 0
    try:
        plans, problems = read_plans(path)
        for index, problem in enumerate(problems):
            yield BatchItem(index, str(path), problem.line, error=problem)
        if problems:
            return
        for index, plan in enumerate(plans):
            error = plan.problems[0] if plan.problems else None
            yield BatchItem(index, str(path), plan.row, plan.source.data, error=error, located=plan.source)
    except InputReadError as error:
        yield BatchItem(index + 1, str(path), None, error=error.diagnostic)


def count_workbook_plans(path: Path) -> int | None:
    """How many plans the workbook holds (rows of 方案 below the heading), for progress."""
    with ExcelFile(path) as excel:
        if PLAN_SHEET not in excel.sheet_names:
            return None
        rows = excel.row_count(PLAN_SHEET)
    return rows - 1 if rows else None

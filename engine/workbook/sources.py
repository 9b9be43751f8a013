"""A workbook as the input of render, validate and batch: the plans it holds, located cell by cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from plandoc.batch.sources import BatchItem
from plandoc.errors import Diagnostic, InputReadError, PlanInvalidError, UsageError
from plandoc.pipeline import check_source
from plandoc.plan.load import SourceDocument
from plandoc.workbook.assemble import WorkbookPlan
from plandoc.workbook.layout import PLAN_KEY
from plandoc.workbook.plan_stream import read_plans
from plandoc.workbook.reading import closest

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(path: Path) -> bool:
    """Whether ``path`` names an Excel workbook (by its extension)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def sound_plans(path: Path) -> list[WorkbookPlan]:
    """The plans of a workbook; raise PlanInvalidError when the workbook itself has problems."""
    plans, problems = read_plans(path)
    if problems:
        raise PlanInvalidError(problems)
    return list(plans)


def workbook_plan_source(path: Path, key: str | None) -> SourceDocument:
    """The plan ``key`` (its 方案编号) of a workbook, or its only plan; cell problems raise PlanInvalidError."""
    plans = sound_plans(path)
    keys = [plan.key for plan in plans]
    if key is None:
        if len(plans) != 1:
            listed = "、".join(keys[:10]) + ("…" if len(keys) > 10 else "")
            raise UsageError(
                f"{path}: 工作簿中有 {len(plans)} 个方案，请用 --plan 指定{PLAN_KEY} | "
                f"the workbook holds {len(plans)} plans; choose one with --plan: {listed or '(none)'}"
            )
        chosen = plans[0]
    else:
        found = [plan for plan in plans if plan.key == key]
        if not found:
            suggestion = closest(key, keys)
            tail = f"; did you mean '{suggestion}'?" if suggestion else ""
            raise UsageError(f"{path}: 没有{PLAN_KEY}为 '{key}' 的方案 | no plan '{key}'{tail}")
        chosen = found[0]
    if chosen.problems:
        raise PlanInvalidError(chosen.problems)
    return chosen.source


def check_workbook(path: Path, *, strict: bool = False) -> list[Diagnostic]:
    """Validate every plan of a workbook; return the warnings, or raise PlanInvalidError listing every problem."""
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for plan in sound_plans(path):
        if plan.problems:
            problems += plan.problems
            continue
        try:
            warnings += check_source(plan.source, strict=strict).warnings
        except PlanInvalidError as error:
            problems += error.diagnostics
    if problems:
        raise PlanInvalidError(problems)
    return warnings


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
    from plandoc.workbook.excel_file import ExcelFile
    from plandoc.workbook.layout import PLAN_SHEET

    with ExcelFile(path) as excel:
        if PLAN_SHEET not in excel.sheet_names:
            return None
        rows = excel.row_count(PLAN_SHEET)
    return rows - 1 if rows else None

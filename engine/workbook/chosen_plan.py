"""A workbook as the input of render and validate: the plan it holds, located cell by cell."""

from __future__ import annotations

from pathlib import Path

from plandoc.errors import PlanInvalidError, UsageError
from plandoc.plan.load import SourceDocument
from plandoc.workbook.assemble import WorkbookPlan
from plandoc.workbook.layout import PLAN_KEY
from plandoc.workbook.plan_stream import read_plans
from plandoc.workbook.sheet_reading import closest

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

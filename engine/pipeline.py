"""Run the stages for one plan file: load → validate → derive → context → render → write."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from plandoc.charts.spec import ChartSpec, chart_specs
from plandoc.diagnostics import Diagnostic
from plandoc.errors import PlanInvalidError, TimeLimitError, UsageError
from plandoc.output.folders import create_folder, remove_if_empty
from plandoc.output.formats import check_converter_available, deliver, output_targets
from plandoc.plan.context import Context, build_context
from plandoc.plan.derive import DerivedPlan, derive
from plandoc.plan.load import SourceDocument, load_plan_source
from plandoc.plan.validate import locate_finding, validate_plan
from plandoc.render.budget import DEFAULT_TIME_LIMIT, time_limit
from plandoc.render.compiled import render_docx
from plandoc.templates import DEFAULT_TEMPLATE

if TYPE_CHECKING:
    from plandoc.schemas.profile import StyleProfile


@dataclass(frozen=True)
class CheckedPlan:
    """A plan that passed validation, with its derived figures and its warnings."""

    source: SourceDocument
    derived: DerivedPlan
    warnings: tuple[Diagnostic, ...]
    created_folder: Path | None = None
    """The output folder this run had to create (the topmost missing one), if any."""

    @property
    def context(self) -> Context:
        """The render context of this plan."""
        return build_context(self.derived)

    @property
    def charts(self) -> tuple[ChartSpec, ...]:
        """The charts of this plan, built from its derived figures."""
        return chart_specs(self.derived)


def check_source(source: SourceDocument, *, strict: bool = False) -> CheckedPlan:
    """Validate and derive a loaded plan; under ``strict`` a warning is an error."""
    derived = derive(validate_plan(source))
    return relocate(CheckedPlan(source, derived, ()), source, strict=strict)


def relocate(checked: CheckedPlan, source: SourceDocument, *, strict: bool = False) -> CheckedPlan:
    """Locate a checked plan's warnings in ``source`` (which may carry more positions)."""
    warnings = tuple(locate_finding(source, f.path, f.code, f.message) for f in checked.derived.findings)
    if strict and warnings:
        raise PlanInvalidError(warnings)
    return CheckedPlan(source, checked.derived, warnings)


def load_source(path: Path, plan: str | None = None) -> SourceDocument:
    """Load a plan file, or the plan ``plan`` (its 方案编号) of a workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from plandoc.workbook.chosen_plan import workbook_plan_source

        return workbook_plan_source(path, plan)
    if plan is not None:
        raise UsageError(
            "--plan 用于从工作簿（.xlsx）中选一个方案；方案文件只有一个方案 | "
            "--plan chooses a plan of a workbook (.xlsx); a plan file holds one plan"
        )
    return load_plan_source(path)


def check_file(path: Path, *, strict: bool = False, plan: str | None = None) -> CheckedPlan:
    """Load, validate and derive one plan file (or one plan of a workbook)."""
    return check_source(load_source(path, plan), strict=strict)


def render_checked(
    checked: CheckedPlan, *, template: Path = DEFAULT_TEMPLATE, profile: StyleProfile | None = None
) -> bytes:
    """Render a checked plan to .docx bytes."""
    return render_docx(checked.context, template, checked.derived.properties, profile=profile, charts=checked.charts)


@contextlib.contextmanager
def plan_time_limit(path: Path, seconds: float | None) -> Iterator[None]:
    """Run the block under the time limit; a TimeLimitError names the plan file."""
    try:
        with time_limit(seconds):
            yield
    except TimeLimitError as error:
        raise TimeLimitError(f"{path}: {error}") from None


def render_file(
    path: Path,
    output: Path,
    *,
    formats: tuple[str, ...] = (),
    strict: bool = False,
    template: Path = DEFAULT_TEMPLATE,
    profile: StyleProfile | None = None,
    plan: str | None = None,
    seconds: float | None = DEFAULT_TIME_LIMIT,
) -> CheckedPlan:
    """Render one plan file to ``output`` in each format; nothing is written when anything fails.

    Without ``formats`` the extension of ``output`` decides (.docx, .doc or .pdf). Checking
    and rendering the plan may take ``seconds`` at most (TimeLimitError past it).
    """
    targets = output_targets(output, formats)
    check_converter_available(targets)
    with plan_time_limit(path, seconds):
        checked = check_file(path, strict=strict, plan=plan)
        docx = render_checked(checked, template=template, profile=profile)
    folder = output.parent
    created = create_folder(folder)
    try:
        deliver(docx, targets)
    except BaseException:
        remove_if_empty(created, folder)
        raise
    return replace(checked, created_folder=created)


def preview_file(
    path: Path,
    folder: Path,
    *,
    pages: tuple[int, int | None] = (1, None),
    strict: bool = False,
    template: Path = DEFAULT_TEMPLATE,
    profile: StyleProfile | None = None,
    seconds: float | None = DEFAULT_TIME_LIMIT,
) -> tuple[CheckedPlan, list[Path]]:
    """Render one plan file and write PNG images of its pages into ``folder``."""
    from plandoc.output.preview import preview_pages

    check_converter_available(("pdf",))
    with plan_time_limit(path, seconds):
        checked = check_file(path, strict=strict)
        docx = render_checked(checked, template=template, profile=profile)
    created = create_folder(folder)
    try:
        images = preview_pages(docx, path.stem, folder, pages)
    except BaseException:
        remove_if_empty(created, folder)
        raise
    return replace(checked, created_folder=created), images


def check_workbook(path: Path, *, strict: bool = False) -> list[Diagnostic]:
    """Validate every plan of a workbook; return the warnings, or raise PlanInvalidError listing every problem."""
    from plandoc.workbook.chosen_plan import sound_plans

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

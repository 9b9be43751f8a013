"""Commands for one plan: render, preview and validate."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from plandoc.cli.common_options import (
    PROFILE,
    REPORT_FORMAT,
    STRICT,
    TEMPLATE,
    TIME_LIMIT,
    emit,
    output_formats_option,
    resolve_look,
)
from plandoc.cli.register_commands import issue_controlled_copy, issue_option
from plandoc.errors import PlandocError
from plandoc.output.folders import created_message
from plandoc.output.formats import output_targets, parse_formats
from plandoc.pipeline import CheckedPlan, check_file, preview_file, render_file

WORKBOOK_PLAN = click.option(
    "--plan",
    "plan_key",
    metavar="方案编号",
    help="For a workbook (.xlsx) holding several plans: the 方案编号 of the plan to use.",
)


@click.command()
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="The file to write (.docx, .doc or .pdf)."
)
@output_formats_option("Formats to write, repeatable or comma-separated; default: from the extension of -o.")
@TEMPLATE
@PROFILE
@STRICT
@REPORT_FORMAT
@WORKBOOK_PLAN
@TIME_LIMIT
@issue_option
def render(
    plan: Path,
    output: Path,
    formats: tuple[str, ...],
    template: Path | None,
    profile: Path | None,
    strict: bool,
    report_format: str,
    plan_key: str | None,
    time_limit: float,
    register_location: str | None,
) -> None:
    """Render PLAN into a .docx, and a .doc or .pdf through LibreOffice.

    Nothing is written when the plan has errors (or warnings, under --strict) or a
    conversion fails; each file appears whole or not at all. A missing output folder
    is created.

    \b
    Examples:
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx --format docx,doc,pdf
      plandoc render samples/huaxin-electric.yaml -o out/huaxin.docx --profile samples/profiles/school.yaml

    \b
    With a workbook of plans, or recording a controlled copy in the register:
      plandoc render book.xlsx --plan KHWH-2026-001 -o KHWH-2026-001.docx
      plandoc render my-plan.yaml -o my-plan.docx --register
    """
    try:
        targets = output_targets(output, parse_formats(formats))
        look, style = resolve_look(template, profile)
        if register_location is not None:
            from plandoc.register.issuing import issue_plan_file

            issue = functools.partial(
                issue_plan_file,
                plan,
                targets,
                strict=strict,
                template=look,
                profile=style,
                plan_key=plan_key,
                seconds=time_limit,
            )
            checked = issue_controlled_copy(register_location, issue)
        else:
            checked = render_file(
                plan,
                output,
                formats=tuple(targets),
                strict=strict,
                template=look,
                profile=style,
                plan=plan_key,
                seconds=time_limit,
            )
    except PlandocError as error:
        emit(error.as_diagnostics(), report_format, ok=False)
        sys.exit(error.exit_code)
    _report_written(checked, report_format, targets.values())


@click.command()
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder for the images."
)
@click.option("--pages", metavar="N|A-B", help="Pages to show, e.g. 1-2; default: all.")
@TEMPLATE
@PROFILE
@STRICT
@REPORT_FORMAT
@TIME_LIMIT
def preview(
    plan: Path,
    output: Path,
    pages: str | None,
    template: Path | None,
    profile: Path | None,
    strict: bool,
    report_format: str,
    time_limit: float,
) -> None:
    """Write PNG images of PLAN's rendered pages into a folder (needs LibreOffice and pdftoppm).

    \b
    Example:
      plandoc preview samples/ding-qiang.yaml -o preview --pages 1-2

    The folder is created when it does not exist.
    """
    from plandoc.output.preview import parse_pages  # with LibreOffice's modules: not for render

    try:
        look, style = resolve_look(template, profile)
        checked, images = preview_file(
            plan, output, pages=parse_pages(pages), strict=strict, template=look, profile=style, seconds=time_limit
        )
    except PlandocError as error:
        emit(error.as_diagnostics(), report_format, ok=False)
        sys.exit(error.exit_code)
    _report_written(checked, report_format, images)


@click.command()
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=True))
@STRICT
@REPORT_FORMAT
@WORKBOOK_PLAN
def validate(plan: Path, strict: bool, report_format: str, plan_key: str | None) -> None:
    """Check PLAN against the input format and report every problem at once.

    A workbook (.xlsx) is checked whole, every plan in it, unless --plan names one.

    \b
    Examples:
      plandoc validate samples/ding-qiang.yaml
      plandoc validate samples/huaxin-electric.yaml --report json

    \b
    A workbook of plans:
      plandoc validate book.xlsx
    """
    try:
        if plan_key is None and plan.suffix.lower() in (".xlsx", ".xlsm"):
            from plandoc.pipeline import check_workbook

            warnings = check_workbook(plan, strict=strict)
        else:
            warnings = list(check_file(plan, strict=strict, plan=plan_key).warnings)
    except PlandocError as error:
        emit(error.as_diagnostics(), report_format, ok=False)
        sys.exit(error.exit_code)
    emit(warnings, report_format, ok=True)
    if report_format == "text":
        count = len(warnings)
        verdict = f"通过（{count} 条警告） | ok ({count} warning(s))" if count else "通过 | ok"
        click.echo(f"{plan}: {verdict}", err=True)


def _report_written(checked: CheckedPlan, report_format: str, written: Iterable[Path]) -> None:
    """Report the plan's warnings, then (as text) the folder made and each file written."""
    emit(checked.warnings, report_format, ok=True)
    if report_format == "text":
        if checked.created_folder is not None:
            click.echo(created_message(checked.created_folder), err=True)
        for path in written:
            click.echo(f"已写入 {path} | wrote {path}", err=True)

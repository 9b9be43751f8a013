"""``plandoc check`` on a whole class: check every submission, print the report, write the gradebook."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from plandoc.check.class_check import check_class, default_jobs
from plandoc.check.class_report import class_json_report, class_text_report
from plandoc.check.copying import COPY_CHARACTERS
from plandoc.check.gradebook import gradebook_format, write_gradebook
from plandoc.cli.common_options import emit
from plandoc.errors import PlandocError, UsageError
from plandoc.schemas.profile import StyleProfile

GRADEBOOK = click.option(
    "--gradebook",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Check a class and write one row per document (.xlsx with findings and copying sheets, or .csv).",
)
JOBS = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes for a class; default: the cores."
)
COPY_THRESHOLD = click.option(
    "--copy-threshold",
    type=click.IntRange(1, 100),
    default=25,
    show_default=True,
    help="Report two students when near-identical passages make up this percentage of either one's own text "
    f"(or {COPY_CHARACTERS} characters).",
)


def check_whole_class(
    sources: Sequence[Path],
    profile: StyleProfile,
    *,
    gradebook: Path | None,
    report_format: str,
    brief_only: bool,
    show_all: bool,
    jobs: int | None,
    copy_threshold: int,
) -> NoReturn:
    """Check the class in ``sources``, report, write ``gradebook`` if asked, exit as ``check`` does."""
    share = copy_threshold / 100
    try:
        if gradebook is not None:
            gradebook_format(gradebook)
        result = check_class(sources, profile, brief_only=brief_only, jobs=jobs or default_jobs(), copy_share=share)
        if not result.checks:
            names = "、".join(map(str, sources))
            raise UsageError(f"{names}: 没有找到 .docx 文档 | no .docx document found")
        if gradebook is not None:
            write_gradebook(gradebook, result, copy_share=share, copy_characters=COPY_CHARACTERS)
    except PlandocError as error:
        emit(error.as_diagnostics(), "text", ok=False)
        sys.exit(error.exit_code)
    if report_format == "json":
        click.echo(class_json_report(result))
    else:
        click.echo(class_text_report(result, show_all=show_all), err=True)
    if gradebook is not None:
        click.echo(f"成绩册已写入 | gradebook written: {gradebook}", err=True)
    if result.unreadable:
        sys.exit(2)
    sys.exit(1 if any(r.errors for r in result.results) else 0)

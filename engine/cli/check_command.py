"""The check command: judge .docx documents against the brief."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plandoc.authoring.profiles import load_profile
from plandoc.check.findings_report import findings_json_report, findings_text_report
from plandoc.check.run import check_documents
from plandoc.check.submissions import is_class_source
from plandoc.cli.class_check_output import COPY_THRESHOLD, GRADEBOOK, JOBS, check_whole_class
from plandoc.cli.common_options import PROFILE, emit
from plandoc.errors import PlandocError
from plandoc.schemas.profile import DEFAULT_PROFILE

DEPRECATED_FORMAT_OPTION = (
    "plandoc: check 的 --format 已改名为 --report，旧名将被移除 | "
    "check's --format is now --report, as in render and validate; the old name will be removed"
)
NO_FORMAT_OPTION = (
    "check 不写文档，没有 --format；报告的格式用 --report text|json | "
    "check writes no documents, so it has no --format; choose the report with --report text|json"
)


@click.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@PROFILE
@click.option(
    "--report",
    "report_format",
    type=click.Choice(["text", "json"]),
    default=None,
    help="Findings as lines for people or as JSON (see docs/check-report.md).  [default: text]",
)
@click.option(
    "--brief-only",
    is_flag=True,
    help="Only what the brief requires (titles, sections, tables, figures); leave house style out.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="List every place a typography rule is broken, not the count and the first few.",
)
@GRADEBOOK
@JOBS
@COPY_THRESHOLD
@click.option(
    "--no-pages",
    is_flag=True,
    help="Skip LibreOffice's layout (faster): findings give their paragraph and no page.",
)
# check's report format was once --format; render and batch use --format for the files they write.
@click.option("--format", "old_report_format", default=None, hidden=True)
def check(
    documents: tuple[Path, ...],
    profile: Path | None,
    report_format: str | None,
    brief_only: bool,
    show_all: bool,
    gradebook: Path | None,
    jobs: int | None,
    copy_threshold: int,
    no_pages: bool,
    old_report_format: str | None,
) -> None:
    """Judge .docx files against the plan's formatting brief and structure.

    Checks fonts (East Asian and Latin), sizes, bold, line spacing and alignment of the
    titles, headings, body and tables, resolved through Word's style chain; the required
    sections in order; the header table; the evaluation table's figures and tick; and
    paragraphs copied from the stock example wording. Works on documents written by
    hand in Word, WPS or LibreOffice. Each finding gives the page it is laid out on
    when LibreOffice is installed (all documents converted in one run); otherwise, or
    with --no-pages, findings give their paragraph and no page (a page counted from
    breaks could be wrong), and the report says so. A class is checked without layout.
    Exit code 0
    when no errors, 1 when any, 2 when a file cannot be read.

    A folder or .zip is a whole class: every .docx in it is checked, students whose own
    text is near-identical are reported, and --gradebook writes one row per document.

    \b
    Examples:
      plandoc render samples/ding-qiang.yaml -o out/ding-qiang.docx && plandoc check out/ding-qiang.docx
      plandoc check out/*.docx --profile samples/profiles/school.yaml --report json > findings.json
      plandoc check out/ --gradebook grades.xlsx
    """
    if old_report_format is not None:
        old_report_format = old_report_format.lower()  # --format JSON meant the report format too
        if old_report_format not in ("text", "json"):
            raise click.UsageError(NO_FORMAT_OPTION)
        click.echo(DEPRECATED_FORMAT_OPTION, err=True)
    report_format = report_format or old_report_format or "text"
    try:
        style = load_profile(profile) if profile else DEFAULT_PROFILE
    except PlandocError as error:
        emit(error.as_diagnostics(), "text", ok=False)
        sys.exit(error.exit_code)
    if gradebook is not None or any(is_class_source(document) for document in documents):
        check_whole_class(
            documents, style, gradebook=gradebook, report_format=report_format, brief_only=brief_only,
            show_all=show_all, jobs=jobs, copy_threshold=copy_threshold,
        )  # fmt: skip
    run = check_documents(documents, style, brief_only=brief_only, lay_out_pages=not no_pages)
    results, unreadable = run.results, run.unreadable
    if report_format == "json":
        click.echo(findings_json_report(results, unreadable))
    else:
        click.echo(findings_text_report(results, unreadable, show_all=show_all), err=True)
    if unreadable:
        sys.exit(2)
    sys.exit(1 if any(result.errors for result in results) else 0)

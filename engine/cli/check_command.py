"""The check command: judge .docx documents against the brief."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plandoc.authoring.profiles import load_profile
from plandoc.check.findings_report import json_report as check_json_report
from plandoc.check.findings_report import text_report as check_text_report
from plandoc.check.run import check_document
from plandoc.cli.options import PROFILE, diagnostics_of, emit
from plandoc.errors import PlandocError
from plandoc.ooxml.safe_package import UnreadableDocumentError
from plandoc.schemas.profile import DEFAULT_PROFILE


@click.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@PROFILE
@click.option(
    "--format",
    "report_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as lines for people or as JSON (see docs/check-report.md).",
)
def check(documents: tuple[Path, ...], profile: Path | None, report_format: str) -> None:
    """Judge .docx files against the plan's formatting brief and structure.

    Checks fonts (East Asian and Latin), sizes, bold, line spacing and alignment of the
    titles, headings, body and tables, resolved through Word's style chain; the required
    sections in order; the header table; the evaluation table's figures and tick; and
    paragraphs copied from the stock example wording. Works on documents written by
    hand in Word, WPS or LibreOffice. Exit code 0 when no errors, 1 when any, 2 when a
    file cannot be read.

    \b
    Examples:
      plandoc render samples/ding-qiang.yaml -o out/ding-qiang.docx && plandoc check out/ding-qiang.docx
      plandoc check out/*.docx --profile samples/profiles/school.yaml --format json > findings.json
    """
    try:
        style = load_profile(profile) if profile else DEFAULT_PROFILE
    except PlandocError as error:
        emit(diagnostics_of(error), "text", ok=False)
        sys.exit(error.exit_code)
    results = []
    unreadable = []
    for document in documents:
        try:
            results.append(check_document(document, style))
        except UnreadableDocumentError as error:
            unreadable.append((str(document), str(error).removeprefix(f"{document}: ")))
    if report_format == "json":
        click.echo(check_json_report(results, unreadable))
    else:
        click.echo(check_text_report(results, unreadable), err=True)
    if unreadable:
        sys.exit(2)
    sys.exit(1 if any(result.errors for result in results) else 0)

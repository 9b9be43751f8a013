"""Authoring commands: init, schema and template export/lint."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from plandoc.authoring.json_schema import plan_json_schema_text
from plandoc.authoring.starter import KINDS, export_template, write_starter
from plandoc.authoring.template_lint import lint_template, sample_contexts
from plandoc.cli.common_options import EXIT_USAGE, REPORT_FORMAT, fail
from plandoc.errors import PlandocError
from plandoc.output.atomic import write_atomically


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--kind", type=click.Choice(KINDS), default="person", show_default=True, help="Person or company client.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--xlsx", is_flag=True, help="Write an Excel workbook with one example plan (also for FILE.xlsx).")
def init(file: Path, kind: str, force: bool, xlsx: bool) -> None:
    """Write a starting plan with a Chinese comment on every field, ready to render.

    Its first line points editors at plan.schema.json (written beside it) for
    autocompletion and checking.

    \b
    Example:
      plandoc init my-plan.yaml --kind company && plandoc render my-plan.yaml -o my-plan.docx
      plandoc init --xlsx book.xlsx && plandoc render book.xlsx -o plan.docx
    """
    try:
        if xlsx or file.suffix.lower() == ".xlsx":
            from plandoc.authoring.workbook_starter import write_starter_workbook

            written = write_starter_workbook(file, kind, force=force)
            click.echo(f"已写入 {written} | wrote {written}", err=True)
            return
        for path in write_starter(file, kind, force=force):
            click.echo(f"已写入 {path} | wrote {path}", err=True)
    except PlandocError as error:
        fail(error)


@click.group()
def template() -> None:
    """Start from, and check, a template of your own.

    \b
    Example:
      plandoc template export my-template/ && plandoc template lint my-template/default.docx
    """


@template.command("export")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Replace files that exist.")
def template_export(folder: Path, force: bool) -> None:
    """Copy the default template and the script that builds it into FOLDER.

    \b
    Example:
      plandoc template export my-template/ && plandoc template lint my-template/default.docx
    """
    try:
        for path in export_template(folder, force=force):
            click.echo(f"已写入 {path} | wrote {path}", err=True)
    except PlandocError as error:
        fail(error)


@template.command("lint")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@REPORT_FORMAT
def template_lint(file: Path, report_format: str) -> None:
    """List what would break FILE: unknown variables, tags split across runs, unbalanced blocks.

    Exit code 0 when the template is clean, 1 when anything was found, 2 when FILE is
    not a .docx template.

    \b
    Example:
      plandoc template export my-template/ --force && plandoc template lint my-template/default.docx
    """
    try:
        findings = lint_template(file, sample_contexts())
    except PlandocError as error:
        fail(error, EXIT_USAGE)
    if report_format == "json":
        click.echo(
            json.dumps(
                {"template": str(file), "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2
            )
        )
    else:
        for finding in findings:
            click.echo(f"{file}: {finding.rule}: {finding.message}\n    in: {finding.paragraph}", err=True)
        click.echo(f"{file}: {len(findings)} finding(s)" if findings else f"{file}: ok", err=True)
    sys.exit(1 if findings else 0)


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@click.option("--xlsx", is_flag=True, help="Describe the Excel workbook layout (Markdown) instead.")
def schema(output: Path | None, xlsx: bool) -> None:
    """Print the JSON Schema of plan files (keys in English or Chinese).

    \b
    Example (editor autocompletion for plan files):
      plandoc schema -o plan.schema.json
      plandoc schema --xlsx -o workbook.md
    """
    if xlsx:
        from plandoc.workbook.documentation import layout_markdown

        text = layout_markdown()
    else:
        text = plan_json_schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomically(output, text.encode("utf-8"))
    except PlandocError as error:
        fail(error)

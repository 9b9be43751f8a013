"""plandoc's command line: parse options, call the engine, print through a reporter, exit.

Exit codes: 0 success, 1 the input or document has problems, 2 usage error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import click

from engine import __version__
from engine.batch import BatchOptions, BatchRunner, ExecutorFactory, process_pool
from engine.batch_source import count_plans
from engine.check.report import json_report as check_json_report
from engine.check.report import text_report as check_text_report
from engine.check.run import check_document
from engine.delivery import output_targets, parse_formats
from engine.errors import Diagnostic, InputReadError, PlandocError, PlanInvalidError, Severity
from engine.json_schema import plan_json_schema_text
from engine.naming import DEFAULT_PATTERN
from engine.ooxml.safe_package import UnreadableDocumentError
from engine.output import write_atomically
from engine.pipeline import check_file, preview_file, render_file
from engine.preview import parse_pages
from engine.profiles import load_profile
from engine.progress import ProgressDisplay
from engine.report import diagnostic_line, json_report, text_report
from engine.starter import KINDS, export_template, write_starter
from engine.template_lint import lint_template, sample_contexts
from schemas.profile import DEFAULT_PROFILE, StyleProfile
from templates import DEFAULT_TEMPLATE

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

_REPORT_FORMAT = click.option(
    "--report",
    "report_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print problems and warnings.",
)
_STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
_TEMPLATE = click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A .docx template to render with instead of the default one.",
)
_PROFILE = click.option(
    "--profile",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A style profile (YAML) changing fonts, sizes, bold and spacing.",
)


def _resolve_look(template: Path | None, profile: Path | None) -> tuple[Path, StyleProfile | None]:
    """The template and loaded profile the options name (the defaults when absent)."""
    return template or DEFAULT_TEMPLATE, load_profile(profile) if profile else None


def _emit(diagnostics: Sequence[Diagnostic], report_format: str, *, ok: bool) -> None:
    if report_format == "json":
        click.echo(json_report(diagnostics, ok=ok))
    elif diagnostics:
        click.echo(text_report(diagnostics), err=True)


def _fail(error: PlandocError, exit_code: int | None = None) -> NoReturn:
    """Print a one-line error and exit with its code."""
    click.echo(f"plandoc: {error}", err=True)
    sys.exit(error.exit_code if exit_code is None else exit_code)


def _diagnostics_of(error: PlandocError) -> list[Diagnostic]:
    if isinstance(error, PlanInvalidError):
        return list(error.diagnostics)
    if isinstance(error, InputReadError):
        return [error.diagnostic]
    return [Diagnostic(Severity.ERROR, type(error).__name__, str(error))]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="plandoc")
def main() -> None:
    """plandoc: turn a plan file (YAML or JSON) into a typeset 客户关系维护方案 (.docx).

    \b
    Start with the sample:
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx
    """


@main.command()
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="The file to write (.docx, .doc or .pdf)."
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="docx|doc|pdf",
    help="Formats to write, repeatable or comma-separated; default: from the extension of -o.",
)
@_TEMPLATE
@_PROFILE
@_STRICT
@_REPORT_FORMAT
def render(
    plan: Path,
    output: Path,
    formats: tuple[str, ...],
    template: Path | None,
    profile: Path | None,
    strict: bool,
    report_format: str,
) -> None:
    """Render PLAN into a .docx, and a .doc or .pdf through LibreOffice.

    Nothing is written when the plan has errors (or warnings, under --strict) or a
    conversion fails; each file appears whole or not at all.

    \b
    Examples:
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx --format docx,doc,pdf
      plandoc render my-plan.yaml -o my-plan.docx --profile school.yaml
    """
    try:
        targets = output_targets(output, parse_formats(formats))
        look, style = _resolve_look(template, profile)
        checked = render_file(plan, output, formats=tuple(targets), strict=strict, template=look, profile=style)
    except PlandocError as error:
        _emit(_diagnostics_of(error), report_format, ok=False)
        sys.exit(error.exit_code)
    _emit(checked.warnings, report_format, ok=True)
    if report_format == "text":
        for target in targets.values():
            click.echo(f"wrote {target}", err=True)


@main.command()
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder for the images."
)
@click.option("--pages", metavar="N|A-B", help="Pages to show, e.g. 1-2; default: all.")
@_TEMPLATE
@_PROFILE
@_STRICT
@_REPORT_FORMAT
def preview(
    plan: Path,
    output: Path,
    pages: str | None,
    template: Path | None,
    profile: Path | None,
    strict: bool,
    report_format: str,
) -> None:
    """Write PNG images of PLAN's rendered pages into a folder (needs LibreOffice and pdftoppm).

    \b
    Example:
      plandoc preview samples/ding-qiang.yaml -o preview --pages 1-2
    """
    try:
        look, style = _resolve_look(template, profile)
        checked, images = preview_file(
            plan, output, pages=parse_pages(pages), strict=strict, template=look, profile=style
        )
    except PlandocError as error:
        _emit(_diagnostics_of(error), report_format, ok=False)
        sys.exit(error.exit_code)
    _emit(checked.warnings, report_format, ok=True)
    if report_format == "text":
        for image in images:
            click.echo(f"wrote {image}", err=True)


@main.command()
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=True))
@_STRICT
@_REPORT_FORMAT
def validate(plan: Path, strict: bool, report_format: str) -> None:
    """Check PLAN against the input format and report every problem at once.

    \b
    Example:
      plandoc validate samples/ding-qiang.yaml
      plandoc validate my-plan.yaml --strict --report json
    """
    try:
        checked = check_file(plan, strict=strict)
    except PlandocError as error:
        _emit(_diagnostics_of(error), report_format, ok=False)
        sys.exit(error.exit_code)
    _emit(checked.warnings, report_format, ok=True)
    if report_format == "text":
        click.echo(f"{plan}: ok" + (f" ({len(checked.warnings)} warning(s))" if checked.warnings else ""), err=True)


@main.command()
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    help="Folder (or fsspec URL such as s3://bucket/plans/) for the documents and batch-report.json.",
)
@click.option(
    "--name",
    "name_pattern",
    default=DEFAULT_PATTERN,
    show_default=True,
    help="Output file name, filled from plan fields and made safe for every filesystem.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="docx|doc|pdf",
    help="Formats to write, repeatable or comma-separated; default docx.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes; default: the number of cores."
)
@click.option(
    "--report-csv",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report as CSV (opens in Excel).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (plandoc[dask]).")
@_TEMPLATE
@_PROFILE
@_STRICT
def batch(
    source: Path,
    outdir: str,
    name_pattern: str,
    formats: tuple[str, ...],
    jobs: int | None,
    report_csv: Path | None,
    quiet: bool,
    scheduler: str | None,
    template: Path | None,
    profile: Path | None,
    strict: bool,
) -> None:
    """Render every plan of SOURCE into a folder: a manifest, a JSON Lines file or a folder of plans.

    One bad plan never stops the batch; OUTDIR/batch-report.json lists every plan with
    its status, diagnostics and output hashes. Running the same batch again skips plans
    whose outputs are up to date, so an interrupted batch resumes where it stopped.
    Exit code 0 when every plan succeeded, 1 when any failed, 130 when interrupted.

    \b
    Examples:
      plandoc batch plans.jsonl -o out/
      plandoc batch class.yaml -o out/ --format docx,pdf --name "{client.name}.docx"
      plandoc batch book.jsonl -o s3://bank-plans/2026/ --scheduler tcp://scheduler:8786
    """
    try:
        look, style = _resolve_look(template, profile)
        options = BatchOptions(
            template=look,
            profile=style,
            source=source,
            outdir=outdir,
            name_pattern=name_pattern,
            formats=parse_formats(formats) or ("docx",),
            jobs=jobs or os.cpu_count() or 1,
            strict=strict,
            report_csv=report_csv,
        )
        display = None if quiet else ProgressDisplay(count_plans(source))
        disconnect: Callable[[], None] = lambda: None  # noqa: E731
        executor: ExecutorFactory = process_pool
        if scheduler:
            from engine.dask_executor import connect

            executor, disconnect, cluster_threads = connect(scheduler)
            if jobs is None:  # keep every worker thread busy, and no more in flight than that
                options.jobs = cluster_threads
        try:
            runner = BatchRunner(options, executor=executor, progress=display)
            if runner.notice and not quiet:
                click.echo(f"plandoc: {runner.notice}", err=True)
            summary = runner.run()
        finally:
            disconnect()
    except PlandocError as error:
        for diagnostic in _diagnostics_of(error):
            click.echo(diagnostic_line(diagnostic) if diagnostic.file else f"plandoc: {error}", err=True)
        sys.exit(error.exit_code)
    if display is not None:
        display.close(summary.counts)
    if not quiet:
        counts = summary.counts
        click.echo(
            f"{counts.ok} rendered, {counts.up_to_date} up to date, {counts.failed} failed"
            + (" (interrupted)" if summary.interrupted else "")
            + f"; report: {summary.report}",
            err=True,
        )
    sys.exit(summary.exit_code)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--kind", type=click.Choice(KINDS), default="person", show_default=True, help="Person or company client.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def init(file: Path, kind: str, force: bool) -> None:
    """Write a starting plan with a Chinese comment on every field, ready to render.

    Its first line points editors at plan.schema.json (written beside it) for
    autocompletion and checking.

    \b
    Example:
      plandoc init my-plan.yaml --kind company && plandoc render my-plan.yaml -o my-plan.docx
    """
    try:
        for path in write_starter(file, kind, force=force):
            click.echo(f"wrote {path}", err=True)
    except PlandocError as error:
        _fail(error)


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_PROFILE
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
      plandoc check student-plan.docx
      plandoc check *.docx --profile school.yaml --format json > findings.json
    """
    try:
        style = load_profile(profile) if profile else DEFAULT_PROFILE
    except PlandocError as error:
        _emit(_diagnostics_of(error), "text", ok=False)
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


@main.group()
def template() -> None:
    """Start from, and check, a template of your own."""


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
            click.echo(f"wrote {path}", err=True)
    except PlandocError as error:
        _fail(error)


@template.command("lint")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@_REPORT_FORMAT
def template_lint(file: Path, report_format: str) -> None:
    """List what would break FILE: unknown variables, tags split across runs, unbalanced blocks.

    Exit code 0 when the template is clean, 1 when anything was found, 2 when FILE is
    not a .docx template.

    \b
    Example:
      plandoc template lint my-template/default.docx
    """
    try:
        findings = lint_template(file, sample_contexts())
    except PlandocError as error:
        _fail(error, EXIT_USAGE)
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


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of plan files (keys in English or Chinese).

    \b
    Example (editor autocompletion for plan files):
      plandoc schema -o plan.schema.json
    """
    text = plan_json_schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomically(output, text.encode("utf-8"))
    except PlandocError as error:
        _fail(error)


if __name__ == "__main__":
    main()

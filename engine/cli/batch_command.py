"""The batch command: many plans into one output folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from plandoc.batch.naming import DEFAULT_PATTERN
from plandoc.batch.options import BatchOptions
from plandoc.batch.progress import ProgressDisplay
from plandoc.batch.runner import BatchRunner, ExecutorFactory
from plandoc.batch.sources import count_plans
from plandoc.batch.worker import process_pool
from plandoc.cli.common_options import PROFILE, STRICT, TEMPLATE, TIME_LIMIT, output_formats_option, resolve_look
from plandoc.cli.register_commands import issue_option, open_batch_registration
from plandoc.errors import PlandocError
from plandoc.output.folders import created_message, topmost_missing
from plandoc.output.formats import parse_formats
from plandoc.reporting import diagnostic_line


@click.command()
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
@output_formats_option("Formats to write, repeatable or comma-separated; default docx.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes; default: the number of cores."
)
@click.option(
    "--report-csv",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report as CSV (opens in Excel).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--force", is_flag=True, help="Replace outputs edited since an earlier run wrote them.")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (plandoc[dask]).")
@TEMPLATE
@PROFILE
@STRICT
@TIME_LIMIT
@issue_option
def batch(
    source: Path,
    outdir: str,
    name_pattern: str,
    formats: tuple[str, ...],
    jobs: int | None,
    report_csv: Path | None,
    quiet: bool,
    force: bool,
    scheduler: str | None,
    template: Path | None,
    profile: Path | None,
    strict: bool,
    time_limit: float,
    register_location: str | None,
) -> None:
    """Render every plan of SOURCE into a folder: a manifest, a JSON Lines file or a folder of plans.

    One bad plan never stops the batch; OUTDIR/batch-report.json lists every plan with
    its status, diagnostics and output hashes. Running the same batch again skips plans
    whose outputs are up to date, so an interrupted batch resumes where it stopped.
    An output edited since a run wrote it is left alone and reported as modified
    (--force replaces it). Exit code 0 when every plan succeeded, 1 when any failed or
    was left alone, 130 after Ctrl-C, 143 after SIGTERM (both write the report).

    \b
    Examples:
      plandoc batch samples/batch/plans.jsonl -o out/
      plandoc batch samples/batch/class.yaml -o out/ --format docx,pdf --name "{client.name}.docx"
      plandoc batch samples/ -o out/ --jobs 2 --report-csv out/report.csv

    \b
    On a Dask cluster, or recording controlled copies in the register:
      plandoc batch book.jsonl -o s3://bank-plans/2026/ --scheduler tcp://scheduler:8786
      plandoc batch plans.jsonl -o out/ --register

    OUTDIR is created when it does not exist.
    """
    try:
        look, style = resolve_look(template, profile)
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
            time_limit=time_limit,
            force=force,
        )
        registration = open_batch_registration(register_location, options)
        display = None if quiet else ProgressDisplay(count_plans(source))
        disconnect: Callable[[], None] = lambda: None  # noqa: E731
        executor: ExecutorFactory = process_pool
        if scheduler:
            from plandoc.batch.dask_cluster import connect

            executor, disconnect, cluster_threads = connect(scheduler)
            if jobs is None:  # keep every worker thread busy, and no more in flight than that
                options.jobs = cluster_threads
        created = None if "://" in outdir else topmost_missing(Path(outdir))
        try:
            runner = BatchRunner(options, executor=executor, progress=display, on_issued=registration)
            if runner.notice and not quiet:
                click.echo(f"plandoc: {runner.notice}", err=True)
            summary = runner.run()
        finally:
            disconnect()
            if registration is not None:
                registration.close()
    except PlandocError as error:
        for diagnostic in error.as_diagnostics():
            click.echo(diagnostic_line(diagnostic) if diagnostic.file else f"plandoc: {error}", err=True)
        sys.exit(error.exit_code)
    if display is not None:
        display.close(summary.counts)
    if not quiet:
        if created is not None and created.is_dir():
            click.echo(created_message(created), err=True)
        counts = summary.counts
        interrupted = ("（已中断）", " (interrupted)") if summary.interrupted else ("", "")
        click.echo(
            f"已生成 {counts.ok} 份，{counts.up_to_date} 份无需更新，{counts.failed} 份失败"
            + (f"，{counts.modified} 份已被修改而保留（--force 可覆盖）" if counts.modified else "")
            + f"{interrupted[0]}；报告：{summary.report} | {counts.ok} rendered, {counts.up_to_date} up to date, "
            f"{counts.failed} failed"
            + (f", {counts.modified} edited since and left alone (--force replaces them)" if counts.modified else "")
            + f"{interrupted[1]}; report: {summary.report}",
            err=True,
        )
    sys.exit(summary.exit_code)

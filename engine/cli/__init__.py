"""The click command line, a thin front end: parse options, call the engine, report, exit."""

from __future__ import annotations

import click

from plandoc import __version__
from plandoc.cli.authoring_commands import init, schema, template
from plandoc.cli.batch_command import batch
from plandoc.cli.bug_reports import PlandocGroup
from plandoc.cli.check_command import check
from plandoc.cli.plan_commands import preview, render, validate
from plandoc.cli.register_commands import register, verify
from plandoc.cli.serve_command import serve
from plandoc.cli.workbook_commands import convert


@click.group(cls=PlandocGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="plandoc")
def main() -> None:
    """plandoc: turn a plan file (YAML or JSON) into a typeset 客户关系维护方案 (.docx).

    \b
    Start with the sample:
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx
    """


for _command in (render, preview, validate, batch, init, check, template, schema, convert, serve, register, verify):
    main.add_command(_command)

__all__ = ["main"]

"""The click command line, a thin front end: parse options, call the engine, report, exit."""

from __future__ import annotations

import importlib
import os

import click

# plandoc's command line uses no pydantic plugins; looking for them scans the metadata of
# every installed package on each start. A user's own setting still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from plandoc import __version__
from plandoc.cli.bug_reports import PlandocGroup

# Each command's module is imported when the command runs, so `plandoc render` does not
# pay for importing the batch, check and authoring machinery (see bench/cold_start_bench.py).
_COMMANDS = {
    "render": "plandoc.cli.plan_commands",
    "preview": "plandoc.cli.plan_commands",
    "validate": "plandoc.cli.plan_commands",
    "batch": "plandoc.cli.batch_command",
    "init": "plandoc.cli.authoring_commands",
    "check": "plandoc.cli.check_command",
    "template": "plandoc.cli.authoring_commands",
    "schema": "plandoc.cli.authoring_commands",
    "convert": "plandoc.cli.workbook_commands",
    "serve": "plandoc.cli.serve_command",
    "register": "plandoc.cli.register_commands",
    "verify": "plandoc.cli.register_commands",
}


class _LazyGroup(PlandocGroup):
    """plandoc's group, whose built-in commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = _COMMANDS.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            command = getattr(importlib.import_module(module), cmd_name)
            assert isinstance(command, click.Command)
            self.add_command(command)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="plandoc")
def main() -> None:
    """plandoc: turn a plan file (YAML or JSON) into a typeset 客户关系维护方案 (.docx).

    \b
    Start with the sample:
      plandoc render samples/ding-qiang.yaml -o ding-qiang.docx
    """


__all__ = ["main"]

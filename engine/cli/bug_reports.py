"""Report an exception that is not a PlandocError as what it is: a bug in plandoc, not the user's mistake.

The user sees one line (Chinese, then English) and exit code 70; the traceback goes to a
file named in that line, or to stderr when PLANDOC_TRACEBACK=1.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import click

from plandoc.batch.interrupts import EXIT_TERMINATED, Terminated, stop_cleanly_on_sigterm
from plandoc.cli.usage_messages import in_chinese
from plandoc.errors import EXIT_INTERNAL_ERROR, OutputError, PlandocError, internal_error_message

TRACEBACK_VARIABLE = "PLANDOC_TRACEBACK"


def _write_traceback(exception: BaseException) -> str | None:
    """Write the traceback to a new file in the temporary folder; its path, or None if that failed."""
    text = "".join(traceback.format_exception(exception))
    try:
        descriptor, path = tempfile.mkstemp(prefix="plandoc-bug-", suffix=".txt")
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError:
        return None
    return path


def report_bug(exception: BaseException) -> None:
    """Print the one line that reports ``exception`` as a plandoc bug, and keep its traceback."""
    if os.environ.get(TRACEBACK_VARIABLE) == "1":
        click.echo("".join(traceback.format_exception(exception)), err=True, nl=False)
        attachment = None
    else:
        attachment = _write_traceback(exception)
    click.echo(f"plandoc: {internal_error_message(exception, attachment)}", err=True)


def _raised_by_echo(error: OSError) -> bool:
    """Whether ``error`` came from printing (standard output full, closed or failing), not from a bug."""
    trace = error.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_name == "echo" and code.co_filename == click.utils.__file__:
            return True
        trace = trace.tb_next
    return False


def _silence_standard_output() -> None:
    """Point standard output at the null device, so the output left in its buffer is not flushed
    again at exit (that would print Python's own 'Exception ignored' message)."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


class PlandocGroup(click.Group):
    """The command group: what a command lets escape is reported, never shown as a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The group's own options; a usage mistake is said in Chinese first."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise in_chinese(error, self.list_commands(ctx)) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report an escaping PlandocError as such and any other exception as a bug.

        SIGTERM stops a command as Ctrl-C does (every clean-up runs), with exit code 143.
        """
        stop_cleanly_on_sigterm()
        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # a mistyped command or option of a command
            raise in_chinese(error, self.list_commands(ctx)) from None
        except Terminated:
            click.echo("plandoc: 收到 SIGTERM，已停止 | stopped by SIGTERM", err=True)
            ctx.exit(EXIT_TERMINATED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):  # click's own ways out
            raise
        except PlandocError as error:
            click.echo(f"plandoc: {error}", err=True)
            ctx.exit(error.exit_code)
        except Exception as exception:
            if isinstance(exception, OSError) and _raised_by_echo(exception):
                _silence_standard_output()
                click.echo(f"plandoc: {OutputError.from_os(Path('<stdout>'), exception)}", err=True)
                ctx.exit(1)
            report_bug(exception)
            ctx.exit(EXIT_INTERNAL_ERROR)

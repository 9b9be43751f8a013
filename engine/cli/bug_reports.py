"""Report an exception that is not a PlandocError as what it is: a bug in plandoc, not the user's mistake.

The user sees one line (Chinese, then English) and exit code 70; the traceback goes to a
file named in that line, or to stderr when PLANDOC_TRACEBACK=1.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from typing import Any

import click

from plandoc.batch.interrupts import EXIT_TERMINATED, Terminated, stop_cleanly_on_sigterm
from plandoc.errors import EXIT_INTERNAL_ERROR, PlandocError, internal_error_message

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


class PlandocGroup(click.Group):
    """The command group: what a command lets escape is reported, never shown as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report an escaping PlandocError as such and any other exception as a bug.

        SIGTERM stops a command as Ctrl-C does (every clean-up runs), with exit code 143.
        """
        stop_cleanly_on_sigterm()
        try:
            return super().invoke(ctx)
        except Terminated:
            click.echo("plandoc: 收到 SIGTERM，已停止 | stopped by SIGTERM", err=True)
            ctx.exit(EXIT_TERMINATED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):  # click's own ways out
            raise
        except PlandocError as error:
            click.echo(f"plandoc: {error}", err=True)
            ctx.exit(error.exit_code)
        except Exception as exception:
            report_bug(exception)
            ctx.exit(EXIT_INTERNAL_ERROR)

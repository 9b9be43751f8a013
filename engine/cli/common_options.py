"""Options, printing and failure handling that every command shares."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click
from click.decorators import FC

from plandoc.diagnostics import Diagnostic
from plandoc.errors import PlandocError
from plandoc.render.budget import DEFAULT_TIME_LIMIT
from plandoc.reporting import json_report, text_report
from plandoc.templates import DEFAULT_TEMPLATE

if TYPE_CHECKING:
    from plandoc.schemas.profile import StyleProfile

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

REPORT_FORMAT = click.option(
    "--report",
    "report_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print problems and warnings.",
)
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
TEMPLATE = click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A .docx template to render with instead of the default one.",
)
TIME_LIMIT = click.option(
    "--time-limit",
    "time_limit",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    metavar="SECONDS",
    help="Seconds one plan may take to validate and render; past it, that plan fails.",
)
PROFILE = click.option(
    "--profile",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A style profile (YAML) changing fonts, sizes, bold and spacing.",
)


def output_formats_option(help_text: str) -> Callable[[FC], FC]:
    """``--format docx|doc|pdf``, repeatable or comma-separated, into the ``formats`` parameter."""
    return click.option("--format", "formats", multiple=True, metavar="docx|doc|pdf", help=help_text)


def resolve_look(template: Path | None, profile: Path | None) -> tuple[Path, StyleProfile | None]:
    """The template and loaded profile the options name (the defaults when absent)."""
    if profile is None:
        return template or DEFAULT_TEMPLATE, None
    from plandoc.authoring.profiles import load_profile  # only when a profile is given

    return template or DEFAULT_TEMPLATE, load_profile(profile)


def emit(diagnostics: Sequence[Diagnostic], report_format: str, *, ok: bool) -> None:
    """Print diagnostics as the report format asks: JSON on stdout, or text lines on stderr."""
    if report_format == "json":
        click.echo(json_report(diagnostics, ok=ok))
    elif diagnostics:
        click.echo(text_report(diagnostics), err=True)


def fail(error: PlandocError, exit_code: int | None = None) -> NoReturn:
    """Print a one-line error and exit with its code."""
    click.echo(f"plandoc: {error}", err=True)
    sys.exit(error.exit_code if exit_code is None else exit_code)

"""Commands of the register of controlled documents: register list/show/history/withdraw/export, verify.

The register's modules (and SQLAlchemy) are imported inside the commands, so that every
other plandoc command starts as fast as before.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from plandoc.cli.common_options import fail
from plandoc.errors import PlandocError
from plandoc.pipeline import CheckedPlan

if TYPE_CHECKING:
    from plandoc.batch.options import BatchOptions
    from plandoc.register.batch_hook import BatchRegistration
    from plandoc.register.register_rules import IssueResult

F = TypeVar("F", bound=Callable[..., Any])
REGISTER_HELP = (
    "The register: an SQLite file or a postgresql:// URL; default $PLANDOC_REGISTER, else ./plandoc-register.sqlite."
)


DEPRECATED_REGISTER_OPTION = (
    "plandoc: 此处的 --register 已改名为 --register-url（render 与 batch 的 --register 是开关），旧名将被移除 | "
    "--register URL is now --register-url URL, as on render and batch, where --register is a switch; "
    "the old name will be removed"
)

BOTH_REGISTER_OPTIONS = (
    "--register-url 与旧名 --register 只能用一个 | "
    "give the register once: --register-url, not also its old name --register"
)


def register_location_option(function: F) -> F:
    """The --register-url URL|PATH option of the register's own commands, as on render and batch.

    ``--register URL`` is its old name, kept hidden and warned about: on render and batch
    ``--register`` is a switch, and one option name should not mean two things.
    """

    @functools.wraps(function)
    def command(*args: Any, location: str | None, old_location: str | None, **kwargs: Any) -> Any:
        if old_location is not None:
            if location is not None:
                raise click.UsageError(BOTH_REGISTER_OPTIONS)
            click.echo(DEPRECATED_REGISTER_OPTION, err=True)
        return function(*args, location=location if location is not None else old_location, **kwargs)

    hidden = click.option("--register", "old_location", metavar="URL|PATH", hidden=True)(command)
    return click.option("--register-url", "location", metavar="URL|PATH", help=REGISTER_HELP)(hidden)  # type: ignore[return-value]


def issue_option(function: F) -> F:
    """``--register`` and ``--register-url URL|PATH`` of render and batch, handed on as ``register_location``.

    ``--register`` is a switch, so ``render --register plan.yaml`` never takes the plan for
    the register; ``--register-url`` names the register (and implies ``--register``).
    ``register_location`` is None without either, "" for the default register.
    """

    @functools.wraps(function)
    def command(*args: Any, register: bool, register_url: str | None, **kwargs: Any) -> Any:
        location = register_url if register_url is not None else "" if register else None
        return function(*args, register_location=location, **kwargs)

    with_url = click.option(
        "--register-url",
        metavar="URL|PATH",
        help="The register to record in (implies --register): " + REGISTER_HELP[len("The register: ") :],
    )(command)
    return click.option(
        "--register", "register", is_flag=True, help="Issue controlled copies and record each in the register."
    )(with_url)  # type: ignore[return-value]


def issue_controlled_copy(location: str, issue: Callable[[str], tuple[CheckedPlan, IssueResult]]) -> CheckedPlan:
    """``render --register``: ``issue`` writes a controlled copy and records it in the register; report what it did."""
    from plandoc.plan.controlled_copy import mark_label
    from plandoc.register.connection import register_location

    resolved = register_location(location or None)
    checked, result = issue(resolved)
    number = checked.derived.plan.control.number
    if not result.newly_registered:
        click.echo(f"{number}：已登记，未变 | already registered ({resolved})", err=True)
    elif result.superseded_mark is not None:
        click.echo(f"{number}：已登记；修订 {mark_label(result.superseded_mark)} 已作废 | registered; "
                   f"revision {mark_label(result.superseded_mark)} superseded ({resolved})", err=True)  # fmt: skip
    else:
        click.echo(f"{number}：已登记 | registered ({resolved})", err=True)
    return checked


def open_batch_registration(location: str | None, options: BatchOptions) -> BatchRegistration | None:
    """``batch --register``: the callback registering each finished plan (None without the option)."""
    if location is None:
        return None
    from plandoc.register.batch_hook import BatchRegistration
    from plandoc.register.connection import register_location

    resolved = register_location(location or None)
    options.controlled = resolved
    return BatchRegistration(resolved, str(options.outdir), options.template, options.profile)


@contextmanager
def _opened(location: str | None) -> Iterator[Any]:
    from plandoc.register.connection import open_register, register_location

    engine = open_register(register_location(location))
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _run(action: Callable[[], None]) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from plandoc.register.issuing import database_failure

    try:
        action()
    except PlandocError as error:
        fail(error)
    except SQLAlchemyError as exc:
        fail(database_failure(exc))


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


FORMAT = click.option(
    "--report", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group()
def register() -> None:
    """The register of controlled documents: numbers, revisions, states and issued files.

    \b
    Examples:
      plandoc render plan.yaml -o plan.docx --register
      plandoc register list
      plandoc register show KHWH-2026-001
      plandoc register withdraw KHWH-2026-001 --reason "客户关系终止"
      plandoc register export -o register.xlsx
    """


@register.command("list")
@register_location_option
@FORMAT
def list_command(location: str | None, output_format: str) -> None:
    """List every registered number with its client and latest revision.

    \b
    Example:
      plandoc register list --register-url team.sqlite
    """

    def action() -> None:
        from plandoc.register.queries import list_documents
        from plandoc.register.states import state_label

        with _opened(location) as connection:
            rows = list_documents(connection)
        if output_format == "json":
            _echo_json(rows)
            return
        for row in rows:
            state = state_label(row["state"]) if row["state"] else ""
            click.echo(
                f"{row['number']}\t{row['client']}\t{row['revision']}\t{state}\t{row['issued_at']:%Y-%m-%d %H:%M}"
            )

    _run(action)


@register.command()
@click.argument("number")
@register_location_option
@FORMAT
def show(number: str, location: str | None, output_format: str) -> None:
    """Show a number: its client, current revision, and each revision with its files.

    \b
    Example:
      plandoc register show KHWH-2026-001
    """

    def action() -> None:
        from plandoc.register.queries import find_document
        from plandoc.register.states import state_label

        with _opened(location) as connection:
            entry = find_document(connection, number)
        if output_format == "json":
            _echo_json({"number": entry.number, "client": entry.client, "current": entry.current_mark,
                        "revisions": [dict(r.facts, files=list(r.files)) for r in entry.revisions]})  # fmt: skip
            return
        click.echo(f"编号 {entry.number}  客户 {entry.client}  现行版本 {entry.current_mark or '无'}")
        for revision in entry.revisions:
            facts = revision.facts
            click.echo(
                f"  修订 {revision.mark}  {facts['revision_date']}  {state_label(facts['state'])}  "
                f"批准 {facts['approved']}  登记 {facts['issued_by']} {facts['issued_at']:%Y-%m-%d %H:%M}  "
                f"输入 {facts['input_sha256'][:12]}"
            )
            for file in revision.files:
                click.echo(f"    {file['format']}  {file['sha256'][:12]}  {file['size']:>8,}  {file['path']}")

    _run(action)


@register.command()
@click.argument("number")
@register_location_option
@FORMAT
def history(number: str, location: str | None, output_format: str) -> None:
    """Show every change of state of a number, oldest first, with its reason.

    \b
    Example:
      plandoc register history KHWH-2026-001 --report json
    """

    def action() -> None:
        from plandoc.plan.controlled_copy import mark_label
        from plandoc.register.queries import history as events_of
        from plandoc.register.states import state_label

        with _opened(location) as connection:
            events = events_of(connection, number)
        if output_format == "json":
            _echo_json(events)
            return
        for event in events:
            source = state_label(event["from_state"]) if event["from_state"] else "—"
            click.echo(
                f"{event['at']:%Y-%m-%d %H:%M:%S}  修订 {mark_label(event['revision_mark'])}  {source} → "
                f"{state_label(event['to_state'])}  {event['reason']}  ({event['actor']})"
            )

    _run(action)


@register.command()
@click.argument("number")
@click.option("--reason", required=True, help="Why the document is withdrawn (recorded in its history).")
@register_location_option
def withdraw(number: str, reason: str, location: str | None) -> None:
    """Withdraw the current revision of NUMBER; the reason is recorded.

    \b
    Example:
      plandoc register withdraw KHWH-2026-001 --reason "客户关系终止"
    """

    def action() -> None:
        from plandoc.plan.controlled_copy import mark_label
        from plandoc.register.issuing import current_user
        from plandoc.register.register_rules import withdraw as withdraw_revision

        with _opened(location) as connection:
            mark = withdraw_revision(connection.engine, number, reason, current_user())
        click.echo(f"{number} 修订 {mark_label(mark)}：已撤销 | withdrawn", err=True)

    _run(action)


@register.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The file to write: .csv or .xlsx.")  # fmt: skip
@register_location_option
def export(output: Path, location: str | None) -> None:
    """Export every revision with its files as CSV or an Excel workbook (by the extension of -o).

    \b
    Example:
      plandoc register export -o register.xlsx
    """

    def action() -> None:
        from plandoc.errors import UsageError
        from plandoc.register.export import FORMATS, export_register
        from plandoc.register.queries import export_rows

        export_format = output.suffix.lower().lstrip(".")
        if export_format not in FORMATS:
            raise UsageError(f"{output}: 导出格式须为 .csv 或 .xlsx | export to a .csv or .xlsx file")
        with _opened(location) as connection:
            export_register(export_rows(connection), output, export_format)
        click.echo(f"已写入 {output} | wrote {output}", err=True)

    _run(action)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--mark-obsolete", is_flag=True, help="Beside each obsolete .docx write NAME-作废.docx, marked 作废.")
@register_location_option
@FORMAT
def verify(files: tuple[Path, ...], mark_obsolete: bool, location: str | None, output_format: str) -> None:
    """Tell whether each FILE (.docx or .pdf) is the current controlled copy, obsolete, altered or unknown.

    Exit code 0 when every file is current, 1 when any is not, 2 when a file cannot be read.

    \b
    Example:
      plandoc verify KHWH-2026-001-丁强.docx
    """
    verdicts: list[Any] = []

    def action() -> None:
        from plandoc.register.verify import mark_obsolete_copy, verify_file

        with _opened(location) as connection:
            verdicts.extend(verify_file(connection, path) for path in files)
            for verdict in verdicts if mark_obsolete else ():
                marked = mark_obsolete_copy(connection, verdict)
                if marked is not None:
                    click.echo(f"已写入 {marked} | wrote {marked}", err=True)

    _run(action)
    if output_format == "json":
        _echo_json([v.to_dict() for v in verdicts])
    else:
        for verdict in verdicts:
            click.echo(f"{verdict.file}: {verdict.message}")
    kinds = {str(v.verdict) for v in verdicts}
    sys.exit(2 if "unreadable" in kinds else 0 if kinds == {"current"} else 1)

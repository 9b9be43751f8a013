"""Command-line usage mistakes (a mistyped option or command, a missing argument) said in Chinese first.

click words these in English only. ``in_chinese`` turns each kind click raises into a
message in plandoc's form — Chinese, then click's own English after ``|`` — naming the
option, argument or command concerned, with the did-you-mean click found (or, for a
command, found here among every command, loaded or not).
"""

from __future__ import annotations

import difflib
from typing import IO, Any

import click
from click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchCommand, NoSuchOption


class UsageMistake(click.UsageError):
    """A usage error whose message and hints are in Chinese, then English; exit code 2 as click's."""

    def __init__(self, chinese: str, original: click.UsageError) -> None:
        super().__init__(f"{chinese} | {original.format_message()}", original.ctx)
        self.original = original

    def show(self, file: IO[Any] | None = None) -> None:
        """The mistake first, then how the command is used and where its help is."""
        context = self.ctx
        click.echo(f"plandoc: {self.format_message()}", file=file, err=file is None)
        if context is not None:
            usage = context.get_usage().removeprefix("Usage: ")
            click.echo(f"用法 | usage: {usage}", file=file, err=file is None)
            click.echo(f"帮助 | help: {context.command_path} --help", file=file, err=file is None)


def _quoted(names: list[str]) -> str:
    return "、".join(names)


def _chinese(error: click.UsageError, commands: list[str]) -> str:
    """What went wrong, in Chinese."""
    if isinstance(error, NoSuchOption):
        guesses = sorted(error.possibilities or ())
        maybe = f"（是否想用 {_quoted(guesses)}？）" if guesses else ""
        return f"没有 {error.option_name} 这个选项{maybe}"
    if isinstance(error, NoSuchCommand):
        group = error.ctx.command if error.ctx is not None else None
        if isinstance(group, click.Group) and error.ctx is not None:  # the group the name was looked up in
            commands = group.list_commands(error.ctx)
        name = error.command_name
        guesses = difflib.get_close_matches(name, commands, n=3, cutoff=0.6)
        maybe = f"（是否想用 {_quoted(guesses)}？）" if guesses else ""
        return f"没有 {name} 这个命令{maybe}；可用的命令：{_quoted(commands)}"
    if isinstance(error, MissingParameter):
        kind = "选项" if isinstance(error.param, click.Option) else "参数"
        hint = error.param_hint if isinstance(error.param_hint, str) else None
        if hint is None and error.param is not None:
            hint = error.param.get_error_hint(error.ctx) if error.ctx is not None else error.param.name
        return f"缺少{kind} {hint}" if hint else f"缺少{kind}"
    if isinstance(error, BadParameter):
        hint = error.param_hint if isinstance(error.param_hint, str) else None
        if hint is None and error.param is not None and error.ctx is not None:
            hint = error.param.get_error_hint(error.ctx)
        return f"{hint} 的值不对" if hint else "有一个值不对"
    if isinstance(error, BadOptionUsage):
        if "requires an argument" in error.message:
            return f"选项 {error.option_name} 后面缺少它的值"
        return f"选项 {error.option_name} 的用法不对"
    return "命令行的写法不对"


def in_chinese(error: click.UsageError, commands: list[str]) -> click.UsageError:
    """``error`` said in Chinese first (``commands``: every command of the group, for did-you-mean).

    Every ``click.UsageError`` comes from click itself: plandoc's own usage errors are
    ``PlandocError``s, already in Chinese first, and never pass through here.
    """
    if isinstance(error, (UsageMistake, click.exceptions.NoArgsIsHelpError)):
        return error  # already said, or click showing the help
    return UsageMistake(_chinese(error, commands), error)

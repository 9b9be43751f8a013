"""One option name, one meaning: an option spelled alike on two commands takes the same kind of value.

``--format`` once chose the files to write on ``render`` and the report on ``check``, and
``--register`` was a switch on ``render`` but the register's location on ``register list``.
Old spellings kept for scripts are hidden from help and warn; only the visible options count.
"""

from __future__ import annotations

from collections import defaultdict

import click

from plandoc.cli import main


def visible_options() -> dict[str, dict[str, tuple[bool, tuple[str, ...] | None]]]:
    """For each visible option name: the commands using it and the kind of value each takes."""
    context = click.Context(main)
    found: dict[str, dict[str, tuple[bool, tuple[str, ...] | None]]] = defaultdict(dict)

    def walk(command: click.Command, path: str) -> None:
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None
                walk(sub, f"{path} {name}".strip())
            return
        for parameter in command.params:
            if isinstance(parameter, click.Option) and not parameter.hidden:
                choices = tuple(parameter.type.choices) if isinstance(parameter.type, click.Choice) else None
                kind = (parameter.is_flag, tuple(map(str, choices)) if choices is not None else None)
                for name in parameter.opts + parameter.secondary_opts:
                    found[name][path] = kind

    walk(main, "")
    return found


def test_an_option_takes_the_same_kind_of_value_on_every_command() -> None:
    options = visible_options()
    assert {"render", "check", "batch", "register list", "verify"} <= {c for uses in options.values() for c in uses}
    mixed = {name: uses for name, uses in options.items() if len(set(uses.values())) > 1}
    assert not mixed, f"these options mean different things on different commands: {mixed}"


def test_the_two_collisions_that_were_are_gone() -> None:
    options = visible_options()
    assert "check" not in options["--format"] and {"render", "batch"} <= set(options["--format"])
    assert set(options["--register"]) == {"render", "batch"}
    assert options["--register"]["render"] == (True, None)
    assert options["--report"]["check"] == options["--report"]["render"] == (False, ("text", "json"))

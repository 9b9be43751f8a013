"""The template and the render context agree: every name used exists, every name given is used."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.render.compiled import template_variables
from plandoc.schemas import Plan
from plandoc.templates import DEFAULT_TEMPLATE
from tests.docx_reading import ReadDocument
from tests.plans import plan, to_yaml


def test_template_uses_exactly_the_context_names() -> None:
    context = build_context(derive(Plan.model_validate(plan())))
    assert template_variables(DEFAULT_TEMPLATE) == set(context)


def test_branches_for_missing_data_render(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    data = plan()
    data["visits"][0]["problems"] = []
    data["measures"][0]["answers"] = []
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["render", str(write_plan(to_yaml(data))), "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = ReadDocument.from_bytes(output.read_bytes()).full_text()
    assert "各次访问均未发现需要跟进的问题。" in text
    assert text.count("本项暂无数据。") == 3  # no composition given at all


def test_json_plan_renders_like_its_yaml_twin(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    yaml_path = write_plan(to_yaml(plan()), "plan.yaml")
    json_path = write_plan(json.dumps(plan(), ensure_ascii=False, indent=2), "plan.json")
    outputs = []
    for source in (yaml_path, json_path):
        output = tmp_path / f"{source.suffix[1:]}.docx"
        result = CliRunner().invoke(main, ["render", str(source), "-o", str(output)])
        assert result.exit_code == 0, result.output
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]


def test_json_errors_are_located_too(write_plan: Callable[..., Path]) -> None:
    data = plan()
    data["control"]["numbr"] = data["control"].pop("number")
    source = write_plan(json.dumps(data, ensure_ascii=False, indent=2), "plan.json")
    result = CliRunner().invoke(main, ["validate", str(source)])
    assert result.exit_code == 1
    assert f"{source}:9:5: control.numbr: 未知的键 'numbr'，是否应为 'number'？ | unknown key 'numbr'" in result.stderr


def command_paths(group: click.Group, parent: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of ``group`` as the words that invoke it, subgroups and their commands too."""
    paths = []
    context = click.Context(group)
    for name in sorted(group.list_commands(context)):  # the CLI imports each command's module on first use
        command = group.get_command(context, name)
        paths.append((*parent, name))
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*parent, name)))
    return paths


def test_the_command_tree_is_discovered_whole() -> None:
    paths = command_paths(main)
    assert {"render", "validate", "schema", "batch", "check", "template"} <= {path[0] for path in paths}
    assert ("template", "lint") in paths
    assert ("template", "export") in paths


@pytest.mark.parametrize("path", command_paths(main), ids=" ".join)
def test_every_command_explains_itself_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    example = result.output.split("Example", 1)[1]
    assert f"plandoc {' '.join(path)}" in example, "the example uses the command it explains"

"""Authoring: starter files, the JSON Schema, custom templates, template lint, the context reference."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import docx
import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from plandoc.authoring.context_reference import reference
from plandoc.authoring.json_schema import plan_json_schema
from plandoc.cli import main
from plandoc.diagnostics import Diagnostic
from plandoc.errors import PlanInvalidError
from plandoc.plan.load import load_plan_source
from plandoc.plan.validate import validate_plan
from plandoc.reporting import diagnostic_line
from plandoc.schemas.stock_text import STOCK_SECTIONS
from tests.conftest import ROOT, SAMPLES, VALID_SAMPLES
from tests.docx_reading import ReadDocument

CJK = re.compile(r"[\u4e00-\u9fff]")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# -- plandoc init ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["person", "company"])
def test_init_then_render(tmp_path: Path, kind: str) -> None:
    plan = tmp_path / "x.yaml"
    assert invoke("init", str(plan), "--kind", kind)[0] == 0
    code, _, stderr = invoke("render", str(plan), "-o", str(tmp_path / "x.docx"))
    assert code == 0, stderr
    # The starter's guiding texts render, and each of the 17 sections is named as still to be written.
    assert stderr.count("still holds the stock wording") == len(STOCK_SECTIONS)
    assert docx.Document(str(tmp_path / "x.docx")).paragraphs
    lines = plan.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=./plan.schema.json"
    assert (tmp_path / "plan.schema.json").is_file()
    for line in lines:
        if re.match(r"^\s*(- )?[\w{]", line) and not line.lstrip().startswith("#"):
            comment = line.split("#", 1)[1] if "#" in line else ""
            previous = lines[lines.index(line) - 1]
            assert (
                CJK.search(comment)
                or (previous.lstrip().startswith("#") and CJK.search(previous))
                or (line.startswith("    ") and not line.strip().endswith(":"))
            ), f"no Chinese comment for: {line}"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    plan = tmp_path / "x.yaml"
    plan.write_text("mine", encoding="utf-8")
    code, _, stderr = invoke("init", str(plan))
    assert code == 1
    assert "--force" in stderr
    assert plan.read_text(encoding="utf-8") == "mine"
    assert invoke("init", str(plan), "--force")[0] == 0
    assert plan.read_text(encoding="utf-8") != "mine"


# -- JSON Schema ----------------------------------------------------------------------


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor types it for a schema: numbers and booleans typed, dates left as text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def data_of(path: Path) -> Any:
    """The plan as an editor sees it."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=EditorLoader)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = plan_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_has_chinese_titles_and_descriptions(validator: jsonschema.Draft202012Validator) -> None:
    definitions = plan_json_schema()["$defs"]
    for name, definition in definitions.items():
        for key, field in definition.get("properties", {}).items():
            assert CJK.search(field.get("title", "")), f"{name}.{key} has no Chinese title"
            assert CJK.search(field.get("description", "")), f"{name}.{key} has no Chinese description"


@pytest.mark.parametrize("sample", VALID_SAMPLES, ids=lambda p: p.stem)
def test_every_sample_validates_against_the_schema(validator: jsonschema.Draft202012Validator, sample: Path) -> None:
    assert list(validator.iter_errors(data_of(sample))) == []


# Files the schema and the models must judge alike. Rules across fields (dates in order,
# weights adding up to 100, problem ids) are beyond JSON Schema: only the models check them.
AGREEMENT = [
    *[(p, True) for p in VALID_SAMPLES],
    *[(SAMPLES / "invalid" / f"{n}.yaml", False) for n in
      ("mistyped-key", "number-with-unit", "not-a-choice", "score-out-of-range", "negative-amount", "bad-date",
       "bad-chart")],
    *[(SAMPLES / "invalid" / f"{n}.yaml", None) for n in
      ("dates-out-of-order", "weights-add-up-to-90", "duplicate-problem-id", "unknown-problem-id",
       "revision-before-approval")],
]  # fmt: skip


def schema_error_paths(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    """Where the schema finds errors, spelled like a diagnostic's key path: ``cards[0].phone``."""
    paths = []
    for error in validator.iter_errors(data):
        path = ""
        for part in error.absolute_path:
            path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
        paths.append(path)
    return paths


def model_diagnostics(path: Path) -> list[Diagnostic]:
    """The diagnostics the models raise for an invalid plan (and nothing but PlanInvalidError)."""
    with pytest.raises(PlanInvalidError) as caught:
        validate_plan(load_plan_source(path))
    return list(caught.value.diagnostics)


@pytest.mark.parametrize(("path", "valid"), AGREEMENT, ids=lambda v: v.stem if isinstance(v, Path) else str(v))
def test_schema_and_models_agree(validator: jsonschema.Draft202012Validator, path: Path, valid: bool | None) -> None:
    schema_errors = schema_error_paths(validator, data_of(path))
    if valid:
        assert schema_errors == []
        validate_plan(load_plan_source(path))
        return
    diagnostics = model_diagnostics(path)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [diagnostic_line(d).removeprefix(f"{path}:") for d in diagnostics] == expected
    if valid is None:
        assert schema_errors == [], "a rule across fields is the models' alone"
    else:
        assert schema_errors
        for error_path in schema_errors:
            assert any(d.path.startswith(error_path) for d in diagnostics), (error_path, [d.path for d in diagnostics])


def test_chinese_keys_validate_and_both_spellings_of_one_key_do_not(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = data_of(SAMPLES / "huaxin-electric.yaml")
    assert list(validator.iter_errors(data)) == []
    data["受控文件表头"]["number"] = "X"
    assert list(validator.iter_errors(data))


# -- custom templates -----------------------------------------------------------------


def test_export_lint_and_render_with_a_custom_template(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert invoke("template", "export", str(folder))[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["build_template.py", "default.docx"]
    code, _, stderr = invoke("template", "lint", str(folder / "default.docx"))
    assert (code, stderr.strip()) == (0, f"{folder / 'default.docx'}: ok")
    custom = docx.Document(str(folder / "default.docx"))
    custom.paragraphs[0].insert_paragraph_before("分行专用模板")
    custom.save(str(folder / "branch.docx"))
    output = tmp_path / "plan.docx"
    code, _, stderr = invoke(
        "render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output), "--template", str(folder / "branch.docx")
    )
    assert code == 0, stderr
    assert ReadDocument.from_bytes(output.read_bytes()).texts()[0] == "分行专用模板"


def test_lint_reports_a_misspelled_variable_with_its_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("编号：{{ control.nmber }}")
    document.add_paragraph("{% for row in kanban %}{{ row.knd }}{% endfor %}")
    template = tmp_path / "typo.docx"
    document.save(str(template))
    code, stdout, _ = invoke("template", "lint", str(template), "--report", "json")
    assert code == 1
    findings = json.loads(stdout)["findings"]
    assert findings == [
        {"rule": "unknown-variable", "message": "'control.nmber' is not in the render context; did you mean "
         "control.number?", "paragraph": "编号：{{ control.nmber }}"},
        {"rule": "unknown-variable", "message": "'row.knd' is not in the render context; did you mean row.kind?",
         "paragraph": "{% for row in kanban %}{{ row.knd }}{% endfor %}"},
    ]  # fmt: skip


def test_lint_reports_a_tag_split_across_runs_and_an_unbalanced_block(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("部门：")
    paragraph.add_run("{{ control.")
    paragraph.add_run("executing_department }}").bold = True
    document.add_paragraph("{% if control.status %}受控")
    template = tmp_path / "broken.docx"
    document.save(str(template))
    code, _, stderr = invoke("template", "lint", str(template))
    assert code == 1
    assert "split-tag: the tag '{{ control.executing_department }}' is split across Word runs" in stderr
    assert "in: 部门：{{ control.executing_department }}" in stderr
    assert "syntax: Unexpected end of template" in stderr
    assert "in: {% if control.status %}受控" in stderr


def test_lint_of_a_file_that_is_not_a_template(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"%PDF-1.7 not a docx")
    code, _, stderr = invoke("template", "lint", str(fake))
    assert code == 2
    assert "not a .docx template" in stderr


def test_a_sandbox_escape_template_fails_cleanly(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{{ cycler.__init__.__globals__.os.system('touch pwned') }}")
    template = tmp_path / "evil.docx"
    document.save(str(template))
    output = tmp_path / "plan.docx"
    code, _, stderr = invoke("render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output), "--template", str(template))
    assert code == 1
    assert "Traceback" not in stderr
    assert (
        f"{template}:2: 模板试图做不安全的事，已被阻止 | the template tried something unsafe and was stopped" in stderr
    )
    assert not output.exists()
    assert not (Path.cwd() / "pwned").exists()


def test_the_render_context_reference_is_current() -> None:
    committed = (ROOT / "docs" / "render-context.md").read_text(encoding="utf-8")
    assert committed == reference(SAMPLES / "ding-qiang.yaml"), (
        "docs/render-context.md is stale: python -m plandoc.authoring.context_reference samples/ding-qiang.yaml"
    )

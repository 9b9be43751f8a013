"""validate and render warn, located, while a section still holds the stock wording or the starter's guide."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.pipeline import check_file
from plandoc.schemas.stock_text import STOCK_SECTIONS, starter_guide
from tests.plans import plan, to_yaml

STARTERS = ("person", "company")


def invoke(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


@pytest.mark.parametrize("kind", STARTERS)
def test_init_writes_every_section_key_with_a_guide(tmp_path: Path, kind: str) -> None:
    starter = tmp_path / "plan.yaml"
    assert invoke("init", str(starter), "--kind", kind)[0] == 0
    sections = yaml.safe_load(starter.read_text(encoding="utf-8"))["sections"]
    assert list(sections) == list(STOCK_SECTIONS)
    assert sections == {key: starter_guide(key) for key in STOCK_SECTIONS}
    lines = [line for line in starter.read_text(encoding="utf-8").splitlines() if line.startswith("  ")]
    for key in STOCK_SECTIONS:
        (line,) = [line for line in lines if line.startswith(f"  {key}:")]
        assert "# " in line and STOCK_SECTIONS[key].label in line.split("#", 1)[1]


@pytest.mark.parametrize("command", ["validate", "render"])
def test_the_unchanged_starter_is_told_each_section_still_to_write(tmp_path: Path, command: str) -> None:
    starter = tmp_path / "plan.yaml"
    invoke("init", str(starter))
    arguments = [command, str(starter)] + (["-o", str(tmp_path / "plan.docx")] if command == "render" else [])
    code, stderr = invoke(*arguments)
    assert code == 0  # a warning, not a failure
    text = starter.read_text(encoding="utf-8").splitlines()
    warnings = [line for line in stderr.splitlines() if "stock wording" in line]
    assert len(warnings) == len(STOCK_SECTIONS)
    for key in STOCK_SECTIONS:
        number = next(i for i, line in enumerate(text, start=1) if line.startswith(f"  {key}:"))
        (line,) = [w for w in warnings if f"sections.{key} " in w]
        assert line.startswith(f"{starter}:{number}:3: sections.{key}: warning: “{STOCK_SECTIONS[key].label}”一节")
        assert line.index("请结合本客户撰写") < line.index("write it for this client")
    if command == "render":
        assert (tmp_path / "plan.docx").is_file()


def test_stock_wording_copied_into_a_section_warns_and_fails_under_strict(tmp_path: Path) -> None:
    copied = STOCK_SECTIONS["visit_system"].text.replace("巡回访问", "巡回拜访")
    path = tmp_path / "plan.yaml"
    path.write_text(
        to_yaml(plan(sections={"visit_system": copied, "objects": "本方案维护示例电气有限公司。"})), "utf-8"
    )
    (warning,) = [w for w in check_file(path).warnings if w.code == "stock-wording"]
    assert warning.path == "sections.visit_system" and warning.line is not None
    assert "访问制度" in warning.message and "%" in warning.message
    assert invoke("validate", str(path), "--strict")[0] == 1


def test_own_wording_and_omitted_sections_do_not_warn(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    own = {
        key: f"针对示例电气有限公司的{STOCK_SECTIONS[key].label}安排，由客户服务部负责落实。" for key in STOCK_SECTIONS
    }
    path.write_text(to_yaml(plan(sections=own)), "utf-8")
    assert not [w for w in check_file(path).warnings if w.code == "stock-wording"]
    path.write_text(to_yaml(plan()), "utf-8")
    assert not [w for w in check_file(path).warnings if w.code == "stock-wording"]

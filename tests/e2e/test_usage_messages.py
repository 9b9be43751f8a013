"""Usage mistakes on the command line are said in Chinese first, then in click's English, with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from tests.conftest import SAMPLES

SAMPLE = str(SAMPLES / "ding-qiang.yaml")


@pytest.mark.parametrize(
    ("arguments", "chinese", "english"),
    [
        (
            ["render", "--fromat", "pdf", SAMPLE],
            "没有 --fromat 这个选项（是否想用 --format、--report？）",
            "No such option '--fromat'",
        ),
        (["rendr", SAMPLE], "没有 rendr 这个命令（是否想用 render？）", "No such command 'rendr'"),
        (["render"], "缺少参数 'PLAN'", "Missing argument 'PLAN'"),
        (["batch", SAMPLE, "-o", "out", "--jobs", "abc"], "'-j' / '--jobs' 的值不对", "'abc' is not a valid integer"),
        (["render", SAMPLE, "-o"], "选项 -o 后面缺少它的值", "Option '-o' requires an argument"),
        (["--bogus"], "没有 --bogus 这个选项", "No such option '--bogus'"),
        (["register", "withdraw"], "缺少参数 'NUMBER'", "Missing argument 'NUMBER'"),
    ],
)
def test_a_usage_mistake_is_said_in_chinese_then_english(arguments: list[str], chinese: str, english: str) -> None:
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"plandoc: {chinese}"), first
    assert first.index(" | ") < first.index(english), "Chinese first, English after"
    assert "Traceback" not in result.output


def test_the_usage_and_the_help_command_follow_the_mistake() -> None:
    lines = CliRunner().invoke(main, ["preview", "--page", "2", SAMPLE], prog_name="plandoc").output.splitlines()
    assert lines[0].startswith("plandoc: 没有 --page 这个选项（是否想用 --pages？）")
    assert lines[1:] == ["用法 | usage: plandoc preview [OPTIONS] PLAN", "帮助 | help: plandoc preview --help"]


def test_a_command_not_yet_loaded_is_still_suggested() -> None:
    """The commands are imported on first use; the did-you-mean knows every one of them."""
    first = CliRunner().invoke(main, ["verfiy", "x.docx"]).output.splitlines()[0]
    assert "是否想用 verify？" in first and "可用的命令：batch、check、convert" in first


def test_a_mistyped_subcommand_is_matched_against_its_own_group() -> None:
    first = CliRunner().invoke(main, ["register", "withdrw", "X-1"]).output.splitlines()[0]
    assert first.startswith("plandoc: 没有 withdrw 这个命令（是否想用 withdraw？）")
    assert "render" not in first.split("|")[0], "the register group's commands, not the top level's"


def test_a_value_the_user_typed_in_chinese_is_still_explained_in_chinese() -> None:
    result = CliRunner().invoke(main, ["batch", SAMPLE, "-o", "out", "--jobs", "三"])
    assert result.exit_code == 2
    assert result.output.startswith("plandoc: '-j' / '--jobs' 的值不对 | "), result.output
    assert "'三' is not a valid integer" in result.output


def test_plandocs_own_usage_messages_are_left_as_they_are(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    result = CliRunner().invoke(main, ["check", str(tmp_path / "class"), "--gradebook", str(tmp_path / "grades.txt")])
    assert result.exit_code == 2 and "成绩册须为 .xlsx 或 .csv" in result.output
    assert "命令行的写法不对" not in result.output and "的值不对" not in result.output

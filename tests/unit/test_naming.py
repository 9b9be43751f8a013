"""Output names: filled from the plan, safe on every filesystem."""

from __future__ import annotations

import pytest

from plandoc.batch.naming import DEFAULT_PATTERN, MAX_NAME_BYTES, NamePattern, safe_stem
from plandoc.errors import OutputNameError, UsageError


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("../../etc/x", "____etc_x"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("line\nbreak\x00", "line_break_"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("LPT1", "_LPT1"),
        ("  .hidden. ", "hidden"),
        ("..", "_"),
        ("", "plan"),
        ("客户名称", "客户名称"),
    ],
)
def test_safe_stem(text: str, safe: str) -> None:
    assert safe_stem(text) == safe


def test_long_names_are_cut_on_a_character_boundary() -> None:
    stem = safe_stem("中" * 300)
    assert len(stem.encode("utf-8")) <= MAX_NAME_BYTES
    assert stem == "中" * len(stem)


def test_pattern_reads_english_keys_and_chinese_labels() -> None:
    pattern = NamePattern(DEFAULT_PATTERN)
    assert pattern.name_for({"control": {"number": "K-1"}, "client": {"name": "甲"}}) == "K-1-甲"
    assert pattern.name_for({"受控文件表头": {"编号": "K-2"}, "客户": {"客户名称": "乙"}}) == "K-2-乙"


def test_a_missing_field_is_an_output_name_error() -> None:
    with pytest.raises(OutputNameError, match=r"client\.name is missing"):
        NamePattern(DEFAULT_PATTERN).name_for({"control": {"number": "K-1"}})


@pytest.mark.parametrize("pattern", ["plan.docx", "{control.nmber}.docx", "{client.name.docx"])
def test_bad_patterns_are_usage_errors(pattern: str) -> None:
    with pytest.raises(UsageError):
        NamePattern(pattern)

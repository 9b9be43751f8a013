"""Diagnostics as the page shows them: a Chinese sentence first, the engine's own words after.

The engine's messages name fields by their Chinese labels inside English sentences; a
student reads a Chinese sentence. This module only rewords — every rule stays in the engine.
"""

from __future__ import annotations

import re
from typing import Any

from plandoc.diagnostics import Diagnostic, column_letters

_BY_CODE = {
    "missing": "必须填写",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "不能为空",
    "string_type": "应为文字",
    "literal_error": "请从下拉列表中选择",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为是或否",
    "bool_type": "应为是或否",
    "list_type": "应为列表",
    "model_type": "应为一组字段",
    "model_attributes_type": "应为一组字段",
    "dict_type": "应为一组字段",
    "client_kind": "客户类型应为个人客户或企业客户",
    "union_tag_invalid": "类型不对",
    "unknown-key": "未知的键（拼写有误？）",
    "key-given-twice": "同一个键写了两次（英文名和中文名各一次）",
    "not-a-mapping": "方案应为一组字段",
    "unanswered-problem": "还没有措施针对这个问题",
    "kanban-incomplete": "看板管理内容表应有周看板和月看板",
}

_BY_WORDING: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"^(\S+日期) (\S+) is before (\S+日期) (\S+)$", r"\1 \2 早于\3 \4"),
        (
            r"^修改日期 (\S+) is before the previous revision's (\S+);",
            r"修改日期 \1 早于上一条修改记录的 \2，请按时间顺序排列",
        ),
        (r"^a card needs a phone", "联系电话和电子邮箱至少填写一个"),
        (r"^list at least one category", "至少列出一个类别"),
        (r"^amounts are all zero", "金额全为 0，无法计算占比"),
        (r"^category (.+) is listed twice", r"类别 \1 重复"),
        (r"^改进关系 threshold (\S+) must be below 维持关系 threshold (\S+)", r"改进关系界限 \1 应低于维持关系界限 \2"),
        (r"^weights \(指标权重\) add up to (\S+), not 100", r"指标权重之和为 \1，应为 100"),
        (r"^problem id (\S+) is already used by (\S+)", r"问题编号 \1 已被 \2 使用，编号应全方案唯一"),
        (r"^no problem has the id (\S+) \(known ids: (.*)\)", r"没有编号为 \1 的问题（已有编号：\2）"),
        (r"^建议 is (\S+), but the final score (\S+) calls for (\S+)", r"建议为\1，但最终得分 \2 对应\3"),
        (r"^(String|Value) should have at least", "不能为空"),
        (r"^List should have at least", "至少需要一项"),
        (r"greater than or equal to (\S+)", r"应不小于 \1"),
        (r"less than or equal to (\S+)", r"应不大于 \1"),
        (r"greater than (\S+)", r"应大于 \1"),
        (r"expected an ISO date", "日期格式应为 年-月-日（YYYY-MM-DD）"),
        (r"is not a calendar date", "不是日历上的日期"),
        (r"without a time of day", "只填日期，不要时间"),
        (r"^expected text, got the number", "应为文字"),
        (r"^a problem id is", "问题编号由字母、数字、.、_、- 组成，如 P1"),
        (r"characters long; a field holds at most", "文字太长"),
        (r"which a Word document cannot hold", "含有 Word 文档不能容纳的字符"),
    )
)


def _halves(message: str) -> tuple[str | None, str]:
    """The engine's own Chinese half of a message (``中文 | English``), if it has one, and the English."""
    chinese, separator, english = message.partition(" | ")
    return (chinese, english) if separator else (None, message)


def chinese_message(diagnostic: Diagnostic) -> str:
    """A Chinese sentence for one diagnostic (the engine's wording when nothing fits)."""
    chinese_half, english = _halves(diagnostic.message)
    for pattern, chinese in _BY_WORDING:
        match = pattern.search(english)
        if match:
            return match.expand(chinese).rstrip("，;")
    return _BY_CODE.get(diagnostic.code) or chinese_half or "填写有误"


def _cell_of(diagnostic: Diagnostic) -> str | None:
    if diagnostic.sheet is None:
        return None
    return f"{diagnostic.sheet}!{column_letters(diagnostic.column or 1)}{diagnostic.line or 1}"


def diagnostic_for_page(diagnostic: Diagnostic) -> dict[str, Any]:
    """The JSON the page shows next to a field: where, how bad, Chinese first, English after.

    ``where`` is the cell (``访问记录!C7``) of a workbook's diagnostic, else None.
    """
    return {
        "path": diagnostic.path,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "message": chinese_message(diagnostic),
        "english": _halves(diagnostic.message)[1],
        "hint": diagnostic.hint,
        "where": _cell_of(diagnostic),
    }

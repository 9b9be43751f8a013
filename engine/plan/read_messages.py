"""The messages of the load stage, Chinese first and English after, like every diagnostic."""

from __future__ import annotations

TAB_IN_INDENTATION = "缩进不能用 Tab，请改用空格 | a tab in the indentation: indent with spaces"
EMPTY = "文件是空的 | the file is empty"
TOO_DEEP = "嵌套层次太深 | structure is nested too deeply"
A_PLAN_IS_SMALL = "方案一般只有几 KB | a plan is a few kilobytes"
FOLDERS_IN_BATCH = "多个方案请用 plandoc batch | use 'plandoc batch' for folders"
GBK = "文件是 GBK/GB18030 编码，不是 UTF-8 | the file is encoded as GBK/GB18030, not UTF-8"
SAVE_AS_UTF8 = (
    "请另存为 UTF-8 编码（记事本：另存为 → 编码 UTF-8） | save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
)

# PyYAML's most common complaints, said the way a person who writes plans understands them.
_YAML_PROBLEMS = {
    "mapping values are not allowed": "这里不能出现冒号「:」；值里含冒号时请给整个值加引号",
    "did not find expected ',' or ']'": "列表缺少逗号「,」或右方括号「]」",
    "did not find expected ',' or '}'": "映射缺少逗号「,」或右花括号「}」",
    "did not find expected key": "缩进不一致，或缺少「键: 值」中的键",
    "did not find expected '-' indicator": "列表项的缩进不一致",
    "found undefined alias": "引用了未定义的锚点（&名称）",
    "found unexpected end of stream": "文件意外结束（引号或括号没有配对）",
    "found unknown escape character": "双引号中的反斜杠转义无效；请改用单引号",
    "could not find expected ':'": "缺少冒号「:」",
    "expected a single document": "文件里只能有一个方案（不要用 --- 分隔多个文档）",
    "could not determine a constructor": "不支持的 YAML 标签（!! 开头的写法）",
}


def line_too_long(limit_mib: int) -> str:
    """A JSON Lines record far larger than any plan."""
    return f"这一行超过 {limit_mib} MiB | line is longer than {limit_mib} MiB"


def integer_too_long(digits: int, limit: int) -> str:
    """An integer longer than any amount or version."""
    return f"整数有 {digits:,} 位，超过 {limit} 位的上限 | an integer of {digits:,} digits; the limit is {limit}"


def unreadable_value(reason: str) -> str:
    """A value the YAML reader cannot construct."""
    return f"无法读取的值 | a value that cannot be read: {reason}"


def too_many_values(limit: int) -> str:
    """Too many values, counting every expansion of an alias."""
    return (
        f"值的数量超过 {limit:,} 个（YAML 别名炸弹，或远大于任何真实方案） | "
        f"more than {limit:,} values (a YAML alias bomb, or a plan far larger than any real one)"
    )


def nested_deeper(limit: int) -> str:
    """Nesting beyond any plan's depth."""
    return f"嵌套超过 {limit} 层 | nested deeper than {limit} levels"


def not_utf8(offset: int) -> str:
    """Bytes that are not UTF-8 nor a known Chinese encoding."""
    return f"不是 UTF-8 文本（第 {offset} 字节无效） | not UTF-8 text (invalid byte at offset {offset})"


def broken_utf16(offset: int) -> str:
    """UTF-16 text with a broken sequence."""
    return f"UTF-16 文本在第 {offset} 字节处损坏 | broken UTF-16 text at byte {offset}"


def forbidden_character(code_point: int) -> str:
    """A character no plan can hold."""
    return (
        f"文件中有字符 U+{code_point:04X}，方案中不能含有这个字符 | "
        f"the file holds the character U+{code_point:04X}, which a plan cannot contain"
    )


def yaml_syntax(problem: str) -> str:
    """A YAML syntax error, explained in Chinese when it is a common one."""
    chinese = next((text for start, text in _YAML_PROBLEMS.items() if problem.startswith(start)), "YAML 格式错误")
    return f"{chinese} | YAML syntax: {problem}"


def json_syntax(problem: str) -> str:
    """A JSON syntax error."""
    return f"JSON 格式错误 | JSON syntax: {problem}"


def duplicate_key(key: str, first_line: int | None = None) -> str:
    """A key given twice in one mapping, naming the first line when known."""
    if first_line is None:
        return f"键 '{key}' 出现了两次，只能写一次 | duplicate key {key!r}; give it once"
    return (
        f"键 '{key}' 出现了两次，第一次在第 {first_line} 行，只能写一次 | "
        f"duplicate key {key!r} (first given on line {first_line}); give it once"
    )


def tab_column(text: str, line: int) -> int | None:
    """The column of the first tab in the indentation of ``line`` (1-based), if it has one."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    content = lines[line - 1]
    indentation = content[: len(content) - len(content.lstrip(" \t"))]
    position = indentation.find("\t")
    return position + 1 if position >= 0 else None

"""Messages of the validate stage, Chinese first and English after.

Pydantic's own messages are English and name Python types; these say what the plan's
author must change, in the words of the plan, and list the choices of an enumeration
with their Chinese names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic_core import ErrorDetails

from plandoc.schemas.choices import chinese_name
from plandoc.schemas.plan import CLIENT_KIND_ERROR, client_kind_given, client_kind_problem

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def kind_of(value: object) -> tuple[str, str]:
    """What a value is, in Chinese and in English."""
    if value is None:
        return "空值", "nothing (an empty value)"
    if isinstance(value, bool):
        word = str(value).lower()
        return f"布尔值 {word}", f"the boolean {word}"
    if isinstance(value, int | float):
        return f"数值 {value!r}", f"the number {value!r}"
    if isinstance(value, str):
        return f"文字「{value[:40]}」", f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "映射（键: 值）", "a mapping"
    return type(value).__name__, type(value).__name__


def _choices(expected: str) -> tuple[str, str]:
    values = [value.replace("\\'", "'") for value in _QUOTED.findall(expected)]
    chinese = [chinese_name(value) for value in values]
    shown = "、".join(chinese[:-1]) + "或" + chinese[-1] if len(chinese) > 1 else "".join(chinese)
    return shown, ", ".join(values)


def _bound(error: ErrorDetails, typed: object) -> str | None:
    context = error.get("ctx") or {}
    limits = {
        "greater_than": ("应大于 {}", "must be greater than {}"),
        "greater_than_equal": ("应不小于 {}", "must be at least {}"),
        "less_than": ("应小于 {}", "must be less than {}"),
        "less_than_equal": ("应不大于 {}", "must be at most {}"),
    }
    key = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}
    kind = error["type"]
    if kind not in limits:
        return None
    limit = context.get(key[kind])
    shown = f"{limit:g}" if isinstance(limit, float) else str(limit)
    chinese, english = limits[kind]
    return f"{chinese.format(shown)}，实际为 {typed} | {english.format(shown)}, got {typed}"


def explain(error: ErrorDetails, typed: object) -> str:
    """The message for one pydantic error that no other rule of the validate stage rewrites.

    ``typed`` is the value as the input gave it: a bound names the text the user wrote
    (``-5``), not the number pydantic made of it (``-5.0``).
    """
    kind = error["type"]
    value = error.get("input")
    chinese_value, english_value = kind_of(value)
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    if kind == CLIENT_KIND_ERROR:
        return client_kind_problem(client_kind_given(value))
    bound = _bound(error, typed)
    if bound is not None:
        return bound
    if kind == "literal_error":
        chinese, english = _choices(str((error.get("ctx") or {}).get("expected", "")))
        return f"应为 {chinese}，实际为「{value}」 | expected one of {english}, got {value!r}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"应为映射（键: 值），实际为{chinese_value} | expected a mapping of keys, got {english_value}"
    if kind == "list_type":
        return (
            f"应为列表（每项以「- 」开头），实际为{chinese_value} | "
            f"expected a list (items starting with '- '), got {english_value}"
        )
    if kind == "string_type":
        return f"应为文字，实际为{chinese_value} | expected text, got {english_value}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        return f"应为数字，实际为{chinese_value} | expected a number, got {english_value}"
    if kind in ("bool_type", "bool_parsing"):
        return f"应为 true（是）或 false（否），实际为{chinese_value} | expected true or false, got {english_value}"
    if kind == "too_short":
        context = error.get("ctx") or {}
        if context.get("field_type") == "List":
            least = context.get("min_length", 1)
            return f"至少要有 {least} 项 | list at least {least} item(s)"
        return "不能为空 | must not be empty"
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return "不能为空 | must not be empty"
    if kind == "finite_number":
        return f"应为有限的数字，实际为「{value}」 | expected a finite number, got {value!r}"
    if " | " in message:  # a message of plandoc's own, Chinese first already
        return message
    return f"{message}（{chinese_value}） | {message}"


def unknown_key(key: str, suggestion: str | None) -> str:
    """A key the model does not have, with the nearest one it does."""
    if suggestion is None:
        return f"未知的键 '{key}' | unknown key '{key}'"
    return f"未知的键 '{key}'，是否应为 '{suggestion}'？ | unknown key '{key}'; did you mean '{suggestion}'?"


def allowed_keys(keys: Sequence[str]) -> str:
    """The hint listing the keys allowed where an unknown one was found."""
    shown = ", ".join(keys)
    return f"这里可用的键：{shown} | allowed keys here: {shown}"


def missing_key(name: str, label: str | None) -> str:
    """A required key left out."""
    shown = f"'{name}' ({label})" if label and label != name else f"'{name}'"
    chinese = f"'{name}'（{label}）" if label and label != name else f"'{name}'"
    return f"缺少必填的键 {chinese} | missing required key {shown}"


def key_given_twice(key: str, twin: str) -> str:
    """A key given both by its English name and its Chinese label."""
    return f"'{key}' 和 '{twin}' 是同一个键，只能写一次 | '{key}' and '{twin}' name the same key; give it once"


def not_a_mapping(what: tuple[str, str], value: object) -> str:
    """The whole file is not a mapping of keys."""
    chinese_value, english_value = kind_of(value)
    return f"{what[0]}，而不是{chinese_value} | {what[1]}, not {english_value}"

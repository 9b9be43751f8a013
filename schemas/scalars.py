"""How each field type reads a value as the user typed it.

YAML and JSON input arrive as text (the loader applies no implicit typing), so each field
type converts its own values: a text field keeps the text exactly as written, a number
field parses ``30``, ``30.0`` or ``2.5e3``, and so on. Messages are Chinese first and
English after, and never suggest a value other than the one the user typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DECIMAL = re.compile(f"^{_NUMBER}$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_WITH_UNIT = re.compile(rf"^({_NUMBER})\s*([^\d\s].*)$")
_PERCENT_SIGNS = ("%", "％")
NULL_WORDS = frozenset({"null", "Null", "NULL", "~"})
"""Words YAML reads as null: a field that is not text and may be left out treats them so."""
_TRUE_WORDS = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "是", "真"})
_FALSE_WORDS = frozenset({"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "否", "假"})


def _shown(value: object) -> str:
    return str(value) if isinstance(value, str) else repr(value)


def parse_number(value: object, *, percent: bool = False) -> object:
    """A number from its text; ``percent`` also reads ``25%`` as 25 (weights and scores are percents)."""
    if isinstance(value, bool):
        raise ValueError(f"应为数字，实际为布尔值 {str(value).lower()} | expected a number, got {str(value).lower()}")
    if not isinstance(value, str):
        return value
    text = value.strip()
    if percent and text.endswith(_PERCENT_SIGNS):
        text = text[:-1].rstrip()
    if _DECIMAL.match(text):
        return float(text)
    raise ValueError(_not_a_number(value, "数字", "a number", percent=percent))


def parse_integer(value: object) -> object:
    """A whole number from its text (``007`` is 7: decimal, never octal)."""
    if isinstance(value, bool):
        raise ValueError(
            f"应为整数，实际为布尔值 {str(value).lower()} | expected a whole number, got {str(value).lower()}"
        )
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if _DECIMAL.match(text) and float(text).is_integer():
        return int(float(text))
    raise ValueError(_not_a_number(value, "整数", "a whole number", percent=False))


def _not_a_number(value: str, chinese: str, english: str, *, percent: bool) -> str:
    text = value.strip()
    if _GROUPED.match(text):
        return (
            f"「{value}」请不要写千位分隔符，写成 {text.replace(',', '')} | "
            f"{value!r}: write the number without thousands separators"
        )
    with_unit = _WITH_UNIT.match(text)
    if with_unit and not (percent and with_unit.group(2) in _PERCENT_SIGNS):
        number, unit = with_unit.groups()
        if unit in _PERCENT_SIGNS:
            return f"「{value}」这里不能用百分号，只写数字 {number} | {value!r}: no percent sign here; write {number}"
        return (
            f"「{value}」应为{chinese}，请去掉单位「{unit}」，只写 {number} | "
            f"expected {english}; drop the unit {unit!r} and write {number}"
        )
    return f"应为{chinese}，实际为「{_shown(value)}」 | expected {english}, got {value!r}"


def parse_flag(value: object) -> object:
    """A yes/no value: true/false, yes/no, on/off, 是/否."""
    if isinstance(value, str):
        if value.strip() in _TRUE_WORDS:
            return True
        if value.strip() in _FALSE_WORDS:
            return False
        raise ValueError(f"应为 true（是）或 false（否），实际为「{value}」 | expected true or false, got {value!r}")
    return value


def null_word_to_none(value: object) -> object:
    """``null`` or ``~`` in a field that is not text and may be left out: the field is left out."""
    return None if isinstance(value, str) and value.strip() in NULL_WORDS else value


def synonyms(words: Mapping[str, str]) -> Callable[[object], object]:
    """A validator reading each Chinese (or other) word of an enumeration as its canonical value."""

    def canonical(value: object) -> object:
        return words.get(value.strip(), value.strip()) if isinstance(value, str) else value

    return canonical

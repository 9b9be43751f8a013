"""Output file names for batches: a pattern filled from the plan, made safe on every filesystem."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from plandoc.errors import OutputNameError, UsageError
from plandoc.plan.model_walk import field_spellings
from plandoc.schemas import Plan

DEFAULT_PATTERN = "{control.number}-{client.name}.docx"
MAX_NAME_BYTES = 200
"""Well under the 255-byte limit of common filesystems, leaving room for a temporary suffix."""

_FIELD = re.compile(r"\{([^{}]*)\}")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


class NamePattern:
    """A pattern such as ``{control.number}-{client.name}.docx``, checked against the plan's fields."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.fields = [tuple(field.split(".")) for field in _FIELD.findall(pattern)]
        if not self.fields:
            raise UsageError(
                f"--name {pattern!r} 没有引用任何字段，所有方案会得到同一个文件名 | "
                f"names no field, so every plan would get the same name"
            )
        stray = _FIELD.sub("", pattern)
        if "{" in stray or "}" in stray:
            raise UsageError(f"--name {pattern!r}：花括号不成对 | unbalanced braces")
        self._keys: list[list[tuple[str, ...]]] = []
        for field in self.fields:
            spellings = field_spellings(Plan, field)
            if spellings is None:
                raise UsageError(
                    f"--name：方案没有字段 {'.'.join(field)!r} | the plan has no field {'.'.join(field)!r}"
                )
            self._keys.append(spellings)

    def name_for(self, data: Any) -> str:
        """The safe file stem for one plan's raw data (English keys or Chinese labels)."""
        values = iter([_lookup(data, field, keys) for field, keys in zip(self.fields, self._keys, strict=True)])
        filled = _FIELD.sub(lambda _: next(values), self.pattern)
        stem = filled[: -len(".docx")] if filled.lower().endswith(".docx") else filled
        return safe_stem(stem)


def _lookup(data: Any, field: tuple[str, ...], levels: list[tuple[str, ...]]) -> str:
    name = ".".join(field)
    current: Any = data
    for keys in levels:
        key = next((k for k in keys if k in current), None) if isinstance(current, dict) else None
        if key is None:
            raise OutputNameError(f"无法为输出文件命名：缺少 {name} | cannot name the output: {name} is missing")
        current = current[key]
    if isinstance(current, bool) or not isinstance(current, str | int | float):
        raise OutputNameError(f"无法为输出文件命名：{name} 不是文字 | cannot name the output: {name} is not text")
    return str(current)


def safe_stem(text: str) -> str:
    """Make a file stem safe everywhere: no separators, control characters, ``..`` or reserved names."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text)
    # Format characters (bidi overrides such as U+202E, zero-width joiners …) make a name
    # display as something else in a file manager: "evil\u202efdp.exe" shows as "evilexe.pdf".
    text = "".join("_" if unicodedata.category(character) == "Cf" else character for character in text)
    text = re.sub(r"\.{2,}", "_", text)
    text = text.strip(" .")
    if not text:
        text = "plan"
    if _WINDOWS_RESERVED.match(text):
        text = f"_{text}"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return text

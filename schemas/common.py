"""Shared building blocks of the input models: base config, labelled fields, value types."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from plandoc.schemas.scalars import null_word_to_none, parse_flag, parse_integer, parse_number

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold: control characters, lone surrogates, U+FFFE/U+FFFF."""
MAX_TEXT_LENGTH = 100_000
"""Characters in one field: a long visit record is a few thousand; a plan is not a book."""


class InputModel(BaseModel):
    """Base of every input model: unknown keys rejected, Chinese labels accepted as keys."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=False,
        strict=False,
        defer_build=True,
    )


def labelled(label: str, description: str, default: Any = ..., **constraints: Any) -> Any:
    """Declare a field whose Chinese label is both its title and an accepted key."""
    return Field(
        default,
        validation_alias=label,
        title=label,
        description=description,
        **constraints,
    )


def _parse_iso_date(value: object) -> object:
    # Input arrives as text; anything but YYYY-MM-DD (integers, datetimes, "2026/3/2") is
    # refused rather than guessed at: pydantic's lax mode would read an integer as a Unix
    # timestamp.
    if isinstance(value, dt.datetime):
        raise ValueError("日期不能带时刻，应为 YYYY-MM-DD | expected a date YYYY-MM-DD without a time of day")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"「{value}」不是日历上的日期 | {value!r} is not a calendar date") from exc
    raise ValueError(f"日期应写成 YYYY-MM-DD，实际为「{value}」 | expected an ISO date YYYY-MM-DD, got {value!r}")


def _require_text(value: object) -> object:
    # The loader keeps every scalar as the text the user typed (2009, 007, yes stay as
    # written), and JSON numbers arrive as their JSON text. Integers from Python callers
    # are their own digits; a float or boolean has no one text, so it is refused.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise ValueError(
                f"长 {len(value):,} 个字符，一个字段最多 {MAX_TEXT_LENGTH:,} 个 | "
                f"is {len(value):,} characters long; a field holds at most {MAX_TEXT_LENGTH:,}"
            )
        forbidden = _XML_FORBIDDEN.search(value)
        if forbidden:
            code = ord(forbidden.group())
            raise ValueError(
                f"第 {forbidden.start() + 1} 个字符是 U+{code:04X}，Word 文档不能容纳，请删除 | "
                f"contains the character U+{code:04X} at position {forbidden.start() + 1}, "
                "which a Word document cannot hold; remove it"
            )
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, bool):
        word = str(value).lower()
        raise ValueError(f"应为文字，实际为布尔值 {word} | expected text, got the boolean {word}")
    if isinstance(value, float):
        raise ValueError(f"应为文字，实际为数值 {value!r} | expected text, got the number {value!r}")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_parse_iso_date)]
Text = Annotated[str, BeforeValidator(_require_text), StringConstraints(min_length=0)]
RequiredText = Annotated[
    str,
    BeforeValidator(_require_text),
    StringConstraints(min_length=1, pattern=r"\S"),
]
Number = Annotated[float, BeforeValidator(parse_number), Field(allow_inf_nan=False)]
Percent = Annotated[float, BeforeValidator(functools.partial(parse_number, percent=True)), Field(allow_inf_nan=False)]
"""A number of percent: ``25`` or ``25%`` is 25."""
Integer = Annotated[int, BeforeValidator(parse_integer)]
Flag = Annotated[bool, BeforeValidator(parse_flag)]
OptionalInteger = Annotated[int | None, BeforeValidator(parse_integer), BeforeValidator(null_word_to_none)]
"""An integer that may be left out (empty, null or ~)."""

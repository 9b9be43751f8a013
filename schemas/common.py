"""Shared building blocks of the input models: base config, labelled fields, value types."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

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
    # YAML already yields datetime.date for ISO dates; JSON yields strings. Anything
    # else (integers, datetimes, "2026/3/2") is refused rather than guessed at:
    # pydantic's lax mode would read an integer as a Unix timestamp.
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date YYYY-MM-DD without a time of day")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a calendar date") from exc
    raise ValueError(f"expected an ISO date YYYY-MM-DD, got {value!r}")


def _require_text(value: object) -> object:
    # YAML turns unquoted 010-0000 into text but 0100000 into an (octal!) number and
    # 2026001 into an integer. Refusing non-text avoids silently altered numbers.
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise ValueError(f"is {len(value):,} characters long; a field holds at most {MAX_TEXT_LENGTH:,}")
        forbidden = _XML_FORBIDDEN.search(value)
        if forbidden:
            code = ord(forbidden.group())
            raise ValueError(
                f"contains the character U+{code:04X} at position {forbidden.start() + 1}, "
                "which a Word document cannot hold; remove it"
            )
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, bool | int | float):
        raise ValueError(f'expected text, got the number {value!r}; put the value in quotes, e.g. "{value}"')
    return value


def _refuse_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_parse_iso_date)]
Text = Annotated[str, BeforeValidator(_require_text), StringConstraints(min_length=0)]
RequiredText = Annotated[
    str,
    BeforeValidator(_require_text),
    StringConstraints(min_length=1, pattern=r"\S"),
]
Number = Annotated[float, BeforeValidator(_refuse_bool), Field(allow_inf_nan=False)]
Integer = Annotated[int, BeforeValidator(_refuse_bool)]

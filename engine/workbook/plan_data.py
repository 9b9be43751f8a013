"""A validated plan as plain data: the raw mapping a plan file holds, with English or Chinese keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def _key(model: BaseModel, name: str, chinese: bool) -> str:
    alias = type(model).model_fields[name].validation_alias
    return alias if chinese and isinstance(alias, str) else name


def plain_data(value: Any, *, chinese: bool = False, tidy: bool = False) -> Any:
    """Turn models into mappings by field name (or Chinese label), keeping dates as dates.

    ``tidy`` leaves out what a plan file need not say: fields at their default, and
    whole numbers written as such (``85`` rather than ``85.0``); the plan it describes is
    the same.
    """
    if isinstance(value, BaseModel):
        mapping: dict[str, Any] = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if item is None or (
                tidy and not info.is_required() and item == info.get_default(call_default_factory=True)
            ):
                continue
            mapping[_key(value, name, chinese)] = plain_data(item, chinese=chinese, tidy=tidy)
        return mapping
    if isinstance(value, list | tuple):
        return [plain_data(item, chinese=chinese, tidy=tidy) for item in value]
    if tidy and isinstance(value, float) and value.is_integer():
        return int(value)
    return value

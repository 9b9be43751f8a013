"""Put an uploaded plan into the form's shape: English key names, compositions as ``{items: [...]}``.

A plan file may use Chinese labels as keys and the list form of a composition; the form
speaks one dialect. Keys the form does not know are kept, so the validator still names them.
A plan file's values arrive as the text the user typed (the schema converts them), so the
number and yes/no fields are converted here as the schema converts them, for the form's
number inputs and check boxes; a value the schema would refuse stays as typed, for the
validator to name.
"""

from __future__ import annotations

import re
from typing import Any

from plandoc.schemas import Plan
from plandoc.schemas.scalars import parse_flag, parse_integer, parse_number
from plandoc.web.form_spec import Node

_WHOLE = re.compile(r"^\s*[+-]?\d+\s*[%％]?\s*$")
SCHEMA_VERSION_TITLE = Plan.model_fields["schema_version"].title


def canonical_plan(data: Any, form: Node) -> Any:
    """``data`` with every known key written by its field name, as the form expects it."""
    fields = [field for group in form["groups"] for field in group["fields"]]
    result = _mapping(data, fields)
    if isinstance(result, dict) and SCHEMA_VERSION_TITLE in result and "schema_version" not in result:
        # the form adds its own schema_version: a plan with Chinese keys would then give it twice
        result = {"schema_version": result.pop(SCHEMA_VERSION_TITLE), **result}
    if isinstance(result, dict):
        for key, fixed in form["fixed"].items():
            if isinstance(fixed, int) and key in result:
                result[key] = _converted(result[key], parse_integer)
    return result


def _converted(value: Any, parse: Any) -> Any:
    """``value`` converted by a schema parser, or unchanged when the schema would refuse it."""
    try:
        return parse(value)
    except ValueError:
        return value


def _number(value: Any, node: Node) -> Any:
    if not isinstance(value, str):
        return value
    if node["integer"]:
        return _converted(value, parse_integer)
    number = _converted(value, lambda text: parse_number(text, percent=node.get("percent", False)))
    return int(number) if isinstance(number, float) and _WHOLE.match(value) else number


def _mapping(data: Any, fields: list[Node]) -> Any:
    if not isinstance(data, dict):
        return data
    by_key: dict[str, Node] = {}
    for field in fields:
        by_key[field["title"]] = field
        by_key[field["name"]] = field
    result: dict[str, Any] = {}
    for key, value in data.items():
        known = by_key.get(key) if isinstance(key, str) else None
        if known is None:
            result[key] = value
        else:
            result[known["name"]] = _value(value, known)
    return result


def _value(value: Any, node: Node) -> Any:
    widget = node["widget"]
    if widget == "group":
        if "listKey" in node and isinstance(value, list):
            value = {node["listKey"]: value}
        return _mapping(value, node["fields"])
    if widget == "list" and isinstance(value, list):
        return [_value(item, node["item"]) for item in value]
    if widget == "number":
        return _number(value, node)
    if widget == "check" and isinstance(value, str):
        return _converted(value, parse_flag)
    if widget == "choice" and isinstance(value, str):
        return node["words"].get(value.strip(), value)
    if widget == "variants" and isinstance(value, dict):
        variant = _variant_of(value, node)
        return _mapping(value, variant["fields"]) if variant else value
    return value


def _variant_of(value: dict[str, Any], node: Node) -> Node | None:
    variants: dict[str, Node] = node["variants"]
    for variant in variants.values():
        key_field = next(f for f in variant["fields"] if f["name"] == node["key"])
        chosen = value.get(node["key"], value.get(key_field["title"]))
        if isinstance(chosen, str):
            chosen = key_field["words"].get(chosen.strip(), chosen)
        if isinstance(chosen, str) and chosen in variants:
            return variants[chosen]
    return None

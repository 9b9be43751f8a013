"""Put an uploaded plan into the form's shape: English key names, compositions as ``{items: [...]}``.

A plan file may use Chinese labels as keys and the list form of a composition; the form
speaks one dialect. Keys the form does not know are kept, so the validator still names them.
"""

from __future__ import annotations

from typing import Any

from plandoc.schemas import Plan
from plandoc.web.form_spec import Node

SCHEMA_VERSION_TITLE = Plan.model_fields["schema_version"].title


def canonical_plan(data: Any, form: Node) -> Any:
    """``data`` with every known key written by its field name, as the form expects it."""
    fields = [field for group in form["groups"] for field in group["fields"]]
    canonical = _mapping(data, fields)
    if isinstance(canonical, dict) and SCHEMA_VERSION_TITLE in canonical and "schema_version" not in canonical:
        # the form adds its own schema_version: a plan with Chinese keys would then give it twice
        canonical = {"schema_version": canonical.pop(SCHEMA_VERSION_TITLE), **canonical}
    return canonical


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
    if widget == "variants" and isinstance(value, dict):
        variant = _variant_of(value, node)
        return _mapping(value, variant["fields"]) if variant else value
    return value


def _variant_of(value: dict[str, Any], node: Node) -> Node | None:
    variants: dict[str, Node] = node["variants"]
    for variant in variants.values():
        key_field = next(f for f in variant["fields"] if f["name"] == node["key"])
        chosen = value.get(node["key"], value.get(key_field["title"]))
        if isinstance(chosen, str) and chosen in variants:
            return variants[chosen]
    return None

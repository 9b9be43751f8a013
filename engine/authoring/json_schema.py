"""The JSON Schema of the plan input, accepting English keys and Chinese labels alike."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from plandoc.authoring.typed_scalars import accept_yaml_typed_scalars
from plandoc.plan.model_walk import field_label, reachable_models
from plandoc.schemas import Plan

SCHEMA_ID = "https://plandoc.example/schema/plan-v1.json"


def _add_labels(schema: dict[str, Any], model: type[BaseModel]) -> None:
    properties: dict[str, Any] = schema.get("properties", {})
    required: list[str] = schema.pop("required", [])
    either: list[dict[str, Any]] = []
    for name in model.model_fields:
        label = field_label(model, name)
        if label is None or name not in properties:
            continue
        properties[label] = properties[name]
        if name in required:
            required.remove(name)
            either.append({"anyOf": [{"required": [name]}, {"required": [label]}]})
        # A key given both ways is a conflict the models reject too.
        either.append({"not": {"required": [name, label]}})
    if required:
        schema["required"] = required
    if either:
        schema["allOf"] = either


def plan_json_schema() -> dict[str, Any]:
    """The input schema with Chinese titles, where every key may also be its Chinese label."""
    schema = Plan.model_json_schema(by_alias=False, mode="validation")
    models = reachable_models(Plan)
    for name, definition in schema.get("$defs", {}).items():
        if name in models:
            _add_labels(definition, models[name])
    _add_labels(schema, Plan)
    accept_yaml_typed_scalars(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def plan_json_schema_text() -> str:
    """The schema serialised with Chinese kept readable."""
    return json.dumps(plan_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

"""A batch manifest's ``defaults:`` merged under each plan, field by field whatever the key's spelling."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from plandoc.plan.model_walk import Reached, field_annotation, field_keys


def merge_defaults(root: type[BaseModel], defaults: Any, plan: Any) -> Any:
    """``plan`` over ``defaults``: mappings merge by field, anything else the plan replaces.

    A field may be spelled by its name or its Chinese label (``bank`` / ``银行名称``); the
    two spellings are one field, so a plan's ``银行名称`` replaces the defaults' ``bank``
    rather than standing beside it as a second, conflicting key. The plan's spelling is
    kept. Lists are replaced whole, as a plan's visits replace the defaults' visits.
    """
    return _merge(root, defaults, plan)


def _merge(annotation: Any, defaults: Any, plan: Any) -> Any:
    if not (isinstance(defaults, dict) and isinstance(plan, dict)):
        return plan
    model = Reached(annotation, plan).model or Reached(annotation, defaults).model
    keys = field_keys(model) if model is not None else {}

    def field_of(key: Any) -> Any:
        return keys.get(key, key) if isinstance(key, str) else key

    merged = {key: copy.deepcopy(value) for key, value in defaults.items()}
    for key, value in plan.items():
        name = field_of(key)
        default_key = next((k for k in merged if field_of(k) == name), None)
        if default_key is None:
            merged[key] = value
            continue
        inner = field_annotation(model.model_fields[name]) if model is not None and name in model.model_fields else None
        combined = _merge(inner, merged[default_key], value)
        merged = {(key if k == default_key else k): (combined if k == default_key else v) for k, v in merged.items()}
    return merged

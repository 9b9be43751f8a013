"""JSON Schema types as an editor sees a plan: YAML's typing, which plandoc itself does not apply.

An editor checking a plan against the schema reads ``founded: 2009`` as a number and
``charts: false`` as a boolean, while plandoc reads every scalar as the text typed and lets
the field convert it. So a text field must also allow what an editor thinks is a number
or boolean, and a number field the texts plandoc parses (``25%``, ``"30"``).
"""

from __future__ import annotations

from typing import Any

NUMBER_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*[%％]?\s*$"
"""A number as text; the ``%`` is accepted by weights and scores only (the models check which)."""
INTEGER_TEXT = r"^\s*[+-]?\d+(\.0*)?\s*$"
FLAG_TEXT = r"^(true|false|True|False|TRUE|FALSE|yes|no|Yes|No|YES|NO|on|off|On|Off|ON|OFF|是|否|真|假)$"


def accept_yaml_typed_scalars(schema: Any) -> None:
    """Widen every scalar type of ``schema`` (in place) to what an editor may see for it."""
    if isinstance(schema, list):
        for item in schema:
            accept_yaml_typed_scalars(item)
        return
    if not isinstance(schema, dict):
        return
    for value in schema.values():
        accept_yaml_typed_scalars(value)
    kind = schema.get("type")
    if "enum" in schema or "const" in schema or not isinstance(kind, str):
        return
    if kind == "string" and "format" not in schema:
        schema["type"] = ["string", "number", "boolean"]
    elif kind == "number":
        schema.update(type=["number", "string"], pattern=NUMBER_TEXT)
    elif kind == "integer":
        schema.update(type=["integer", "string"], pattern=INTEGER_TEXT)
    elif kind == "boolean":
        schema.update(type=["boolean", "string"], pattern=FLAG_TEXT)

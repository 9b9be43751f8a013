"""The plan form, described from the pydantic models: one source of truth for fields, titles and help.

The browser builds the form from this description. Nothing here lists a plan field by
hand except the grouping of the top-level keys into the sections of the page.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

import annotated_types
from pydantic import BaseModel, BeforeValidator, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, to_jsonable_python

from plandoc.plan.model_walk import as_model, bare_type, tag_field, tagged
from plandoc.schemas import Plan, Sections
from plandoc.schemas.choices import NO_CHART
from plandoc.schemas.plan import CLIENT_KINDS
from plandoc.schemas.stock_text import STOCK_SECTIONS
from plandoc.vocabulary import CARD_CAPTION, CHART_KIND_NAMES, CLIENT_KIND_LABELS

Node = dict[str, Any]

PAGE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("文案信息", ("bank", "title", "control")),
    ("客户", ("client",)),
    (CARD_CAPTION, ("cards",)),
    ("构成分析", ("composition",)),
    ("看板", ("kanban",)),
    ("访问记录与问题", ("visits",)),
    ("维护措施", ("measures",)),
    ("评估", ("evaluation",)),
    ("各部分正文", ("sections",)),
    ("审批与修订", ("approval", "revisions")),
)
"""The sections of the page, in the order the plan is written; every top-level key but schema_version."""

OPTION_NAMES: dict[str, str] = {
    **{str(kind): name for kind, name in CHART_KIND_NAMES.items()},
    "none": NO_CHART,
    **dict(zip(CLIENT_KINDS, CLIENT_KIND_LABELS, strict=True)),
}
"""How an enumeration value that is an English word reads in the drop-down."""

LONG_TEXT_FIELDS = frozenset({"background", "content", "feedback", "follow_up", "basis", "notes", "text"})
"""Fields shown as a multi-line box: prose, where each line is a paragraph or a cell line."""


def form_description() -> Node:
    """The whole form: page groups, each with the nodes of its top-level fields."""
    fields = {name: field_node(name, info, Plan) for name, info in Plan.model_fields.items()}
    return {
        "groups": [{"title": title, "fields": [fields[name] for name in names]} for title, names in PAGE_GROUPS],
        "fixed": {"schema_version": Plan.model_fields["schema_version"].default},
    }


def field_node(name: str, info: FieldInfo, owner: type[BaseModel]) -> Node:
    """Describe one field: its label, help text, whether it must be given, its default, its widget."""
    node: Node = {
        "name": name,
        "title": info.title or name,
        "description": info.description or "",
        "required": info.is_required(),
    }
    node.update(_widget(info.annotation, info.metadata, name, owner))
    default = info.get_default(call_default_factory=True) if not info.is_required() else PydanticUndefined
    if default is not PydanticUndefined and default is not None and not isinstance(default, BaseModel):
        node["default"] = to_jsonable_python(default)
    if owner is Sections:
        node["widget"] = "text"
        node["long"] = True
        node["placeholder"] = STOCK_SECTIONS[name].text
    return node


def _widget(annotation: Any, metadata: list[Any], name: str, owner: type[BaseModel]) -> Node:
    """The widget for a type: text, number, date, choice, check, group, list or variants."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return _widget(inner, [*metadata, *extra], name, owner)
    if origin in (typing.Union, types.UnionType):
        return _union_widget([a for a in typing.get_args(annotation) if a is not type(None)], metadata, name, owner)
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        options = [{"value": v, "label": OPTION_NAMES.get(v, v)} for v in values]
        return {"widget": "choice", "options": options, "words": _choice_words(values, metadata)}
    if origin is list:
        (item,) = typing.get_args(annotation)
        least = next((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), 0)
        return {"widget": "list", "item": _widget(item, [], name, owner), "minItems": least}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _group(annotation)
    if annotation is bool:
        return {"widget": "check"}
    if annotation is dt.date:
        return {"widget": "date"}
    if annotation in (int, float):
        return {"widget": "number", "integer": annotation is int, "percent": _is_percent(metadata), **_bounds(metadata)}
    return {"widget": "text", "long": name in LONG_TEXT_FIELDS}


def _group(model: type[BaseModel]) -> Node:
    return {
        "widget": "group",
        "fields": [field_node(name, info, model) for name, info in model.model_fields.items()],
    }


def _union_widget(members: list[Any], metadata: list[Any], name: str, owner: type[BaseModel]) -> Node:
    """One member: that widget; models told apart by a tag field (a client's kind): variants; a list or a
    model of it: the model."""
    if len(members) == 1:
        return _widget(members[0], metadata, name, owner)
    variants = {tag: model for tag, member in tagged(members).items() if (model := as_model(member)) is not None}
    key = tag_field(variants) if len(variants) == len(members) else None
    if key is not None:
        labelled_groups = {
            tag: {**_group(model), "label": OPTION_NAMES.get(tag, tag)} for tag, model in variants.items()
        }
        return {"widget": "variants", "key": key, "variants": labelled_groups}
    models = [as_model(bare_type(member)) for member in members]
    series = next((model for model in models if model is not None), None)
    if series is not None:
        list_field = next(n for n, i in series.model_fields.items() if typing.get_origin(i.annotation) is list)
        return {**_group(series), "listKey": list_field}
    return _widget(members[0], metadata, name, owner)


def _choice_words(values: tuple[Any, ...], metadata: list[Any]) -> dict[str, Any]:
    """The other words the schema accepts for an enumeration's values (``企业`` for company), read as it reads them."""
    accepted: list[Any] = []
    for constraint in metadata:
        if isinstance(constraint, WithJsonSchema) and constraint.json_schema is not None:
            schema: dict[str, Any] = dict(constraint.json_schema)
            members: list[dict[str, Any]] = schema.get("anyOf", [schema])
            accepted += next((member["enum"] for member in members if "enum" in member), [])
    readers: list[Callable[[Any], Any]] = [m.func for m in metadata if isinstance(m, BeforeValidator)]  # type: ignore[misc]
    words: dict[str, Any] = {}
    for word in accepted:
        value = word
        for read in reversed(readers):  # pydantic runs the last BeforeValidator first
            value = read(value)
        if word not in values and value in values:
            words[word] = value
    return words


def _is_percent(metadata: list[Any]) -> bool:
    """Whether the field reads ``25%`` as 25 (its validator is ``parse_number`` with ``percent=True``)."""
    return any(
        isinstance(m, BeforeValidator) and isinstance(m.func, functools.partial) and m.func.keywords.get("percent")
        for m in metadata
    )


def _bounds(metadata: list[Any]) -> Node:
    bounds: Node = {}
    for constraint in metadata:
        if isinstance(constraint, annotated_types.Ge | annotated_types.Gt):
            bounds["min"] = constraint.ge if isinstance(constraint, annotated_types.Ge) else constraint.gt
        elif isinstance(constraint, annotated_types.Le):
            bounds["max"] = constraint.le
    return bounds

"""Walk the input models: which model, field and accepted key each step of a path reaches.

Validation (locating errors, suggesting keys), batch naming (the fields of ``--name``)
and the JSON Schema (every model and its Chinese labels) all walk the same pydantic
models. This is the one walker; the web form and the workbook layout take a union's
tagged members, its tag field and bare types from it too. A union's members are told
apart the way pydantic tells them apart, by the discriminator and ``Tag`` the models
declare, so no tag or key (``person``, ``company``, ``kind`` …) is spelled here.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Discriminator, Tag
from pydantic.fields import FieldInfo

from plandoc.plan.load import KeyPath, PathElement


def field_annotation(info: FieldInfo) -> Any:
    """A field's full annotation, with the metadata (such as a union's Discriminator) pydantic keeps apart."""
    return info.rebuild_annotation()


def field_label(model: type[BaseModel], name: str) -> str | None:
    """The Chinese label a field also accepts as its key, if it has one."""
    info = model.model_fields.get(name)
    alias = info.validation_alias if info is not None else None
    return alias if isinstance(alias, str) else None


def field_keys(model: type[BaseModel]) -> dict[str, str]:
    """Every key ``model`` accepts (field name and Chinese label), mapped to the field name."""
    keys: dict[str, str] = {}
    for name in model.model_fields:
        keys[name] = name
        label = field_label(model, name)
        if label is not None:
            keys[label] = name
    return keys


def _unwrapped(annotation: Any) -> tuple[Any, list[Any]]:
    """The annotation without its ``Annotated`` layers, and the metadata those layers carried."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata.extend(extra)
    return annotation, metadata


def _union_members(annotation: Any) -> list[Any] | None:
    """The members of a union (``None`` left out), or None when ``annotation`` is no union."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    return [member for member in typing.get_args(annotation) if member is not type(None)]


def _tag_of(member: Any) -> str | None:
    return next((m.tag for m in _unwrapped(member)[1] if isinstance(m, Tag)), None)


def tagged(members: Sequence[Any]) -> dict[str, Any]:
    """The tagged members of a union (``Annotated[Model, Tag("x")]``) by tag, in order, ``Annotated`` removed."""
    return {tag: _unwrapped(member)[0] for member in members if (tag := _tag_of(member)) is not None}


def tagged_members(annotation: Any) -> dict[str, Any]:
    """The members of the tagged union ``annotation`` declares (through ``Annotated`` and ``Optional``), by tag."""
    bare, _ = _unwrapped(annotation)
    members = _union_members(bare) or []
    if len(members) == 1:  # X | None, where X may itself be a tagged union
        return tagged_members(members[0])
    return tagged(members)


def union_tags(annotation: Any) -> frozenset[str]:
    """The tags of the union ``annotation`` declares (through ``Annotated`` and ``Optional``)."""
    return frozenset(tagged_members(annotation))


def tag_field(variants: Mapping[str, type[BaseModel]]) -> str | None:
    """The field by which each model of a tagged union names its own tag (a one-value ``Literal``,
    such as a client's ``kind``), or None when the models have no such field."""
    if not variants:
        return None
    first = next(iter(variants.values()))
    for name in first.model_fields:
        if all(
            name in model.model_fields and typing.get_args(model.model_fields[name].annotation) == (tag,)
            for tag, model in variants.items()
        ):
            return name
    return None


def _chosen_member(members: list[Any], discriminator: Discriminator, data: Any) -> Any:
    """The member ``data`` validates as, chosen as pydantic chooses it; None when undecidable."""
    rule = discriminator.discriminator
    if callable(rule):
        tag = rule(data)
        return next((member for member in members if _tag_of(member) == tag), None)
    for member in members:  # ``rule`` names a Literal field whose value tells the members apart
        model = as_model(_unwrapped(member)[0])
        if model is None or not isinstance(data, dict) or rule not in model.model_fields:
            continue
        value = next((data[key] for key, name in field_keys(model).items() if name == rule and key in data), None)
        if value in typing.get_args(model.model_fields[rule].annotation):
            return member
    return None


def resolve(annotation: Any, data: Any) -> Any:
    """What ``annotation`` holds for ``data``: the union member chosen, without ``Annotated`` or ``None``.

    None when a union cannot tell from ``data`` which member it is.
    """
    bare, metadata = _unwrapped(annotation)
    members = _union_members(bare)
    if members is None:
        return bare
    discriminator = next((m for m in metadata if isinstance(m, Discriminator)), None)
    if discriminator is not None:
        chosen = _chosen_member(members, discriminator, data)
        return None if chosen is None else resolve(chosen, data)
    if len(members) == 1:
        return resolve(members[0], data)
    return None


def bare_type(annotation: Any) -> Any:
    """The annotation without its ``Annotated`` layers and, in an optional (``X | None``), without None."""
    bare, _ = _unwrapped(annotation)
    members = _union_members(bare)
    return bare_type(members[0]) if members is not None and len(members) == 1 else bare


def member_models(annotation: Any) -> list[type[BaseModel]]:
    """The models a field holds directly: its one model, or each member of a union of models (a
    client); none for a list, a scalar, or a union that also holds something else."""
    bare = bare_type(annotation)
    model = as_model(bare)
    if model is not None:
        return [model]
    found = [member_models(member) for member in _union_members(bare) or []]
    return [models[0] for models in found] if found and all(len(models) == 1 for models in found) else []


def as_model(annotation: Any) -> type[BaseModel] | None:
    """The model class ``annotation`` is, if it is one."""
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def models_within(annotation: Any) -> list[type[BaseModel]]:
    """Every model an annotation can hold, through unions, containers and ``Annotated``, in order."""
    model = as_model(annotation)
    if model is not None:
        return [model]
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        found.extend(m for m in models_within(argument) if m not in found)
    return found


def reachable_models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``root`` through its fields, by class name (pydantic's ``$defs`` keys)."""
    found: dict[str, type[BaseModel]] = {}
    pending = [root]
    while pending:
        model = pending.pop()
        if model.__name__ in found:
            continue
        found[model.__name__] = model
        for info in model.model_fields.values():
            pending.extend(models_within(field_annotation(info)))
    return found


@dataclass(frozen=True)
class Reached:
    """What a path through the input reaches: the annotation expected there and the data found."""

    annotation: Any
    data: Any

    @property
    def model(self) -> type[BaseModel] | None:
        """The model expected here, if the data is meant to be a mapping of keys."""
        return as_model(resolve(self.annotation, self.data))


def walk(root: type[BaseModel], data: Any, path: Sequence[PathElement]) -> Reached | None:
    """Follow ``path`` (keys as the input spells them, list indexes) from ``root``; None off the models."""
    reached = Reached(root, data)
    for element in path:
        held = resolve(reached.annotation, reached.data)
        node = reached.data
        if isinstance(element, int):
            if typing.get_origin(held) not in (list, tuple):
                return None
            item = node[element] if isinstance(node, list) and 0 <= element < len(node) else None
            reached = Reached(typing.get_args(held)[0], item)
            continue
        model = as_model(held)
        name = field_keys(model).get(element) if model is not None else None
        if model is None or name is None:
            return None
        reached = Reached(
            field_annotation(model.model_fields[name]), node.get(element) if isinstance(node, dict) else None
        )
    return reached


def model_at(root: type[BaseModel], data: Any, path: Sequence[PathElement]) -> tuple[type[BaseModel] | None, Any]:
    """The model expected at ``path`` and the data found there (None, None off the models)."""
    reached = walk(root, data, path)
    return (None, None) if reached is None else (reached.model, reached.data)


def without_union_tags(root: type[BaseModel], data: Any, loc: Sequence[PathElement]) -> KeyPath:
    """Drop the tags pydantic inserts into an error's path after a tagged union (``client.company.name``)."""
    kept: list[PathElement] = []
    for element in loc:
        reached = walk(root, data, kept) if isinstance(element, str) else None
        if (
            reached is not None
            and element in union_tags(reached.annotation)
            and not (isinstance(reached.data, dict) and element in reached.data)
        ):
            continue
        kept.append(element)
    return tuple(kept)


def field_spellings(root: type[BaseModel], names: Sequence[str]) -> list[tuple[str, ...]] | None:
    """For a dotted path of field names, the keys an input may use at each level (name, then label).

    None when some level names no field of the models reachable there.
    """
    levels: list[tuple[str, ...]] = []
    models: list[type[BaseModel]] = [root]
    for name in names:
        having = [model for model in models if name in model.model_fields]
        if not having:
            return None
        labels = (field_label(model, name) for model in having)
        levels.append(tuple(dict.fromkeys([name, *(label for label in labels if label is not None)])))
        models = [m for model in having for m in models_within(field_annotation(model.model_fields[name]))]
    return levels

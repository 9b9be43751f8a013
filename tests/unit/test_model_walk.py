"""The one walker over the input models: unions told apart by what the models declare, keys by name or label."""

from __future__ import annotations

import ast
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Discriminator, Field, Tag

from plandoc.plan.model_walk import (
    as_model,
    bare_type,
    field_annotation,
    field_spellings,
    member_models,
    model_at,
    reachable_models,
    tag_field,
    tagged_members,
    union_tags,
    without_union_tags,
)
from plandoc.schemas import CompanyClient, Composition, CompositionItem, PersonClient, Plan, Problem, Visit
from plandoc.schemas.plan import CLIENT_KIND_ERROR, CLIENT_KIND_KEYS, CompositionSeries
from tests.plans import plan
from tests.typecheck import PACKAGE_FOLDERS


class Cat(BaseModel):
    species: Literal["cat"]
    purrs: bool = Field(True, validation_alias="呼噜")


class Dog(BaseModel):
    species: Literal["dog"]
    barks: bool = True


def _species(value: Any) -> str | None:
    species = value.get("species") if isinstance(value, dict) else None
    return {"cat": "feline", "dog": "canine"}.get(str(species))


class Home(BaseModel):
    """Toy models with tags of their own: nothing about plans is needed to walk them."""

    pet: Annotated[Annotated[Cat, Tag("feline")] | Annotated[Dog, Tag("canine")], Discriminator(_species)] | None = None
    by_field: Annotated[Cat | Dog, Discriminator("species")] | None = None
    pets: list[Cat] = []


def test_union_tags_are_read_from_the_models() -> None:
    assert union_tags(field_annotation(Plan.model_fields["client"])) == {"person", "company"}
    assert union_tags(field_annotation(Composition.model_fields["sales"])) == {"list", "mapping"}
    assert union_tags(field_annotation(Home.model_fields["pet"])) == {"feline", "canine"}
    assert union_tags(field_annotation(Plan.model_fields["bank"])) == frozenset()


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        ({"kind": "person"}, PersonClient),
        ({"客户类型": "company"}, CompanyClient),
        ({"kind": "robot"}, None),
        ("not a mapping", None),
    ],
)
def test_a_union_member_is_chosen_by_the_models_discriminator(client: Any, expected: type | None) -> None:
    assert model_at(Plan, {"client": client}, ("client",))[0] is expected


def test_toy_unions_by_callable_and_by_field_name() -> None:
    assert model_at(Home, {"pet": {"species": "dog"}}, ("pet",))[0] is Dog
    assert model_at(Home, {"by_field": {"species": "cat"}}, ("by_field",))[0] is Cat
    assert model_at(Home, {"by_field": {"species": "cow"}}, ("by_field",))[0] is None


def test_walk_follows_labels_and_list_indexes() -> None:
    data = plan()
    data["访问记录"] = data.pop("visits")
    data["访问记录"][0]["problems"] = [{"id": "P1", "text": "慢"}]
    model, node = model_at(Plan, data, ("访问记录", 0, "problems", 0))
    assert model is Problem and node == {"id": "P1", "text": "慢"}
    assert model_at(Plan, data, ("visits", 0)) == (Visit, None)  # expected there, though the input spells it 访问记录
    assert model_at(Plan, data, ("no-such-key",)) == (None, None)
    assert model_at(Home, {"pets": [{"呼噜": False}]}, ("pets", 0))[0] is Cat


def test_a_composition_list_and_mapping_lead_to_their_items() -> None:
    as_list = {"composition": {"sales": [{"label": "A", "amount": 1}]}}
    as_mapping = {"composition": {"sales": {"chart": "bar", "items": [{"label": "A", "amount": 1}]}}}
    assert model_at(Plan, as_list, ("composition", "sales"))[0] is None  # a list, not a mapping of keys
    assert model_at(Plan, as_list, ("composition", "sales", 0))[0] is CompositionItem
    assert model_at(Plan, as_mapping, ("composition", "sales"))[0] is CompositionSeries
    assert model_at(Plan, as_mapping, ("composition", "sales", "items", 0))[0] is CompositionItem


def test_only_the_tag_pydantic_inserted_is_dropped_from_an_error_path() -> None:
    data = {"client": {"kind": "company", "name": "x"}, "pet": {"species": "cat"}}
    assert without_union_tags(Plan, data, ("client", "company", "name")) == ("client", "name")
    assert without_union_tags(Home, data, ("pet", "feline", "purrs")) == ("pet", "purrs")
    assert without_union_tags(Home, {"pet": {"feline": 1}}, ("pet", "feline")) == ("pet", "feline")  # a real key
    assert without_union_tags(Plan, data, ("bank", "company")) == ("bank", "company")  # no union at bank


def test_every_model_is_reachable_from_the_plan() -> None:
    found = reachable_models(Plan)
    for model in (PersonClient, CompanyClient, CompositionSeries, CompositionItem, Problem):
        assert found[model.__name__] is model
    assert "Sections" in found


def test_field_spellings_give_name_then_label_at_each_level() -> None:
    assert field_spellings(Plan, ("client", "name")) == [("client", "客户"), ("name", "客户名称")]
    assert field_spellings(Plan, ("client", "industry")) == [("client", "客户"), ("industry", "所属行业")]
    assert field_spellings(Plan, ("control", "nmber")) is None
    assert field_spellings(Home, ("pets", "purrs")) == [("pets",), ("purrs", "呼噜")]


# The walker's users: validation (and its messages), batch naming, the JSON Schema.
WALKER_USERS = ("plan/validate.py", "plan/model_messages.py", "batch/naming.py", "authoring/json_schema.py")


def _all_union_tags() -> set[str]:
    return {
        tag
        for model in reachable_models(Plan).values()
        for info in model.model_fields.values()
        for tag in union_tags(field_annotation(info))
    }


def test_the_walkers_users_spell_no_union_tag_or_discriminator_key() -> None:
    spelled = _all_union_tags() | set(CLIENT_KIND_KEYS) | {CLIENT_KIND_ERROR}
    assert {"person", "company", "list", "mapping", "kind"} <= spelled
    found = []
    for user in WALKER_USERS:
        path = PACKAGE_FOLDERS[""] / user
        source = path.read_text(encoding="utf-8")
        assert "model_walk" in source or user == "plan/model_messages.py", f"{user} no longer uses the walker"
        found += [
            f"{user}:{node.lineno}: {node.value!r}"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and node.value in spelled
        ]
    assert found == [], "take these from the models (plandoc.plan.model_walk, plandoc.schemas.plan): " + "; ".join(
        found
    )


def test_a_tagged_unions_members_and_tag_field_are_read_from_the_models() -> None:
    clients = tagged_members(field_annotation(Plan.model_fields["client"]))
    assert clients == {"person": PersonClient, "company": CompanyClient}
    assert list(clients) == ["person", "company"]  # in the order the union declares them
    assert tag_field(clients) == "kind"
    pets = tagged_members(field_annotation(Home.model_fields["pet"]))
    assert set(pets) == {"feline", "canine"}
    assert tag_field(pets) is None  # Cat and Dog pin no field to their tags
    assert tag_field({}) is None


# Other readers of the models (the web form, the workbook layout) take a model union's tags
# from the walker too.
MODEL_READERS = ("web/form_spec.py", "workbook/layout.py")


def test_the_other_model_readers_spell_no_tag_of_a_model_union() -> None:
    model_union_tags = set()
    for model in reachable_models(Plan).values():
        for info in model.model_fields.values():
            members = tagged_members(field_annotation(info))
            if members and all(as_model(member) for member in members.values()):
                model_union_tags |= set(members)
    assert model_union_tags == {"person", "company"}
    found = [
        f"{reader}:{node.lineno}: {node.value!r}"
        for reader in MODEL_READERS
        for node in ast.walk(ast.parse((PACKAGE_FOLDERS[""] / reader).read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in model_union_tags
    ]
    assert found == []


def test_bare_types_and_the_models_a_field_holds() -> None:
    client = field_annotation(Plan.model_fields["client"])
    assert member_models(client) == [PersonClient, CompanyClient]
    assert member_models(field_annotation(Plan.model_fields["composition"])) == [Composition]
    assert member_models(field_annotation(Composition.model_fields["sales"])) == []  # a list or a mapping
    assert member_models(field_annotation(Visit.model_fields["problems"])) == []  # a list of models
    assert bare_type(field_annotation(Home.model_fields["pets"])) == list[Cat]
    assert bare_type(Annotated[int | None, "meta"]) is int

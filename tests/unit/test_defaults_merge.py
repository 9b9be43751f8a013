"""A manifest's defaults merge under a plan field by field, whichever spelling each side uses."""

from __future__ import annotations

from plandoc.plan.defaults_merge import merge_defaults
from plandoc.schemas.plan import Plan


def test_a_chinese_key_replaces_the_english_spelling_of_the_same_field() -> None:
    merged = merge_defaults(Plan, {"bank": "默认银行", "scope": "默认"}, {"银行名称": "计划银行"})
    assert merged == {"银行名称": "计划银行", "scope": "默认"}


def test_nested_mappings_merge_by_field_and_keep_the_defaults_order() -> None:
    defaults = {"control": {"number": "D-1", "status": "受控"}, "bank": "默认银行"}
    merged = merge_defaults(Plan, defaults, {"control": {"编号": "P-1"}})
    assert merged == {"control": {"编号": "P-1", "status": "受控"}, "bank": "默认银行"}
    assert defaults["control"] == {"number": "D-1", "status": "受控"}, "the defaults are not changed"


def test_lists_and_scalars_are_replaced_whole_and_unknown_keys_kept() -> None:
    defaults = {"visits": [{"a": 1}, {"b": 2}], "extra": {"x": 1}}
    merged = merge_defaults(Plan, defaults, {"visits": [{"c": 3}], "extra": {"y": 2}})
    assert merged == {"visits": [{"c": 3}], "extra": {"x": 1, "y": 2}}

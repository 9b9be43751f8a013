"""The validate stage: every rule of the input format, each a located, readable error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plandoc.errors import PlanInvalidError
from plandoc.plan.load import load_plan_source, parse_json
from plandoc.plan.validate import validate_plan
from plandoc.reporting import diagnostic_line
from plandoc.schemas import CompanyClient
from tests.conftest import INVALID_SAMPLES
from tests.plans import MINIMAL_PLAN, plan, to_yaml


def errors_of(path: Path) -> list[str]:
    with pytest.raises(PlanInvalidError) as caught:
        validate_plan(load_plan_source(path))
    return [diagnostic_line(d).removeprefix(f"{path}:") for d in caught.value.diagnostics]


def test_minimal_plan_is_valid(write_plan: Callable[..., Path]) -> None:
    validated = validate_plan(load_plan_source(write_plan(to_yaml(MINIMAL_PLAN))))
    assert isinstance(validated.client, CompanyClient)
    assert validated.title == "客户关系维护方案"
    assert [row.kind for row in validated.kanban] == ["周看板", "月看板"]


@pytest.mark.parametrize("case", INVALID_SAMPLES, ids=lambda p: p.stem)
def test_invalid_sample_raises_exactly_its_expected_diagnostics(case: Path) -> None:
    from plandoc.errors import InputReadError

    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    try:
        actual = errors_of(case)
    except InputReadError as error:
        actual = [diagnostic_line(error.diagnostic).removeprefix(f"{case}:")]
    assert actual == expected


def test_every_invalid_sample_has_its_expectation() -> None:
    assert len(INVALID_SAMPLES) >= 10
    for case in INVALID_SAMPLES:
        assert case.with_suffix(".expected").is_file(), case


def test_chinese_labels_are_accepted_as_keys(write_plan: Callable[..., Path]) -> None:
    data = plan()
    data["受控文件表头"] = {
        "受控状态": "非受控",
        "编号": "X-1",
        "执行部门": "甲",
        "监督部门": "乙",
        "考证部门": "丙",
    }
    del data["control"]
    validated = validate_plan(load_plan_source(write_plan(to_yaml(data))))
    assert validated.control.status == "非受控"
    assert validated.control.verifying_department == "丙"


def test_a_key_given_in_english_and_chinese_is_one_error(write_plan: Callable[..., Path]) -> None:
    data = plan()
    data["control"]["编号"] = "X-2"
    errors = errors_of(write_plan(to_yaml(data)))
    assert len(errors) == 1
    assert "name the same key; give it once" in errors[0]


def test_all_problems_of_a_file_are_reported_at_once(write_plan: Callable[..., Path]) -> None:
    data = plan(bank=" ")
    data["control"]["status"] = "半受控"
    data["evaluation"]["indicators"][0]["score"] = 101
    errors = errors_of(write_plan(to_yaml(data)))
    assert len(errors) == 3
    assert [e.split(":")[2].strip() for e in errors] == [
        "bank",
        "control.status",
        "evaluation.indicators[0].score",
    ]


def test_missing_key_names_english_and_chinese(write_plan: Callable[..., Path]) -> None:
    data = plan()
    del data["control"]["number"]
    (error,) = errors_of(write_plan(to_yaml(data)))
    assert "control.number: 缺少必填的键 'number'（编号） | missing required key 'number' (编号)" in error


def test_wrong_client_kind(write_plan: Callable[..., Path]) -> None:
    (error,) = errors_of(write_plan(to_yaml(plan(client={"kind": "robot", "name": "x"}))))
    assert "client.kind: 客户类型 kind 应为 个人（person）或 公司（company），实际为「robot」" in error


def test_person_fields_are_refused_on_a_company(write_plan: Callable[..., Path]) -> None:
    (error,) = errors_of(write_plan(to_yaml(plan(client={"kind": "company", "name": "x", "birth_year": 1954}))))
    assert "client.birth_year: 未知的键 'birth_year' | unknown key 'birth_year'" in error


def test_card_needs_phone_or_email(write_plan: Callable[..., Path]) -> None:
    card = {"name": "王某", "employer": "甲", "position": "乙", "importance": "一般"}
    (error,) = errors_of(write_plan(to_yaml(plan(cards=[card]))))
    assert "cards[0]: 客户关系卡至少要有联系电话或电子邮箱 | a card needs a phone (联系电话)" in error


def test_weights_within_a_hundredth_of_100_are_accepted(write_plan: Callable[..., Path]) -> None:
    data = plan()
    data["evaluation"]["indicators"] = [
        {"name": "甲", "weight": 33.33, "score": 80},
        {"name": "乙", "weight": 33.33, "score": 80},
        {"name": "丙", "weight": 33.33, "score": 80},
    ]
    validate_plan(load_plan_source(write_plan(to_yaml(data))))
    data["evaluation"]["indicators"][2]["weight"] = 33.3
    (error,) = errors_of(write_plan(to_yaml(data)))
    assert "add up to 99.96, not 100" in error


def test_thresholds_must_be_ordered(write_plan: Callable[..., Path]) -> None:
    data = plan()
    data["evaluation"]["thresholds"] = {"maintain": 50, "improve": 60}
    (error,) = errors_of(write_plan(to_yaml(data)))
    assert "evaluation.thresholds.improve" in error


def test_all_zero_amounts_are_refused(write_plan: Callable[..., Path]) -> None:
    composition = {"sales": [{"label": "甲", "amount": 0}, {"label": "乙", "amount": 0}]}
    (error,) = errors_of(write_plan(to_yaml(plan(composition=composition))))
    assert "composition.sales: 金额全部为 0，无法计算占比 | amounts are all zero" in error


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x0b", "\x1f", "\ufffe"])
def test_characters_xml_cannot_hold_are_located_errors(character: str) -> None:
    data = plan(bank=f"示范{character}银行")
    source = parse_json(__import__("json").dumps(data), "plan.json")
    with pytest.raises(PlanInvalidError) as caught:
        validate_plan(source)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == "bank"
    assert f"U+{ord(character):04X}" in diagnostic.message


def test_datetime_and_integer_dates_are_refused(write_plan: Callable[..., Path]) -> None:
    data = plan(approval={"drafted": "2026-03-02 10:00", "reviewed": 20260306, "approved": "2026-03-10"})
    errors = errors_of(write_plan(to_yaml(data)))
    assert len(errors) == 2
    assert all("expected an ISO date YYYY-MM-DD" in e for e in errors)


def test_a_plan_that_is_not_a_mapping(write_plan: Callable[..., Path]) -> None:
    (error,) = errors_of(write_plan("- just\n- a list\n"))
    assert "a plan is a mapping of keys" in error

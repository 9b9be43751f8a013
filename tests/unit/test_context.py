"""The render context: text ready to place, nothing left for a template to compute."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plandoc.plan.context import build_context, chinese_date, chinese_ordinal, plain_number
from plandoc.plan.derive import derive
from plandoc.schemas import Plan
from tests.plans import plan


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "（一）"), (10, "（十）"), (11, "（十一）"), (23, "（二十三）"), (100, "（一百）"),
     (101, "（一百零一）"), (110, "（一百一十）"), (999, "（九百九十九）"), (1001, "（一千零一）"),
     (2010, "（二千零一十）"), (10000, "（10000）")],
)  # fmt: skip
def test_chinese_ordinals(number: int, text: str) -> None:
    assert chinese_ordinal(number) == text


@pytest.mark.parametrize(("value", "text"), [("5200.0", "5200"), ("0.5", "0.5"), ("1E+3", "1000"), ("12.50", "12.5")])
def test_numbers_are_shown_as_typed(value: str, text: str) -> None:
    assert plain_number(Decimal(value)) == text


def test_chinese_date() -> None:
    import datetime as dt

    assert chinese_date(dt.date(2026, 3, 2)) == "2026年3月2日"


def test_context_holds_only_text_lists_mappings_and_flags() -> None:
    def check(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str)
                check(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                check(item, f"{path}[{index}]")
        else:
            assert isinstance(value, str | bool), f"{path} is {type(value).__name__}"

    check(build_context(derive(Plan.model_validate(plan()))), "context")


def test_exactly_one_box_is_ticked() -> None:
    context = build_context(derive(Plan.model_validate(plan())))
    choices = context["evaluation"]["choices"]
    assert choices.count("☑") == 1
    assert choices.count("☐") == 2
    assert "☑维持关系" in choices  # 0.6 x 85 + 0.4 x 70 = 79.00
    options = context["evaluation"]["options"]
    assert [(o["box"], o["label"], o["ticked"]) for o in options] == [
        ("☐", "改进关系", False),
        ("☑", "维持关系", True),
        ("☐", "终止关系", False),
    ]


def test_amounts_have_thousands_separators_and_notes_do_not_break() -> None:
    items = [{"label": "A", "amount": 5200}, {"label": "B", "amount": 3100}, {"label": "C", "amount": 1700}]
    context = build_context(derive(Plan.model_validate(plan(composition={"sales": items}))))
    sales = context["compositions"][0]
    assert [row["amount"] for row in sales["rows"]] == ["5,200", "3,100", "1,700"]
    assert sales["total_amount"] == "10,000"
    assert "合计10,000万元" in sales["summary"]
    answers = next(m["answers"] for m in context["measures"] if m["answers"])
    assert answers.replace("\u2060", "") == "（针对问题：P1）"
    assert all(a == "\u2060" for a in answers[1::2])  # a word joiner between every two characters


def test_unanswered_problem_reads_no_measure_yet() -> None:
    data = plan(measures=[{"text": "节日问候", "answers": []}])
    context = build_context(derive(Plan.model_validate(data)))
    assert context["problem_links"][0]["measures"] == "尚无对应措施"

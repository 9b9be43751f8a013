"""The derive stage: shares, grades, final score, recommendation, links and warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandoc.plan.derive import derive, grade_of, shares_of
from plandoc.schemas import CompositionItem, Plan
from tests.plans import plan


def derived_from(data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return derive(Plan.model_validate(data))


def items(*amounts: float) -> list[CompositionItem]:
    return [CompositionItem(label=f"类别{i}", amount=a) for i, a in enumerate(amounts)]


def test_shares_round_to_hundredths_and_add_up_exactly() -> None:
    shares = shares_of(items(1, 1, 1))
    assert [s.percent for s in shares] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_largest_remainder_gets_the_missing_hundredth() -> None:
    # exact hundredths 1666.69, 3333.39, 4999.92: floors leave 2 missing, which go to the
    # largest remainders (.92 and .69), not to the middle one (.39)
    shares = shares_of(items(1, 2, 2.9999))
    assert sum(s.percent for s in shares) == Decimal("100.00")
    assert [s.percent for s in shares] == [Decimal("16.67"), Decimal("33.33"), Decimal("50.00")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=30))
def test_any_amounts_give_shares_adding_up_to_100(amounts: list[float]) -> None:
    if sum(amounts) <= 0:
        return
    shares = shares_of(items(*amounts))
    assert sum(s.percent for s in shares) == Decimal("100.00")
    assert all(Decimal(0) <= s.percent <= Decimal(100) for s in shares)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (90, "A"), (89.99, "B"), (75, "B"), (74.99, "C"), (60, "C"), (59.99, "D"), (0, "D")],
)
def test_grade_boundaries(score: float, grade: str) -> None:
    assert grade_of(Decimal(repr(score))) == grade


def indicators(*rows: tuple[float, float]) -> dict[str, Any]:
    return {
        "number": "PG-1",
        "indicators": [{"name": f"指标{i}", "weight": w, "score": s} for i, (w, s) in enumerate(rows)],
    }


def test_final_score_is_the_weighted_sum_with_two_decimals() -> None:
    result = derived_from(plan(evaluation=indicators((30, 85), (20, 78), (50, 91.5)))).evaluation
    # 25.5 + 15.6 + 45.75
    assert result.final_score == Decimal("86.85")
    assert result.total_weight == Decimal(100)
    assert [g.grade for g in result.indicators] == ["B", "B", "A"]


def test_final_score_rounds_half_up() -> None:
    # 0.5 x 69.99 + 0.5 x 70.00 = 69.995 -> 70.00 (and so 维持关系, as the reader sees 70.00)
    result = derived_from(plan(evaluation=indicators((50, 69.99), (50, 70)))).evaluation
    assert result.final_score == Decimal("70.00")
    assert result.recommendation == "维持关系"


@pytest.mark.parametrize(
    ("score", "expected"), [(70, "维持关系"), (69.99, "改进关系"), (50, "改进关系"), (49.99, "终止关系")]
)
def test_recommendation_from_default_thresholds(score: float, expected: str) -> None:
    result = derived_from(plan(evaluation=indicators((100, score)))).evaluation
    assert result.recommendation == expected


def test_custom_thresholds() -> None:
    evaluation = indicators((100, 65)) | {"thresholds": {"maintain": 60, "improve": 40}}
    assert derived_from(plan(evaluation=evaluation)).evaluation.recommendation == "维持关系"


def test_given_grade_wins_over_the_derived_one() -> None:
    evaluation = indicators((100, 95))
    evaluation["indicators"][0]["grade"] = "C"
    assert derived_from(plan(evaluation=evaluation)).evaluation.indicators[0].grade == "C"


def test_explicit_recommendation_that_disagrees_is_kept_and_warned() -> None:
    evaluation = indicators((100, 95)) | {"recommendation": "改进关系"}
    derived = derived_from(plan(evaluation=evaluation))
    assert derived.evaluation.recommendation == "改进关系"
    assert [f.code for f in derived.findings] == ["recommendation-disagrees"]
    assert derived.findings[0].path == ("evaluation", "recommendation")


def test_unanswered_problem_is_a_warning_and_links_are_resolved() -> None:
    data = plan()
    data["visits"][0]["problems"].append({"id": "P2", "text": "对账单邮寄不及时"})
    data["measures"] = [
        {"text": "措施甲", "answers": ["P1"]},
        {"text": "措施乙", "answers": []},
        {"text": "措施丙", "answers": ["P1"]},
    ]
    derived = derived_from(data)
    assert [(link.problem.id, link.measure_numbers) for link in derived.problem_links] == [
        ("P1", (1, 3)),
        ("P2", ()),
    ]
    assert [(f.code, f.path) for f in derived.findings] == [("unanswered-problem", ("visits", 0, "problems", 1))]


def test_kanban_without_a_month_board_is_a_warning() -> None:
    derived = derived_from(plan(kanban=[{"kind": "周看板", "content": "本周", "department": "客户服务部"}]))
    assert [f.message for f in derived.findings] == ["看板管理内容表缺少月看板 | 看板管理内容表 has no 月看板 row"]


def test_section_override_replaces_stock_wording_line_by_line() -> None:
    derived = derived_from(plan(sections={"objects": "第一段。\n\n第二段。\n第三段。"}))
    assert derived.sections["objects"] == ("第一段。", "第二段。", "第三段。")
    assert derived.sections["purposes"][0].startswith("通过有计划")


def test_document_properties_come_from_the_plan() -> None:
    data = plan(revisions=[{"mark": "A1", "changes": 1, "date": "2026-05-01"}])
    properties = derived_from(data).properties
    assert properties.title == "示范银行客户关系维护方案"
    assert properties.subject == "示例电气有限公司"
    assert properties.created.isoformat() == "2026-03-02T00:00:00+00:00"
    assert properties.modified.isoformat() == "2026-05-01T00:00:00+00:00"
    assert properties.revision == 2

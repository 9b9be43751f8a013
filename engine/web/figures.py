"""Derived figures of an unfinished plan: shares, 合计, 最终得分, grades and the ticked box, live.

A student sees the figures move while typing, long before the whole plan is valid, so
each indicator and category is validated on its own and the engine's derive functions
run on those that pass. The figures are the engine's; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plandoc.plan.context import percent, plain_number
from plandoc.plan.derive import evaluate_indicators, shares_of
from plandoc.schemas import CompositionItem, Indicator, Thresholds
from plandoc.schemas.plan import WEIGHT_TOLERANCE
from plandoc.vocabulary import COMPOSITION_KINDS, RECOMMENDATIONS

_M = TypeVar("_M", bound=BaseModel)


def live_figures(plan: Any) -> dict[str, Any]:
    """The figures the page shows beside the composition and evaluation parts of the form."""
    data = plan if isinstance(plan, dict) else {}
    composition = data.get("composition")
    evaluation = data.get("evaluation")
    return {
        "composition": _compositions(composition if isinstance(composition, dict) else {}),
        "evaluation": _evaluation(evaluation if isinstance(evaluation, dict) else {}),
    }


def _valid(model: type[_M], items: Any) -> Iterator[tuple[int, _M]]:
    """Each item that validates on its own, with its index in the list."""
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            yield index, model.model_validate(item)
        except ValidationError:
            continue


def _compositions(composition: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for kind in COMPOSITION_KINDS:
        key, heading = kind.key, kind.heading
        raw = composition.get(key)
        items = [item for _, item in _valid(CompositionItem, raw.get("items") if isinstance(raw, dict) else raw)]
        if not items or sum(item.amount for item in items) <= 0:
            figures[key] = {"heading": heading, "shares": [], "total": None}
            continue
        shares = shares_of(items)
        figures[key] = {
            "heading": heading,
            "shares": [
                {"label": s.label, "amount": plain_number(s.amount), "percent": percent(s.percent)} for s in shares
            ],
            "total": plain_number(sum((s.amount for s in shares), Decimal(0))),
        }
    return figures


def _evaluation(evaluation: dict[str, Any]) -> dict[str, Any]:
    valid = list(_valid(Indicator, evaluation.get("indicators")))
    try:
        thresholds = Thresholds.model_validate(evaluation.get("thresholds") or {})
    except ValidationError:
        thresholds = Thresholds()
    explicit = evaluation.get("recommendation")
    result = evaluate_indicators([i for _, i in valid], thresholds, explicit if explicit in RECOMMENDATIONS else None)
    grades: dict[int, str] = {index: graded.grade for (index, _), graded in zip(valid, result.indicators, strict=True)}
    return {
        "grades": {str(index): grade for index, grade in grades.items()},
        "total_weight": f"{plain_number(result.total_weight)}%",
        "weights_complete": abs(result.total_weight - 100) <= WEIGHT_TOLERANCE,
        "final_score": f"{result.final_score:.2f}",
        "recommendation": result.recommendation,
        "score_recommendation": result.score_recommendation,
        "choices": [{"option": option, "ticked": option == result.recommendation} for option in RECOMMENDATIONS],
    }

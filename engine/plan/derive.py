"""Derive stage: every figure and link the document shows that the input does not state.

Shares, totals, grades, the final score, the recommendation, problem↔measure links and
the document properties are all computed here, once. Templates never compute.
Numbers that are shown are Decimals rounded here, so the document and its checks agree
to the last digit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from plandoc.ooxml.coreprops import DocumentProperties
from plandoc.plan.load import KeyPath
from plandoc.plan.stock_wording import stock_sections
from plandoc.schemas import CompositionItem, Indicator, Measure, Plan, Problem, Thresholds
from plandoc.schemas.stock_text import STOCK_SECTIONS, paragraphs
from plandoc.vocabulary import (
    COMPOSITION_KINDS,
    END,
    IMPROVE,
    KANBAN_CAPTION,
    MAINTAIN,
    REQUIRED_KANBAN_KINDS,
    ChartKind,
    CompositionKind,
    Grade,
    Recommendation,
)

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class PlanFinding:
    """A warning the derive stage raises about a valid plan (path in field names)."""

    path: KeyPath
    code: str
    message: str


@dataclass(frozen=True)
class Share:
    """One category's amount and its share of the total, in percent."""

    label: str
    amount: Decimal
    percent: Decimal


@dataclass(frozen=True)
class CompositionAnalysis:
    """One of the three sub-analyses of 客户构成分析."""

    kind: CompositionKind
    number: int
    paragraphs: tuple[str, ...]
    unit: str
    shares: tuple[Share, ...]
    total: Decimal
    chart: ChartKind | None
    """The chart drawn beside the table; None when charts are off or there is no data."""

    @property
    def heading(self) -> str:
        """The heading printed above the analysis, after its number."""
        return self.kind.heading

    @property
    def leader(self) -> Share | None:
        """The category with the largest share (the first listed on a tie)."""
        return max(self.shares, key=lambda s: s.percent, default=None)


@dataclass(frozen=True)
class GradedIndicator:
    """An indicator with its grade (given or derived) and its weighted score."""

    indicator: Indicator
    grade: Grade
    weighted: Decimal


@dataclass(frozen=True)
class EvaluationResult:
    """The evaluation table's derived rows: 合计, 最终得分 and 建议."""

    indicators: tuple[GradedIndicator, ...]
    total_weight: Decimal
    final_score: Decimal
    recommendation: Recommendation
    score_recommendation: Recommendation


@dataclass(frozen=True)
class NumberedMeasure:
    """A measure with its number in the list and the problems it answers."""

    number: int
    measure: Measure
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ProblemLink:
    """A visit problem with the numbers of the measures that answer it."""

    problem: Problem
    visit_date: dt.date
    measure_numbers: tuple[int, ...]


@dataclass(frozen=True)
class DerivedPlan:
    """A validated plan with everything the document shows computed."""

    plan: Plan
    document_title: str
    sections: dict[str, tuple[str, ...]]
    compositions: tuple[CompositionAnalysis, ...]
    evaluation: EvaluationResult
    measures: tuple[NumberedMeasure, ...]
    problem_links: tuple[ProblemLink, ...]
    properties: DocumentProperties
    findings: tuple[PlanFinding, ...]


def derive(plan: Plan) -> DerivedPlan:
    """Compute every derived figure, link and warning of a validated plan."""
    findings: list[PlanFinding] = []
    sections = {key: paragraphs(_section_text(plan, key)) for key in STOCK_SECTIONS}
    evaluation = evaluate(plan)
    if plan.evaluation.recommendation and plan.evaluation.recommendation != evaluation.score_recommendation:
        findings.append(
            PlanFinding(
                ("evaluation", "recommendation"),
                "recommendation-disagrees",
                f"建议为{plan.evaluation.recommendation}，但最终得分 {evaluation.final_score} "
                f"对应{evaluation.score_recommendation} | "
                f"建议 is {plan.evaluation.recommendation}, but the final score "
                f"{evaluation.final_score} calls for {evaluation.score_recommendation}",
            )
        )
    measures = number_measures(plan)
    links = link_problems(plan, measures)
    for v_index, visit in enumerate(plan.visits):
        for p_index, problem in enumerate(visit.problems):
            if not any(link.problem is problem and link.measure_numbers for link in links):
                findings.append(
                    PlanFinding(
                        ("visits", v_index, "problems", p_index),
                        "unanswered-problem",
                        f"问题 {problem.id}（{problem.text[:30]}）没有对应的维护措施 | "
                        f"problem {problem.id} ({problem.text[:30]}) is answered by no measure",
                    )
                )
    for key, likeness in stock_sections(plan.sections):
        findings.append(
            PlanFinding(
                ("sections", key),
                "stock-wording",
                f"“{likeness.label}”一节仍是范例或起始文件的既定文字（相似度{likeness.similarity:.0%}），"
                f"请结合本客户撰写 | sections.{key} still holds the stock wording "
                f"({likeness.similarity:.0%} alike); write it for this client",
            )
        )
    kinds = {row.kind for row in plan.kanban}
    for kind in REQUIRED_KANBAN_KINDS:
        if kind not in kinds:
            message = f"{KANBAN_CAPTION}缺少{kind} | {KANBAN_CAPTION} has no {kind} row"
            findings.append(PlanFinding(("kanban",), "kanban-incomplete", message))
    return DerivedPlan(
        plan=plan,
        document_title=f"{plan.bank}{plan.title}",
        sections=sections,
        compositions=compositions(plan, sections),
        evaluation=evaluation,
        measures=measures,
        problem_links=links,
        properties=document_properties(plan),
        findings=tuple(findings),
    )


def _section_text(plan: Plan, key: str) -> str:
    override: str | None = getattr(plan.sections, key)
    return override if override is not None and override.strip() else STOCK_SECTIONS[key].text


def to_decimal(value: float) -> Decimal:
    """Convert an input number to the Decimal the user typed (``0.1`` stays ``0.1``)."""
    return Decimal(repr(value))


def shares_of(items: list[CompositionItem]) -> tuple[Share, ...]:
    """Shares in percent with two decimals that add up to exactly 100.00.

    Largest-remainder rounding: every share is first rounded down to a hundredth of a
    percent, then the hundredths still missing go to the largest remainders (the
    earlier-listed category on a tie), so the shown figures always add up.
    """
    amounts = [to_decimal(item.amount) for item in items]
    total = sum(amounts, Decimal(0))
    exact = [amount * 10000 / total for amount in amounts]
    floors = [int(value) for value in exact]
    missing = 10000 - sum(floors)
    order = sorted(range(len(items)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:missing]:
        floors[index] += 1
    return tuple(
        Share(item.label, amount, Decimal(hundredths) / 100)
        for item, amount, hundredths in zip(items, amounts, floors, strict=True)
    )


def compositions(plan: Plan, sections: dict[str, tuple[str, ...]]) -> tuple[CompositionAnalysis, ...]:
    """The three composition analyses, in the spec's order; one without data has no shares."""
    result = []
    for number, kind in enumerate(COMPOSITION_KINDS, start=1):
        items = plan.composition.items_of(kind.key)
        shares = shares_of(items) if items else ()
        chart = plan.composition.chart_of(kind.key)
        result.append(
            CompositionAnalysis(
                kind=kind,
                number=number,
                paragraphs=sections[kind.section],
                unit=plan.composition.unit,
                shares=shares,
                total=sum((s.amount for s in shares), Decimal(0)),
                chart=chart if shares and chart != "none" else None,
            )
        )
    return tuple(result)


def grade_of(score: Decimal) -> Grade:
    """客户等级 from a score: A ≥ 90 > B ≥ 75 > C ≥ 60 > D."""
    if score >= 90:
        return "A"
    if score >= 75:
        return "B"
    if score >= 60:
        return "C"
    return "D"


def recommendation_for(final_score: Decimal, maintain: Decimal, improve: Decimal) -> Recommendation:
    """The recommendation the thresholds give for a final score."""
    if final_score >= maintain:
        return MAINTAIN
    if final_score >= improve:
        return IMPROVE
    return END


def evaluate(plan: Plan) -> EvaluationResult:
    """Grade each indicator and compute 合计, 最终得分 and the recommendation of a plan."""
    evaluation = plan.evaluation
    return evaluate_indicators(evaluation.indicators, evaluation.thresholds, evaluation.recommendation)


def evaluate_indicators(
    indicators: Sequence[Indicator], thresholds: Thresholds, explicit: Recommendation | None = None
) -> EvaluationResult:
    """Grade indicators and compute 合计, 最终得分 and the recommendation (``explicit`` wins).

    The recommendation is decided on the final score as shown (two decimals), so a
    reader comparing the printed score with the thresholds always agrees with the box.
    Works on any indicators, so a front end can show figures while a plan is unfinished.
    """
    graded = []
    for indicator in indicators:
        score = to_decimal(indicator.score)
        weight = to_decimal(indicator.weight)
        graded.append(GradedIndicator(indicator, indicator.grade or grade_of(score), weight * score / 100))
    final = sum((g.weighted for g in graded), Decimal(0)).quantize(HUNDREDTH, ROUND_HALF_UP)
    by_score = recommendation_for(final, to_decimal(thresholds.maintain), to_decimal(thresholds.improve))
    return EvaluationResult(
        indicators=tuple(graded),
        total_weight=sum((to_decimal(i.weight) for i in indicators), Decimal(0)),
        final_score=final,
        recommendation=explicit or by_score,
        score_recommendation=by_score,
    )


def number_measures(plan: Plan) -> tuple[NumberedMeasure, ...]:
    """Number the measures from 1 and resolve the problems each answers."""
    problems = {problem.id: problem for visit in plan.visits for problem in visit.problems}
    return tuple(
        NumberedMeasure(number, measure, tuple(problems[pid] for pid in dict.fromkeys(measure.answers)))
        for number, measure in enumerate(plan.measures, start=1)
    )


def link_problems(plan: Plan, measures: tuple[NumberedMeasure, ...]) -> tuple[ProblemLink, ...]:
    """Every visit problem, in visit order, with the measures that answer it."""
    return tuple(
        ProblemLink(
            problem,
            visit.date,
            tuple(m.number for m in measures if problem.id in m.measure.answers),
        )
        for visit in plan.visits
        for problem in visit.problems
    )


def document_properties(plan: Plan) -> DocumentProperties:
    """Core properties from the plan: created on 编制日期, modified on the last dated change."""
    last = max([plan.approval.approved, *(r.date for r in plan.revisions)])
    return DocumentProperties(
        title=f"{plan.bank}{plan.title}",
        subject=plan.client.name,
        author=plan.control.executing_department,
        keywords=plan.control.number,
        category=plan.control.status,
        created=_midnight(plan.approval.drafted),
        modified=_midnight(last),
        revision=len(plan.revisions) + 1,
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)

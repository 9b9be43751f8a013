"""Build the render context: the only data a template sees, all of it text ready to print.

Every value is a string, a list or a mapping of strings (plus booleans for conditions),
so templates only place text; the figures were computed by the derive stage. The
charts' own data does not pass through here: ``plandoc.charts.spec`` builds it from the
derived plan's figures; the context only places each chart's drawing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from plandoc.ooxml.chart_placement import chart_drawing_id, chart_relationship_id, one_line
from plandoc.plan.composition_layout import composition_layout
from plandoc.plan.derive import CompositionAnalysis, DerivedPlan, EvaluationResult
from plandoc.schemas import CompanyClient, PersonClient, Visit
from plandoc.schemas.stock_text import paragraphs
from plandoc.vocabulary import (
    CATEGORY,
    CHART_KIND_NAMES,
    CHECKED_BOX,
    CLIENT_KIND_LABELS,
    COMPANY_FACT_LABELS,
    EMPTY_BOX,
    EVALUATION_HEADING_LABELS,
    FINAL_SCORE,
    IMPORTANCE_SUFFIX,
    MEASURE_ANSWERS,
    MEASURE_PREFIX,
    NO_MEASURE,
    PERSON_FACT_LABELS,
    RECOMMENDATIONS,
    SHARE,
    TOTAL,
    VISIT_LABELS,
    ChartKind,
    amount_header,
)

WORD_JOINER = "\u2060"
"""Placed between the characters of a short note that must not break over two lines."""
Context = dict[str, Any]


def chinese_date(day: dt.date) -> str:
    """2026-03-02 → 2026年3月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 101 → 一百零一, 2010 → 二千零一十 (1 to 9999; Arabic beyond)."""
    if not 1 <= number <= 9999:
        return str(number)
    digits = "零一二三四五六七八九"
    text = ""
    pending_zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if pending_zero:
                text += "零"
            text += ("" if (value == 10 and digit == 1 and not text) else digits[digit]) + unit
            pending_zero = False
        elif text:
            pending_zero = True
    return text


def chinese_ordinal(number: int) -> str:
    """1 → （一）, 11 → （十一）, 101 → （一百零一）."""
    return f"（{chinese_numeral(number)}）"


def plain_number(value: Decimal) -> str:
    """Show a number as typed: 5200 not 5200.0, 0.5 not 5E-1."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def grouped_number(value: Decimal) -> str:
    """Amounts as a bank writes them: 10,000 and 1,234.5."""
    return format(Decimal(plain_number(value)), ",f")


def unbreakable(text: str) -> str:
    """``text`` with word joiners between its characters, so no line breaks inside it."""
    return WORD_JOINER.join(text)


def percent(value: Decimal) -> str:
    """Shares and weights as shown in tables: 62.50%."""
    return f"{value:.2f}%"


def build_context(derived: DerivedPlan) -> Context:
    """Flatten a derived plan into the render context."""
    plan = derived.plan
    return {
        "document_title": derived.document_title,
        "doc_name": plan.title,
        "cover": {
            "client_name": plan.client.name,
            "number": plan.control.number,
            "department": plan.control.executing_department,
            "date": chinese_date(plan.approval.drafted),
        },
        "control": {
            "status": plan.control.status,
            "number": plan.control.number,
            "executing_department": plan.control.executing_department,
            "supervising_department": plan.control.supervising_department,
            "verifying_department": plan.control.verifying_department,
        },
        "sections": {key: list(texts) for key, texts in derived.sections.items()},
        "compositions": _compositions(derived.compositions),
        "cards": [
            {
                "name": card.name,
                "employer": card.employer,
                "position": card.position,
                "address": card.address,
                "phone": card.phone or "",
                "email": card.email or "",
                "importance": f"{card.importance}{IMPORTANCE_SUFFIX}",
                "notes": card.notes,
            }
            for card in plan.cards
        ],
        "kanban": [{"kind": row.kind, "content": row.content, "department": row.department} for row in plan.kanban],
        "measures": [
            {
                "number": f"{m.number}．",
                "text": m.measure.text,
                "answers": unbreakable(f"（{MEASURE_ANSWERS}：{'、'.join(p.id for p in m.problems)}）")
                if m.problems
                else "",
            }
            for m in derived.measures
        ],
        "evaluation": _evaluation(derived.evaluation, plan.client.name, plan.evaluation.number),
        "approval": {
            "drafted": chinese_date(plan.approval.drafted),
            "reviewed": chinese_date(plan.approval.reviewed),
            "approved": chinese_date(plan.approval.approved),
        },
        "revisions": [
            {"mark": r.mark, "changes": str(r.changes), "date": chinese_date(r.date)} for r in plan.revisions
        ],
        "client": {
            "name": plan.client.name,
            "kind_label": CLIENT_KIND_LABELS[0] if isinstance(plan.client, PersonClient) else CLIENT_KIND_LABELS[1],
            "facts": _client_facts(plan.client),
            "background": list(paragraphs(plan.client.background)),
        },
        "visits": [_visit(number, visit) for number, visit in enumerate(plan.visits, start=1)],
        "problem_links": [
            {
                "id": link.problem.id,
                "text": link.problem.text,
                "found": chinese_date(link.visit_date),
                "measures": "、".join(f"{MEASURE_PREFIX}{n}" for n in link.measure_numbers) or NO_MEASURE,
                "answered": bool(link.measure_numbers),
            }
            for link in derived.problem_links
        ],
    }


def _compositions(analyses: tuple[CompositionAnalysis, ...]) -> list[Context]:
    """The analyses as the template shows them, each placing its chart (numbered in order)."""
    compositions: list[Context] = []
    charts = 0
    for analysis in analyses:
        entry = _composition(analysis)
        entry["chart"] = {}  # falsy: {%p if analysis.chart %} skips the drawing
        entry["layout"] = layout = composition_layout(_share_columns(entry), analysis.chart, len(analysis.shares))
        if analysis.chart is not None:
            charts += 1
            entry["chart"] = _chart_placement(analysis, analysis.chart, charts, layout)
        compositions.append(entry)
    return compositions


def _chart_placement(analysis: CompositionAnalysis, kind: ChartKind, number: int, layout: Context) -> Context:
    """What the template's inline drawing places: ids, name, description and size."""
    figures = "，".join(f"{one_line(s.label)} {percent(s.percent)}" for s in analysis.shares)
    return {
        "relationship_id": chart_relationship_id(number),
        "drawing_id": str(chart_drawing_id(number)),
        "name": f"图表 {number}",
        "description": f"{analysis.kind.name}{CHART_KIND_NAMES[kind]}：{figures}",
        "width": layout["chart_width"],
        "height": layout["chart_height"],
    }


def _share_columns(entry: Context) -> list[list[str]]:
    """The texts of a share table, column by column."""
    rows = entry["rows"]
    return [
        [CATEGORY, TOTAL, *(row["label"] for row in rows)],
        [entry["amount_header"], entry["total_amount"], *(row["amount"] for row in rows)],
        [SHARE, entry["total_share"], *(row["share"] for row in rows)],
    ]


def _composition(analysis: CompositionAnalysis) -> Context:
    leader = analysis.leader
    summary = (
        f"{TOTAL}{grouped_number(analysis.total)}{analysis.unit}，其中{leader.label}{SHARE}最高，为{percent(leader.percent)}。"
        if leader
        else "本项暂无数据。"
    )
    return {
        "number": f"{analysis.number}．",
        "heading": analysis.heading,
        "paragraphs": list(analysis.paragraphs),
        "has_data": bool(analysis.shares),
        "unit": analysis.unit,
        "amount_header": amount_header(analysis.unit),
        "rows": [
            {"label": s.label, "amount": grouped_number(s.amount), "share": percent(s.percent)} for s in analysis.shares
        ],
        "total_amount": grouped_number(analysis.total),
        "total_share": percent(sum((s.percent for s in analysis.shares), Decimal(0))),
        "summary": summary,
    }


def _evaluation(result: EvaluationResult, client_name: str, number: str) -> Context:
    client_label, number_label = EVALUATION_HEADING_LABELS
    choices = "　".join(
        f"{CHECKED_BOX if option == result.recommendation else EMPTY_BOX}{option}" for option in RECOMMENDATIONS
    )
    return {
        "heading_line": f"{client_label}：{client_name}　　{number_label}：{number}",
        "rows": [
            {
                "name": g.indicator.name,
                "weight": f"{plain_number(Decimal(repr(g.indicator.weight)))}%",
                "score": plain_number(Decimal(repr(g.indicator.score))),
                "grade": g.grade,
                "basis": g.indicator.basis,
                "remark": g.indicator.remark,
            }
            for g in result.indicators
        ],
        "total_weight": f"{plain_number(result.total_weight)}%",
        "final_score": f"{result.final_score:.2f}",
        "result_line": f"{FINAL_SCORE}：{result.final_score:.2f}",
        "recommendation": result.recommendation,
        "choices": choices,
        "options": [
            {
                "box": CHECKED_BOX if option == result.recommendation else EMPTY_BOX,
                "label": option,
                "ticked": option == result.recommendation,
                "gap": "" if last else "　",
            }
            for option, last in zip(RECOMMENDATIONS, (False, False, True), strict=True)
        ],
    }


def _client_facts(client: PersonClient | CompanyClient) -> list[dict[str, str]]:
    values: tuple[str | None, ...]
    if isinstance(client, PersonClient):
        labels = PERSON_FACT_LABELS
        values = (
            client.name,
            client.gender,
            f"{client.birth_year}年" if client.birth_year else None,
            client.nationality,
            client.education,
            "、".join(client.titles),
            "\n".join(client.positions),
            "、".join(client.honours),
        )
    else:
        labels = COMPANY_FACT_LABELS
        values = (
            client.name,
            client.industry,
            client.founded,
            client.registered_capital,
            f"{client.employees}人" if client.employees is not None else None,
            client.ownership,
            client.main_business,
            "\n".join(client.key_people),
        )
    return [{"label": label, "value": value} for label, value in zip(labels, values, strict=True) if value]


def _visit(number: int, visit: Visit) -> Context:
    problems = "\n".join(f"{p.id}：{p.text}" for p in visit.problems) or "无"
    values = (
        chinese_date(visit.date),
        visit.mode,
        visit.place or "—",
        "、".join(visit.visitors),
        "、".join(visit.attendees) or "—",
        visit.purpose,
        visit.content.strip(),
        visit.feedback.strip() or "—",
        problems,
        visit.follow_up.strip() or "—",
    )
    return {
        "heading": f"{chinese_ordinal(number)}{chinese_date(visit.date)}　{visit.mode}",
        "rows": [{"label": label, "value": value} for label, value in zip(VISIT_LABELS, values, strict=True)],
    }

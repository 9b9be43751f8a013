"""Build the render context: the only data a template sees, all of it text ready to print.

Every value is a string, a list or a mapping of strings (plus booleans for conditions),
so templates only place text; the figures were computed by the derive stage.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from plandoc.charts.spec import one_line
from plandoc.plan.composition_layout import composition_layout
from plandoc.plan.derive import CompositionAnalysis, DerivedPlan, EvaluationResult, paragraphs
from plandoc.schemas import CompanyClient, PersonClient, Visit

CHECKED_BOX = "☑"
EMPTY_BOX = "☐"
WORD_JOINER = "\u2060"
"""Placed between the characters of a short note that must not break over two lines."""
NO_MEASURE = "尚无对应措施"
Context = dict[str, Any]
_OPTIONS = ("改进关系", "维持关系", "终止关系")


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
    compositions, charts = _compositions(derived.compositions)
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
        "compositions": compositions,
        "charts": charts,
        "cards": [
            {
                "name": card.name,
                "employer": card.employer,
                "position": card.position,
                "address": card.address,
                "phone": card.phone or "",
                "email": card.email or "",
                "importance": f"{card.importance}客户",
                "notes": card.notes,
            }
            for card in plan.cards
        ],
        "kanban": [{"kind": row.kind, "content": row.content, "department": row.department} for row in plan.kanban],
        "measures": [
            {
                "number": f"{m.number}．",
                "text": m.measure.text,
                "answers": unbreakable(f"（针对问题：{'、'.join(p.id for p in m.problems)}）") if m.problems else "",
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
            "kind_label": "个人客户" if isinstance(plan.client, PersonClient) else "企业客户",
            "facts": _client_facts(plan.client),
            "background": list(paragraphs(plan.client.background)),
        },
        "visits": [_visit(number, visit) for number, visit in enumerate(plan.visits, start=1)],
        "problem_links": [
            {
                "id": link.problem.id,
                "text": link.problem.text,
                "found": chinese_date(link.visit_date),
                "measures": "、".join(f"措施{n}" for n in link.measure_numbers) or NO_MEASURE,
                "answered": bool(link.measure_numbers),
            }
            for link in derived.problem_links
        ],
    }


PACKAGE_KEYS = frozenset({"charts"})
"""Context entries the renderer reads to add package parts (the chart parts), which a
template does not place itself; a template places a chart through ``analysis.chart``."""

CHART_TITLES = {"sales": "销售构成", "products": "商品构成", "regions": "地区构成"}
CHART_KIND_NAMES = {"pie": "饼图", "bar": "条形图"}
FIRST_DRAWING_ID = 1000
"""Drawings are numbered 1001, 1002 … in document order, as docxtpl renumbers them."""


def _compositions(analyses: tuple[CompositionAnalysis, ...]) -> tuple[list[Context], list[Context]]:
    """The analyses as the template shows them, and the charts they place, numbered in order."""
    compositions: list[Context] = []
    charts: list[Context] = []
    for analysis in analyses:
        entry = _composition(analysis)
        entry["chart"] = {}  # falsy: {%p if analysis.chart %} skips the drawing
        entry["layout"] = layout = composition_layout(_share_columns(entry), analysis.chart, len(analysis.shares))
        if analysis.chart is not None:
            number = len(charts) + 1
            chart = _chart(analysis, analysis.chart, number)
            charts.append(chart)
            entry["chart"] = _chart_placement(chart, number, layout)
        compositions.append(entry)
    return compositions, charts


def _chart(analysis: CompositionAnalysis, kind: str, number: int) -> Context:
    return {
        "relationship_id": f"rIdChart{number}",
        "kind": kind,
        "title": CHART_TITLES[analysis.key],
        "series_name": f"金额（{analysis.unit}）",
        "categories": [s.label for s in analysis.shares],
        "values": [plain_number(s.amount) for s in analysis.shares],
        "shares": [percent(s.percent) for s in analysis.shares],
    }


def _share_columns(entry: Context) -> list[list[str]]:
    """The texts of a share table, column by column."""
    rows = entry["rows"]
    return [
        ["类别", "合计", *(row["label"] for row in rows)],
        [entry["amount_header"], entry["total_amount"], *(row["amount"] for row in rows)],
        ["占比", entry["total_share"], *(row["share"] for row in rows)],
    ]


def _chart_placement(chart: Context, number: int, layout: Context) -> Context:
    kind = chart["kind"]
    figures = "，".join(f"{one_line(c)} {s}" for c, s in zip(chart["categories"], chart["shares"], strict=True))
    return {
        "relationship_id": chart["relationship_id"],
        "drawing_id": str(FIRST_DRAWING_ID + number),
        "name": f"图表 {number}",
        "description": f"{chart['title']}{CHART_KIND_NAMES[kind]}：{figures}",
        "width": layout["chart_width"],
        "height": layout["chart_height"],
    }


def _composition(analysis: CompositionAnalysis) -> Context:
    leader = analysis.leader
    summary = (
        f"合计{grouped_number(analysis.total)}{analysis.unit}，其中{leader.label}占比最高，为{percent(leader.percent)}。"
        if leader
        else "本项暂无数据。"
    )
    return {
        "number": f"{analysis.number}．",
        "heading": analysis.heading,
        "paragraphs": list(analysis.paragraphs),
        "has_data": bool(analysis.shares),
        "unit": analysis.unit,
        "amount_header": f"金额（{analysis.unit}）",
        "rows": [
            {"label": s.label, "amount": grouped_number(s.amount), "share": percent(s.percent)} for s in analysis.shares
        ],
        "total_amount": grouped_number(analysis.total),
        "total_share": percent(sum((s.percent for s in analysis.shares), Decimal(0))),
        "summary": summary,
    }


def _evaluation(result: EvaluationResult, client_name: str, number: str) -> Context:
    choices = "　".join(
        f"{CHECKED_BOX if option == result.recommendation else EMPTY_BOX}{option}" for option in _OPTIONS
    )
    return {
        "heading_line": f"客户名称：{client_name}　　编号：{number}",
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
        "result_line": f"最终得分：{result.final_score:.2f}",
        "recommendation": result.recommendation,
        "choices": choices,
        "options": [
            {
                "box": CHECKED_BOX if option == result.recommendation else EMPTY_BOX,
                "label": option,
                "ticked": option == result.recommendation,
                "gap": "" if last else "　",
            }
            for option, last in zip(_OPTIONS, (False, False, True), strict=True)
        ],
    }


def _client_facts(client: PersonClient | CompanyClient) -> list[dict[str, str]]:
    if isinstance(client, PersonClient):
        pairs = [
            ("姓名", client.name),
            ("性别", client.gender),
            ("出生年份", f"{client.birth_year}年" if client.birth_year else None),
            ("国籍", client.nationality),
            ("学历", client.education),
            ("职称", "、".join(client.titles)),
            ("任职经历", "\n".join(client.positions)),
            ("荣誉", "、".join(client.honours)),
        ]
    else:
        pairs = [
            ("企业名称", client.name),
            ("所属行业", client.industry),
            ("成立时间", client.founded),
            ("注册资本", client.registered_capital),
            ("员工人数", f"{client.employees}人" if client.employees is not None else None),
            ("所有制", client.ownership),
            ("主营业务", client.main_business),
            ("主要人员", "\n".join(client.key_people)),
        ]
    return [{"label": label, "value": value} for label, value in pairs if value]


def _visit(number: int, visit: Visit) -> Context:
    problems = "\n".join(f"{p.id}：{p.text}" for p in visit.problems) or "无"
    rows = [
        ("访问日期", chinese_date(visit.date)),
        ("访问方式", visit.mode),
        ("访问地点", visit.place or "—"),
        ("访问人员", "、".join(visit.visitors)),
        ("客户参与人员", "、".join(visit.attendees) or "—"),
        ("访问目的", visit.purpose),
        ("访问内容", visit.content.strip()),
        ("客户反馈", visit.feedback.strip() or "—"),
        ("发现问题", problems),
        ("后续行动", visit.follow_up.strip() or "—"),
    ]
    return {
        "heading": f"{chinese_ordinal(number)}{chinese_date(visit.date)}　{visit.mode}",
        "rows": [{"label": label, "value": value} for label, value in rows],
    }

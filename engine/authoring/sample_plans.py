"""Generate varied, valid plans: for equivalence tests, batch tests and benchmarks.

Each plan is a function of its seed, so a failing case can be reproduced from its number.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

_WORDS = ["结算", "授信", "存款", "理财", "客户", "服务", "效率", "方案", "回访", "渠道", "费率", "供应链"]
_TRICKY = ["A&B", "<X>", '"引号"', "'单引号'", "{{ 7*7 }}", "{% for %}", "𠮷", "🙂", "a\tb", "第一行\n第二行"]


def _text(rng: random.Random, words: int, tricky: bool = True) -> str:
    parts = [rng.choice(_WORDS) for _ in range(words)]
    if tricky and rng.random() < 0.5:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(_TRICKY))
    return "".join(parts)


def _date(start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=days)).isoformat()


def generated_plan(seed: int) -> dict[str, Any]:
    """A valid plan whose content varies with ``seed`` (special characters included)."""
    rng = random.Random(seed)
    drafted = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
    problems = [f"P{i}" for i in range(1, rng.randint(1, 6) + 1)]
    visits: list[dict[str, Any]] = []
    remaining = list(problems)
    for index in range(rng.randint(1, 3)):
        take = remaining if index == 2 else remaining[: rng.randint(0, len(remaining))]
        remaining = [p for p in remaining if p not in take]
        visits.append(
            {
                "date": _date(drafted, -30 + index),
                "mode": rng.choice(["面谈", "电话", "电子邮件", "其他"]),
                "visitors": [f"客户经理{rng.randint(1, 99)}"],
                "purpose": _text(rng, 3),
                "content": _text(rng, 12),
                "feedback": _text(rng, 6),
                "problems": [{"id": pid, "text": _text(rng, 5)} for pid in take],
            }
        )
    if remaining:
        visits[-1]["problems"] += [{"id": pid, "text": _text(rng, 5)} for pid in remaining]
    weights = [rng.randint(1, 5) for _ in range(rng.randint(1, 7))]
    scaled = [w * 100 // sum(weights) for w in weights]
    scaled[0] += 100 - sum(scaled)
    indicators: list[dict[str, Any]] = [
        {"name": f"指标{i + 1}", "weight": w, "score": rng.randint(0, 100), "basis": _text(rng, 4)}
        for i, w in enumerate(scaled)
        if w > 0
    ]
    if sum(i["weight"] for i in indicators) != 100:
        indicators = [{"name": "综合", "weight": 100, "score": rng.randint(0, 100)}]
    composition: dict[str, Any] = {}
    for key in ("sales", "products", "regions"):
        if rng.random() < 0.8:
            items = [
                {
                    "label": f"{_text(rng, 1)}{i}",
                    "amount": rng.choice([rng.randint(1, 10_000), rng.randint(1, 99_999) / 10]),
                }
                for i in range(rng.randint(1, 5))
            ]
            chart = rng.choice([None, None, "pie", "bar", "none"])
            composition[key] = items if chart is None else {"chart": chart, "items": items}
    if rng.random() < 0.3:
        composition["chart"] = rng.choice(["pie", "bar", "none"])
    if rng.random() < 0.1:
        composition["charts"] = False
    kind = rng.choice(["person", "company"])
    client: dict[str, Any] = {"kind": kind, "name": f"{_text(rng, 2)}客户{seed}", "background": _text(rng, 20)}
    if kind == "person":
        client |= {"birth_year": rng.randint(1940, 2000), "positions": [_text(rng, 3) for _ in range(2)]}
    else:
        client |= {"industry": _text(rng, 2), "employees": rng.randint(1, 5000)}
    return {
        "schema_version": 1,
        "bank": f"示范银行{seed % 7}分行",
        "control": {
            "status": rng.choice(["受控", "非受控"]),
            "number": f"KHWH-{seed:06d}",
            "executing_department": "客户服务部",
            "supervising_department": "市场营销部",
            "verifying_department": "稽核部",
        },
        "approval": {"drafted": _date(drafted, 0), "reviewed": _date(drafted, 2), "approved": _date(drafted, 5)},
        "revisions": [
            {"mark": f"A{i + 1}", "changes": rng.randint(1, 9), "date": _date(drafted, 10 + i * 30)}
            for i in range(rng.randint(0, 3))
        ],
        "client": client,
        "cards": [
            {
                "name": f"联系人{i}",
                "employer": _text(rng, 2),
                "position": "经理",
                "phone": f"010-{rng.randint(0, 99999999):08d}",
                "importance": rng.choice(["重要", "一般"]),
                "notes": _text(rng, 3),
            }
            for i in range(rng.randint(1, 3))
        ],
        "composition": composition,
        "visits": visits,
        "measures": [
            {"text": _text(rng, 8), "answers": rng.sample(problems, rng.randint(0, len(problems)))}
            for _ in range(rng.randint(1, 6))
        ],
        "evaluation": {"number": f"PG-{seed:06d}", "indicators": indicators},
        "sections": {"objects": _text(rng, 10)} if rng.random() < 0.5 else {},
    }


_PHRASES = [
    "结算效率有待提升", "授信额度使用不足", "理财产品认知有限", "跨行转账到账偏慢", "对公账户管理繁琐",
    "供应链融资需求旺盛", "外汇避险工具缺乏", "代发工资渠道单一", "网银操作体验不佳", "票据贴现费率偏高",
]  # fmt: skip
_LABELS = ["对公存款", "个人理财", "贸易融资", "供应链金融", "私人银行客户", "财富管理客户", "华北地区", "长三角"]
_INDICATORS = ["业务贡献度", "合作稳定性", "服务满意度", "产品覆盖度", "信用状况", "成长潜力"]
_LONG_NAME = "河北华信智慧能源装备与电气自动化系统集成股份有限公司"


def _sentence(rng: random.Random, phrases: int) -> str:
    return "，".join(rng.choice(_PHRASES) for _ in range(phrases)) + "。"


def _indicators(rng: random.Random, count: int, long_basis: bool) -> list[dict[str, Any]]:
    weights = [100 // count] * count
    weights[0] += 100 - sum(weights)
    return [
        {
            "name": f"{_INDICATORS[i % len(_INDICATORS)]}{i + 1}",
            "weight": weight,
            "score": rng.randint(40, 100),
            "basis": _sentence(rng, 6 if long_basis else 1),
            "remark": rng.choice(["", "年度复核", "重点关注"]),
        }
        for i, weight in enumerate(weights)
    ]


def layout_plan(seed: int) -> dict[str, Any]:
    """A realistic plan whose shape varies with ``seed``: 1–5 visits, 1–6 problems a visit,
    2–12 indicators, 2–10 composition categories, 0–4 revisions, long names and texts.

    Used to test the page layout, so its texts read like a real plan's (no special characters).
    """
    rng = random.Random(seed)
    plan = generated_plan(seed)
    drafted = dt.date.fromisoformat(plan["approval"]["drafted"])
    visits: list[dict[str, Any]] = []
    for index in range(1 + seed % 5):
        first = sum(len(v["problems"]) for v in visits) + 1
        problems = 1 + (seed + index * 3) % 6
        visits.append(
            {
                "date": _date(drafted, -60 + index * 9),
                "mode": rng.choice(["面谈", "电话", "电子邮件", "其他"]),
                "place": "客户办公室",
                "visitors": [f"客户经理{rng.randint(1, 99)}"],
                "purpose": _sentence(rng, 1),
                "content": _sentence(rng, 2 + seed % 6),
                "feedback": _sentence(rng, 2),
                "problems": [{"id": f"P{first + i}", "text": _sentence(rng, 1)} for i in range(problems)],
            }
        )
    problem_ids = [p["id"] for v in visits for p in v["problems"]]
    categories = 2 + seed % 9
    plan["composition"] = {
        key: {
            "chart": ("pie", "bar")[(seed + offset) % 2],
            "items": [
                {"label": f"{rng.choice(_LABELS)}{i + 1}", "amount": rng.randint(100, 99_999)}
                for i in range(max(2, categories - offset))
            ],
        }
        for offset, key in enumerate(("sales", "products", "regions"))
    }
    plan["client"]["name"] = _LONG_NAME if seed % 3 == 0 else f"华信{rng.choice(_LABELS)}有限公司{seed}"
    plan["client"]["background"] = _sentence(rng, 8)
    plan["visits"] = visits
    plan["measures"] = [
        {"text": _sentence(rng, 2), "answers": problem_ids[i::4]} for i in range(min(4, len(problem_ids)))
    ]
    plan["evaluation"]["indicators"] = _indicators(rng, 2 + seed % 11, long_basis=seed % 4 == 0)
    plan["revisions"] = [
        {"mark": f"A{i + 1}", "changes": rng.randint(1, 9), "date": _date(drafted, 10 + i * 60)}
        for i in range(seed % 5)
    ]
    plan["cards"] = [{**card, "employer": plan["client"]["name"], "notes": _sentence(rng, 1)} for card in plan["cards"]]
    plan["sections"] = {}
    return plan


_MEASURE_SENTENCE = (
    "客户经理每月电话回访一次，记录客户对产品和服务的意见，按季度汇总报送部门负责人，重大意见当周答复并跟踪落实情况"
)


def measure_sweep_plan() -> dict[str, Any]:
    """A plan whose measures grow one character at a time (16 to 56), so that every measure's
    （针对问题：…） falls at a different place on its line, across a line end in many of them."""
    plan = layout_plan(1)
    problem_ids = [p["id"] for v in plan["visits"] for p in v["problems"]]
    plan["measures"] = [
        {
            "text": (_MEASURE_SENTENCE * 2)[: length - 1] + "。",
            "answers": [problem_ids[(length + k) % len(problem_ids)] for k in range(1 + length % 3)],
        }
        for length in range(16, 57)
    ]
    return plan

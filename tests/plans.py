"""Plan data for tests: a small valid plan and ways to vary it."""

from __future__ import annotations

import copy
from typing import Any

import yaml

MINIMAL_PLAN: dict[str, Any] = {
    "schema_version": 1,
    "bank": "示范银行",
    "control": {
        "status": "受控",
        "number": "KHWH-2026-101",
        "executing_department": "客户服务部",
        "supervising_department": "市场营销部",
        "verifying_department": "稽核部",
    },
    "approval": {"drafted": "2026-03-02", "reviewed": "2026-03-06", "approved": "2026-03-10"},
    "client": {"kind": "company", "name": "示例电气有限公司"},
    "cards": [
        {
            "name": "王某",
            "employer": "示例电气有限公司",
            "position": "财务总监",
            "phone": "010-00000000",
            "importance": "重要",
        }
    ],
    "visits": [
        {
            "date": "2026-02-12",
            "mode": "面谈",
            "visitors": ["李某（客户经理）"],
            "purpose": "年度回访",
            "content": "了解客户结算需求",
            "problems": [{"id": "P1", "text": "跨行结算到账慢"}],
        }
    ],
    "measures": [{"text": "开通跨行结算绿色通道", "answers": ["P1"]}],
    "evaluation": {
        "number": "PG-2026-101",
        "indicators": [
            {"name": "业务贡献度", "weight": 60, "score": 85},
            {"name": "合作稳定性", "weight": 40, "score": 70},
        ],
    },
}


def plan(**changes: Any) -> dict[str, Any]:
    """A deep copy of the minimal plan with top-level keys replaced."""
    result = copy.deepcopy(MINIMAL_PLAN)
    result.update(copy.deepcopy(changes))
    return result


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

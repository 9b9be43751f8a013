"""A plan written as a person writes it: YAML text, values unquoted, with slots to fill in."""

from __future__ import annotations

PLAN_TEXT = """\
schema_version: 1
bank: 示范银行
control:
  status: {status}
  number: {number}
  executing_department: 客户服务部
  supervising_department: 市场营销部
  verifying_department: 稽核部
approval:
  drafted: 2026-03-02
  reviewed: 2026-03-06
  approved: 2026-03-10
client:
  kind: {kind}
  name: 示例电气有限公司
  founded: {founded}
  employees: {employees}
cards:
  - name: 王某
    employer: 示例电气有限公司
    position: 财务总监
    phone: {phone}
    importance: {importance}
visits:
  - date: 2026-02-12
    mode: {mode}
    place: {place}
    visitors: [李某（客户经理）]
    purpose: 年度回访
    content: 了解客户结算需求
    feedback: {feedback}
    problems:
      - id: P1
        text: 跨行结算到账慢
measures:
  - text: 开通跨行结算绿色通道
    answers: [P1]
composition:
  chart: {chart}
  sales: [{{label: A级客户, amount: 5200}}, {{label: B级客户, amount: 3100}}]
evaluation:
  number: PG-2026-101
  indicators:
    - name: 业务贡献度
      weight: {weight}
      score: {score}
    - name: 合作稳定性
      weight: 40
      score: 70
"""

DEFAULTS = {
    "status": "受控",
    "number": "KHWH-2026-101",
    "kind": "company",
    "founded": "2003年",
    "employees": "960",
    "phone": '"010-00000000"',
    "importance": "重要",
    "mode": "面谈",
    "place": "客户总部",
    "feedback": "满意",
    "chart": "pie",
    "weight": "60",
    "score": "85",
}


def plan_text(**values: str) -> str:
    """The plan with some slots given other values, each written exactly as passed."""
    return PLAN_TEXT.format(**{**DEFAULTS, **values})

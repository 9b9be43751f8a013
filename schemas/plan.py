"""The plan: Pydantic models of the whole input contract (schema version 1).

English field names; each Chinese label of plan-spec.md is the field's title and an
accepted key. Rules that span several fields live in model validators and report the
exact path of each breach (see ``schemas.rules``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag, create_model, field_validator, model_validator

from schemas.common import (
    InputModel,
    Integer,
    IsoDate,
    Number,
    RequiredText,
    Text,
    labelled,
)
from schemas.rules import RuleViolation, raise_violations
from schemas.stock_text import STOCK_SECTIONS

SCHEMA_VERSION = 1
CONTROL_STATUSES = ("受控", "非受控")
VISIT_MODES = ("面谈", "电话", "电子邮件", "其他")
IMPORTANCE_LEVELS = ("重要", "一般")
GRADES = ("A", "B", "C", "D")
RECOMMENDATIONS = ("改进关系", "维持关系", "终止关系")
WEIGHT_TOLERANCE = Decimal("0.01")
_PROBLEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


class ControlHeader(InputModel):
    """受控文件表头: the controlled-document header table."""

    status: Literal["受控", "非受控"] = labelled("受控状态", "受控 or 非受控")
    number: RequiredText = labelled("编号", "Document number, e.g. KHWH-2026-001")
    executing_department: RequiredText = labelled("执行部门", "Department that executes the plan")
    supervising_department: RequiredText = labelled("监督部门", "Department that supervises it")
    verifying_department: RequiredText = labelled("考证部门", "Department that verifies it")


class Approval(InputModel):
    """编制/审核/批准 dates, in that order."""

    drafted: IsoDate = labelled("编制日期", "Date the plan was drafted")
    reviewed: IsoDate = labelled("审核日期", "Date it was reviewed (not before drafted)")
    approved: IsoDate = labelled("批准日期", "Date it was approved (not before reviewed)")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Approval:
        violations = []
        if self.reviewed < self.drafted:
            violations.append(
                RuleViolation(
                    ("reviewed",),
                    f"审核日期 {self.reviewed} is before 编制日期 {self.drafted}",
                )
            )
        if self.approved < self.reviewed:
            violations.append(
                RuleViolation(
                    ("approved",),
                    f"批准日期 {self.approved} is before 审核日期 {self.reviewed}",
                )
            )
        raise_violations(violations)
        return self


class Revision(InputModel):
    """One row of the revision log (修改记录)."""

    mark: RequiredText = labelled("修改标记", "Revision mark, e.g. A1")
    changes: Integer = labelled("修改处数", "Number of changes, at least 1", ge=1)
    date: IsoDate = labelled("修改日期", "Date of the revision, not before 批准日期")


class _ClientBase(InputModel):
    name: RequiredText = labelled("客户名称", "The client's name")
    background: Text = labelled("背景资料", "Free text; blank lines separate paragraphs", "")


class PersonClient(_ClientBase):
    """A client who is a person."""

    kind: Literal["person"] = labelled("客户类型", "person (个人) or company (企业)")
    gender: Text | None = labelled("性别", "Gender", None)
    birth_year: Integer | None = labelled("出生年份", "Year of birth", None, ge=1900, le=2100)
    nationality: Text | None = labelled("国籍", "Nationality", None)
    education: Text | None = labelled("学历", "Education", None)
    titles: list[RequiredText] = labelled("职称", "Professional titles", [])
    positions: list[RequiredText] = labelled("职务", "Positions held, in order", [])
    honours: list[RequiredText] = labelled("荣誉", "Honours", [])


class CompanyClient(_ClientBase):
    """A client that is a company."""

    kind: Literal["company"] = labelled("客户类型", "person (个人) or company (企业)")
    industry: Text | None = labelled("所属行业", "Industry", None)
    founded: Text | None = labelled("成立时间", "When it was founded, e.g. 2003年", None)
    registered_capital: Text | None = labelled("注册资本", "Registered capital, e.g. 5亿元", None)
    employees: Integer | None = labelled("员工人数", "Number of employees", None, ge=0)
    ownership: Text | None = labelled("所有制", "Ownership, e.g. 国有控股", None)
    main_business: Text | None = labelled("主营业务", "Main business", None)
    key_people: list[RequiredText] = labelled("主要人员", "Key people and their roles", [])


def _client_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("kind", value.get("客户类型"))
        return kind if isinstance(kind, str) else None
    return getattr(value, "kind", None)


Client = Annotated[
    Annotated[PersonClient, Tag("person")] | Annotated[CompanyClient, Tag("company")],
    Discriminator(
        _client_kind,
        custom_error_type="client_kind",
        custom_error_message="kind (客户类型) must be 'person' or 'company'",
    ),
]


class RelationshipCard(InputModel):
    """客户关系卡: one contact person of the client."""

    name: RequiredText = labelled("客户姓名", "Contact person's name")
    employer: RequiredText = labelled("工作单位", "Employer")
    position: RequiredText = labelled("职位", "Position")
    address: Text = labelled("住址", "Address", "")
    phone: Text | None = labelled("联系电话", "Phone number, in quotes", None)
    email: Text | None = labelled("电子邮箱", "E-mail address", None)
    importance: Literal["重要", "一般"] = labelled("客户类别", "重要 (important) or 一般 (general)")
    notes: Text = labelled("备注", "Preferences and remarks", "")

    @model_validator(mode="after")
    def _has_contact(self) -> RelationshipCard:
        if not (self.phone or "").strip() and not (self.email or "").strip():
            raise_violations([RuleViolation((), "a card needs a phone (联系电话) or an e-mail (电子邮箱)")])
        return self


class CompositionItem(InputModel):
    """One category of a composition and its amount."""

    label: RequiredText = labelled("类别", "Category, e.g. A级客户")
    amount: Number = labelled("金额", "Amount, not negative", ge=0)


def _composition_list(label: str, description: str) -> Any:
    return labelled(label, description, None)


class Composition(InputModel):
    """客户构成分析: amounts by client grade, product and region; shares are derived."""

    unit: RequiredText = labelled("单位", "Unit of the amounts", "万元")
    sales: list[CompositionItem] | None = _composition_list("销售构成", "Amounts by client grade")
    products: list[CompositionItem] | None = _composition_list("商品构成", "Amounts by product")
    regions: list[CompositionItem] | None = _composition_list("地区构成", "Amounts by region")

    @model_validator(mode="after")
    def _amounts_usable(self) -> Composition:
        violations = []
        for key in ("sales", "products", "regions"):
            items: list[CompositionItem] | None = getattr(self, key)
            if items is None:
                continue
            if not items:
                violations.append(RuleViolation((key,), "list at least one category"))
            elif sum(item.amount for item in items) <= 0:
                violations.append(RuleViolation((key,), "amounts are all zero; shares need a total"))
            labels = [item.label for item in items]
            for index, label in enumerate(labels):
                if label in labels[:index]:
                    violations.append(RuleViolation((key, index, "label"), f"category {label!r} is listed twice"))
        raise_violations(violations)
        return self


class KanbanRow(InputModel):
    """One row of 看板管理内容表."""

    kind: RequiredText = labelled("看板分类", "e.g. 周看板 or 月看板")
    content: RequiredText = labelled("看板内容", "What the board shows")
    department: RequiredText = labelled("看板制作部门", "Department that makes it")


DEFAULT_KANBAN = (
    KanbanRow(
        kind="周看板",
        content="本周重点工作：今日工作重点、明日工作重点及本周工作重点。",
        department="客户服务部",
    ),
    KanbanRow(
        kind="月看板",
        content="本月整体工作安排及跨周的重点事项。",
        department="客户服务部",
    ),
)


class Problem(InputModel):
    """A problem found during a visit."""

    id: RequiredText = labelled("问题编号", "Unique id such as P1")
    text: RequiredText = labelled("问题描述", "What the problem is")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _PROBLEM_ID.match(value):
            raise ValueError(
                "a problem id is 1-32 letters, digits, '.', '_' or '-', starting with a "
                f"letter or digit, e.g. P1; got {value!r}"
            )
        return value


class Visit(InputModel):
    """One entry of the client visit record (访问记录)."""

    date: IsoDate = labelled("访问日期", "Date of the visit")
    mode: Literal["面谈", "电话", "电子邮件", "其他"] = labelled("访问方式", "面谈, 电话, 电子邮件 or 其他")
    place: Text = labelled("访问地点", "Where it took place", "")
    visitors: list[RequiredText] = labelled("访问人员", "The bank's visitors", min_length=1)
    attendees: list[RequiredText] = labelled("客户参与人员", "The client's attendees", [])
    purpose: RequiredText = labelled("访问目的", "Purpose of the visit")
    content: RequiredText = labelled("访问内容", "What was discussed")
    feedback: Text = labelled("客户反馈", "The client's feedback", "")
    problems: list[Problem] = labelled("发现问题", "Problems found, each with an id", [])
    follow_up: Text = labelled("后续行动", "Follow-up actions", "")


class Measure(InputModel):
    """A maintenance measure and the visit problems it answers."""

    text: RequiredText = labelled("措施内容", "The measure")
    answers: list[RequiredText] = labelled("针对问题", "Ids of the problems it answers", [])


class Indicator(InputModel):
    """One row of 客户关系评估表."""

    name: RequiredText = labelled("分析指标", "Indicator name")
    weight: Number = labelled("指标权重", "Weight in percent; all weights add up to 100", gt=0, le=100)
    score: Number = labelled("指标得分", "Score, 0 to 100", ge=0, le=100)
    grade: Literal["A", "B", "C", "D"] | None = labelled(
        "客户等级", "A, B, C or D; derived from the score when absent", None
    )
    basis: Text = labelled("得分依据", "Why this score", "")
    remark: Text = labelled("备注", "Remarks", "")


class Thresholds(InputModel):
    """Final-score thresholds of the recommendation."""

    maintain: Number = labelled("维持关系", "Final score from which to maintain", 70, ge=0, le=100)
    improve: Number = labelled("改进关系", "Final score from which to improve", 50, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.improve >= self.maintain:
            raise_violations(
                [
                    RuleViolation(
                        ("improve",),
                        f"改进关系 threshold {self.improve:g} must be below 维持关系 threshold {self.maintain:g}",
                    )
                ]
            )
        return self


class Evaluation(InputModel):
    """客户关系评估表: indicators, thresholds and an optional explicit recommendation."""

    number: RequiredText = labelled("编号", "Number of the evaluation form")
    indicators: list[Indicator] = labelled("评估指标", "Indicators, weights adding up to 100", min_length=1)
    thresholds: Thresholds = labelled("评分界限", "Recommendation thresholds", Thresholds())
    recommendation: Literal["改进关系", "维持关系", "终止关系"] | None = labelled(
        "建议", "Explicit recommendation; derived from the final score when absent", None
    )

    @model_validator(mode="after")
    def _weights_add_up(self) -> Evaluation:
        # Summed as the decimals the user typed: 33.33 x 3 is 99.99, within tolerance,
        # although the binary floats add up to a hair further away.
        total = sum((Decimal(repr(indicator.weight)) for indicator in self.indicators), Decimal(0))
        if abs(total - 100) > WEIGHT_TOLERANCE:
            raise_violations(
                [
                    RuleViolation(
                        ("indicators",),
                        f"weights (指标权重) add up to {total.normalize():f}, not 100",
                    )
                ]
            )
        return self


Sections: type[InputModel] = create_model(  # type: ignore[call-overload]
    "Sections",
    __base__=InputModel,
    __doc__="Overrides of the stock wording, by section key.",
    **{
        key: (Text | None, labelled(section.label, f"Replaces the stock wording of {section.label}", None))
        for key, section in STOCK_SECTIONS.items()
    },
)


class Plan(InputModel):
    """A whole 客户关系维护方案."""

    schema_version: Literal[1] = labelled("模式版本", "Version of this input format", SCHEMA_VERSION)
    bank: RequiredText = labelled("银行名称", "The bank; used in the title")
    title: RequiredText = labelled("文案名称", "Document name", "客户关系维护方案")
    control: ControlHeader = labelled("受控文件表头", "Controlled-document header")
    approval: Approval = labelled("审批日期", "编制/审核/批准 dates")
    revisions: list[Revision] = labelled("修改记录", "Revision log; may be empty", [])
    client: Client = labelled("客户", "The client: a person or a company")
    cards: list[RelationshipCard] = labelled("客户关系卡", "One card per contact person", min_length=1)
    composition: Composition = labelled("客户构成", "Amounts for the composition analysis", Composition())
    kanban: list[KanbanRow] = labelled("看板管理内容", "Rows of 看板管理内容表", list(DEFAULT_KANBAN), min_length=1)
    visits: list[Visit] = labelled("访问记录", "The client visit record", min_length=1)
    measures: list[Measure] = labelled("维护措施", "Maintenance measures, in order", min_length=1)
    evaluation: Evaluation = labelled("客户关系评估", "The evaluation table")
    sections: Sections = labelled("文字段落", "Overrides of the stock wording", Sections())

    @model_validator(mode="after")
    def _cross_references(self) -> Plan:
        violations: list[RuleViolation] = []
        for index, revision in enumerate(self.revisions):
            if revision.date < self.approval.approved:
                violations.append(
                    RuleViolation(
                        ("revisions", index, "date"),
                        f"修改日期 {revision.date} is before 批准日期 {self.approval.approved}",
                    )
                )
            if index and revision.date < self.revisions[index - 1].date:
                violations.append(
                    RuleViolation(
                        ("revisions", index, "date"),
                        f"修改日期 {revision.date} is before the previous revision's "
                        f"{self.revisions[index - 1].date}; list revisions in order",
                    )
                )
        seen: dict[str, tuple[int, int]] = {}
        for v_index, visit in enumerate(self.visits):
            for p_index, problem in enumerate(visit.problems):
                if problem.id in seen:
                    first = seen[problem.id]
                    violations.append(
                        RuleViolation(
                            ("visits", v_index, "problems", p_index, "id"),
                            f"problem id {problem.id!r} is already used by visits[{first[0]}].problems[{first[1]}]",
                        )
                    )
                else:
                    seen[problem.id] = (v_index, p_index)
        for m_index, measure in enumerate(self.measures):
            for a_index, problem_id in enumerate(measure.answers):
                if problem_id not in seen:
                    known = ", ".join(seen) or "none"
                    violations.append(
                        RuleViolation(
                            ("measures", m_index, "answers", a_index),
                            f"no problem has the id {problem_id!r} (known ids: {known})",
                        )
                    )
        raise_violations(violations)
        return self

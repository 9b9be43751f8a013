"""The plan: Pydantic models of the whole input contract (schema version 1).

English field names; each Chinese label of plan-spec.md is the field's title and an
accepted key. Rules that span several fields live in model validators and report the
exact path of each breach (see ``schemas.rules``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Tag, create_model, field_validator, model_validator

from plandoc.schemas.choices import CompanyKind, PersonKind, VisitMode, canonical_kind, chinese_name
from plandoc.schemas.common import (
    InputModel,
    Integer,
    IsoDate,
    OptionalInteger,
    RequiredText,
    Text,
    labelled,
)
from plandoc.schemas.composition import Composition as Composition
from plandoc.schemas.composition import CompositionData as CompositionData
from plandoc.schemas.composition import CompositionItem as CompositionItem
from plandoc.schemas.composition import CompositionSeries as CompositionSeries
from plandoc.schemas.evaluation import WEIGHT_TOLERANCE as WEIGHT_TOLERANCE
from plandoc.schemas.evaluation import Evaluation
from plandoc.schemas.rules import RuleViolation, raise_violations
from plandoc.schemas.scalars import parse_integer
from plandoc.schemas.stock_text import STOCK_SECTIONS
from plandoc.vocabulary import DOCUMENT_KIND, MONTHLY_KANBAN, WEEKLY_KANBAN

SCHEMA_VERSION = 1
SchemaVersion = Annotated[Literal[1], BeforeValidator(parse_integer)]
_KIND_DESCRIPTION = "person（个人，也可写 个人）或 company（企业，也可写 公司、企业）"
CLIENT_KINDS = ("person", "company")
"""The tags of the client union, in the order messages list them."""
_KIND_LABEL = "客户类型"
CLIENT_KIND_KEYS = ("kind", _KIND_LABEL)
"""The keys a client's kind may be written under, in the order they are looked up."""
CLIENT_KIND_ERROR = "client_kind"
"""The error type of a client whose kind chooses neither member of the union."""
_KIND_CHOICES = "或 ".join(chinese_name(kind) for kind in CLIENT_KINDS)
_KIND_CHOICES_ENGLISH = " or ".join(repr(kind) for kind in CLIENT_KINDS)
_PROBLEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


class ControlHeader(InputModel):
    """受控文件表头: the controlled-document header table."""

    status: Literal["受控", "非受控"] = labelled("受控状态", "受控 或 非受控")
    number: RequiredText = labelled("编号", "文件编号，如 KHWH-2026-001")
    executing_department: RequiredText = labelled("执行部门", "负责执行本方案的部门，如 客户服务部")
    supervising_department: RequiredText = labelled("监督部门", "负责监督执行的部门，如 市场营销部")
    verifying_department: RequiredText = labelled("考证部门", "负责考证（核查）的部门，如 稽核部")


class Approval(InputModel):
    """编制/审核/批准 dates, in that order."""

    drafted: IsoDate = labelled("编制日期", "编制日期，格式 YYYY-MM-DD")
    reviewed: IsoDate = labelled("审核日期", "审核日期，不早于编制日期")
    approved: IsoDate = labelled("批准日期", "批准日期，不早于审核日期")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Approval:
        violations = []
        if self.reviewed < self.drafted:
            violations.append(
                RuleViolation(
                    ("reviewed",),
                    f"审核日期 {self.reviewed} 早于编制日期 {self.drafted} | "
                    f"审核日期 {self.reviewed} is before 编制日期 {self.drafted}",
                )
            )
        if self.approved < self.reviewed:
            violations.append(
                RuleViolation(
                    ("approved",),
                    f"批准日期 {self.approved} 早于审核日期 {self.reviewed} | "
                    f"批准日期 {self.approved} is before 审核日期 {self.reviewed}",
                )
            )
        raise_violations(violations)
        return self


class Revision(InputModel):
    """One row of the revision log (修改记录)."""

    mark: RequiredText = labelled("修改标记", "修改标记，如 A1")
    changes: Integer = labelled("修改处数", "本次修改的处数，至少 1", ge=1)
    date: IsoDate = labelled("修改日期", "修改日期，不早于批准日期")


class _ClientBase(InputModel):
    name: RequiredText = labelled("客户名称", "客户的姓名或企业名称")
    background: Text = labelled("背景资料", "客户背景介绍，每行一段", "")


class PersonClient(_ClientBase):
    """A client who is a person."""

    kind: PersonKind = labelled(_KIND_LABEL, _KIND_DESCRIPTION)
    gender: Text | None = labelled("性别", "性别", None)
    birth_year: OptionalInteger = labelled("出生年份", "出生年份，如 1954", None, ge=1900, le=2100)
    nationality: Text | None = labelled("国籍", "国籍", None)
    education: Text | None = labelled("学历", "学历", None)
    titles: list[RequiredText] = labelled("职称", "职称，如 高级经济师", [])
    positions: list[RequiredText] = labelled("职务", "担任过的职务，按时间顺序", [])
    honours: list[RequiredText] = labelled("荣誉", "所获荣誉", [])


class CompanyClient(_ClientBase):
    """A client that is a company."""

    kind: CompanyKind = labelled(_KIND_LABEL, _KIND_DESCRIPTION)
    industry: Text | None = labelled("所属行业", "所属行业", None)
    founded: Text | None = labelled("成立时间", "成立时间，如 2003年", None)
    registered_capital: Text | None = labelled("注册资本", "注册资本，如 5亿元", None)
    employees: OptionalInteger = labelled("员工人数", "员工人数，只写数字，如 960", None, ge=0)
    ownership: Text | None = labelled("所有制", "所有制，如 国有控股、民营", None)
    main_business: Text | None = labelled("主营业务", "主营业务", None)
    key_people: list[RequiredText] = labelled("主要人员", "主要人员及其职务", [])


def client_kind_given(value: Any) -> Any:
    """The kind a client mapping was given, under either of its keys; None when it has none."""
    if not isinstance(value, dict):
        return None
    return next((value[key] for key in CLIENT_KIND_KEYS if key in value), None)


def client_kind_problem(given: object) -> str:
    """The message for a client whose kind is missing (``None``) or names neither kind."""
    if given is None:
        return f"缺少{_KIND_LABEL} kind：{_KIND_CHOICES} | missing kind ({_KIND_LABEL}): {' or '.join(CLIENT_KINDS)}"
    return (
        f"{_KIND_LABEL} kind 应为 {_KIND_CHOICES}，实际为「{given}」 | "
        f"kind ({_KIND_LABEL}) must be {_KIND_CHOICES_ENGLISH}, got {given!r}"
    )


def _client_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = canonical_kind(client_kind_given(value))
        return kind if isinstance(kind, str) else None
    return getattr(value, "kind", None)


_PERSON, _COMPANY = CLIENT_KINDS
Client = Annotated[
    Annotated[PersonClient, Tag(_PERSON)] | Annotated[CompanyClient, Tag(_COMPANY)],
    Discriminator(
        _client_kind,
        custom_error_type=CLIENT_KIND_ERROR,
        custom_error_message=(
            f"{_KIND_LABEL} kind 应为 {_KIND_CHOICES} | kind ({_KIND_LABEL}) must be {_KIND_CHOICES_ENGLISH}"
        ),
    ),
]


class RelationshipCard(InputModel):
    """客户关系卡: one contact person of the client."""

    name: RequiredText = labelled("客户姓名", "联系人姓名")
    employer: RequiredText = labelled("工作单位", "工作单位")
    position: RequiredText = labelled("职位", "职位")
    address: Text = labelled("住址", "住址", "")
    phone: Text | None = labelled("联系电话", '联系电话，请加引号，如 "010-12345678"', None)
    email: Text | None = labelled("电子邮箱", "电子邮箱", None)
    importance: Literal["重要", "一般"] = labelled("客户类别", "重要 或 一般：重要客户单独建卡、专人管理")
    notes: Text = labelled("备注", "偏好与备注", "")

    @model_validator(mode="after")
    def _has_contact(self) -> RelationshipCard:
        if not (self.phone or "").strip() and not (self.email or "").strip():
            raise_violations(
                [
                    RuleViolation(
                        (),
                        "客户关系卡至少要有联系电话或电子邮箱 | "
                        "a card needs a phone (联系电话) or an e-mail (电子邮箱)",
                    )
                ]
            )
        return self


class KanbanRow(InputModel):
    """One row of 看板管理内容表."""

    kind: RequiredText = labelled("看板分类", "看板分类，如 周看板、月看板")
    content: RequiredText = labelled("看板内容", "看板展示的内容")
    department: RequiredText = labelled("看板制作部门", "制作看板的部门")


DEFAULT_KANBAN = (
    KanbanRow.model_construct(
        kind=WEEKLY_KANBAN,
        content="本周重点工作：今日工作重点、明日工作重点及本周工作重点。",
        department="客户服务部",
    ),
    KanbanRow.model_construct(
        kind=MONTHLY_KANBAN,
        content="本月整体工作安排及跨周的重点事项。",
        department="客户服务部",
    ),
)


class Problem(InputModel):
    """A problem found during a visit."""

    id: RequiredText = labelled("问题编号", "问题编号，全方案唯一，如 P1")
    text: RequiredText = labelled("问题描述", "问题描述")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _PROBLEM_ID.match(value):
            raise ValueError(
                f"问题编号由 1 至 32 个字母、数字或 . _ - 组成，以字母或数字开头，如 P1；实际为「{value}」 | "
                "a problem id is 1-32 letters, digits, '.', '_' or '-', starting with a "
                f"letter or digit, e.g. P1; got {value!r}"
            )
        return value


class Visit(InputModel):
    """One entry of the client visit record (访问记录)."""

    date: IsoDate = labelled("访问日期", "访问日期")
    mode: VisitMode = labelled("访问方式", "访问方式：面谈、电话、电子邮件 或 其他")
    place: Text = labelled("访问地点", "访问地点", "")
    visitors: list[RequiredText] = labelled("访问人员", "本行参加访问的人员", min_length=1)
    attendees: list[RequiredText] = labelled("客户参与人员", "客户方参加人员", [])
    purpose: RequiredText = labelled("访问目的", "访问目的")
    content: RequiredText = labelled("访问内容", "访问中讨论的内容")
    feedback: Text = labelled("客户反馈", "客户的反馈意见", "")
    problems: list[Problem] = labelled("发现问题", "访问中发现的问题，每个问题有编号", [])
    follow_up: Text = labelled("后续行动", "后续行动", "")


class Measure(InputModel):
    """A maintenance measure and the visit problems it answers."""

    text: RequiredText = labelled("措施内容", "维护措施的内容")
    answers: list[RequiredText] = labelled("针对问题", "本措施针对的问题编号，如 [P1, P2]", [])


Sections: type[InputModel] = create_model(  # type: ignore[call-overload]
    "Sections",
    __base__=InputModel,
    __doc__="Overrides of the stock wording, by section key.",
    **{
        key: (Text | None, labelled(section.label, f"替换“{section.label}”一节的默认文字", None))
        for key, section in STOCK_SECTIONS.items()
    },
)


class Plan(InputModel):
    """A whole 客户关系维护方案."""

    schema_version: SchemaVersion = labelled("模式版本", "输入格式的版本，目前为 1", SCHEMA_VERSION)
    bank: RequiredText = labelled("银行名称", "银行名称，用于标题：{银行名称}客户关系维护方案")
    title: RequiredText = labelled("文案名称", f"文案名称，默认 {DOCUMENT_KIND}", DOCUMENT_KIND)
    control: ControlHeader = labelled("受控文件表头", "受控文件表头")
    approval: Approval = labelled("审批日期", "编制、审核、批准日期")
    revisions: list[Revision] = labelled("修改记录", "修改记录，可以为空", [])
    client: Client = labelled("客户", "客户：个人或企业")
    cards: list[RelationshipCard] = labelled("客户关系卡", "客户关系卡，每位联系人一张", min_length=1)
    composition: Composition = labelled(
        "客户构成", "客户构成分析所用的金额，占比由程序计算", Composition.model_construct()
    )
    kanban: list[KanbanRow] = labelled(
        "看板管理内容", "看板管理内容表，至少含周看板和月看板", list(DEFAULT_KANBAN), min_length=1
    )
    visits: list[Visit] = labelled("访问记录", "客户访问记录，每次访问一条", min_length=1)
    measures: list[Measure] = labelled("维护措施", "客户关系维护措施，按顺序编号", min_length=1)
    evaluation: Evaluation = labelled("客户关系评估", "客户关系评估表")
    sections: Sections = labelled(
        "文字段落", "替换各节默认文字（请结合本客户撰写，不要照抄范例）", Sections.model_construct()
    )

    @model_validator(mode="after")
    def _cross_references(self) -> Plan:
        violations: list[RuleViolation] = []
        for index, revision in enumerate(self.revisions):
            if revision.date < self.approval.approved:
                violations.append(
                    RuleViolation(
                        ("revisions", index, "date"),
                        f"修改日期 {revision.date} 早于批准日期 {self.approval.approved} | "
                        f"修改日期 {revision.date} is before 批准日期 {self.approval.approved}",
                    )
                )
            if index and revision.date < self.revisions[index - 1].date:
                violations.append(
                    RuleViolation(
                        ("revisions", index, "date"),
                        f"修改日期 {revision.date} 早于上一条修改记录的 {self.revisions[index - 1].date}，"
                        "请按顺序列出 | "
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
                            f"问题编号「{problem.id}」已被 visits[{first[0]}].problems[{first[1]}] 使用 | "
                            f"problem id {problem.id!r} is already used by visits[{first[0]}].problems[{first[1]}]",
                        )
                    )
                else:
                    seen[problem.id] = (v_index, p_index)
        for m_index, measure in enumerate(self.measures):
            for a_index, problem_id in enumerate(measure.answers):
                if problem_id not in seen:
                    known = ", ".join(seen) or "-"
                    violations.append(
                        RuleViolation(
                            ("measures", m_index, "answers", a_index),
                            f"没有编号为「{problem_id}」的问题（已有编号：{known}） | "
                            f"no problem has the id {problem_id!r} (known ids: {known})",
                        )
                    )
        raise_violations(violations)
        return self

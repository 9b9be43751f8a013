"""The enumerations of the input: each canonical value and the words a user may write for it.

Every enumeration accepts its Chinese words (``kind: 个人`` as well as ``kind: person``);
the model stores the canonical value, and messages list the choices in Chinese.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, WithJsonSchema

from plandoc.schemas.scalars import null_word_to_none, synonyms
from plandoc.vocabulary import CHART_KIND_NAMES, CLIENT_KIND_LABELS, GRADES, ChartKind, Grade

NO_CHART = "不画图"
"""The Chinese word for a composition drawn without a chart (``none``)."""
PERSON_LABEL, COMPANY_LABEL = CLIENT_KIND_LABELS

CHINESE_NAMES: dict[str, str] = {
    "person": "个人",
    "company": "公司",
    **{str(kind): name for kind, name in CHART_KIND_NAMES.items()},
    "none": NO_CHART,
}
"""The Chinese word shown in messages for each English canonical value."""

CLIENT_KIND_WORDS = {
    "个人": "person",
    PERSON_LABEL: "person",
    "公司": "company",
    "企业": "company",
    COMPANY_LABEL: "company",
}
CHART_WORDS = {**{name: kind for kind, name in CHART_KIND_NAMES.items()}, NO_CHART: "none", "无": "none"}
VISIT_MODE_WORDS = {"邮件": "电子邮件", "电邮": "电子邮件"}
GRADE_WORDS = {"a": "A", "b": "B", "c": "C", "d": "D"}


def canonical_kind(value: object) -> object:
    """The canonical client kind (person, company) of what the user wrote, else the value itself."""
    return CLIENT_KIND_WORDS.get(value.strip(), value.strip()) if isinstance(value, str) else value


def chinese_name(value: str) -> str:
    """``饼图（pie）`` for an English canonical value, the value itself for a Chinese one."""
    chinese = CHINESE_NAMES.get(value)
    return f"{chinese}（{value}）" if chinese else value


def _accepted(values: tuple[str, ...], words: dict[str, str], *, optional: bool = False) -> WithJsonSchema:
    enum = {"type": "string", "enum": [*values, *(word for word, value in words.items() if value in values)]}
    return WithJsonSchema({"anyOf": [enum, {"type": "null"}]} if optional else enum)


ChartChoice = Literal[ChartKind, "none"]
"""A chart kind (pie: 饼图, bar: 条形图), or none: 不画图."""
_CHART_KINDS: tuple[str, ...] = get_args(ChartChoice)
Chart = Annotated[ChartChoice, BeforeValidator(synonyms(CHART_WORDS)), _accepted(_CHART_KINDS, CHART_WORDS)]
OptionalChart = Annotated[
    ChartChoice | None,
    BeforeValidator(synonyms(CHART_WORDS)),
    BeforeValidator(null_word_to_none),
    _accepted(_CHART_KINDS, CHART_WORDS, optional=True),
]
PersonKind = Annotated[Literal["person"], BeforeValidator(canonical_kind), _accepted(("person",), CLIENT_KIND_WORDS)]
CompanyKind = Annotated[Literal["company"], BeforeValidator(canonical_kind), _accepted(("company",), CLIENT_KIND_WORDS)]
_VISIT_MODES = ("面谈", "电话", "电子邮件", "其他")
VisitMode = Annotated[
    Literal["面谈", "电话", "电子邮件", "其他"],
    BeforeValidator(synonyms(VISIT_MODE_WORDS)),
    _accepted(_VISIT_MODES, VISIT_MODE_WORDS),
]
OptionalGrade = Annotated[
    Grade | None,
    BeforeValidator(synonyms(GRADE_WORDS)),
    BeforeValidator(null_word_to_none),
    _accepted(GRADES, GRADE_WORDS, optional=True),
]

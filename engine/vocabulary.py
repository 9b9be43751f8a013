"""Every word the document prints and the checker looks for, spelled once.

The template builder, the render context and the derive stage print these words; the
checker (``plandoc check``) recognises a plan by them. Both import them from here, so
the two cannot drift. A leaf module: it imports nothing from plandoc.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

DOCUMENT_KIND = "客户关系维护方案"
"""The end of every plan's title; the checker finds the title by it."""

# The six sections and their sub-titles, in printed order.
SECTION_TITLES = (
    "一、客户关系维护的对象和目的",
    "二、客户关系卡的制作和使用",
    "三、客户关系维护工作开展的方式",
    "四、维护同客户良好关系的措施",
    "五、客户关系评估",
    "六、客户评估结果的使用",
)
OBJECTS_SUBTITLES = ("（一）对象", "（二）目的", "（三）客户构成分析")
CARD_SUBTITLES = (
    "（一）客户关系卡的制作",
    "（二）客户关系卡的管理",
    "（三）客户关系卡的使用",
    "（四）客户关系卡的更新",
)
MEASURE_ANSWERS = "针对问题"
"""A measure cites the problems it answers: 1．…（针对问题：P1、P2）."""
MEASURE_SUBTITLES = ("（一）保持与客户的日常沟通", "（二）建立客户访问制度", "（三）客户关系维护的措施")
RESULT_USE_SUBTITLES = ("（一）评估结果的汇总与报送", "（二）评估结果的反馈与改进")

# The controlled-document header table.
DOCUMENT_NAME = "文案名称"
CONTROL_STATUS = "受控状态"
DOCUMENT_NUMBER = "编　号"
EXECUTING_DEPARTMENT = "执行部门"
SUPERVISING_DEPARTMENT = "监督部门"
VERIFYING_DEPARTMENT = "考证部门"
HEADER_TABLE_LABELS = (
    DOCUMENT_NAME,
    CONTROL_STATUS,
    DOCUMENT_NUMBER,
    EXECUTING_DEPARTMENT,
    SUPERVISING_DEPARTMENT,
    VERIFYING_DEPARTMENT,
)
COVER_LABELS = ("客户", "编号", "执行部门", "编制日期")
"""The cover's detail lines, each followed by ``：`` and its value."""

# The composition analyses (一、（三）).
ChartKind = Literal["pie", "bar"]
"""The charts a composition analysis can draw."""
CHART_KIND_NAMES: dict[ChartKind, str] = {"pie": "饼图", "bar": "条形图"}


class CompositionKind(NamedTuple):
    """One of the three composition analyses: its input key, name, printed heading and section."""

    key: Literal["sales", "products", "regions"]
    name: str
    """The analysis's name: the chart title and the plan file's Chinese key."""
    heading: str
    """The heading printed above the analysis (after its number)."""
    section: str
    """The key of its overridable wording under ``sections:``."""


COMPOSITION_KINDS = (
    CompositionKind("sales", "销售构成", "销售构成", "sales_analysis"),
    CompositionKind("products", "商品构成", "商品构成", "products_analysis"),
    CompositionKind("regions", "地区构成", "地区构成分析", "regions_analysis"),
)
CATEGORY = "类别"
SHARE = "占比"
TOTAL = "合计"
AMOUNT_PREFIX = "金额（"
"""The amount column is headed 金额（unit）."""


def amount_header(unit: str) -> str:
    """The amount column's header and the chart's series name: 金额（万元）."""
    return f"{AMOUNT_PREFIX}{unit}）"


COMPOSITION_TABLE_LABELS = (CATEGORY, SHARE, TOTAL)

# 二: the client relationship cards.
CARD_CAPTION = "客户关系卡"
"""Each card's caption is 客户关系卡（name）."""
CARD_LABELS = ("客户姓名", "职位", "工作单位", "住址", "联系电话", "电子邮箱", "客户类别", "备注")
IMPORTANCE_SUFFIX = "客户"
"""A card's 客户类别 prints its importance with this suffix: 重要客户."""

# 三: the kanban table.
KANBAN_CAPTION = "看板管理内容表"
KANBAN_LABELS = ("看板分类", "看板内容", "看板制作部门")
WEEKLY_KANBAN = "周看板"
MONTHLY_KANBAN = "月看板"
REQUIRED_KANBAN_KINDS = (WEEKLY_KANBAN, MONTHLY_KANBAN)
"""The kanban rows every plan has (the starting rows of a new plan); the checker asks for both."""

# 五: the evaluation table.
EVALUATION_CAPTION = "客户关系评估表"
EVALUATION_HEADING_LABELS = ("客户名称", "编号")
"""The line above the evaluation table: 客户名称：…　　编号：…."""
INDICATOR = "分析指标"
WEIGHT = "指标权重"
SCORE = "指标得分"
GRADE = "客户等级"
EVALUATION_COLUMNS = (INDICATOR, WEIGHT, SCORE, GRADE, "得分依据", "备注")
EVALUATION_RESULT = "评估结果"
FINAL_SCORE = "最终得分"
RECOMMENDATION = "建议"
EVALUATION_ROW_LABELS = (TOTAL, EVALUATION_RESULT, RECOMMENDATION)
Recommendation = Literal["改进关系", "维持关系", "终止关系"]
RECOMMENDATIONS: tuple[Recommendation, ...] = get_args(Recommendation)
"""The three options of 建议, in printed order. By the final score: at or above the
维持关系 threshold maintain, at or above the 改进关系 threshold improve, below it end."""
IMPROVE, MAINTAIN, END = RECOMMENDATIONS
CHECKED_BOX = "☑"
EMPTY_BOX = "☐"
Grade = Literal["A", "B", "C", "D"]
"""客户等级: A ≥ 90 > B ≥ 75 > C ≥ 60 > D."""
GRADES: tuple[Grade, ...] = get_args(Grade)

# The approval and revision table.
APPROVAL_LABELS = ("编制日期", "审核日期", "批准日期")
REVISION_LABELS = ("修改标记", "修改处数", "修改日期")

# The appendix.
APPENDIX_TITLE = "附件：客户访问记录"
APPENDIX_PREFIX = "附件"
APPENDIX_SUBTITLES = ("一、背景资料", "二、访问记录", "三、问题与措施对照")
CLIENT_KIND_LABELS = ("个人客户", "企业客户")
"""A person client's kind, a company client's kind."""
PERSON_FACT_LABELS = ("姓名", "性别", "出生年份", "国籍", "学历", "职称", "任职经历", "荣誉")
COMPANY_FACT_LABELS = ("企业名称", "所属行业", "成立时间", "注册资本", "员工人数", "所有制", "主营业务", "主要人员")
VISIT_LABELS = (
    "访问日期",
    "访问方式",
    "访问地点",
    "访问人员",
    "客户参与人员",
    "访问目的",
    "访问内容",
    "客户反馈",
    "发现问题",
    "后续行动",
)
PROBLEM_TABLE_LABELS = ("问题编号", "问题描述", "发现日期", "对应措施")
MEASURE_PREFIX = "措施"
"""The problem table cites the measures that answer a problem as 措施1、措施3."""
NO_MEASURE = "尚无对应措施"
NO_PROBLEMS = "各次访问均未发现需要跟进的问题。"

TABLE_LABELS = (
    *HEADER_TABLE_LABELS,
    *COMPOSITION_TABLE_LABELS,
    *CARD_LABELS,
    *KANBAN_LABELS,
    *EVALUATION_COLUMNS,
    *EVALUATION_ROW_LABELS,
    *APPROVAL_LABELS,
    *REVISION_LABELS,
    *PROBLEM_TABLE_LABELS,
    *VISIT_LABELS,
    *PERSON_FACT_LABELS,
    *COMPANY_FACT_LABELS,
)
"""Every label a table of the document prints (the amount header aside, which carries the unit)."""

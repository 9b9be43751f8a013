"""The stock wording of every section of the plan: defaults a user overrides under ``sections:``.

The brief forbids copying stock wording verbatim, so this text is deliberately generic:
it states what each section is for, and a user replaces it with words written for one
client. Paragraphs are separated by a blank line; ``paragraphs`` is the one rule that
splits any section text (stock or the user's) into the paragraphs printed and checked.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple


class StockSection(NamedTuple):
    """One overridable section: its Chinese label and its default wording."""

    label: str
    text: str


STOCK_SECTIONS: MappingProxyType[str, StockSection] = MappingProxyType(
    {
        "objects": StockSection(
            "对象",
            "客户关系维护的对象是与本行已建立业务关系的现有客户，这是维护工作的重点；"
            "同时兼顾未来客户和潜在客户，为其日后与本行建立业务关系创造条件。",
        ),
        "purposes": StockSection(
            "目的",
            "通过有计划、有步骤的维护工作，巩固和发展本行与客户之间的合作关系，"
            "保障双方的共同利益，实现银行与客户的互利共赢。",
        ),
        "composition_intro": StockSection(
            "客户构成分析",
            "客户构成分析以本行与客户的业务数据为依据，从销售、商品和地区三个方面"
            "计算各类别在总额中所占的比重，作为确定维护重点的依据。",
        ),
        "sales_analysis": StockSection(
            "销售构成",
            "按客户等级统计各级客户在本行业务总额中的占比，据此确定营销工作的重点客户群。",
        ),
        "products_analysis": StockSection(
            "商品构成",
            "按产品统计各类产品在业务总额中的占比，据此确定面向该客户推广的重点产品。",
        ),
        "regions_analysis": StockSection(
            "地区构成分析",
            "按地区统计业务在各地区的分布，从中发现经营中存在的问题并提出相应对策。",
        ),
        "card_making": StockSection(
            "客户关系卡的制作",
            "客户关系卡记录客户的基本信息，包括客户姓名、工作单位、职位、住址、"
            "联系方式、个人偏好及与本行往来的要点，由客户经理在首次接触后建立。",
        ),
        "card_management": StockSection(
            "客户关系卡的管理",
            "客户关系卡实行差异化管理：重要客户单独建卡、专人管理、重点维护；一般客户统一建卡、分类管理、定期维护。",
        ),
        "card_usage": StockSection(
            "客户关系卡的使用",
            "1．保证客户关系卡内容的准确性、有效性和及时性，作为开展服务的依据。\n\n"
            "2．依据客户关系卡定期回访客户，并有针对性地推介本行的产品和服务。",
        ),
        "card_updating": StockSection(
            "客户关系卡的更新",
            "客户信息发生变化时及时更新客户关系卡，每季度至少全面核对一次，确保信息现行有效。",
        ),
        "maintenance_approach": StockSection(
            "客户关系维护工作开展的方式",
            "客户关系维护工作采用看板管理的方式开展，将维护工作的安排和进度公开展示，"
            "便于各部门协同推进和检查落实。看板管理的内容见下表。",
        ),
        "communication": StockSection(
            "沟通方式",
            "通过电话、电子邮件和面谈等方式与客户保持经常性的沟通，及时了解客户需求的变化。",
        ),
        "visit_system": StockSection(
            "访问制度",
            "建立客户访问制度，将针对特定客户的专项访问与面向全体客户的巡回访问相结合。",
        ),
        "measures_intro": StockSection(
            "客户关系维护的措施",
            "针对客户访问记录中发现的问题，制定以下维护措施：",
        ),
        "evaluation_intro": StockSection(
            "客户关系评估",
            "按下表所列指标对客户关系进行评估，根据加权得分确定客户关系的处理建议。",
        ),
        "result_summary": StockSection(
            "评估结果的汇总与报送",
            "客户服务人员汇总客户关系评估结果，并将副本报送营销总监、营销经理及相关部门。",
        ),
        "result_feedback": StockSection(
            "评估结果的反馈与改进",
            "相关部门对评估结果提出反馈意见，营销部门据此拟定客户关系的改进措施。",
        ),
    }
)


def paragraphs(text: str) -> tuple[str, ...]:
    """Split a section text into paragraphs: every non-blank line is one paragraph.

    Chinese prose is not hard-wrapped, so a line break in the input marks a new paragraph;
    blank lines between paragraphs are allowed and ignored.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(line.strip() for line in lines if line.strip())

"""The stock wording of every section of the plan: defaults a user overrides under ``sections:``.

The brief forbids copying stock wording verbatim, so this text is deliberately generic:
it states what each section is for, and a user replaces it with words written for one
client. Paragraphs are separated by a blank line; ``paragraphs`` is the one rule that
splits any section text (stock or the user's) into the paragraphs printed and checked.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from plandoc.vocabulary import COMPOSITION_KINDS


class StockSection(NamedTuple):
    """One overridable section: its Chinese label and its default wording."""

    label: str
    text: str


_SALES, _PRODUCTS, _REGIONS = COMPOSITION_KINDS

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
            _SALES.heading,
            "按客户等级统计各级客户在本行业务总额中的占比，据此确定营销工作的重点客户群。",
        ),
        "products_analysis": StockSection(
            _PRODUCTS.heading,
            "按产品统计各类产品在业务总额中的占比，据此确定面向该客户推广的重点产品。",
        ),
        "regions_analysis": StockSection(
            _REGIONS.heading,
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


GUIDE_PREFIX = "（请结合本客户改写）"
"""How every guiding text of ``plandoc init`` starts, so that a section left as the starter wrote it is told apart."""

SECTION_GUIDES: MappingProxyType[str, str] = MappingProxyType(
    {
        "objects": "写明本方案维护的对象：这位客户是谁，哪些人是维护的重点，哪些是未来或潜在客户。",
        "purposes": "写明维护这位客户关系要达到的目的：巩固哪些合作，保障双方的哪些利益。",
        "composition_intro": "写明客户构成分析所用数据的来源和期间，以及分析要回答的问题。",
        "sales_analysis": "根据销售构成的占比，写明本行对这位客户的营销重点。",
        "products_analysis": "根据商品构成的占比，写明向这位客户重点推荐的产品。",
        "regions_analysis": "根据地区构成的占比，写明发现的问题和对策。",
        "card_making": "写明为这位客户的哪些联系人建卡，卡上记录哪些信息。",
        "card_management": "写明这位客户的关系卡按重要客户还是一般客户管理，由谁维护、多久复核。",
        "card_usage": "写明如何使用关系卡：保证准确、有效、及时，并据此安排回访和推介。",
        "card_updating": "写明客户信息变化时由谁、在多长时间内更新关系卡。",
        "maintenance_approach": "写明本行如何用看板管理推进对这位客户的维护工作。",
        "communication": "写明与这位客户用电话、电子邮件、面谈沟通的具体安排。",
        "visit_system": "写明对这位客户的定期访问和专项访问如何安排。",
        "measures_intro": "用一句话引出下面针对访问中发现的问题所定的措施。",
        "evaluation_intro": "写明从哪些方面评估与这位客户的关系。",
        "result_summary": "写明由谁汇总评估结果，报送给哪些领导和部门。",
        "result_feedback": "写明各部门如何反馈，营销部门如何据此拟定改进措施。",
    }
)
"""The short guiding text ``plandoc init`` writes for every section; validate and render warn while it is there."""


def starter_guide(key: str) -> str:
    """The text ``plandoc init`` writes for the section ``key``: the guide after its marker."""
    return f"{GUIDE_PREFIX}{SECTION_GUIDES[key]}"


def paragraphs(text: str) -> tuple[str, ...]:
    """Split a section text into paragraphs: every non-blank line is one paragraph.

    Chinese prose is not hard-wrapped, so a line break in the input marks a new paragraph;
    blank lines between paragraphs are allowed and ignored.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(line.strip() for line in lines if line.strip())

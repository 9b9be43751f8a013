"""Find the document's elements (titles, headings, body, tables) by text and outline level.

Hand-written documents use any style names, so elements are recognised the way a reader
recognises them: the title is the paragraph naming the plan, a heading is short and
numbered 一、 （一） 1． (or carries an outline level), and paragraphs in tables are table
text, their labels the known column and row names. After 附件, headings sit one level
lower, as in the appendix of the plan.
"""

from __future__ import annotations

import re

from plandoc.check.reading import Block

TITLE_SUFFIX = "客户关系维护方案"
_LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")
_LEVEL_3 = re.compile(r"^\d+[．.、]")
_SENTENCE = re.compile(r"[。；！？]")
TABLE_LABELS = frozenset(
    [
        "文案名称",
        "受控状态",
        "编号",
        "执行部门",
        "监督部门",
        "考证部门",
        "类别",
        "占比",
        "合计",
        "客户姓名",
        "职位",
        "工作单位",
        "住址",
        "联系电话",
        "电子邮箱",
        "客户类别",
        "备注",
        "看板分类",
        "看板内容",
        "看板制作部门",
        "分析指标",
        "指标权重",
        "指标得分",
        "客户等级",
        "得分依据",
        "评估结果",
        "建议",
        "编制日期",
        "审核日期",
        "批准日期",
        "修改标记",
        "修改处数",
        "修改日期",
        "问题编号",
        "问题描述",
        "发现日期",
        "对应措施",
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
        "姓名",
        "性别",
        "出生年份",
        "国籍",
        "学历",
        "职称",
        "任职经历",
        "荣誉",
        "企业名称",
        "所属行业",
        "成立时间",
        "注册资本",
        "员工人数",
        "所有制",
        "主营业务",
        "主要人员",
    ]
)


def compact(text: str) -> str:
    """Text without any kind of space, for comparing labels such as 编　号 and 编号."""
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


def _heading_level(block: Block) -> int | None:
    text = block.text.strip()
    outline = block.formatting.outline_level
    if outline is not None and outline <= 2:
        return outline + 1
    if len(text) > 30 or _SENTENCE.search(text):
        return None
    for level, pattern in ((1, _LEVEL_1), (2, _LEVEL_2), (3, _LEVEL_3)):
        if pattern.match(text):
            return level
    return None


def classify(blocks: tuple[Block, ...]) -> dict[int, str]:
    """The element key (as in the style profile) of every non-empty paragraph, by number."""
    elements: dict[int, str] = {}
    title: str | None = None
    seen_content_title = False
    in_appendix = False
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.table is not None:
            label = compact(text)
            elements[block.number] = (
                "table_label" if label in TABLE_LABELS or label.startswith("金额（") else "table_text"
            )
            continue
        if title is None and text.endswith(TITLE_SUFFIX):
            title = text
            elements[block.number] = "cover_title"
            continue
        if title is not None and not seen_content_title:
            if text == title:
                seen_content_title = True
                elements[block.number] = "content_title"
            else:
                elements[block.number] = "cover_details"
            continue
        if text.startswith("附件"):
            in_appendix = True
            elements[block.number] = "heading_1"
            continue
        level = _heading_level(block)
        if level is not None:
            level = min(level + (1 if in_appendix and block.formatting.outline_level is None else 0), 3)
            elements[block.number] = f"heading_{level}"
        elif (text.endswith("表") and len(text) <= 20) or text.startswith("客户关系卡（"):
            elements[block.number] = "table_caption"
        else:
            elements[block.number] = "body"
    return elements

"""The style profile: typography of each document element and the required structure.

One profile type drives both what plandoc renders and what ``plandoc check`` judges, so
the two cannot disagree. Sizes are points or Chinese size names (字号).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Annotated, Literal, NamedTuple

from pydantic import BeforeValidator, Field, field_validator

from plandoc.schemas.check_rules import Level, SeverityLevel, rule_key
from plandoc.schemas.common import InputModel, RequiredText, labelled
from plandoc.schemas.evaluation import Thresholds
from plandoc.vocabulary import HEADER_TABLE_LABELS, SECTION_TITLES

CHINESE_FONT_SIZES: MappingProxyType[str, float] = MappingProxyType(
    {
        "初号": 42,
        "小初": 36,
        "一号": 26,
        "小一": 24,
        "二号": 22,
        "小二": 18,
        "三号": 16,
        "小三": 15,
        "四号": 14,
        "小四": 12,
        "五号": 10.5,
        "小五": 9,
        "六号": 7.5,
        "小六": 6.5,
        "七号": 5.5,
        "八号": 5,
    }
)
_POINTS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:pt|磅)?\s*$")
_SPACING = re.compile(
    r"^\s*(exact|exactly|at least|atleast|固定值|最小值)\s*(\d+(?:\.\d+)?)\s*(?:pt|磅)?\s*$",
    re.IGNORECASE,
)


def _parse_size(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a size such as 12, '10.5pt' or a name such as 小四")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        name = value.strip()
        if name in CHINESE_FONT_SIZES:
            return CHINESE_FONT_SIZES[name]
        match = _POINTS.match(name)
        if match:
            return float(match.group(1))
        names = "、".join(CHINESE_FONT_SIZES)
        raise ValueError(
            f"未知的字号 {value!r}，请写磅值（如 12 或 '10.5pt'）或 {names} 之一 | "
            f"unknown size {value!r}: give points (e.g. 12 or '10.5pt') or one of {names}"
        )
    return value


FontSize = Annotated[float, BeforeValidator(_parse_size), Field(gt=0, le=400)]


class LineSpacing(NamedTuple):
    """Line spacing as OOXML states it: a multiple of single (auto) or a fixed/minimum height."""

    rule: Literal["auto", "exact", "atLeast"]
    value: float
    """A multiple for ``auto``, points for ``exact`` and ``atLeast``."""

    def describe(self) -> str:
        """Say it the way a brief does: 1.5倍, 固定值20磅, 最小值20磅."""
        if self.rule == "auto":
            return f"{self.value:g}倍行距"
        return f"{'固定值' if self.rule == 'exact' else '最小值'}{self.value:g}磅"


def _parse_spacing(value: object) -> object:
    if isinstance(value, LineSpacing):
        return value
    if isinstance(value, bool):
        raise ValueError(
            "应为倍数（如 1.5），或固定值/最小值（'exact 20pt' / 'at least 20pt'） | "
            "expected a multiple such as 1.5, or 'exact 20pt' / 'at least 20pt'"
        )
    if isinstance(value, int | float):
        return LineSpacing("auto", float(value))
    if isinstance(value, str):
        text = value.strip().removesuffix("倍")
        match = _POINTS.match(text)
        if match and not text.endswith(("pt", "磅")):
            return LineSpacing("auto", float(match.group(1)))
        match = _SPACING.match(value)
        if match:
            kind = match.group(1).lower()
            if kind in ("exact", "exactly", "固定值"):
                return LineSpacing("exact", float(match.group(2)))
            return LineSpacing("atLeast", float(match.group(2)))
    raise ValueError(
        f"未知的行距 {value!r}，请写倍数（1.5）或 'exact 20pt' / 'at least 20pt' | "
        f"unknown line spacing {value!r}: give a multiple (1.5) or 'exact 20pt' / 'at least 20pt'"
    )


Spacing = Annotated[LineSpacing, BeforeValidator(_parse_spacing)]


def _parse_points(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("应为磅值，如 6 或 '6pt' | expected points such as 6 or '6pt'")
    if isinstance(value, str):
        match = _POINTS.match(value)
        if not match:
            raise ValueError(
                f"未知的间距 {value!r}，请写磅值，如 6 或 '6pt' | "
                f"unknown spacing {value!r}: give points, e.g. 6 or '6pt'"
            )
        return float(match.group(1))
    return value


Points = Annotated[float, BeforeValidator(_parse_points), Field(ge=0, le=200)]
Alignment = Literal["left", "center", "right", "justify"]


_ALIGNMENTS = {"左对齐": "left", "居中": "center", "右对齐": "right", "两端对齐": "justify"}


def _parse_alignment(value: object) -> object:
    return _ALIGNMENTS.get(value, value) if isinstance(value, str) else value


AlignmentValue = Annotated[Alignment, BeforeValidator(_parse_alignment)]


class ElementStyle(InputModel):
    """Typography of one document element."""

    east_asian_font: RequiredText = labelled("中文字体", "中文文字所用字体（w:eastAsia），如 宋体")
    latin_font: RequiredText = labelled("西文字体", "西文和数字所用字体，如 Times New Roman", "Times New Roman")
    size: FontSize = labelled("字号", "磅值（12、'10.5pt'）或字号名称（二号、小四……）")
    bold: bool = labelled("加粗", "是否加粗", False)
    alignment: AlignmentValue = labelled(
        "对齐方式", "左对齐、居中、右对齐、两端对齐（或 left、center、right、justify）", "justify"
    )
    line_spacing: Spacing = labelled(
        "行距", "行距倍数（1.5），或固定值（'exact 20pt'）、最小值（'at least 20pt'）", LineSpacing("auto", 1.5)
    )
    first_line_indent_chars: float = labelled("首行缩进", "首行缩进的字符数", 0, ge=0, le=10)
    space_before: Points = labelled("段前", "段前间距（磅），如 9 或 '9pt'", 0)


class ElementOverride(InputModel):
    """Part of an element's typography, to change in the default profile."""

    east_asian_font: RequiredText | None = labelled("中文字体", "中文文字所用字体（w:eastAsia），如 宋体", None)
    latin_font: RequiredText | None = labelled("西文字体", "西文和数字所用字体，如 Times New Roman", None)
    size: FontSize | None = labelled("字号", "磅值（12、'10.5pt'）或字号名称（二号、小四……）", None)
    bold: bool | None = labelled("加粗", "是否加粗", None)
    alignment: AlignmentValue | None = labelled(
        "对齐方式", "左对齐、居中、右对齐、两端对齐（或 left、center、right、justify）", None
    )
    line_spacing: Spacing | None = labelled(
        "行距", "行距倍数（1.5），或固定值（'exact 20pt'）、最小值（'at least 20pt'）", None
    )
    first_line_indent_chars: float | None = labelled("首行缩进", "首行缩进的字符数", None, ge=0, le=10)
    space_before: Points | None = labelled("段前", "段前间距（磅），如 9 或 '9pt'", None)


ELEMENT_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        "cover_title": "封面标题",
        "cover_details": "封面信息",
        "content_title": "正文标题",
        "heading_1": "一级标题",
        "heading_2": "二级标题",
        "heading_3": "三级标题",
        "body": "正文",
        "table_caption": "表格标题",
        "table_text": "表格文字",
        "table_label": "表格栏目名",
        "footer": "页脚",
    }
)


def _style(
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: Alignment = "justify",
    spacing: float = 1.5,
    indent: float = 0,
    before: float = 0,
) -> ElementStyle:
    return ElementStyle(
        space_before=before,
        east_asian_font=font,
        size=size,
        bold=bold,
        alignment=align,
        line_spacing=LineSpacing("auto", spacing),
        first_line_indent_chars=indent,
    )


REQUIRED_HEADINGS = SECTION_TITLES
"""The section titles a plan must have, in order (the profile may ask for others)."""


class StyleProfile(InputModel):
    """Typography per element and the structure a plan must have."""

    name: RequiredText = Field("default", title="名称")
    cover_title: ElementStyle = Field(_style("黑体", 22, bold=True, align="center"), title="封面标题")
    cover_details: ElementStyle = Field(_style("宋体", 14, align="center"), title="封面信息")
    content_title: ElementStyle = Field(_style("黑体", 14, bold=True, align="center"), title="正文标题")
    heading_1: ElementStyle = Field(_style("黑体", 14, bold=True, align="left", before=12), title="一级标题")
    heading_2: ElementStyle = Field(_style("黑体", 12, bold=True, align="left", before=9), title="二级标题")
    heading_3: ElementStyle = Field(_style("宋体", 12, bold=True, align="left", indent=2, before=6), title="三级标题")
    body: ElementStyle = Field(_style("宋体", 12, indent=2), title="正文")
    table_caption: ElementStyle = Field(_style("黑体", 12, bold=True, align="center", before=9), title="表格标题")
    table_text: ElementStyle = Field(_style("宋体", 10.5, align="left", spacing=1.0), title="表格文字")
    table_label: ElementStyle = Field(_style("宋体", 10.5, bold=True, align="center", spacing=1.0), title="表格栏目名")
    footer: ElementStyle = Field(_style("宋体", 10.5, align="center", spacing=1.0), title="页脚")
    required_headings: tuple[RequiredText, ...] = Field(REQUIRED_HEADINGS, title="必备章节")
    header_table_labels: tuple[RequiredText, ...] = Field(HEADER_TABLE_LABELS, title="表头栏目")
    evaluation_thresholds: Thresholds | None = Field(None, title="评分界限")
    """The final scores from which 建议 is 维持关系 or 改进关系: the tick a checked document must show.

    None: the profile states none, so the brief's default (70/50) is used and a tick against
    it is a warning only, since a plan may set its own thresholds or choose its 建议.
    """
    rule_severity: tuple[tuple[str, SeverityLevel], ...] = Field((), title="规则级别")
    """Severity per rule, element, or element/rule, overriding the tiers (see engine/check/severity.py).

    Pairs rather than a mapping, so that the profile stays hashable (renderers are cached by it).
    """

    def element(self, key: str) -> ElementStyle:
        """Return the style of the element named ``key`` (one of ELEMENT_LABELS)."""
        if key not in ELEMENT_LABELS:
            raise KeyError(key)
        style: ElementStyle = getattr(self, key)
        return style


DEFAULT_PROFILE = StyleProfile()


class ProfileFile(InputModel):
    """A style profile as a user writes it: only what differs from the default."""

    name: RequiredText = labelled("名称", "格式方案的名称", "custom")
    cover_title: ElementOverride | None = labelled("封面标题", "封面上的方案标题", None)
    cover_details: ElementOverride | None = labelled("封面信息", "封面标题下方的客户、编号等信息", None)
    content_title: ElementOverride | None = labelled("正文标题", "正文首页的标题", None)
    heading_1: ElementOverride | None = labelled("一级标题", "“一、”级标题", None)
    heading_2: ElementOverride | None = labelled("二级标题", "“（一）”级标题", None)
    heading_3: ElementOverride | None = labelled("三级标题", "“1．”级标题", None)
    body: ElementOverride | None = labelled("正文", "正文段落", None)
    table_caption: ElementOverride | None = labelled("表格标题", "表格上方的表名", None)
    table_text: ElementOverride | None = labelled("表格文字", "表格内文字", None)
    table_label: ElementOverride | None = labelled("表格栏目名", "表格中的栏目名", None)
    footer: ElementOverride | None = labelled("页脚", "页脚页码", None)
    required_headings: tuple[RequiredText, ...] | None = labelled("必备章节", "必须出现且按顺序排列的章节标题", None)
    header_table_labels: tuple[RequiredText, ...] | None = labelled("表头栏目", "受控文件表头必须有的栏目", None)
    evaluation_thresholds: Thresholds | None = labelled(
        "评分界限", "检查建议一栏时使用的评分界限：最终得分不低于维持关系的界限时维持，不低于改进关系的界限时改进", None
    )
    rule_severity: dict[str, Level] | None = labelled(
        "规则级别",
        "每条检查规则的级别：error、warning、off（错误、警告、关闭）；"
        "键为规则（font.size）、元素（表格文字）或二者（表格文字/font.size）",
        None,
    )

    @field_validator(
        *ELEMENT_LABELS,
        "required_headings",
        "header_table_labels",
        "evaluation_thresholds",
        "rule_severity",
        mode="before",
    )
    @classmethod
    def _given_means_not_empty(cls, value: object) -> object:
        # A key written with nothing after it (表格文字: null) would otherwise change nothing, silently.
        if value is None:
            raise ValueError("为空：请写出设置，或删去这个键 | empty: give the settings, or remove the key")
        return value

    @field_validator("rule_severity", mode="after")
    @classmethod
    def _known_rules(cls, value: dict[str, SeverityLevel] | None) -> dict[str, SeverityLevel] | None:
        return None if value is None else {rule_key(key, ELEMENT_LABELS): level for key, level in value.items()}

    def apply_to(self, base: StyleProfile) -> StyleProfile:
        """The profile ``base`` with this file's changes."""
        changes: dict[str, object] = {"name": self.name}
        for key in ELEMENT_LABELS:
            override: ElementOverride | None = getattr(self, key)
            if override is not None:
                given = {name: getattr(override, name) for name in override.model_fields_set}
                changes[key] = base.element(key).model_copy(update={k: v for k, v in given.items() if v is not None})
        for key in ("required_headings", "header_table_labels", "evaluation_thresholds"):
            if getattr(self, key) is not None:
                changes[key] = getattr(self, key)
        if self.rule_severity is not None:
            changes["rule_severity"] = tuple({**dict(base.rule_severity), **self.rule_severity}.items())
        return base.model_copy(update=changes)

"""Typography rules: each element's fonts, size, bold, line spacing and alignment against the profile."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plandoc.check.findings import CheckFinding
from plandoc.check.reading import Block
from plandoc.diagnostics import Severity
from plandoc.schemas.profile import CHINESE_FONT_SIZES, ELEMENT_LABELS, ElementStyle, LineSpacing

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z0-9]")
_SAME_FONTS = [{"宋体", "simsun"}, {"黑体", "simhei"}, {"楷体", "kaiti", "楷体_gb2312"}, {"仿宋", "fangsong",
               "仿宋_gb2312"}, {"微软雅黑", "microsoft yahei"}, {"新宋体", "nsimsun"}]  # fmt: skip
_SIZE_NAMES = {size: name for name, size in CHINESE_FONT_SIZES.items()}
DEFAULT_SIZE = 10.0
"""What Word uses when nothing in the style chain gives a size."""


def same_font(expected: str, actual: str | None) -> bool:
    """Font names compare case-insensitively, and Chinese names equal their English ones."""
    if actual is None:
        return False
    a, b = expected.strip().casefold(), actual.strip().casefold()
    return a == b or any(a in group and b in group for group in _SAME_FONTS)


def show_size(points: float) -> str:
    """12 → 小四（12磅）."""
    name = _SIZE_NAMES.get(points)
    return f"{name}（{points:g}磅）" if name else f"{points:g}磅"


def _spacing_matches(expected: LineSpacing, actual: LineSpacing) -> bool:
    tolerance = 0.01 if expected.rule == "auto" else 0.5
    return expected.rule == actual.rule and abs(expected.value - actual.value) <= tolerance


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"


def check_block(block: Block, element: str, style: ElementStyle) -> Iterator[CheckFinding]:
    """Every typography finding for one paragraph judged as ``element``."""
    label = ELEMENT_LABELS[element]
    runs = [run for run in block.formatting.runs if run.text.strip()]

    def finding(
        rule: str, what_zh: str, what_en: str, expected: str, actual: str, severity: Severity = Severity.ERROR
    ) -> CheckFinding:
        return CheckFinding(
            rule, severity,
            f"{label}的{what_zh}应为{expected}，实际为{actual}",
            f"{element.replace('_', ' ')}: {what_en} should be {expected}, is {actual}",
            paragraph=block.number, page=block.page, excerpt=_excerpt(block.text), element=element,
            expected=expected, actual=actual,
        )  # fmt: skip

    for run in runs:
        if _CJK.search(run.text) and not same_font(style.east_asian_font, run.east_asian_font):
            yield finding(
                "font.east-asian", "中文字体", "East Asian font", style.east_asian_font, run.east_asian_font or "未设置"
            )
            break
    for run in runs:
        if _LATIN.search(run.text) and not same_font(style.latin_font, run.latin_font):
            yield finding(
                "font.latin", "西文字体", "Latin font", style.latin_font, run.latin_font or "未设置", Severity.WARNING
            )
            break
    for run in runs:
        size = run.size if run.size is not None else DEFAULT_SIZE
        if abs(size - style.size) > 0.01:
            yield finding("font.size", "字号", "size", show_size(style.size), show_size(size))
            break
    for run in runs:
        if run.bold != style.bold:
            yield finding(
                "font.bold", "加粗", "bold", "加粗" if style.bold else "不加粗", "加粗" if run.bold else "不加粗"
            )
            break
    actual_spacing = block.formatting.line_spacing or LineSpacing("auto", 1.0)
    if runs and not _spacing_matches(style.line_spacing, actual_spacing):
        yield finding(
            "paragraph.line-spacing", "行距", "line spacing", style.line_spacing.describe(), actual_spacing.describe()
        )
    if runs and style.alignment in ("center", "right") and block.formatting.alignment != style.alignment:
        names = {"left": "左对齐", "center": "居中", "right": "右对齐", "justify": "两端对齐"}
        yield finding(
            "paragraph.alignment",
            "对齐方式",
            "alignment",
            names[style.alignment],
            names.get(block.formatting.alignment, block.formatting.alignment),
            Severity.WARNING,
        )

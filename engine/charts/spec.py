"""What a chart shows, built from the derived plan's figures, and the fonts it is typeset in."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from plandoc.ooxml.chart_placement import chart_relationship_id, one_line
from plandoc.plan.derive import HUNDREDTH, DerivedPlan
from plandoc.vocabulary import ChartKind, amount_header

TITLE_SIZE = 10.5
"""Chart titles in 五号, bold."""
LABEL_SIZE = 9.0
"""Data labels and axis labels in 小五."""


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its kind, title and data, as the table beside it shows them."""

    relationship_id: str
    kind: ChartKind
    title: str
    series_name: str
    categories: tuple[str, ...]
    values: tuple[Decimal, ...]
    """The amounts, written as typed (``5200``, ``1234.5``): the chart's values and the workbook's numbers."""
    shares: tuple[Decimal, ...]
    """The shares in percent to the hundredth (``56.52``), as the table prints them."""

    def share_label(self, index: int) -> str:
        """A share as the table prints it: 56.52%."""
        return f"{self.shares[index]:.2f}%"

    def label_lines(self, index: int) -> tuple[str, ...]:
        """The data label of one category: category and share on a pie, the share on a bar
        (whose axis names the category)."""
        if self.kind == "pie":
            return (*category_lines(self.categories[index]), self.share_label(index))
        return (self.share_label(index),)


LABEL_LINE_WIDTH = 8
"""The widest line of a pie's label, in Chinese characters (a Latin letter counts half)."""


def category_lines(category: str) -> tuple[str, ...]:
    """A category's name in the lines of a pie's label: whole when it fits, else in near-equal lines.

    The labels do not wrap by themselves (LibreOffice would break 私人银行客户 before its
    last character), so a long name is broken here: text with spaces between its words,
    Chinese text into lines of equal length.
    """
    if _width(category) <= LABEL_LINE_WIDTH:
        return (category,)
    words = category.split()
    lines = [words[0]] if words else [category]
    for word in words[1:]:
        joined = f"{lines[-1]} {word}"
        if _width(joined) <= LABEL_LINE_WIDTH:
            lines[-1] = joined
        else:
            lines.append(word)
    return tuple(piece for line in lines for piece in _even_pieces(line))


def _even_pieces(line: str) -> tuple[str, ...]:
    """``line`` as it is if it fits a label's line, else cut into pieces of equal length that do."""
    count = math.ceil(_width(line) / LABEL_LINE_WIDTH)
    if count <= 1:
        return (line,)
    size = math.ceil(len(line) / count)
    return tuple(line[start : start + size] for start in range(0, len(line), size))


def _width(text: str) -> float:
    """The width of ``text`` in Chinese characters: a Latin letter, digit or space counts half."""
    return sum(1.0 if ord(character) > 0x2E7F else 0.5 for character in text)


def written_number(value: Decimal) -> Decimal:
    """A number as written in chart XML and workbooks: 5200 (not 5.2E+3 or 5200.0), 0.5."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def chart_specs(derived: DerivedPlan) -> tuple[ChartSpec, ...]:
    """The charts of a derived plan, numbered in document order as the render context places them."""
    specs: list[ChartSpec] = []
    for analysis in derived.compositions:
        if analysis.chart is None:
            continue
        specs.append(
            ChartSpec(
                relationship_id=chart_relationship_id(len(specs) + 1),
                kind=analysis.chart,
                title=one_line(analysis.kind.name),
                series_name=one_line(amount_header(analysis.unit)),
                categories=tuple(one_line(share.label) for share in analysis.shares),
                values=tuple(written_number(share.amount) for share in analysis.shares),
                shares=tuple(share.percent.quantize(HUNDREDTH) for share in analysis.shares),
            )
        )
    return tuple(specs)


@dataclass(frozen=True)
class ChartFonts:
    """The document's body fonts, which chart text uses too."""

    latin: str
    east_asian: str


DEFAULT_FONTS = ChartFonts("Times New Roman", "宋体")


def document_fonts(parts: Mapping[str, bytes]) -> ChartFonts:
    """The fonts of the template's body text (its default paragraph style), resolved through
    the style chain and the theme, so a chart reads like the paragraphs around it."""
    # imported here: fonts are read once, when a template is prepared (and then cached)
    from plandoc.ooxml.effective import body_text_fonts

    latin, east_asian = body_text_fonts(parts.get("word/styles.xml"), parts.get("word/theme/theme1.xml"))
    return ChartFonts(latin or DEFAULT_FONTS.latin, east_asian or DEFAULT_FONTS.east_asian)

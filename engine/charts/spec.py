"""What a chart shows, read from the render context, and the fonts it is typeset in."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

from plandoc.ooxml.namespaces import W_NS

ChartKind = Literal["pie", "bar"]

_LINE_BREAKS = re.compile(r"[\t\n\v\f\r]")
TITLE_SIZE = 10.5
"""Chart titles in 五号, bold."""
LABEL_SIZE = 9.0
"""Data labels and axis labels in 小五."""


def one_line(text: str) -> str:
    """Chart text on one line: tabs and line breaks of table text become spaces."""
    return _LINE_BREAKS.sub(" ", text)


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its kind, title and data, as the table beside it shows them."""

    relationship_id: str
    kind: ChartKind
    title: str
    series_name: str
    categories: tuple[str, ...]
    values: tuple[str, ...]
    """Amounts as typed (``5200``, ``1234.5``): the chart's values and the workbook's numbers."""
    shares: tuple[str, ...]
    """Shares as the table prints them (``56.52%``): the data labels."""

    @classmethod
    def from_context(cls, entry: Mapping[str, Any]) -> ChartSpec:
        """Read one item of the render context's ``charts`` list."""
        kind = entry["kind"]
        if kind not in ("pie", "bar"):
            raise ValueError(f"unknown chart kind {kind!r}")
        return cls(
            relationship_id=str(entry["relationship_id"]),
            kind=kind,
            title=one_line(str(entry["title"])),
            series_name=one_line(str(entry["series_name"])),
            categories=tuple(one_line(str(c)) for c in entry["categories"]),
            values=tuple(str(v) for v in entry["values"]),
            shares=tuple(str(s) for s in entry["shares"]),
        )

    def label_lines(self, index: int) -> tuple[str, ...]:
        """The data label of one category: category and share on a pie, the share on a bar
        (whose axis names the category)."""
        if self.kind == "pie":
            return (self.categories[index], self.shares[index])
        return (self.shares[index],)


def chart_specs(context: Mapping[str, Any]) -> list[ChartSpec]:
    """The charts a render context asks for (none for a context without ``charts``)."""
    entries: Sequence[Mapping[str, Any]] = context.get("charts") or ()
    return [ChartSpec.from_context(entry) for entry in entries]


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
    from plandoc.ooxml.effective import StyleSheet
    from plandoc.ooxml.theme import theme_font_names

    styles = parts.get("word/styles.xml")
    if styles is None:
        return DEFAULT_FONTS
    theme = parts.get("word/theme/theme1.xml")
    sheet = StyleSheet(etree.fromstring(styles), theme_font_names(etree.fromstring(theme)) if theme else None)
    probe = etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:r><w:t>字</w:t></w:r></w:p>')
    run = sheet.paragraph(probe).runs[0]
    return ChartFonts(run.latin_font or DEFAULT_FONTS.latin, run.east_asian_font or DEFAULT_FONTS.east_asian)

"""Read a paragraph's effective formatting back from WordprocessingML.

The effective value of a run property comes from the run's own properties, then its
character style chain, then the paragraph style chain, then the document defaults; a
paragraph property from the paragraph, its style chain, then the defaults. Each
attribute of ``w:rFonts`` is resolved on its own, and a theme font (``w:eastAsiaTheme``)
is resolved through the theme part when one is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from plandoc.ooxml.namespaces import W_NS, qn
from plandoc.ooxml.theme import theme_font_names
from plandoc.ooxml.whole_number import whole_number
from plandoc.schemas.profile import LineSpacing

_T = TypeVar("_T")
_TRUE_VALUES = ("1", "true", "on")
_THEME_ATTRIBUTES = {"eastAsia": "eastAsiaTheme", "ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "cs": "cstheme"}
_HEADING_STYLE_NAME = re.compile(r"(?:heading|标题)([1-9])")
_TITLE_STYLE_NAMES = ("title", "标题")
_JUSTIFICATION = {
    "left": "left",
    "start": "left",
    "center": "center",
    "right": "right",
    "end": "right",
    "both": "justify",
    "distribute": "justify",
}


@dataclass(frozen=True)
class EffectiveRun:
    """A run's text and its resolved fonts, size and weight."""

    text: str
    east_asian_font: str | None
    latin_font: str | None
    size: float | None
    bold: bool


@dataclass(frozen=True)
class EffectiveParagraph:
    """A paragraph's resolved layout and its runs."""

    style_id: str | None
    alignment: str
    line_spacing: LineSpacing | None
    outline_level: int | None
    runs: tuple[EffectiveRun, ...]
    style_level: int | None = None
    """The heading level its style's name gives (标题 1, Heading 1, heading 1 → 1); 0 for a title style."""

    @property
    def text(self) -> str:
        """The paragraph's text."""
        return "".join(run.text for run in self.runs)


class StyleSheet:
    """The styles part of a document, able to resolve formatting through style chains."""

    def __init__(self, styles: etree._Element, theme_fonts: Mapping[str, str] | None = None) -> None:
        self._styles = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
        self._theme_fonts = dict(theme_fonts or {})
        self._default_paragraph_style = next(
            (
                s.get(qn("w:styleId"))
                for s in styles.iter(qn("w:style"))
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in _TRUE_VALUES
            ),
            None,
        )
        self._default_rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._default_ppr = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")

    def _chain(self, style_id: str | None) -> Iterator[etree._Element]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            based_on = style.find(qn("w:basedOn"))
            style_id = based_on.get(qn("w:val")) if based_on is not None else None

    def _run_property_sources(
        self, paragraph_style: str | None, run: etree._Element, table_style: str | None = None
    ) -> list[etree._Element]:
        sources: list[etree._Element | None] = []
        rpr = run.find(qn("w:rPr"))
        if rpr is not None:
            sources.append(rpr)
            rstyle = rpr.find(qn("w:rStyle"))
            if rstyle is not None:
                sources.extend(_child(s, "w:rPr") for s in self._chain(rstyle.get(qn("w:val"))))
        sources.extend(_child(s, "w:rPr") for s in self._chain(paragraph_style))
        sources.extend(_child(s, "w:rPr") for s in self._chain(table_style))
        if self._default_rpr is not None:
            sources.append(self._default_rpr)
        return [s for s in sources if s is not None]

    def _paragraph_property_sources(
        self, paragraph: etree._Element, style_id: str | None, table_style: str | None
    ) -> list[etree._Element]:
        sources: list[etree._Element | None] = [paragraph.find(qn("w:pPr"))]
        sources.extend(_child(s, "w:pPr") for s in self._chain(style_id))
        sources.extend(_child(s, "w:pPr") for s in self._chain(table_style))
        sources.append(self._default_ppr)
        return [s for s in sources if s is not None]

    def paragraph(self, paragraph: etree._Element, table_style: str | None = None) -> EffectiveParagraph:
        """Resolve a ``w:p`` element's layout and every run's formatting.

        ``table_style``: the style of the table the paragraph is in; Word applies it below
        the paragraph styles and above the document defaults. A paragraph's own
        ``w:pPr/w:rPr`` formats only its paragraph mark, so it is not applied to text.
        """
        ppr = paragraph.find(qn("w:pPr"))
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = pstyle.get(qn("w:val")) if pstyle is not None else self._default_paragraph_style
        psources = self._paragraph_property_sources(paragraph, style_id, table_style)
        alignment = _first(psources, "w:jc", lambda e: _JUSTIFICATION.get(e.get(qn("w:val"), ""), "left")) or "left"
        outline = _first(psources, "w:outlineLvl", lambda e: whole_number(e, "w:val", "9"))
        runs = tuple(self._run(style_id, run, table_style) for run in paragraph.iter(qn("w:r")) if _run_text(run))
        return EffectiveParagraph(
            style_id=style_id,
            alignment=alignment,
            line_spacing=self._line_spacing(psources),
            outline_level=outline if outline is not None and outline < 9 else None,
            runs=runs,
            style_level=self.style_level(style_id),
        )

    def style_level(self, style_id: str | None) -> int | None:
        """The heading level a style's name (or its ``basedOn`` chain's) states: Word's built-in
        ``heading 1`` (styleId Heading1, or 1 in Chinese Word and WPS), 标题 1 as a hand-made
        style is named; 0 for the Title style (标题); None for any other style."""
        for style in self._chain(style_id):
            name_element = style.find(qn("w:name"))
            names = [style.get(qn("w:styleId"), "")]
            if name_element is not None:
                names.insert(0, name_element.get(qn("w:val"), ""))
            for name in names:
                key = re.sub(r"\s+", "", name).casefold()
                match = _HEADING_STYLE_NAME.fullmatch(key)
                if match:
                    return int(match.group(1))
                if key in _TITLE_STYLE_NAMES:
                    return 0
        return None

    def _line_spacing(self, sources: list[etree._Element]) -> LineSpacing | None:
        for source in sources:
            spacing = source.find(qn("w:spacing"))
            if spacing is None or spacing.get(qn("w:line")) is None:
                continue
            line = whole_number(spacing, "w:line", "240")
            rule = spacing.get(qn("w:lineRule"), "auto")
            if rule == "exact":
                return LineSpacing("exact", line / 20)
            if rule == "atLeast":
                return LineSpacing("atLeast", line / 20)
            return LineSpacing("auto", line / 240)
        return None

    def _run(self, paragraph_style: str | None, run: etree._Element, table_style: str | None) -> EffectiveRun:
        sources = self._run_property_sources(paragraph_style, run, table_style)
        return EffectiveRun(
            text=_run_text(run),
            east_asian_font=self._font(sources, "eastAsia"),
            latin_font=self._font(sources, "ascii"),
            size=_first(sources, "w:sz", lambda e: whole_number(e, "w:val", "0") / 2),
            bold=bool(_first(sources, "w:b", lambda e: e.get(qn("w:val"), "true").lower() in _TRUE_VALUES)),
        )

    def _font(self, sources: list[etree._Element], attribute: str) -> str | None:
        theme_attribute = _THEME_ATTRIBUTES[attribute]
        for source in sources:
            fonts = source.find(qn("w:rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(qn(f"w:{theme_attribute}"))
            if theme is not None:
                return self._theme_fonts.get(theme, theme)
            name = fonts.get(qn(f"w:{attribute}"))
            if name is not None:
                return name
        return None


def _child(element: etree._Element, tag: str) -> etree._Element | None:
    return element.find(qn(tag))


def _first(sources: list[etree._Element], tag: str, read: Callable[[etree._Element], _T]) -> _T | None:
    for source in sources:
        element = source.find(qn(tag))
        if element is not None:
            return read(element)
    return None


def _run_text(run: etree._Element) -> str:
    parts = []
    for element in run:
        if element.tag == qn("w:t"):
            parts.append(element.text or "")
        elif element.tag == qn("w:tab"):
            parts.append("\t")
        elif element.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def body_text_fonts(styles: bytes | None, theme: bytes | None) -> tuple[str | None, str | None]:
    """The (Latin, East Asian) fonts of a plain paragraph of body text, resolved through the
    style chain of ``styles`` (``word/styles.xml``) and the ``theme``; None where unset."""
    if styles is None:
        return None, None
    sheet = StyleSheet(etree.fromstring(styles), theme_font_names(etree.fromstring(theme)) if theme else None)
    probe = etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:r><w:t>字</w:t></w:r></w:p>')
    run = sheet.paragraph(probe).runs[0]
    return run.latin_font, run.east_asian_font

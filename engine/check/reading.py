"""Read a document for checking: its paragraphs in order, each with its effective formatting."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from plandoc.ooxml.effective import EffectiveParagraph, StyleSheet
from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.safe_package import SafePackage
from plandoc.ooxml.theme import theme_font_names


@dataclass(frozen=True)
class Block:
    """A paragraph of the document: its number, page, table, and resolved formatting."""

    number: int
    page: int
    table: int | None
    formatting: EffectiveParagraph

    @property
    def text(self) -> str:
        """The paragraph's text."""
        return self.formatting.text


@dataclass(frozen=True)
class FormattedDocument:
    """What the checker knows of a document."""

    blocks: tuple[Block, ...]
    tables: tuple[tuple[tuple[str, ...], ...], ...]
    """Every table as rows of cell texts, in document order."""


def theme_fonts(package: SafePackage) -> dict[str, str]:
    """Theme font names (minorEastAsia …) resolved through the theme part, when there is one."""
    if not package.has("word/theme/theme1.xml"):
        return {}
    return theme_font_names(package.xml("word/theme/theme1.xml"))


def _breaks_page(paragraph: etree._Element) -> tuple[bool, bool]:
    """Whether a paragraph starts a page (page break before) and whether one follows it."""
    ppr = paragraph.find(qn("w:pPr"))
    before = ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None
    after = any(br.get(qn("w:type")) == "page" for br in paragraph.iter(qn("w:br")))
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        section_type = ppr.find(f"{qn('w:sectPr')}/{qn('w:type')}")
        after = after or section_type is None or section_type.get(qn("w:val")) != "continuous"
    return before, after


def read_document(package: SafePackage) -> FormattedDocument:
    """Resolve every paragraph of the body, table cells included, in document order.

    Pages are counted from explicit page breaks and section breaks; Word's own line
    layout is not reproduced, so a page number is where a page at least starts.
    """
    styles = package.xml("word/styles.xml") if package.has("word/styles.xml") else etree.Element(qn("w:styles"))
    sheet = StyleSheet(styles, theme_fonts(package))
    body = package.xml("word/document.xml").find(qn("w:body"))
    if body is None:
        return FormattedDocument((), ())
    tables = list(body.iter(qn("w:tbl")))
    table_of: dict[etree._Element, int] = {}
    table_style: dict[int, str | None] = {}
    for index, table in enumerate(tables):
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        table_style[index] = style.get(qn("w:val")) if style is not None else None
        for paragraph in table.iter(qn("w:p")):
            table_of.setdefault(paragraph, index)
    blocks: list[Block] = []
    page = 1
    for number, paragraph in enumerate(body.iter(qn("w:p")), start=1):
        before, after = _breaks_page(paragraph)
        if before and blocks:
            page += 1
        table_index = table_of.get(paragraph)
        style_of_table = table_style.get(table_index) if table_index is not None else None
        blocks.append(Block(number, page, table_index, sheet.paragraph(paragraph, style_of_table)))
        if after:
            page += 1
    table_texts = tuple(
        tuple(
            tuple("\n".join(sheet.paragraph(p).text for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc")))
            for row in table.iter(qn("w:tr"))
        )
        for table in tables
    )
    return FormattedDocument(tuple(blocks), table_texts)

"""Read a document for checking: its paragraphs in order, each with its effective formatting."""

from __future__ import annotations

from dataclasses import dataclass

from plandoc.ooxml.body import body_of, body_paragraphs, empty_styles, table_cell_paragraphs
from plandoc.ooxml.effective import EffectiveParagraph, StyleSheet
from plandoc.ooxml.safe_package import SafePackage
from plandoc.ooxml.theme import theme_font_names


@dataclass(frozen=True)
class Block:
    """A paragraph of the document: its number, page, table, and resolved formatting."""

    number: int
    page: int
    table: int | None
    formatting: EffectiveParagraph
    header_row: bool = False
    """In the first row of its table."""

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


def read_document(package: SafePackage) -> FormattedDocument:
    """Resolve every paragraph of the body, table cells included, in document order.

    Pages are counted from explicit page breaks and section breaks; Word's own line
    layout is not reproduced, so a page number is where a page at least starts.
    """
    styles = package.xml("word/styles.xml") if package.has("word/styles.xml") else empty_styles()
    sheet = StyleSheet(styles, theme_fonts(package))
    body = body_of(package.xml("word/document.xml"))
    if body is None:
        return FormattedDocument((), ())
    blocks: list[Block] = []
    page = 1
    for number, paragraph in enumerate(body_paragraphs(body), start=1):
        if paragraph.page_break_before and blocks:
            page += 1
        formatting = sheet.paragraph(paragraph.element, paragraph.table_style)
        blocks.append(Block(number, page, paragraph.table, formatting, paragraph.header_row))
        if paragraph.page_break_after:
            page += 1
    table_texts = tuple(
        tuple(tuple("\n".join(sheet.paragraph(p).text for p in cell) for cell in row) for row in table)
        for table in table_cell_paragraphs(body)
    )
    return FormattedDocument(tuple(blocks), table_texts)

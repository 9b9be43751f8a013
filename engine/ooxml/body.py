"""Walk a document body by the spec's element names: paragraphs in order, their tables, page breaks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from plandoc.ooxml.namespaces import qn


@dataclass(frozen=True)
class BodyParagraph:
    """A ``w:p`` of the body (table cells included) with where it sits and how it breaks pages."""

    element: etree._Element
    table: int | None
    """The index (in document order) of the outermost table holding it, if any."""
    table_style: str | None
    page_break_before: bool
    """It starts a new page (``w:pageBreakBefore``)."""
    page_break_after: bool
    """A page break in it, or a section break that is not continuous, ends the page after it."""
    header_row: bool = False
    """It is in the first row of its table, where column names stand."""


def body_of(document: etree._Element) -> etree._Element | None:
    """The ``w:body`` of a ``word/document.xml`` root."""
    return document.find(qn("w:body"))


def empty_styles() -> etree._Element:
    """A ``w:styles`` element with no styles, for a package without a styles part."""
    return etree.Element(qn("w:styles"))


def _page_breaks(paragraph: etree._Element) -> tuple[bool, bool]:
    ppr = paragraph.find(qn("w:pPr"))
    before = ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None
    after = any(br.get(qn("w:type")) == "page" for br in paragraph.iter(qn("w:br")))
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        section_type = ppr.find(f"{qn('w:sectPr')}/{qn('w:type')}")
        after = after or section_type is None or section_type.get(qn("w:val")) != "continuous"
    return before, after


def body_paragraphs(body: etree._Element) -> Iterator[BodyParagraph]:
    """Every paragraph of ``body`` in document order, table cells included."""
    table_of: dict[etree._Element, int] = {}
    table_style: dict[int, str | None] = {}
    header_row: set[etree._Element] = set()
    for index, table in enumerate(body.iter(qn("w:tbl"))):
        first_row = table.find(qn("w:tr"))
        if first_row is not None and first_row.getparent() is table:
            header_row.update(first_row.iter(qn("w:p")))
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        table_style[index] = style.get(qn("w:val")) if style is not None else None
        for paragraph in table.iter(qn("w:p")):
            table_of.setdefault(paragraph, index)
    for paragraph in body.iter(qn("w:p")):
        in_table = table_of.get(paragraph)
        before, after = _page_breaks(paragraph)
        style_id = table_style.get(in_table) if in_table is not None else None
        yield BodyParagraph(paragraph, in_table, style_id, before, after, paragraph in header_row)


def table_cell_paragraphs(body: etree._Element) -> list[list[list[list[etree._Element]]]]:
    """Every table of ``body`` as rows of cells, each cell the list of its paragraphs.

    A table's rows, a row's cells and a cell's paragraphs are its own: a table nested in
    a cell is a table of its own, listed after its parent. Counting the
    nested ones again at every level made a document of tables nested 40 deep take
    half a minute (the work grew with the cube of the depth).
    """
    return [
        [[list(_own(cell, "w:p")) for cell in _own(row, "w:tc")] for row in _own(table, "w:tr")]
        for table in body.iter(qn("w:tbl"))
    ]


def _own(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """The descendants named ``name`` of ``element`` that are not inside a table nested in it,
    nor inside another of them (content controls and custom XML in between are looked into)."""
    tag, table = qn(name), qn("w:tbl")
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag != table:
            yield from _own(child, name)

"""Typeset a rendered document's tables: widths from content, rows that never split.

Runs on the body XML after rendering, when the number of rows and every cell's text are
known. For each of plandoc's data tables (style ``PlanTable``):

- the grid is shared among the columns by their content (``text_measure``) and sums to
  the width the table sits in (the text width, or the cell holding a nested table), and
  every cell gets its matching ``w:tcW``;
- no row splits across pages (``w:cantSplit``);
- a small table (up to ``SMALL_TABLE_ROWS`` rows and ``SMALL_TABLE_HEIGHT``) keeps its rows
  together on one page;
  a longer one keeps its header row with the first row and its last rows together.
"""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.styles import TABLE_STYLE_ID
from plandoc.ooxml.template_parts import CELL_ORDER, TABLE_ORDER, keep_row_whole, keep_with_next, set_child
from plandoc.ooxml.text_measure import TEXT_WIDTH, TIGHT_CELL_MARGIN, column_needs, line_count, share_width
from plandoc.ooxml.whole_number import whole_number

SMALL_TABLE_ROWS = 8
SMALL_TABLE_HEIGHT = 200.0
"""Points (about 7 cm): a table higher than this may flow over a page, whatever its rows."""
LINE_HEIGHT = 1.4
"""A line of table text (single spacing, CJK font) over its font size, borders included."""
LAST_ROWS_KEPT = 3
"""A long table's last rows are kept together, so no page holds a lone last row."""
DEFAULT_TABLE_TEXT_SIZE = 10.5


def table_text_size(parts: dict[str, bytes]) -> float:
    """The font size (points) of the ``TableText`` style in a package's styles part."""
    styles = parts.get("word/styles.xml")
    if styles is None:
        return DEFAULT_TABLE_TEXT_SIZE
    for style in etree.fromstring(styles).iter(qn("w:style")):
        if style.get(qn("w:styleId")) == "TableText":
            size = style.find(f"{qn('w:rPr')}/{qn('w:sz')}")
            if size is not None:
                return whole_number(size, "w:val", "21") / 2
    return DEFAULT_TABLE_TEXT_SIZE


def text_width(body: etree._Element) -> int:
    """Twips between the margins of the body's last section."""
    section = body.find(qn("w:sectPr"))
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    if size is None or margins is None:
        return TEXT_WIDTH
    width = whole_number(size, "w:w", "11906")
    return width - whole_number(margins, "w:left", "0") - whole_number(margins, "w:right", "0")


def _own(element: etree._Element, tag: str) -> list[etree._Element]:
    """Descendants ``tag`` of a table that are not inside a table nested in it."""
    table = element if element.tag == qn("w:tbl") else next(element.iterancestors(qn("w:tbl")))
    return [e for e in element.iter(qn(tag)) if next(e.iterancestors(qn("w:tbl")), None) is table]


def _cell_text(cell: etree._Element) -> str:
    lines: list[str] = []
    for paragraph in cell.findall(qn("w:p")):
        pieces: list[str] = []
        for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            pieces.append(node.text or "" if node.tag == qn("w:t") else "\n" if node.tag == qn("w:br") else " ")
        lines.append("".join(pieces))
    return "\n".join(lines)


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return whole_number(span, "w:val", "1") if span is not None else 1


def _room(table: etree._Element, page_width: int) -> int:
    """The width a table sits in: the text width, or the width of the cell holding it."""
    holder = next(table.iterancestors(qn("w:tc")), None)
    if holder is None:
        return page_width
    width = holder.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    return whole_number(width, "w:w", str(page_width)) if width is not None else page_width


def _is_data_table(table: etree._Element) -> bool:
    style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    return style is not None and style.get(qn("w:val")) == TABLE_STYLE_ID


def fit_columns(table: etree._Element, total: int, font_size: float) -> float:
    """Share ``total`` twips among the table's columns by their content; return the
    table's estimated height in points."""
    grid = table.find(qn("w:tblGrid"))
    if grid is None:
        return 0.0
    columns = grid.findall(qn("w:gridCol"))
    texts: list[list[str]] = [[] for _ in columns]
    rows = table.findall(qn("w:tr"))
    for row in rows:
        position = 0
        for cell in row.findall(qn("w:tc")):
            span = _span(cell)
            if span == 1 and position < len(texts):
                texts[position].append(_cell_text(cell))
            position += span
    minimum, natural = column_needs(texts, font_size)
    if sum(minimum) > total:
        minimum, natural = column_needs(texts, font_size, TIGHT_CELL_MARGIN)
        tighten_cell_margins(table)
    widths = share_width(minimum, natural, total)
    for column, width in zip(columns, widths, strict=True):
        column.set(qn("w:w"), str(width))
    tblpr = table.find(qn("w:tblPr"))
    if tblpr is not None:
        table_width = tblpr.find(qn("w:tblW"))
        if table_width is not None:
            table_width.set(qn("w:w"), str(total))
            table_width.set(qn("w:type"), "dxa")
    height = 0.0
    for row in rows:
        position = 0
        lines = 1
        for cell in row.findall(qn("w:tc")):
            span = _span(cell)
            tcpr = cell.find(qn("w:tcPr"))
            if tcpr is None:
                tcpr = etree.Element(qn("w:tcPr"))
                cell.insert(0, tcpr)
            width = sum(widths[position : position + span])
            set_child(tcpr, "w:tcW", CELL_ORDER, w=str(width), type="dxa")
            lines = max(lines, line_count(_cell_text(cell), width, font_size))
            position += span
        height += lines * font_size * LINE_HEIGHT
    return height


def restore_grid(table: etree._Element) -> None:
    """Give a table one grid column per cell of its first row, as wide as the cell.

    docxtpl's table fix-up counts the cells of nested tables as the holding table's own
    and adds grid columns for them; this undoes that for the table that holds another.
    """
    grid = table.find(qn("w:tblGrid"))
    row = table.find(qn("w:tr"))
    if grid is None or row is None:
        return
    cells = row.findall(qn("w:tc"))
    if sum(_span(cell) for cell in cells) == len(grid.findall(qn("w:gridCol"))):
        return
    widths = [cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") for cell in cells]
    if any(width is None or _span(cell) != 1 for width, cell in zip(widths, cells, strict=True)):
        return
    for column in grid.findall(qn("w:gridCol")):
        grid.remove(column)
    for width in widths:
        etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), width.get(qn("w:w"), "0"))  # type: ignore[union-attr]


def tighten_cell_margins(table: etree._Element) -> None:
    """Give a table narrower left and right cell margins than its style's."""
    tblpr = table.find(qn("w:tblPr"))
    if tblpr is None:
        return
    margins = set_child(tblpr, "w:tblCellMar", TABLE_ORDER)
    sides = ("w:top", "w:left", "w:bottom", "w:right")
    for side in ("w:left", "w:right"):
        set_child(margins, side, sides, w=str(TIGHT_CELL_MARGIN), type="dxa")


def keep_rows(table: etree._Element, height: float) -> None:
    """Never split a row; keep a small table (``height`` in points) on one page."""
    rows = table.findall(qn("w:tr"))
    for row in rows:
        keep_row_whole(row)
    if len(rows) <= SMALL_TABLE_ROWS and height <= SMALL_TABLE_HEIGHT:
        kept = rows[:-1]
    else:  # header rows keep with the first row below them; the last rows stay together
        header = [row for row in rows if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
        kept = header + rows[-LAST_ROWS_KEPT:-1]
    for row in kept:
        for paragraph in _own(row, "w:p"):
            keep_with_next(paragraph)


def lay_out_tables(document: bytes, font_size: float = DEFAULT_TABLE_TEXT_SIZE) -> bytes:
    """The document part with every data table typeset (see the module docstring)."""
    root = etree.fromstring(document)
    body = root.find(qn("w:body"))
    if body is None or body.find(f".//{qn('w:tbl')}") is None:
        return document
    page_width = text_width(body)
    for table in body.iter(qn("w:tbl")):  # document order: a holding table before the one it holds
        if _is_data_table(table):
            keep_rows(table, fit_columns(table, _room(table, page_width), font_size))
        else:
            restore_grid(table)
            keep_rows(table, 0.0)
    declaration = document[: document.index(b"?>") + 2] + b"\n" if document.startswith(b"<?xml") else b""
    return declaration + etree.tostring(root, encoding="UTF-8", xml_declaration=False)

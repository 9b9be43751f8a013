"""Raw-XML pieces the template builder needs that python-docx does not offer."""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.namespaces import A_NS, C_NS, R_NS, W_NS, WP_NS, qn
from plandoc.ooxml.styles import LAYOUT_TABLE_STYLE_ID, TABLE_STYLE_ID
from plandoc.ooxml.text_measure import TEXT_WIDTH

# The order the schema requires for the children of each element plandoc edits; a child
# inserted out of order makes Word call the file damaged.
SECTION_ORDER = (
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
)
"""Children of w:sectPr."""

TABLE_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)
"""Children of w:tblPr."""

CELL_ORDER = (
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)
"""Children of w:tcPr."""

ROW_ORDER = (
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
)
"""Children of w:trPr."""

PARAGRAPH_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""Children of w:pPr."""


def set_child(element: etree._Element, tag: str, order: tuple[str, ...] = (), **attributes: str) -> etree._Element:
    """Get or create child ``tag`` of ``element`` in its place in ``order``, and set attributes."""
    child = element.find(qn(tag))
    if child is None:
        child = etree.Element(qn(tag))
        following = order[order.index(tag) + 1 :] if tag in order else ()
        first_of_tag: dict[str, etree._Element] = {}
        for present in element:
            first_of_tag.setdefault(present.tag, present)  # what element.find(tag) returns
        anchor = next((first_of_tag[qn(name)] for name in following if qn(name) in first_of_tag), None)
        if anchor is not None:
            anchor.addprevious(child)
        else:
            element.append(child)
    for key, value in attributes.items():
        child.set(qn(f"w:{key}"), value)
    return child


def append_page_number(paragraph: etree._Element) -> None:
    """Append ``- N -`` with N a PAGE field to a paragraph element."""

    def run(*children: etree._Element) -> None:
        r = etree.SubElement(paragraph, qn("w:r"))
        for child in children:
            r.append(child)

    def text(value: str) -> etree._Element:
        t = etree.Element(qn("w:t"))
        t.set(qn("xml:space"), "preserve")
        t.text = value
        return t

    def field_char(kind: str) -> etree._Element:
        element = etree.Element(qn("w:fldChar"))
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = etree.Element(qn("w:instrText"))
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run(text("- "))
    run(field_char("begin"))
    run(instruction)
    run(field_char("separate"))
    run(text("1"))
    run(field_char("end"))
    run(text(" -"))


def restart_page_numbers(section_properties: etree._Element, start: int = 1) -> None:
    """Make a section's page numbers start again at ``start``."""
    set_child(section_properties, "w:pgNumType", SECTION_ORDER, start=str(start))


def format_table(table: etree._Element, widths_twips: list[int]) -> None:
    """Give a table plandoc's bordered style, a fixed layout and exact column widths."""
    tblpr = table.find(qn("w:tblPr"))
    assert tblpr is not None, "python-docx always writes w:tblPr"
    set_child(tblpr, "w:tblStyle", TABLE_ORDER, val=TABLE_STYLE_ID)
    set_child(tblpr, "w:tblW", TABLE_ORDER, w=str(sum(widths_twips)), type="dxa")
    set_child(tblpr, "w:jc", TABLE_ORDER, val="center")
    set_child(tblpr, "w:tblLayout", TABLE_ORDER, type="fixed")
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        tblpr.remove(look)
    grid = table.find(qn("w:tblGrid"))
    assert grid is not None
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_twips, strict=True):
        column.set(qn("w:w"), str(width))
    for row in table.findall(qn("w:tr")):
        position = 0
        for cell in row.findall(qn("w:tc")):
            tcpr = cell.find(qn("w:tcPr"))
            if tcpr is None:
                tcpr = etree.Element(qn("w:tcPr"))
                cell.insert(0, tcpr)
            span_element = tcpr.find(qn("w:gridSpan"))
            span = int(span_element.get(qn("w:val"), "1")) if span_element is not None else 1
            width = sum(widths_twips[position : position + span])
            set_child(tcpr, "w:tcW", CELL_ORDER, w=str(width), type="dxa")
            set_child(tcpr, "w:vAlign", CELL_ORDER, val="center")
            position += span
        keep_row_whole(row)


def format_layout_table(table: etree._Element, widths: list[str]) -> None:
    """Make a borderless table that only places things side by side; ``widths`` are twips as
    text (template values allowed), one per column, summing to the text width."""
    format_table(table, [TEXT_WIDTH // len(widths)] * len(widths))
    tblpr = table.find(qn("w:tblPr"))
    assert tblpr is not None
    set_child(tblpr, "w:tblStyle", TABLE_ORDER, val=LAYOUT_TABLE_STYLE_ID)
    set_child(tblpr, "w:tblW", TABLE_ORDER, w=str(TEXT_WIDTH), type="dxa")
    grid = table.find(qn("w:tblGrid"))
    assert grid is not None
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), width)
    for row in table.findall(qn("w:tr")):
        for cell, width in zip(row.findall(qn("w:tc")), widths, strict=True):
            tcpr = cell.find(qn("w:tcPr"))
            assert tcpr is not None
            set_child(tcpr, "w:tcW", CELL_ORDER, w=width, type="dxa")
            set_child(tcpr, "w:vAlign", CELL_ORDER, val="top")


def collapse(paragraph: etree._Element) -> None:
    """Make an empty paragraph (the one Word requires after a table in a cell) take no room."""
    properties = paragraph_properties(paragraph)
    set_child(properties, "w:spacing", PARAGRAPH_ORDER, before="0", after="0", line="20", lineRule="exact")
    set_child(properties, "w:ind", PARAGRAPH_ORDER, firstLineChars="0", firstLine="0")


def row_properties(row: etree._Element) -> etree._Element:
    """The ``w:trPr`` of a table row, created in its place when missing."""
    trpr = row.find(qn("w:trPr"))
    if trpr is None:
        trpr = etree.Element(qn("w:trPr"))
        anchor = row.find(qn("w:tblPrEx"))
        if anchor is not None:
            anchor.addnext(trpr)
        else:
            row.insert(0, trpr)
    return trpr


def paragraph_properties(paragraph: etree._Element) -> etree._Element:
    """The ``w:pPr`` of a paragraph, created in its place when missing."""
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        paragraph.insert(0, ppr)
    return ppr


def keep_row_whole(row: etree._Element) -> None:
    """Never split a table row across pages."""
    set_child(row_properties(row), "w:cantSplit", ROW_ORDER)


def repeat_as_header(row: etree._Element) -> None:
    """Repeat a table row at the top of every page the table spans."""
    set_child(row_properties(row), "w:tblHeader", ROW_ORDER)


def remove_first_line_indent(paragraph: etree._Element) -> None:
    """Cancel the body style's first-line indent on one paragraph."""
    set_child(paragraph_properties(paragraph), "w:ind", PARAGRAPH_ORDER, firstLineChars="0", firstLine="0")


def keep_with_next(paragraph: etree._Element) -> None:
    """Keep a paragraph on the same page as the next one (in a table: the table with what follows)."""
    set_child(paragraph_properties(paragraph), "w:keepNext", PARAGRAPH_ORDER)


def space_before(paragraph: etree._Element, points: float) -> None:
    """Put ``points`` of space above one paragraph (after a table, say)."""
    set_child(paragraph_properties(paragraph), "w:spacing", PARAGRAPH_ORDER, before=str(round(points * 20)))


def align(paragraph: etree._Element, justification: str) -> None:
    """Align one paragraph (``left``, ``center``, ``right``, ``both``)."""
    set_child(paragraph_properties(paragraph), "w:jc", PARAGRAPH_ORDER, val=justification)


def chart_paragraph(chart: str) -> etree._Element:
    """A centred paragraph holding an inline chart, every figure taken from the mapping ``chart``
    of the render context (relationship_id, drawing_id, name, description, width, height).

    Single line spacing, so the paragraph's line height never clips the drawing. Its
    ``wp:docPr`` id is a template value, which tells the renderer that the drawing is
    plandoc's own and needs none of docxtpl's picture fix-ups.
    """
    xml = (
        f'<w:p xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}">'
        '<w:pPr><w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{{{{ {chart}.width }}}}" cy="{{{{ {chart}.height }}}}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{{{{ {chart}.drawing_id }}}}" name="{{{{ {chart}.name }}}}"'
        f' descr="{{{{ {chart}.description }}}}"/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{C_NS}">'
        f'<c:chart xmlns:c="{C_NS}" r:id="{{{{ {chart}.relationship_id }}}}"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    return etree.fromstring(xml)

"""Write ``word/styles.xml`` (and the font table) from a style profile.

Every paragraph style states all of its formatting itself instead of inheriting it, so
that a reader resolving the style chain and a reader looking at one style agree.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from plandoc.ooxml.namespaces import W_NS, qn
from plandoc.ooxml.text_measure import CELL_MARGIN

if TYPE_CHECKING:  # annotations only: rendering without a profile need not build the profile's model
    from plandoc.schemas.profile import ElementStyle, LineSpacing, StyleProfile


class StyleSlot(NamedTuple):
    """Where one profile element lives in the document: its style id, name and outline level."""

    style_id: str
    name: str
    outline_level: int | None = None


STYLE_SLOTS: MappingProxyType[str, StyleSlot] = MappingProxyType(
    {
        "body": StyleSlot("Normal", "Normal"),
        "cover_title": StyleSlot("CoverTitle", "Cover Title"),
        "cover_details": StyleSlot("CoverDetails", "Cover Details"),
        "content_title": StyleSlot("ContentTitle", "Content Title"),
        "heading_1": StyleSlot("Heading1", "heading 1", 0),
        "heading_2": StyleSlot("Heading2", "heading 2", 1),
        "heading_3": StyleSlot("Heading3", "heading 3", 2),
        "table_caption": StyleSlot("TableCaption", "Table Caption"),
        "table_text": StyleSlot("TableText", "Table Text"),
        "table_label": StyleSlot("TableLabel", "Table Label"),
        "footer": StyleSlot("Footer", "footer"),
    }
)
TABLE_STYLE_ID = "PlanTable"
LAYOUT_TABLE_STYLE_ID = "PlanLayout"
"""A borderless table that sets a share table beside its chart."""
CHECK_BOX_STYLE_ID = "CheckBox"
CHECK_BOX_STYLE_NAME = "Check Box"
NO_BREAK_STYLE_ID = "NoBreak"
NO_BREAK_STYLE_NAME = "No Break"
NO_BREAK_LANGUAGE = "en-US"
"""The language of text that must stay on one line, such as （针对问题：P1）. LibreOffice breaks
Chinese text wherever its forbidden-character rules allow and ignores word joiners there; text
in a Western language goes to the Unicode line breaker, which honours them."""
SYMBOL_FONT = "Segoe UI Symbol"
"""The one font every ☐ and ☑ is set in: Word's on Windows; plandoc's fontconfig rules map
it to a font with both glyphs for LibreOffice."""
_JUSTIFICATION = {"left": "left", "center": "center", "right": "right", "justify": "both"}
FONT_ALTERNATE_NAMES = MappingProxyType(
    {"宋体": "SimSun", "黑体": "SimHei", "仿宋": "FangSong", "楷体": "KaiTi", "微软雅黑": "Microsoft YaHei"}
)
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, qn(tag))
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def half_points(size: float) -> str:
    """OOXML font sizes are in half-points."""
    return str(round(size * 2))


def spacing_attributes(spacing: LineSpacing) -> dict[str, str]:
    """``w:spacing`` attributes for a line spacing: 1.5 → line=360 lineRule=auto."""
    if spacing.rule == "auto":
        return {"line": str(round(spacing.value * 240)), "lineRule": "auto"}
    return {"line": str(round(spacing.value * 20)), "lineRule": spacing.rule}


def _paragraph_properties(parent: etree._Element, style: ElementStyle, outline: int | None, keep_next: bool) -> None:
    ppr = _sub(parent, "w:pPr")
    if keep_next:
        _sub(ppr, "w:keepNext")
    before = str(round(style.space_before * 20))
    _sub(ppr, "w:spacing", before=before, after="0", **spacing_attributes(style.line_spacing))
    chars = style.first_line_indent_chars
    _sub(
        ppr,
        "w:ind",
        firstLineChars=str(round(chars * 100)),
        firstLine=str(round(chars * style.size * 20)),
    )
    _sub(ppr, "w:jc", val=_JUSTIFICATION[style.alignment])
    if outline is not None:
        _sub(ppr, "w:outlineLvl", val=str(outline))


def run_properties(parent: etree._Element, style: ElementStyle) -> etree._Element:
    """Append a ``w:rPr`` stating fonts (East Asian via w:eastAsia), bold and size."""
    rpr = _sub(parent, "w:rPr")
    _sub(
        rpr,
        "w:rFonts",
        ascii=style.latin_font,
        hAnsi=style.latin_font,
        eastAsia=style.east_asian_font,
        cs=style.latin_font,
    )
    if style.bold:
        _sub(rpr, "w:b")
        _sub(rpr, "w:bCs")
    else:
        _sub(rpr, "w:b", val="0")
        _sub(rpr, "w:bCs", val="0")
    _sub(rpr, "w:sz", val=half_points(style.size))
    _sub(rpr, "w:szCs", val=half_points(style.size))
    return rpr


def _paragraph_style(root: etree._Element, key: str, style: ElementStyle) -> None:
    slot = STYLE_SLOTS[key]
    element = _sub(root, "w:style", type="paragraph", styleId=slot.style_id)
    if key == "body":
        element.set(qn("w:default"), "1")
    _sub(element, "w:name", val=slot.name)
    if key != "body":
        _sub(element, "w:basedOn", val="Normal")
        _sub(element, "w:next", val="Normal" if key.startswith(("heading", "cover", "content")) else slot.style_id)
    if key in ("table_label", "table_text", "footer"):
        _sub(element, "w:uiPriority", val="99")
    _sub(element, "w:qFormat")
    _paragraph_properties(element, style, slot.outline_level, keep_next=key.startswith(("heading", "table_caption")))
    run_properties(element, style)


def _table_styles(root: etree._Element) -> None:
    normal = _sub(root, "w:style", type="table", default="1", styleId="TableNormal")
    _sub(normal, "w:name", val="Normal Table")
    _sub(normal, "w:uiPriority", val="99")
    _sub(normal, "w:semiHidden")
    _sub(normal, "w:unhideWhenUsed")
    tblpr = _sub(normal, "w:tblPr")
    _sub(tblpr, "w:tblInd", w="0", type="dxa")
    _cell_margins(tblpr)

    ruled = {"val": "single", "sz": "4", "space": "0", "color": "000000"}
    _bordered_table_style(root, TABLE_STYLE_ID, "Plan Table", ruled, CELL_MARGIN)
    _bordered_table_style(root, LAYOUT_TABLE_STYLE_ID, "Plan Layout", {"val": "nil"}, 0)


def _bordered_table_style(root: etree._Element, style_id: str, name: str, border: dict[str, str], side: int) -> None:
    """A table style based on Normal Table with the same ``border`` on every edge and ``side`` cell margins."""
    style = _sub(root, "w:style", type="table", styleId=style_id)
    _sub(style, "w:name", val=name)
    _sub(style, "w:basedOn", val="TableNormal")
    _sub(style, "w:uiPriority", val="59")
    tblpr = _sub(style, "w:tblPr")
    borders = _sub(tblpr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _sub(borders, f"w:{edge}", **border)
    _cell_margins(tblpr, side)


def _cell_margins(tblpr: etree._Element, side: int = CELL_MARGIN) -> None:
    margins = _sub(tblpr, "w:tblCellMar")
    _sub(margins, "w:top", w="0", type="dxa")
    _sub(margins, "w:left", w=str(side), type="dxa")
    _sub(margins, "w:bottom", w="0", type="dxa")
    _sub(margins, "w:right", w=str(side), type="dxa")


def styles_xml(profile: StyleProfile) -> bytes:
    """Serialise the complete styles part for ``profile``: only the styles plandoc uses."""
    root = etree.Element(qn("w:styles"), nsmap={"w": W_NS})
    defaults = _sub(root, "w:docDefaults")
    rpr_default = _sub(defaults, "w:rPrDefault")
    rpr = run_properties(rpr_default, profile.body)
    _sub(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr_default = _sub(defaults, "w:pPrDefault")
    ppr = _sub(ppr_default, "w:pPr")
    _sub(ppr, "w:spacing", before="0", after="0", **spacing_attributes(profile.body.line_spacing))
    for key in STYLE_SLOTS:
        _paragraph_style(root, key, profile.element(key))
    default_font = _sub(root, "w:style", type="character", default="1", styleId="DefaultParagraphFont")
    _sub(default_font, "w:name", val="Default Paragraph Font")
    _sub(default_font, "w:uiPriority", val="1")
    _sub(default_font, "w:semiHidden")
    _sub(default_font, "w:unhideWhenUsed")
    check_box = _sub(root, "w:style", type="character", styleId=CHECK_BOX_STYLE_ID)
    _sub(check_box, "w:name", val=CHECK_BOX_STYLE_NAME)
    _sub(check_box, "w:uiPriority", val="99")
    rpr = _sub(check_box, "w:rPr")
    _sub(rpr, "w:rFonts", ascii=SYMBOL_FONT, hAnsi=SYMBOL_FONT, eastAsia=SYMBOL_FONT, cs=SYMBOL_FONT)
    no_break = _sub(root, "w:style", type="character", styleId=NO_BREAK_STYLE_ID)
    _sub(no_break, "w:name", val=NO_BREAK_STYLE_NAME)
    _sub(no_break, "w:uiPriority", val="99")
    _sub(_sub(no_break, "w:rPr"), "w:lang", val=NO_BREAK_LANGUAGE, eastAsia=NO_BREAK_LANGUAGE)
    _table_styles(root)
    return _XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def font_table_xml(profile: StyleProfile) -> bytes:
    """Serialise the font table naming every font the profile uses."""
    root = etree.Element(qn("w:fonts"), nsmap={"w": W_NS})
    names: dict[str, None] = {}
    for key in STYLE_SLOTS:
        style = profile.element(key)
        names[style.latin_font] = None
        names[style.east_asian_font] = None
    names[SYMBOL_FONT] = None
    for name in names:
        font = _sub(root, "w:font", name=name)
        alternate = FONT_ALTERNATE_NAMES.get(name)
        if alternate:
            _sub(font, "w:altName", val=alternate)
        is_chinese = any(ord(ch) > 0x2E80 for ch in name) or alternate is not None
        _sub(font, "w:charset", val="86" if is_chinese else "00")
        _sub(font, "w:family", val="auto" if is_chinese else "roman")
        _sub(font, "w:pitch", val="variable")
    return _XML_DECLARATION + etree.tostring(root, encoding="UTF-8")

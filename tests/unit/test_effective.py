"""Reading effective formatting: run → character style → paragraph style chain → defaults."""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.effective import StyleSheet
from plandoc.schemas.profile import LineSpacing

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

STYLES = f"""<w:styles {W}>
  <w:docDefaults>
    <w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="等线"/><w:sz w:val="21"/></w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/><w:basedOn w:val="Normal"/>
    <w:pPr><w:spacing w:line="360" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Title2"><w:name w:val="T"/><w:basedOn w:val="Base"/>
    <w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Themed"><w:name w:val="Th"/>
    <w:rPr><w:rFonts w:eastAsiaTheme="minorEastAsia" w:eastAsia="宋体"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="Light"><w:name w:val="L"/><w:rPr><w:b w:val="0"/></w:rPr></w:style>
</w:styles>"""


def paragraph(xml: str) -> etree._Element:
    return etree.fromstring(f"<w:p {W}>{xml}</w:p>")


def sheet(theme: dict[str, str] | None = None) -> StyleSheet:
    return StyleSheet(etree.fromstring(STYLES), theme)


def test_properties_come_through_the_based_on_chain_and_defaults() -> None:
    resolved = sheet().paragraph(paragraph('<w:pPr><w:pStyle w:val="Title2"/></w:pPr><w:r><w:t>标题</w:t></w:r>'))
    (run,) = resolved.runs
    assert run.east_asian_font == "黑体"  # from the parent style
    assert run.latin_font == "Calibri"  # from the document defaults
    assert run.size == 22  # from the style itself
    assert run.bold
    assert resolved.line_spacing == LineSpacing("auto", 1.5)
    assert resolved.alignment == "center"
    assert resolved.outline_level == 0


def test_run_and_character_style_override_the_paragraph_style() -> None:
    resolved = sheet().paragraph(
        paragraph(
            '<w:pPr><w:pStyle w:val="Base"/><w:spacing w:line="400" w:lineRule="exact"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="Light"/><w:rFonts w:eastAsia="楷体"/></w:rPr><w:t>甲</w:t></w:r>'
        )
    )
    (run,) = resolved.runs
    assert (run.east_asian_font, run.bold, run.size) == ("楷体", False, 10.5)
    assert resolved.line_spacing == LineSpacing("exact", 20)


def test_paragraph_without_style_uses_the_default_paragraph_style() -> None:
    resolved = sheet().paragraph(paragraph("<w:r><w:t>正文</w:t></w:r>"))
    assert resolved.style_id == "Normal"
    assert resolved.runs[0].east_asian_font == "等线"
    assert resolved.line_spacing == LineSpacing("auto", 1.0)


def test_theme_font_wins_and_is_resolved_through_the_theme() -> None:
    xml = '<w:pPr><w:pStyle w:val="Themed"/></w:pPr><w:r><w:t>字</w:t></w:r>'
    assert sheet({"minorEastAsia": "仿宋"}).paragraph(paragraph(xml)).runs[0].east_asian_font == "仿宋"


def test_table_style_applies_below_paragraph_styles_and_above_defaults() -> None:
    styles = STYLES.replace(
        "</w:styles>",
        '<w:style w:type="table" w:styleId="Grid"><w:name w:val="G"/>'
        '<w:pPr><w:spacing w:line="300" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:rFonts w:eastAsia="楷体"/><w:sz w:val="18"/></w:rPr></w:style></w:styles>',
    )
    sheet = StyleSheet(etree.fromstring(styles))
    plain = sheet.paragraph(paragraph("<w:r><w:t>表中文字</w:t></w:r>"), table_style="Grid")
    assert (plain.runs[0].east_asian_font, plain.runs[0].size) == ("楷体", 9)  # over the defaults
    assert plain.line_spacing == LineSpacing("auto", 1.25)
    styled = sheet.paragraph(paragraph('<w:pPr><w:pStyle w:val="Base"/></w:pPr><w:r><w:t>字</w:t></w:r>'), "Grid")
    assert styled.runs[0].east_asian_font == "黑体"  # the paragraph style wins over the table style
    assert styled.line_spacing == LineSpacing("auto", 1.5)


def test_paragraph_mark_properties_do_not_format_the_text() -> None:
    resolved = sheet().paragraph(
        paragraph('<w:pPr><w:rPr><w:rFonts w:eastAsia="隶书"/><w:b/></w:rPr></w:pPr><w:r><w:t>字</w:t></w:r>')
    )
    assert (resolved.runs[0].east_asian_font, resolved.runs[0].bold) == ("等线", False)

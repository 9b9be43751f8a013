"""Write ``word/theme/theme1.xml``: a small theme whose fonts match the style profile.

Word requires a theme part. plandoc's styles name every font explicitly, so the theme
only matters to text a user adds in Word with theme fonts: it should then look like the
rest of the plan (Latin in the body's Latin font, Chinese in the body's and headings'
East Asian fonts).
"""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.escaping import quoteattr
from plandoc.ooxml.namespaces import A_NS
from plandoc.schemas.profile import StyleProfile

_COLOURS = (
    ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
    ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
    ("dk2", '<a:srgbClr val="1F1F1F"/>'),
    ("lt2", '<a:srgbClr val="EEEEEE"/>'),
    ("accent1", '<a:srgbClr val="1F4E79"/>'),
    ("accent2", '<a:srgbClr val="C00000"/>'),
    ("accent3", '<a:srgbClr val="548235"/>'),
    ("accent4", '<a:srgbClr val="7F6000"/>'),
    ("accent5", '<a:srgbClr val="2E75B6"/>'),
    ("accent6", '<a:srgbClr val="843C0C"/>'),
    ("hlink", '<a:srgbClr val="0563C1"/>'),
    ("folHlink", '<a:srgbClr val="954F72"/>'),
)
_SOLID = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = '<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">' + _SOLID + '<a:prstDash val="solid"/></a:ln>'


def _font_group(tag: str, latin: str, east_asian: str) -> str:
    return (
        f"<a:{tag}><a:latin typeface={quoteattr(latin)}/><a:ea typeface={quoteattr(east_asian)}/>"
        f'<a:cs typeface={quoteattr(latin)}/><a:font script="Hans" typeface={quoteattr(east_asian)}/></a:{tag}>'
    )


def theme_xml(profile: StyleProfile) -> bytes:
    """Serialise the theme for ``profile``."""
    colours = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in _COLOURS)
    fonts = _font_group("majorFont", profile.heading_1.latin_font, profile.heading_1.east_asian_font) + _font_group(
        "minorFont", profile.body.latin_font, profile.body.east_asian_font
    )
    fills = _SOLID * 3
    lines = "".join(_LINE.format(w=w) for w in (6350, 12700, 19050))
    effects = "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<a:theme xmlns:a="{A_NS}" name="plandoc">'
        f'<a:themeElements><a:clrScheme name="plandoc">{colours}</a:clrScheme>'
        f'<a:fontScheme name="plandoc">{fonts}</a:fontScheme>'
        f'<a:fmtScheme name="plandoc"><a:fillStyleLst>{fills}</a:fillStyleLst>'
        f"<a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
        "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    ).encode()


_A = f"{{{A_NS}}}"


def theme_font_names(theme: etree._Element) -> dict[str, str]:
    """The theme's font names by the names styles use for them (minorEastAsia, majorHAnsi …)."""
    fonts: dict[str, str] = {}
    for kind in ("major", "minor"):
        group = theme.find(f".//{_A}fontScheme/{_A}{kind}Font")
        if group is None:
            continue
        latin = group.find(f"{_A}latin")
        east_asian = group.find(f"{_A}ea")
        hans = group.find(f"{_A}font[@script='Hans']")
        ea_name = east_asian.get("typeface") if east_asian is not None else ""
        if not ea_name and hans is not None:
            ea_name = hans.get("typeface") or ""
        latin_name = latin.get("typeface") if latin is not None else ""
        fonts[f"{kind}EastAsia"] = ea_name or ""
        for name in ("HAnsi", "Ascii", "Bidi"):
            fonts[f"{kind}{name}"] = latin_name or ""
    return {key: value for key, value in fonts.items() if value}

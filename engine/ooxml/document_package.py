"""Build and normalise .docx packages: the minimal base package and reproducible zips."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from plandoc.ooxml.coreprops import CORE_PROPERTIES_OPEN
from plandoc.ooxml.escaping import escape
from plandoc.ooxml.namespaces import (
    CORE_PROPERTIES_RELATIONSHIP,
    CT_NS,
    EXTENDED_PROPERTIES_NS,
    MC_NS,
    R_NS,
    REL_NS,
    W14_NS,
    W_NS,
    WORD_2010_NS,
)
from plandoc.ooxml.package_parts import CONTENT_TYPES_PART
from plandoc.ooxml.zipwriter import archive, deflate
from plandoc.vocabulary import DOCUMENT_KIND

if TYPE_CHECKING:
    from plandoc.schemas.profile import StyleProfile

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

A4_WIDTH_TWIPS = 11906
A4_HEIGHT_TWIPS = 16838
PAGE_MARGINS_TWIPS = {"top": 1440, "right": 1800, "bottom": 1440, "left": 1800, "header": 851, "footer": 992}


def section_properties_xml(*, vertical_center: bool = False) -> str:
    """An A4 portrait ``w:sectPr`` body (without references), shared by base and template."""
    margins = " ".join(f'w:{k}="{v}"' for k, v in PAGE_MARGINS_TWIPS.items())
    valign = '<w:vAlign w:val="center"/>' if vertical_center else ""
    return (
        f'<w:pgSz w:w="{A4_WIDTH_TWIPS}" w:h="{A4_HEIGHT_TWIPS}"/>'
        f'<w:pgMar {margins} w:gutter="0"/>'
        f'<w:cols w:space="425"/>{valign}<w:docGrid w:linePitch="312"/>'
    )


def _settings_xml() -> str:
    return (
        f'{_DECLARATION}<w:settings xmlns:w="{W_NS}">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" '
        f'w:uri="{WORD_2010_NS}" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def _content_types_xml() -> str:
    overrides = {
        "/word/document.xml": f"{_WORDML}.document.main+xml",
        "/word/styles.xml": f"{_WORDML}.styles+xml",
        "/word/settings.xml": f"{_WORDML}.settings+xml",
        "/word/fontTable.xml": f"{_WORDML}.fontTable+xml",
        "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    items = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
    return (
        f'{_DECLARATION}<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def _relationships_xml(targets: Mapping[str, tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, (kind, target) in targets.items()
    )
    return f'{_DECLARATION}<Relationships xmlns="{REL_NS}">{items}</Relationships>'


def _app_xml() -> str:
    return (
        f'{_DECLARATION}<Properties xmlns="{EXTENDED_PROPERTIES_NS}">'
        "<Application>plandoc</Application><DocSecurity>0</DocSecurity></Properties>"
    )


def _core_xml() -> str:
    return f"{CORE_PROPERTIES_OPEN}<dc:title>{escape(DOCUMENT_KIND)}</dc:title></cp:coreProperties>"


def base_package(profile: StyleProfile) -> bytes:
    """A minimal, valid .docx with only plandoc's styles, A4, and Chinese as East Asian language."""
    from plandoc.ooxml.styles import font_table_xml, styles_xml  # building templates only
    from plandoc.ooxml.theme import theme_xml

    document = (
        f'{_DECLARATION}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:w14="{W14_NS}"'
        f' xmlns:mc="{MC_NS}" mc:Ignorable="w14"><w:body>'
        f"<w:sectPr>{section_properties_xml()}</w:sectPr></w:body></w:document>"
    )
    parts = {
        CONTENT_TYPES_PART: _content_types_xml().encode(),
        "_rels/.rels": _relationships_xml(
            {
                "rId1": (f"{R_NS}/officeDocument", "word/document.xml"),
                "rId2": (CORE_PROPERTIES_RELATIONSHIP, "docProps/core.xml"),
                "rId3": (f"{R_NS}/extended-properties", "docProps/app.xml"),
            }
        ).encode(),
        "docProps/core.xml": _core_xml().encode(),
        "docProps/app.xml": _app_xml().encode(),
        "word/document.xml": document.encode(),
        "word/_rels/document.xml.rels": _relationships_xml(
            {
                "rId1": (f"{R_NS}/styles", "styles.xml"),
                "rId2": (f"{R_NS}/settings", "settings.xml"),
                "rId3": (f"{R_NS}/fontTable", "fontTable.xml"),
                "rId4": (f"{R_NS}/theme", "theme/theme1.xml"),
            }
        ).encode(),
        "word/styles.xml": styles_xml(profile),
        "word/settings.xml": _settings_xml().encode(),
        "word/fontTable.xml": font_table_xml(profile),
        "word/theme/theme1.xml": theme_xml(profile),
    }
    return write_zip(parts.items())


def read_zip(data: bytes) -> dict[str, bytes]:
    """Read every entry of a zip package, keeping its order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """Write a zip whose bytes depend only on the parts: fixed timestamps, fixed order and modes.

    ``[Content_Types].xml`` goes first, as some readers expect; the rest keeps its order.
    """
    ordered = sorted(parts, key=lambda item: item[0] != CONTENT_TYPES_PART)
    return archive(deflate(name, blob) for name, blob in ordered)

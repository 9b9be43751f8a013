"""Write ``docProps/core.xml`` from the plan's document properties."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from lxml import etree

from plandoc.plan.derive import DocumentProperties

_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)


def w3cdtf(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties_xml(properties: DocumentProperties) -> bytes:
    """Serialise the core properties; every value comes from the plan, none from the clock."""
    p = properties
    return (
        f"{_OPEN}<dc:title>{escape(p.title)}</dc:title><dc:subject>{escape(p.subject)}</dc:subject>"
        f"<dc:creator>{escape(p.author)}</dc:creator><cp:keywords>{escape(p.keywords)}</cp:keywords>"
        f"<cp:lastModifiedBy>{escape(p.author)}</cp:lastModifiedBy><cp:revision>{p.revision}</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{w3cdtf(p.created)}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{w3cdtf(p.modified)}</dcterms:modified>'
        f"<cp:category>{escape(p.category)}</cp:category></cp:coreProperties>"
    ).encode()


_CORE_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def read_keywords(core_xml: etree._Element) -> str:
    """The keywords of a parsed ``docProps/core.xml`` ("" when there are none)."""
    return core_xml.findtext(f"{{{_CORE_NAMESPACE}}}keywords") or ""

"""The document's core properties (``docProps/core.xml``): their typed value and its XML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from plandoc.ooxml.escaping import escape
from plandoc.ooxml.namespaces import CP_NS, DC_NS, DCTERMS_NS, XSI_NS

CORE_PROPERTIES_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<cp:coreProperties xmlns:cp="{CP_NS}" '
    f'xmlns:dc="{DC_NS}" xmlns:dcterms="{DCTERMS_NS}" '
    f'xmlns:xsi="{XSI_NS}">'
)
"""The declaration and the opening tag of a core-properties part."""


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties of the .docx, all taken from the plan so output is reproducible."""

    title: str
    subject: str
    author: str
    keywords: str
    category: str
    created: dt.datetime
    modified: dt.datetime
    revision: int


def w3cdtf(moment: dt.datetime) -> str:
    """A moment as the W3C date-time core properties use, in UTC: 2026-03-02T00:00:00Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties_xml(properties: DocumentProperties) -> bytes:
    """Serialise the core properties; every value comes from the plan, none from the clock."""
    p = properties
    return (
        f"{CORE_PROPERTIES_OPEN}<dc:title>{escape(p.title)}</dc:title><dc:subject>{escape(p.subject)}</dc:subject>"
        f"<dc:creator>{escape(p.author)}</dc:creator><cp:keywords>{escape(p.keywords)}</cp:keywords>"
        f"<cp:lastModifiedBy>{escape(p.author)}</cp:lastModifiedBy><cp:revision>{p.revision}</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{w3cdtf(p.created)}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{w3cdtf(p.modified)}</dcterms:modified>'
        f"<cp:category>{escape(p.category)}</cp:category></cp:coreProperties>"
    ).encode()


def read_keywords(core_xml: etree._Element) -> str:
    """The keywords of a parsed ``docProps/core.xml`` ("" when there are none)."""
    return core_xml.findtext(f"{{{CP_NS}}}keywords") or ""

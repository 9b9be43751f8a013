"""Write ``docProps/core.xml`` from the plan's document properties."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from engine.derive import DocumentProperties

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _w3cdtf(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties_xml(properties: DocumentProperties) -> bytes:
    """Serialise the core properties; every value comes from the plan, none from the clock."""
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI})

    def add(namespace: str, name: str, text: str) -> etree._Element:
        element = etree.SubElement(root, f"{{{namespace}}}{name}")
        element.text = text
        return element

    add(_DC, "title", properties.title)
    add(_DC, "subject", properties.subject)
    add(_DC, "creator", properties.author)
    add(_CP, "keywords", properties.keywords)
    add(_CP, "lastModifiedBy", properties.author)
    add(_CP, "revision", str(properties.revision))
    for name, moment in (("created", properties.created), ("modified", properties.modified)):
        element = add(_DCTERMS, name, _w3cdtf(moment))
        element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    add(_CP, "category", properties.category)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + etree.tostring(root, encoding="UTF-8")

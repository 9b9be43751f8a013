"""Canonical, reviewable XML for golden files: C14N 2.0, one element per line.

Indentation is added only where OOXML ignores whitespace (between elements; never inside
a ``w:t``, whose text has no child elements). plandoc's output carries no volatile ids or
timestamps in ``word/document.xml`` (rendering is deterministic), so nothing is stripped
but the revision-session ids Word adds when it saves a template (``w:rsid*``,
``w14:paraId``, ``w14:textId``), which would otherwise churn on every template edit.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
VOLATILE_ATTRIBUTES = {f"{{{W14}}}paraId", f"{{{W14}}}textId"}


def _is_volatile(attribute: str | bytes) -> bool:
    attribute = attribute.decode() if isinstance(attribute, bytes) else attribute
    return attribute in VOLATILE_ATTRIBUTES or attribute.startswith(f"{{{W}}}rsid")


def canonical_xml(xml: bytes) -> str:
    """``xml`` as C14N 2.0 text, indented one element per line, volatile ids removed."""
    root = etree.fromstring(xml)
    for element in root.iter():
        for attribute in [name for name in element.attrib if _is_volatile(name)]:
            del element.attrib[attribute]
    etree.indent(root, space="  ")
    return ElementTree.canonicalize(etree.tostring(root, encoding="unicode")) + "\n"

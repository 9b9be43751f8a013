"""Edit a package's bookkeeping parts: content types and relationships.

Adding a part to a .docx means declaring its content type in ``[Content_Types].xml`` and
pointing a relationship at it; these functions do both on the serialised parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from lxml import etree

from plandoc.ooxml.namespaces import CT_NS, REL_NS

CONTENT_TYPES_PART = "[Content_Types].xml"
DOCUMENT_RELATIONSHIPS_PART = "word/_rels/document.xml.rels"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_RELATIONSHIP_ID = re.compile(rb'Id="([^"]+)"')


class Relationship(NamedTuple):
    """One relationship of a ``.rels`` part."""

    id: str
    type: str
    target: str


def relationship_ids(relationships: bytes) -> set[str]:
    """The ids a ``.rels`` part already uses."""
    return {found.decode() for found in _RELATIONSHIP_ID.findall(relationships)}


def with_content_types(
    content_types: bytes, *, default: tuple[str, str] | None, overrides: Sequence[tuple[str, str]]
) -> bytes:
    """``[Content_Types].xml`` with a default (extension, type) unless one is declared, and overrides
    (part name, type) appended."""
    types = etree.fromstring(content_types)
    defaults = list(types.iter(f"{{{CT_NS}}}Default"))
    if default is not None and not any(d.get("Extension", "").lower() == default[0] for d in defaults):
        element = etree.Element(f"{{{CT_NS}}}Default", Extension=default[0], ContentType=default[1])
        if defaults:
            defaults[-1].addnext(element)
        else:
            types.insert(0, element)
    for part, content_type in overrides:
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=f"/{part}", ContentType=content_type)
    return _DECLARATION + etree.tostring(types, encoding="utf-8")


def with_relationships(relationships: bytes, added: Sequence[Relationship]) -> bytes:
    """A ``.rels`` part with ``added`` appended."""
    root = etree.fromstring(relationships)
    for relationship in added:
        etree.SubElement(
            root,
            f"{{{REL_NS}}}Relationship",
            Id=relationship.id,
            Type=relationship.type,
            Target=relationship.target,
        )
    return _DECLARATION + etree.tostring(root, encoding="utf-8")


def relationships_part(relationship: Relationship) -> bytes:
    """A ``.rels`` part holding one relationship."""
    r = relationship
    return (
        _DECLARATION
        + (
            f'<Relationships xmlns="{REL_NS}"><Relationship Id="{r.id}" '
            f'Type="{r.type}" Target="{r.target}"/></Relationships>'
        ).encode()
    )

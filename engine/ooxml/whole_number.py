"""Whole-number attributes of WordprocessingML read strictly: a malformed one is named, not a crash."""

from __future__ import annotations

import re

from lxml import etree

from plandoc.errors import MalformedValueError
from plandoc.ooxml.namespaces import qn

DECIMAL_NUMBER = re.compile(r"-?[0-9]{1,9}")
"""OOXML's ST_DecimalNumber as Word writes it; anything else (``abc``, ``1.5``, 5,000 digits) is refused."""


def whole_number(element: etree._Element, attribute: str, default: str) -> int:
    """The whole number ``attribute`` of ``element`` holds (``default`` when absent), or MalformedValueError."""
    text = element.get(qn(attribute), default).strip()
    if not DECIMAL_NUMBER.fullmatch(text):
        part = element.getroottree().docinfo.URL or "the document"
        shown = text if len(text) <= 20 else f"{text[:20]}… ({len(text):,} characters)"
        tag = etree.QName(element).localname
        raise MalformedValueError(
            f"{part}:{element.sourceline}: <w:{tag} {attribute}={shown!r}> 不是整数 | is not a whole number"
        )
    return int(text)

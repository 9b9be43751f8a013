"""The plain text of a document's paragraphs, numbered as the checker numbers them, without formatting."""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.body import body_of, body_paragraphs
from plandoc.ooxml.namespaces import qn


def paragraph_texts(document: etree._Element) -> tuple[str, ...]:
    """The text of every paragraph of ``word/document.xml``'s body, table cells included, in order.

    The paragraph numbered N by ``plandoc check`` (¶N) is item N - 1: both walk the body alike.
    """
    body = body_of(document)
    if body is None:
        return ()
    return tuple("".join(node.text or "" for node in p.element.iter(qn("w:t"))) for p in body_paragraphs(body))

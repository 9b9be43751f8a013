"""Mark every body paragraph with a bookmark, so a PDF export tells the page each one starts on.

LibreOffice exports Word bookmarks as named PDF destinations (with
``ExportBookmarksToPDFDestination``); a destination carries its page, so reading the
destinations back gives each paragraph's page exactly as laid out, where matching the
paragraph's text in the PDF would be fooled by repeated labels and wrapped table cells.
A bookmark takes no room, so the marked copy lays out exactly like the document.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from plandoc.ooxml.namespaces import REL_NS, qn
from plandoc.ooxml.safe_package import SafePackage

PARAGRAPH_BOOKMARK_PREFIX = "plandocParagraph"
"""Bookmark ``plandocParagraph12`` marks the 12th paragraph of the body in document order."""
_DOCUMENT_PART = "word/document.xml"


def _mark(document: etree._Element) -> None:
    body = document.find(qn("w:body"))
    if body is None:
        return
    taken = [
        int(b.get(qn("w:id"), "0")) for b in document.iter(qn("w:bookmarkStart")) if b.get(qn("w:id"), "").isdigit()
    ]
    first_id = max(taken, default=0) + 1
    for number, paragraph in enumerate(body.iter(qn("w:p")), start=1):
        bookmark_id = str(first_id + number)
        start = etree.Element(qn("w:bookmarkStart"))
        start.set(qn("w:id"), bookmark_id)
        start.set(qn("w:name"), f"{PARAGRAPH_BOOKMARK_PREFIX}{number}")
        end = etree.Element(qn("w:bookmarkEnd"))
        end.set(qn("w:id"), bookmark_id)
        properties = paragraph.find(qn("w:pPr"))
        position = 0 if properties is None else paragraph.index(properties) + 1
        paragraph.insert(position, end)
        paragraph.insert(position, start)


def _without_external_targets(relationships: etree._Element) -> bytes:
    """A relationships part whose external targets (linked images, templates, frames) point nowhere.

    A checked document comes from anyone; LibreOffice must not fetch what it links to.
    A linked picture keeps its size in the drawing, so the layout does not change.
    """
    for relationship in relationships.iter(f"{{{REL_NS}}}Relationship"):
        if relationship.get("TargetMode") == "External":
            relationship.set("Target", "#")
    return etree.tostring(relationships, xml_declaration=True, encoding="UTF-8", standalone=True)


def bookmarked_copy(package: SafePackage) -> bytes:
    """The package as .docx bytes, each body paragraph (table cells included) starting with its bookmark,
    and no external target left for LibreOffice to fetch."""
    document = package.xml(_DOCUMENT_PART)
    _mark(document)
    marked = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in package.names():
            if name == _DOCUMENT_PART:
                copy.writestr(name, marked)
            elif name.endswith(".rels"):
                copy.writestr(name, _without_external_targets(package.xml(name)))
            else:
                copy.writestr(name, package.read(name))
    return output.getvalue()

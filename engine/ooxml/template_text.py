"""Read the text of a template's paragraphs run by run (for the template linter)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from plandoc.ooxml.namespaces import qn


def paragraph_runs(document: bytes) -> Iterator[list[str]]:
    """For each paragraph of ``word/document.xml``, the text of each of its text elements."""
    root = etree.fromstring(document)
    for paragraph in root.iter(qn("w:p")):
        yield [element.text or "" for element in paragraph.iter(qn("w:t"))]
